"""What a handler or a job sees: who, where, which language, a DB session, and a way to answer.

Replies are queued, not sent: the core commits them together with the handler's changes and the
event-ledger entry, then sends them. So nothing is answered that was not committed, and a crash
between commit and send only delays the reply (the homeserver deduplicates the resend).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, NoReturn

from sqlmodel import Session

from bot.i18n import Translator
from bot.messages import MAX_MESSAGE_BYTES, Message, render_bounded

if TYPE_CHECKING:
    from bot.config import Settings


class UserError(Exception):
    """Abort the command: roll back and tell the user `key` (translated) instead."""

    def __init__(self, key: str, /, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


@dataclass(frozen=True)
class Reply:
    room_id: str
    message: Message
    reply_to: str | None = None
    tag: str | None = None


@dataclass
class UnitOfWork:
    """A database session plus the messages to send once it is committed."""

    session: Session
    settings: Settings
    now: datetime
    language_of: Callable[[str], str]
    translator_for: Callable[[str], Translator]
    outbox: list[Reply] = field(default_factory=list)
    # Bytes a message to a room may have: less in encrypted rooms (the transport knows which).
    message_limit: Callable[[str], int] = lambda _room_id: MAX_MESSAGE_BYTES

    def send(self, room_id: str, content: str | Message, *, tag: str | None = None) -> None:
        """Queue a message; `content` is Markdown (user strings escaped) or a Message."""
        self.outbox.append(Reply(room_id, self.message(room_id, content), None, tag))

    def message(self, room_id: str, content: str | Message) -> Message:
        if isinstance(content, Message):
            return content
        note = self.t_for(room_id)("core.truncated")
        return render_bounded(content, note, self.message_limit(room_id))

    def t_for(self, room_id: str) -> Translator:
        return self.translator_for(self.language_of(room_id))

    @property
    def tz(self) -> object:
        return self.settings.tz


@dataclass
class Context(UnitOfWork):
    """A command (or plain message, or reaction) from `sender` in `room_id`."""

    room_id: str = ""
    sender: str = ""
    event_id: str | None = None
    reply_to: str | None = None  # what reply() answers: the command, or a reacted-to message
    prefix: str = "!"
    is_admin: bool = False

    @property
    def language(self) -> str:
        return self.language_of(self.room_id)

    @property
    def t(self) -> Translator:
        return self.translator_for(self.language)

    def reply(self, content: str | Message, *, tag: str | None = None) -> None:
        """Answer in the room as a rich reply to the command."""
        message = self.message(self.room_id, content)
        self.outbox.append(Reply(self.room_id, message, self.reply_to, tag))

    def fail(self, key: str, /, **params: object) -> NoReturn:
        raise UserError(key, **params)


@dataclass
class JobContext(UnitOfWork):
    """A scheduled job's run for one slot (the scheduled time it stands for)."""

    slot: datetime | None = None
    rooms: list[str] = field(default_factory=list)  # rooms the bot is in
