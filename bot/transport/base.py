"""The transport seam: how events come in and messages go out. Plugins never see it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Literal, Protocol

from bot.messages import Message


@dataclass(frozen=True)
class Incoming:
    room_id: str
    sender: str
    event_id: str
    body: str = ""
    origin_ts: int = 0  # ms since the epoch
    kind: Literal["message", "reaction"] = "message"
    relates_to: str | None = None  # for a reaction: the event reacted to
    key: str | None = None  # for a reaction: the emoji


@dataclass(frozen=True)
class Outgoing:
    room_id: str
    message: Message
    txn_id: str  # stable across retries: the homeserver deduplicates a resend
    reply_to: str | None = None


class SendError(Exception):
    """A send failed. `transient` ones are retried from the outbox."""

    def __init__(self, message: str, *, transient: bool) -> None:
        super().__init__(message)
        self.transient = transient


class EventDeferred(Exception):
    """Raised by the event handler when it could not record the event (the store failed):
    a transport that can deliver it again (Matrix: the same sync batch) should."""


EventHandler = Callable[[Incoming], Awaitable[None]]
InviteHandler = Callable[[str, str], Awaitable[bool]]  # (room_id, inviter) -> join?


class Transport(Protocol):
    user_id: str

    async def run(self, on_event: EventHandler) -> None:
        """Deliver events one at a time until `stop()`; return afterwards."""

    async def send(self, out: Outgoing) -> str:
        """Send and return the new event id; raise SendError on failure."""

    async def wait_ready(self) -> None:
        """Return once connected and the rooms are known (sending works)."""

    async def stop(self) -> None:
        """Ask `run()` to return; a handler in flight finishes first."""

    async def close(self) -> None:
        """Release connections, after the last send."""

    def joined_rooms(self) -> list[str]: ...

    def message_limit(self, room_id: str) -> int:
        """The largest message (bytes, as `bot.messages.wire_size` counts) for `room_id`."""
        ...
