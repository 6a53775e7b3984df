"""One concrete event occurrence, and merging the same event listed by several networks."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta, tzinfo

from plugins.events.dates import EventSpec

# Start of a day's sort order: all-day entries are listed before the timed ones of that day.
_ALL_DAY_RANK = 0
_TIMED_RANK = 1


@dataclass(frozen=True, slots=True)
class Occurrence:
    """An event as it happens once, in the target timezone.

    `start`/`end` are aware datetimes in the target timezone, or dates when `all_day`; the
    end of an all-day occurrence is exclusive (the day after the last day), as in iCalendar.
    `key` identifies the occurrence across refreshes: it hashes the UID with the original
    slot of the occurrence (its RECURRENCE-ID), so a moved occurrence keeps its key.
    `sources` names the networks listing it; `entered_by` is who entered it in the room
    (a Matrix id, for events not from a feed).
    """

    uid: str
    title: str
    start: datetime | date
    end: datetime | date
    all_day: bool
    location: str | None
    url: str | None
    description: str | None
    sources: tuple[str, ...]
    key: str
    entered_by: str | None = None


def occurrence_key(uid: str, slot: datetime | date) -> str:
    """Stable key of the occurrence of `uid` originally scheduled at `slot`.

    Aware slots are keyed by their UTC instant, so the same slot written with a different
    TZID yields the same key; floating slots and dates by their wall-clock value.
    """
    if isinstance(slot, datetime) and slot.tzinfo is not None and slot.utcoffset() is not None:
        slot = slot.astimezone(UTC).replace(tzinfo=None)
    stamp = slot.isoformat()
    digest = hashlib.sha256(f"{uid}\x1f{stamp}".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:24]


def occurrence_from_spec(
    spec: EventSpec, uid: str, sources: tuple[str, ...] = (), entered_by: str | None = None
) -> Occurrence:
    """A manually entered event as an occurrence, to merge and export with the feeds.

    A timed event without an end gets end = start (no duration), as in iCalendar.
    """
    end = spec.end if spec.end is not None else spec.start
    if spec.all_day and spec.end is None:
        end = spec.start + timedelta(days=1)
    return Occurrence(
        uid=uid,
        title=spec.title,
        start=spec.start,
        end=end,
        all_day=spec.all_day,
        location=spec.location,
        url=spec.url,
        description=None,
        sources=sources,
        key=occurrence_key(uid, spec.start),
        entered_by=entered_by,
    )


def sort_key(occurrence: Occurrence) -> tuple[date, int, float, str, str]:
    """Chronological order; on the same day all-day entries come first, then by start."""
    start = occurrence.start
    if isinstance(start, datetime):
        return (start.date(), _TIMED_RANK, start.timestamp(), occurrence.title, occurrence.key)
    return (start, _ALL_DAY_RANK, 0.0, occurrence.title, occurrence.key)


def overlaps(occurrence: Occurrence, start: datetime, end: datetime, tz: tzinfo) -> bool:
    """Whether the occurrence overlaps [start, end); all-day dates are days in `tz`.

    Same rule as recurring-ical-events uses for feeds: an occurrence without duration counts
    when it starts inside the window.
    """
    occ_start = _as_instant(occurrence.start, tz)
    occ_end = _as_instant(occurrence.end, tz)
    if occ_end <= occ_start:
        return start <= occ_start < end
    return occ_start < end and start < occ_end


def _as_instant(value: datetime | date, tz: tzinfo) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=tz)
    return datetime(value.year, value.month, value.day, tzinfo=tz)


# Folding umlauts both ways (ü = ue = u) so "Müller", "Mueller" and "MULLER" all match.
_DIGRAPHS = re.compile(r"([aou])e")
_NOT_WORD = re.compile(r"[\W_]+")


def normalise_title(title: str) -> str:
    """Title reduced for duplicate detection: case, umlauts, accents, spacing, punctuation."""
    base = title.casefold()  # also ß -> ss
    if not base.isascii():  # most titles are; skip the costly decomposition for them
        decomposed = unicodedata.normalize("NFKD", base)
        base = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _DIGRAPHS.sub(r"\1", _NOT_WORD.sub("", base))


def merge_duplicates(occurrences: Iterable[Occurrence]) -> list[Occurrence]:
    """One entry per real-world occurrence, naming every source that lists it.

    Two occurrences are the same when they start at the same moment (same day for all-day
    ones), share either the UID or the normalised title, and do not name different places
    ("Stammtisch" in Erfurt and in Jena at the same hour are two events; a place missing on
    one side, or one that contains the other, "Erfurt" and "Erfurt, Kaisersaal", is no
    difference). The relation is transitive as long as a group keeps one place: A matching B
    by UID and B matching C by title puts all three together, but an entry without a place
    does not join Erfurt's and Jena's. The richest entry (most of location, url, description
    filled) gives the fields; gaps are filled from the others. Result sorted like `sort_key`.
    """
    # A fixed order makes the outcome independent of the order the feeds came in when an
    # entry without a place could join either of two groups.
    items = sorted(occurrences, key=_input_order)
    parent = list(range(len(items)))
    places: dict[int, set[tuple[str, ...]]] = {}  # by group root: the places' words

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    # Titles repeat across a recurring series; normalise each distinct title once.
    normalised: dict[str, str] = {}
    place_cache: dict[str, tuple[str, ...]] = {}  # likewise their places
    seen: dict[tuple[str, str, object], list[int]] = {}
    for index, occ in enumerate(items):
        moment = _moment(occ)
        title = normalised.get(occ.title)
        if title is None:
            title = normalised[occ.title] = normalise_title(occ.title)
        place = place_cache.get(occ.location or "")
        if place is None:
            place = place_cache[occ.location or ""] = place_words(occ.location or "")
        places[index] = {place} if place else set()
        identities: list[tuple[str, str, object]] = [("uid", occ.uid, moment)]
        if title:  # untitled events are not "the same" just because both lack a title
            identities.append(("title", title, moment))
        for identity in identities:
            groups_so_far = seen.get(identity, [])
            for other in groups_so_far:
                root_a, root_b = find(index), find(other)
                if root_a != root_b and _same_place(places[root_a], places[root_b]):
                    keep, gone = min(root_a, root_b), max(root_a, root_b)
                    parent[gone] = keep
                    places[keep] |= places.pop(gone)
            # one index per group: a feed repeating an event 5,000 times stays linear
            seen[identity] = list({find(i): i for i in (*groups_so_far, index)}.values())

    groups: dict[int, list[Occurrence]] = {}
    for index, occ in enumerate(items):
        groups.setdefault(find(index), []).append(occ)
    merged = [group[0] if len(group) == 1 else _combine(group) for group in groups.values()]
    merged.sort(key=_input_order)  # ties of sort_key (one UID at two places) in a fixed order
    merged.sort(key=sort_key)
    return merged


def _input_order(occ: Occurrence) -> tuple[tuple[str, ...], str, str, str, str]:
    return (occ.sources, occ.key, occ.title, occ.location or "", occ.url or "")


def place_words(place: str) -> tuple[str, ...]:
    """A place's words, folded like titles: "Erfurt, Kaisersaal" -> ("erfurt", "kaisersaal")."""
    return tuple(word for word in map(normalise_title, place.split()) if word)


