"""Dates, times and event lines as managers type them, in German first and English second.

    !termin add <Datum> [<Uhrzeit>[-<Uhrzeit> | – <Datum> <Uhrzeit>]] <Titel> [| Ort] [| Link]

Dates: `25.11.2026`, `25.11.26`, `25.11.` / `25.11` (the next 25 November: already past this
year means next year), `2026-11-25`, month names and their abbreviations (`24. Dezember`,
`24. Dez.`, `3. März 2027`, `3. Maerz`), `heute`/`today`, `morgen`/`tomorrow`, `übermorgen`,
weekday names (`Montag`, `Mo`, `monday`, `mon`) and ranges of days (`25.-27.11.`,
`25.11.-27.11.2026`, `25.11. bis 27.11.`, `24.-26. Dezember`).

In English rooms also the form the bot writes there, month first (`12/25`, `12/25/2026`,
`12/25/26`), and English month names (`December 24`, `Dec 24, 2026`, `24 Dec 2026`). German
rooms take no slashes: "1/2" would be 1 February there and 2 January in English.

A weekday may stand before a date (`Dienstag, 8.12.`, `Di., 8.12.`, `Tuesday, December 8`);
it must be that date's weekday, else the line is refused. After a weekday a short German date
without its final dot is a date when it falls on that weekday or a clear time follows, else
the time: `Freitag, 9.30 Frühstück` is Friday at 9:30; `Freitag, 11.12. Frühstück`,
`Fr 11.12 Frühstück` and `Freitag, 11.12 9:30 Frühstück` are dates (11.12.2026 is a Friday).

A bare weekday means the nearest such day *including today*: on a Monday, "Montag" is today
(people say "heute" or "nächsten Montag" when they mean otherwise). `nächsten Montag`,
`kommenden Montag` and `next monday` mean the first such day strictly after today.

Times: `14:30`, `14.30`, `14 Uhr`, `14:30 Uhr`, `14h`, `9`, `2pm`, `2:30pm`, and ranges
`14-16 Uhr`, `14:00–16:00`, `14 bis 16 Uhr`. A title that starts with a number therefore
needs a time in front of it. An end before the start runs past midnight only when it is early
next morning, at 06:00 or before (`22-2 Uhr`, `18:00-06:00`); any other (`16:00-14:00`) is
refused as a slip. An end on another day is typed with its date after the start time
(`25.12. 22:00 – 26.12. 14:00`, `12/25 10pm - 12/26 2pm`); a range of days without a time is
an all-day event. A range of days with one time (`1.-3.12. 10 Uhr`) is refused: it is unclear
whether the time is each day's or the start's.

Every failure raises `DateParseError` with a message key (see `KEYS`) and parameters. A date
that is not understood is quoted as far as it looks like one (`24. Dezembr 2026`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from plugins.events.errors import DateParseError
from plugins.events.text import MAX_LINE, MAX_URL, plain

MAX_SPEC_LENGTH = 1000
#: Years accepted around today; protects date arithmetic and catches typos like 2206.
YEARS_BACK = 1
YEARS_AHEAD = 10
#: Longest accepted range of days ("1.-3.12.").
MAX_RANGE_DAYS = 366
#: A range's end without a year lies in the next year ("30.12.-2.1.") only this close.
LONGEST_ROLLOVER_DAYS = 183
#: "28.-3.1." starts in the month before only this close; "15.-13.12." is a slip.
LONGEST_BARE_ROLLOVER_DAYS = 14
#: An end time before the start time means the next morning up to this time ("22-2 Uhr").
LATEST_NEXT_MORNING = time(6, 0)

#: Every message key this module raises, with the parameters it passes.
KEYS = {
    "events.missing_date": (),
    "events.bad_date": ("value",),
    "events.date_out_of_range": ("value",),
    "events.bad_time": ("value",),
    "events.bad_time_range": ("start", "end"),
    "events.clock_gap": ("start", "end"),
    "events.end_before_start": ("start", "end"),
    "events.range_with_time": ("value",),
    "events.end_without_time": ("value",),
    "events.bad_end": ("start", "end"),
    "events.bad_date_range": ("start", "end"),
    "events.range_too_long": ("max",),
    "events.weekday_mismatch": ("date", "weekday", "typed"),
    "events.missing_title": (),
    "events.title_too_long": ("max",),
    "events.place_too_long": ("max",),
    "events.spec_too_long": ("max",),
    "events.too_many_parts": ("max",),
    "events.bad_url": ("value",),
}


@dataclass(frozen=True, slots=True)
class EventSpec:
    """A manually entered event. Timed: aware datetimes in the given tz, `end` None when no
    end time was typed. All-day: dates, `end` exclusive (the day after the last day)."""

    start: datetime | date
    end: datetime | date | None
    all_day: bool
    title: str
    location: str | None
    url: str | None


_WEEKDAYS = {
    name: index
    for index, names in enumerate(
        (
            ("montag", "mo", "monday", "mon"),
            ("dienstag", "di", "tuesday", "tue", "tues"),
            ("mittwoch", "mi", "wednesday", "wed"),
            ("donnerstag", "do", "thursday", "thu", "thur", "thurs"),
            ("freitag", "fr", "friday", "fri"),
            ("samstag", "sonnabend", "sa", "saturday", "sat"),
            ("sonntag", "so", "sunday", "sun"),
        )
    )
    for name in names
}
_RELATIVE = {
    "heute": 0,
    "today": 0,
    "morgen": 1,
    "tomorrow": 1,
    "übermorgen": 2,
    "uebermorgen": 2,
}
_NEXT = ("nächsten", "nächster", "nächste", "naechsten", "kommenden", "kommender", "next")


_MONTHS_DE = {
    name: number
    for number, names in enumerate(
        (
            ("januar", "jan", "jänner", "jaenner"),
            ("februar", "feb"),
            ("märz", "maerz", "mär", "mrz"),
            ("april", "apr"),
            ("mai",),
            ("juni", "jun"),
            ("juli", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("oktober", "okt"),
            ("november", "nov"),
            ("dezember", "dez"),
        ),
        start=1,
    )
    for name in names
}
_MONTHS_EN = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
#: Month names each room language understands: German ones everywhere (the networks write
#: German), English ones in English rooms.
_MONTHS = {"de": _MONTHS_DE, "en": {**_MONTHS_DE, **_MONTHS_EN}}
_ALL_MONTHS = _MONTHS["en"]

# ASCII digits only: str.isdigit() and \d accept "²" or Arabic-Indic digits that int() rejects.
_FLAGS = re.IGNORECASE | re.ASCII
_TO = r"\s*(?:-|–|—|bis|to|until)\s*"
_LETTER = "A-Za-zÄÖÜäöüß"
_END_OF_WORD = rf"(?![{_LETTER}])"
_ORDINAL = r"(?:st|nd|rd|th)"


def _alternatives(names: Iterable[str]) -> str:
    """A regex alternation of `names`, longest first; umlauts in either case (re.ASCII)."""
    ordered = sorted(names, key=len, reverse=True)
    return "|".join(
        re.escape(name).replace("ä", "[äÄ]").replace("ö", "[öÖ]").replace("ü", "[üÜ]")
        for name in ordered
    )


def _date_pattern(p: str, lang: str) -> str:
    months = _alternatives(_MONTHS[lang])
    forms = [
        rf"(?P<{p}Y>[0-9]{{4}})-(?P<{p}M>[0-9]{{1,2}})-(?P<{p}D>[0-9]{{1,2}})",
        rf"(?P<{p}d>[0-9]{{1,2}})\.(?P<{p}m>[0-9]{{1,2}})(?:\.(?P<{p}y>[0-9]{{4}}|[0-9]{{2}})?)?",
        # "24. Dezember", "24. Dez. 2026", "24 Dec 2026", "24th December"
        rf"(?P<{p}nd>[0-9]{{1,2}})(?:\.|{_ORDINAL})?\s*(?P<{p}nm>{months}){_END_OF_WORD}\.?"
        rf"(?:(?:,?\s+|(?<=\.))(?P<{p}ny>[0-9]{{4}}))?",  # "24.Dez.2026" too
    ]
    if lang == "en":
        forms += [
            # month first, as the bot writes dates in English: "12/25", "12/25/2026"
            rf"(?P<{p}sm>[0-9]{{1,2}})/(?P<{p}sd>[0-9]{{1,2}})(?:/(?P<{p}sy>[0-9]{{4}}|[0-9]{{2}}))?",
            # "December 24", "Dec. 24th, 2026"
            rf"(?P<{p}fm>{months}){_END_OF_WORD}\.?\s*(?P<{p}fd>[0-9]{{1,2}}){_ORDINAL}?"
            rf"(?:,?\s+(?P<{p}fy>[0-9]{{4}}))?",
        ]
    return "(?:" + "|".join(forms) + ")"


def _time_pattern(p: str, spaced_ampm: bool) -> str:
    gap = r"\s*" if spaced_ampm else ""
    return (
        rf"(?P<{p}h>[0-9]{{1,2}})(?:(?:[:.]|h(?=[0-9]))(?P<{p}m>[0-9]{{2}}))?"  # 14h30 too
        rf"(?:\s*(?P<{p}uhr>uhr|h)\b|{gap}(?P<{p}ampm>am|pm)\b)?"
    )


@functools.cache
def _date_at_start(lang: str) -> re.Pattern[str]:
    months = _alternatives(_MONTHS[lang])
    weekday = (
        rf"(?:(?P<next>{_alternatives(_NEXT)})\s+)?"
        rf"(?P<wd>{_alternatives(tuple(_WEEKDAYS))}){_END_OF_WORD}\.?(?:\s*,\s*|\s+)"
        r"(?:(?:den|the)\s+)?"  # "Montag, den 7. Dezember"
    )
    # "25.-27.11.", "24.-26. Dezember": a bare day, completed by the date after the dash
    bare = (
        rf"(?P<bare>[0-9]{{1,2}})(?:\.|{_ORDINAL})?(?=\s*(?:-|–|—|bis|to)\s*[0-9]{{1,2}}"
        rf"(?:\.[0-9]|(?:\.|{_ORDINAL})?\s*(?:{months}){_END_OF_WORD}))"
    )
    return re.compile(
        r"(?:(?:am|vom|on|from)\s+)?"  # "vom 4. bis 6.12."
        rf"(?:{weekday})?"
        rf"(?:{bare}|(?P<adate>{_date_pattern('a', lang)}))"
        rf"(?:{_TO}(?P<bdate>{_date_pattern('b', lang)}))?"
        r"(?=[\s,]|\Z),?",
        _FLAGS,
    )


_TIME_ONLY = re.compile(_time_pattern("a", spaced_ampm=True) + r"\Z", _FLAGS)


@functools.cache
def _time_at_start(lang: str, ranges: bool = True) -> re.Pattern[str]:
    # In German rooms "9 am Rathaus" is "at the", so am/pm must be glued on there.
    spaced = lang == "en"
    end = rf"(?:{_TO}{_time_pattern('b', spaced_ampm=spaced)})?" if ranges else ""
    return re.compile(
        r"(?:(?:um|ab|von|at|from)\s+)?"
        + _time_pattern("a", spaced_ampm=spaced)
        + end
        # a comma or semicolon and a space may end the time ("14 Uhr, Treffen", not the
        # "9,5 Stunden" of a title); "18:00-2.1. 12:00": a dash and a date may follow it
        + r"(?=\s|\Z|[,;](?:\s|\Z)|[-–—][0-9]{1,2}[./][0-9])",
        _FLAGS,
    )


_TO_AT_START = re.compile(_TO, _FLAGS)
_WORD = re.compile(r"\S+")
_TITLE_LEAD = " \t-–—,:;"
_URL = re.compile(r"(?:https?://|www\.)\S+\Z", re.IGNORECASE)


def parse_date(text: str, today: date, lang: str = "de") -> date:
    """One date (no range) in a room of language `lang`; see the module docstring."""
    value = text.strip()
    start, end, rest = _take_date(value, today, lang)
    if end is not None or rest.strip(" ,."):
        raise DateParseError("events.bad_date", {"value": value[:50]})
    return start


def parse_time(text: str) -> time:
    """`14:30`, `14.30`, `14 Uhr`, `14h`, `9`, `2pm`, `2:30 pm` -> a time of day."""
    value = text.strip()
    match = _TIME_ONLY.match(value)
    if match is None:
        raise DateParseError("events.bad_time", {"value": value[:50]})
    return _time_from(match, "a", value)


def parse_event_spec(text: str, now: datetime, tz: tzinfo, lang: str = "de") -> EventSpec:
    """Split `Datum [Uhrzeit[-Uhrzeit]] Titel [| Ort] [| Link]` into an `EventSpec`.

    `now` is the current moment (naive means: already in `tz`); `lang` is the room's language
    (English rooms also take `12/25` and English month names). With only two parts the
    second is the link if it looks like one (`https://…`, `www.…`), else the place.
    """
    if len(text) > MAX_SPEC_LENGTH:
        raise DateParseError("events.spec_too_long", {"max": MAX_SPEC_LENGTH})
    parts = [part.strip() for part in text.split("|")]
    if len(parts) > 3:
        raise DateParseError("events.too_many_parts", {"max": 3})
    head = parts[0]
    location, url = _place_and_link(parts[1:])
    today = (now if now.tzinfo is None else now.astimezone(tz)).date()

    start_day, end_day, rest = _take_date(head, today, lang)
    date_text = head.lstrip()[: len(head.lstrip()) - len(rest)].strip(" ,")
    try:
        start_time, end_time, end_is_24, after = _take_time(rest, lang)
        range_error = None
    except DateParseError as exc:  # "22:00 - 26.12 14:00" is no range of times "22-26.12"
        start_time, end_time, end_is_24, after, range_error = None, None, False, rest, exc
    end_at: tuple[date, time] | None = None
    other_day = None
    if end_day is None:
        other_day = _end_on_another_day(
            rest, start_day, today, lang, a_range_is_possible=end_time is not None
        )
    if other_day is not None:
        start_time, end_at, rest = other_day
        end_time = None
    elif range_error is not None:
        raise range_error
    else:
        rest = after
    title = plain(rest.lstrip(_TITLE_LEAD))
    if not title:
        raise DateParseError("events.missing_title")
    if len(title) > MAX_LINE:
        raise DateParseError("events.title_too_long", {"max": MAX_LINE})

    if start_time is None:
        last = end_day or start_day
        return EventSpec(start_day, last + timedelta(days=1), True, title, location, url)
    if end_day is not None and end_day != start_day:
        raise DateParseError("events.range_with_time", {"value": date_text[:50]})
    start = _at(start_day, start_time, tz)
    end = None
    if end_at is not None:
        end = _at(*end_at, tz)
        _check_span(start, end)
    elif end_time is not None:
        times = {"start": start_time.strftime("%H:%M"), "end": end_time.strftime("%H:%M")}
        whole_day = end_is_24 and start_time == time(0)  # "0-24 Uhr"
        if end_time == start_time and not whole_day:
            raise DateParseError("events.bad_time_range", times)
        # An end before the start is the next morning if it is early ("22-2 Uhr"); anything
        # else ("16:00-14:00") is a slip that would silently make a 22-hour event.
        if end_time < start_time and end_time > LATEST_NEXT_MORNING:
            raise DateParseError("events.end_before_start", times)
        next_day = end_time <= start_time
        end = _at(start_day + timedelta(days=1) if next_day else start_day, end_time, tz)
        if end <= start:  # "2:00-3:00" on the night the clocks go forward: no time at all
            raise DateParseError("events.clock_gap", times)
    return EventSpec(start, end, False, title, location, url)


# --- pieces ---------------------------------------------------------------------------------


def _take_date(head: str, today: date, lang: str) -> tuple[date, date | None, str]:
    """The date (or range of days) at the start of `head`, and what follows it."""
    stripped = head.lstrip()
    if not stripped:
        raise DateParseError("events.missing_date")
    match = _date_at_start(lang if lang in _MONTHS else "de").match(stripped)
    if match is not None and not _time_after_weekday(match, stripped[match.end() :], today, lang):
        value = match.group(0).strip().rstrip(",")[:50]
        start, end = _date_range(match, today, value)
        _check_weekday(match, start)
        return start, end, stripped[match.end() :]
    words = [(w.group(0), w.end()) for w in _WORD.finditer(stripped)][:3]
    if words and words[0][0].casefold() in ("am", "on"):
        words = words[1:]
    names = [word.casefold().rstrip(".,") for word, _ in words]
    if len(names) >= 2 and names[0] in _NEXT and names[1] in _WEEKDAYS:
        return _weekday(names[1], today, strictly_after=True), None, stripped[words[1][1] :]
    if names and names[0] in _RELATIVE:
        return today + timedelta(days=_RELATIVE[names[0]]), None, stripped[words[0][1] :]
    if names and names[0] in _WEEKDAYS:
        return _weekday(names[0], today, strictly_after=False), None, stripped[words[0][1] :]
    start_of_words = words[0][1] - len(words[0][0]) if words else 0
    raise DateParseError("events.bad_date", {"value": _date_like(stripped[start_of_words:])})


def _check_weekday(match: re.Match[str], day: date) -> None:
    """A weekday typed before a date must be that date's."""
    typed = match.group("wd")
    if typed is not None and _WEEKDAYS[typed.casefold()] != day.weekday():
        raise DateParseError(
            "events.weekday_mismatch",
            {
                "date": day.isoformat(),
                "weekday": day.weekday(),
                "typed": _WEEKDAYS[typed.casefold()],
            },
        )


