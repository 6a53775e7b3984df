"""German (and English) dates, times and event lines as managers type them."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plugins.events.dates import KEYS, EventSpec, parse_date, parse_event_spec, parse_time
from plugins.events.errors import DateParseError

BERLIN = ZoneInfo("Europe/Berlin")
TODAY = date(2026, 11, 26)  # a Thursday
NOW = datetime(2026, 11, 26, 10, 0, tzinfo=BERLIN)


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=BERLIN)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("25.11.2026", date(2026, 11, 25)),
        ("25.11.26", date(2026, 11, 25)),
        ("2026-11-25", date(2026, 11, 25)),
        ("1.2.2027", date(2027, 2, 1)),
        ("03.12.", date(2026, 12, 3)),
        ("3.12", date(2026, 12, 3)),
        ("26.11.", date(2026, 11, 26)),  # today is still this year
        ("25.11.", date(2027, 11, 25)),  # already past: next year
        ("29.02.", date(2028, 2, 29)),  # the next leap year
        ("heute", TODAY),
        ("Heute", TODAY),
        ("today", TODAY),
        ("morgen", date(2026, 11, 27)),
        ("tomorrow", date(2026, 11, 27)),
        ("übermorgen", date(2026, 11, 28)),
        ("Übermorgen", date(2026, 11, 28)),
        ("uebermorgen", date(2026, 11, 28)),
        ("Montag", date(2026, 11, 30)),
        ("Mo", date(2026, 11, 30)),
        ("Mo.", date(2026, 11, 30)),
        ("monday", date(2026, 11, 30)),
        ("Samstag", date(2026, 11, 28)),
        ("Sonnabend", date(2026, 11, 28)),
        ("Mittwoch", date(2026, 12, 2)),
        # the same weekday as today means today ...
        ("Donnerstag", TODAY),
        ("thursday", TODAY),
        # ... unless "nächsten"/"next" says otherwise
        ("nächsten Donnerstag", date(2026, 12, 3)),
        ("kommenden Freitag", date(2026, 11, 27)),
        ("next thursday", date(2026, 12, 3)),
    ],
)
def test_parse_date(text: str, expected: date) -> None:
    assert parse_date(text, TODAY) == expected


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("", "events.missing_date"),
        ("   ", "events.missing_date"),
        ("31.02.2026", "events.bad_date"),
        ("32.1.", "events.bad_date"),
        ("1.13.", "events.bad_date"),
        ("2026-13-01", "events.bad_date"),
        ("25.11.202", "events.bad_date"),
        ("nächste Woche", "events.bad_date"),
        ("gestern", "events.bad_date"),
        ("２５.１１.", "events.bad_date"),  # full-width digits are not ASCII digits
        ("1.1.2020", "events.date_out_of_range"),
        ("25.11.2206", "events.date_out_of_range"),
    ],
)
def test_parse_date_errors(text: str, key: str) -> None:
    with pytest.raises(DateParseError) as caught:
        parse_date(text, TODAY)
    assert caught.value.key == key
    assert set(caught.value.params) == set(KEYS[key])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("14:30", time(14, 30)),
        ("14.30", time(14, 30)),
        ("14 Uhr", time(14)),
        ("14:30 Uhr", time(14, 30)),
        ("14h", time(14)),
        ("9", time(9)),
        ("09:05", time(9, 5)),
        ("0:00", time(0)),
        ("23:59", time(23, 59)),
        ("2pm", time(14)),
        ("2:30 pm", time(14, 30)),
        ("12am", time(0)),
        ("12pm", time(12)),
    ],
)
def test_parse_time(text: str, expected: time) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize("text", ["24:00", "14:60", "14:5", "13pm", "0am", "abc", "", "14-16"])
def test_parse_time_errors(text: str) -> None:
    with pytest.raises(DateParseError) as caught:
        parse_time(text)
    assert caught.value.key == "events.bad_time"
    assert caught.value.params == {"value": text.strip()}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "25.11.2026 14:30 Netzwerktreffen | IHK Erfurt | https://ihk.example/termin",
            EventSpec(
                local(2026, 11, 25, 14, 30),
                None,
                False,
                "Netzwerktreffen",
                "IHK Erfurt",
                "https://ihk.example/termin",
            ),
        ),
        (
            "27.11. 14-16 Uhr Stammtisch | Gasthaus zur Post",
            EventSpec(
                local(2026, 11, 27, 14),
                local(2026, 11, 27, 16),
                False,
                "Stammtisch",
                "Gasthaus zur Post",
                None,
            ),
        ),
        (
            "27.11. 14:00–15:30 Webinar | www.example.org/webinar",
            EventSpec(
                local(2026, 11, 27, 14),
                local(2026, 11, 27, 15, 30),
                False,
                "Webinar",
                None,
                "https://www.example.org/webinar",
            ),
        ),
        (
            "morgen 18 bis 22 Uhr Sommerfest | Hof | ",
            EventSpec(
                local(2026, 11, 27, 18), local(2026, 11, 27, 22), False, "Sommerfest", "Hof", None
            ),
        ),
        (
            "am Freitag, 9 Uhr - Frühstück",
            EventSpec(local(2026, 11, 27, 9), None, False, "Frühstück", None, None),
        ),
        (
            "nächsten Donnerstag 19:00 Jour fixe",
            EventSpec(local(2026, 12, 3, 19), None, False, "Jour fixe", None, None),
        ),
        (
            "27.11. 22-2 Uhr Party",  # past midnight
            EventSpec(local(2026, 11, 27, 22), local(2026, 11, 28, 2), False, "Party", None, None),
        ),
        (
            "27.11. 22:00-06:00 Nachtschicht",  # past midnight until 06:00 at the latest
            EventSpec(
                local(2026, 11, 27, 22), local(2026, 11, 28, 6), False, "Nachtschicht", None, None
            ),
        ),
        (
            "27.11. 10pm-2am Launch",
            EventSpec(local(2026, 11, 27, 22), local(2026, 11, 28, 2), False, "Launch", None, None),
        ),
        (
            "27.11. 2-4pm Talk",
            EventSpec(local(2026, 11, 27, 14), local(2026, 11, 27, 16), False, "Talk", None, None),
        ),
        (
            "1.12. Messe Erfurt",  # no time: all day, end exclusive
            EventSpec(date(2026, 12, 1), date(2026, 12, 2), True, "Messe Erfurt", None, None),
        ),
        (
            "1.-3.12. Messe | Erfurt",
            EventSpec(date(2026, 12, 1), date(2026, 12, 4), True, "Messe", "Erfurt", None),
        ),
        (
            "30.12.-02.01. Betriebsferien",
            EventSpec(date(2026, 12, 30), date(2027, 1, 3), True, "Betriebsferien", None, None),
        ),
        (
            "1.12.2026 bis 3.12.2026 Messe",
            EventSpec(date(2026, 12, 1), date(2026, 12, 4), True, "Messe", None, None),
        ),
        (
            "2026-12-01 9:00 ISO-Termin",
            EventSpec(local(2026, 12, 1, 9), None, False, "ISO-Termin", None, None),
        ),
        (
            "heute 9 am Rathaus treffen",  # "am" here is German, not a.m.
            EventSpec(local(2026, 11, 26, 9), None, False, "am Rathaus treffen", None, None),
        ),
        (
            "28.03.2027 02:30 Zeitumstellung",  # does not exist: moves to 03:30 CEST
            EventSpec(local(2027, 3, 28, 3, 30), None, False, "Zeitumstellung", None, None),
        ),
    ],
)
def test_parse_event_spec(text: str, expected: EventSpec) -> None:
    assert parse_event_spec(text, NOW, BERLIN) == expected


def test_spec_times_are_aware_in_the_given_zone() -> None:
    spec = parse_event_spec("1.12. 10 Uhr Call", NOW, ZoneInfo("America/New_York"))
    assert isinstance(spec.start, datetime)
    assert spec.start.utcoffset() == timedelta(hours=-5)


def test_today_is_taken_in_the_given_zone() -> None:
    # 23:30 UTC on the 25th is already the 26th in Berlin
    late = datetime(2026, 11, 25, 23, 30, tzinfo=ZoneInfo("UTC"))
    assert parse_event_spec("heute Termin", late, BERLIN).start == date(2026, 11, 26)


@pytest.mark.parametrize(
    ("text", "key", "params"),
    [
        ("", "events.missing_date", {}),
        ("Treffen im Dezember", "events.bad_date", {"value": "Treffen"}),
        ("31.11. Treffen", "events.bad_date", {"value": "31.11."}),
        ("27.11.", "events.missing_title", {}),
        ("27.11. 14:00", "events.missing_title", {}),
        ("27.11. 25:00 Treffen", "events.bad_time", {"value": "25:00"}),
        ("27.11. 14-14 Uhr Treffen", "events.bad_time_range", {"start": "14:00", "end": "14:00"}),
        # an end before the start that is not early next morning is a typo, not a 22-hour event
        (
            "25.12.2026 16:00-14:00 Rückwärts",
            "events.end_before_start",
            {"start": "16:00", "end": "14:00"},
        ),
        (
            "27.11. 22:00-06:01 Zu lang",
            "events.end_before_start",
            {"start": "22:00", "end": "06:01"},
        ),
        ("27.11. 10-9 Uhr Vertippt", "events.end_before_start", {"start": "10:00", "end": "09:00"}),
        ("1.-3.12. 10 Uhr Messe", "events.range_with_time", {"value": "1.-3.12."}),
        (
            "3.12.2026-1.12.2026 Messe",
            "events.bad_date_range",
            {"start": "2026-12-03", "end": "2026-12-01"},
        ),
        ("27.11. a | b | c | d", "events.too_many_parts", {"max": 3}),
        (
            "27.11. Treffen | Ort | javascript:alert(1)",
            "events.bad_url",
            {"value": "javascript:alert(1)"},
        ),
        (
            "27.11. Treffen | Ort | ftp://example.org",
            "events.bad_url",
            {"value": "ftp://example.org"},
        ),
        ("27.11. " + "x" * 201, "events.title_too_long", {"max": 200}),
        ("27.11. " + "x" * 1000, "events.spec_too_long", {"max": 1000}),
    ],
)
def test_parse_event_spec_errors(text: str, key: str, params: dict[str, object]) -> None:
    with pytest.raises(DateParseError) as caught:
        parse_event_spec(text, NOW, BERLIN)
    assert caught.value.key == key
    assert caught.value.params == params
    assert set(params) == set(KEYS[key])


# --- property tests -------------------------------------------------------------------------

_TODAYS = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))
_PIECES = st.text(alphabet="0123456789..::--– |/ abdefghimnorstuwyzäöüÜß²٣\t\n", max_size=60)


@settings(max_examples=400, deadline=None)
@given(text=st.one_of(st.text(max_size=80), _PIECES), today=_TODAYS)
def test_parse_date_raises_only_date_parse_error(text: str, today: date) -> None:
    try:
        result = parse_date(text, today)
    except DateParseError as error:
        assert error.key in KEYS
    else:
        assert isinstance(result, date)


@settings(max_examples=400, deadline=None)
@given(text=st.one_of(st.text(max_size=40), _PIECES))
def test_parse_time_raises_only_date_parse_error(text: str) -> None:
    try:
        result = parse_time(text)
    except DateParseError as error:
        assert error.key in KEYS
    else:
        assert isinstance(result, time)


@settings(max_examples=600, deadline=None)
@given(
    text=st.one_of(st.text(max_size=120), _PIECES, _PIECES.map(lambda s: "1.12. " + s)),
    now=st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 12, 31)),
    zone=st.sampled_from(["Europe/Berlin", "UTC", "America/New_York", "Pacific/Kiritimati"]),
)
def test_parse_event_spec_raises_only_date_parse_error(text: str, now: datetime, zone: str) -> None:
    tz = ZoneInfo(zone)
    try:
        spec = parse_event_spec(text, now.replace(tzinfo=tz), tz)
    except DateParseError as error:
        assert error.key in KEYS
        assert set(error.params) == set(KEYS[error.key])
    else:
        assert spec.title
        if spec.all_day:
            assert isinstance(spec.end, date) and spec.end > spec.start
        else:
            assert isinstance(spec.start, datetime) and spec.start.tzinfo is not None
            assert spec.end is None or spec.end > spec.start
