"""The core's own tables: the handled-event ledger, the outbox, job runs, key/value state,
encrypted events waiting for their keys."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Text
from sqlmodel import Field, SQLModel

from bot.dbtypes import UTCDateTime


def utcnow() -> datetime:
    return datetime.now(UTC)


class HandledEvent(SQLModel, table=True):
    """An incoming event whose effects are committed; never handled again."""

    __tablename__ = "core_handled_event"
    event_id: str = Field(primary_key=True, max_length=255)
    room_id: str = Field(max_length=255)
    handled_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)


class OutboxMessage(SQLModel, table=True):
    """A message committed together with the change that caused it, sent afterwards.

    `txn_id` is stable, so a resend after a crash is deduplicated by the homeserver.
    """

    __tablename__ = "core_outbox"
    id: int | None = Field(default=None, primary_key=True)
    txn_id: str = Field(max_length=64, unique=True)
    room_id: str = Field(max_length=255, index=True)
    reply_to: str | None = Field(default=None, max_length=255)
    plain: str = Field(sa_type=Text)
    html: str = Field(sa_type=Text)
    mentions: str = Field(default="", sa_type=Text)  # newline-separated user ids
    tag: str | None = Field(default=None, max_length=255, index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    event_id: str | None = Field(default=None, max_length=255, index=True)
    attempts: int = 0
    gave_up: bool = False


class JobRun(SQLModel, table=True):
    """One row per (job, scheduled slot): a slot runs at most once, across restarts."""

    __tablename__ = "core_job_run"
    job_id: str = Field(primary_key=True, max_length=255)
    slot: datetime = Field(primary_key=True, sa_type=UTCDateTime)
    ran_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class PendingEvent(SQLModel, table=True):
    """An encrypted event whose room key has not arrived yet, kept across restarts while the
    sync token moves on (the transport tries it again for a while)."""

    __tablename__ = "core_pending_event"
    event_id: str = Field(primary_key=True, max_length=255)
    room_id: str = Field(max_length=255)
    source: str = Field(sa_type=Text)  # the event as the homeserver sent it, JSON
    first_seen: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class KeyValue(SQLModel, table=True):
    __tablename__ = "core_kv"
    key: str = Field(primary_key=True, max_length=255)
    value: str = Field(sa_type=Text)