def _time_after_weekday(match: re.Match[str], rest: str, today: date, lang: str) -> bool:
    """ "Freitag, 9.30 Frühstück": after a weekday a short date without its final dot is
    the time. "Freitag, 9.12." and "Freitag, 9.12.2026" are dates, and so is "Dienstag 8.12"
    when it is that weekday's date ("Di 15.12 Workshop") or a clear time follows ("10:00",
    "10 Uhr", "10-12")."""
    if match.group("wd") is None or match.group("ad") is None:
        return False
    if match.group("bdate") is not None or not _short_date(match):
        return False
    try:
        day = _date_from(match, "a", today, match.group("adate"))
    except DateParseError:
        return True  # "9.30" is no date
    if day.weekday() == _WEEKDAYS[match.group("wd").casefold()]:
        return False
    after = _time_at_start(lang).match(rest.lstrip())
    # clear: with minutes ("am"), "Uhr"/"h", am/pm, or an end time
    return after is None or not any(
        after.group(g) is not None for g in ("am", "auhr", "aampm", "bh")
    )


def _short_date(match: re.Match[str]) -> bool:
    """ "12.5": a day and month without final dot or year, which may as well be a number."""
    return (
        match.group("ad") is not None
        and match.group("ay") is None
        and not match.group("adate").endswith(".")
    )


