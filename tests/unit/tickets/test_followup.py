"""Follow-up: which tickets are stale, the weekly post's section, the summary, `!agenda`."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from bot.config import Settings
from bot.messages import render
from plugins.contracts import TicketsApi
from plugins.tickets import TicketsPlugin
from tests.harness import Chat, FakeClock, make_chat
from tests.unit.tickets.conftest import BOB, OTHER_ROOM, ROOM
from tests.unit.tickets.doubles import FakeDirectory, FakeEvents

STALE = timedelta(days=14)


def plugin_of(chat: Chat) -> TicketsPlugin:
    plugin = chat.bot.services.plugin("tickets")
    assert isinstance(plugin, TicketsPlugin)
    return plugin


def stale_section(chat: Chat, room: str | None, lang: str = "de") -> str | None:
    with chat.bot.store.session() as session:
        return plugin_of(chat).stale_section(session, room, chat.bot.clock(), lang)


def summary(chat: Chat, room: str | None) -> list[dict[str, object]]:
    with chat.bot.store.session() as session:
        return plugin_of(chat).open_tickets_summary(session, room, chat.bot.clock())


@pytest.fixture
async def agenda_chat(settings: Settings, clock: FakeClock) -> Chat:
    return await make_chat(settings, [FakeDirectory, TicketsPlugin, FakeEvents], clock=clock)


def test_the_plugin_fulfils_the_tickets_contract(chat: Chat) -> None:
    assert isinstance(plugin_of(chat), TicketsApi)


async def test_stale_means_open_for_more_than_the_setting(chat: Chat, clock: FakeClock) -> None:
    await chat.ask("!anfrage Alte Anfrage")
    await chat.ask("!anfrage Schon erledigt")
    await chat.ask("!erledigt 2")
    clock.now += STALE
    assert stale_section(chat, ROOM) is None  # exactly 14 days is not "more than"
    assert "überfällig" not in await chat.ask("!tickets")
    clock.now += timedelta(minutes=1)
    section = stale_section(chat, ROOM)
    assert section is not None
    assert "Überfällige Anfragen** (seit mehr als 14 Tagen offen)" in section
    assert "**#1** Alte Anfrage – noch nicht übernommen · vor 14 Tagen" in section
    assert "#2" not in section  # done is never stale
    assert "⚠️ überfällig" in await chat.ask("!tickets")
    assert "⚠️ überfällig" in await chat.ask("!ticket 1")


async def test_claimed_but_unfinished_tickets_stay_stale(chat: Chat, clock: FakeClock) -> None:
    await chat.ask("!anfrage Lange in Arbeit")
    clock.now += STALE + timedelta(days=1)
    await chat.ask("!übernehmen 1", sender=BOB)
    section = stale_section(chat, ROOM, "en")
    assert section is not None
    assert render(section).plain == (
        "Overdue requests (open for more than 14 days)\n\n"
        "• #1 Lange in Arbeit – claimed by @bob:test · 15 days ago"
    )


async def test_stale_days_come_from_the_settings(settings: Settings, clock: FakeClock) -> None:
    settings = settings.model_copy(update={"ticket_stale_days": 3})
    chat = await make_chat(settings, [TicketsPlugin], clock=clock)
    await chat.ask("!anfrage Eilig")
    clock.now += timedelta(days=3, hours=1)
    section = stale_section(chat, ROOM)
    assert section is not None and "seit mehr als 3 Tagen" in section


async def test_stale_section_per_room_or_for_all(chat: Chat, clock: FakeClock) -> None:
    await chat.ask("!anfrage Hier")
    await chat.ask("!anfrage Dort <b>", room=OTHER_ROOM)
    clock.now += STALE + timedelta(days=1)
    here = stale_section(chat, ROOM)
    assert here is not None and "Hier" in here and "Dort" not in here
    everywhere = stale_section(chat, None)
    assert everywhere is not None
    assert render(everywhere).plain.splitlines()[2:] == [
        "• #1 Dort <b> – noch nicht übernommen · vor 15 Tagen · Raum !other:test",
        "• #1 Hier – noch nicht übernommen · vor 15 Tagen · Raum !room:test",
    ]
    assert "<b>" not in render(everywhere).html  # Markdown, with the user's text escaped


async def test_open_tickets_summary(chat: Chat, clock: FakeClock) -> None:
    await chat.ask("!anfrage Alt")
    await chat.ask("!zuweisen 1 export-thueringen")
    clock.now += timedelta(days=20)
    await chat.ask("!anfrage Neu")
    await chat.ask("!übernehmen 2", sender=BOB)
    await chat.ask("!anfrage Erledigt")
    await chat.ask("!erledigt 3")
    await chat.ask("!anfrage Anderswo", room=OTHER_ROOM)
    rows = summary(chat, ROOM)
    assert [(r["number"], r["title"], r["status"], r["stale"], r["age_days"]) for r in rows] == [
        (1, "Alt", "open", True, 20),
        (2, "Neu", "claimed", False, 0),
    ]
    assert rows[0]["network_id"] == "export-thueringen"
    assert rows[0]["network_name"] == "Exportnetzwerk Thüringen"
    assert rows[1]["claimed_by"] == BOB and rows[1]["network_id"] is None
    assert rows[0]["created_at"] == "2026-11-23T09:00:00+00:00"
    assert len(summary(chat, None)) == 3
    json.dumps(rows)  # JSON-ready


async def test_agenda_groups_by_network_marks_stale_and_adds_events(
    agenda_chat: Chat, clock: FakeClock
) -> None:
    chat = agenda_chat
    await chat.ask("!anfrage Export Polen")
    await chat.ask("!zuweisen 1 export-thueringen")
    await chat.ask("!anfrage Azubis gesucht")
    await chat.ask("!zuweisen 2 fachkraefte-jena")
    clock.now += STALE + timedelta(days=2)
    await chat.ask("!anfrage Noch ohne Netzwerk")
    await chat.ask("!anfrage Erledigtes")
    await chat.ask("!erledigt 4")
    await chat.ask("!übernehmen 2", sender=BOB)
    reply = await chat.ask("!agenda")
    assert reply == (
        "Agenda – KW 50 (07.12.2026 bis 13.12.2026)\n\n"
        "Offene Anfragen (3, davon überfällig: 2)\n\n"
        "Exportnetzwerk Thüringen (export-thueringen)\n\n"
        "• #1 Export Polen – offen · vor 16 Tagen ⚠️ überfällig\n\n"
        "Fachkräftenetzwerk Jena (fachkraefte-jena)\n\n"
        "• #2 Azubis gesucht – übernommen von @bob:test · vor 16 Tagen ⚠️ überfällig\n\n"
        "Ohne Netzwerk\n\n"
        "• #3 Noch ohne Netzwerk – offen · heute\n\n"
        "Termine dieser Woche\n\n"
        "• Mi 25.11. 18:00 Netzwerktreffen Erfurt"
    )
    events = chat.bot.services.plugin("events")
    assert isinstance(events, FakeEvents)
    assert events.calls == [(clock.now, "de")]
    events.section = None
    assert "Diese Woche stehen keine Termine an." in await chat.ask("!agenda")


async def test_agenda_without_events_plugin_and_in_english(chat: Chat) -> None:
    await chat.ask("!sprache en")
    reply = await chat.ask("!agenda")
    assert reply.startswith("Agenda – week 48 (2026-11-23 to 2026-11-29)")
    assert "No open requests. 🎉" in reply
    assert reply.endswith("I cannot show events here: the events module is not active.")


async def test_agenda_is_bounded(chat: Chat) -> None:
    for n in range(32):
        await chat.ask(f"!anfrage Punkt {n + 1}")
    reply = await chat.ask("!agenda")
    assert len([line for line in reply.splitlines() if line.startswith("• #")]) == 30
    assert "… und 2 weitere" in reply


async def test_a_bounded_agenda_still_shows_every_overdue_ticket(
    agenda_chat: Chat, clock: FakeClock
) -> None:
    chat = agenda_chat
    await chat.ask("!anfrage Lange wartend")
    await chat.ask("!zuweisen 1 fachkraefte-jena")  # late in the alphabet
    clock.now += STALE + timedelta(days=1)
    for n in range(31):
        await chat.ask(f"!anfrage Neu {n + 1}")
        await chat.ask(f"!zuweisen {n + 2} export-thueringen")
    reply = await chat.ask("!agenda")
    assert "#1 Lange wartend" in reply and "⚠️ überfällig" in reply
    assert len([line for line in reply.splitlines() if line.startswith("• #")]) == 30
    assert "… und 2 weitere" in reply


async def run_reminder(chat: Chat) -> list[tuple[str, str]]:
    before = len(chat.transport.sent)
    spec, _trigger = chat.bot.scheduler.jobs["tickets.reminder"]
    assert await chat.bot.run_job(spec, chat.bot.clock())
    return [(out.room_id, out.message.plain) for out in chat.transport.sent[before:]]


async def test_weekly_reminder_without_the_events_plugin(chat: Chat, clock: FakeClock) -> None:
    await chat.ask("!anfrage Alte Anfrage")
    await chat.ask("!anfrage Anderswo", room=OTHER_ROOM)
    clock.now += STALE + timedelta(days=1)
    await chat.ask("!anfrage Frische Anfrage")
    posts = await run_reminder(chat)
    assert [room for room, _ in posts] == [ROOM, OTHER_ROOM]
    text = dict(posts)[ROOM]
    assert text.startswith("⏰ Wochenerinnerung – offene Anfragen in diesem Raum: 2")
    assert "• #1 Alte Anfrage – noch nicht übernommen · vor 15 Tagen" in text
    assert "Frische" not in text and "Anderswo" not in text
    assert text.endswith("Alle offenen: !tickets")


async def test_no_reminder_where_nothing_is_stale(chat: Chat, clock: FakeClock) -> None:
    await chat.ask("!anfrage Frisch")
    await chat.ask("!anfrage Alt, aber erledigt")
    await chat.ask("!erledigt 2")
    clock.now += STALE + timedelta(days=1)
    await chat.ask("!anfrage Noch frischer")
    await chat.ask("!erledigt 1")
    assert await run_reminder(chat) == []


async def test_reminder_leaves_the_digest_rooms_to_the_events_digest(
    agenda_chat: Chat, clock: FakeClock
) -> None:
    events = agenda_chat.bot.services.plugin("events")
    assert isinstance(events, FakeEvents)
    await agenda_chat.ask("!anfrage Hier alt")
    await agenda_chat.ask("!anfrage Dort alt", room=OTHER_ROOM)
    clock.now += STALE + timedelta(days=1)
    assert await run_reminder(agenda_chat) == []  # the digest goes to every room: it lists them
    events.digest_to = [ROOM]
    clock.now += timedelta(days=7)  # next week's slot: a slot runs once
    posts = await run_reminder(agenda_chat)
    assert [room for room, _ in posts] == [OTHER_ROOM]
    assert "Dort alt" in posts[0][1]
