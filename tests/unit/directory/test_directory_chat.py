"""The directory plugin in the chat and on the command line, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest
from sqlmodel import select

from bot.cli import build_parser
from bot.config import Settings
from bot.store import Store
from plugins.directory import DEMO_KB, DirectoryPlugin, cli_export, cli_import, cli_who, service
from plugins.directory.kb import KnowledgeBase
from plugins.directory.kb_file import dump_kb, load_kb
from plugins.directory.models import ContactRow
from plugins.directory.search import CACHE_WORDS, TEXT_MIN_SCORE, DirectoryIndex
from tests.harness import Chat, make_chat

MANAGER = "@anna.schmidt:example.org"  # a contact of a demo network (checked below)


@pytest.fixture
async def chat(settings: Settings, db_url: str) -> Chat:
    settings = settings.model_copy(update={"allowed_users": ["@*:test", "@*:example.org"]})
    chat = await make_chat(settings, [DirectoryPlugin], db_url=db_url)
    await chat.bot.services.plugins["directory"].demo("!room:test")
    return chat


def plugin(chat: Chat) -> DirectoryPlugin:
    found = chat.bot.services.plugin("directory")
    assert isinstance(found, DirectoryPlugin)
    return found


def network_of(chat: Chat, user_id: str) -> str:
    kb = plugin(chat).snapshot().kb
    return next(n.id for n in kb.networks if any(c.matrix == user_id for c in n.contacts))


async def test_who_answers_with_networks_reasons_and_mentions(chat: Chat) -> None:
    await chat.ask("!wer Wasserstoff")
    message = chat.last.message
    assert message.plain.startswith("Zuständig für Wasserstoff:")
    assert "passt zu:" in message.plain
    # Contacts on Matrix are shown as pills, but a lookup does not ping them.
    assert "https://matrix.to/#/@" in message.html
    assert message.mentions == frozenset()


# Ordinary talk of the managers' room that uses the question words; the bot stays out of it.
CHAT = [
    "Wer macht den Kaffee?",
    "Wer macht das Protokoll?",
    "Wer ist zuständig für die Schlüssel?",
    "Wer kümmert sich um mich?",
    "who is in charge of the party?",
    "Wer ist zuständig für 🚀?",
    "Wer kümmert sich um den Raum für Donnerstag?",
    "Wer hat Erfahrung mit dem neuen Drucker?",
    "Wer kümmert sich um die Getränke?",
    "Wer kümmert sich um das Catering beim Sommerfest?",
    "Wer ist zuständig für das Mittagessen?",
    "Wer kennt sich mit dem Beamer aus?",
    "Wer kann mir bei der Einladung helfen?",
    "who can help me with the slides?",
    "Wer kennt sich mit Excel aus?",
    "Wer kümmert sich um die Dienstreise?",
    "Wer kümmert sich um die Technik?",
    "Wer macht die Musik?",
    "Wer kümmert sich um Kaffee?",
    "who handles the tickets for Thursday?",
    "who takes care of the drinks?",
    "who is responsible for the coffee?",
    "who knows about the printer?",
    "who is coming tomorrow?",
    "Wer kommt heute zum Treffen?",
    "Schönes Wochenende!",
    "Weiß jemand, wer sich um die Getränke kümmert?",
    "Hat jemand Erfahrung mit dem neuen Drucker?",
    "Wer hilft mit beim Aufbau?",
    "Does anyone know who is coming tomorrow?",
    # Addressed to the bot, or typed without the umlauts' dots: still chat.
    "Lotse: wer kommt morgen?",
    "Lotse, wer kümmert sich um die Getränke?",
    "Wer ist zustandig fur den Raum am Donnerstag?",
]

# Real directory questions, German and English: (message, network short name, language).
QUESTIONS = [
    ("Wer ist zuständig für Photovoltaik?", "EWN", "de"),
    ("Wer kümmert sich um das Lieferkettengesetz?", "LNT", "de"),
    ("Wer kennt sich mit Spritzguss aus?", "KuTh", "de"),
    ("Hallo zusammen, wer hat Ahnung von Telemedizin?", "GeWiTh", "de"),
    ("Welches Netzwerk ist für Photonik zuständig?", "LichtWerk", "de"),
    ("Wer ist zuständig für Getränke?", "EWT", "de"),
    ("Wer kann mir bei der MDR-Zulassung helfen?", "MTT", "de"),
    ("Wer kümmert sich um Wasserstofftankstellen?", "H2-Thü", "de"),
    ("Wer macht Games?", "KreaTh", "de"),
    ("Who handles hydrogen?", "H2-Thü", "en"),
    ("Hi, who handles hydrogen?", "H2-Thü", "en"),
    ("Quick question: who knows about fuel cells?", "H2-Thü", "en"),
    ("who is responsible for cybersecurity?", "DiWiTh", "en"),
    ("Weiß jemand, wer für Medizintechnik zuständig ist?", "MTT", "de"),
    ("Wer hilft bei Spritzguss?", "KuTh", "de"),
    ("Wer kennt sich mit Spritzgießen aus?", "KuTh", "de"),
    ("Kennt jemand einen Ansprechpartner für Lasertechnik?", "LichtWerk", "de"),
    ("Does anyone know who handles laser welding?", "LichtWerk", "en"),
    # Addressed to the bot (Element puts its display name first when it is mentioned).
    ("Lotse: wer ist zuständig für Photovoltaik?", "EWN", "de"),
    ("Lotse, wer ist zuständig für Photovoltaik?", "EWN", "de"),
    ("Hallo Lotse, wer kennt sich mit Spritzguss aus?", "KuTh", "de"),
    ("Lotse: who handles hydrogen?", "H2-Thü", "en"),
    # Umlauts typed without their dots.
    ("wer ist zustandig fur photovoltaik?", "EWN", "de"),
    ("Wer kummert sich um das Lieferkettengesetz?", "LNT", "de"),
]


@pytest.mark.parametrize("text", CHAT)
async def test_chat_with_question_words_gets_no_answer(chat: Chat, text: str) -> None:
    assert await chat.say(text) == []


@pytest.mark.parametrize(("text", "network", "language"), QUESTIONS)
async def test_directory_questions_are_answered_in_their_language(
    chat: Chat, text: str, network: str, language: str
) -> None:
    (answer,) = await chat.say(text)
    head = "Zuständig für" if language == "de" else "Who handles"
    assert answer.startswith(head), answer
    first = answer.splitlines()[2]  # header, blank line, then the best network
    assert first.startswith(f"1. {network}"), answer


@pytest.mark.parametrize(
    "text",
    [
        "@anna:example.org: wer kümmert sich um Laser?",
        "Frau Müller, wer ist zuständig für Wasserstoff?",
        "Anna, who handles hydrogen?",
    ],
)
async def test_a_question_addressed_to_someone_else_is_left_to_them(chat: Chat, text: str) -> None:
    assert await chat.say(text) == []


async def test_a_question_addressed_to_the_bot_by_its_matrix_id_or_localpart(
    settings: Settings, db_url: str
) -> None:
    settings = settings.model_copy(update={"matrix_user_id": "@lotse-bot:example.org"})
    chat = await make_chat(settings, [DirectoryPlugin], db_url=db_url)
    await plugin(chat).demo("!room:test")
    for text in (
        "@lotse-bot:example.org: wer kennt sich mit Spritzguss aus?",
        "lotse-bot, wer kennt sich mit Spritzguss aus?",
        "Lotse: wer kennt sich mit Spritzguss aus?",
        "Hallo, wer kennt sich mit Spritzguss aus?",
    ):
        (answer,) = await chat.say(text)
        assert answer.splitlines()[2].startswith("1. KuTh"), text
    assert await chat.say("@anna:example.org: wer kennt sich mit Spritzguss aus?") == []


async def test_a_plain_question_without_a_sure_answer_gets_none(chat: Chat) -> None:
    """Guesses are for !wer; a question asked of the room gets an answer only from what the
    KB says ("moulding" is no kind of "Ding", Jena is only mentioned in descriptions)."""
    for text, query in [
        ("Who can help with injection moulding?", "injection moulding"),
        ("Wer ist zuständig für Jena?", "Jena"),
    ]:
        assert await chat.say(text) == []
        assert "1. " in await chat.ask(f"!wer {query}")


async def test_with_an_empty_directory_plain_questions_get_no_answer(
    settings: Settings, db_url: str
) -> None:
    chat = await make_chat(settings, [DirectoryPlugin], db_url=db_url)
    for text in ["Wer ist zuständig für Photovoltaik?", "Wer macht den Kaffee?"]:
        assert await chat.say(text) == []
    assert "noch leer" in await chat.ask("!wer Photovoltaik")  # asked explicitly: explained


async def test_nothing_found_lists_closest_topics(chat: Chat) -> None:
    text = await chat.ask("!wer Biogas")
    assert text.startswith("Zu Biogas habe ich kein Netzwerk gefunden.")
    closest = text.split("Ähnliche Themen: ", 1)[1].split(", ")
    assert closest[0] == "Bioenergie" and "Glas" not in closest and "BIM" not in closest
    # Nothing alike: no list of the least unlike.
    for query in ("Bienenzucht und Imkerei", "Kaffee"):
        text = await chat.ask(f"!wer {query}")
        assert "kein Netzwerk gefunden" in text and "Ähnliche Themen" not in text


async def test_english_alias_and_english_questions(chat: Chat) -> None:
    assert "Zuständig für" in await chat.ask("!who Wasserstoff")
    answer = await chat.ask("Who handles hydrogen?")
    assert answer.startswith("Who handles hydrogen:") and "Wasserstoff" in answer


async def test_a_plain_question_is_answered_in_the_language_it_was_asked_in(chat: Chat) -> None:
    assert "English" in await chat.ask("!sprache en", sender="@admin:test")
    german = await chat.ask("Wer ist zuständig für Wasserstoff?")
    assert german.startswith("Zuständig für Wasserstoff:") and "passt zu:" in german
    english = await chat.ask("Who handles hydrogen?")
    assert english.startswith("Who handles hydrogen:")
    # A command keeps the room's language, whichever name it was called by.
    assert (await chat.ask("!wer Wasserstoff")).startswith("Who handles Wasserstoff:")
    await chat.ask("!language de", sender="@admin:test")
    assert (await chat.ask("!who hydrogen")).startswith("Zuständig für hydrogen:")


async def test_network_profile_and_list(chat: Chat) -> None:
    network_id = network_of(chat, MANAGER)
    kb = plugin(chat).snapshot().kb
    network = kb.network(network_id)
    assert network is not None
    text = await chat.ask(f"!netzwerk {network.short or network.name}")
    assert network.name in text and "Ansprechpartner:" in text
    listing = await chat.ask("!netzwerke")
    assert f"{len(kb.networks)} Netzwerke" in listing
    assert "kenne ich nicht" in await chat.ask("!netzwerk Gibtsnicht-Verbund XYZ")


async def test_managers_and_admins_edit_topics_others_are_refused(chat: Chat) -> None:
    network_id = network_of(chat, MANAGER)
    assert "hinzugefügt" in await chat.ask(
        f"!thema add {network_id} Quantensensorik", sender=MANAGER
    )
    assert "schon" in await chat.ask(f"!thema add {network_id} quantensensorik", sender=MANAGER)
    assert "Quantensensorik" in plugin(chat).snapshot().kb.network(network_id).topics  # type: ignore[union-attr]
    # The index follows the change at once.
    assert plugin(chat).who_handles("Quantensensorik")[0].network_id == network_id
    refused = await chat.ask(f"!thema remove {network_id} Quantensensorik", sender="@bob:test")
    assert "Das dürfen nur die Ansprechpartner" in refused
    assert "entfernt" in await chat.ask(
        f"!thema remove {network_id} Quantensensorik", sender="@admin:test"
    )
    assert "kein Thema" in await chat.ask(
        f"!thema remove {network_id} Quantensensorik", sender=MANAGER
    )


async def test_contacts_can_be_added_and_removed(chat: Chat) -> None:
    network_id = network_of(chat, MANAGER)
    added = await chat.ask(f"!kontakt add {network_id} @neu:example.org Nora Neu", sender=MANAGER)
    assert "Nora Neu ist jetzt Ansprechpartner" in added
    assert any(
        c.matrix == "@neu:example.org"
        for c in plugin(chat).snapshot().kb.network(network_id).contacts
    )  # type: ignore[union-attr]
    # The new contact may now edit the network, too.
    assert "hinzugefügt" in await chat.ask(
        f"!thema add {network_id} Neuland", sender="@neu:example.org"
    )
    removed = await chat.ask(f"!kontakt remove {network_id} @neu:example.org", sender="@admin:test")
    assert "kein Ansprechpartner" in removed and "mehr" in removed


async def test_edits_name_their_network_exactly_never_by_a_guess(chat: Chat) -> None:
    # "EWN" (short name) and "energiewende" (id) are exact; a near miss is not taken for an edit.
    assert "hinzugefügt" in await chat.ask("!thema add EWN Agri-PV", sender="@admin:test")
    assert "schon" in await chat.ask("!thema add energiewende agri-pv", sender="@admin:test")
    refused = await chat.ask(
        "!thema add Energiewende-Netzwerk-Thüringn Biogas", sender="@admin:test"
    )
    assert "Welches Netzwerk meinen Sie" in refused and refused.endswith("etwa: energiewende")
    assert "Biogas" not in plugin(chat).snapshot().kb.network("energiewende").topics  # type: ignore[union-attr]
    # Showing a profile may still take the one clearly closest name.
    assert "Energiewende-Netzwerk Thüringen" in await chat.ask(
        "!netzwerk Energiewende-Netzwerk Thüringn"
    )


async def test_edits_take_a_networks_full_name_without_quotes(chat: Chat) -> None:
    """The longest start of the arguments that names a network exactly is the network."""
    admin = "@admin:test"
    full = "Netzwerk Maschinen- und Anlagenbau Thüringen"
    assert await chat.ask(f"!thema add {full} Blech", sender=admin) == (
        "Thema Blech bei MAT hinzugefügt."
    )
    assert (
        await chat.ask("!thema add Energiewende-Netzwerk Thüringen Grüne Fernwärme", sender=admin)
        == "Thema Grüne Fernwärme bei EWN hinzugefügt."
    )
    assert "entfernt" in await chat.ask(f'!thema remove "{full}" Blech', sender=admin)
    added = await chat.ask(f"!kontakt add {full} @neu:example.org Nora Neu", sender=admin)
    assert added == "Nora Neu ist jetzt Ansprechpartner bei MAT."
    removed = await chat.ask(f"!kontakt remove {full} @neu:example.org", sender=admin)
    assert removed == "@neu:example.org ist kein Ansprechpartner bei MAT mehr."
    network = plugin(chat).snapshot().kb.network("energiewende")
    assert network is not None and "Grüne Fernwärme" in network.topics
    # What is missing or wrong after the name is said as for a short name.
    assert (await chat.ask(f"!thema add {full}", sender=admin)).startswith(
        "Da fehlt noch etwas: Thema.\nAufruf: !thema add <Netzwerk> <Thema>"
    )
    assert (await chat.ask(f"!kontakt add {full}", sender=admin)).startswith(
        "Da fehlt noch etwas: Person."
    )
    assert "bob ist keine Matrix-ID" in await chat.ask(f"!kontakt add {full} bob Bob", sender=admin)
    assert "Da fehlt noch etwas: Name." in await chat.ask(
        f"!kontakt add {full} @neu:example.org", sender=admin
    )
    left_over = await chat.ask(f"!kontakt remove {full} @neu:example.org extra", sender=admin)
    assert left_over.startswith("Zu viel angegeben: extra\nAufruf: !kontakt remove")
    # A near miss of a long name is named whole, and nothing is changed.
    refused = await chat.ask(
        "!thema add Netzwerk Maschinen- und Anlagenbau Thüringn Blech", sender=admin
    )
    assert refused.startswith(
        "Welches Netzwerk meinen Sie mit Netzwerk Maschinen- und Anlagenbau Thüringn?"
    ) and refused.endswith("etwa: maschinenbau"), refused
    network = plugin(chat).snapshot().kb.network("maschinenbau")
    assert network is not None and "Blech" not in network.topics


async def test_a_network_has_at_most_50_contacts(chat: Chat) -> None:
    network_id = network_of(chat, MANAGER)
    have = len(plugin(chat).snapshot().kb.network(network_id).contacts)  # type: ignore[union-attr]
    for i in range(50 - have):
        await chat.ask(f"!kontakt add {network_id} @c{i}:example.org Person {i}", sender=MANAGER)
    refused = await chat.ask(f"!kontakt add {network_id} @zu:example.org Zu Viel", sender=MANAGER)
    assert "schon 50 Ansprechpartner" in refused
    assert len(plugin(chat).snapshot().kb.network(network_id).contacts) == 50  # type: ignore[union-attr]


async def test_user_strings_are_escaped(chat: Chat) -> None:
    await chat.ask("!wer <script>alert(1)</script>")
    assert "<script>" not in chat.last.message.html


async def test_import_is_idempotent_and_updates_in_place(db_url: str, settings: Settings) -> None:
    store = Store(db_url, [DirectoryPlugin.migrations])  # type: ignore[list-item]
    store.upgrade()
    kb = load_kb(DEMO_KB.read_text("utf-8"))
    from datetime import UTC, datetime

    now = datetime.now(UTC)
    with store.transaction() as session:
        first = service.replace_all(session, kb, now)
    assert len(first.added) == len(kb.networks)
    with store.transaction() as session:
        version = service.kb_version(session)
        again = service.replace_all(session, kb, now)
        assert not again.changed and service.kb_version(session) == version
    with store.session() as session:
        assert service.load(session) == kb
    changed = load_kb(DEMO_KB.read_text("utf-8").replace("Anna Schmidt", "Anna Schmidt-Berg", 1))
    with store.transaction() as session:
        report = service.replace_all(session, changed, now)
    assert len(report.updated) == 1 and not report.added and not report.removed
    with store.session() as session:
        assert service.load(session) == changed
    store.dispose()


async def test_cli_import_export_and_who_json(
    settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import argparse

    settings = settings.model_copy(update={"plugins": ["directory"]})
    assert await cli_import(settings, argparse.Namespace(file=DEMO_KB)) == 0
    assert "Wissensbasis importiert" in capsys.readouterr().out
    out = tmp_path / "export.yaml"
    assert await cli_export(settings, argparse.Namespace(output=out)) == 0
    assert load_kb(out.read_text("utf-8")) == load_kb(DEMO_KB.read_text("utf-8"))
    assert await cli_export(settings, argparse.Namespace(output=tmp_path)) == 1
    assert capsys.readouterr().err == f"{tmp_path} ist ein Verzeichnis, keine Datei.\n"
    assert await cli_who(settings, argparse.Namespace(query="Energie", json=True, limit=2)) == 0
    result = json.loads(capsys.readouterr().out)
    assert 1 <= len(result) <= 2
    assert set(result[0]) == {"id", "name", "short", "score", "matched", "contacts"}
    assert [r["score"] for r in result] == sorted((r["score"] for r in result), reverse=True)
    # A network found by its description alone says so, in the bot's language.
    assert await cli_who(settings, argparse.Namespace(query="Lasern", json=True, limit=3)) == 0
    (first, *_) = json.loads(capsys.readouterr().out)
    assert set(first) == {"id", "name", "short", "score", "matched", "contacts"}
    assert (first["id"], first["matched"]) == ("photonik", ["Beschreibung: Lasern"])
    assert await cli_who(settings, argparse.Namespace(query="Lasern", json=False, limit=3)) == 0
    assert "passt laut Beschreibung: Lasern" in capsys.readouterr().out


async def test_bad_kb_file_is_rejected_whole_with_line_numbers(
    settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import argparse

    settings = settings.model_copy(update={"plugins": ["directory"]})
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "networks:\n  - id: ok\n    name: Gut\n  - id: Böse Id\n    topcis: [x]\n", "utf-8"
    )
    assert await cli_import(settings, argparse.Namespace(file=bad)) == 1
    err = capsys.readouterr().err
    assert "nicht importiert" in err and "Zeile 4" in err
    assert await cli_export(settings, argparse.Namespace(output=None)) == 0
    assert "Gut" not in capsys.readouterr().out  # nothing half-written


async def test_cli_import_says_what_is_wrong_with_the_file_in_the_cli_language(
    settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import argparse

    settings = settings.model_copy(update={"plugins": ["directory"]})

    async def error_of(path: Path, language: str = "de") -> str:
        chosen = settings.model_copy(update={"language": language})
        assert await cli_import(chosen, argparse.Namespace(file=path)) == 1
        return capsys.readouterr().err

    missing = tmp_path / "fehlt.yaml"
    assert await error_of(missing) == f"Datei nicht gefunden: {missing}\n"
    assert await error_of(missing, "en") == f"File not found: {missing}\n"
    assert await error_of(tmp_path) == f"{tmp_path} ist ein Verzeichnis, keine Datei.\n"
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("networks:\n  - id: a\n    name: Grün\n".encode("latin-1"))
    assert "ist keine UTF-8-Textdatei (Zeile 3)" in await error_of(latin)
    empty = tmp_path / "leer.yaml"
    empty.write_text("", "utf-8")
    assert await error_of(empty) == (
        f"Die Datei {empty} wurde nicht importiert (1 Fehler):\n"
        "  die Datei ist leer (oder enthält nur Kommentare); sie braucht mindestens 'networks:'\n"
    )
    broken = tmp_path / "kaputt.yaml"
    broken.write_text("networks:\n  - id: a\n    name: [Netz\n", "utf-8")
    assert "  Zeile 3: eine hier mit [ begonnene Liste wird nicht mit ] geschlossen" in (
        await error_of(broken)
    )
    assert "  line 3: a list opened here with [ is not closed with ]" in await error_of(
        broken, "en"
    )


async def test_question_words_after_the_command_are_not_part_of_the_topic(chat: Chat) -> None:
    english = await chat.ask("!who handles hydrogen?")
    assert english.startswith("Zuständig für hydrogen:")
    german = await chat.ask("!wer ist zuständig für Wasserstoff?")
    assert german.startswith("Zuständig für Wasserstoff:")
    assert (await chat.ask("!wer Wasserstoff?")).startswith("Zuständig für Wasserstoff:")


async def test_a_leading_preposition_or_article_is_not_part_of_the_topic(chat: Chat) -> None:
    assert (await chat.ask("!wer für Photovoltaik")).startswith("Zuständig für Photovoltaik:")
    assert (await chat.ask("!wer zu Laser")).startswith("Zuständig für Laser:")
    assert (await chat.ask("!who about hydrogen")).startswith("Zuständig für hydrogen:")
    # Only such words, or only punctuation, are answered as nothing typed is.
    missing = "Da fehlt noch etwas: Thema.\nAufruf: !wer <Thema>"
    assert await chat.ask("!wer") == missing
    for typed in ("!wer für", "!wer zur", "!wer ?", "!who about"):
        assert await chat.ask(typed) == missing, typed


async def test_cli_who_refuses_an_empty_query_as_the_room_does(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    import argparse

    settings = settings.model_copy(update={"plugins": ["directory"]})
    await cli_import(settings, argparse.Namespace(file=DEMO_KB))
    capsys.readouterr()
    for query in ("", "   ", "für", "zu ?"):
        for as_json in (False, True):
            args = argparse.Namespace(query=query, json=as_json, limit=3)
            assert await cli_who(settings, args) == 2
            out, err = capsys.readouterr()
            assert out == ""
            assert err.startswith("Da fehlt noch etwas: Thema.\nAufruf: lotse kb who"), err
    args = argparse.Namespace(query="für Photovoltaik", json=False, limit=3)
    assert await cli_who(settings, args) == 0
    assert capsys.readouterr().out.startswith("Zuständig für Photovoltaik:")


async def test_cli_who_on_an_empty_directory_says_so_as_the_room_does(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    import argparse

    settings = settings.model_copy(update={"plugins": ["directory"]})
    empty = (
        "Das Verzeichnis ist noch leer. Ein Admin kann es mit lotse kb import DATEI.yaml füllen."
    )
    args = argparse.Namespace(query="Laser", json=False, limit=3)
    assert await cli_who(settings, args) == 0
    assert capsys.readouterr().out == empty + "\n"
    args = argparse.Namespace(query="Laser", json=True, limit=3)
    assert await cli_who(settings, args) == 0
    out, err = capsys.readouterr()
    assert json.loads(out) == [] and err == empty + "\n"


async def test_a_long_query_is_shown_shortened_with_an_ellipsis(chat: Chat) -> None:
    text = await chat.ask("!wer " + "Bienenzucht " * 20)
    assert "Bienenzucht Bienenzucht" in text and "…" in text


async def test_room_edits_keep_the_kb_exportable(chat: Chat) -> None:
    """Room edits obey the file's rules, so that an export always imports again."""
    admin = "@admin:test"
    refused = [
        ("!thema add energiewende Waermepumpen", "EWN hat das Thema Wärmepumpen schon."),
        ("!thema add energiewende Agri\u00adPV", "unsichtbare Steuerzeichen"),
        ("!kontakt add maschinenbau @neu:example.org Anna Schmidt", "Anna Schmidt ist schon"),
        ("!kontakt add maschinenbau @ANNA.SCHMIDT:example.org Anna S", "Anna Schmidt ist schon"),
        ("!kontakt add maschinenbau @x:exa_mple.org Xaver", "keine Matrix-ID"),
        ("!kontakt add maschinenbau @neu:example.org Nora\u200cNeu", "Steuerzeichen"),
        ("!thema add energiewende " + "x" * 201, "höchstens 200 Zeichen"),
    ]
    before = plugin(chat).snapshot().kb
    for command, answer in refused:
        assert answer in await chat.ask(command, sender=admin), command
    assert plugin(chat).snapshot().kb == before
    for command in [
        "!thema add energiewende Agri-PV",
        "!thema remove energiewende waermepumpen",  # the file's spelling rule, both ways
        "!kontakt add maschinenbau @neu:example.org Nora Neu",
        "!kontakt remove maschinenbau @JOERG.WAGNER:example.org",
    ]:
        await chat.ask(command, sender=admin)
    kb = plugin(chat).snapshot().kb
    energiewende, maschinenbau = kb.network("energiewende"), kb.network("maschinenbau")
    assert energiewende is not None and maschinenbau is not None
    assert "Agri-PV" in energiewende.topics and "Wärmepumpen" not in energiewende.topics
    assert [c.matrix for c in maschinenbau.contacts] == [
        "@anna.schmidt:example.org",
        "@neu:example.org",
    ]
    assert load_kb(dump_kb(kb)) == kb


