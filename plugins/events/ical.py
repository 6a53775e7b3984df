"""Parsing iCalendar feeds and expanding them into `Occurrence`s for a time window.

Parsing is the expensive part (icalendar + building recurrence series), so a
`ParsedCalendar` keeps the ready recurrence query and can be reused for any number of
windows; `CalendarCache` reuses it across refreshes when the feed bytes did not change.

Untrusted input never escapes as anything but `FeedError`: single broken events are
dropped and listed in `ParsedCalendar.skipped`, a broken feed as a whole raises. Expanding
never fails a whole feed: what is too much for a window is left out and listed in the
`Expansion` (series too expensive, occurrences beyond the limit), the rest is kept.
"""

from __future__ import annotations

import hashlib
import logging
import math
from collections import Counter, OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

import icalendar
import recurring_ical_events as rie
from icalendar.prop import vBroken

from plugins.events.errors import FeedError, Problem
from plugins.events.occurrence import Occurrence, occurrence_key, sort_key
from plugins.events.recurrence import (
    BudgetExhausted,
    RuleCost,
    StepMeter,
    StepPool,
    meter_rule,
    never_matches,
    rule_cost,
    too_frequent,
)
from plugins.events.text import clean_description, clean_line, clean_url

log = logging.getLogger(__name__)

#: Occurrences one feed may produce in a window: this many per day of the window, at least
#: MIN_OCCURRENCES; beyond, the later ones are left out (a year of a busy feed still fits).
OCCURRENCES_PER_DAY = 100
MIN_OCCURRENCES = 10_000
#: Recurrence candidates one series may make dateutil examine from DTSTART to the window end
#: (about a second of CPU, estimated up front); such a series is left out of the window.
MAX_SERIES_COST = 200_000
#: The same for all series of one feed together; the cheapest series that fit are kept.
MAX_CALENDAR_COST = 2_000_000
#: How much further than estimated a series' walk may go while it runs (dateutil reads ten
#: matches ahead, and a rule matching only on a Monday 29 February needs ~100,000), and all
#: series of a feed together; a walk beyond is stopped and its series left out for good.
SERIES_SLACK = 150_000
CALENDAR_SLACK = 1_000_000

#: Every FeedError key raised here, with its parameters (for the i18n catalogue).
FEED_KEYS: dict[str, tuple[str, ...]] = {
    "events.feed.empty": (),
    "events.feed.not_calendar": (),
    "events.feed.syntax": ("detail",),
    "events.feed.unclosed": (),
    "events.feed.unsupported_calendar": (),
    "events.feed.invalid": ("detail",),
    "events.feed.no_valid_events": ("count",),
}
#: Every `SkippedEvent.reason`. As a message (`summarise`) each takes `count` and `title`.
SKIP_REASONS = (
    "events.feed.skipped.no_start",
    "events.feed.skipped.bad_time",
    "events.feed.skipped.bad_rule",
    "events.feed.skipped.too_frequent",
    "events.feed.skipped.never",
    "events.feed.skipped.invalid",
    "events.feed.skipped.too_complex",
)
#: The problem of an expansion that hit its occurrence limit (`Expansion.problems`).
TOO_MANY_KEY = "events.feed.too_many_occurrences"
_TITLE_IN_PROBLEM = 60

# Properties that decide when an event happens: a broken one makes the event unusable.
_TIME_PROPERTIES = frozenset(
    {"DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE", "RECURRENCE-ID"}
)
# Properties RFC 5545 allows once per event; a second one is ignored.
_SINGLE_PROPERTIES = ("UID", "DTSTART", "DTEND", "DURATION", "RECURRENCE-ID")
# What makes up the UID Lotse gives an event without one.
_UID_SEED_PROPERTIES = ("DTSTART", "DTEND", "SUMMARY", "LOCATION", "RRULE")
_ERROR_DETAIL_LENGTH = 120


