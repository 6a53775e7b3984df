"""The knowledge base in the database: load, replace (import), and small edits from the room.

Pure functions over a Session. Every change bumps the KB version, which tells each bot
process to rebuild its in-memory search index.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field, replace
from datetime import datetime

from rapidfuzz import fuzz, process
from sqlmodel import Session, col, delete, func, select

from bot.models import KeyValue
from bot.store import set_value
from plugins.directory.kb import Contact, KnowledgeBase, Network
from plugins.directory.kb_file import MAX_CONTACTS, contact_keys, entry_key
from plugins.directory.kb_file import MAX_TOPICS as MAX_TOPICS  # chat edits: as a file allows
from plugins.directory.models import ContactRow, NetworkRow, SynonymGroupRow
from plugins.directory.text import fold

VERSION_KEY = "directory.version"
CLEAR_LEAD = 5.0  # fuzzy network names: the best must beat the next by this much


class TooManyContacts(Exception):
    def __init__(self, limit: int) -> None:
        super().__init__(limit)
        self.limit = limit


@dataclass
class ImportReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    synonyms_changed: bool = False

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed or self.synonyms_changed)


def kb_version(session: Session) -> str:
    row = session.get(KeyValue, VERSION_KEY)
    return row.value if row else ""


def _bump(session: Session) -> None:
    set_value(session, VERSION_KEY, uuid.uuid4().hex)


def load(session: Session) -> KnowledgeBase:
    networks = session.exec(select(NetworkRow).order_by(col(NetworkRow.position))).all()
    contacts = session.exec(  # id: a stable order even for positions written by hand
        select(ContactRow).order_by(col(ContactRow.position), col(ContactRow.id))
    ).all()
    by_network: dict[str, list[Contact]] = {}
    for row in contacts:
        by_network.setdefault(row.network_id, []).append(_contact(row))
    groups = session.exec(select(SynonymGroupRow).order_by(col(SynonymGroupRow.id))).all()
    return KnowledgeBase(
        networks=tuple(_network(row, by_network.get(row.id, [])) for row in networks),
        synonyms=tuple(tuple(json.loads(g.words)) for g in groups),
    )


def replace_all(session: Session, kb: KnowledgeBase, now: datetime) -> ImportReport:
    """Make the stored KB equal to `kb` (the file is the source of truth). Idempotent."""
    current = {network.id: network for network in load(session).networks}
    report = ImportReport()
    for position, network in enumerate(kb.networks):
        old = current.pop(network.id, None)
        row = session.get(NetworkRow, network.id)
        if old is not None and old == network and row is not None and row.position == position:
            report.unchanged += 1
            continue
        (report.updated if old is not None else report.added).append(network.id)
        _write_network(session, network, position, now)
    for network_id in current:
        session.exec(delete(ContactRow).where(col(ContactRow.network_id) == network_id))
        session.exec(delete(NetworkRow).where(col(NetworkRow.id) == network_id))
        report.removed.append(network_id)
    old_groups = [tuple(json.loads(g.words)) for g in session.exec(select(SynonymGroupRow))]
    if old_groups != list(kb.synonyms):
        session.exec(delete(SynonymGroupRow))
        for group in kb.synonyms:
            session.add(SynonymGroupRow(words=json.dumps(list(group), ensure_ascii=False)))
        report.synonyms_changed = True
    if report.changed:
        _bump(session)
    return report


def _write_network(session: Session, network: Network, position: int, now: datetime) -> None:
    row = session.get(NetworkRow, network.id) or NetworkRow(id=network.id, name=network.name)
    row.position = position
    row.name = network.name
    row.short = network.short
    row.url = network.url
    row.description = network.description
    row.topics = _json(network.topics)
    row.offers = _json(network.offers)
    row.updated_at = now
    session.add(row)
    session.flush()
    session.exec(delete(ContactRow).where(col(ContactRow.network_id) == network.id))
    for index, contact in enumerate(network.contacts):
        session.add(
            ContactRow(
                network_id=network.id,
                position=index,
                name=contact.name,
                role=contact.role,
                matrix=contact.matrix,
                email=contact.email,
                phone=contact.phone,
                topics=_json(contact.topics),
            )
        )


def find_network(kb: KnowledgeBase, text: str, *, fuzzy: bool = True) -> Network | None:
    """By id, short name or name (case/umlaut-insensitive); with `fuzzy`, else the one name
    clearly closest (for showing a profile; an edit must name its network exactly)."""
    wanted = name_key(text)
    if not wanted:
        return None
    for network in kb.networks:
        names = (network.id, network.short or "", network.name)
        if any(name_key(name) == wanted for name in names):
            return network
    if not fuzzy:
        return None
    close = closest_networks(kb, text, limit=2)
    if len(close) == 1 or (len(close) == 2 and close[0][1] - close[1][1] >= CLEAR_LEAD):
        return close[0][0]
    return None


def networks_by_name(kb: KnowledgeBase) -> dict[str, Network]:
    """Every network under its id, short name and name, folded and with single spaces, as
    `find_network` matches them exactly (the first network wins a name used twice)."""
    found: dict[str, Network] = {}
    for network in kb.networks:
        for name in (network.id, network.short, network.name):
            if name:
                found.setdefault(name_key(name), network)
    return found


def name_key(name: str) -> str:
    return fold(" ".join(name.split()))


def closest_networks(kb: KnowledgeBase, text: str, limit: int = 3) -> list[tuple[Network, float]]:
    """Networks whose short name and name come close to `text`, best first."""
    choices = {index: fold(f"{n.short or ''} {n.name}") for index, n in enumerate(kb.networks)}
    found = process.extract(
        fold(text.strip()), choices, scorer=fuzz.WRatio, score_cutoff=85, limit=limit
    )
    return [(kb.networks[index], score) for _choice, score, index in found]


def is_manager(network: Network, user_id: str) -> bool:
    """Whether `user_id` is one of the network's contacts: the id exactly as written (Matrix
    ids are case-sensitive; DirectoryPlugin.networks_of_user matches them the same way)."""
    return any(contact.matrix == user_id for contact in network.contacts)


def set_topics(session: Session, network: Network, topics: tuple[str, ...], now: datetime) -> None:
    row = session.get(NetworkRow, network.id)
    if row is None:
        return
    row.topics = _json(topics)
    row.updated_at = now
    session.add(row)
    _bump(session)


def existing_topic(network: Network, topic: str) -> str | None:
    """The network's topic that `topic` repeats in the file's sense ("Waermepumpen" repeats
    "Wärmepumpen"), as it is spelled there; None if it is new."""
    key = entry_key(topic)
    return next((t for t in network.topics if entry_key(t) == key), None)


def add_topic(session: Session, network: Network, topic: str, now: datetime) -> bool:
    """False if the network already has that topic (see `existing_topic`)."""
    return bool(add_topics(session, network, [topic], now))


def add_topics(session: Session, network: Network, topics: list[str], now: datetime) -> list[str]:
    """The topics added, in one change: those the network lacks, each once."""
    new: dict[str, str] = {}
    for topic in topics:
        if existing_topic(network, topic) is None:
            new.setdefault(entry_key(topic), topic)
    if new:
        set_topics(session, network, (*network.topics, *new.values()), now)
    return list(new.values())


def remove_topic(session: Session, network: Network, topic: str, now: datetime) -> str | None:
    """The removed topic as it was spelled, None if the network has no such topic."""
    removed = remove_topics(session, network, [topic], now)
    return removed[0] if removed else None


def remove_topics(
    session: Session, network: Network, topics: list[str], now: datetime
) -> list[str]:
    """The network's topics removed, as they were spelled, in one change."""
    gone = list(dict.fromkeys(filter(None, (existing_topic(network, t) for t in topics))))
    if gone:
        set_topics(session, network, tuple(t for t in network.topics if t not in gone), now)
    return gone