def _same_place(left: set[tuple[str, ...]], right: set[tuple[str, ...]]) -> bool:
    """No two places of the groups differ: missing, equal, or the words of one a run of the
    other's words ("Erfurt" in "Erfurt, Kaisersaal"; not "Raum 1" in "Raum 12", nor
    "Halle" in "Stadthalle")."""
    return all(_run_of(a, b) or _run_of(b, a) for a in left for b in right)


def _run_of(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    size = len(short)
    return any(long[i : i + size] == short for i in range(len(long) - size + 1))


def _moment(occ: Occurrence) -> object:
    if isinstance(occ.start, datetime):
        return occ.start.timestamp()
    return occ.start


def _richness(occ: Occurrence) -> int:
    return sum(1 for value in (occ.location, occ.url, occ.description) if value)


def _combine(group: Sequence[Occurrence]) -> Occurrence:
    # Sorted first so that the outcome does not depend on the order the feeds came in.
    ordered = sorted(group, key=lambda occ: (occ.sources, occ.key))
    primary = max(ordered, key=_richness)  # max keeps the first of equals

    def first(attr: str) -> str | None:
        value: str | None = getattr(primary, attr)
        if value:
            return value
        return next((getattr(o, attr) for o in ordered if getattr(o, attr)), None)

    sources = tuple(sorted({source for occ in group for source in occ.sources}))
    return replace(
        primary,
        title=max(ordered, key=lambda occ: _title_quality(occ.title)).title,
        location=first("location"),
        url=first("url"),
        description=first("description"),
        entered_by=first("entered_by"),
        sources=sources,
        key=min(occ.key for occ in group),
    )


def _title_quality(title: str) -> tuple[bool, bool, int]:
    """Prefer "Unternehmerfrühstück" over "UNTERNEHMER-FRUEHSTUECK!": not shouting,
    capitalised, with its umlauts written as such."""
    return (
        not title.isupper(),
        title[:1].isupper(),
        sum(1 for ch in title if ch in "äöüÄÖÜß"),
    )
