"""The knowledge base as plain immutable values: networks, their contacts, synonym groups.

Nothing here knows about YAML, the database or Matrix. `kb_file` turns a YAML file into
these values (and back); the search index is built from them. Lists are tuples so that a
`KnowledgeBase` is hashable, safe to share between the index and its callers, and compares
by value (which the round-trip tests rely on).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Contact:
    """A person to ask. `topics` are the person's own subjects inside the network."""

    name: str
    role: str | None = None
    matrix: str | None = None  # "@local:server"
    email: str | None = None
    phone: str | None = None
    topics: tuple[str, ...] = ()


@dataclass(frozen=True)
class Network:
    """A business network or competence centre. `id` is the stable key ([a-z0-9-]+)."""

    id: str
    name: str
    short: str | None = None
    url: str | None = None
    description: str | None = None
    topics: tuple[str, ...] = ()
    offers: tuple[str, ...] = ()
    contacts: tuple[Contact, ...] = ()


@dataclass(frozen=True)
class KnowledgeBase:
    """All networks in file order plus the synonym groups (each group: equivalent words)."""

    networks: tuple[Network, ...] = ()
    synonyms: tuple[tuple[str, ...], ...] = ()

    def network(self, network_id: str) -> Network | None:
        # Linear on purpose: the KB holds a few dozen networks; the index has its own map.
        for network in self.networks:
            if network.id == network_id:
                return network
        return None
