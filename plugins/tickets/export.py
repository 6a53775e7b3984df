"""`lotse tickets export`: every ticket as CSV (for a spreadsheet) or JSON (for programs).

CSV is written for the spreadsheet people really open it in: UTF-8 with a BOM (or Excel
guesses the wrong encoding), `;` on request (German Excel expects it), every field quoted,
times as `YYYY-MM-DD HH:MM` in LOTSE_TIMEZONE, and cells that a spreadsheet would run as a
formula (`=`, `+`, `-`, `@` first, also right after a `,` or `;` where a spreadsheet guessing
the other separator would start a cell) prefixed with `'`. The JSON export keeps every text
exactly.

JSON is for programs: times in ISO 8601 with offset (UTC), stable key order, tickets ordered
by room and number, each with its audit trail. `format`/`version` say what it is.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import sys
from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.cli_args import write_output
from bot.config import Settings
from plugins.tickets import service
from plugins.tickets.models import Ticket, TicketEvent

JSON_FORMAT = "lotse-tickets"
JSON_VERSION = 1
BOM = "\ufeff"
CSV_COLUMNS = (
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
    "comments",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_AFTER_SEPARATOR = re.compile(r"([,;\t] *)([=+\-@])")

NetworkName = Callable[[str], str | None]


def ticket_record(
    ticket: Ticket, events: list[TicketEvent], network_name: NetworkName
) -> dict[str, Any]:
    """One ticket as the JSON export shows it; keys in a fixed order."""
    return {
        "room_id": ticket.room_id,
        "number": ticket.number,
        "status": ticket.status,
        "title": ticket.title,
        "text": ticket.text,
        "company": ticket.company,
        "contact_name": ticket.contact_name,
        "contact_email": ticket.contact_email,
        "contact_phone": ticket.contact_phone,
        "filed_by": ticket.filed_by,
        "claimed_by": ticket.claimed_by,
        "assignee": ticket.assignee_user,
        "network_id": ticket.network_id,
        "network_name": network_name(ticket.network_id) if ticket.network_id else None,
        "created_at": _iso(ticket.created_at),
        "updated_at": _iso(ticket.updated_at),
        "closed_at": _iso(ticket.closed_at),
        "close_note": ticket.close_note,
        "events": [
            {"at": _iso(e.at), "actor": e.actor, "action": e.action, "detail": e.detail}
            for e in events
        ],
    }


def export_json(
    session: Session,
    *,
    room_id: str | None,
    now: datetime,
    network_name: NetworkName = lambda _id: None,
) -> str:
    tickets = service.all_tickets(session, room_id)
    events = service.events_by_ticket(session, room_id)
    document = {
        "format": JSON_FORMAT,
        "version": JSON_VERSION,
        "exported_at": _iso(now),
        "room_id": room_id,
        "tickets": [
            ticket_record(ticket, events.get(ticket.id or 0, []), network_name)
            for ticket in tickets
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def export_csv(
    session: Session,
    *,
    room_id: str | None,
    tz: ZoneInfo,
    semicolon: bool = False,
    network_name: NetworkName = lambda _id: None,
) -> str:
    """The CSV text including its BOM; write it to a file as UTF-8, unchanged."""
    tickets = service.all_tickets(session, room_id)
    events = service.events_by_ticket(session, room_id)
    out = io.StringIO()
    # Every cell quoted: a spreadsheet that guesses the other separator must still not split a
    # cell and find a formula at the start of its second half ("Angebot;=1+1").
    writer = csv.writer(
        out, delimiter=";" if semicolon else ",", lineterminator="\r\n", quoting=csv.QUOTE_ALL
    )
    writer.writerow(CSV_COLUMNS)
    for ticket in tickets:
        record = ticket_record(ticket, events.get(ticket.id or 0, []), network_name)
        record["created_at"] = _local(ticket.created_at, tz)
        record["updated_at"] = _local(ticket.updated_at, tz)
        record["closed_at"] = _local(ticket.closed_at, tz)
        record["comments"] = sum(1 for e in record.pop("events") if e["action"] == "commented")
        writer.writerow([_cell(record[column]) for column in CSV_COLUMNS])
    return BOM + out.getvalue()


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _local(moment: datetime | None, tz: ZoneInfo) -> str:
    return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M") if moment is not None else ""


def _cell(value: object) -> str:
    if value is None:
        return ""
    text = str(value)
    # A spreadsheet that splits on the other separator starts a cell after each "," or ";":
    # a formula must not begin there either.
    text = _FORMULA_AFTER_SEPARATOR.sub(r"\1'\2", text)
    # A request starting with "=" must not become a formula in whoever opens the export.
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text


# -- CLI -------------------------------------------------------------------------------------------


def add_cli_parsers(
    subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser
) -> None:
    tickets = subparsers.add_parser("tickets", parents=[common], help="requests (tickets)")
    actions = tickets.add_subparsers(dest="tickets_command", metavar="ACTION", required=True)
    export = actions.add_parser(
        "export", parents=[common], help="export tickets as CSV or JSON for reporting"
    )
    export.add_argument("--format", choices=("csv", "json"), default="csv")
    export.add_argument("--room", default=None, help="only this room (a Matrix room id)")
    export.add_argument(
        "--semicolon", action="store_true", help="CSV with ';' between fields (German Excel)"
    )
    export.add_argument("--output", "-o", default=None, help="file to write (default: stdout)")
    export.set_defaults(handler=run_export)


async def run_export(settings: Settings, args: argparse.Namespace) -> int:
    from bot.cli import plugin_services
    from plugins.contracts import DirectoryApi

    services = await plugin_services(settings)
    try:
        if services.plugin("tickets") is None:
            print("lotse: the tickets plugin is not enabled (LOTSE_PLUGINS)", file=sys.stderr)
            return 2
        directory = services.plugin("directory")
        network_name: NetworkName = (
            directory.network_name if isinstance(directory, DirectoryApi) else lambda _id: None
        )
        with services.store.session() as session:
            if args.format == "json":
                text = export_json(
                    session, room_id=args.room, now=services.clock(), network_name=network_name
                )
            else:
                text = export_csv(
                    session,
                    room_id=args.room,
                    tz=settings.tz,
                    semicolon=args.semicolon,
                    network_name=network_name,
                )
    finally:
        services.store.dispose()
    # UTF-8 bytes as they are: no newline translation, the BOM kept
    t = services.catalogues.translator(settings.language)
    return 0 if write_output(t, text.encode("utf-8"), args.output) else 1