@dataclass(frozen=True, slots=True)
class SkippedEvent:
    """An event left out of a feed because it is broken; `reason` is a message key."""

    uid: str
    title: str
    reason: str


class ParsedCalendar:
    """A parsed feed, ready to be expanded for any number of windows. Treat as immutable.

    It keeps the recurrence series (and dateutil's caches in them) between calls, which is
    what makes repeated expansion cheap; expand one calendar from one thread at a time.
    `skipped` lists the events dropped as broken; `calendar` is the icalendar object.
    """

    __slots__ = ("_plans", "_pool", "calendar", "digest", "event_count", "name", "skipped")

    def __init__(
        self,
        calendar: icalendar.Calendar,
        digest: str,
        plans: Sequence[_SeriesPlan],
        pool: StepPool,  # the step budget its series share
        event_count: int,
        skipped: tuple[SkippedEvent, ...],
    ) -> None:
        self.calendar = calendar
        self.digest = digest
        self._plans = tuple(plans)
        self._pool = pool
        self.event_count = event_count
        self.skipped = skipped
        name = calendar.get("X-WR-CALNAME") or calendar.get("NAME")
        self.name: str | None = (clean_line(_first(name)) or None) if name else None

    def __repr__(self) -> str:
        return (
            f"<ParsedCalendar {self.digest[:12]} events={self.event_count} "
            f"series={len(self._plans)} skipped={len(self.skipped)}>"
        )


def parse_calendar(data: bytes | str) -> ParsedCalendar:
    """Parse one feed. Raises `FeedError` for anything that is not a usable calendar."""
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else bytes(data)
    return _parse(raw, hashlib.sha256(raw).hexdigest())


class CalendarCache:
    """Parsed calendars by content hash, least recently used dropped first.

    Owned by the caller (one per plugin instance); not thread-safe. Broken feeds are
    remembered too, so an unchanged broken feed is not parsed again on every refresh.
    """

    def __init__(self, max_entries: int = 256) -> None:
        if max_entries < 1:
            raise ValueError("max_entries must be at least 1")
        self.max_entries = max_entries
        self.hits = 0
        self.misses = 0
        self._entries: OrderedDict[str, ParsedCalendar | FeedError] = OrderedDict()

    def parse(self, data: bytes | str, digest: str | None = None) -> ParsedCalendar:
        """The parsed calendar of `data`; `digest`, when the caller knows it (a SHA-256 it
        stored with the bytes), saves hashing them."""
        if digest is not None and (cached := self.get(digest)) is not None:
            return cached  # known bytes: not even copied
        raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else bytes(data)
        digest = digest or hashlib.sha256(raw).hexdigest()
        if (cached := self.get(digest)) is not None:
            return cached
        self.misses += 1
        try:
            entry: ParsedCalendar | FeedError = _parse(raw, digest)
        except FeedError as exc:
            # without traceback and cause, which would keep the parser's frames alive
            entry = FeedError(exc.key, exc.params, str(exc))
        self._entries[digest] = entry
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)
        return self._returned(entry)

    def get(self, digest: str) -> ParsedCalendar | None:
        """The calendar parsed from bytes with this SHA-256, if cached; None if not.

        Raises `FeedError` if those bytes were cached as broken."""
        entry = self._entries.get(digest)
        if entry is None:
            return None
        self.hits += 1
        self._entries.move_to_end(digest)
        return self._returned(entry)

    @staticmethod
    def _returned(entry: ParsedCalendar | FeedError) -> ParsedCalendar:
        if isinstance(entry, FeedError):
            # a fresh instance: re-raising the cached one would pile up tracebacks
            raise FeedError(entry.key, entry.params, str(entry))
        return entry

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, data: bytes) -> bool:
        return hashlib.sha256(data).hexdigest() in self._entries

    def clear(self) -> None:
        self._entries.clear()


