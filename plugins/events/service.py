"""Sources, refreshes, manual events and the aggregated calendar, over a Session.

The network part (`refresh`) fetches outside any transaction and then writes the outcome in
one short one; everything else is plain reads and writes.
"""

from __future__ import annotations

import json
import logging
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any, cast
from zoneinfo import ZoneInfo

import httpx
from sqlalchemy.orm import QueryableAttribute, defer
from sqlmodel import Session, col, select

from plugins.events.dates import EventSpec
from plugins.events.errors import FeedError, Problem
from plugins.events.fetch import FeedRequest, FetchResult, fetch_feeds
from plugins.events.ical import (
    TOO_MANY_KEY,
    CalendarCache,
    ParsedCalendar,
    expand_window,
    summarise,
)
from plugins.events.models import DigestPost, ManualEvent, Source
from plugins.events.occurrence import (
    Occurrence,
    merge_duplicates,
    occurrence_from_spec,
    overlaps,
)
from plugins.events.settings import EventsSettings

log = logging.getLogger(__name__)
MAX_SOURCES = 200
MAX_NAME = 64
MAX_URL = 2000  # as the column allows
#: Entered events one window may list (a bound on what one read loads).
MAX_MANUAL_IN_WINDOW = 5000
#: The window a new body is checked against for what it lacks: the digest's, from today.
CHECK_DAYS = 7


class SourceExists(Exception):
    pass


@dataclass
class RefreshReport:
    """What a refresh changed; `newly_failed`/`recovered` are to be told to the room once."""

    ok: list[str] = field(default_factory=list)
    not_modified: list[str] = field(default_factory=list)
    newly_failed: list[tuple[str, Problem]] = field(default_factory=list)
    still_failing: list[str] = field(default_factory=list)
    recovered: list[str] = field(default_factory=list)


@dataclass
class CalendarView:
    """The aggregated calendar of a window, and per source what is missing from it."""

    occurrences: list[Occurrence]
    problems: dict[str, list[Problem]] = field(default_factory=dict)


# -- sources -------------------------------------------------------------------------------------


def check_source_name(name: str) -> Problem | None:
    """A source's name is one word (`!quelle remove <Name>` takes one) that fits the column."""
    if not 1 <= len(name) <= MAX_NAME or not name.isprintable() or any(c.isspace() for c in name):
        return Problem("events.source.bad_name", {"max": MAX_NAME})
    return None


def sources(session: Session) -> list[Source]:
    """All sources; their bodies (up to LOTSE_FEED_MAX_BYTES each) load only when used."""
    body = cast(QueryableAttribute[Any], Source.body)  # SQLModel types it as the value
    query = select(Source).options(defer(body)).order_by(col(Source.name))
    return list(session.exec(query).all())


def source_named(session: Session, name: str) -> Source | None:
    folded = name.casefold()
    return next((s for s in sources(session) if s.name.casefold() == folded), None)


def add_source(session: Session, name: str, url: str | None, by: str, now: datetime) -> Source:
    if source_named(session, name) is not None:
        raise SourceExists(name)
    source = Source(name=name, url=url, added_by=by, created_at=now)
    session.add(source)
    session.flush()
    return source


def remove_source(session: Session, name: str) -> Source | None:
    source = source_named(session, name)
    if source is not None:
        session.delete(source)
    return source


def store_body(
    source: Source, body: bytes, cache: CalendarCache, now: datetime, tz: ZoneInfo
) -> list[Problem]:
    """Keep `body` as the source's data if it parses; raises FeedError (old data kept).

    Returns what the body lacks (skipped events, series too complex, too many occurrences
    in the coming days), also kept as the source's warnings; a change of them is to be told
    to the room again.
    """
    parsed = cache.parse(body)
    source.body = body
    source.content_hash = parsed.digest
    source.event_count = parsed.event_count
    source.succeeded_at = now
    source.error_key = None
    source.error_params = None
    source.error_reported = False
    problems = content_problems(parsed, source.name, now, tz)
    stored = _problems_json(problems)
    if stored != source.warnings:
        source.warnings = stored
        source.warnings_reported = False
    return problems


def content_problems(
    parsed: ParsedCalendar, name: str, now: datetime, tz: ZoneInfo
) -> list[Problem]:
    """What of a feed cannot be shown: its broken events, and what the coming days lack."""
    window = Window.days_from(now.astimezone(tz).date(), CHECK_DAYS, tz)
    expansion = expand_window(parsed, name, window.start, window.end, tz)
    problems = summarise([*parsed.skipped, *expansion.left_out])
    if expansion.truncated:
        problems.append(Problem(TOO_MANY_KEY, {"limit": expansion.limit}))
    return problems