async def test_a_topic_must_hold_a_word_to_find_it_by(chat: Chat) -> None:
    admin = "@admin:test"
    before = plugin(chat).snapshot().kb
    for topic in ("a", "🚀", "für die", '"x"', "KI, a"):
        refused = await chat.ask(f"!thema add digital {topic}", sender=admin)
        assert "könnte niemand finden" in refused, topic
    assert plugin(chat).snapshot().kb == before  # "KI, a": nothing of it added
    assert "hinzugefügt" in await chat.ask("!thema add digital 5G", sender=admin)


async def test_topics_are_unquoted_and_a_list_adds_several(chat: Chat) -> None:
    admin = "@admin:test"

    def topics() -> tuple[str, ...]:
        network = plugin(chat).snapshot().kb.network("digital")
        assert network is not None
        return network.topics

    before = topics()
    assert await chat.ask('!thema add digital "Cloud Native"', sender=admin) == (
        "Thema Cloud Native bei DiWiTh hinzugefügt."
    )
    assert topics() == (*before, "Cloud Native")
    assert "Cloud Native" in plugin(chat).who_handles("Cloud Native")[0].matched
    answer = await chat.ask(
        "!thema add digital Künstliche Intelligenz, Maschinelles Lernen, „Deep Learning“, "
        "maschinelles lernen,",
        sender=admin,
    )
    assert answer == (
        "Themen Maschinelles Lernen, Deep Learning bei DiWiTh hinzugefügt.\n"
        "DiWiTh hat das Thema Künstliche Intelligenz schon."
    )
    # A decimal comma is no separator; a quoted topic keeps its comma.
    assert await chat.ask('!thema add digital Industrie 4,0; "Edge, Fog"', sender=admin) == (
        "Themen Industrie 4,0; Edge, Fog bei DiWiTh hinzugefügt."
    )
    assert topics() == (
        *before,
        "Cloud Native",
        "Maschinelles Lernen",
        "Deep Learning",
        "Industrie 4,0",
        "Edge, Fog",
    )
    kb = plugin(chat).snapshot().kb
    assert load_kb(dump_kb(kb)) == kb  # the file's rules still hold
    # Removed alike; a topic with a comma of its own is named whole.
    assert await chat.ask("!thema remove digital Edge, Fog", sender=admin) == (
        "Thema Edge, Fog bei DiWiTh entfernt."
    )
    assert await chat.ask(
        '!thema remove digital deep learning, Quatsch, "Cloud Native"', sender=admin
    ) == ("Themen Deep Learning, Cloud Native bei DiWiTh entfernt.\nDiWiTh hat kein Thema Quatsch.")
    assert await chat.ask("!thema remove digital Quatsch, Unsinn", sender=admin) == (
        "DiWiTh hat die Themen Quatsch, Unsinn nicht."
    )
    assert topics() == (*before, "Maschinelles Lernen", "Industrie 4,0")
    assert (await chat.ask("!thema add digital , ;", sender=admin)).startswith(
        "Da fehlt noch etwas: Thema."
    )