@dataclass(frozen=True, slots=True)
class Expansion:
    """A feed's occurrences in one window, and what had to be left out of them.

    `left_out`: series too expensive for this window (reason `events.feed.skipped.too_complex`).
    `truncated`: more than `limit` occurrences; only the earliest `limit` are kept.
    """

    occurrences: list[Occurrence]
    left_out: tuple[SkippedEvent, ...] = ()
    truncated: bool = False
    limit: int = MIN_OCCURRENCES

    def problems(self) -> list[Problem]:
        found = summarise(self.left_out)
        if self.truncated:
            found.append(Problem(TOO_MANY_KEY, {"limit": self.limit}))
        return found


def occurrence_limit(start: datetime, end: datetime) -> int:
    """Occurrences one feed may produce in [start, end): scales with the window's days."""
    days = max(1, math.ceil((end - start) / timedelta(days=1)))
    return max(MIN_OCCURRENCES, OCCURRENCES_PER_DAY * days)


def summarise(skipped: Iterable[SkippedEvent]) -> list[Problem]:
    """Skipped events as messages: one per reason, with how many and an example title."""
    by_reason: Counter[str] = Counter()
    example: dict[str, str] = {}
    for item in skipped:
        by_reason[item.reason] += 1
        example.setdefault(item.reason, (item.title or item.uid)[:_TITLE_IN_PROBLEM])
    return [
        Problem(reason, {"count": by_reason[reason], "title": example[reason]})
        for reason in SKIP_REASONS
        if reason in by_reason
    ]


def expand(
    calendar: ParsedCalendar,
    source: str,
    start: datetime,
    end: datetime,
    tz: tzinfo,
    *,
    max_occurrences: int | None = None,
) -> list[Occurrence]:
    """`expand_window(...).occurrences`: what fits of the window, without the report."""
    return expand_window(
        calendar, source, start, end, tz, max_occurrences=max_occurrences
    ).occurrences


def expand_window(
    calendar: ParsedCalendar,
    source: str,
    start: datetime,
    end: datetime,
    tz: tzinfo,
    *,
    max_occurrences: int | None = None,
) -> Expansion:
    """Occurrences of `calendar` overlapping [start, end), sorted, in timezone `tz`.

    Floating times and all-day dates are taken as wall-clock times in `tz`. Cancelled
    events and cancelled single occurrences are left out. What is too much work for this
    window, or beyond `max_occurrences` (default: `occurrence_limit`), is left out and
    reported in the result; a single series that breaks during expansion is left out and
    logged. Never raises for the feed's contents.
    """
    if start.tzinfo is None:
        start = start.replace(tzinfo=tz)
    if end.tzinfo is None:
        end = end.replace(tzinfo=tz)
    limit = occurrence_limit(start, end) if max_occurrences is None else max_occurrences
    if end <= start:
        return Expansion([], limit=limit)
    # The window must be in `tz`: recurring-ical-events reads floating times and dates in
    # the timezone of the window it is asked for.
    span_start, span_end = start.astimezone(tz), end.astimezone(tz)
    window_end_ts = span_end.timestamp()

    # Decide what is affordable before any work is done (see recurrence.py for why); when
    # not all of it is, the cheapest series are kept.
    left_out: list[SkippedEvent] = []
    costed: list[tuple[float, int, _SeriesPlan]] = []
    for index, plan in enumerate(calendar._plans):
        if plan.meter.exhausted:  # stopped by its budget once: dateutil's state is spent
            left_out.append(plan.skipped("events.feed.skipped.too_complex"))
            continue
        costed.append((plan.cost(window_end_ts), index, plan))
    costed.sort(key=lambda item: (item[0], item[1]))
    affordable: list[tuple[int, _SeriesPlan]] = []
    total_cost = 0.0
    for cost, index, plan in costed:
        if cost > MAX_SERIES_COST or total_cost + cost > MAX_CALENDAR_COST:
            log.warning("feed %s: series %r needs too much work, left out", source, plan.uid)
            left_out.append(plan.skipped("events.feed.skipped.too_complex"))
            continue
        total_cost += cost
        plan.meter.allow(cost + SERIES_SLACK)
        affordable.append((index, plan))
    affordable.sort(key=lambda item: item[0])  # the feed's order, as before
    calendar._pool.allow(total_cost + CALENDAR_SLACK)

    result: list[Occurrence] = []
    truncated = False
    for _index, plan in affordable:
        try:
            found = list(_occurrences(plan, source, span_start, span_end, tz, limit + 1))
        except BudgetExhausted as exc:
            log.warning("feed %s: series %r stopped, it walks too far: %s", source, plan.uid, exc)
            left_out.append(plan.skipped("events.feed.skipped.too_complex"))
            continue
        except Exception as exc:  # noqa: BLE001 - library errors on odd data: drop the series
            log.warning("feed %s: series %r left out: %s", source, plan.uid, _detail(exc))
            continue
        result.extend(found)
        if len(result) > 2 * limit:  # keep memory bounded: only the earliest can stay
            truncated = True
            result.sort(key=sort_key)
            del result[limit:]
    result.sort(key=sort_key)
    if len(result) > limit:
        truncated = True
        del result[limit:]
    if truncated:
        log.warning("feed %s: more than %d occurrences in the window, cut", source, limit)
    return Expansion(result, tuple(left_out), truncated, limit)


