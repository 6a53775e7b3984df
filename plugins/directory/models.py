"""The knowledge base in the database. Lists (topics, offers) are JSON text: they are read
whole, never queried by SQL (the search index lives in memory), and JSON in a Text column
behaves the same on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Text
from sqlmodel import Field, SQLModel

from bot.dbtypes import UTCDateTime
from bot.models import utcnow


class NetworkRow(SQLModel, table=True):
    __tablename__ = "directory_network"
    id: str = Field(primary_key=True, max_length=64)
    position: int = 0  # order in the KB file, kept for export
    name: str = Field(max_length=300)
    short: str | None = Field(default=None, max_length=100)
    url: str | None = Field(default=None, max_length=500)
    description: str | None = Field(default=None, sa_type=Text)
    topics: str = Field(default="[]", sa_type=Text)
    offers: str = Field(default="[]", sa_type=Text)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ContactRow(SQLModel, table=True):
    __tablename__ = "directory_contact"
    id: int | None = Field(default=None, primary_key=True)
    network_id: str = Field(foreign_key="directory_network.id", index=True, max_length=64)
    position: int = 0
    name: str = Field(max_length=200)
    role: str | None = Field(default=None, max_length=200)
    matrix: str | None = Field(default=None, max_length=255, index=True)
    email: str | None = Field(default=None, max_length=254)
    phone: str | None = Field(default=None, max_length=50)
    topics: str = Field(default="[]", sa_type=Text)


class SynonymGroupRow(SQLModel, table=True):
    __tablename__ = "directory_synonym_group"
    id: int | None = Field(default=None, primary_key=True)
    words: str = Field(sa_type=Text)  # JSON list
