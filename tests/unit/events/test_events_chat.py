"""The events plugin in the chat, its jobs and its CLI (memory transport, real HTTP feeds)."""

from __future__ import annotations

import argparse
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import event as sa_event

from bot.cli import build_parser
from bot.config import Settings
from bot.plugin import Plugin
from plugins.events import (
    EventsPlugin,
    cli_digest,
    cli_export,
    cli_fetch,
    cli_import,
    digest_start,
    period_days,
    service,
)
from plugins.events.dates import EventSpec
from plugins.events.ical import parse_calendar
from plugins.events.models import ManualEvent
from plugins.events.service import MAX_NAME, check_source_name
from plugins.tickets import TicketsPlugin
from tests.feed_http import calendar, feed_http
from tests.harness import Chat, FakeClock, make_chat

ADMIN = "@admin:test"
MONDAY_8 = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)  # Monday 08:00 in Berlin


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(MONDAY_8)


@pytest.fixture
async def chat(settings: Settings, db_url: str, clock: FakeClock) -> Chat:
    return await make_chat(settings, [TicketsPlugin, EventsPlugin], db_url=db_url, clock=clock)


def events_plugin(chat: Chat) -> EventsPlugin:
    plugin = chat.bot.services.plugin("events")
    assert isinstance(plugin, EventsPlugin)
    return plugin


async def run_job(chat: Chat, name: str, clock: FakeClock) -> list[str]:
    before = len(chat.transport.sent)
    job_id = f"events.{name}"
    spec, _trigger = chat.bot.scheduler.jobs[job_id]
    assert await chat.bot.run_job(spec, clock.now)
    return [out.message.plain for out in chat.transport.sent[before:]]


def test_period_words() -> None:
    assert period_days(None) == 7
    assert period_days("14") == period_days("14 Tage") == 14
    assert period_days("2 Wochen") == 14 and period_days("woche") == 7
    assert period_days("monat") == 31 and period_days("1 month") == 31
    assert period_days("zwei Jahre") is None and period_days("0") is None
    assert period_days("12 Monate") == period_days("999") == 366  # cut to the longest list


async def test_manual_events_are_listed_and_removed_by_their_author(chat: Chat) -> None:
    added = await chat.ask(
        "!termin add morgen 14:00-16:00 Netzwerktreffen | Erfurt | https://example.org/t"
    )
    # the place and the link are echoed, so a misplaced "|" shows at once
    assert added == (
        "Termin Nr. 1 eingetragen: Dienstag, 24.11. 14:00–16:00 – Netzwerktreffen · Erfurt · "
        "Link (https://example.org/t)"
    )
    assert '<a href="https://example.org/t">Link</a>' in chat.last.message.html
    long_place = await chat.ask("!termin add morgen Kurz | " + "x" * 300)
    assert long_place == "Der Ort ist zu lang (höchstens 200 Zeichen)."
    listed = await chat.ask("!termine")
    assert "Dienstag, 24.11." in listed and "14:00–16:00 Netzwerktreffen · Erfurt · Link" in listed
    assert '<a href="https://example.org/t">' in chat.last.message.html
    assert "jemand anders" in await chat.ask("!termin remove 1", sender="@bob:test")
    assert "gelöscht" in await chat.ask("!termin remove 1")
    assert "keine Termine" in await chat.ask("!termine")
    assert "gibt es nicht" in await chat.ask("!termin remove 1")
    # Numbers are checked like ticket numbers: one range, one message, no database error.
    for number in ("0", "1000000", "99999999999", "999999999999999999999"):
        answer = await chat.ask(f"!termin remove {number}")
        assert "muss zwischen 1 und 999999 liegen" in answer, answer


async def test_bad_dates_are_explained_and_nothing_is_stored(chat: Chat) -> None:
    assert "ist kein Datum" in await chat.ask("!termin add 31.02.2027 Unsinn")
    backwards = await chat.ask("!termin add 25.12.2026 16:00-14:00 Rückwärts")
    assert backwards.startswith("Die Endzeit 14:00 liegt vor der Anfangszeit 16:00.")
    assert "bis höchstens 6:00 Uhr" in backwards
    assert "Titel fehlt" in await chat.ask("!termin add morgen 10:00")
    assert "Zum Enddatum" in await chat.ask("!termin add 25.12. 22:00 – 26.12. Ohne Endzeit")
    assert ": keine Termine." in await chat.ask("!termine monat")
    assert "verstehe ich nicht" in await chat.ask("!termine bald")


async def test_slips_in_a_range_of_days_are_refused_with_dates_as_the_bot_writes_them(
    chat: Chat,
) -> None:
    # without a year "25.12.-24.12." would be a year's event: a slip, not a plan
    typo = await chat.ask("!termin add 25.12.-24.12. Tippfehler")
    assert typo == "Das Enddatum 24.12.2026 liegt nicht nach dem Anfangsdatum 25.12.2026."
    await chat.ask("!sprache en")
    typo_en = await chat.ask("!event add 12/25-12/24 Typo")
    assert typo_en == "The end date 12/24/2026 is not after the start date 12/25/2026."
    await chat.ask("!language de")
    # a turn of the year still works, also with a bare first day
    turn = await chat.ask("!termin add 28.-3.1. Jahreswechsel")
    assert turn == (
        "Termin Nr. 1 eingetragen: Montag, 28.12. ganztägig bis Sonntag, 03.01.2027"
        " – Jahreswechsel"
    )