def _occurrences(
    plan: _SeriesPlan,
    source: str,
    span_start: datetime,
    span_end: datetime,
    tz: tzinfo,
    limit: int,
) -> Iterator[Occurrence]:
    """At most `limit` occurrences of one series (the caller cuts the window's total)."""
    sources = (source,)
    count = 0
    for occ in plan.series.between(span_start, span_end):
        adapter: _EventAdapter = occ.adapter
        info = adapter.info
        if info.cancelled:
            continue
        count += 1
        if count > limit:
            return
        occ_start, occ_end = occ.start, occ.end
        all_day = not isinstance(occ_start, datetime)
        if all_day:
            if occ_end <= occ_start:  # a zero-length all-day event means that one day
                occ_end = occ_start + timedelta(days=1)
        else:
            occ_start, occ_end = _localise(occ_start, tz), _localise(occ_end, tz)
        recurrence_ids = adapter.recurrence_ids
        slot = recurrence_ids[0] if recurrence_ids else occ.start
        yield Occurrence(
            uid=info.uid,
            title=info.title,
            start=occ_start,
            end=occ_end,
            all_day=all_day,
            location=info.location,
            url=info.url,
            description=info.description,
            sources=sources,
            key=occurrence_key(info.uid, slot),
        )


def _localise(value: date, tz: tzinfo) -> datetime:
    if not isinstance(value, datetime):  # an all-day end next to a timed start
        return datetime(value.year, value.month, value.day, tzinfo=tz)
    if value.tzinfo is None:
        return value.replace(tzinfo=tz)  # floating time: wall clock of the configured zone
    return value.astimezone(tz)


# --- recurring-ical-events glue -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _EventInfo:
    uid: str
    title: str
    location: str | None
    url: str | None
    description: str | None
    cancelled: bool


class _EventAdapter(rie.EventAdapter):
    """Gives occurrences access to their component, and reads its texts once per series."""

    _info: _EventInfo | None = None

    @property
    def info(self) -> _EventInfo:
        if self._info is None:
            component = self._component
            self._info = _EventInfo(
                uid=str(self.uid).strip(),
                title=clean_line(_first(component.get("SUMMARY"))),
                location=clean_line(_first(component.get("LOCATION"))) or None,
                url=clean_url(_first(component.get("URL"))),
                description=clean_description(_first(component.get("DESCRIPTION"))),
                cancelled=_first(component.get("STATUS")).strip().upper() == "CANCELLED",
            )
        return self._info


