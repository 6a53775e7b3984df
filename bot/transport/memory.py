"""An in-memory transport for unit tests: inject events, read what the bot sent."""

from __future__ import annotations

import asyncio
import itertools

from bot.messages import MAX_ENCRYPTED_MESSAGE_BYTES, MAX_MESSAGE_BYTES
from bot.transport.base import EventDeferred, EventHandler, Incoming, Outgoing, SendError


class MemoryTransport:
    def __init__(self, user_id: str = "@lotse:test", rooms: list[str] | None = None) -> None:
        self.user_id = user_id
        self.rooms = list(rooms or ["!room:test"])
        self.sent: list[Outgoing] = []
        self.sent_ids: dict[str, str] = {}  # txn_id -> event id: a resend is deduplicated
        self.fail_next = 0  # make the next N sends fail transiently
        self.failing_rooms: set[str] = set()  # sends to these fail transiently
        self.encrypted_rooms: set[str] = set()  # smaller messages, as on Matrix
        self._queue: asyncio.Queue[Incoming | None] = asyncio.Queue()
        self._ids = itertools.count(1)

    async def run(self, on_event: EventHandler) -> None:
        while (event := await self._queue.get()) is not None:
            try:
                await on_event(event)
            except EventDeferred:
                self._queue.put_nowait(event)  # like a sync batch: delivered again
                await asyncio.sleep(0.01)

    async def send(self, out: Outgoing) -> str:
        if self.fail_next > 0 or out.room_id in self.failing_rooms:
            self.fail_next = max(0, self.fail_next - 1)
            raise SendError("simulated outage", transient=True)
        if out.txn_id in self.sent_ids:
            return self.sent_ids[out.txn_id]
        event_id = f"$bot{next(self._ids)}"
        self.sent_ids[out.txn_id] = event_id
        self.sent.append(out)
        return event_id

    async def stop(self) -> None:
        await self._queue.put(None)

    async def wait_ready(self) -> None:
        return None

    async def close(self) -> None:
        return None

    def joined_rooms(self) -> list[str]:
        return list(self.rooms)

    def message_limit(self, room_id: str) -> int:
        return MAX_ENCRYPTED_MESSAGE_BYTES if room_id in self.encrypted_rooms else MAX_MESSAGE_BYTES

    def push(self, event: Incoming) -> None:
        self._queue.put_nowait(event)
