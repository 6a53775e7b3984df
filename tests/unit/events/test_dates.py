"""German (and English) dates, times and event lines as managers type them."""

from __future__ import annotations

import string
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plugins.events.dates import KEYS, EventSpec, parse_date, parse_event_spec, parse_time
from plugins.events.errors import DateParseError
from plugins.events.i18n import CATALOGUE

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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("24. Dezember", date(2026, 12, 24)),
        ("24. Dez.", date(2026, 12, 24)),
        ("24. Dez", date(2026, 12, 24)),
        ("24.Dezember", date(2026, 12, 24)),
        ("24 Dezember 2026", date(2026, 12, 24)),
        ("3. März 2027", date(2027, 3, 3)),
        ("3. Maerz", date(2027, 3, 3)),
        ("3. MÄRZ", date(2027, 3, 3)),
        ("3. Mrz.", date(2027, 3, 3)),
        ("1. Mai", date(2027, 5, 1)),
        ("26. November", TODAY),
        ("Dienstag, 8.12.", date(2026, 12, 8)),
        ("Di., 8.12.", date(2026, 12, 8)),
        ("Di 8.12.2026", date(2026, 12, 8)),
        ("Dienstag, 8. Dezember", date(2026, 12, 8)),
        ("am Dienstag, den 8.12.", date(2026, 12, 8)),
        ("Montag, den 7. Dezember", date(2026, 12, 7)),
        ("2026-12-25", date(2026, 12, 25)),
    ],
)
def test_german_month_names_and_weekdays_before_dates(text: str, expected: date | None) -> None:
    if expected is None:
        with pytest.raises(DateParseError):
            parse_date(text, TODAY)
    else:
        assert parse_date(text, TODAY) == expected
        assert parse_date(text, TODAY, "en") == expected  # German is understood everywhere


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the form the bot writes in English rooms: month first
        ("12/25", date(2026, 12, 25)),
        ("12/04", date(2026, 12, 4)),
        ("01/02/2027", date(2027, 1, 2)),
        ("12/25/26", date(2026, 12, 25)),
        ("2026-12-25", date(2026, 12, 25)),
        ("December 24", date(2026, 12, 24)),
        ("Dec 24", date(2026, 12, 24)),
        ("Dec. 24th, 2026", date(2026, 12, 24)),
        ("24 Dec 2026", date(2026, 12, 24)),
        ("24th December", date(2026, 12, 24)),
        ("March 3, 2027", date(2027, 3, 3)),
        ("may 1", date(2027, 5, 1)),
        ("Tuesday, December 8", date(2026, 12, 8)),
        ("Tue, 12/08", date(2026, 12, 8)),
        ("24.12.", date(2026, 12, 24)),  # the German form still works
    ],
)
def test_english_dates_in_english_rooms(text: str, expected: date) -> None:
    assert parse_date(text, TODAY, "en") == expected


@pytest.mark.parametrize("text", ["12/25/2026", "12/25", "December 24", "24 Dec 2026"])
def test_german_rooms_take_no_english_dates(text: str) -> None:
    # "1/2" means 1 February to Germans, 2 January to Americans: German rooms refuse it
    with pytest.raises(DateParseError) as caught:
        parse_date(text, TODAY)
    assert caught.value.params == {"value": text}


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        (
            "Dienstag, 8.12. 10:00 Komma",
            "de",
            EventSpec(local(2026, 12, 8, 10), None, False, "Komma", None, None),
        ),
        (
            "Di., 8.12. 10-12 Uhr Komma",
            "de",
            EventSpec(local(2026, 12, 8, 10), local(2026, 12, 8, 12), False, "Komma", None, None),
        ),
        (
            "24. Dezember 2026 10:00 Feier",
            "de",
            EventSpec(local(2026, 12, 24, 10), None, False, "Feier", None, None),
        ),
        (
            "24.-26. Dezember Feiertage",
            "de",
            EventSpec(date(2026, 12, 24), date(2026, 12, 27), True, "Feiertage", None, None),
        ),
        (
            "24. Dez. bis 2. Jan. Betriebsferien",
            "de",
            EventSpec(date(2026, 12, 24), date(2027, 1, 3), True, "Betriebsferien", None, None),
        ),
        (
            # after a weekday, "9.30" without its final dot is still the time ...
            "Freitag, 9.30 Frühstück",
            "de",
            EventSpec(local(2026, 11, 27, 9, 30), None, False, "Frühstück", None, None),
        ),
        (
            # ... unless a clear time follows it
            "Dienstag 8.12 10:00 Komma",
            "de",
            EventSpec(local(2026, 12, 8, 10), None, False, "Komma", None, None),
        ),
        (
            "Freitag 14.30 10 Jahre Jubiläum",
            "de",
            EventSpec(local(2026, 11, 27, 14, 30), None, False, "10 Jahre Jubiläum", None, None),
        ),
        (
            "12/25/2026 Christmas party",
            "en",
            EventSpec(date(2026, 12, 25), date(2026, 12, 26), True, "Christmas party", None, None),
        ),
        (
            "December 24 2pm-4pm Party | Erfurt",
            "en",
            EventSpec(
                local(2026, 12, 24, 14), local(2026, 12, 24, 16), False, "Party", "Erfurt", None
            ),
        ),
        (
            "12/24-12/26 Holidays",
            "en",
            EventSpec(date(2026, 12, 24), date(2026, 12, 27), True, "Holidays", None, None),
        ),
        (
            "Tue, Dec 8 9am Breakfast",
            "en",
            EventSpec(local(2026, 12, 8, 9), None, False, "Breakfast", None, None),
        ),
    ],
)
def test_parse_event_spec_with_month_names_and_weekdays(
    text: str, lang: str, expected: EventSpec
) -> None:
    assert parse_event_spec(text, NOW, BERLIN, lang) == expected