class _Occurrence(rie.Occurrence):
    """Skips the per-occurrence component copy that `CalendarQuery.between` would make."""

    @property
    def adapter(self) -> _EventAdapter:
        adapter: _EventAdapter = self._adapter
        return adapter


class _Query(rie.CalendarQuery):
    # With skip_bad_series, a series failing for any reason is dropped instead of failing
    # the whole feed; _parse reports which UIDs went missing.
    suppressed_errors = [Exception]


@dataclass(frozen=True, slots=True)
class _SeriesPlan:
    series: Any  # recurring_ical_events.Series (untyped library)
    uid: str
    title: str
    rules: tuple[RuleCost, ...]
    meter: StepMeter = field(compare=False)

    def cost(self, window_end_ts: float) -> float:
        return sum(rule.candidates(window_end_ts) for rule in self.rules)

    def skipped(self, reason: str) -> SkippedEvent:
        return SkippedEvent(self.uid, self.title, reason)


def _parse(raw: bytes, digest: str) -> ParsedCalendar:
    try:
        return _parse_unsafe(raw, digest)
    except FeedError:
        raise
    except Exception as exc:  # whatever the libraries throw means: a broken feed
        raise FeedError(
            "events.feed.invalid",
            {"detail": _detail(exc)},
            f"the feed could not be read: {_detail(exc)}",
        ) from exc


def _parse_unsafe(raw: bytes, digest: str) -> ParsedCalendar:
    text = _decode(raw)
    if not text.strip():
        raise FeedError("events.feed.empty", {}, "the feed is empty")
    if "BEGIN:VCALENDAR" not in text[:4096].upper():
        # typically a login or error page served with status 200
        raise FeedError("events.feed.not_calendar", {}, "the feed is not an iCalendar file")
    components: list[Any] | None
    try:
        components = _from_ical(text)
    except Exception as exc:  # icalendar raises ValueError and friends
        # A stray line that is no property at all ("X", an HTML fragment) makes icalendar
        # give up on the whole file; without such lines it may read fine.
        repaired = _without_junk_lines(text)
        components = _from_ical_or_none(repaired) if repaired is not None else None
        if components is None:
            raise FeedError(
                "events.feed.syntax",
                {"detail": _detail(exc)},
                f"the feed is not valid iCalendar: {_detail(exc)}",
            ) from exc
        log.info("feed read without the lines that are no iCalendar properties")
    calendars = [c for c in components if getattr(c, "name", "") == "VCALENDAR"]
    if not calendars:  # BEGIN:VCALENDAR is there (checked above), never completed: cut off?
        raise FeedError(
            "events.feed.unclosed", {}, "the feed is not valid iCalendar: VCALENDAR not closed"
        )
    calendar = calendars[0]
    for extra in calendars[1:]:  # some servers concatenate calendars; read them as one
        calendar.subcomponents.extend(extra.subcomponents)
    if str(calendar.get("CALSCALE", "GREGORIAN")).upper() != "GREGORIAN":
        raise FeedError(
            "events.feed.unsupported_calendar", {}, "only Gregorian calendars are supported"
        )

    events = calendar.walk("VEVENT")
    skipped = _drop_broken_events(calendar, events)
    kept_uids = {str(event.get("UID")) for event in calendar.walk("VEVENT")}

    selection = rie.ComponentsWithName("VEVENT", adapter=_EventAdapter, occurrence=_Occurrence)
    query = rie.of(calendar, components=[selection], skip_bad_series=True, calendar_query=_Query)
    pool = StepPool()
    plans = [_plan(series, pool) for series in query.series]
    lost = kept_uids - {plan.uid for plan in plans}  # series the library could not build
    if lost:
        titles = {str(e.get("UID")): _first(e.get("SUMMARY")) for e in calendar.walk("VEVENT")}
        for uid in sorted(lost):
            skipped.append(
                SkippedEvent(uid, clean_line(titles.get(uid, "")), "events.feed.skipped.invalid")
            )
    if events and not plans:
        raise FeedError(
            "events.feed.no_valid_events", {"count": len(events)}, "no event in the feed is valid"
        )
    return ParsedCalendar(calendar, digest, plans, pool, len(events), tuple(skipped))


