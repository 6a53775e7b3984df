"""The up-front cost estimate that keeps pathological RRULEs away from dateutil."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from icalendar import vRecur

from plugins.events.errors import FeedError
from plugins.events.ical import MAX_CALENDAR_COST, expand, parse_calendar
from plugins.events.recurrence import rule_cost, timestamp, too_frequent
from tests.unit.events.helpers import BERLIN, WEEK

START = datetime(2026, 1, 1, tzinfo=UTC)


def rule(text: str) -> vRecur:
    return vRecur.from_ical(text)


@pytest.mark.parametrize(
    ("text", "dense"),
    [
        ("FREQ=SECONDLY", True),
        ("FREQ=MINUTELY", True),
        ("FREQ=MINUTELY;INTERVAL=4", True),
        ("FREQ=MINUTELY;INTERVAL=15", False),
        ("FREQ=HOURLY", False),
        ("FREQ=HOURLY;BYMINUTE=0,15,30,45", False),
        ("FREQ=HOURLY;BYMINUTE=0,5,10,15,20,25,30,35,40,45,50,55", False),  # every 5 min
        ("FREQ=HOURLY;BYMINUTE=" + ",".join(map(str, range(0, 60, 4))), True),
        ("FREQ=DAILY", False),
        ("FREQ=DAILY;BYHOUR=8,9,10,11,12,13,14,15,16,17;BYMINUTE=0,30", False),
        (
            "FREQ=DAILY;BYHOUR="
            + ",".join(map(str, range(24)))
            + ";BYMINUTE="
            + ",".join(map(str, range(60))),
            True,
        ),
        ("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", False),
        ("FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", False),
    ],
)
def test_too_frequent(text: str, dense: bool) -> None:
    assert too_frequent(rule(text)) is dense


def test_unknown_frequency_is_an_error() -> None:
    with pytest.raises(ValueError):
        too_frequent({"FREQ": ["SOMETIMES"]})


def test_cost_grows_with_the_distance_from_dtstart() -> None:
    daily = rule_cost(rule("FREQ=DAILY"), START)
    a_year_later = timestamp(START + timedelta(days=365))
    assert 365 <= daily.candidates(a_year_later) <= 367
    assert daily.candidates(timestamp(START - timedelta(days=10))) == 1


def test_count_and_until_bound_the_cost() -> None:
    far = timestamp(datetime(2100, 1, 1, tzinfo=UTC))
    assert rule_cost(rule("FREQ=DAILY;COUNT=10"), START).candidates(far) == 10
    until = rule_cost(rule("FREQ=DAILY;UNTIL=20260111T000000Z"), START)
    assert 10 <= until.candidates(far) <= 11
    # a negative COUNT is dropped by recurring-ical-events: the rule is then unbounded
    assert rule_cost(rule("FREQ=DAILY;COUNT=-1"), START).candidates(far) > 20_000


def test_day_filters_and_time_parts_multiply() -> None:
    cost = rule_cost(rule("FREQ=YEARLY;BYDAY=MO;BYHOUR=9,14"), date(2026, 1, 1))
    one_year = timestamp(date(2026, 12, 31))
    # dateutil walks every day of each year and expands each into two times
    assert cost.per_period == 366 * 2
    assert cost.candidates(one_year) == pytest.approx(2 * 366 * 2, rel=0.01)


def test_many_moderately_heavy_series_fail_the_feed() -> None:
    # each hourly series since 2006 stays under the per-series limit, together they are too much
    series = 1 + MAX_CALENDAR_COST // 180_000
    events = "".join(
        f"BEGIN:VEVENT\r\nUID:h{i}\r\nDTSTART:20060101T000000Z\r\nRRULE:FREQ=HOURLY\r\n"
        f"SUMMARY:Stündlich {i}\r\nEND:VEVENT\r\n"
        for i in range(series)
    )
    calendar = parse_calendar(f"BEGIN:VCALENDAR\r\n{events}END:VCALENDAR\r\n")
    with pytest.raises(FeedError) as caught:
        expand(calendar, "x", WEEK, WEEK + timedelta(days=7), BERLIN)
    assert caught.value.key == "events.feed.too_complex"


def test_rdate_only_series_and_duplicate_uid_lines() -> None:
    data = (
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:r\r\nUID:r-again\r\n"
        "DTSTART;TZID=Europe/Berlin:20261130T100000\r\n"
        "RDATE;TZID=Europe/Berlin:20261202T100000,20261204T100000\r\n"
        "SUMMARY:Nur RDATEs\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:t\r\nDTSTART:20261201T100000Z\r\nRDATE;VALUE=TIME:083000\r\n"
        "SUMMARY:RDATE als Uhrzeit\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    calendar = parse_calendar(data)
    assert [(s.uid, s.reason) for s in calendar.skipped] == [("t", "events.feed.skipped.bad_time")]
    occurrences = expand(calendar, "x", WEEK, WEEK + timedelta(days=7), BERLIN)
    assert [(o.uid, o.start.day) for o in occurrences] == [("r", 30), ("r", 2), ("r", 4)]
