"""Shared bits of the events tests: the hand-written feeds and the usual windows."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from plugins.events.ical import ParsedCalendar, expand, parse_calendar
from plugins.events.occurrence import Occurrence

DATA = Path(__file__).parent / "data"
BERLIN = ZoneInfo("Europe/Berlin")
#: Monday 30 November 2026, the week the digest tests look at.
WEEK = datetime(2026, 11, 30, tzinfo=BERLIN)


def feed(name: str) -> bytes:
    return (DATA / name).read_bytes()


def parsed(name: str) -> ParsedCalendar:
    return parse_calendar(feed(name))


def week(
    name: str, start: datetime = WEEK, days: int = 7, tz: ZoneInfo = BERLIN
) -> list[Occurrence]:
    return expand(parsed(name), name.removesuffix(".ics"), start, start + timedelta(days=days), tz)


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=BERLIN)


def titles_and_starts(occurrences: list[Occurrence]) -> list[tuple[str, datetime | date]]:
    return [(o.title, o.start) for o in occurrences]