def _from_ical(text: str) -> list[Any]:
    # Always bytes: icalendar treats a str without line breaks as a *file path*.
    components: list[Any] = icalendar.Calendar.from_ical(text.encode("utf-8"), multiple=True)
    return components


def _from_ical_or_none(text: str) -> list[Any] | None:
    try:
        return _from_ical(text)
    except Exception:  # noqa: BLE001 - still unreadable: the caller reports the first error
        return None


def _without_junk_lines(text: str) -> str | None:
    """`text` without lines that cannot be content lines (no colon, not a continuation);
    None if there are none such."""
    lines = text.splitlines()
    kept = [line for line in lines if ":" in line or line[:1] in (" ", "\t") or not line.strip()]
    return "\r\n".join(kept) + "\r\n" if len(kept) < len(lines) else None


def _decode(raw: bytes) -> str:
    raw = raw.removeprefix(b"\xef\xbb\xbf")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        # RFC 5545 says UTF-8, but old Windows exports in cp1252 are still around.
        return raw.decode("cp1252", errors="replace")


def _drop_broken_events(calendar: icalendar.Calendar, events: list[Any]) -> list[SkippedEvent]:
    """Remove unusable VEVENTs in place; a broken series master takes its overrides along."""
    skipped: list[SkippedEvent] = []
    drop: set[int] = set()
    dead_uids: set[str] = set()
    generated: Counter[str] = Counter()
    for event in events:
        for prop in _SINGLE_PROPERTIES:  # given twice (seen in exports): the first one counts
            if isinstance(event.get(prop), list):
                event[prop] = event[prop][0]
        if "UID" not in event:
            # stable across refreshes, unlike the id() recurring-ical-events would fall back
            # to; distinct, so that one broken event without UID takes no other one along
            seed = "\x1f".join(_first(event.get(prop)) for prop in _UID_SEED_PROPERTIES)
            digest = hashlib.sha256(seed.encode("utf-8", "replace")).hexdigest()[:20]
            generated[digest] += 1
            suffix = f"-{generated[digest]}" if generated[digest] > 1 else ""
            event["UID"] = f"lotse-{digest}{suffix}"
        _repair(event)
        reason = _problem_of(event)
        if reason is not None:
            uid = str(event.get("UID"))
            skipped.append(SkippedEvent(uid, clean_line(_first(event.get("SUMMARY"))), reason))
            drop.add(id(event))
            if "RECURRENCE-ID" not in event:
                dead_uids.add(uid)
    for event in events:
        if str(event.get("UID")) in dead_uids:
            drop.add(id(event))
    if drop:
        for component in calendar.walk():
            if component.subcomponents:
                component.subcomponents = [c for c in component.subcomponents if id(c) not in drop]
    return skipped


def _repair(event: Any) -> None:
    """Mend what common exporters get slightly wrong, so the event need not be dropped:
    `BYDAY=MO, TU` (spaces in an RRULE, Exchange) and an empty `EXDATE:` line."""
    errors = list(getattr(event, "errors", ()))
    if not errors:
        return
    mended: set[str] = set()
    rules = event.get("RRULE")
    if isinstance(rules, vBroken):
        try:
            event["RRULE"] = icalendar.vRecur.from_ical("".join(str(rules).split()))
            mended.add("RRULE")
        except ValueError:
            pass
    for prop in ("EXDATE", "RDATE"):
        values = event.get(prop)
        items = values if isinstance(values, list) else [values]
        if values is not None and any(_empty_broken(item) for item in items):
            kept = [item for item in items if not _empty_broken(item)]
            del event[prop]
            if kept:
                event[prop] = kept if len(kept) > 1 else kept[0]
            if not any(isinstance(item, vBroken) for item in kept):
                mended.add(prop)
    if mended:
        event.errors = [(name, text) for name, text in errors if name not in mended]