def warnings_of(source: Source) -> list[Problem]:
    if not source.warnings:
        return []
    return [Problem(item["key"], item["params"]) for item in json.loads(source.warnings)]


def unreported_warnings(session: Session) -> list[tuple[str, list[Problem]]]:
    """Sources whose warnings the room has not heard yet; marked as told."""
    told: list[tuple[str, list[Problem]]] = []
    for source in sources(session):
        problems = warnings_of(source)
        if problems and not source.warnings_reported:
            source.warnings_reported = True
            session.add(source)
            told.append((source.name, problems))
    return told


def _problems_json(problems: list[Problem]) -> str | None:
    if not problems:
        return None
    items = [{"key": p.key, "params": dict(p.params)} for p in problems]
    return json.dumps(items, ensure_ascii=False, sort_keys=True)


def error_of(source: Source) -> Problem | None:
    if source.error_key is None:
        return None
    return Problem(source.error_key, json.loads(source.error_params or "{}"))


def _fail(source: Source, problem: Problem) -> None:
    source.error_key = problem.key
    source.error_params = json.dumps(dict(problem.params), ensure_ascii=False)


async def fetch(feeds: list[FeedRequest], limits: EventsSettings) -> list[FetchResult]:
    async with httpx.AsyncClient(follow_redirects=True, max_redirects=5, trust_env=False) as client:
        return await fetch_feeds(
            client,
            feeds,
            concurrency=limits.feed_concurrency,
            timeout=limits.feed_timeout,
            max_bytes=limits.feed_max_bytes,
        )


def requests_for(rows: list[Source]) -> list[FeedRequest]:
    return [FeedRequest(s.name, s.url, s.etag, s.last_modified) for s in rows if s.url]


def apply_results(
    session: Session,
    results: list[FetchResult],
    cache: CalendarCache,
    now: datetime,
    tz: ZoneInfo,
    *,
    tell_room: bool,
) -> RefreshReport:
    """Write fetch outcomes; a broken or failing feed keeps its last good data.

    `tell_room`: the caller posts `newly_failed` and `recovered` to the room (the refresh
    job, `!quelle add`); only then is a failure marked as told. A failure first seen from
    the command line is still told by the next refresh, and a recovery is told only of a
    failure the room heard of.
    """
    report = RefreshReport()
    by_name = {s.name: s for s in sources(session)}
    for result in results:
        source = by_name.get(result.name)
        if source is None:  # removed while we were fetching
            continue
        was_told = source.error_key is not None and source.error_reported
        source.fetched_at = now
        problem: Problem | None = None
        if result.status == "ok" and result.body is not None:
            try:
                store_body(source, result.body, cache, now, tz)
                source.etag, source.last_modified = result.etag, result.last_modified
                report.ok.append(source.name)
            except FeedError as exc:
                problem = exc.problem
                source.etag = source.last_modified = None  # refetch the whole feed next time
        elif result.status == "not_modified":
            source.succeeded_at = now
            report.not_modified.append(source.name)
            source.error_key = source.error_params = None
            source.error_reported = False
        else:
            problem = result.error or Problem("events.fetch.failed", {"detail": "unknown"})
        if problem is not None:
            _fail(source, problem)
            if source.error_reported:
                report.still_failing.append(source.name)
            else:
                source.error_reported = tell_room
                report.newly_failed.append((source.name, problem))
        elif was_told:
            report.recovered.append(source.name)
        session.add(source)
    return report


# -- the weekly digest's ledger -----------------------------------------------------------------


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def digest_posted(session: Session, room_id: str, week: str) -> bool:
    return session.get(DigestPost, (room_id, week)) is not None


def record_digest(session: Session, room_id: str, week: str, now: datetime) -> None:
    """Noted in the transaction that queues the post: both happen, or neither."""
    session.add(DigestPost(room_id=room_id, week=week, posted_at=now))
    # a year is plenty to know what was posted this week; the rest only grows the table
    old = select(DigestPost).where(col(DigestPost.posted_at) < now - timedelta(days=400))
    for row in session.exec(old).all():
        session.delete(row)


# -- manual events ----------------------------------------------------------------------------