def _date_like(text: str) -> str:
    """The leading words that look like a try at a date ("24. Dezembr 2026"), for the error."""
    words = text.split()[:6]
    if not words:
        return text[:50]
    taken = [words[0]]
    day_first = re.fullmatch(r"[0-9]{1,2}\.?", words[0], re.ASCII) is not None
    for word in words[1:]:
        bare = word.casefold().strip(".,")
        if bare in _ALL_MONTHS or (day_first and len(taken) == 1 and bare.isalpha()):
            taken.append(word)  # a month name, or a misspelt one after a day ("24. Dezembr")
        elif re.fullmatch(r"[0-9]{4}", bare, re.ASCII):
            taken.append(word)  # a year ends it
            break
        elif re.fullmatch(rf"[0-9]{{1,2}}{_ORDINAL}?", bare, _FLAGS) and not _has_digit(taken):
            taken.append(word)  # the day after a month ("Decembr 24")
        else:
            break
    return " ".join(taken).rstrip(",")[:50]


def _has_digit(words: list[str]) -> bool:
    return any(char.isdigit() for word in words for char in word)


def _fields(match: re.Match[str], p: str) -> tuple[int, int, int | None]:
    """Day, month and year (None when not typed) of the date whose groups start with `p`."""
    found = {k.removeprefix(p): v for k, v in match.groupdict().items() if k.startswith(p) and v}
    if "Y" in found:
        return int(found["D"]), int(found["M"]), int(found["Y"])
    if "d" in found:
        day, month, year = found["d"], found["m"], found.get("y")
    elif "nd" in found:
        day, month, year = found["nd"], str(_ALL_MONTHS[found["nm"].casefold()]), found.get("ny")
    elif "sm" in found:
        day, month, year = found["sd"], found["sm"], found.get("sy")
    else:
        day, month, year = found["fd"], str(_ALL_MONTHS[found["fm"].casefold()]), found.get("fy")
    if year is None:
        return int(day), int(month), None
    return int(day), int(month), int(year) + (2000 if len(year) == 2 else 0)


