"""`lotse tickets export`: CSV a spreadsheet opens cleanly, JSON that programs can rely on."""

from __future__ import annotations

import argparse
import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.cli import main
from bot.config import Settings
from plugins.tickets import TicketsPlugin, service
from plugins.tickets.export import BOM, CSV_COLUMNS, export_csv, export_json, run_export
from plugins.tickets.parsing import parse_request
from tests.harness import Chat, FakeClock, make_chat
from tests.unit.tickets.conftest import BOB, OTHER_ROOM, migrated_store
from tests.unit.tickets.doubles import FakeDirectory

TRICKY = (
    '!anfrage =HYPERLINK("http://x.example") Export; "Polen", Tschechien\n'
    "zweite Zeile mit Umlauten äöü ß\n"
    "Firma: Müller & Söhne; Co. KG\n"
    "Telefon: +49 361 1234567"
)


@pytest.fixture
def export_settings(settings: Settings) -> Settings:
    # Only the tickets plugin: the CLI loads what LOTSE_PLUGINS names.
    return settings.model_copy(update={"plugins": ["tickets"]})


@pytest.fixture
async def filled(export_settings: Settings, clock: FakeClock) -> Chat:
    chat = await make_chat(export_settings, [FakeDirectory, TicketsPlugin], clock=clock)
    await chat.ask(TRICKY)
    await chat.ask("!zuweisen 1 export-thueringen")
    clock.now += timedelta(hours=1)
    await chat.ask("!übernehmen 1", sender=BOB)
    await chat.ask("!kommentar 1 Angebot geschickt", sender=BOB)
    await chat.ask("!erledigt 1 erledigt, siehe Mail", sender=BOB)
    await chat.ask("!anfrage Zweite Anfrage")
    await chat.ask("!anfrage Anderer Raum", room=OTHER_ROOM)
    return chat


def read_csv(text: str, delimiter: str = ",") -> list[dict[str, str]]:
    assert text.startswith(BOM)
    return list(csv.DictReader(io.StringIO(text[1:], newline=""), delimiter=delimiter))


def network_name(network_id: str) -> str | None:
    return {"export-thueringen": "Exportnetzwerk Thüringen"}.get(network_id)


async def test_csv_for_a_spreadsheet(filled: Chat) -> None:
    with filled.bot.store.session() as session:
        text = export_csv(
            session, room_id=None, tz=filled.bot.settings.tz, network_name=network_name
        )
    assert text.startswith(BOM + '"room_id","number","status","title","text",')
    assert "\r\n" in text  # RFC 4180 line ends, inside quoted fields the user's own "\n"
    rows = read_csv(text)
    assert [(r["room_id"], r["number"], r["status"]) for r in rows] == [
        (OTHER_ROOM, "1", "open"),
        ("!room:test", "1", "done"),
        ("!room:test", "2", "open"),
    ]
    first = rows[1]
    assert list(first) == list(CSV_COLUMNS)
    # A cell that would run as a formula is defused; quotes, commas, newlines survive.
    assert first["title"] == '\'=HYPERLINK("http://x.example") Export; "Polen", Tschechien'
    assert first["text"].endswith("\nzweite Zeile mit Umlauten äöü ß")
    assert first["company"] == "Müller & Söhne; Co. KG"
    assert first["contact_phone"] == "'+49 361 1234567"
    assert first["filed_by"] == "'@anna:test" and first["claimed_by"] == "'@bob:test"
    assert (first["network_id"], first["network_name"]) == (
        "export-thueringen",
        "Exportnetzwerk Thüringen",
    )
    assert first["created_at"] == "2026-11-23 10:00"  # Europe/Berlin, ISO order
    assert first["closed_at"] == "2026-11-23 11:00"
    assert first["close_note"] == "erledigt, siehe Mail"
    assert first["comments"] == "1"
    assert rows[2]["closed_at"] == "" and rows[2]["company"] == ""


async def test_csv_with_semicolons_for_german_excel(filled: Chat) -> None:
    with filled.bot.store.session() as session:
        text = export_csv(session, room_id="!room:test", tz=filled.bot.settings.tz, semicolon=True)
    header = text[1:].split("\r\n", 1)[0]
    assert header == ";".join(f'"{column}"' for column in CSV_COLUMNS)
    rows = read_csv(text, ";")
    assert [r["number"] for r in rows] == ["1", "2"]
    assert rows[0]["company"] == "Müller & Söhne; Co. KG"
    assert rows[0]["network_name"] == ""  # no directory given: no names
    # The title holds ";" and '"': it must be quoted with doubled quotes.
    assert '"\'=HYPERLINK(""http://x.example"") Export; ""Polen"", Tschechien"' in text