def _empty_broken(value: Any) -> bool:
    return isinstance(value, vBroken) and not str(value).strip()


def _problem_of(event: Any) -> str | None:
    errors = getattr(event, "errors", ())  # icalendar >= 6 keeps broken values with a note
    if any(name in _TIME_PROPERTIES for name, _ in errors):
        return "events.feed.skipped.bad_time"
    start = event.get("DTSTART")
    if start is None or not isinstance(getattr(start, "dt", None), date):
        return "events.feed.skipped.no_start"
    for prop in ("DTEND", "RECURRENCE-ID"):
        value = event.get(prop)
        if value is not None and not isinstance(getattr(value, "dt", None), date):
            return "events.feed.skipped.bad_time"
    for prop in ("RDATE", "EXDATE"):
        values = event.get(prop)
        for value in values if isinstance(values, list) else [values] if values else []:
            if not all(_is_date_or_period(item.dt) for item in getattr(value, "dts", ())):
                return "events.feed.skipped.bad_time"
    for rule in _rules(event):
        try:
            rule_cost(rule, start.dt)  # what _plan will need later must work now
            if too_frequent(rule):
                return "events.feed.skipped.too_frequent"
            if never_matches(rule, start.dt):
                return "events.feed.skipped.never"
        except (TypeError, ValueError, KeyError, IndexError, OverflowError):
            return "events.feed.skipped.bad_rule"
    return None


def _is_date_or_period(value: Any) -> bool:
    if isinstance(value, tuple):  # RDATE;VALUE=PERIOD: (start, end or duration)
        return len(value) == 2 and isinstance(value[0], date)
    return isinstance(value, date)  # not VALUE=TIME, which RFC 5545 does not allow here


def _rules(component: Any) -> list[Any]:
    """The RRULEs of a component; an empty `RRULE:` line counts as none, as in the library."""
    rules = component.get("RRULE")
    if rules is None:
        return []
    return [rule for rule in (rules if isinstance(rules, list) else [rules]) if rule]


def _plan(series: Any, pool: StepPool) -> _SeriesPlan:
    rules: tuple[RuleCost, ...] = ()
    recurrence = series.recurrence
    title = ""
    meter = StepMeter(1.0, pool)
    if recurrence.has_core:
        core: _EventAdapter = recurrence.core
        component = core._component
        rdates = component.get("RDATE")
        rdate_lists = [] if rdates is None else rdates if isinstance(rdates, list) else [rdates]
        rdate_count = sum(len(getattr(r, "dts", ())) for r in rdate_lists)
        try:
            rules = tuple(rule_cost(rule, core.start) for rule in _rules(component))
        except (TypeError, ValueError, KeyError, IndexError, OverflowError):
            # validated before, so hardly possible; unknown cost means: never expand it
            rules = (RuleCost.fixed(MAX_SERIES_COST + 1),)
        title = core.info.title
        # One meter for the series' rules, at the heaviest rule's rate: an overestimate for
        # the lighter ones, which is the safe side.
        meter.weight = max((rule.step_weight for rule in rules), default=1.0)
        for dateutil_rule in getattr(recurrence, "rrules", ()):
            if not meter_rule(dateutil_rule, meter) and type(dateutil_rule).__name__ == "rrule":
                log.warning("series %r: cannot meter dateutil's rule", str(series.uid))
        if rdate_count:
            rules += (RuleCost.fixed(rdate_count),)
    return _SeriesPlan(series, str(series.uid), title, rules, meter)


def _first(value: Any) -> str:
    """A property's text; repeated properties (two SUMMARY lines) give the first."""
    if isinstance(value, list):
        value = value[0] if value else ""
    if value is None:
        return ""
    return str(value)


def _detail(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:_ERROR_DETAIL_LENGTH]