@pytest.mark.parametrize(
    ("text", "lang", "key", "params"),
    [
        (
            "Montag, 8.12. 10:00 Komma",
            "de",
            "events.weekday_mismatch",
            {"date": "2026-12-08", "weekday": 1, "typed": 0},
        ),
        (
            "Fr., 24. Dezember Feier",
            "de",
            "events.weekday_mismatch",
            {"date": "2026-12-24", "weekday": 3, "typed": 4},
        ),
        (
            "Monday, 12/08 Party",
            "en",
            "events.weekday_mismatch",
            {"date": "2026-12-08", "weekday": 1, "typed": 0},
        ),
        # what looks like a date is quoted whole, not only its first word
        ("24. Dezembr 2026 10:00 Feier", "de", "events.bad_date", {"value": "24. Dezembr 2026"}),
        ("32. Dezember Feier", "de", "events.bad_date", {"value": "32. Dezember"}),
        ("Di., 31.11. Feier", "de", "events.bad_date", {"value": "Di., 31.11."}),
        ("Decembr 24, 2026 Party", "en", "events.bad_date", {"value": "Decembr 24, 2026"}),
        ("Mai 2027 Feier", "de", "events.bad_date", {"value": "Mai 2027"}),
        ("13/25 Party", "en", "events.bad_date", {"value": "13/25"}),
        ("12/25/2026 Feier", "de", "events.bad_date", {"value": "12/25/2026"}),
        (
            "24. Dezember 2040 Feier",
            "de",
            "events.date_out_of_range",
            {"value": "24. Dezember 2040"},
        ),
    ],
)
def test_parse_event_spec_date_errors(
    text: str, lang: str, key: str, params: dict[str, object]
) -> None:
    with pytest.raises(DateParseError) as caught:
        parse_event_spec(text, NOW, BERLIN, lang)
    assert (caught.value.key, caught.value.params) == (key, params)
    assert set(params) == set(KEYS[key])