def _date_range(match: re.Match[str], today: date, value: str) -> tuple[date, date | None]:
    if match.group("bare") is not None:
        if match.group("bdate") is None:  # "3 - 4.12.-5.12.": the dash led to no date
            raise DateParseError("events.bad_date", {"value": value})
        end = _date_from(match, "b", today, value)
        start = _bare_start(int(match.group("bare")), end, value)
    else:
        start = _date_from(match, "a", today, value)
        end = None
        if match.group("bdate") is not None:
            end = _date_on_or_after(match, "b", start, today, value)
    if end is not None and end < start:
        raise DateParseError(
            "events.bad_date_range", {"start": start.isoformat(), "end": end.isoformat()}
        )
    if end is not None and end - start > timedelta(days=MAX_RANGE_DAYS):
        raise DateParseError("events.range_too_long", {"max": MAX_RANGE_DAYS})
    return start, end


def _bare_start(day: int, end: date, value: str) -> date:
    """The first day of "25.-27.11.": in the end's month, or for "28.-3.1." in the month
    before when that is near; else in the end's month after the end ("15.-13.12."), for the
    caller to refuse as a slip."""
    if day > end.day:
        last_month = end.replace(day=1) - timedelta(days=1)
        before = _day_month(day, last_month.month, last_month.year, value)
        if end - before <= timedelta(days=LONGEST_BARE_ROLLOVER_DAYS):
            return before
    return _day_month(day, end.month, end.year, value)