async def test_an_event_may_end_on_another_day(chat: Chat) -> None:
    added = await chat.ask("!termin add 5.12. 22:00 – 6.12. 14:00 Schicht | Erfurt")
    assert added == (
        "Termin Nr. 1 eingetragen: Samstag, 05.12. 22:00 bis Sonntag, 06.12. 14:00 – Schicht"
        " · Erfurt"
    )
    listing = await chat.ask("!termine monat")
    assert "22:00 bis Sonntag, 06.12. 14:00 Schicht · Erfurt" in listing
    backwards = await chat.ask("!termin add 5.12. 22:00 – 4.12.2026 14:00 Rückwärts")
    assert backwards == "Das Ende 04.12.2026 14:00 liegt nicht nach dem Beginn 05.12.2026 22:00."
    several = await chat.ask("!termin add 1.-3.12. 10 Uhr Messe")
    assert "25.12. 22:00 – 26.12. 14:00" in several and "1.-3.12." in several


async def test_dates_are_read_as_people_write_them(chat: Chat) -> None:
    comma = await chat.ask("!termin add Dienstag, 8.12. 10:00 Komma")
    assert comma == "Termin Nr. 1 eingetragen: Dienstag, 08.12. 10:00 – Komma"
    named = await chat.ask("!termin add 24. Dezember 2026 10:00 Feier")
    assert named == "Termin Nr. 2 eingetragen: Donnerstag, 24.12. 10:00 – Feier"
    wrong_day = await chat.ask("!termin add Montag, 8.12. 10:00 Komma")
    assert wrong_day == "Der 08.12.2026 ist ein Dienstag, kein Montag."
    typo = await chat.ask("!termin add 24. Dezembr 2026 10:00 Feier")
    assert typo == "24. Dezembr 2026 ist kein Datum, das ich verstehe."
    assert "<code>24. Dezembr 2026</code>" in chat.last.message.html
    # English rooms take the form the bot writes there
    assert (await chat.ask("!sprache en")).startswith("From now on")
    slash = await chat.ask("!event add 12/25/2026 Christmas party")
    assert slash == "Event no. 3 added: Friday, 12/25 all day – Christmas party"
    shown = await chat.ask("!event add 01/02/2027 10:00 New year")
    assert shown == "Event no. 4 added: Saturday, 01/02/2027 10:00 – New year"
    wrong_day = await chat.ask("!event add Monday, December 8 Party")
    assert wrong_day == "12/08/2026 is a Tuesday, not a Monday."
    listing = await chat.ask("!events 2 months")
    assert "Tuesday, 12/08" in listing and "10:00 Komma" in listing
    assert "Christmas party" in listing and "New year" in listing
    # the help names the forms and the rule for times past midnight
    help_en = await chat.ask("!help event add")
    assert "Tue, 12/08 2-4pm" in help_en and "6:00 at the latest (10pm-2am)" in help_en
    await chat.ask("!language de")
    help_de = await chat.ask("!hilfe termin add")
    assert "Di., 8.12. 14-16 Uhr" in help_de and "bis höchstens 6 Uhr (22-2 Uhr)" in help_de
    assert "25.12. 22:00 – 26.12. 14:00" in help_de and "12/25 10pm - 12/26 2pm" in help_en


async def test_dates_outside_this_year_show_their_year_and_past_ones_warn(chat: Chat) -> None:
    next_year = await chat.ask("!termin add 12.01.2027 10:00 Neujahrsempfang")
    assert next_year.startswith("Termin Nr. 1 eingetragen: Dienstag, 12.01.2027 10:00 –")
    assert "Vergangenheit" not in next_year
    listing = await chat.ask("!termine 2 monat")
    assert "Dienstag, 12.01.2027" in listing and "Montag, 23.11." in listing
    past = await chat.ask("!termin add 02.11.2026 10:00 Schon vorbei")
    assert past.startswith("Termin Nr. 2 eingetragen: Montag, 02.11. 10:00 – Schon vorbei")
    assert "Vergangenheit" in past and "!termin remove" in past
    # today counts by the hour: it is 08:00
    assert "Vergangenheit" in await chat.ask("!termin add heute 7 Uhr Frühstück vorbei")
    assert "Vergangenheit" not in await chat.ask("!termin add heute 7-9 Uhr Läuft noch")
    assert "Vergangenheit" not in await chat.ask("!termin add heute Ganzer Tag")


async def test_event_titles_are_escaped(chat: Chat) -> None:
    await chat.ask("!termin add morgen <b>fett</b> **x**")
    await chat.ask("!termine")
    assert "<b>fett</b>" not in chat.last.message.html
    assert "&lt;b&gt;fett&lt;/b&gt; **x**" in chat.last.message.html