def existing_contact(network: Network, contact: Contact) -> Contact | None:
    """The network's contact that `contact` would repeat (same name or Matrix id, as the file
    counts them), None if there is none."""
    keys = set(contact_keys(contact))
    return next((c for c in network.contacts if keys.intersection(contact_keys(c))), None)


def add_contact(session: Session, network: Network, contact: Contact) -> bool:
    """False if the contact repeats one of the network's (see `existing_contact`)."""
    if existing_contact(network, contact) is not None:
        return False
    if len(network.contacts) >= MAX_CONTACTS:
        raise TooManyContacts(MAX_CONTACTS)
    # After the last one, also after removals: a repeated position would leave the order to
    # the database (SQLite and PostgreSQL differ).
    last = session.exec(
        select(func.max(ContactRow.position)).where(ContactRow.network_id == network.id)
    ).one()
    session.add(
        ContactRow(
            network_id=network.id,
            position=0 if last is None else last + 1,
            name=contact.name,
            role=contact.role,
            matrix=contact.matrix,
            topics=_json(contact.topics),
        )
    )
    _bump(session)
    return True


def remove_contact(session: Session, network: Network, matrix: str) -> bool:
    # Case-insensitive, as contacts are told apart (`kb_file.contact_keys`).
    rows = [
        row
        for row in session.exec(select(ContactRow).where(ContactRow.network_id == network.id))
        if row.matrix is not None and row.matrix.casefold() == matrix.casefold()
    ]
    for row in rows:
        session.delete(row)
    if rows:
        _bump(session)
    return bool(rows)


def with_contact(network: Network, contact: Contact) -> Network:
    return replace(network, contacts=(*network.contacts, contact))


def _json(values: tuple[str, ...]) -> str:
    return json.dumps(list(values), ensure_ascii=False)


def _contact(row: ContactRow) -> Contact:
    return Contact(
        name=row.name,
        role=row.role,
        matrix=row.matrix,
        email=row.email,
        phone=row.phone,
        topics=tuple(json.loads(row.topics)),
    )


def _network(row: NetworkRow, contacts: list[Contact]) -> Network:
    return Network(
        id=row.id,
        name=row.name,
        short=row.short,
        url=row.url,
        description=row.description,
        topics=tuple(json.loads(row.topics)),
        offers=tuple(json.loads(row.offers)),
        contacts=tuple(contacts),
    )