@pytest.mark.parametrize(
    ("text", "lang", "start", "end", "title"),
    [
        # a short date after its own weekday is that date, not a time ("15:12")
        ("Di 15.12 Workshop", "de", date(2026, 12, 15), date(2026, 12, 16), "Workshop"),
        ("Mo 30.11 Start", "de", date(2026, 11, 30), date(2026, 12, 1), "Start"),
        # ... and a time when it is no date or not that weekday's
        ("Freitag, 9.30 Frühstück", "de", local(2026, 11, 27, 9, 30), None, "Frühstück"),
        ("Freitag, 9.10 Frühstück", "de", local(2026, 11, 27, 9, 10), None, "Frühstück"),
        ("vom 4. bis 6.12. Messe", "de", date(2026, 12, 4), date(2026, 12, 7), "Messe"),
        ("from Dec 4 to Dec 6 Fair", "en", date(2026, 12, 4), date(2026, 12, 7), "Fair"),
        # a comma or semicolon after the time separates it from the title
        ("morgen, 14 Uhr, Treffen", "de", local(2026, 11, 27, 14), None, "Treffen"),
        ("morgen 14:00, Treffen", "de", local(2026, 11, 27, 14), None, "Treffen"),
        ("4.12. 18:00; Essen", "de", local(2026, 12, 4, 18), None, "Essen"),
        (
            "4.12. 18:00–19:00, Essen",
            "de",
            local(2026, 12, 4, 18),
            local(2026, 12, 4, 19),
            "Essen",
        ),
        # English rooms take a spaced am/pm; German ones read "am" as "at the"
        (
            "tomorrow 2 - 4 pm Workshop",
            "en",
            local(2026, 11, 27, 14),
            local(2026, 11, 27, 16),
            "Workshop",
        ),
        ("Monday 9:30 am Sync", "en", local(2026, 11, 30, 9, 30), None, "Sync"),
        ("morgen 9 am Rathaus", "de", local(2026, 11, 27, 9), None, "am Rathaus"),
        ("morgen 14h30 Treffen", "de", local(2026, 11, 27, 14, 30), None, "Treffen"),
        # 24 Uhr is midnight at the end of the day
        ("morgen 20-24 Uhr Feier", "de", local(2026, 11, 27, 20), local(2026, 11, 28), "Feier"),
        (
            "morgen 0-24 Uhr Aktionstag",
            "de",
            local(2026, 11, 27),
            local(2026, 11, 28),
            "Aktionstag",
        ),
        ("24.Dez.2026 Feier", "de", date(2026, 12, 24), date(2026, 12, 25), "Feier"),
        # a range's end lies in the next year only when that is near
        ("30.12.-2.1. Wechsel", "de", date(2026, 12, 30), date(2027, 1, 3), "Wechsel"),
        ("28.-3.1. Wechsel", "de", date(2026, 12, 28), date(2027, 1, 4), "Wechsel"),
        ("1.11.-31.1. Ausstellung", "de", date(2027, 11, 1), date(2028, 2, 1), "Ausstellung"),
        # a comma in a number after the date is no end of a time
        (
            "4.12. 9,5 Stunden Workshop",
            "de",
            date(2026, 12, 4),
            date(2026, 12, 5),
            "9,5 Stunden Workshop",
        ),
        # an end date without its final dot is no end time "23:12"
        (
            "22.12 20:00 - 23.12 14:00 Party",
            "de",
            local(2026, 12, 22, 20),
            local(2026, 12, 23, 14),
            "Party",
        ),
        (
            "25.12 22:00 - 26.12 14:00 Party",
            "de",
            local(2026, 12, 25, 22),
            local(2026, 12, 26, 14),
            "Party",
        ),
        # ... while a range of times with dots stays one
        (
            "4.12. 10.30-12.15 Uhr Workshop",
            "de",
            local(2026, 12, 4, 10, 30),
            local(2026, 12, 4, 12, 15),
            "Workshop",
        ),
        (
            "4.12. 22:00 – 5.12. 24:00 Lange Nacht",
            "de",
            local(2026, 12, 4, 22),
            local(2026, 12, 6),
            "Lange Nacht",
        ),
    ],
)
def test_event_lines_as_people_type_them(
    text: str, lang: str, start: date, end: date | None, title: str
) -> None:
    spec = parse_event_spec(text, NOW, BERLIN, lang)
    assert (spec.start, spec.end, spec.title) == (start, end, title)


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        (
            "25.12. 22:00 – 26.12. 14:00 Weihnachtsschicht",
            "de",
            EventSpec(
                local(2026, 12, 25, 22),
                local(2026, 12, 26, 14),
                False,
                "Weihnachtsschicht",
                None,
                None,
            ),
        ),
        (
            "Di., 8.12. 9 Uhr bis Do., 10.12. 16 Uhr Hackathon | Jena",
            "de",
            EventSpec(
                local(2026, 12, 8, 9), local(2026, 12, 10, 16), False, "Hackathon", "Jena", None
            ),
        ),
        (
            # the end without a year lies after the start: next year
            "30.12. 18:00-2.1. 12:00 Jahreswechsel",
            "de",
            EventSpec(
                local(2026, 12, 30, 18), local(2027, 1, 2, 12), False, "Jahreswechsel", None, None
            ),
        ),
        (
            "24. Dezember 20 Uhr - 26. Dezember 10 Uhr - Feiertage",
            "de",
            EventSpec(
                local(2026, 12, 24, 20), local(2026, 12, 26, 10), False, "Feiertage", None, None
            ),
        ),
        (
            "27.11. 10 Uhr – 27.11. 12 Uhr Gleicher Tag",
            "de",
            EventSpec(
                local(2026, 11, 27, 10), local(2026, 11, 27, 12), False, "Gleicher Tag", None, None
            ),
        ),
        (
            "12/25 10pm - 12/26 2pm Night shift",
            "en",
            EventSpec(
                local(2026, 12, 25, 22), local(2026, 12, 26, 14), False, "Night shift", None, None
            ),
        ),
        (
            # not a date after the dash: the title, as before
            "27.11. 19 Uhr – 12.5 Jahre Netzwerk",
            "de",
            EventSpec(local(2026, 11, 27, 19), None, False, "12.5 Jahre Netzwerk", None, None),
        ),
    ],
)
def test_parse_event_spec_with_an_end_on_another_day(
    text: str, lang: str, expected: EventSpec
) -> None:
    assert parse_event_spec(text, NOW, BERLIN, lang) == expected


