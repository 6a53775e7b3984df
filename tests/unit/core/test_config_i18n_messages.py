"""Settings errors, catalogue completeness, escaping of user strings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.config import ConfigError, Settings, load_settings
from bot.i18n import Catalogues, placeholders
from bot.messages import Message, is_user_id, md_code, md_escape, md_link, mention, render
from bot.plugin import discover_plugins


def test_env_file_and_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env = tmp_path / "lotse.env"
    env.write_text(
        "LOTSE_ADMINS=@a:x, @b:x\nLOTSE_LANGUAGE=en\nMATRIX_HOMESERVER=https://hs.example/\n"
    )
    monkeypatch.setenv("LOTSE_LANGUAGE", "de")  # the real environment wins over the file
    settings = load_settings(env)
    assert settings.admins == ["@a:x", "@b:x"]
    assert settings.language == "de"
    assert settings.matrix_homeserver == "https://hs.example"


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("LOTSE_TIMEZONE", "Mars/Olympus", "LOTSE_TIMEZONE: unknown time zone"),
        ("LOTSE_LANGUAGE", "fr", "LOTSE_LANGUAGE:"),
        ("LOTSE_TICKET_STALE_DAYS", "zwei", "LOTSE_TICKET_STALE_DAYS:"),
        ("MATRIX_HOMESERVER", "matrix.example.org", "MATRIX_HOMESERVER: must start with"),
        ("LOTSE_FEED_REFRESH_MINUTES", "45", "LOTSE_FEED_REFRESH_MINUTES: must divide an hour"),
        ("LOTSE_FEED_REFRESH_MINUTES", "300", "LOTSE_FEED_REFRESH_MINUTES: must divide an hour"),
    ],
)
def test_invalid_value_names_the_key(
    monkeypatch: pytest.MonkeyPatch, key: str, value: str, message: str
) -> None:
    monkeypatch.setenv(key, value)
    with pytest.raises(ConfigError) as info:
        load_settings(None)
    assert str(info.value).startswith(message)
    assert "\n" not in str(info.value)


def test_feed_refresh_intervals_become_evenly_spaced_cron_lines(settings: Settings) -> None:
    from plugins.events import refresh_cron

    lines = {
        minutes: refresh_cron(settings.model_copy(update={"feed_refresh_minutes": minutes}))
        for minutes in (15, 60, 360)
    }
    assert lines == {15: "*/15 * * * *", 60: "0 */1 * * *", 360: "0 */6 * * *"}


def test_missing_env_file_is_an_error() -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_settings("/nonexistent/lotse.env")


def test_missing_matrix_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MATRIX_HOMESERVER", "https://hs.example")
    monkeypatch.setenv("MATRIX_USER_ID", "@lotse:hs.example")
    with pytest.raises(ConfigError, match="MATRIX_ACCESS_TOKEN or MATRIX_PASSWORD"):
        load_settings(None).require_matrix()


def test_every_string_exists_in_both_languages_with_same_placeholders() -> None:
    catalogues = Catalogues()
    for cls in discover_plugins([]):
        catalogues.add(cls.catalogue)
    de, en = catalogues.keys("de"), catalogues.keys("en")
    assert de == en, f"only German: {sorted(de - en)}; only English: {sorted(en - de)}"
    for key in de:
        de_text, en_text = catalogues.raw("de", key), catalogues.raw("en", key)
        assert de_text is not None and en_text is not None
        assert placeholders(de_text) == placeholders(en_text), key


def test_a_count_of_one_takes_the_singular_where_there_is_one() -> None:
    catalogues = Catalogues()
    catalogues.add(
        {
            "de": {"x.n": "{count} Termine", "x.n.one": "1 Termin", "x.m": "{count} Mal"},
            "en": {"x.n": "{count} events", "x.n.one": "1 event", "x.m": "{count} times"},
        }
    )
    de, en = catalogues.translator("de"), catalogues.translator("en")
    assert [de("x.n", count=n) for n in (0, 1, 2)] == ["0 Termine", "1 Termin", "2 Termine"]
    assert en("x.n", count=1) == "1 event" and en("x.m", count=1) == "1 times"


def test_user_strings_cannot_inject_html_or_markdown() -> None:
    evil = "<img src=x onerror=alert(1)> **fett** [link](javascript:alert(1)) `code`"
    message = render(f"Titel: {md_escape(evil)}")
    assert "<img" not in message.html and "<strong>" not in message.html
    assert "href" not in message.html
    assert message.plain == f"Titel: {evil}"
    assert "<script>" not in render(md_code("</code><script>")).html
    assert "javascript" not in render(md_link("x", "javascript:alert(1)")).html


def test_mentions_become_pills_and_m_mentions() -> None:
    message = render(f"Bitte {mention('@anna:example.org', 'Anna <A>')} ansehen")
    assert 'href="https://matrix.to/#/@anna:example.org"' in message.html
    assert "Anna &lt;A&gt;" in message.html
    assert message.mentions == frozenset({"@anna:example.org"})
    assert message.plain == "Bitte Anna <A> ansehen"


def test_quiet_pills_show_people_without_pinging_them() -> None:
    quiet = mention("@bert:example.org", "Bert", notify=False)
    message = render(f"{quiet} und {mention('@anna:example.org', 'Anna')}")
    assert 'href="https://matrix.to/#/@bert:example.org"' in message.html
    assert "title" not in message.html
    assert message.mentions == frozenset({"@anna:example.org"})
    assert message.plain == "Bert und Anna"


def test_no_line_break_of_any_kind_escapes_a_code_span() -> None:
    for brk in ("\n", "\r", "\r\n", "\u2028", "\u2029", "\x0b", "\x0c", "\x85"):
        message = render("Suche: " + md_code(f"a{brk}# Titel{brk}- b"))
        assert "<h1>" not in message.html and "<li>" not in message.html, repr(brk)
        assert message.html.count("<code>") == 1, repr(brk)


def test_user_ids_are_matched_whole() -> None:
    assert is_user_id("@anna:example.org")
    for bad in ("@anna:example.org\n", "@anna:example.org x", "anna:example.org", "@anna"):
        assert not is_user_id(bad), repr(bad)


def test_plain_text_of_lists_and_links() -> None:
    message = render("**Kopf**\n\n- eins\n- " + md_link("zwei", "https://x.example/a"))
    assert message.plain == "Kopf\n\n• eins\n• zwei (https://x.example/a)"
    assert Message.text("1. kein * Markdown").plain == "1. kein * Markdown"


def test_plugin_settings_are_read_and_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.config import load_model
    from plugins.events.settings import EventsSettings

    monkeypatch.setenv("LOTSE_FEED_CONCURRENCY", "3")
    assert load_model(EventsSettings, None).feed_concurrency == 3
    monkeypatch.setenv("LOTSE_FEED_TIMEOUT", "0")
    with pytest.raises(ConfigError, match=r"^LOTSE_FEED_TIMEOUT: "):
        load_model(EventsSettings, None)


def test_example_env_documents_every_key() -> None:
    from bot.config import ENV_PREFIX_KEYS, Settings
    from bot.plugin import discover_plugins

    example = (Path(__file__).parents[3] / "config.example.env").read_text()
    keys = {ENV_PREFIX_KEYS.get(name, f"LOTSE_{name.upper()}") for name in Settings.model_fields}
    models = [cls.settings_model for cls in discover_plugins([]) if cls.settings_model]
    assert len(models) >= 2  # events and tickets bring their own
    keys |= {f"LOTSE_{name.upper()}" for model in models for name in model.model_fields}
    keys.discard("LOTSE_ENV_FILE")
    missing = sorted(key for key in keys if f"{key}=" not in example)
    assert missing == []


def test_an_answer_too_large_for_one_event_is_cut_at_a_line_with_a_note() -> None:
    from bot.messages import MAX_MESSAGE_BYTES, render_bounded

    markdown = "\n".join(f"- Eintrag {i} – Grüße aus Thüringen" for i in range(5000))
    message = render_bounded(markdown, "_gekürzt_")
    encoded = len(json.dumps(message.plain)) + len(json.dumps(message.html))
    assert MAX_MESSAGE_BYTES * 0.9 < encoded <= MAX_MESSAGE_BYTES
    assert message.plain.startswith("• Eintrag 0 – ") and message.plain.endswith("gekürzt")
    assert "<em>gekürzt</em>" in message.html
    small = render_bounded("- eins\n- zwei", "_gekürzt_")
    assert small.plain == "• eins\n• zwei"


def test_empty_values_count_as_unset(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # As in config.example.env: a password login with the token line left empty.
    env = tmp_path / "lotse.env"
    env.write_text(
        "MATRIX_HOMESERVER=https://hs.example\nMATRIX_USER_ID=@lotse:hs.example\n"
        "MATRIX_ACCESS_TOKEN=\nMATRIX_PASSWORD=geheim\nLOTSE_DATABASE_URL=\n"
        "MATRIX_DEVICE_NAME=\nLOTSE_PLUGINS=\n"
    )
    monkeypatch.setenv("LOTSE_COMMAND_PREFIX", "")  # docker --env-file passes empty values on
    settings = load_settings(env)
    assert settings.matrix_access_token is None
    assert settings.matrix_password is not None
    assert settings.matrix_password.get_secret_value() == "geheim"
    assert settings.database_url is None and settings.db_url.startswith("sqlite:///")
    assert (settings.matrix_device_name, settings.plugins, settings.command_prefix) == (
        "Lotse",
        [],
        "!",
    )
    settings.require_matrix()
    direct = Settings(matrix_access_token="  ", matrix_password="x")  # type: ignore[arg-type]
    assert direct.matrix_access_token is None


def test_example_env_leaves_secrets_and_the_data_dir_unset() -> None:
    example = Path(__file__).parents[3] / "config.example.env"
    settings = load_settings(example)
    assert settings.matrix_access_token is None and settings.matrix_password is None
    assert settings.database_url is None
    # The Docker image sets LOTSE_DATA_DIR=/data; `docker run --env-file` must not override it.
    active = [line for line in example.read_text().splitlines() if not line.startswith("#")]
    assert not [line for line in active if line.startswith("LOTSE_DATA_DIR=")]


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("LOTSE_DIGEST_CRON", "bad", "LOTSE_DIGEST_CRON: not a crontab line"),
        ("LOTSE_DIGEST_CRON", "99 8 * * mon", "LOTSE_DIGEST_CRON: not a crontab line"),
        ("LOTSE_DATABASE_URL", "mysql://u:p@db/lotse", "LOTSE_DATABASE_URL: must be sqlite"),
        ("LOTSE_DATABASE_URL", "postgres://u:p@db/lotse", "LOTSE_DATABASE_URL: must be sqlite"),
        ("LOTSE_DATABASE_URL", "lotse.db", "LOTSE_DATABASE_URL: must be sqlite"),
    ],
)
def test_bad_cron_and_database_urls_name_the_key(
    monkeypatch: pytest.MonkeyPatch, key: str, value: str, message: str
) -> None:
    monkeypatch.setenv(key, value)
    with pytest.raises(ConfigError) as info:
        load_settings(None)
    assert str(info.value).startswith(message) and "\n" not in str(info.value)
    assert ":p@" not in str(info.value)  # no password in the message
