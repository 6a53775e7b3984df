"""Event lists, the digest and the digest's JSON. Feed contents are untrusted: escaped."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta, tzinfo
from itertools import groupby
from typing import Any

from bot.i18n import Translator
from bot.messages import md_code, md_escape, md_link
from plugins.events.errors import Problem
from plugins.events.occurrence import Occurrence

#: Events one day shows in a list or the digest; the rest are counted ("… und 3 weitere").
MAX_PER_DAY = 15
#: Events `!termine` shows in all: a list of months is cut at its end, not in each day.
MAX_LISTED = 60


def problem_text(t: Translator, problem: Problem) -> str:
    params = {key: md_escape(str(value)) for key, value in problem.params.items()}
    return t(problem.key, **params)


def problems_text(t: Translator, problems: Sequence[Problem]) -> str:
    return "; ".join(problem_text(t, problem) for problem in problems)


def incomplete_notes(t: Translator, problems: Mapping[str, Sequence[Problem]]) -> str:
    """A line per source that lacks something in the shown window; empty if none does."""
    return "  \n".join(
        t("events.list.incomplete", name=md_code(name), problems=problems_text(t, found))
        for name, found in sorted(problems.items())
    )


def day_label(t: Translator, day: date, this_year: int | None = None) -> str:
    """ "Dienstag, 24.11."; with the year when it is not `this_year` (the one the reader is in)."""
    weekday = t("events.weekdays").split(",")[day.weekday()]
    key = "events.day" if this_year in (None, day.year) else "events.day_year"
    return t(key, weekday=weekday, day=day.day, month=day.month, year=day.year)


def local_day(occurrence: Occurrence, tz: tzinfo) -> date:
    start = occurrence.start
    return start.astimezone(tz).date() if isinstance(start, datetime) else start


def when_text(t: Translator, occurrence: Occurrence, tz: tzinfo) -> str:
    first = local_day(occurrence, tz)
    if occurrence.all_day or not isinstance(occurrence.start, datetime):
        text = t("events.all_day")
        last = occurrence.end - timedelta(days=1) if isinstance(occurrence.end, date) else None
        if isinstance(last, date) and last > occurrence.start:
            text += " " + t("events.until", date=day_label(t, last, first.year))
        return text
    start = occurrence.start.astimezone(tz)
    end = occurrence.end.astimezone(tz) if isinstance(occurrence.end, datetime) else start
    if end.date() != start.date():
        until = f"{day_label(t, end.date(), first.year)} {end:%H:%M}"
        return f"{start:%H:%M} " + t("events.until", date=until)
    return f"{start:%H:%M}–{end:%H:%M}" if end > start else f"{start:%H:%M}"


def ongoing_text(t: Translator, occurrence: Occurrence, tz: tzinfo, day: date) -> str:
    """ "läuft bis …" for an occurrence that began before `day`, listed under `day`."""
    end = occurrence.end
    if isinstance(end, datetime):
        local_end = end.astimezone(tz)
        until = f"{local_end:%H:%M}"
        if local_end.date() != day:
            until = f"{day_label(t, local_end.date(), day.year)} {until}"
    else:
        until = day_label(t, max(end - timedelta(days=1), day), day.year)
    return t("events.ongoing", date=until)


def title_text(t: Translator, occurrence: Occurrence) -> str:
    """The title, escaped; a feed's event without one gets a placeholder."""
    return md_escape(occurrence.title) if occurrence.title.strip() else t("events.untitled")


def place_and_link(occurrence: Occurrence) -> list[str]:
    parts = [md_escape(occurrence.location)] if occurrence.location else []
    if occurrence.url:
        parts.append(md_link("Link", occurrence.url))
    return parts


