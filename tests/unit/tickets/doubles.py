"""TEST DOUBLES for the unit tests of the tickets plugin — not the real plugins.

`FakeDirectory` stands in for the directory plugin (written in parallel) and `FakeEvents` for
the events plugin's `week_section`. Both implement the protocols of plugins/contracts.py and
register under the real plugin names, so the tickets plugin finds them the way it will find
the real ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session

from bot.plugin import Plugin, Services
from plugins.contracts import ContactRef, NetworkSuggestion


@dataclass
class FakeNetwork:
    id: str
    name: str
    short: str | None
    topics: tuple[str, ...]
    contacts: tuple[ContactRef, ...] = field(default_factory=tuple)
    # Each matched topic adds this much to the score, up to 1 (the real scale: 0 to 1).
    strength: float = 0.4


def default_networks() -> list[FakeNetwork]:
    return [
        FakeNetwork(
            "export-thueringen",
            "Exportnetzwerk Thüringen",
            "ExNeT",
            ("export", "polen", "ausland"),
            (
                ContactRef("Erika Export", "Leitung", matrix="@erika:test"),
                ContactRef("Paul Post", email="paul@export.example"),
            ),
        ),
        FakeNetwork(
            "fachkraefte-jena",
            "Fachkräftenetzwerk Jena",
            None,
            ("fachkräfte", "ausbildung"),
            (ContactRef("Jana <Jena>", matrix="@jana:test"),),
        ),
    ]


class FakeDirectory(Plugin):
    """TEST DOUBLE of the directory plugin: topic words in the text select networks."""

    name = "directory"
    title = "core.plugin"

    def __init__(self, services: Services) -> None:
        super().__init__(services)
        self.networks = default_networks()
        self.broken = False  # who_handles raises, like a directory with a bad index
        self.asked: list[str] = []

    def who_handles(self, text: str, limit: int = 3) -> list[NetworkSuggestion]:
        self.asked.append(text)
        if self.broken:
            raise RuntimeError("index broken")
        words = text.casefold()
        found = []
        for network in self.networks:
            matched = tuple(topic for topic in network.topics if topic in words)
            if matched:
                found.append(
                    NetworkSuggestion(
                        network.id,
                        network.name,
                        network.short,
                        min(1.0, network.strength * len(matched)),
                        matched,
                        network.contacts,
                    )
                )
        found.sort(key=lambda s: -s.score)
        return found[:limit]

    def network_name(self, network_id: str) -> str | None:
        return next((n.name for n in self.networks if n.id == network_id), None)

    def network_of_user(self, matrix_id: str) -> str | None:
        found = self.networks_of_user(matrix_id)
        return next(iter(found)) if len(found) == 1 else None

    def networks_of_user(self, matrix_id: str) -> frozenset[str]:
        return frozenset(n.id for n in self.networks for c in n.contacts if c.matrix == matrix_id)

    def network_id(self, name: str) -> str | None:
        wanted = name.casefold()
        names = ((n.id, (n.id, n.short or "", n.name)) for n in self.networks)
        return next((id_ for id_, known in names if wanted in map(str.casefold, known)), None)


class FakeEvents(Plugin):
    """TEST DOUBLE of the events plugin: its `week_section` and `digest_rooms`."""

    name = "events"
    title = "core.plugin"

    def __init__(self, services: Services) -> None:
        super().__init__(services)
        self.section: str | None = "- Mi 25.11. 18:00 Netzwerktreffen Erfurt"
        self.calls: list[tuple[datetime, str]] = []
        self.digest_to: list[str] | None = None  # None: every joined room, like the default

    async def week_section(self, session: Session, now: datetime, lang: str) -> str | None:
        self.calls.append((now, lang))
        return self.section

    def digest_rooms(self, joined: list[str]) -> list[str]:
        return list(joined) if self.digest_to is None else self.digest_to


class EventsWithoutWeekSection(Plugin):
    """TEST DOUBLE of an events plugin that does not implement `week_section` (yet)."""

    name = "events"
    title = "core.plugin"
