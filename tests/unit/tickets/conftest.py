"""Chats with the tickets plugin and the directory test double, on SQLite by default."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import select

from bot.config import Settings
from bot.store import Store
from plugins.tickets import TicketsPlugin
from plugins.tickets.models import Ticket, TicketEvent
from tests.harness import Chat, FakeClock, make_chat
from tests.unit.tickets.doubles import FakeDirectory

ROOM = "!room:test"
OTHER_ROOM = "!other:test"
ANNA = "@anna:test"  # the harness's default sender: files most tickets
BOB = "@bob:test"
CAROL = "@carol:test"
ADMIN = "@admin:test"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))  # a Monday, 10:00 in Berlin


@pytest.fixture
async def chat(settings: Settings, clock: FakeClock) -> Chat:
    return await make_chat(settings, [FakeDirectory, TicketsPlugin], clock=clock)


@pytest.fixture
async def lone_chat(settings: Settings, clock: FakeClock, tmp_path: Path) -> Chat:
    """The tickets plugin without any directory (a database of its own)."""
    db_url = f"sqlite:///{tmp_path / 'lone.db'}"
    return await make_chat(settings, [TicketsPlugin], clock=clock, db_url=db_url)


def directory_of(chat: Chat) -> FakeDirectory:
    plugin = chat.bot.services.plugin("directory")
    assert isinstance(plugin, FakeDirectory)
    return plugin


def tickets_in(chat: Chat) -> list[Ticket]:
    with chat.bot.store.session() as session:
        return list(session.exec(select(Ticket).order_by(Ticket.room_id, Ticket.number)))


def ticket_events(chat: Chat) -> list[TicketEvent]:
    with chat.bot.store.session() as session:
        return list(session.exec(select(TicketEvent).order_by(TicketEvent.id)))


def migrated_store(db_url: str) -> Store:
    """A store with the core's and the tickets plugin's tables."""
    migrations = TicketsPlugin.migrations
    assert migrations is not None
    store = Store(db_url, [migrations])
    store.upgrade()
    return store