@pytest.mark.parametrize(("semicolon", "other"), [(False, ";"), (True, ",")])
async def test_csv_read_with_the_other_separator_shows_no_formula(
    chat: Chat, semicolon: bool, other: str
) -> None:
    """German Excel opens a double-clicked CSV with ';': a comma file read that way (and the
    other way round) must not split a cell so that a formula starts its second half."""
    await chat.ask(f"!anfrage Beratung gesucht{other}=1+1")
    with chat.bot.store.session() as session:
        text = export_csv(session, room_id=None, tz=chat.bot.settings.tz, semicolon=semicolon)
    for row in csv.reader(io.StringIO(text.removeprefix(BOM)), delimiter=other):
        assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row), row


async def test_json_is_stable_and_complete(filled: Chat) -> None:
    now = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    with filled.bot.store.session() as session:
        text = export_json(session, room_id="!room:test", now=now, network_name=network_name)
        again = export_json(session, room_id="!room:test", now=now, network_name=network_name)
    assert text == again
    document = json.loads(text)
    assert list(document) == ["format", "version", "exported_at", "room_id", "tickets"]
    assert document["format"] == "lotse-tickets" and document["version"] == 1
    assert document["exported_at"] == "2026-12-01T08:00:00+00:00"
    first, second = document["tickets"]
    assert list(first) == [
        "room_id",
        "number",
        "status",
        "title",
        "text",
        "company",
        "contact_name",
        "contact_email",
        "contact_phone",
        "filed_by",
        "claimed_by",
        "assignee",
        "network_id",
        "network_name",
        "created_at",
        "updated_at",
        "closed_at",
        "close_note",
        "events",
    ]
    assert first["title"].startswith('=HYPERLINK("http://x.example")')  # JSON: unaltered
    assert first["contact_phone"] == "+49 361 1234567"
    assert first["created_at"] == "2026-11-23T09:00:00+00:00"
    assert first["closed_at"] == "2026-11-23T10:00:00+00:00"
    assert [(e["action"], e["actor"]) for e in first["events"]] == [
        ("created", "@anna:test"),
        ("assigned", "@anna:test"),
        ("claimed", BOB),
        ("commented", BOB),
        ("closed", BOB),
    ]
    assert first["events"][3]["detail"] == "Angebot geschickt"
    assert second["closed_at"] is None and second["number"] == 2
    assert "äöü" in text  # UTF-8, not \\u escapes


async def test_cli_handler_writes_a_file(
    filled: Chat, export_settings: Settings, tmp_path: Path
) -> None:
    out = tmp_path / "tickets.csv"
    args = argparse.Namespace(format="csv", room=None, semicolon=True, output=str(out))
    assert await run_export(export_settings, args) == 0
    data = out.read_bytes()
    assert data.startswith(BOM.encode("utf-8"))
    rows = read_csv(data.decode("utf-8"), ";")
    assert len(rows) == 3 and rows[1]["company"] == "Müller & Söhne; Co. KG"
    out_json = tmp_path / "tickets.json"
    args = argparse.Namespace(format="json", room=OTHER_ROOM, semicolon=False, output=str(out_json))
    assert await run_export(export_settings, args) == 0
    document = json.loads(out_json.read_text(encoding="utf-8"))
    assert document["room_id"] == OTHER_ROOM
    assert [t["title"] for t in document["tickets"]] == ["Anderer Raum"]


async def test_cli_handler_says_in_one_line_when_it_cannot_write(
    filled: Chat, export_settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nicht-da" / "tickets.csv"
    args = argparse.Namespace(format="csv", room=None, semicolon=False, output=str(missing))
    assert await run_export(export_settings, args) == 1
    error = capsys.readouterr().err
    assert error == f"Das Verzeichnis für {missing} gibt es nicht.\n"


async def test_cli_handler_refuses_when_tickets_are_disabled(
    export_settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = export_settings.model_copy(update={"plugins": ["nothing"]})
    args = argparse.Namespace(format="json", room=None, semicolon=False, output=None)
    assert await run_export(settings, args) == 2
    assert "tickets plugin is not enabled" in capsys.readouterr().err


def test_lotse_tickets_export_command_line(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    env = tmp_path / "lotse.env"
    env.write_text(f"LOTSE_DATA_DIR={tmp_path / 'data'}\nLOTSE_PLUGINS=tickets\n")
    settings = Settings(data_dir=tmp_path / "data", plugins=["tickets"])
    store = migrated_store(settings.db_url)
    with store.transaction() as session:
        when = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
        service.create_ticket(session, "!r:test", "@a:test", when, parse_request("Über uns"))
    store.dispose()
    assert main(["tickets", "export", "--format", "csv", "--env-file", str(env)]) == 0
    output = capsysbinary.readouterr().out
    assert output.startswith(b'\xef\xbb\xbf"room_id","number",')
    assert "Über uns".encode() in output
    assert main(["tickets", "export", "--format", "json", "--env-file", str(env)]) == 0
    document = json.loads(capsysbinary.readouterr().out.decode("utf-8"))
    assert [t["title"] for t in document["tickets"]] == ["Über uns"]
    with pytest.raises(SystemExit):
        main(["tickets", "export", "--format", "xml", "--env-file", str(env)])
