"""Two managers at the same moment, against a real database (SQLite and PostgreSQL).

Each contender has its own session (its own connection); a barrier releases them together.
Several rounds, because a single round might just not overlap.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest
from sqlmodel import Session

from bot.store import Store
from plugins.tickets import service
from plugins.tickets.models import Action, Status
from plugins.tickets.parsing import parse_request
from tests.unit.tickets.conftest import migrated_store

ROOM = "!room:test"
T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
ROUNDS = 10
CONTENDERS = 2


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    store = migrated_store(db_url)
    yield store
    store.dispose()


def race(store: Store, contenders: int, act: Callable[[Session, int], str]) -> list[str]:
    """Run `act(session, index)` in `contenders` threads released together; each commits."""
    barrier = threading.Barrier(contenders)

    def run(index: int) -> str:
        with store.session() as session:
            barrier.wait(timeout=30)
            try:
                result = act(session, index)
                session.commit()
                return result
            except service.TicketError as error:
                session.rollback()
                return type(error).__name__

    with ThreadPoolExecutor(contenders) as pool:
        return list(pool.map(run, range(contenders)))


def new_ticket(store: Store, title: str) -> int:
    with store.transaction() as session:
        ticket = service.create_ticket(session, ROOM, "@anna:test", T0, parse_request(title))
        assert ticket.id is not None
        return ticket.id


def test_exactly_one_of_two_claims_wins(store: Store) -> None:
    for round_ in range(ROUNDS):
        ticket_id = new_ticket(store, f"Runde {round_}")

        def claim(session: Session, index: int, ticket_id: int = ticket_id) -> str:
            ticket = service.ticket_by_id(session, ticket_id)
            assert ticket is not None
            outcome = service.claim(session, ticket, f"@manager{index}:test", T0)
            return "won" if outcome.changed else "no-op"

        results = race(store, CONTENDERS, claim)
        assert sorted(results) == ["ClaimedByOther", "won"], (round_, results)
        with store.session() as session:
            ticket = service.ticket_by_id(session, ticket_id)
            assert ticket is not None and ticket.status == Status.CLAIMED
            winner = f"@manager{results.index('won')}:test"
            assert ticket.claimed_by == winner
            claims = [e for e in service.history(session, ticket) if e.action == Action.CLAIMED]
            assert [e.actor for e in claims] == [winner]


def test_the_conditional_update_lets_one_through(store: Store) -> None:
    """Both read "open" first; only then do both UPDATE ... WHERE status = 'open'."""
    for round_ in range(ROUNDS):
        ticket_id = new_ticket(store, f"Runde {round_}")
        both_read = threading.Barrier(CONTENDERS)

        def claim(
            session: Session,
            index: int,
            ticket_id: int = ticket_id,
            both_read: threading.Barrier = both_read,
        ) -> str:
            seen = service.ticket_by_id(session, ticket_id)
            assert seen is not None and seen.status == Status.OPEN
            both_read.wait(timeout=30)
            values = {"status": Status.CLAIMED.value, "claimed_by": f"@manager{index}:test"}
            return "won" if service.compare_and_set(session, seen, values) else "lost"

        assert sorted(race(store, CONTENDERS, claim)) == ["lost", "won"], round_


def test_claim_racing_close_never_loses_the_close(store: Store) -> None:
    """The filer closes while someone claims: whatever the order, the ticket ends up done."""
    for round_ in range(ROUNDS):
        ticket_id = new_ticket(store, f"Runde {round_}")

        def act(session: Session, index: int, ticket_id: int = ticket_id) -> str:
            ticket = service.ticket_by_id(session, ticket_id)
            assert ticket is not None
            if index == 0:
                service.close(session, ticket, "@anna:test", T0, None, is_admin=False)
                return "closed"
            service.claim(session, ticket, "@bob:test", T0)
            return "claimed"

        results = race(store, 2, act)
        assert results[0] == "closed", results
        assert results[1] in ("claimed", "AlreadyDone"), results
        with store.session() as session:
            ticket = service.ticket_by_id(session, ticket_id)
            assert ticket is not None and ticket.status == Status.DONE


def test_concurrent_filing_gets_distinct_numbers(store: Store) -> None:
    contenders = 4

    def file(session: Session, index: int) -> str:
        request = parse_request(f"Anfrage {index}")
        return str(service.create_ticket(session, ROOM, "@anna:test", T0, request).number)

    numbers: list[str] = []
    for _ in range(ROUNDS // 2):
        numbers += race(store, contenders, file)
    assert sorted(map(int, numbers)) == list(range(1, contenders * (ROUNDS // 2) + 1))
