"""A bot on the memory transport, driven like a chat: `await chat.say("!ping")`."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import UTC, datetime

from bot.app import Bot
from bot.config import Settings
from bot.plugin import Plugin
from bot.store import Store
from bot.transport.base import Incoming, Outgoing
from bot.transport.memory import MemoryTransport

DEFAULT_ROOM = "!room:test"
DEFAULT_USER = "@anna:test"


class FakeClock:
    def __init__(self, now: datetime | None = None) -> None:
        self.now = now or datetime(2026, 11, 23, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


class Chat:
    def __init__(self, bot: Bot, transport: MemoryTransport) -> None:
        self.bot = bot
        self.transport = transport
        self._ids = itertools.count(1)

    def next_event_id(self) -> str:
        return f"$ev{next(self._ids)}"

    async def send(self, incoming: Incoming) -> list[Outgoing]:
        before = len(self.transport.sent)
        await self.bot.handle(incoming)
        return self.transport.sent[before:]

    async def say(
        self, body: str, *, sender: str = DEFAULT_USER, room: str = DEFAULT_ROOM
    ) -> list[str]:
        """Send a message; return the plain text of every message the bot sent in response."""
        sent = await self.send(Incoming(room, sender, self.next_event_id(), body))
        return [out.message.plain for out in sent]

    async def ask(self, body: str, **kwargs: str) -> str:
        """Send a message that must get exactly one reply; return its plain text."""
        replies = await self.say(body, **kwargs)
        assert len(replies) == 1, f"expected one reply to {body!r}, got {replies!r}"
        return replies[0]

    async def react(
        self,
        target_event_id: str,
        key: str,
        *,
        sender: str = DEFAULT_USER,
        room: str = DEFAULT_ROOM,
    ) -> list[str]:
        incoming = Incoming(
            room, sender, self.next_event_id(), kind="reaction", relates_to=target_event_id, key=key
        )
        return [out.message.plain for out in await self.send(incoming)]

    def last_event_id(self) -> str:
        """The event id the transport gave the bot's most recent message."""
        return self.transport.sent_ids[self.transport.sent[-1].txn_id]

    @property
    def last(self) -> Outgoing:
        return self.transport.sent[-1]


async def make_chat(
    settings: Settings,
    plugins: list[type[Plugin]],
    *,
    db_url: str | None = None,
    clock: Callable[[], datetime] | None = None,
    rooms: list[str] | None = None,
) -> Chat:
    transport = MemoryTransport(rooms=rooms or [DEFAULT_ROOM, "!other:test"])
    store = Store(db_url or settings.db_url)
    bot = Bot(settings, transport, store, plugin_classes=plugins, clock=clock or FakeClock())
    await bot.setup()
    return Chat(bot, transport)
