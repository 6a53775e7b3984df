"""`lotse` as operators call it: options in either position, plugins switched off, bad settings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.app import Bot
from bot.cli import main
from bot.config import Settings
from bot.transport.memory import MemoryTransport


def write_env(path: Path, **values: str) -> Path:
    path.write_text("".join(f"{key}={value}\n" for key, value in values.items()))
    return path


async def test_switching_a_plugin_off_keeps_an_existing_database_usable(
    settings: Settings, db_url: str
) -> None:
    everything = Bot(settings.model_copy(update={"database_url": db_url}), MemoryTransport())
    await everything.setup()
    everything.store.dispose()
    only = settings.model_copy(update={"database_url": db_url, "plugins": ["directory"]})
    bot = Bot(only, MemoryTransport())
    await bot.setup()  # used to fail: "Can't locate revision identified by 'events_0001'"
    assert [plugin.name for plugin in bot.plugins] == ["core", "directory"]
    bot.store.dispose()


def test_db_upgrade_with_a_plugin_switched_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    state = tmp_path / "state"
    env = write_env(tmp_path / "x.env", LOTSE_DATA_DIR=str(state))
    assert main(["--env-file", str(env), "db", "upgrade"]) == 0
    write_env(env, LOTSE_DATA_DIR=str(state), LOTSE_PLUGINS="tickets,directory")
    assert main(["--env-file", str(env), "db", "upgrade"]) == 0
    assert "up to date" in capsys.readouterr().out
    assert (state / "lotse.db").exists() and not (tmp_path / "data").exists()


@pytest.mark.parametrize("position", ["before", "after"])
def test_env_file_is_read_before_or_after_the_sub_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, position: str
) -> None:
    monkeypatch.chdir(tmp_path)  # a stray ./data would show the option was ignored
    database = tmp_path / "elsewhere" / "lotse.db"
    env = write_env(tmp_path / "x.env", LOTSE_DATABASE_URL=f"sqlite:///{database}")
    option = ["--env-file", str(env)]
    argv = [*option, "db", "upgrade"] if position == "before" else ["db", "upgrade", *option]
    assert main(argv) == 0
    assert database.exists()
    assert not (tmp_path / "data").exists()


def run_main(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(argv)
    return code, capsys.readouterr().err


@pytest.mark.parametrize(
    ("values", "key"),
    [
        ({"LOTSE_DIGEST_CRON": "bad"}, "LOTSE_DIGEST_CRON"),
        ({"LOTSE_DATABASE_URL": "postgres://lotse:geheim@127.0.0.1/lotse"}, "LOTSE_DATABASE_URL"),
        ({"LOTSE_DATABASE_URL": "mysql://lotse@127.0.0.1/lotse"}, "LOTSE_DATABASE_URL"),
        # Nothing listens on port 1: refused at once.
        (
            {"LOTSE_DATABASE_URL": "postgresql+psycopg://lotse:geheim@127.0.0.1:1/lotse"},
            "LOTSE_DATABASE_URL",
        ),
        ({"LOTSE_DATA_DIR": "{file}/data"}, "LOTSE_DATA_DIR"),
        ({"LOTSE_DATABASE_URL": "sqlite:///{file}/lotse.db"}, "LOTSE_DATABASE_URL"),
    ],
)
@pytest.mark.parametrize("command", [["db", "upgrade"], ["run"], ["digest", "--json"]])
def test_bad_settings_give_one_line_naming_the_key_and_exit_2(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    values: dict[str, str],
    key: str,
    command: list[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    blocker = tmp_path / "a-file"  # a directory cannot be made below a file, not even by root
    blocker.write_text("")
    values = {k: v.replace("{file}", str(blocker)) for k, v in values.items()}
    base = {
        "MATRIX_HOMESERVER": "http://127.0.0.1:1",
        "MATRIX_USER_ID": "@lotse:localhost",
        "MATRIX_ACCESS_TOKEN": "t",
        "LOTSE_DATA_DIR": str(tmp_path / "state"),
    }
    env = write_env(tmp_path / "x.env", **{**base, **values})
    code, err = run_main(["--env-file", str(env), *command], capsys)
    assert code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"lotse: configuration error: {key}: "), err
    assert "geheim" not in err


async def test_shell_says_in_the_users_language_when_a_message_was_not_processed() -> None:
    import io

    from bot.i18n import Catalogues
    from bot.transport.base import EventDeferred, Incoming
    from bot.transport.shell import ShellTransport

    out = io.StringIO()
    shell = ShellTransport("@me:local", stdin=io.StringIO("!ping\n"), stdout=out)
    shell.deferred_note = Catalogues().translator("de")("core.shell.deferred")

    async def store_down(event: Incoming) -> None:
        raise EventDeferred(event.event_id)

    await shell.run(store_down)
    assert out.getvalue().startswith("(!) Nachricht nicht verarbeitet: die Datenbank ist gestört.")


def lotse(args: list[str], data_dir: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LOTSE_DATA_DIR": str(data_dir), "LOTSE_PLUGINS": ""}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args, "--env-file", os.devnull],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_the_shell_speaks_as_an_admin_unless_member(tmp_path: Path) -> None:
    command = "!quelle add Feed ftp://example.org/x.ics\n"  # admin only; refused before fetching
    admin = lotse(["shell"], tmp_path / "a", command)
    member = lotse(["shell", "--member"], tmp_path / "b", command)
    assert admin.returncode == member.returncode == 0, admin.stderr + member.stderr
    assert "Admins" not in admin.stdout
    assert "Admins" in member.stdout


def test_a_closed_pipe_ends_the_cli_quietly(tmp_path: Path) -> None:
    env = {**os.environ, "LOTSE_DATA_DIR": str(tmp_path)}
    cli = subprocess.Popen(
        [sys.executable, "-m", "bot", "kb", "export", "--env-file", os.devnull],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert cli.stdout is not None and cli.stderr is not None
    cli.stdout.close()  # the reader is gone before the first byte, like `| head -c0`
    errors = cli.stderr.read().decode()
    assert cli.wait(timeout=120) == 141
    assert "Traceback" not in errors
