"""What plugins offer each other. A plugin finds another by name and may find it disabled:

directory = self.services.plugin("directory")
if isinstance(directory, DirectoryApi): ...
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

from sqlmodel import Session


@dataclass(frozen=True)
class ContactRef:
    name: str
    role: str | None = None
    matrix: str | None = None
    email: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class NetworkSuggestion:
    network_id: str
    name: str
    short: str | None
    score: float
    matched: tuple[str, ...]  # the KB phrases (topics, offers) that matched
    contacts: tuple[ContactRef, ...]  # best-matching contacts first


@runtime_checkable
class DirectoryApi(Protocol):
    def who_handles(self, text: str, limit: int = 3) -> list[NetworkSuggestion]:
        """Networks that handle the topic of `text`, best first (empty if none)."""

    def network_name(self, network_id: str) -> str | None:
        """Display name of a network id, None if unknown."""

    def network_id(self, name: str) -> str | None:
        """The id of the network `name` names exactly (its id, short name or full name, case
        and umlaut spelling aside); None if none does."""

    def network_of_user(self, matrix_id: str) -> str | None:
        """The id of the network that has `matrix_id` as a contact; None if none or several."""

    def networks_of_user(self, matrix_id: str) -> frozenset[str]:
        """The ids of every network that has `matrix_id` as a contact."""


@runtime_checkable
class TicketsApi(Protocol):
    def stale_section(
        self, session: Session, room_id: str | None, now: datetime, lang: str
    ) -> str | None:
        """Markdown listing the room's stale tickets for the weekly post; None if none."""

    def open_tickets_summary(
        self, session: Session, room_id: str | None, now: datetime
    ) -> list[dict[str, Any]]:
        """Open tickets as JSON-ready dicts (number, title, network_id, status, age_days, stale)."""


@runtime_checkable
class EventsApi(Protocol):
    async def week_section(self, session: Session, now: datetime, lang: str) -> str | None:
        """Markdown of this week's events for `!agenda`; None if there are none.

        Async: expanding many feeds is CPU work the events plugin runs off the event loop."""

    def digest_rooms(self, joined: list[str]) -> list[str]:
        """The rooms the weekly digest goes to (it lists their stale tickets too)."""
