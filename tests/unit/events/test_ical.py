"""Parsing feeds and expanding them into occurrences of a window."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from plugins.events.errors import FeedError, Problem
from plugins.events.ical import (
    FEED_KEYS,
    MIN_OCCURRENCES,
    OCCURRENCES_PER_DAY,
    SKIP_REASONS,
    CalendarCache,
    ParsedCalendar,
    expand,
    expand_window,
    occurrence_limit,
    parse_calendar,
)
from plugins.events.occurrence import merge_duplicates, occurrence_key
from tests.unit.events.helpers import (
    BERLIN,
    WEEK,
    feed,
    local,
    parsed,
    titles_and_starts,
    week,
)

# --- time zones -----------------------------------------------------------------------------


def test_weekly_event_keeps_local_time_across_the_autumn_dst_switch() -> None:
    # Sunday 25 October 2026 clocks go back: 09:00 stays 09:00, the UTC offset changes.
    occurrences = week("dst_weekly.ics", start=local(2026, 10, 19), days=15)
    monday = [o for o in occurrences if o.title == "Montagsrunde"]
    assert [o.start for o in monday] == [
        local(2026, 10, 19, 9),
        local(2026, 10, 26, 9),
        local(2026, 11, 2, 9),
    ]
    assert [o.start.utcoffset() for o in monday] == [  # type: ignore[union-attr]
        timedelta(hours=2),
        timedelta(hours=1),
        timedelta(hours=1),
    ]
    assert all(o.end - o.start == timedelta(hours=1) for o in monday)  # type: ignore[operator]
    assert monday[0].location == "Haus der Wirtschaft, Erfurt"


def test_event_on_the_switch_day_itself() -> None:
    occurrences = week("dst_weekly.ics", start=local(2026, 10, 25), days=1)
    assert titles_and_starts(occurrences) == [("Sonntagsfrühstück", local(2026, 10, 25, 9))]
    only = occurrences[0]
    assert only.start.utcoffset() == timedelta(hours=1)  # type: ignore[union-attr]
    assert only.end == local(2026, 10, 25, 11)  # DURATION:PT2H


def test_results_are_in_the_target_timezone() -> None:
    london = ZoneInfo("Europe/London")
    occurrences = week("dst_weekly.ics", start=local(2026, 11, 2), days=1, tz=london)
    assert len(occurrences) == 1
    start = occurrences[0].start
    assert isinstance(start, datetime)
    assert start.tzinfo == london
    assert (start.hour, start.utcoffset()) == (8, timedelta(0))


def test_utc_event_belongs_to_the_local_day_at_the_window_edge() -> None:
    # 2026-11-29T23:30Z is Monday 00:30 in Berlin: inside the week that starts Monday 00:00.
    occurrences = week("utc_edge.ics")
    assert titles_and_starts(occurrences) == [("Spätschicht-Call", local(2026, 11, 30, 0, 30))]
    # ... and not in the week before, although its UTC date is the 29th.
    before = week("utc_edge.ics", start=WEEK - timedelta(days=7))
    assert [o.title for o in before] == ["Endet genau am Fensteranfang"]
    # the Sunday-night UTC event is Monday 7 December in Berlin: next week
    after = week("utc_edge.ics", start=WEEK + timedelta(days=7))
    assert [o.title for o in after] == ["Nächste Woche schon"]


def test_floating_times_are_wall_clock_in_the_configured_zone() -> None:
    berlin = week("floating.ics")
    assert titles_and_starts(berlin) == [
        ("Wochenstart", local(2026, 11, 30, 8, 30)),
        ("Gründerstammtisch", local(2026, 12, 1, 19)),
    ]
    tokyo = ZoneInfo("Asia/Tokyo")
    in_tokyo = week("floating.ics", start=datetime(2026, 11, 30, tzinfo=tokyo), tz=tokyo)
    assert [o.start for o in in_tokyo] == [
        datetime(2026, 11, 30, 8, 30, tzinfo=tokyo),
        datetime(2026, 12, 1, 19, tzinfo=tokyo),
    ]


def test_custom_vtimezone_and_windows_tzid() -> None:
    occurrences = week("custom_tz.ics", start=local(2026, 10, 19), days=28)
    runde = [o for o in occurrences if o.title == "Innovationsrunde"]
    # COUNT=4 from 20 October, across the switch on the 25th, still 10:00 local
    assert [o.start for o in runde] == [
        local(2026, 10, 20, 10),
        local(2026, 10, 27, 10),
        local(2026, 11, 3, 10),
        local(2026, 11, 10, 10),
    ]
    outlook = [o for o in occurrences if o.title == "Outlook-Termin"]
    assert [o.start for o in outlook] == [local(2026, 10, 28, 15)]


# --- recurrence details ---------------------------------------------------------------------


def test_exdate_rdate_moved_and_cancelled_occurrences() -> None:
    occurrences = week("overrides.ics", start=local(2026, 11, 16), days=28)
    assert titles_and_starts(occurrences) == [
        # 18 Nov is an EXDATE; 20 Nov an extra RDATE
        ("Jour fixe", local(2026, 11, 20, 10)),
        # 25 Nov moved to the 26th, with its own title and place
        ("Jour fixe (verschoben)", local(2026, 11, 26, 14)),
        # 2 Dec cancelled; 9 Dec is the 6th and last (COUNT=6)
        ("Jour fixe", local(2026, 12, 9, 10)),
    ]
    moved = occurrences[1]
    assert moved.location == "Rathaus Weimar"
    # a moved occurrence keeps the key of its original slot, so reminders can follow it
    assert moved.key == occurrence_key("jourfixe@netzwerk.example", local(2026, 11, 25, 10))
    assert occurrences[0].key == occurrence_key(
        "jourfixe@netzwerk.example", local(2026, 11, 20, 10)
    )


def test_a_cancelled_series_never_shows() -> None:
    occurrences = week("overrides.ics", start=local(2026, 11, 1), days=60)
    assert "Ganz abgesagte Reihe" not in {o.title for o in occurrences}


def test_all_day_and_multi_day_events() -> None:
    occurrences = week("allday.ics")
    assert [(o.title, o.start, o.end, o.all_day) for o in occurrences] == [
        # began on Friday before the window, still running on Monday and Tuesday
        ("Thüringer Ausbildungsmesse", date(2026, 11, 27), date(2026, 12, 2), True),
        ("Jahrestag", date(2026, 12, 3), date(2026, 12, 4), True),
        # no DTEND: one day
        ("Adventsmarkt", date(2026, 12, 6), date(2026, 12, 7), True),
    ]


def test_window_is_half_open() -> None:
    calendar = parsed("utc_edge.ics")
    # the event starting exactly at the window end is out, the one ending at its start too
    assert expand(calendar, "x", WEEK, local(2026, 11, 30, 0, 30), BERLIN) == []
    just_after = expand(calendar, "x", WEEK, local(2026, 11, 30, 0, 31), BERLIN)
    assert [o.title for o in just_after] == ["Spätschicht-Call"]
    assert expand(calendar, "x", WEEK, WEEK, BERLIN) == []
    assert expand(calendar, "x", WEEK, WEEK - timedelta(days=1), BERLIN) == []


def test_naive_window_is_read_in_the_target_zone() -> None:
    naive = datetime(2026, 11, 30)
    occurrences = expand(parsed("utc_edge.ics"), "x", naive, naive + timedelta(days=7), BERLIN)
    assert [o.title for o in occurrences] == ["Spätschicht-Call"]


def test_occurrence_fields() -> None:
    (stammtisch,) = [o for o in week("floating.ics") if o.title == "Gründerstammtisch"]
    assert stammtisch.uid == "floating-once@example.org"
    assert stammtisch.location == "Jena"
    assert stammtisch.url == "https://gruender.example/stammtisch"
    assert stammtisch.description == "Bitte anmelden & pünktlich sein. Mehr unter der Website."
    assert stammtisch.sources == ("floating",)
    assert not stammtisch.all_day
    (wochenstart,) = [o for o in week("floating.ics") if o.title == "Wochenstart"]
    assert wochenstart.url is None  # javascript: links are dropped


def test_keys_are_stable_and_distinct() -> None:
    first = week("dst_weekly.ics", start=local(2026, 10, 1), days=60)
    again = week("dst_weekly.ics", start=local(2026, 10, 1), days=60)
    assert [o.key for o in first] == [o.key for o in again]
    assert len({o.key for o in first}) == len(first)


def test_sorted_by_start_with_all_day_first() -> None:
    merged = merge_duplicates(week("dedup_a.ics") + week("allday.ics"))
    assert [o.title for o in merged] == [
        "Thüringer Ausbildungsmesse",  # started on 27 November
        "Unternehmerfrühstück",
        "Regionalforum Wirtschaft",
        "Jahrestag",  # all day on the 3rd: before the evening event of that day
        "Stammtisch",
        "Digitaltag Thüringen",
        "Adventsmarkt",
    ]


# --- broken input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "key"),
    [
        (b"", "events.feed.empty"),
        (b"   \r\n  ", "events.feed.empty"),
        (b"<!DOCTYPE html><html><body>Bitte anmelden</body></html>", "events.feed.not_calendar"),
        ("/etc/passwd", "events.feed.not_calendar"),  # icalendar would read a file path!
        (b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nEND:VCALENDAR\r\n", "events.feed.unclosed"),
        (b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\nEND:VCALENDAR\r\n", "events.feed.syntax"),
        (b"BEGIN:VEVENT\r\nEND:VEVENT\r\n", "events.feed.not_calendar"),
        (
            b"BEGIN:VCALENDAR\r\nCALSCALE:ISLAMIC\r\nEND:VCALENDAR\r\n",
            "events.feed.unsupported_calendar",
        ),
        (
            b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
            "events.feed.no_valid_events",
        ),
    ],
)
def test_broken_feeds_raise_feed_error(data: bytes | str, key: str) -> None:
    with pytest.raises(FeedError) as caught:
        parse_calendar(data)
    assert caught.value.key == key
    assert set(caught.value.params) == set(FEED_KEYS[key])
    assert str(caught.value)  # an English sentence for the log


def test_binary_garbage_raises_feed_error() -> None:
    with pytest.raises(FeedError):
        parse_calendar(bytes(range(256)) * 10 + b"BEGIN:VCALENDAR\r\n\x00\xff")


def test_broken_events_are_skipped_and_listed() -> None:
    calendar = parsed("broken_events.ics")
    reasons = {(s.uid, s.reason) for s in calendar.skipped}
    assert reasons == {
        ("no-start@example.org", "events.feed.skipped.no_start"),
        ("garbage-start@example.org", "events.feed.skipped.bad_time"),
        ("every-second@example.org", "events.feed.skipped.too_frequent"),
        ("bad-rule@example.org", "events.feed.skipped.bad_time"),
    }
    assert {s.reason for s in calendar.skipped} <= set(SKIP_REASONS)
    occurrences = expand(calendar, "x", WEEK, WEEK + timedelta(days=7), BERLIN)
    # the override of the dropped FREQ=SECONDLY series went with it
    assert [o.title for o in occurrences] == ["Gültiger Termin"]
    assert calendar.event_count == 6


def test_expensive_series_is_left_out_of_the_window(caplog: pytest.LogCaptureFixture) -> None:
    calendar = parsed("heavy_rule.ics")
    assert calendar.skipped == ()  # hourly is allowed as such ...
    expansion = expand_window(calendar, "heavy", WEEK, WEEK + timedelta(days=7), BERLIN)
    # ... but 300,000 hours since 1990 are not walked through for one week
    assert [o.title for o in expansion.occurrences] == ["Normaler Termin"]
    assert [(s.uid, s.reason) for s in expansion.left_out] == [
        ("hourly-since-1990@example.org", "events.feed.skipped.too_complex")
    ]
    assert expansion.problems() == [
        Problem("events.feed.skipped.too_complex", {"count": 1, "title": "Stündlich seit 1990"})
    ]
    assert "hourly-since-1990" in caplog.text


def _daily(count: int = 1) -> ParsedCalendar:
    return parse_calendar(
        "BEGIN:VCALENDAR\r\n"
        + "".join(
            f"BEGIN:VEVENT\r\nUID:d{i}\r\nDTSTART:20261101T10{i:02d}00Z\r\n"
            f"RRULE:FREQ=DAILY\r\nSUMMARY:Daily {i}\r\nEND:VEVENT\r\n"
            for i in range(count)
        )
        + "END:VCALENDAR\r\n"
    )


def test_too_many_occurrences_keep_the_earliest() -> None:
    calendar = _daily(3)
    assert len(expand(calendar, "x", WEEK, WEEK + timedelta(days=7), BERLIN)) == 21
    cut = expand_window(calendar, "x", WEEK, WEEK + timedelta(days=7), BERLIN, max_occurrences=5)
    assert cut.truncated and len(cut.occurrences) == 5
    # the earliest five of all three series, not the first series' five
    titles = [o.title for o in cut.occurrences]
    assert titles == ["Daily 0", "Daily 1", "Daily 2", "Daily 0", "Daily 1"]
    assert cut.problems() == [Problem("events.feed.too_many_occurrences", {"limit": 5})]
    whole = expand_window(calendar, "x", WEEK, WEEK + timedelta(days=7), BERLIN)
    assert not whole.truncated and whole.problems() == []


def test_the_occurrence_limit_scales_with_the_window() -> None:
    week_limit = occurrence_limit(WEEK, WEEK + timedelta(days=7))
    year_limit = occurrence_limit(WEEK, WEEK + timedelta(days=396))
    assert week_limit == MIN_OCCURRENCES
    assert year_limit == 396 * OCCURRENCES_PER_DAY > 30_000  # a busy feed's year
    # 40 daily series: 14,600 occurrences a year, more than a week's minimum allows
    calendar = _daily(40)
    year = expand_window(calendar, "x", WEEK, WEEK + timedelta(days=365), BERLIN)
    assert not year.truncated and len(year.occurrences) == 40 * 365


def test_many_events_together_hit_the_cap() -> None:
    events = b"".join(
        b"BEGIN:VEVENT\r\nUID:e%d\r\nDTSTART:20261201T10%02d00Z\r\nSUMMARY:E\r\nEND:VEVENT\r\n"
        % (i, i)
        for i in range(30)
    )
    calendar = parse_calendar(b"BEGIN:VCALENDAR\r\n" + events + b"END:VCALENDAR\r\n")
    cut = expand_window(calendar, "x", WEEK, WEEK + timedelta(days=7), BERLIN, max_occurrences=20)
    assert cut.truncated
    assert [o.uid for o in cut.occurrences] == [f"e{i}" for i in range(20)]


def test_events_without_uid_get_a_stable_one() -> None:
    data = (
        b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:20261201T100000Z\r\nSUMMARY:Ohne UID\r\n"
        b"END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    first = expand(parse_calendar(data), "x", WEEK, WEEK + timedelta(days=7), BERLIN)
    second = expand(parse_calendar(data), "x", WEEK, WEEK + timedelta(days=7), BERLIN)
    assert first[0].uid.startswith("lotse-")
    assert first[0].key == second[0].key


def _one_calendar(*lines: str) -> bytes:
    return ("\r\n".join(["BEGIN:VCALENDAR", *lines, "END:VCALENDAR"]) + "\r\n").encode()


def test_what_exporters_get_slightly_wrong_is_mended() -> None:
    calendar = parse_calendar(
        _one_calendar(
            # Exchange: spaces in BYDAY
            "BEGIN:VEVENT",
            "UID:standup",
            "DTSTART:20261130T090000Z",
            "RRULE:FREQ=DAILY;COUNT=5;BYDAY=MO, TU, WE, TH, FR",
            "SUMMARY:Standup",
            "END:VEVENT",
            # DTSTART twice: the first counts; an empty EXDATE excludes nothing
            "BEGIN:VEVENT",
            "UID:twice",
            "DTSTART:20261201T140000Z",
            "DTSTART:20261201T160000Z",
            "EXDATE:",
            "SUMMARY:Zweimal Beginn",
            "END:VEVENT",
            "X",  # a stray line that is no property
            # two events without UID, the first broken: it takes the other one not along
            "BEGIN:VEVENT",
            "DTSTART:20261202T100000Z",
            "DTEND:kaputt",
            "END:VEVENT",
            "BEGIN:VEVENT",
            "DTSTART:20261202T100000Z",
            "END:VEVENT",
        )
    )
    assert [s.reason for s in calendar.skipped] == ["events.feed.skipped.bad_time"]
    found = expand(calendar, "x", WEEK, WEEK + timedelta(days=7), BERLIN)
    assert [(o.title, o.start) for o in found if o.title == "Standup"] == [
        ("Standup", local(2026, 11, 30, 10) + timedelta(days=day)) for day in range(5)
    ]
    assert [o.start for o in found if o.title == "Zweimal Beginn"] == [local(2026, 12, 1, 15)]
    assert [o.start for o in found if o.title == ""] == [local(2026, 12, 2, 11)]


def test_a_stray_line_does_not_hide_what_is_really_broken() -> None:
    with pytest.raises(FeedError) as caught:
        parse_calendar(_one_calendar("X", "END:VCALENDAR"))  # ended twice
    assert caught.value.key == "events.feed.syntax"
    assert "X" in str(caught.value.params["detail"])  # the first error, not the retry's


def _single(uid: str, day: str, title: str) -> str:
    return (
        f"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:{uid}\r\nDTSTART:{day}T100000Z\r\n"
        f"SUMMARY:{title}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )


def test_concatenated_calendars_and_odd_encodings() -> None:
    one = _single("1", "20261201", "Eins").encode()
    two = _single("2", "20261202", "Zwei Grüße").encode("cp1252")  # an old Windows export
    calendar = parse_calendar(b"\xef\xbb\xbf" + one + two)
    occurrences = expand(calendar, "x", WEEK, WEEK + timedelta(days=7), BERLIN)
    assert [o.title for o in occurrences] == ["Eins", "Zwei Grüße"]


def test_text_is_cleaned_for_chat() -> None:
    data = (
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART:20261201T100000Z\r\n"
        "SUMMARY:  Erst \u202eevil\u202c  Zeile\\nzwei \u0007\r\n"
        f"DESCRIPTION:{'Wort ' * 200}\r\n"
        "URL:  https://example.org/a?b=c  \r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    (occ,) = expand(parse_calendar(data), "x", WEEK, WEEK + timedelta(days=7), BERLIN)
    assert occ.title == "Erst evil Zeile zwei"
    assert occ.description is not None
    assert len(occ.description) <= 280
    assert occ.description.endswith("…")
    assert occ.url == "https://example.org/a?b=c"


def test_calendar_name() -> None:
    assert parsed("dst_weekly.ics").name == "Wirtschaftsjunioren"
    assert parsed("utc_edge.ics").name is None


# --- cache ----------------------------------------------------------------------------------


def test_cache_reuses_parsed_calendars_by_content() -> None:
    cache = CalendarCache(max_entries=2)
    first = cache.parse(feed("allday.ics"))
    assert cache.parse(feed("allday.ics")) is first
    assert (cache.hits, cache.misses) == (1, 1)
    cache.parse(feed("floating.ics"))
    cache.parse(feed("allday.ics"))  # refreshes allday
    cache.parse(feed("utc_edge.ics"))  # evicts floating, the least recently used
    assert len(cache) == 2
    assert feed("allday.ics") in cache
    assert feed("floating.ics") not in cache
    # the same calendar object can serve any number of windows
    assert expand(first, "a", WEEK, WEEK + timedelta(days=7), BERLIN)
    assert expand(first, "a", WEEK - timedelta(days=3), WEEK + timedelta(days=1), BERLIN)


def test_cache_remembers_broken_feeds() -> None:
    cache = CalendarCache()
    for _ in range(3):
        with pytest.raises(FeedError) as caught:
            cache.parse(b"<html>login</html>")
        assert caught.value.key == "events.feed.not_calendar"
    assert cache.misses == 1
    assert cache.hits == 2


def test_cache_needs_room() -> None:
    with pytest.raises(ValueError):
        CalendarCache(max_entries=0)


def test_feed_error_pickles() -> None:
    import pickle

    error = FeedError("events.feed.syntax", {"detail": "x"}, "bad")
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.key, copy.params, str(copy)) == ("events.feed.syntax", {"detail": "x"}, "bad")
