"""The up-front cost estimate that keeps pathological RRULEs away from dateutil."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from icalendar import vRecur

from plugins.events import ical
from plugins.events.ical import (
    CALENDAR_SLACK,
    MAX_SERIES_COST,
    SERIES_SLACK,
    ParsedCalendar,
    expand,
    expand_window,
    parse_calendar,
)
from plugins.events.recurrence import never_matches, rule_cost, timestamp, too_frequent
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


def test_dateutil_examines_every_day_of_a_period() -> None:
    # without a BY-day part dateutil fills in DTSTART's weekday and filters a week's days
    assert rule_cost(rule("FREQ=WEEKLY"), START).per_period == 7
    assert rule_cost(rule("FREQ=MONTHLY;INTERVAL=2"), START).per_period == 31


def test_day_filters_and_time_parts_multiply() -> None:
    cost = rule_cost(rule("FREQ=YEARLY;BYDAY=MO;BYHOUR=9,14"), date(2026, 1, 1))
    one_year = timestamp(date(2026, 12, 31))
    # dateutil walks every day of each year and expands each into two times
    assert cost.per_period == 366 * 2
    assert cost.candidates(one_year) == pytest.approx(2 * 366 * 2, rel=0.01)


def test_many_moderately_heavy_series_keep_what_fits(monkeypatch: pytest.MonkeyPatch) -> None:
    # each daily series since the 2000s stays under the per-series limit, together they are
    # too much: the cheapest that fit are expanded, the rest are reported, the light event stays
    monkeypatch.setattr(ical, "MAX_CALENDAR_COST", 50_000)
    series = 12
    events = "".join(
        f"BEGIN:VEVENT\r\nUID:d{i}\r\nDTSTART:{2000 + i}0101T100000Z\r\n"
        f"RRULE:FREQ=DAILY\r\nSUMMARY:Täglich {i}\r\nEND:VEVENT\r\n"
        for i in range(series)
    )
    events += (
        "BEGIN:VEVENT\r\nUID:one\r\nDTSTART:20261201T100000Z\r\nSUMMARY:Eins\r\nEND:VEVENT\r\n"
    )
    calendar = parse_calendar(f"BEGIN:VCALENDAR\r\n{events}END:VCALENDAR\r\n")
    expansion = expand_window(calendar, "x", WEEK, WEEK + timedelta(days=7), BERLIN)
    left_out = {s.uid for s in expansion.left_out}
    kept = {o.uid for o in expansion.occurrences} - {"one"}
    assert "one" in {o.uid for o in expansion.occurrences}
    # the ones started latest (the cheapest) are kept, as many as the budget allows
    assert left_out == {f"d{i}" for i in range(len(left_out))} and len(left_out) > 1
    assert kept == {f"d{i}" for i in range(len(left_out), series)} and len(kept) > 1
    assert {s.reason for s in expansion.left_out} == {"events.feed.skipped.too_complex"}


def _calendar_with(rule: str, dtstart: str = "20260101T100000Z") -> ParsedCalendar:
    return parse_calendar(
        "BEGIN:VCALENDAR\r\n"
        f"BEGIN:VEVENT\r\nUID:odd\r\nDTSTART:{dtstart}\r\nRRULE:{rule}\r\n"
        "SUMMARY:Seltsame Regel\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:one\r\nDTSTART:20261201T100000Z\r\nSUMMARY:Eins\r\nEND:VEVENT\r\n"
        "END:VCALENDAR\r\n"
    )


@pytest.mark.parametrize(
    ("text", "dtstart", "never"),
    [
        ("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", date(2026, 1, 1), True),
        ("FREQ=YEARLY;BYMONTH=4,6,9,11;BYMONTHDAY=31", date(2026, 1, 1), True),
        ("FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=-30", date(2026, 1, 1), True),
        ("FREQ=YEARLY;BYMONTH=2", date(2026, 1, 31), True),  # dateutil adds DTSTART's day
        ("FREQ=YEARLY;BYMONTH=2;BYDAY=MO", date(2026, 1, 31), False),
        ("FREQ=DAILY;BYMONTH=2;BYYEARDAY=1,-1", date(2026, 1, 1), True),
        ("FREQ=DAILY;BYMONTH=2;BYYEARDAY=60", date(2026, 1, 1), False),  # 29 Feb in leap years
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", date(2026, 1, 1), False),
        ("FREQ=MONTHLY;BYMONTHDAY=31", date(2026, 1, 1), False),
        ("FREQ=DAILY;BYMONTH=1,2;BYMONTHDAY=30", date(2026, 1, 1), False),
        ("FREQ=WEEKLY", date(2026, 1, 31), False),
    ],
)
def test_never_matches(text: str, dtstart: date, never: bool) -> None:
    assert never_matches(rule(text), dtstart) is never


def test_a_rule_that_can_never_match_is_refused_up_front() -> None:
    calendar = _calendar_with("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30")
    assert [(s.uid, s.reason) for s in calendar.skipped] == [("odd", "events.feed.skipped.never")]
    assert [o.uid for o in expand(calendar, "x", WEEK, WEEK + timedelta(days=7), BERLIN)] == ["one"]


@pytest.mark.parametrize(
    "text",
    [
        "FREQ=DAILY;BYMONTHDAY=31;BYYEARDAY=1",  # the 1st of January is never the 31st
        "FREQ=DAILY;BYWEEKNO=1;BYMONTH=7",
        "FREQ=MONTHLY;BYDAY=MO;BYSETPOS=6",  # no month has six Mondays
        "FREQ=MINUTELY;INTERVAL=5;BYMONTHDAY=31;BYYEARDAY=1",
    ],
)
def test_the_step_budget_stops_a_walk_that_never_finds_a_match(text: str) -> None:
    calendar = _calendar_with(text)
    assert calendar.skipped == ()  # nothing up front sees that these never match
    expansion = expand_window(calendar, "x", WEEK, WEEK + timedelta(days=7), BERLIN)
    assert [o.uid for o in expansion.occurrences] == ["one"]
    assert [(s.uid, s.reason) for s in expansion.left_out] == [
        ("odd", "events.feed.skipped.too_complex")
    ]
    (plan,) = [p for p in calendar._plans if p.uid == "odd"]
    meter = plan.meter
    # stopped by the budget, a few months' steps after it ran out: dateutil on its own would
    # walk every day (or month) up to the year 9999, millions of steps
    assert meter.exhausted
    assert meter.limit <= meter.used <= meter.limit + meter.weight
    assert meter.used < SERIES_SLACK + MAX_SERIES_COST
    # later windows leave the spent series out without walking it again
    used = meter.used
    later = expand_window(calendar, "x", WEEK, WEEK + timedelta(days=30), BERLIN)
    assert [s.uid for s in later.left_out] == ["odd"] and meter.used == used


def test_a_rare_but_real_match_is_within_the_budget() -> None:
    # Monday 29 February: 2044, then 2072; dateutil reads ten matches ahead (~280 years)
    calendar = _calendar_with("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO")
    start = datetime(2044, 2, 1, tzinfo=BERLIN)
    expansion = expand_window(calendar, "x", start, start + timedelta(days=31), BERLIN)
    assert expansion.left_out == ()
    assert [(o.uid, o.start.date()) for o in expansion.occurrences] == [  # type: ignore[union-attr]
        ("odd", date(2044, 2, 29))
    ]


def test_the_feed_shares_one_budget() -> None:
    # Many walks that never match: each stays within its own slack, together they would
    # not; once the feed's pool is used up the remaining ones stop at their first step.
    count = 2 + CALENDAR_SLACK // SERIES_SLACK
    events = "".join(
        f"BEGIN:VEVENT\r\nUID:n{i}\r\nDTSTART:20260101T10{i % 60:02d}00Z\r\n"
        f"RRULE:FREQ=DAILY;BYMONTHDAY=31;BYYEARDAY={1 + i % 30}\r\nSUMMARY:N{i}\r\nEND:VEVENT\r\n"
        for i in range(count)
    )
    calendar = parse_calendar(f"BEGIN:VCALENDAR\r\n{events}END:VCALENDAR\r\n")
    expansion = expand_window(calendar, "x", WEEK, WEEK + timedelta(days=7), BERLIN)
    assert len(expansion.left_out) == count
    walked = sum(p.meter.used for p in calendar._plans)
    pool = calendar._pool
    # the pool stopped them, not each one's own slack (which would allow more in all)
    assert pool.limit < count * SERIES_SLACK
    assert walked == pool.used <= pool.limit + max(p.meter.weight for p in calendar._plans)


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