def event_line(
    t: Translator, occurrence: Occurrence, tz: tzinfo, listed_on: date | None = None
) -> str:
    """One event; `listed_on`: the day it is listed under, when it began before that day."""
    when = (
        ongoing_text(t, occurrence, tz, listed_on)
        if listed_on is not None and local_day(occurrence, tz) < listed_on
        else when_text(t, occurrence, tz)
    )
    parts = [f"{when} **{title_text(t, occurrence)}**", *place_and_link(occurrence)]
    if occurrence.sources:
        parts.append(f"_{md_escape(', '.join(occurrence.sources))}_")
    elif occurrence.entered_by:
        parts.append("_" + t("events.entered_by", user=md_escape(occurrence.entered_by)) + "_")
    return " · ".join(parts)


def by_day(
    t: Translator,
    occurrences: Sequence[Occurrence],
    tz: tzinfo,
    this_year: int | None = None,
    first: date | None = None,
    *,
    per_day: int = MAX_PER_DAY,
    total: int | None = None,
) -> str:
    """The occurrences under a heading per day, at most `per_day` each (the rest counted),
    and `total` in all (None: every day is shown). Those that began before `first` (a fair
    since Saturday, last night's party) are listed under `first`, as running until ..."""

    def listed_day(occurrence: Occurrence) -> date:
        day = local_day(occurrence, tz)
        return max(day, first) if first is not None else day

    lines: list[str] = []
    shown_in_all = listed = 0
    for day, group in groupby(occurrences, key=listed_day):  # by start: running ones first
        if total is not None and shown_in_all >= total:
            break
        items = list(group)
        shown = items[: per_day if total is None else min(per_day, total - shown_in_all)]
        shown_in_all += len(shown)
        listed += len(items)
        lines += ["", f"**{day_label(t, day, this_year)}**", ""]
        lines += [f"- {event_line(t, o, tz, day)}" for o in shown]
        if len(items) > len(shown):
            lines += ["", t("events.list.more", count=len(items) - len(shown))]
    if len(occurrences) > listed:  # only with `total`: later days left out
        lines += ["", t("events.list.more_later", count=len(occurrences) - listed)]
    return "\n".join(lines)


def event_list(
    t: Translator,
    occurrences: Sequence[Occurrence],
    first: date,
    last: date,
    tz: tzinfo,
    problems: Mapping[str, Sequence[Problem]] | None = None,
) -> str:
    period = {"start": day_label(t, first, first.year), "end": day_label(t, last, first.year)}
    if not occurrences:
        text = t("events.list.none", **period)
    else:
        listing = by_day(t, occurrences, tz, first.year, first, total=MAX_LISTED)
        text = t("events.list.header", **period) + "\n" + listing
    notes = incomplete_notes(t, problems or {})
    return text + "\n\n" + notes if notes else text


def digest(
    t: Translator,
    occurrences: Sequence[Occurrence],
    first: date,
    last: date,
    tz: tzinfo,
    stale_section: str | None,
    problems: Mapping[str, Sequence[Problem]] | None = None,
) -> str:
    start, end = day_label(t, first, first.year), day_label(t, last, first.year)
    text = t("events.digest.header", start=start, end=end)
    text += "\n" + (
        by_day(t, occurrences, tz, first.year, first)
        if occurrences
        else "\n" + t("events.digest.no_events")
    )
    notes = incomplete_notes(t, problems or {})
    if notes:
        text += "\n\n" + notes
    if stale_section:
        text += "\n\n" + stale_section
    return text


def occurrence_json(occurrence: Occurrence, tz: tzinfo) -> dict[str, Any]:
    """One event of `lotse digest --json`: timed values ISO 8601 in `tz`, all-day ones dates."""

    def iso(value: datetime | date) -> str:
        return (
            value.astimezone(tz).isoformat() if isinstance(value, datetime) else value.isoformat()
        )

    return {
        "title": occurrence.title,
        "start": iso(occurrence.start),
        "end": iso(occurrence.end),
        "all_day": occurrence.all_day,
        "sources": list(occurrence.sources),
        "entered_by": occurrence.entered_by,
        "location": occurrence.location,
        "url": occurrence.url,
    }