def add_manual(
    session: Session, room_id: str, spec: EventSpec, by: str, now: datetime
) -> ManualEvent:
    event = ManualEvent(
        uid=f"{uuid.uuid4().hex}@lotse",
        room_id=room_id,
        title=spec.title,
        all_day=spec.all_day,
        location=spec.location,
        url=spec.url,
        created_by=by,
        created_at=now,
    )
    if spec.all_day:
        assert isinstance(spec.start, date)
        event.start_date = _date(spec.start)
        event.end_date = _date(spec.end) if spec.end is not None else None
    else:
        assert isinstance(spec.start, datetime)
        event.start_at = spec.start
        event.end_at = spec.end if isinstance(spec.end, datetime) else None
    session.add(event)
    session.flush()
    return event


def remove_manual(session: Session, number: int) -> ManualEvent | None:
    event = session.get(ManualEvent, number)
    if event is not None:
        session.delete(event)
    return event


def manual_occurrence(event: ManualEvent, tz: tzinfo) -> Occurrence:
    start: datetime | date
    end: datetime | date | None
    if event.all_day:
        assert event.start_date is not None
        start, end = event.start_date, event.end_date
    else:
        assert event.start_at is not None
        start = event.start_at.astimezone(tz)
        end = event.end_at.astimezone(tz) if event.end_at else None
    spec = EventSpec(start, end, event.all_day, event.title, event.location, event.url)
    # no network yet: the plugin labels it with the author's network when the directory knows
    return occurrence_from_spec(spec, event.uid, entered_by=event.created_by)


# -- the aggregated calendar --------------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    start: datetime
    end: datetime

    @classmethod
    def days_from(cls, first_day: date, days: int, tz: ZoneInfo) -> Window:
        start = datetime.combine(first_day, time.min, tzinfo=tz)
        return cls(start, datetime.combine(first_day + timedelta(days=days), time.min, tzinfo=tz))


def occurrences(
    session: Session, cache: CalendarCache, window: Window, tz: ZoneInfo
) -> list[Occurrence]:
    """Every source's and every manual event's occurrences in the window, deduplicated."""
    return calendar_view(session, cache, window, tz).occurrences


def calendar_view(
    session: Session, cache: CalendarCache, window: Window, tz: ZoneInfo
) -> CalendarView:
    """`occurrences`, and per source what this window lacks (too many, too complex)."""
    found: list[Occurrence] = []
    problems: dict[str, list[Problem]] = {}
    for source in sources(session):
        if source.content_hash is None:  # never fetched successfully: no body
            continue
        try:
            # by the stored hash: the body is loaded (and parsed) only on a cache miss
            parsed = cache.get(source.content_hash)
            if parsed is None:
                if source.body is None:
                    continue
                parsed = cache.parse(source.body, source.content_hash)
        except FeedError as exc:  # reported when it was fetched; stored bodies parsed then
            log.warning("source %s left out of the calendar: %s", source.name, exc)
            continue
        expansion = expand_window(parsed, source.name, window.start, window.end, tz)
        found += expansion.occurrences
        lacking = expansion.problems()
        if lacking:
            problems[source.name] = lacking
    for event in _manual_in(session, window):
        occurrence = manual_occurrence(event, tz)
        if _overlaps(occurrence, window, tz):
            found.append(occurrence)
    return CalendarView(merge_duplicates(found), problems)


def _manual_in(session: Session, window: Window) -> list[ManualEvent]:
    """Entered events that may overlap the window (exactly: `_overlaps`), from the index.

    Timed ones by their UTC instants; all-day ones by their dates, a day wider on each side
    since the window's local days need not be the dates' days. An event without an end
    counts where it starts.
    """
    start_utc, end_utc = window.start.astimezone(UTC), window.end.astimezone(UTC)
    first, after = window.start.date() - timedelta(days=1), window.end.date() + timedelta(days=1)
    start_at, end_at = col(ManualEvent.start_at), col(ManualEvent.end_at)
    start_date, end_date = col(ManualEvent.start_date), col(ManualEvent.end_date)
    timed = (start_at < end_utc) & (
        (end_at > start_utc) | (end_at.is_(None) & (start_at >= start_utc))
    )
    all_day = (start_date < after) & (
        (end_date > first) | (end_date.is_(None) & (start_date >= first))
    )
    query = (
        select(ManualEvent)
        .where(timed | all_day)
        .order_by(col(ManualEvent.id))
        .limit(MAX_MANUAL_IN_WINDOW)
    )
    return list(session.exec(query).all())


def _overlaps(occurrence: Occurrence, window: Window, tz: tzinfo) -> bool:
    return overlaps(occurrence, window.start, window.end, tz)


def _date(value: datetime | date) -> date:
    return value.date() if isinstance(value, datetime) else value
