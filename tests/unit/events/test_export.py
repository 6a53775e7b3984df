"""The aggregated calendar: valid iCalendar that reads back into the same occurrences."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import icalendar

from plugins.events.dates import parse_event_spec
from plugins.events.export import to_ics
from plugins.events.ical import expand, parse_calendar
from plugins.events.occurrence import Occurrence, merge_duplicates, occurrence_from_spec
from tests.unit.events.helpers import BERLIN, WEEK, local, week

STAMP = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)


def digest() -> list[Occurrence]:
    feeds = (
        week("dedup_a.ics")
        + week("dedup_b.ics")
        + week("allday.ics")
        + week("utc_edge.ics")
        + week("floating.ics")
    )
    manual = occurrence_from_spec(
        parse_event_spec("2.12. 14-16 Uhr Sprechstunde; Fragen, Antworten | Büro", WEEK, BERLIN),
        "manual-7@lotse",
        ("Lotse",),
    )
    return merge_duplicates([*feeds, manual])


def comparable(occurrences: list[Occurrence]) -> list[tuple[object, ...]]:
    return [
        (o.title, o.start, o.end, o.all_day, o.location, o.url, o.description) for o in occurrences
    ]


def test_round_trip_through_parse_calendar() -> None:
    original = digest()
    data = to_ics(original, "-//Lotse//Termine//DE", BERLIN, name="Netzwerktermine", stamp=STAMP)
    again = expand(parse_calendar(data), "lotse", WEEK, WEEK + timedelta(days=7), BERLIN)
    assert comparable(again) == comparable(original)
    # the multi-day fair started before the window and still comes back whole
    assert any(o.all_day and o.start == date(2026, 11, 27) for o in again)


def test_structure() -> None:
    original = digest()
    data = to_ics(original, "-//Lotse//Termine//DE", BERLIN, name="Netzwerktermine", stamp=STAMP)
    calendar = icalendar.Calendar.from_ical(data)
    assert calendar["PRODID"] == "-//Lotse//Termine//DE"
    assert calendar["VERSION"] == "2.0"
    assert str(calendar["X-WR-CALNAME"]) == "Netzwerktermine"
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]
    events = calendar.events
    assert len(events) == len(original)
    uids = [str(event["UID"]) for event in events]
    assert len(set(uids)) == len(uids)
    assert uids == [f"{o.key}@lotse" for o in original]
    assert all(event.DTSTAMP == STAMP for event in events)
    text = data.decode()
    assert "DTSTART;VALUE=DATE:20261127" in text
    assert "DTSTART;TZID=Europe/Berlin:20261130T003000" in text
    merged = next(e for e in events if str(e["SUMMARY"]) == "Unternehmerfrühstück")
    assert [str(category) for category in merged.categories] == ["dedup_a", "dedup_b"]
    assert "\r\n" in text  # RFC 5545 line endings


def test_same_input_same_bytes() -> None:
    one = to_ics(digest(), "p", BERLIN, stamp=STAMP)
    two = to_ics(digest(), "p", BERLIN, stamp=STAMP)
    assert one == two


def test_empty_calendar_is_valid() -> None:
    data = to_ics([], "p", BERLIN, stamp=STAMP)
    calendar = parse_calendar(data)
    assert calendar.event_count == 0
    assert expand(calendar, "x", WEEK, WEEK + timedelta(days=7), BERLIN) == []


def test_timed_occurrence_without_duration() -> None:
    spec = parse_event_spec("1.12. 10 Uhr Kurz", WEEK, BERLIN)
    data = to_ics([occurrence_from_spec(spec, "k", ("L",))], "p", BERLIN, stamp=STAMP)
    (back,) = expand(parse_calendar(data), "x", WEEK, WEEK + timedelta(days=7), BERLIN)
    assert back.start == back.end == local(2026, 12, 1, 10)