async def test_sources_are_admin_only_and_fetch_with_conditional_get(
    chat: Chat, clock: FakeClock
) -> None:
    with feed_http() as http:
        http.serve("/a.ics", calendar(("a1", "20261124T090000Z", "Messe Erfurt")), etag='"1"')
        assert await chat.ask(f"!quelle add ThEEN {http.url('/a.ics')}") == "Das dürfen nur Admins."
        added = await chat.ask(f"!quelle add ThEEN {http.url('/a.ics')}", sender=ADMIN)
        assert added == "Quelle ThEEN hinzugefügt: 1 Termin geladen."
        assert "Messe Erfurt" in await chat.ask("!termine")
        assert "ThEEN: 1 Termin, zuletzt aktualisiert 23.11.2026 08:00" in await chat.ask(
            "!quelle list"
        )
        await chat.ask("!sprache en")
        assert "ThEEN: 1 event, last updated 11/23/2026 08:00" in await chat.ask("!source list")
        await chat.ask("!language de")
        # Unchanged feed: 304, nothing reported.
        assert await run_job(chat, "refresh", clock) == []
        assert http.statuses("/a.ics") == [200, 304]
        # The feed breaks: reported once, the old events stay.
        http.serve("/a.ics", b"", status=500)
        clock.now = clock.now.replace(hour=8)
        reports = await run_job(chat, "refresh", clock)
        assert len(reports) == 2 and all("ThEEN lässt sich nicht abrufen" in r for r in reports)
        assert "HTTP 500" in reports[0]
        clock.now = clock.now.replace(hour=9)
        assert await run_job(chat, "refresh", clock) == []  # not again every hour
        assert "Messe Erfurt" in await chat.ask("!termine")
        assert "Fehler – der Server antwortet mit HTTP 500" in await chat.ask("!quelle list")
        # A broken calendar body does not replace the good data either.
        http.serve("/a.ics", b"BEGIN:VCALENDAR\r\nthis is not ics", etag='"2"')
        clock.now = clock.now.replace(hour=10)
        assert await run_job(chat, "refresh", clock) == []
        assert "Messe Erfurt" in await chat.ask("!termine")
        # Back to normal: the room hears it once.
        http.serve("/a.ics", calendar(("a1", "20261124T090000Z", "Messe Erfurt 2026")), etag='"3"')
        clock.now = clock.now.replace(hour=11)
        recovered = await run_job(chat, "refresh", clock)
        assert recovered and all("funktioniert wieder" in r for r in recovered)
        assert "Messe Erfurt 2026" in await chat.ask("!termine")
    assert "entfernt" in await chat.ask("!quelle remove ThEEN", sender=ADMIN)
    assert "gibt es nicht" in await chat.ask("!quelle remove ThEEN", sender=ADMIN)


async def test_a_source_address_is_checked_before_anything_is_stored(chat: Chat) -> None:
    bad_scheme = await chat.ask("!quelle add X ftp://example.org/a.ics", sender=ADMIN)
    assert (
        bad_scheme == "Diese Adresse kann ich nicht abrufen: ftp-Adressen werden nicht unterstützt"
    )
    no_scheme = await chat.ask("!quelle add X example.org/a.ics", sender=ADMIN)
    assert no_scheme == "Diese Adresse kann ich nicht abrufen: die Adresse ist ungültig"
    too_long = await chat.ask("!quelle add X https://example.org/" + "a" * 2000, sender=ADMIN)
    assert "zu lang" in too_long
    assert "Noch keine Kalender-Quellen" in await chat.ask("!quelle list")


async def test_a_slow_feed_does_not_hold_the_database_while_it_is_fetched(chat: Chat) -> None:
    import asyncio

    with feed_http() as http:
        http.serve("/slow.ics", calendar(("s1", "20261124T090000Z", "Langsame Messe")), delay=1.0)
        adding = asyncio.create_task(
            chat.say(f"!quelle add Langsam {http.url('/slow.ics')}", sender=ADMIN)
        )
        await asyncio.sleep(0.3)  # the feed is being fetched now
        noted = await chat.ask("!termin add morgen 10:00 Parallel eingetragen")
        assert noted.startswith("Termin Nr. 1 eingetragen")
        assert "Quelle Langsam hinzugefügt: 1 Termin geladen." in await adding
    listing = await chat.ask("!termine")
    assert "Langsame Messe" in listing and "Parallel eingetragen" in listing


async def test_same_event_from_two_networks_is_listed_once_with_both(chat: Chat) -> None:
    event = ("shared-uid", "20261125T130000Z", "Cross-Cluster-Woche")
    with feed_http() as http:
        http.serve("/a.ics", calendar(event))
        http.serve("/b.ics", calendar(event, ("b2", "20261126T080000Z", "Nur B")))
        await chat.ask(f"!quelle add ThEEN {http.url('/a.ics')}", sender=ADMIN)
        await chat.ask(f"!quelle add MTT {http.url('/b.ics')}", sender=ADMIN)
    listing = await chat.ask("!termine")
    assert listing.count("Cross-Cluster-Woche") == 1
    assert "MTT, ThEEN" in listing or "ThEEN, MTT" in listing