async def test_a_list_of_topics_stays_within_the_limit(chat: Chat) -> None:
    admin = "@admin:test"
    have = len(plugin(chat).snapshot().kb.network("digital").topics)  # type: ignore[union-attr]
    more = ", ".join(f"Thema{i}" for i in range(service.MAX_TOPICS - have + 1))
    refused = await chat.ask(f"!thema add digital {more}", sender=admin)
    assert refused == (
        f"DiWiTh hat {have} Themen; {service.MAX_TOPICS - have + 1} weitere wären mehr als "
        f"die erlaubten {service.MAX_TOPICS}."
    )
    assert len(plugin(chat).snapshot().kb.network("digital").topics) == have  # type: ignore[union-attr]


async def test_contacts_keep_their_order_after_removals(chat: Chat) -> None:
    admin = "@admin:test"
    for user in ("@a:example.org", "@b:example.org"):
        await chat.ask(f"!kontakt add maschinenbau {user} Person {user[1]}", sender=admin)
    await chat.ask("!kontakt remove maschinenbau @a:example.org", sender=admin)
    await chat.ask("!kontakt add maschinenbau @c:example.org Person c", sender=admin)
    network = plugin(chat).snapshot().kb.network("maschinenbau")
    assert network is not None
    assert [c.matrix for c in network.contacts] == [
        "@anna.schmidt:example.org",
        "@joerg.wagner:example.org",
        "@b:example.org",
        "@c:example.org",
    ]
    with plugin(chat).store.session() as session:
        rows = session.exec(select(ContactRow).where(ContactRow.network_id == "maschinenbau")).all()
    positions = [row.position for row in rows]
    assert len(set(positions)) == len(positions)  # no tie left for the database to break


