"""How event lists and the digest read: days, running events, escaping, caps."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from bot.i18n import Catalogues, Translator
from bot.messages import render
from plugins.events import views
from plugins.events.i18n import CATALOGUE
from plugins.events.occurrence import Occurrence, occurrence_key
from tests.unit.events.helpers import BERLIN, local

MONDAY = date(2026, 11, 30)
SUNDAY = MONDAY + timedelta(days=6)


def translator(lang: str = "de") -> Translator:
    catalogues = Catalogues()
    catalogues.add(CATALOGUE)
    return catalogues.translator(lang)


def occurrence(
    title: str, start: datetime | date, end: datetime | date, source: str = "ThEEN"
) -> Occurrence:
    return Occurrence(
        uid=title,
        title=title,
        start=start,
        end=end,
        all_day=not isinstance(start, datetime),
        location=None,
        url=None,
        description=None,
        sources=(source,),
        key=occurrence_key(title, start),
    )


def digest_text(found: list[Occurrence], lang: str = "de") -> str:
    return render(views.digest(translator(lang), found, MONDAY, SUNDAY, BERLIN, None)).plain


def test_events_running_into_the_window_are_listed_under_its_first_day() -> None:
    found = [
        # a fair since Saturday, until Tuesday (all day: the end is exclusive)
        occurrence("Messe", date(2026, 11, 28), date(2026, 12, 2)),
        # Sunday night into Monday
        occurrence("Nachtschicht", local(2026, 11, 29, 22), local(2026, 11, 30, 2)),
        # Sunday into Tuesday morning
        occurrence("Hackathon", local(2026, 11, 29, 18), local(2026, 12, 1, 9)),
        occurrence("Frühstück", local(2026, 11, 30, 8), local(2026, 11, 30, 9)),
    ]
    text = digest_text(found)
    assert "Samstag" not in text and "Sonntag, 29.11." not in text
    lines = text.splitlines()
    assert lines[2:] == [  # after the header: one day, the running events first
        "Montag, 30.11.",
        "",
        "• läuft bis Dienstag, 01.12. Messe · ThEEN",
        "• läuft bis 02:00 Nachtschicht · ThEEN",
        "• läuft bis Dienstag, 01.12. 09:00 Hackathon · ThEEN",
        "• 08:00–09:00 Frühstück · ThEEN",
    ]
    english = digest_text(found, "en")
    assert "ongoing until 02:00 Nachtschicht" in english
    assert "Saturday" not in english


def test_an_event_starting_in_the_window_keeps_its_own_day_and_times() -> None:
    found = [occurrence("Workshop", local(2026, 12, 1, 22), local(2026, 12, 2, 1))]
    text = digest_text(found)
    assert "Dienstag, 01.12." in text
    assert "22:00 bis Mittwoch, 02.12. 01:00 Workshop" in text
    assert "läuft" not in text


@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_event_list_starts_at_today_too(lang: str) -> None:
    t = translator(lang)
    found = [occurrence("Messe", date(2026, 11, 28), date(2026, 12, 2))]
    text = render(views.event_list(t, found, MONDAY, SUNDAY, BERLIN)).plain
    assert views.day_label(t, date(2026, 11, 28)) not in text
    assert views.day_label(t, MONDAY, 2026) in text


def test_a_busy_day_is_cut_not_the_days_after_it() -> None:
    monday = [
        occurrence(
            f"Vortrag {i:02d}",
            local(2026, 11, 30, 8) + timedelta(minutes=i),
            local(2026, 11, 30, 18),
        )
        for i in range(70)
    ]
    sunday = [occurrence("Abschluss", local(2026, 12, 6, 10), local(2026, 12, 6, 12))]
    text = digest_text(monday + sunday)
    assert text.count("Vortrag") == views.MAX_PER_DAY
    assert f"… und {70 - views.MAX_PER_DAY} weitere." in text
    assert "Sonntag, 06.12." in text and "Abschluss" in text


def test_a_long_list_is_cut_at_its_end() -> None:
    found = [
        occurrence(
            f"Termin {day}-{i}",
            local(2026, 11, 30, 8 + i) + timedelta(days=day),
            local(2026, 12, 31),
        )
        for day in range(10)
        for i in range(10)
    ]
    t = translator()
    text = render(views.event_list(t, found, MONDAY, MONDAY + timedelta(days=30), BERLIN)).plain
    assert text.count("Termin ") == views.MAX_LISTED
    assert "Termin 5-9" in text and "Termin 6-0" not in text
    assert "… und 40 weitere an späteren Tagen." in text


def test_an_event_without_a_title_gets_a_placeholder() -> None:
    untitled = occurrence("", local(2026, 12, 1, 18), local(2026, 12, 1, 19))
    assert "18:00–19:00 (ohne Titel)" in digest_text([untitled])
    assert "18:00–19:00 (untitled)" in digest_text([untitled], "en")


def test_one_more_event_is_said_in_the_singular() -> None:
    day = [
        occurrence(f"Vortrag {i}", local(2026, 12, 1, 8) + timedelta(minutes=i), local(2026, 12, 2))
        for i in range(views.MAX_PER_DAY + 1)
    ]
    assert "… und 1 weiterer." in digest_text(day)
    assert "… and 1 more." in digest_text(day, "en")
