"""The same event listed by several networks appears once, naming all of them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from plugins.events.dates import EventSpec
from plugins.events.occurrence import (
    Occurrence,
    merge_duplicates,
    normalise_title,
    occurrence_from_spec,
    occurrence_key,
    overlaps,
)
from tests.unit.events.helpers import BERLIN, WEEK, local, week


def occ(
    title: str,
    start: datetime | date,
    *,
    uid: str | None = None,
    source: str = "A",
    location: str | None = None,
    url: str | None = None,
) -> Occurrence:
    uid = uid or f"{title}-{source}"
    all_day = not isinstance(start, datetime)
    end = start + (timedelta(days=1) if all_day else timedelta(hours=1))
    return Occurrence(
        uid=uid,
        title=title,
        start=start,
        end=end,
        all_day=all_day,
        location=location,
        url=url,
        description=None,
        sources=(source,),
        key=occurrence_key(uid, start),
    )


def test_feeds_of_two_networks_merge() -> None:
    merged = merge_duplicates(week("dedup_a.ics") + week("dedup_b.ics"))
    summary = [(o.title, o.start, o.sources) for o in merged]
    assert summary == [
        ("Unternehmerfrühstück", local(2026, 12, 1, 8), ("dedup_a", "dedup_b")),
        # same UID, one feed in UTC: one entry, with the place and link only B knew
        ("Regionalforum Wirtschaft", local(2026, 12, 2, 18), ("dedup_a", "dedup_b")),
        # same title, different times: two events
        ("Stammtisch", local(2026, 12, 3, 19), ("dedup_a",)),
        ("Stammtisch", local(2026, 12, 3, 20), ("dedup_b",)),
        ("Digitaltag Thüringen", date(2026, 12, 4), ("dedup_a", "dedup_b")),
    ]
    forum = merged[1]
    assert forum.location == "Volkshaus Jena"
    assert forum.url == "https://region.example/forum"
    breakfast = merged[0]
    assert breakfast.location == "Café Central"


def test_merge_does_not_depend_on_feed_order() -> None:
    a, b = week("dedup_a.ics"), week("dedup_b.ics")
    assert merge_duplicates(a + b) == merge_duplicates(b + a)


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Unternehmerfrühstück", "UNTERNEHMER-FRÜHSTÜCK"),
        ("Unternehmerfrühstück", "Unternehmerfruehstueck"),
        ("Unternehmerfrühstück", "Unternehmerfruhstuck"),
        ("Straßenfest", "Strassenfest"),
        ("Café  Netzwerk!", "cafe netzwerk"),
        ("Digitaltag – Thüringen", "Digitaltag Thüringen"),
        ("Öffentliche Sitzung", "Oeffentliche Sitzung"),
    ],
)
def test_title_normalisation(left: str, right: str) -> None:
    assert normalise_title(left) == normalise_title(right)


@pytest.mark.parametrize(("left", "right"), [("Stammtisch", "Stammtisch 2"), ("Messe", "Masse")])
def test_different_titles_stay_apart(left: str, right: str) -> None:
    assert normalise_title(left) != normalise_title(right)


def test_untitled_events_are_not_merged_by_title() -> None:
    start = local(2026, 12, 1, 10)
    merged = merge_duplicates([occ("", start, uid="1"), occ("", start, uid="2", source="B")])
    assert len(merged) == 2


def test_merging_is_transitive() -> None:
    start = local(2026, 12, 1, 10)
    items = [
        occ("Forum", start, uid="x", source="A"),
        occ("Forum (neu)", start, uid="x", source="B"),  # same UID as A
        occ("FORUM (NEU)", start, uid="y", source="C"),  # same title as B
    ]
    (merged,) = merge_duplicates(items)
    assert merged.sources == ("A", "B", "C")
    assert merged.key == min(o.key for o in items)


def test_all_day_and_timed_on_the_same_day_stay_apart() -> None:
    merged = merge_duplicates(
        [occ("Messe", date(2026, 12, 1)), occ("Messe", local(2026, 12, 1), source="B")]
    )
    assert len(merged) == 2
    assert merged[0].all_day  # all-day first on its day


def test_duplicates_within_one_feed_collapse() -> None:
    start = local(2026, 12, 1, 10)
    (merged,) = merge_duplicates([occ("A", start, uid="u"), occ("A", start, uid="u")])
    assert merged.sources == ("A",)


_PLACES = [None, "Erfurt", "Jena", "Erfurt, Kaisersaal"]


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["Forum", "forum!", "Stammtisch", "Fest", ""]),
            st.integers(0, 3),
            st.sampled_from(["A", "B", "C"]),
            st.sampled_from(["u1", "u2", "u3"]),
            st.sampled_from(_PLACES),
        ),
        max_size=25,
    )
)
def test_merge_properties(items: list[tuple[str, int, str, str, str | None]]) -> None:
    occurrences = [
        occ(title, WEEK + timedelta(hours=hour), uid=uid, source=source, location=place)
        for title, hour, source, uid, place in items
    ]
    merged = merge_duplicates(occurrences)
    # every source of every input is still named, nothing is invented
    assert {s for o in occurrences for s in o.sources} == {s for o in merged for s in o.sources}
    assert len(merged) <= len(occurrences)
    # entries still sharing a UID or title and a start name places that differ
    seen: dict[tuple[str, object], list[str]] = {}
    for entry in merged:
        place = normalise_title(entry.location or "")
        for identity in [("uid:" + entry.uid, entry.start)] + (
            [("title:" + normalise_title(entry.title), entry.start)] if entry.title else []
        ):
            for other in seen.get(identity, []):
                assert place and other and place not in other and other not in place, identity
            seen.setdefault(identity, []).append(place)
    assert merge_duplicates(merged) == merged  # idempotent
    assert merge_duplicates(reversed(occurrences)) == merged  # independent of the order


def test_events_at_different_places_stay_apart() -> None:
    start = local(2026, 12, 10, 18)
    erfurt = occ("Stammtisch", start, source="A", location="Erfurt")
    jena = occ("Stammtisch", start, source="B", location="Jena")
    room = occ("Stammtisch", start, source="R")  # no place: could be either
    merged = merge_duplicates([erfurt, jena, room])
    assert len(merged) == 2  # the one without a place joins one of them, not both
    assert {o.location for o in merged} == {"Erfurt", "Jena"}
    assert merge_duplicates([room, jena, erfurt]) == merged
    # a coincidental UID across feeds ("1") does not merge different places either
    numbered = [
        occ("A", start, uid="1", source="C", location="Gera"),
        occ("Bürgerforum", start, uid="1", source="S", location="Suhl"),
    ]
    assert [o.title for o in merge_duplicates(numbered)] == ["A", "Bürgerforum"]


def test_a_place_is_compared_by_its_words() -> None:
    start = local(2026, 12, 10, 18)
    for one, other in [("Raum 1", "Raum 12"), ("Halle", "Stadthalle Gotha")]:
        pair = [
            occ("Forum", start, source="A", location=one),
            occ("Forum", start, source="B", location=other),
        ]
        assert len(merge_duplicates(pair)) == 2, (one, other)


def test_a_place_that_contains_the_other_is_the_same_place() -> None:
    start = local(2026, 12, 10, 18)
    (merged,) = merge_duplicates(
        [
            occ("Forum", start, source="A", location="Erfurt"),
            occ("FORUM", start, source="B", location="Erfurt, Kaisersaal"),
        ]
    )
    assert merged.sources == ("A", "B")


def test_an_event_repeated_thousands_of_times_collapses() -> None:
    start = local(2026, 12, 10, 18)
    copies = [occ("Forum", start, uid="u", source="A", location="Erfurt")] * 5000
    (merged,) = merge_duplicates(copies)
    assert merged.sources == ("A",)


def test_manual_events_become_occurrences() -> None:
    timed = EventSpec(local(2026, 12, 1, 10), None, False, "Treffen", "Erfurt", None)
    occurrence = occurrence_from_spec(timed, "manual-1", entered_by="@anna:test")
    assert occurrence.end == occurrence.start
    assert (occurrence.sources, occurrence.entered_by) == ((), "@anna:test")
    assert occurrence.key == occurrence_key("manual-1", local(2026, 12, 1, 10))
    all_day = EventSpec(date(2026, 12, 1), None, True, "Messe", None, None)
    assert occurrence_from_spec(all_day, "m2", ("ThEEN",)).end == date(2026, 12, 2)


def test_overlaps_window() -> None:
    window = (WEEK, WEEK + timedelta(days=7))
    assert overlaps(occ("a", date(2026, 11, 29)), *window, BERLIN) is False
    assert overlaps(occ("a", date(2026, 11, 30)), *window, BERLIN) is True
    assert overlaps(occ("a", local(2026, 12, 6, 23, 30)), *window, BERLIN) is True
    assert overlaps(occ("a", local(2026, 12, 7)), *window, BERLIN) is False
    zero = EventSpec(local(2026, 11, 30), None, False, "z", None, None)
    assert overlaps(occurrence_from_spec(zero, "z", ("L",)), *window, BERLIN) is True


def test_key_ignores_how_the_instant_is_written() -> None:
    berlin = local(2026, 12, 1, 10)
    utc = berlin.astimezone(UTC)
    assert occurrence_key("u", berlin) == occurrence_key("u", utc)
    assert occurrence_key("u", berlin) != occurrence_key("v", berlin)
    assert occurrence_key("u", date(2026, 12, 1)) != occurrence_key("u", local(2026, 12, 1))
