"""Calendar sources (ICS feeds and imported files) and events entered in the room.

A source keeps the raw ICS of its last good fetch: expanding from it is cheap with the parse
cache, the exact window is chosen at read time, and a failing feed keeps its old data.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import LargeBinary, Text
from sqlmodel import Field, SQLModel

from bot.dbtypes import UTCDateTime
from bot.models import utcnow


class Source(SQLModel, table=True):
    __tablename__ = "events_source"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=64, unique=True)
    url: str | None = Field(default=None, max_length=2000)  # None: imported from a file
    etag: str | None = Field(default=None, max_length=512)
    last_modified: str | None = Field(default=None, max_length=512)
    body: bytes | None = Field(default=None, sa_type=LargeBinary)
    # SHA-256 of `body`: the parse cache's key, so reading the calendar need not hash bodies
    content_hash: str | None = Field(default=None, max_length=64)
    event_count: int = 0  # VEVENTs in the last good body
    # What the last good body lacks (skipped events, too many ...): JSON [{key, params}]
    warnings: str | None = Field(default=None, sa_type=Text)
    warnings_reported: bool = False  # the room was told about the current warnings
    fetched_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    succeeded_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    error_key: str | None = Field(default=None, max_length=100)
    error_params: str | None = Field(default=None, sa_type=Text)  # JSON
    error_reported: bool = False  # the room was told about the current failure
    added_by: str = Field(max_length=255)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class DigestPost(SQLModel, table=True):
    """A weekly digest posted to a room, by ISO week: never twice a week, whatever the cron."""

    __tablename__ = "events_digest_post"
    room_id: str = Field(max_length=255, primary_key=True)
    week: str = Field(max_length=10, primary_key=True)  # ISO week of the window, "2026-W49"
    posted_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ManualEvent(SQLModel, table=True):
    """An event entered with `!termin add`. Timed: start_at/end_at; all-day: the dates."""

    __tablename__ = "events_manual"
    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(max_length=100, unique=True)
    room_id: str = Field(max_length=255)
    title: str = Field(max_length=300)
    all_day: bool = False
    start_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    end_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    start_date: date | None = Field(default=None, index=True)
    end_date: date | None = None  # exclusive, as in iCalendar
    location: str | None = Field(default=None, max_length=300)
    url: str | None = Field(default=None, max_length=2000)
    created_by: str = Field(max_length=255)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