# Requests as filed with !anfrage: the tickets plugin asks who_handles(ticket.text, limit=3).
REQUESTS = [
    (
        "Guten Tag, die Schreinerei Müller aus Gera plant eine neue Lagerhalle mit großer "
        "Dachfläche und möchte wissen, an wen sie sich mit ihren Fragen zur Förderung von "
        "Photovoltaik wenden können.",
        "energiewende",
    ),
    (
        "Ein Zulieferer aus Eisenach sucht Kontakt zu anderen Betrieben, die Erfahrung mit dem "
        "Lieferkettengesetz haben. Die Geschäftsführung fragt, ob es dazu Veranstaltungen oder "
        "einen Leitfaden gibt.",
        "logistik",
    ),
    (
        "Wir haben eine Anfrage von einem Start-up aus Jena, das eine Software für "
        "Bildverarbeitung in der Qualitätskontrolle entwickelt und Partner für ein "
        "Pilotprojekt sucht.",
        "photonik",
    ),
    (
        "Eine Bäckerei mit 40 Mitarbeitern findet keine Azubis mehr. Der Inhaber bittet um "
        "Rückruf, welche Programme es gegen den Fachkräftemangel gibt.",
        "fachkraefte",
    ),
    (
        "Firma Schmidt Kunststofftechnik möchte ihre Produktionsabfälle recyceln und sucht "
        "Abnehmer für Rezyklate.",
        "kunststoffe",
    ),
    (
        "Ein Hotel in Oberhof fragt nach Unterstützung für Marketing und möchte sich an "
        "Kooperationen mit anderen Gastgebern beteiligen.",
        "tourismus",
    ),
    (
        "Ein Pflegedienst aus Weimar möchte seine Dokumentation digitalisieren und fragt nach "
        "Erfahrungen mit Telemedizin und Datenschutz bei Patientendaten.",
        "gesundheit",
    ),
    (
        "A machine builder from Erfurt would like to know who can advise on hydrogen fuel "
        "cells for their forklifts. Please get back to them next week.",
        "wasserstoff",
    ),
]
# Texts that name no subject of the directory: no suggestion rather than noise.
NOT_REQUESTS = [
    "Herr Meier hat angerufen und bittet um Rückruf wegen eines Termins nächste Woche.",
    "Bitte denkt daran, dass das Büro am Freitag geschlossen ist und die Post erst am Montag "
    "bearbeitet wird.",
    "Frau Lehmann von der Stadtverwaltung Suhl hat angerufen. Sie sucht für das Sommerfest "
    "noch Helfer und fragt, ob jemand aus dem Netzwerk Zeit hat.",
    "Etwas ganz anderes",
]


