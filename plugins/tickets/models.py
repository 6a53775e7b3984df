"""The tickets tables: one row per request, and an append-only audit trail of what happened."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from bot.dbtypes import UTCDateTime

TITLE_MAX = 120  # a title is a list line, not a paragraph
COMPANY_MAX = 200
CONTACT_NAME_MAX = 200
EMAIL_MAX = 254  # RFC 5321
PHONE_MAX = 50
NETWORK_ID_MAX = 64  # as directory_network.id
USER_ID_MAX = 255  # Matrix ids are at most 255 bytes


class Status(StrEnum):
    OPEN = "open"  # filed, nobody has taken it yet
    CLAIMED = "claimed"  # someone works on it
    DONE = "done"


class Action(StrEnum):
    """What an audit entry records."""

    CREATED = "created"
    CLAIMED = "claimed"
    RELEASED = "released"
    CLOSED = "closed"
    REOPENED = "reopened"
    ASSIGNED = "assigned"
    UNASSIGNED = "unassigned"
    COMMENTED = "commented"


class Ticket(SQLModel, table=True):
    __tablename__ = "tickets_ticket"
    # Numbers are per room; the constraint is what makes concurrent filing safe (see service).
    __table_args__ = (
        UniqueConstraint("room_id", "number", name="uq_tickets_ticket_room_number"),
        CheckConstraint("status IN ('open', 'claimed', 'done')", name="ck_tickets_ticket_status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    room_id: str = Field(max_length=USER_ID_MAX)  # indexed by the unique constraint
    number: int
    title: str = Field(max_length=TITLE_MAX)
    text: str = Field(sa_type=Text)
    company: str | None = Field(default=None, max_length=COMPANY_MAX)
    contact_name: str | None = Field(default=None, max_length=CONTACT_NAME_MAX)
    contact_email: str | None = Field(default=None, max_length=EMAIL_MAX)
    contact_phone: str | None = Field(default=None, max_length=PHONE_MAX)
    status: str = Field(default=Status.OPEN.value, max_length=16)
    filed_by: str = Field(max_length=USER_ID_MAX)
    claimed_by: str | None = Field(default=None, max_length=USER_ID_MAX)
    assignee_user: str | None = Field(default=None, max_length=USER_ID_MAX)
    network_id: str | None = Field(default=None, max_length=NETWORK_ID_MAX, index=True)
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    close_note: str | None = Field(default=None, sa_type=Text)


class TicketEvent(SQLModel, table=True):
    """One line of a ticket's audit trail; never updated or deleted."""

    __tablename__ = "tickets_event"

    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="tickets_ticket.id", index=True)
    at: datetime = Field(sa_type=UTCDateTime)
    actor: str = Field(max_length=USER_ID_MAX)
    action: str = Field(max_length=32)
    detail: str | None = Field(default=None, sa_type=Text)