def _date_on_or_after(match: re.Match[str], p: str, start: date, today: date, value: str) -> date:
    """The end date of a range: as typed with a year, else the first on or after `start`
    within half a year ("30.12.-02.01." ends in the next year; "25.12.-24.12." is a slip, not
    a year, and is returned before the start for the caller to refuse)."""
    day, month, year = _fields(match, p)
    if year is not None:
        return _checked(year, month, day, today, value)
    end = _day_month(day, month, start.year, value)
    if end >= start:
        return end
    next_year = _day_month(day, month, start.year + 1, value)
    return next_year if next_year - start <= timedelta(days=LONGEST_ROLLOVER_DAYS) else end


def _take_time(rest: str, lang: str) -> tuple[time | None, time | None, bool, str]:
    """The time or range of times at the start of `rest`, whether its end was typed as
    24 ("20-24 Uhr": midnight at the end of the day), and what follows."""
    stripped = rest.lstrip()
    match = _time_at_start(lang).match(stripped)
    if match is None:
        return None, None, False, stripped
    value = match.group(0).strip()
    start = _time_from(match, "a", value)
    end = _time_from(match, "b", value, allow_24=True) if match.group("bh") else None
    if end is not None and match.group("aampm") is None and match.group("bampm") is not None:
        # "2-4pm": the suffix of the end time counts for the start as well
        start = _time_from(match, "a", value, ampm=match.group("bampm"))
    return start, end, end is not None and int(match.group("bh")) == 24, stripped[match.end() :]