@pytest.mark.parametrize(
    ("text", "key", "params"),
    [
        ("25.12. 22:00 – 26.12. Feier", "events.end_without_time", {"value": "26.12."}),
        ("25.12. 22:00 – 26.12. 9-12 Uhr Feier", "events.end_without_time", {"value": "26.12."}),
        (
            "25.12.2026 22:00 – 24.12.2026 14:00 Rückwärts",
            "events.bad_end",
            {"start": "2026-12-25T22:00", "end": "2026-12-24T14:00"},
        ),
        (
            "25.12. 22:00 – 25.12. 22:00 Null",
            "events.bad_end",
            {"start": "2026-12-25T22:00", "end": "2026-12-25T22:00"},
        ),
        (
            "1.12.2026 10:00 – 1.12.2028 10:00 Ewig",
            "events.range_too_long",
            {"max": 366},
        ),
        ("1.12.2026-3.12.2027 Messe", "events.range_too_long", {"max": 366}),
        (
            "25.12.-24.12. Tippfehler",
            "events.bad_date_range",
            {"start": "2026-12-25", "end": "2026-12-24"},
        ),
        (
            "25.12. 22:00 – 24.12. 14:00 Rückwärts",
            "events.bad_end",
            {"start": "2026-12-25T22:00", "end": "2026-12-24T14:00"},
        ),
        ("morgen 24 Uhr Nur Ende", "events.bad_time", {"value": "24 Uhr"}),
        ("morgen 0-0 Uhr Nichts", "events.bad_time_range", {"start": "00:00", "end": "00:00"}),
        ("28.3.2027 2:00-3:00 Lücke", "events.clock_gap", {"start": "02:00", "end": "03:00"}),
        # a first day after the last is a slip, not a month ("15.11.-13.12.")
        (
            "15.-13.12. Messe",
            "events.bad_date_range",
            {"start": "2026-12-15", "end": "2026-12-13"},
        ),
        ("3 - 4.12.-5.12. x", "events.bad_date", {"value": "3"}),
        (
            "25.12. 22:00 – Do., 26.12. 14:00 Falscher Tag",
            "events.weekday_mismatch",
            {"date": "2026-12-26", "weekday": 5, "typed": 3},
        ),
    ],
)
def test_an_end_on_another_day_is_checked(text: str, key: str, params: dict[str, object]) -> None:
    with pytest.raises(DateParseError) as caught:
        parse_event_spec(text, NOW, BERLIN)
    assert (caught.value.key, caught.value.params) == (key, params)
    assert set(params) == set(KEYS[key])


@pytest.mark.parametrize("lang", ["de", "en"])
def test_every_parse_error_has_a_message_with_its_parameters(lang: str) -> None:
    for key, params in KEYS.items():
        fields = {name for _, name, _, _ in string.Formatter().parse(CATALOGUE[lang][key]) if name}
        assert fields == set(params), key


# --- property tests -------------------------------------------------------------------------

_TODAYS = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))
_PIECES = st.text(alphabet="0123456789..::--– |/ abdefghimnorstuwyzäöüÜß²٣\t\n", max_size=60)
_WORDS = st.lists(
    st.sampled_from(
        [
            "24.",
            "8.12",
            "8.12.",
            "12/25",
            "2026",
            "Dez.",
            "März",
            "Dec",
            "May",
            "24th",
            ",",
            "Di.,",
            "Montag",
            "nächsten",
            "bis",
            "-",
            "10:00",
            "9",
            "Uhr",
            "pm",
            "Feier",
            "am",
        ]
    ),
    max_size=8,
).map(" ".join)
_LANGS = st.sampled_from(["de", "en"])


@settings(max_examples=400, deadline=None)
@given(text=st.one_of(st.text(max_size=80), _PIECES, _WORDS), today=_TODAYS, lang=_LANGS)
def test_parse_date_raises_only_date_parse_error(text: str, today: date, lang: str) -> None:
    try:
        result = parse_date(text, today, lang)
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
    text=st.one_of(st.text(max_size=120), _PIECES, _PIECES.map(lambda s: "1.12. " + s), _WORDS),
    now=st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 12, 31)),
    zone=st.sampled_from(["Europe/Berlin", "UTC", "America/New_York", "Pacific/Kiritimati"]),
    lang=_LANGS,
)
def test_parse_event_spec_raises_only_date_parse_error(
    text: str, now: datetime, zone: str, lang: str
) -> None:
    tz = ZoneInfo(zone)
    try:
        spec = parse_event_spec(text, now.replace(tzinfo=tz), tz, lang)
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