async def test_weekly_digest_posts_events_and_stale_tickets(chat: Chat, clock: FakeClock) -> None:
    await chat.ask("!termin add morgen 10:00 Workshop Leichtbau")
    await chat.ask("!termin add 10.12.2026 Weit weg")
    await chat.ask("!anfrage Alte Anfrage zu Sensorik")
    clock.now = datetime(2026, 12, 14, 7, 0, tzinfo=UTC)  # three weeks later, Monday 08:00
    await chat.ask("!termin add heute 18:00 Jahresabschluss")
    posts = await run_job(chat, "digest", clock)
    assert len(posts) == 2  # both rooms the bot is in (LOTSE_DIGEST_ROOMS unset)
    post = posts[0]
    assert post.startswith("Wochenüberblick: Termine Montag, 14.12. bis Sonntag, 20.12.")
    assert "18:00 Jahresabschluss" in post and "Weit weg" not in post
    assert "Anfragen, die schon lange offen sind" in post and "Alte Anfrage zu Sensorik" in post


async def test_digest_goes_to_configured_rooms_only(
    settings: Settings, db_url: str, clock: FakeClock
) -> None:
    settings = settings.model_copy(update={"digest_rooms": ["!other:test"]})
    chat = await make_chat(settings, [EventsPlugin], db_url=db_url, clock=clock)
    await run_job(chat, "digest", clock)
    assert [out.room_id for out in chat.transport.sent] == ["!other:test"]