@pytest.mark.parametrize(("text", "network"), REQUESTS)
async def test_who_handles_a_request_text(chat: Chat, text: str, network: str) -> None:
    found = plugin(chat).who_handles(text, limit=3)
    assert found and found[0].network_id == network, found
    assert found[0].matched  # and says why
    assert all(hit.score >= TEXT_MIN_SCORE for hit in found)


# A request naming several subjects: each gets its network before any gets a second one.
SEVERAL_SUBJECTS = [
    (
        "Ein Maschinenbauer aus Suhl sucht Fördermittel für eine Photovoltaik-Anlage auf dem "
        "Hallendach",
        {"maschinenbau", "gruendung", "energiewende"},
    ),
    (
        "Ein Start-up für Medizintechnik sucht Fachkräfte und Kontakte zu Kunststoff-Spritzgießern",
        {"medtech", "fachkraefte", "kunststoffe"},
    ),
]


@pytest.mark.parametrize(("text", "networks"), SEVERAL_SUBJECTS)
async def test_who_handles_spreads_over_a_requests_subjects(
    chat: Chat, text: str, networks: set[str]
) -> None:
    found = plugin(chat).who_handles(text, limit=3)
    assert {hit.network_id for hit in found} == networks, found


@pytest.mark.parametrize("text", NOT_REQUESTS)
async def test_who_handles_suggests_nothing_for_other_text(chat: Chat, text: str) -> None:
    assert plugin(chat).who_handles(text, limit=3) == []