def _end_on_another_day(
    rest: str, start_day: date, today: date, lang: str, *, a_range_is_possible: bool
) -> tuple[time, tuple[date, time], str] | None:
    """ "22:00 – 26.12. 14:00": the start time, the end with its date, and what follows;
    None if `rest` is no such line. Tried before a range of times, as "20:00 - 23.12 14:00"
    would read as 20:00-23:12. When the line also reads as such a range ("10.30-12.15
    Uhr"), a date that fails is no end date."""
    stripped = rest.lstrip()
    start = _time_at_start(lang, ranges=False).match(stripped)
    if start is None:
        return None
    try:
        end_at, after = _take_end(stripped[start.end() :], start_day, today, lang)
    except DateParseError:
        if a_range_is_possible:
            return None
        raise
    if end_at is None:
        return None
    return _time_from(start, "a", start.group(0).strip()), end_at, after


def _take_end(
    rest: str, start_day: date, today: date, lang: str
) -> tuple[tuple[date, time] | None, str]:
    """ "– 26.12. 14:00" after a start time: an end on a later day, and what follows it.

    Only a date (no range of days) right after the dash counts; it then needs its time, as
    the start has one. Anything else is left for the title ("19 Uhr – Tag der offenen
    Tür"). "24:00" ends the day: the next one at 00:00."""
    to = _TO_AT_START.match(rest)
    if to is None:
        return None, rest
    after = rest[to.end() :]
    match = _date_at_start(lang if lang in _MONTHS else "de").match(after)
    if match is None or match.group("adate") is None or match.group("bdate") is not None:
        return None, rest
    value = match.group(0).strip().rstrip(",")[:50]
    day = _date_on_or_after(match, "a", start_day, today, value)
    _check_weekday(match, day)
    after = after[match.end() :].lstrip()
    clock = _time_at_start(lang).match(after)
    if clock is None or clock.group("bh") is not None:
        if _short_date(match):
            return None, rest  # "– 12.5 Jahre Netzwerk": a number, not an end date
        raise DateParseError("events.end_without_time", {"value": value})
    clock_text = clock.group(0).strip()
    end = _time_from(clock, "a", clock_text, allow_24=True)
    if int(clock.group("ah")) == 24:
        day += timedelta(days=1)
    return (day, end), after[clock.end() :]


