"""The aggregated calendar managers subscribe to: one VCALENDAR of merged occurrences.

Each occurrence becomes a single VEVENT (recurrences are already expanded, so there are no
RRULEs to get wrong in other clients). Its UID is derived from the occurrence key, which
stays the same across exports, so subscribed calendars update entries instead of
duplicating them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar

from plugins.events.occurrence import Occurrence

#: How often subscribers should poll, as a hint (RFC 7986 REFRESH-INTERVAL, X-PUBLISHED-TTL).
DEFAULT_REFRESH = timedelta(hours=1)


def to_ics(
    occurrences: Iterable[Occurrence],
    prodid: str,
    tz: ZoneInfo,
    *,
    name: str | None = None,
    stamp: datetime | None = None,
    uid_domain: str = "lotse",
    refresh: timedelta = DEFAULT_REFRESH,
) -> bytes:
    """Serialise occurrences as an iCalendar file (RFC 5545).

    Timed occurrences are written with TZID=`tz` and a VTIMEZONE for it, all-day ones as
    VALUE=DATE. `stamp` (DTSTAMP, default now) is a parameter so output can be reproduced.
    The source names go into CATEGORIES, untranslated.
    """
    stamp = (stamp or datetime.now(UTC)).astimezone(UTC)
    calendar = icalendar.Calendar()
    calendar.add("PRODID", prodid)
    calendar.add("VERSION", "2.0")
    calendar.add("CALSCALE", "GREGORIAN")
    calendar.add("METHOD", "PUBLISH")
    if name:
        calendar.add("NAME", name)
        calendar.add("X-WR-CALNAME", name)
    calendar.add("REFRESH-INTERVAL", refresh, parameters={"VALUE": "DURATION"})
    calendar.add("X-PUBLISHED-TTL", icalendar.vDuration(refresh))

    first: date | None = None
    last: date | None = None
    for occ in occurrences:
        event = icalendar.Event()
        event.add("UID", f"{occ.key}@{uid_domain}")
        event.add("DTSTAMP", stamp)
        if occ.all_day:
            event.add("DTSTART", _as_date(occ.start))
            event.add("DTEND", _as_date(occ.end))
        else:
            start, end = _as_local(occ.start, tz), _as_local(occ.end, tz)
            event.add("DTSTART", start)
            if end > start:
                event.add("DTEND", end)
        event.add("SUMMARY", occ.title)
        if occ.location:
            event.add("LOCATION", occ.location)
        if occ.url:
            event.add("URL", occ.url)
        if occ.description:
            event.add("DESCRIPTION", occ.description)
        if occ.sources:
            event.add("CATEGORIES", list(occ.sources))
        calendar.add_component(event)
        day = _as_date(occ.start)
        first = day if first is None or day < first else first
        last = day if last is None or day > last else last

    if first is not None and last is not None:
        # VTIMEZONE only for the span in use: the default covers decades and bloats the file
        calendar.add_missing_timezones(
            first_date=first - timedelta(days=366), last_date=last + timedelta(days=366)
        )
    data: bytes = calendar.to_ical()
    return data


def _as_date(value: datetime | date) -> date:
    return value.date() if isinstance(value, datetime) else value


def _as_local(value: datetime | date, tz: ZoneInfo) -> datetime:
    if not isinstance(value, datetime):
        return datetime(value.year, value.month, value.day, tzinfo=tz)
    return value.replace(tzinfo=tz) if value.tzinfo is None else value.astimezone(tz)