async def test_answers_say_why_also_without_a_topic(chat: Chat) -> None:
    # Introduced without a colon of their own: no "passt zu: Beschreibung: Lasern".
    text = await chat.ask("!wer Lasern")
    assert "LichtWerk" in text and "passt laut Beschreibung: Lasern" in text
    jena = await chat.ask("!wer Jena")  # Jena is in descriptions only
    assert "passt laut Beschreibung: Jena" in jena and "passt zu: Beschreibung" not in jena
    english = await chat.ask("who knows about Energiesysteme?")
    assert "matches in Role: Referent Energiesysteme" in english
    # A topic still says "passt zu:".
    assert "passt zu: Photovoltaik" in await chat.ask("!wer Photovoltaik")


async def test_a_slow_rebuild_runs_off_the_event_loop(
    chat: Chat, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory = plugin(chat)
    directory.snapshot()  # the demo KB indexed
    directory.inline_build_networks = 0  # as if the KB were large (10,000 networks)
    threads: list[int] = []
    release = threading.Event()  # the build waits for it: "meanwhile" must not be a race

    class Recording(DirectoryIndex):
        @classmethod
        def build(cls, kb: KnowledgeBase, cache_words: int = CACHE_WORDS) -> DirectoryIndex:
            threads.append(threading.get_ident())
            release.wait(timeout=30)
            return DirectoryIndex.build(kb, cache_words)

    monkeypatch.setattr("plugins.directory.DirectoryIndex", Recording)
    await chat.ask("!thema add energiewende Quantensensorik", sender="@admin:test")
    # The old index answers meanwhile; the loop is free to handle other messages.
    assert not any(h.network_id == "energiewende" for h in directory.who_handles("Quantensensorik"))
    assert await chat.say("Wer ist zuständig für Photovoltaik?")
    release.set()
    await directory.index_ready()
    assert directory.who_handles("Quantensensorik")[0].network_id == "energiewende"
    assert threads and threading.get_ident() not in threads


async def test_a_small_kb_shows_an_edit_at_once_even_when_the_machine_is_slow(
    chat: Chat, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory = plugin(chat)

    class Slow(DirectoryIndex):  # a busy CI machine: every build takes 0.3 s
        @classmethod
        def build(cls, kb: KnowledgeBase, cache_words: int = CACHE_WORDS) -> DirectoryIndex:
            time.sleep(0.3)
            return DirectoryIndex.build(kb, cache_words)

    monkeypatch.setattr("plugins.directory.DirectoryIndex", Slow)
    await chat.ask("!thema add energiewende Quantensensorik", sender="@admin:test")
    directory.snapshot()  # slow, but the 24 networks' index is the new one at once
    await chat.ask("!thema add photonik Metamaterialien", sender="@admin:test")
    assert directory.who_handles("Metamaterialien")[0].network_id == "photonik"
    assert "Quantensensorik" in await chat.ask("!wer Quantensensorik")


async def test_network_of_user_names_the_single_network_a_person_is_contact_of(
    chat: Chat,
) -> None:
    directory = plugin(chat)
    home = network_of(chat, MANAGER)
    assert directory.network_of_user(MANAGER) == home
    # Exactly as written, as for editing the directory: another case is another user.
    assert directory.network_of_user(MANAGER.upper()) is None
    assert not service.is_manager(directory.snapshot().by_id[home], MANAGER.upper())
    assert directory.network_of_user("@nobody:example.org") is None
    other = next(n.id for n in directory.snapshot().kb.networks if n.id != home)
    await chat.ask(f"!kontakt add {other} {MANAGER} Anna Schmidt", sender="@admin:test")
    assert directory.network_of_user(MANAGER) is None  # two networks: no single answer
    assert directory.networks_of_user(MANAGER) == {home, other}
    assert directory.networks_of_user(MANAGER.upper()) == frozenset()
    assert directory.networks_of_user("@nobody:example.org") == frozenset()


@pytest.mark.parametrize("limit", ["0", "-1", "51", "1000", "drei", "2.5"])
def test_cli_who_refuses_a_limit_out_of_range(
    limit: str, capsys: pytest.CaptureFixture[str]
) -> None:
    parser = build_parser([DirectoryPlugin])
    with pytest.raises(SystemExit) as exited:
        parser.parse_args(["kb", "who", "Wasserstoff", "--limit", limit])
    assert exited.value.code == 2
    assert "--limit: must be a whole number from 1 to 50" in capsys.readouterr().err


def test_cli_who_takes_a_limit_in_range() -> None:
    parser = build_parser([DirectoryPlugin])
    for limit in (1, 50):
        args = parser.parse_args(["kb", "who", "Wasserstoff", "--limit", str(limit)])
        assert args.limit == limit
    assert parser.parse_args(["kb", "who", "Wasserstoff"]).limit == 3
