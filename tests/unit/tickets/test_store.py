"""The tickets service on SQLite and on PostgreSQL (`db_url` runs each test on both)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy.exc import IntegrityError

from bot.store import Store
from plugins.tickets import service
from plugins.tickets.models import Action, Status, Ticket
from plugins.tickets.parsing import parse_request
from plugins.tickets.service import Assignment, Scope
from tests.unit.tickets.conftest import migrated_store

ROOM = "!room:test"
T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    store = migrated_store(db_url)
    yield store
    store.dispose()


def file(store: Store, text: str = "Anfrage", room: str = ROOM, when: datetime = T0) -> Ticket:
    with store.transaction() as session:
        return service.create_ticket(session, room, "@anna:test", when, parse_request(text))


def test_migration_creates_the_tables_and_is_idempotent(store: Store) -> None:
    store.upgrade()
    assert {"tickets_ticket", "tickets_event"} <= store.tables()


def test_numbers_per_room_and_the_unique_constraint(store: Store) -> None:
    assert [file(store).number for _ in range(3)] == [1, 2, 3]
    assert file(store, room="!b:test").number == 1
    with pytest.raises(IntegrityError), store.transaction() as session:
        session.add(
            Ticket(
                room_id=ROOM,
                number=2,
                title="dup",
                text="dup",
                filed_by="@x:test",
                created_at=T0,
                updated_at=T0,
            )
        )


def test_status_must_be_known(store: Store) -> None:
    ticket = file(store)
    with pytest.raises(IntegrityError), store.transaction() as session:
        row = session.get(Ticket, ticket.id)
        assert row is not None
        row.status = "lost"
        session.add(row)


def test_fields_and_times_round_trip(store: Store) -> None:
    local = datetime(2026, 3, 29, 3, 30, tzinfo=timezone(timedelta(hours=2)))
    ticket = file(store, "Ä-Anfrage\nFirma: Müller & Söhne\nE-Mail: a@b.example", when=local)
    with store.session() as session:
        row = service.get_ticket(session, ROOM, ticket.number)
        assert row.created_at == local and row.created_at.tzinfo == UTC
        assert (row.title, row.company, row.contact_email) == (
            "Ä-Anfrage",
            "Müller & Söhne",
            "a@b.example",
        )
        assert [e.action for e in service.history(session, row)] == [Action.CREATED]


def test_lifecycle_and_audit_trail(store: Store) -> None:
    ticket = file(store)
    steps = [
        lambda s, t, at: service.claim(s, t, "@bob:test", at),
        lambda s, t, at: service.comment(s, t, "@carol:test", at, "Notiz"),
        lambda s, t, at: service.assign(
            s, t, "@bob:test", at, Assignment(network_id="netz"), is_admin=False
        ),
        lambda s, t, at: service.close(s, t, "@bob:test", at, "fertig", is_admin=False),
        lambda s, t, at: service.reopen(s, t, "@anna:test", at, is_admin=False),
        lambda s, t, at: service.claim(s, t, "@carol:test", at),
        lambda s, t, at: service.release(s, t, "@carol:test", at, is_admin=False),
    ]
    for minutes, step in enumerate(steps, start=1):
        with store.transaction() as session:
            step(session, ticket, T0 + timedelta(minutes=minutes))
    with store.session() as session:
        row = service.get_ticket(session, ROOM, 1)
        trail = service.history(session, row)
    assert (row.status, row.claimed_by, row.network_id) == (Status.OPEN, None, "netz")
    assert row.updated_at == T0 + timedelta(minutes=7)
    assert [(e.action, e.actor, e.detail) for e in trail] == [
        (Action.CREATED, "@anna:test", None),
        (Action.CLAIMED, "@bob:test", None),
        (Action.COMMENTED, "@carol:test", "Notiz"),
        (Action.ASSIGNED, "@bob:test", "netz"),
        (Action.CLOSED, "@bob:test", "fertig"),
        (Action.REOPENED, "@anna:test", None),
        (Action.CLAIMED, "@carol:test", None),
        (Action.RELEASED, "@carol:test", None),
    ]
    assert [e.at for e in trail] == [T0 + timedelta(minutes=m) for m in range(8)]


def test_a_refused_change_leaves_no_trace(store: Store) -> None:
    ticket = file(store)
    with store.transaction() as session:
        service.claim(session, ticket, "@bob:test", T0)
    with pytest.raises(service.NotAllowed), store.transaction() as session:
        service.close(session, ticket, "@mallory:test", T0, None, is_admin=False)
    with pytest.raises(service.ClaimedByOther) as info, store.transaction() as session:
        service.claim(session, ticket, "@carol:test", T0)
    assert info.value.holder == "@bob:test"
    with store.session() as session:
        row = service.get_ticket(session, ROOM, 1)
        assert row.status == Status.CLAIMED
        assert len(service.history(session, row)) == 2


def test_lost_race_is_decided_on_fresh_data(store: Store) -> None:
    """A claim that read "open" but lost the row to someone else learns who has it."""
    ticket = file(store)
    with store.session() as slow:
        seen = service.get_ticket(slow, ROOM, 1)  # reads "open"
        with store.transaction() as fast:
            assert service.claim(fast, ticket, "@bob:test", T0).changed
        assert seen.status == Status.OPEN
        assert not service.compare_and_set(slow, seen, {"status": "done"})
        with pytest.raises(service.ClaimedByOther):
            service.claim(slow, seen, "@carol:test", T0)
        slow.rollback()


def test_lists_and_staleness(store: Store) -> None:
    for days in (30, 10, 1):
        file(store, f"vor {days} Tagen", when=T0 - timedelta(days=days))
    file(store, "anderer Raum", room="!b:test", when=T0 - timedelta(days=30))
    with store.transaction() as session:
        service.close(
            session, service.get_ticket(session, ROOM, 2), "@anna:test", T0, None, is_admin=False
        )
        service.claim(session, service.get_ticket(session, ROOM, 3), "@bob:test", T0)
    with store.session() as session:
        page = service.list_tickets(session, ROOM, Scope.OPEN, limit=1)
        assert ([t.number for t in page.tickets], page.total, page.more) == ([3], 2, 1)
        mine = service.list_tickets(session, ROOM, Scope.MINE, user="@bob:test")
        assert [t.number for t in mine.tickets] == [3]
        assert service.list_tickets(session, ROOM, Scope.ALL).total == 3
        assert [t.number for t in service.list_tickets(session, ROOM, Scope.DONE).tickets] == [2]
        stale = service.stale_tickets(session, ROOM, T0, 14)
        assert [t.title for t in stale] == ["vor 30 Tagen"]
        assert len(service.stale_tickets(session, None, T0, 14)) == 2
        assert [t.number for t in service.open_tickets(session, ROOM)] == [1, 3]


def test_a_list_puts_the_stale_first_and_fills_up_with_the_newest(store: Store) -> None:
    for days_ago in (30, 20, 10, 3, 2, 1):
        file(store, f"vor {days_ago} Tagen", when=T0 - timedelta(days=days_ago))
    with store.transaction() as session:
        service.close(
            session, service.get_ticket(session, ROOM, 1), "@anna:test", T0, None, is_admin=True
        )
    cutoff = service.stale_cutoff(T0, 14)
    with store.session() as session:
        page = service.list_tickets(session, ROOM, Scope.ALL, limit=3, stale_before=cutoff)
        # #1 is done, so not stale: it is one of the rest, which the newest fill up.
        assert ([t.number for t in page.tickets], page.total) == ([2, 6, 5], 6)
        page = service.list_tickets(session, ROOM, Scope.OPEN, limit=1, stale_before=cutoff)
        assert ([t.number for t in page.tickets], page.total) == ([2], 5)
        page = service.list_tickets(session, ROOM, Scope.DONE, limit=3, stale_before=cutoff)
        assert [t.number for t in page.tickets] == [1]


def test_a_list_of_more_stale_tickets_than_its_limit_holds_the_oldest(store: Store) -> None:
    for days_ago in (50, 40, 30, 20, 1):
        file(store, f"vor {days_ago} Tagen", when=T0 - timedelta(days=days_ago))
    cutoff = service.stale_cutoff(T0, 14)
    with store.session() as session:
        page = service.list_tickets(session, ROOM, Scope.OPEN, limit=3, stale_before=cutoff)
        assert ([t.number for t in page.tickets], page.total, page.more) == ([1, 2, 3], 5, 2)


def test_a_network_contact_is_responsible_for_the_networks_tickets(store: Store) -> None:
    ticket = file(store)
    with store.transaction() as session:
        ticket = service.get_ticket(session, ROOM, ticket.number)
        service.assign(
            session, ticket, "@anna:test", T0, Assignment(network_id="h2"), is_admin=False
        )
    with store.session() as session:
        ticket = service.get_ticket(session, ROOM, ticket.number)
        assert service.responsible(ticket, "@erika:test", False, {"h2"})
        assert not service.responsible(ticket, "@erika:test", False, {"export"})
        assert not service.responsible(ticket, "@erika:test", False)
        mine = service.list_tickets(session, ROOM, Scope.MINE, user="@erika:test", networks=["h2"])
        assert [t.number for t in mine.tickets] == [ticket.number]
        assert service.list_tickets(session, ROOM, Scope.MINE, user="@erika:test").total == 0