async def test_cli_import_digest_json_and_export(
    settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = settings.model_copy(update={"plugins": ["events", "tickets"]})
    ics = tmp_path / "theen.ics"
    ics.write_bytes(
        calendar(("x1", "20261124T090000Z", "Messe"), ("x2", "20261129T233000Z", "Nachts"))
    )
    args = argparse.Namespace(location=str(ics), source="ThEEN")
    assert await cli_import(settings, args) == 0
    assert "2 Termine" in capsys.readouterr().out
    digest_args = argparse.Namespace(start=datetime(2026, 11, 23).date(), days=7, json=True)
    assert await cli_digest(settings, digest_args) == 0
    document = json.loads(capsys.readouterr().out)
    assert set(document) == {"start", "end", "timezone", "events", "open_tickets"}
    assert (document["start"], document["end"]) == ("2026-11-23", "2026-11-29")
    assert [e["title"] for e in document["events"]] == ["Messe"]  # 23:30Z on 29.11. is Monday
    assert document["events"][0]["start"] == "2026-11-24T10:00:00+01:00"
    assert document["events"][0]["sources"] == ["ThEEN"]
    out = tmp_path / "all.ics"
    assert await cli_export(settings, argparse.Namespace(output=out, days=400, past_days=400)) == 0
    assert parse_calendar(out.read_bytes()).event_count == 2
    capsys.readouterr()
    for unwritable, said in [
        (tmp_path / "missing" / "all.ics", "Das Verzeichnis für"),
        (tmp_path, "ist ein Verzeichnis, keine Datei"),
    ]:
        export_args = argparse.Namespace(output=unwritable, days=7, past_days=0)
        assert await cli_export(settings, export_args) == 1
        error = capsys.readouterr().err
        assert said in error and "Traceback" not in error and error.count("\n") == 1
    bad = tmp_path / "bad.ics"
    bad.write_bytes(b"not a calendar")
    assert await cli_import(settings, argparse.Namespace(location=str(bad), source="X")) == 1
    assert "nicht importiert" in capsys.readouterr().err


async def test_agenda_shows_this_weeks_events_from_the_events_plugin(chat: Chat) -> None:
    await chat.ask("!termin add Mittwoch 09:30 Jour fixe Leichtbau")
    await chat.ask("!anfrage Firma sucht Partner für Sensorik")
    agenda = await chat.ask("!agenda")
    assert "Sensorik" in agenda
    assert "Mittwoch, 25.11." in agenda and "09:30 Jour fixe Leichtbau" in agenda


def _vcalendar(*events: str) -> bytes:
    return ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n" + "".join(events) + "END:VCALENDAR\r\n").encode()


def _vevent(uid: str, start: str, title: str, *extra: str) -> str:
    lines = [f"UID:{uid}", f"DTSTART:{start}", f"SUMMARY:{title}", *extra]
    return "BEGIN:VEVENT\r\n" + "".join(line + "\r\n" for line in lines) + "END:VEVENT\r\n"


async def test_what_a_feed_lacks_is_told_once_and_listed(chat: Chat, clock: FakeClock) -> None:
    body = _vcalendar(
        _vevent("ok", "20261124T090000Z", "Messe Erfurt"),
        _vevent(
            "never", "20261124T090000Z", "30. Februar", "RRULE:FREQ=YEARLY;BYMONTHDAY=30;BYMONTH=2"
        ),
        "BEGIN:VEVENT\r\nUID:nostart\r\nSUMMARY:Ohne <b>Beginn</b>\r\nEND:VEVENT\r\n",
    )
    with feed_http() as http:
        http.serve("/a.ics", body, etag='"1"')
        added = await chat.ask(f"!quelle add ThEEN {http.url('/a.ics')}", sender=ADMIN)
        assert added.startswith("Quelle ThEEN hinzugefügt: 3 Termine geladen.")
        assert "1 Termin(e) ohne Beginn übersprungen (z. B. Ohne <b>Beginn</b>)" in added
        assert "deren Regel auf keinen Tag zutrifft, übersprungen (z. B. 30. Februar)" in added
        assert "&lt;b&gt;Beginn" in chat.last.message.html  # a feed's text stays text
        listed = await chat.ask("!quelle list")
        assert "ThEEN: 3 Termine" in listed and "⚠️ 1 Termin(e) ohne Beginn" in listed
        # the room heard it with the answer: the refresh does not repeat it
        assert await run_job(chat, "refresh", clock) == []
        # a new body lacking something else is told again, once
        http.serve("/a.ics", _vcalendar(_vevent("ok", "20261124T090000Z", "Messe")), etag='"2"')
        clock.now = clock.now.replace(hour=8)
        assert await run_job(chat, "refresh", clock) == []  # nothing lacking now
        assert "⚠️" not in await chat.ask("!quelle list")


async def test_a_feed_too_busy_for_the_window_shows_what_fits_and_says_so(
    chat: Chat, clock: FakeClock
) -> None:
    # 20 series every 15 minutes: 13,440 occurrences this week, beyond the 10,000 a week allows
    quarter_hours = "BYHOUR=" + ",".join(map(str, range(24))) + ";BYMINUTE=0,15,30,45"
    series = [
        _vevent(f"s{i}", f"20261123T0000{i:02d}Z", f"Takt {i}", f"RRULE:FREQ=DAILY;{quarter_hours}")
        for i in range(20)
    ]
    with feed_http() as http:
        http.serve("/busy.ics", _vcalendar(*series))
        added = await chat.ask(f"!quelle add Takt {http.url('/busy.ics')}", sender=ADMIN)
    assert "zu viele Termine (mehr als 10000 im Zeitraum), die späteren fehlen" in added
    assert "zu viele Termine" in await chat.ask("!quelle list")
    listing = await chat.ask("!termine")
    assert "Takt 3" in listing  # what fits is shown ...
    assert "⚠️ Unvollständig – Takt: zu viele Termine" in listing  # ... and that it is not all


async def test_import_reports_what_it_skipped_and_the_refresh_tells_the_room(
    settings: Settings, tmp_path: Path, clock: FakeClock, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = settings.model_copy(update={"plugins": ["events"]})
    ics = tmp_path / "mixed.ics"
    ics.write_bytes(
        _vcalendar(
            _vevent("ok", "20261124T090000Z", "Messe"),
            _vevent("bad", "20261124T090000Z", "Kaputt", "RRULE:FREQ=SOMETIMES"),
        )
    )
    assert await cli_import(settings, argparse.Namespace(location=str(ics), source="Datei")) == 0
    out = capsys.readouterr()
    assert "2 Termine aus" in out.out
    assert "Nicht alles ist übernommen: 1 Termin(e) mit unlesbarer" in out.err
    chat = await make_chat(settings, [EventsPlugin], db_url=settings.db_url, clock=clock)
    reports = await run_job(chat, "refresh", clock)
    assert len(reports) == 2  # both rooms
    assert reports[0].startswith("⚠️ Im Kalender Datei fehlt etwas: 1 Termin(e) mit unlesbarer")
    clock.now = clock.now.replace(hour=8)
    assert await run_job(chat, "refresh", clock) == []


async def test_a_year_of_a_busy_feed_is_exported(
    settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # 28 daily series: 10,220 occurrences a year (once more than any window allowed at all)
    settings = settings.model_copy(update={"plugins": ["events"]})
    ics = tmp_path / "busy.ics"
    ics.write_bytes(
        _vcalendar(
            *(
                _vevent(f"d{i}", f"20200101T10{i:02d}00Z", f"Täglich {i}", "RRULE:FREQ=DAILY")
                for i in range(28)
            )
        )
    )
    assert await cli_import(settings, argparse.Namespace(location=str(ics), source="Busy")) == 0
    out = tmp_path / "all.ics"
    assert await cli_export(settings, argparse.Namespace(output=out, days=365, past_days=0)) == 0
    assert capsys.readouterr().err == ""  # nothing missing
    assert out.read_bytes().count(b"BEGIN:VEVENT") == 28 * 365


async def test_a_failure_first_seen_by_the_cli_is_told_by_the_next_refresh(
    settings: Settings, db_url: str, clock: FakeClock, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = settings.model_copy(update={"database_url": db_url, "plugins": ["events"]})
    chat = await make_chat(settings, [EventsPlugin], db_url=db_url, clock=clock)
    with feed_http() as http:
        http.serve("/a.ics", calendar(("a1", "20261124T090000Z", "Messe Erfurt")), etag='"1"')
        await chat.ask(f"!quelle add ThEEN {http.url('/a.ics')}", sender=ADMIN)
        http.serve("/a.ics", b"", status=500)
        assert await cli_fetch(settings, argparse.Namespace()) == 1
        assert "HTTP 500" in capsys.readouterr().err
        # the CLI told its terminal, not the room: the refresh does, once
        reports = await run_job(chat, "refresh", clock)
        assert len(reports) == 2 and all("ThEEN lässt sich nicht abrufen" in r for r in reports)
        clock.now = clock.now.replace(hour=8)
        assert await run_job(chat, "refresh", clock) == []
        # back to normal: the room, which heard of the failure, hears of the recovery
        http.serve("/a.ics", calendar(("a1", "20261124T090000Z", "Messe Erfurt")), etag='"2"')
        clock.now = clock.now.replace(hour=9)
        recovered = await run_job(chat, "refresh", clock)
        assert len(recovered) == 2 and all("funktioniert wieder" in r for r in recovered)
        # a failure the room never heard of is not announced as recovered either
        http.serve("/a.ics", b"", status=503)
        assert await cli_fetch(settings, argparse.Namespace()) == 1
        http.serve("/a.ics", calendar(("a1", "20261124T090000Z", "Messe Erfurt")), etag='"3"')
        assert await cli_fetch(settings, argparse.Namespace()) == 0
        clock.now = clock.now.replace(hour=10)
        assert await run_job(chat, "refresh", clock) == []


@pytest.mark.parametrize(
    ("name", "ok"),
    [
        ("ThEEN", True),
        ("H2-Thü", True),
        ("x" * MAX_NAME, True),
        ("", False),
        ("x" * (MAX_NAME + 1), False),
        ("zwei Worte", False),
        ("tab\there", False),
        ("unsichtbar\u200b", False),  # a zero-width space: looks like ThEEN, is not
    ],
)
def test_source_names_are_one_short_word(name: str, ok: bool) -> None:
    assert (check_source_name(name) is None) is ok


async def test_import_and_add_check_the_name_alike(
    settings: Settings, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = settings.model_copy(update={"database_url": db_url, "plugins": ["events"]})
    ics = tmp_path / "a.ics"
    ics.write_bytes(calendar(("x1", "20261124T090000Z", "Messe")))
    for name in ("", "x" * 100, "Mein Netzwerk"):
        assert await cli_import(settings, argparse.Namespace(location=str(ics), source=name)) == 2
        assert "--source: Der Name darf 1 bis 64 Zeichen lang sein" in capsys.readouterr().err
    chat = await make_chat(settings, [EventsPlugin], db_url=db_url)
    assert "Noch keine Kalender-Quellen" in await chat.ask("!quelle list")
    refused = await chat.ask('!quelle add "Mein Netzwerk" https://example.org/a.ics', sender=ADMIN)
    assert refused.startswith("Der Name darf 1 bis 64 Zeichen lang sein")


class FakeDirectory(Plugin):
    """Knows @anna:test as a contact of the network theen."""

    name = "directory"
    title = "directory.title"

    def network_of_user(self, matrix_id: str) -> str | None:
        return "theen" if matrix_id == "@anna:test" else None

    def network_name(self, network_id: str) -> str | None:
        return {"theen": "ThEEN"}.get(network_id)


async def test_entered_events_carry_their_authors_network_or_name(
    settings: Settings, db_url: str, clock: FakeClock
) -> None:
    chat = await make_chat(settings, [EventsPlugin, FakeDirectory], db_url=db_url, clock=clock)
    with feed_http() as http:  # a feed that happens to be called like the bot
        http.serve("/l.ics", calendar(("l1", "20261126T090000Z", "Aus dem Feed")))
        await chat.ask(f"!quelle add Lotse {http.url('/l.ics')}", sender=ADMIN)
    await chat.ask("!termin add morgen 10:00 Von Anna", sender="@anna:test")
    await chat.ask("!termin add morgen 11:00 Von <Bob>", sender="@bob:test")
    listing = await chat.ask("!termine")
    assert "10:00 Von Anna · ThEEN" in listing
    assert "11:00 Von <Bob> · eingetragen von @bob:test" in listing
    assert "Aus dem Feed · Lotse" in listing and listing.count("Lotse") == 1
    assert "&lt;Bob&gt;" in chat.last.message.html


async def test_without_a_directory_entered_events_name_their_author(
    settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = settings.model_copy(update={"plugins": ["events"], "language": "en"})
    chat = await make_chat(settings, [EventsPlugin])
    await chat.ask("!event add 24.11.2026 10:00 Meetup", sender="@bob:test")
    digest_args = argparse.Namespace(start=datetime(2026, 11, 23).date(), days=7, json=True)
    assert await cli_digest(settings, digest_args) == 0
    (event,) = json.loads(capsys.readouterr().out)["events"]
    assert (event["sources"], event["entered_by"]) == ([], "@bob:test")
    digest_args.json = False
    assert await cli_digest(settings, digest_args) == 0
    assert "10:00 Meetup · entered by @bob:test" in capsys.readouterr().out


async def test_a_file_larger_than_a_feed_may_be_is_not_imported(
    settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("LOTSE_FEED_MAX_BYTES", "10000")
    settings = settings.model_copy(update={"plugins": ["events"]})
    events = [(f"e{i}", "20261124T090000Z", f"Termin {i}") for i in range(200)]
    big = tmp_path / "big.ics"
    big.write_bytes(calendar(*events))
    assert big.stat().st_size > 10_000
    assert await cli_import(settings, argparse.Namespace(location=str(big), source="Gross")) == 1
    assert "die Datei ist größer als 10000 Bytes" in capsys.readouterr().err
    small = tmp_path / "small.ics"
    small.write_bytes(calendar(*events[:5]))
    assert await cli_import(settings, argparse.Namespace(location=str(small), source="Gross")) == 0
    assert "5 Termine" in capsys.readouterr().out


async def test_export_and_digest_bound_their_window(
    settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = settings.model_copy(update={"plugins": ["events"]})
    out = tmp_path / "all.ics"
    huge = argparse.Namespace(output=out, days=99_999_999, past_days=99_999_999)
    assert await cli_export(settings, huge) == 0  # no OverflowError: a year each way
    assert out.read_bytes().startswith(b"BEGIN:VCALENDAR")
    assert digest_start("2026-11-23").isoformat() == "2026-11-23"
    for bad in ("9999-12-30", "0001-01-01", "morgen"):
        with pytest.raises(argparse.ArgumentTypeError):
            digest_start(bad)


async def test_reading_the_calendar_loads_no_cached_body_and_no_past_event(
    chat: Chat, clock: FakeClock
) -> None:
    plugin = events_plugin(chat)
    with feed_http() as http:
        http.serve("/a.ics", calendar(("a1", "20261124T090000Z", "Messe Erfurt")))
        await chat.ask(f"!quelle add ThEEN {http.url('/a.ics')}", sender=ADMIN)
    await chat.ask("!termin add 02.11.2026 10:00 Längst vorbei")
    await chat.ask("!termin add morgen 10:00 Demnächst")
    window = service.Window.days_from(plugin.today(clock.now), 7, plugin.settings.tz)

    statements: list[str] = []
    loaded: list[str] = []

    def on_statement(*args: object) -> None:
        statements.append(str(args[2]))

    def on_load(target: ManualEvent, _context: object) -> None:
        loaded.append(target.title)

    engine = plugin.store.engine
    sa_event.listen(engine, "before_cursor_execute", on_statement)
    sa_event.listen(ManualEvent, "load", on_load)
    try:
        with plugin.store.session() as session:
            view = service.calendar_view(session, plugin.cache, window, plugin.settings.tz)
    finally:
        sa_event.remove(engine, "before_cursor_execute", on_statement)
        sa_event.remove(ManualEvent, "load", on_load)
    titles = [o.title for o in view.occurrences]
    assert titles == ["Demnächst", "Messe Erfurt"]
    # the feed came from the cache by its stored hash: its body was not even read ...
    assert statements and not any("events_source.body" in sql for sql in statements)
    # ... and of the entered events only those the window may show were loaded
    assert loaded == ["Demnächst"]
    # not in the cache (say, after a restart): the body is read and parsed once more
    plugin.cache.clear()
    with plugin.store.session() as session:
        view = service.calendar_view(session, plugin.cache, window, plugin.settings.tz)
    assert [o.title for o in view.occurrences] == titles
    assert len(plugin.cache) == 1


async def test_the_bounded_query_still_finds_what_runs_into_the_window(chat: Chat) -> None:
    plugin = events_plugin(chat)
    tz = plugin.settings.tz
    monday = datetime(2026, 11, 30, tzinfo=tz)
    entered = [
        ("Messe seit Samstag", date(2026, 11, 28), date(2026, 12, 1), True),
        ("Gestern vorbei", date(2026, 11, 28), date(2026, 11, 30), True),
        ("Sonntag ohne Ende", date(2026, 11, 29), None, True),
        ("Sonntag ganztägig", date(2026, 11, 29), None, True),
        ("Nacht", monday - timedelta(hours=2), monday + timedelta(hours=2), False),
        ("Bis Mitternacht", monday - timedelta(hours=2), monday, False),
        ("Punkt Mitternacht", monday, None, False),
        ("Sonntag abend", monday - timedelta(hours=1), None, False),
        ("Letzter Tag", date(2026, 12, 6), None, True),
        ("Nächste Woche", date(2026, 12, 7), None, True),
    ]
    with plugin.store.transaction() as session:
        for title, start, end, all_day in entered:
            spec = EventSpec(start, end, all_day, title, None, None)
            service.add_manual(session, "!room:test", spec, "@anna:test", monday)
    window = service.Window.days_from(monday.date(), 7, tz)
    with plugin.store.session() as session:
        view = service.calendar_view(session, plugin.cache, window, tz)
    assert sorted(o.title for o in view.occurrences) == sorted(
        ["Messe seit Samstag", "Nacht", "Punkt Mitternacht", "Letzter Tag"]
    )


async def run_slot(chat: Chat, name: str, slot: datetime) -> list[str]:
    """Run a job for `slot` (a catch-up when the clock is later)."""
    before = len(chat.transport.sent)
    spec, _trigger = chat.bot.scheduler.jobs[f"events.{name}"]
    assert await chat.bot.run_job(spec, slot)
    return [out.message.plain for out in chat.transport.sent[before:]]


async def test_a_caught_up_digest_covers_its_slots_week_and_a_week_is_posted_once(
    chat: Chat, clock: FakeClock
) -> None:
    await chat.ask("!termin add 23.11.2026 18:00 Montagabend")
    await chat.ask("!termin add 29.11.2026 10:00 Sonntag")
    await chat.ask("!termin add 30.11.2026 10:00 Nächste Woche")
    clock.now = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)  # Thursday: the bot was down
    posts = await run_slot(chat, "digest", MONDAY_8)
    assert len(posts) == 2
    assert posts[0].startswith("Wochenüberblick: Termine Montag, 23.11. bis Sonntag, 29.11.")
    assert "Montagabend" in posts[0] and "Sonntag" in posts[0]
    assert "Nächste Woche" not in posts[0]
    # LOTSE_DIGEST_CRON changed to Thursdays: that week's rooms are served already
    assert await run_slot(chat, "digest", datetime(2026, 11, 26, 16, 0, tzinfo=UTC)) == []
    # the next week is posted again
    clock.now = datetime(2026, 12, 3, 16, 0, tzinfo=UTC)
    again = await run_slot(chat, "digest", clock.now)
    assert len(again) == 2 and again[0].startswith("Wochenüberblick: Termine Donnerstag, 03.12.")


async def test_import_checks_an_address_like_quelle_add(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = settings.model_copy(update={"plugins": ["events"]})
    too_long = argparse.Namespace(location="https://example.org/" + "a" * 2000, source="X")
    assert await cli_import(settings, too_long) == 2
    assert "Die Adresse ist zu lang (höchstens 2000 Zeichen)." in capsys.readouterr().err
    no_host = argparse.Namespace(location="webcal://", source="X")
    assert await cli_import(settings, no_host) == 2
    assert "die Adresse ist ungültig" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["events", "export", "--days", "-5"], "--days: must be a whole number from 1 to 366"),
        (["events", "export", "--days", "0"], "--days: must be a whole number from 1 to 366"),
        (["events", "export", "--days", "1000"], "--days: must be a whole number from 1 to 366"),
        (["events", "export", "--days", "zwei"], "--days: must be a whole number from 1 to 366"),
        (["events", "export", "--past-days", "-1"], "--past-days: must be a whole number from 0"),
        (["events", "export", "--past-days", "367"], "--past-days: must be a whole number from 0"),
        (["digest", "--days", "-5"], "--days: must be a whole number from 1 to 366"),
        (["digest", "--days", "1000"], "--days: must be a whole number from 1 to 366"),
    ],
)
def test_cli_day_counts_out_of_range_are_refused(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    parser = build_parser([EventsPlugin])
    with pytest.raises(SystemExit) as exited:
        parser.parse_args(argv)
    assert exited.value.code == 2
    assert message in capsys.readouterr().err


def test_cli_day_counts_in_range_are_taken() -> None:
    parser = build_parser([EventsPlugin])
    args = parser.parse_args(["events", "export", "--days", "366", "--past-days", "0"])
    assert (args.days, args.past_days) == (366, 0)
    assert parser.parse_args(["events", "export"]).days == 365
    assert parser.parse_args(["digest", "--days", "1"]).days == 1
    assert parser.parse_args(["digest"]).days == 7


@pytest.mark.parametrize(
    ("language", "missing", "directory"),
    [
        ("de", "Datei nicht gefunden: {}", "{} ist ein Verzeichnis, keine Datei."),
        ("en", "File not found: {}", "{} is a directory, not a file."),
    ],
)
async def test_import_of_a_file_that_is_not_there_says_so(
    settings: Settings,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    language: str,
    missing: str,
    directory: str,
) -> None:
    settings = settings.model_copy(update={"plugins": ["events"], "language": language})
    gone = str(tmp_path / "missing.ics")
    assert await cli_import(settings, argparse.Namespace(location=gone, source="X")) == 1
    assert capsys.readouterr().err.strip() == missing.format(gone)
    folder = str(tmp_path)
    assert await cli_import(settings, argparse.Namespace(location=folder, source="X")) == 1
    assert capsys.readouterr().err.strip() == directory.format(folder)
    chat = await make_chat(settings, [EventsPlugin])
    with events_plugin(chat).store.session() as session:
        assert service.sources(session) == []  # nothing was stored


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (PermissionError(13, "Permission denied"), "Keine Berechtigung, {} zu lesen."),
        (OSError(5, "Input/output error"), "{} lässt sich nicht lesen (Input/output error)."),
    ],
)
async def test_import_of_an_unreadable_file_says_why(
    settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    error: OSError,
    message: str,
) -> None:
    settings = settings.model_copy(update={"plugins": ["events"]})
    ics = tmp_path / "a.ics"
    ics.write_bytes(calendar(("x1", "20261124T090000Z", "Messe")))

    def refuse(_path: Path, _max_bytes: int) -> bytes:
        raise error

    monkeypatch.setattr("plugins.events.read_bounded", refuse)
    assert await cli_import(settings, argparse.Namespace(location=str(ics), source="X")) == 1
    assert capsys.readouterr().err.strip() == message.format(ics)
