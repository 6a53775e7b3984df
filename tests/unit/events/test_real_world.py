"""Every calendar the icalendar and recurring-ical-events packages ship for their own tests.

They include real exports (Google, Outlook, Apple, Nextcloud ...) and deliberately broken
files. Each must either parse and expand, or fail with FeedError: nothing else may escape.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import icalendar
import pytest
import recurring_ical_events

from plugins.events.errors import FeedError
from plugins.events.ical import expand, parse_calendar
from tests.unit.events.helpers import BERLIN

_ROOTS = [
    Path(icalendar.__file__).parent / "tests",
    Path(recurring_ical_events.__file__).parent / "test",
]


def _shipped_calendars() -> list[object]:
    files = sorted({path for root in _ROOTS if root.is_dir() for path in root.rglob("*.ics")})
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


@pytest.mark.filterwarnings("ignore")  # the libraries warn about odd TZIDs; not our concern
@pytest.mark.parametrize("path", _shipped_calendars())
def test_parses_and_expands_or_raises_feed_error(path: Path) -> None:
    try:
        calendar = parse_calendar(path.read_bytes())
        start = _window_around_first_event(calendar.calendar)
        for window_start, days in ((start, 60), (datetime(2026, 11, 30, tzinfo=BERLIN), 7)):
            occurrences = expand(
                calendar, path.stem, window_start, window_start + timedelta(days=days), BERLIN
            )
            for occurrence in occurrences:
                assert occurrence.start <= occurrence.end
                assert isinstance(occurrence.title, str)
    except FeedError as error:
        assert error.key.startswith("events.feed.")
        assert str(error)