def _check_span(start: datetime, end: datetime) -> None:
    if end <= start:
        raise DateParseError(
            "events.bad_end", {"start": _local_text(start), "end": _local_text(end)}
        )
    if end - start > timedelta(days=MAX_RANGE_DAYS):
        raise DateParseError("events.range_too_long", {"max": MAX_RANGE_DAYS})


def _local_text(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M")


def _time_from(
    match: re.Match[str], p: str, value: str, ampm: str | None = None, allow_24: bool = False
) -> time:
    """The time of the groups starting with `p`; with `allow_24`, an end typed "24" or
    "24:00" is midnight (the caller puts it on the next day)."""
    hour = int(match.group(f"{p}h"))
    minute = int(match.group(f"{p}m") or 0)
    suffix = (ampm or match.group(f"{p}ampm") or "").lower()
    if suffix:
        if not 1 <= hour <= 12:
            raise DateParseError("events.bad_time", {"value": value[:50]})
        hour = hour % 12 + (12 if suffix == "pm" else 0)
    if allow_24 and (hour, minute) == (24, 0) and not suffix:
        return time(0)
    if hour > 23 or minute > 59:
        raise DateParseError("events.bad_time", {"value": value[:50]})
    return time(hour, minute)


def _date_from(match: re.Match[str], p: str, today: date, value: str) -> date:
    day, month, year = _fields(match, p)
    if year is not None:
        return _checked(year, month, day, today, value)
    return _next_date(day, month, today, value)


def _next_date(day: int, month: int, today: date, value: str) -> date:
    """The next day/month on or after today; 29.02. waits for the next leap year."""
    if not (1 <= month <= 12 and 1 <= day <= 31):
        raise DateParseError("events.bad_date", {"value": value[:50]})
    for year in range(today.year, today.year + 9):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate >= today:
            return candidate
    raise DateParseError("events.bad_date", {"value": value[:50]})


def _checked(year: int, month: int, day: int, today: date, value: str) -> date:
    try:
        result = date(year, month, day)
    except ValueError:
        raise DateParseError("events.bad_date", {"value": value[:50]}) from None
    if not today.year - YEARS_BACK <= year <= today.year + YEARS_AHEAD:
        raise DateParseError("events.date_out_of_range", {"value": value[:50]})
    return result


def _day_month(day: int, month: int, year: int, value: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise DateParseError("events.bad_date", {"value": value}) from None


def _weekday(word: str, today: date, strictly_after: bool) -> date:
    ahead = (_WEEKDAYS[word] - today.weekday()) % 7
    if strictly_after and ahead == 0:
        ahead = 7
    return today + timedelta(days=ahead)


def _at(day: date, clock: time, tz: tzinfo) -> datetime:
    local = datetime.combine(day, clock, tzinfo=tz)
    # A wall time in the spring-forward gap does not exist; the round trip through UTC moves
    # it to the real time it denotes (02:30 -> 03:30), like calendar apps do.
    return local.astimezone(UTC).astimezone(tz)


def _place_and_link(parts: list[str]) -> tuple[str | None, str | None]:
    if not parts:
        return None, None
    if len(parts) == 1:
        only = parts[0]
        if _URL.match(only):
            return None, _checked_url(only)
        return _place(only), None
    return _place(parts[0]), _checked_url(parts[1]) if parts[1] else None


def _place(value: str) -> str | None:
    place = plain(value)
    if len(place) > MAX_LINE:
        raise DateParseError("events.place_too_long", {"max": MAX_LINE})
    return place or None


def _checked_url(value: str) -> str:
    url = value.strip()
    if url.lower().startswith("www."):
        url = "https://" + url
    if len(url) > MAX_URL or not re.match(r"https?://[^\s/?#]+\S*\Z", url, re.IGNORECASE):
        raise DateParseError("events.bad_url", {"value": value[:50]})
    return url
