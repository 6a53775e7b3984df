"""Every calendar the icalendar and recurring-ical-events packages ship for their own tests.

They include real exports (Google, Outlook, Apple, Nextcloud ...) and deliberately broken
files. Each must either parse and expand, or fail with FeedError for a reason that this
test confirms independently, with the libraries alone: a parser that turned down good
calendars would fail here, not pass.
"""

from __future__ import annotations

import warnings
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import icalendar
import pytest
import recurring_ical_events
from dateutil.rrule import rrulestr

from plugins.events.errors import FeedError
from plugins.events.ical import expand, parse_calendar
from tests.unit.events.helpers import BERLIN

_ROOTS = [
    Path(icalendar.__file__).parent / "tests",
    Path(recurring_ical_events.__file__).parent / "test",
]
#: How many of them must import (178 of 258 with icalendar 7.3 and recurring-ical-events
#: 3.8; the others are no VCALENDAR, broken, or have no event with a usable time).
MIN_PARSED = 175
_TIME_PROPERTIES = {"DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE", "RECURRENCE-ID"}


def _files() -> list[Path]:
    return sorted({path for root in _ROOTS if root.is_dir() for path in root.rglob("*.ics")})


def _shipped_calendars() -> list[object]:
    files = _files()
    if not files:
        return [
            pytest.param(
                None,
                marks=pytest.mark.skip(
                    reason="icalendar/recurring-ical-events installed without their test "
                    f"calendars (looked in {', '.join(map(str, _ROOTS))})"
                ),
                id="no-shipped-calendars",
            )
        ]
    site = Path(icalendar.__file__).parent.parent
    return [pytest.param(path, id=str(path.relative_to(site))) for path in files]


def _window_around_first_event(calendar: icalendar.Calendar) -> datetime:
    """Most of these calendars are about some day years ago; look there, not only at today."""
    starts = []
    for event in calendar.walk("VEVENT"):
        value = getattr(event["DTSTART"], "dt", None)
        if isinstance(value, datetime):
            starts.append(value.replace(tzinfo=None))
        elif isinstance(value, date):
            starts.append(datetime(value.year, value.month, value.day))
    first = min(starts, default=datetime(2020, 1, 1))
    return first.replace(tzinfo=BERLIN) - timedelta(days=1)


def _read(data: bytes) -> list[Any] | None:
    """What icalendar makes of the file on its own; None if it cannot read it."""
    try:
        return list(icalendar.Calendar.from_ical(data, multiple=True))
    except Exception:  # noqa: BLE001 - any failure means: icalendar cannot read it
        return None


def _unusable(event: Any) -> str | None:
    """Why an event has no usable time, judged with icalendar and dateutil only."""
    broken = {name for name, _ in getattr(event, "errors", ()) if name in _TIME_PROPERTIES}
    if broken:
        return f"icalendar marks {sorted(broken)} broken"
    start = event.get("DTSTART")
    if not isinstance(getattr(start, "dt", None), date):
        return "no readable DTSTART"
    rdates = event.get("RDATE")
    for rdate in rdates if isinstance(rdates, list) else [rdates] if rdates else []:
        if any(not isinstance(item.dt, date | tuple) for item in rdate.dts):
            return "RDATE without a date"
    rules = event.get("RRULE")
    for rule in rules if isinstance(rules, list) else [rules] if rules else []:
        try:
            rrulestr(rule.to_ical().decode(), dtstart=start.dt)
        except (ValueError, TypeError) as error:
            return f"dateutil cannot read the RRULE: {error}"
    return None


def _confirm_rejection(data: bytes, key: str) -> str:
    """The libraries' own reason why a file cannot import, or AssertionError if none."""
    components = _read(data)
    calendars = [c for c in components or () if c.name == "VCALENDAR"]
    if key == "events.feed.not_calendar":
        assert b"BEGIN:VCALENDAR" not in data[:4096].upper()
        assert not calendars
        return "not a VCALENDAR"
    if key in ("events.feed.syntax", "events.feed.unclosed"):
        assert not calendars, "icalendar reads a calendar in it"
        return "icalendar cannot read it"
    if key == "events.feed.no_valid_events":
        events = [e for c in calendars for e in c.walk("VEVENT")]
        reasons = [_unusable(event) for event in events]
        assert events and all(reasons), f"usable events: {reasons}"
        return "; ".join(sorted({str(r) for r in reasons}))
    raise AssertionError(f"unexpected rejection {key}")


@pytest.mark.filterwarnings("ignore")  # the libraries warn about odd TZIDs; not our concern
@pytest.mark.parametrize("path", _shipped_calendars())
def test_parses_and_expands_or_is_genuinely_unusable(path: Path) -> None:
    data = path.read_bytes()
    try:
        calendar = parse_calendar(data)
    except FeedError as error:
        assert str(error)
        assert _confirm_rejection(data, error.key)
        return
    start = _window_around_first_event(calendar.calendar)
    for window_start, days in ((start, 60), (datetime(2026, 11, 30, tzinfo=BERLIN), 7)):
        occurrences = expand(
            calendar, path.stem, window_start, window_start + timedelta(days=days), BERLIN
        )
        for occurrence in occurrences:
            assert occurrence.start <= occurrence.end
            assert isinstance(occurrence.title, str)


def test_most_shipped_calendars_import() -> None:
    files = _files()
    if not files:
        pytest.skip("icalendar/recurring-ical-events installed without their test calendars")
    parsed = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for path in files:
            try:
                parse_calendar(path.read_bytes())
                parsed += 1
            except FeedError:
                pass
    assert parsed >= MIN_PARSED, f"only {parsed} of {len(files)} calendars import"
