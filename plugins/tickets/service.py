"""Tickets over a database session: filing, the lifecycle, who may do what, lists, staleness.

No Matrix and no Context here. Errors are `TicketError`s carrying raw data; the plugin turns
them into messages. Nothing here commits: the caller's unit of work does.

Concurrency: two managers may act on the same ticket at the same moment (two bot processes on
one PostgreSQL, or a command racing a reaction). Every status change is therefore a
compare-and-set UPDATE on the state that was read (`WHERE id = :id AND status = :seen ...`),
so exactly one of two concurrent claims matches a row; the loser re-reads and is told who won.
Numbers are taken as MAX+1 under a unique (room_id, number) constraint with
`ON CONFLICT DO NOTHING`, and retried when another process took the same number first.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import func, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from plugins.tickets.models import Action, Status, Ticket, TicketEvent
from plugins.tickets.parsing import ParsedRequest

ATTEMPTS = 5  # compare-and-set retries; each retry means someone else changed the ticket
NUMBER_ATTEMPTS = 10  # each retry means another process filed in the same room just now


# -- errors --------------------------------------------------------------------------------------


class TicketError(Exception):
    """A request about a ticket that cannot be done; the subclasses say why.

    It keeps plain values, not the row: the row expires with the rollback that follows.
    """

    def __init__(self, ticket: Ticket | None = None, number: int | None = None) -> None:
        super().__init__(type(self).__name__)
        self.number = ticket.number if ticket is not None else number


class NotFound(TicketError):
    """No ticket with this number in this room (other rooms' tickets are invisible)."""


class ClaimedByOther(TicketError):
    def __init__(self, ticket: Ticket) -> None:
        super().__init__(ticket)
        self.holder = ticket.claimed_by or "?"


class AlreadyDone(TicketError):
    pass


class NotDone(TicketError):
    pass


class NotClaimed(TicketError):
    pass


class NotAllowed(TicketError):
    def __init__(self, ticket: Ticket, action: str) -> None:
        super().__init__(ticket)
        self.action = action


class Busy(TicketError):
    """The ticket kept changing under us; nothing was done."""


class NumberExhausted(Exception):
    """No free number in NUMBER_ATTEMPTS tries (only under heavy contention)."""


# -- who may do what -----------------------------------------------------------------------------
#
# Anyone in the room may file, claim, comment and look. Changing a ticket someone owns
# (close, reopen, assign, release) is for the people responsible for it: whoever claimed it,
# whoever filed it, whoever it is assigned to, and admins. A ticket assigned to a network is
# assigned to the network's contacts: the caller passes the networks the actor is a contact
# of (`networks`, from the directory), as this module knows no directory. Release is narrower:
# only the claimer (or an admin) hands a claim back, so a filer cannot silently take work away
# from someone.

Networks = Collection[str]  # the ids of the networks an actor is a contact of


def responsible(ticket: Ticket, actor: str, is_admin: bool, networks: Networks = ()) -> bool:
    if is_admin or actor in {ticket.claimed_by, ticket.filed_by, ticket.assignee_user}:
        return True
    return ticket.network_id is not None and ticket.network_id in networks


def may_release(ticket: Ticket, actor: str, is_admin: bool) -> bool:
    return is_admin or actor == ticket.claimed_by


# -- filing and finding --------------------------------------------------------------------------


def create_ticket(
    session: Session, room_id: str, filed_by: str, now: datetime, request: ParsedRequest
) -> Ticket:
    """File a ticket with the room's next number; safe against concurrent filing."""
    values: dict[str, Any] = {
        "room_id": room_id,
        "title": request.title,
        "text": request.text,
        "company": request.company,
        "contact_name": request.contact_name,
        "contact_email": request.contact_email,
        "contact_phone": request.contact_phone,
        "status": Status.OPEN.value,
        "filed_by": filed_by,
        "created_at": now,
        "updated_at": now,
    }
    insert = _insert_for(session)
    for _ in range(NUMBER_ATTEMPTS):
        next_number = (
            select(func.coalesce(func.max(Ticket.number), 0) + 1)
            .where(Ticket.room_id == room_id)
            .scalar_subquery()
        )
        # DO NOTHING instead of catching IntegrityError: a failed statement would abort the
        # whole PostgreSQL transaction, and SQLite's savepoints misbehave under pysqlite.
        statement = (
            insert(Ticket)
            .values(number=next_number, **values)
            .on_conflict_do_nothing(index_elements=["room_id", "number"])
            .returning(col(Ticket.id))
        )
        ticket_id = session.exec(statement).scalar()
        if ticket_id is not None:
            ticket = _load(session, ticket_id)
            record(session, ticket, filed_by, Action.CREATED, now)
            return ticket
    raise NumberExhausted(room_id)


def _insert_for(session: Session) -> Callable[..., Any]:
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return postgresql.insert
    if dialect == "sqlite":
        return sqlite.insert
    raise NotImplementedError(f"tickets support SQLite and PostgreSQL, not {dialect}")


def get_ticket(session: Session, room_id: str, number: int) -> Ticket:
    ticket = session.exec(
        select(Ticket)
        .where(Ticket.room_id == room_id, Ticket.number == number)
        .execution_options(populate_existing=True)
    ).first()
    if ticket is None:
        raise NotFound(number=number)
    return ticket


def ticket_by_id(session: Session, ticket_id: int) -> Ticket | None:
    return session.get(Ticket, ticket_id, populate_existing=True)


def _load(session: Session, ticket_id: int) -> Ticket:
    ticket = ticket_by_id(session, ticket_id)
    if ticket is None:  # tickets are never deleted
        raise NotFound()
    return ticket


def history(session: Session, ticket: Ticket) -> list[TicketEvent]:
    return list(
        session.exec(
            select(TicketEvent)
            .where(TicketEvent.ticket_id == ticket.id)
            .order_by(col(TicketEvent.at), col(TicketEvent.id))
        )
    )


def record(
    session: Session,
    ticket: Ticket,
    actor: str,
    action: Action,
    now: datetime,
    detail: str | None = None,
) -> None:
    assert ticket.id is not None
    session.add(
        TicketEvent(ticket_id=ticket.id, at=now, actor=actor, action=action.value, detail=detail)
    )


# -- the lifecycle -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    ticket: Ticket
    changed: bool  # False: it already was so (claiming your own claim again)


Decision = dict[str, Any] | None  # new column values, or None for "nothing to do"


def _transition(session: Session, ticket: Ticket, decide: Callable[[Ticket], Decision]) -> Outcome:
    """Read, decide, compare-and-set; on a lost race read again and decide again."""
    assert ticket.id is not None
    for _ in range(ATTEMPTS):
        current = _load(session, ticket.id)
        values = decide(current)  # raises TicketError when the change is not allowed
        if values is None:
            return Outcome(current, changed=False)
        if compare_and_set(session, current, values):
            session.refresh(current)
            return Outcome(current, changed=True)
    raise Busy(ticket)


def compare_and_set(session: Session, seen: Ticket, values: dict[str, Any]) -> bool:
    """UPDATE the ticket only if status and claimer are still what we saw; True if it did."""
    statement = (
        update(Ticket)
        .where(
            col(Ticket.id) == seen.id,
            col(Ticket.status) == seen.status,
            col(Ticket.claimed_by).is_not_distinct_from(seen.claimed_by),
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return bool(session.exec(statement).rowcount == 1)


def claim(session: Session, ticket: Ticket, actor: str, now: datetime) -> Outcome:
    def decide(current: Ticket) -> Decision:
        if current.status == Status.DONE:
            raise AlreadyDone(current)
        if current.status == Status.CLAIMED:
            if current.claimed_by == actor:
                return None
            raise ClaimedByOther(current)
        return {"status": Status.CLAIMED.value, "claimed_by": actor, "updated_at": now}

    outcome = _transition(session, ticket, decide)
    if outcome.changed:
        record(session, outcome.ticket, actor, Action.CLAIMED, now)
    return outcome


def release(
    session: Session, ticket: Ticket, actor: str, now: datetime, *, is_admin: bool
) -> Outcome:
    def decide(current: Ticket) -> Decision:
        if current.status == Status.DONE:
            raise AlreadyDone(current)
        if current.status != Status.CLAIMED:
            raise NotClaimed(current)
        if not may_release(current, actor, is_admin):
            raise NotAllowed(current, "release")
        return {"status": Status.OPEN.value, "claimed_by": None, "updated_at": now}

    outcome = _transition(session, ticket, decide)
    record(session, outcome.ticket, actor, Action.RELEASED, now)
    return outcome


def close(
    session: Session,
    ticket: Ticket,
    actor: str,
    now: datetime,
    note: str | None,
    *,
    is_admin: bool,
    networks: Networks = (),
) -> Outcome:
    def decide(current: Ticket) -> Decision:
        if current.status == Status.DONE:
            raise AlreadyDone(current)
        if not responsible(current, actor, is_admin, networks):
            raise NotAllowed(current, "close")
        return {
            "status": Status.DONE.value,
            "closed_at": now,
            "close_note": note,
            "updated_at": now,
        }

    outcome = _transition(session, ticket, decide)
    record(session, outcome.ticket, actor, Action.CLOSED, now, note)
    return outcome


def reopen(
    session: Session,
    ticket: Ticket,
    actor: str,
    now: datetime,
    *,
    is_admin: bool,
    networks: Networks = (),
) -> Outcome:
    def decide(current: Ticket) -> Decision:
        if current.status != Status.DONE:
            raise NotDone(current)
        if not responsible(current, actor, is_admin, networks):
            raise NotAllowed(current, "reopen")
        # Back to the start: whoever picks it up again claims it again.
        return {
            "status": Status.OPEN.value,
            "claimed_by": None,
            "closed_at": None,
            "close_note": None,
            "updated_at": now,
        }

    outcome = _transition(session, ticket, decide)
    record(session, outcome.ticket, actor, Action.REOPENED, now)
    return outcome


@dataclass(frozen=True)
class Assignment:
    network_id: str | None = None
    user: str | None = None
    clear: bool = False  # `!zuweisen N -`: neither network nor person


def assign(
    session: Session,
    ticket: Ticket,
    actor: str,
    now: datetime,
    target: Assignment,
    *,
    is_admin: bool,
    networks: Networks = (),
) -> Outcome:
    ticket = _load(session, _id(ticket))
    if ticket.status == Status.DONE:
        raise AlreadyDone(ticket)
    if not responsible(ticket, actor, is_admin, networks):
        raise NotAllowed(ticket, "assign")
    if target.clear:
        if ticket.network_id is None and ticket.assignee_user is None:
            return Outcome(ticket, changed=False)
        ticket.network_id = None
        ticket.assignee_user = None
        record(session, ticket, actor, Action.UNASSIGNED, now)
    elif target.user is not None:
        if ticket.assignee_user == target.user:
            return Outcome(ticket, changed=False)
        ticket.assignee_user = target.user
        record(session, ticket, actor, Action.ASSIGNED, now, target.user)
    elif target.network_id is not None:
        if ticket.network_id == target.network_id:
            return Outcome(ticket, changed=False)
        ticket.network_id = target.network_id
        record(session, ticket, actor, Action.ASSIGNED, now, target.network_id)
    ticket.updated_at = now
    session.add(ticket)
    session.flush()
    return Outcome(ticket, changed=True)


def comment(session: Session, ticket: Ticket, actor: str, now: datetime, text: str) -> Ticket:
    ticket = _load(session, _id(ticket))
    ticket.updated_at = now
    session.add(ticket)
    record(session, ticket, actor, Action.COMMENTED, now, text)
    session.flush()
    return ticket


def _id(ticket: Ticket) -> int:
    assert ticket.id is not None
    return ticket.id


# -- lists -----------------------------------------------------------------------------------------


class Scope(StrEnum):
    OPEN = "open"  # not done (open or claimed)
    MINE = "mine"  # not done, and filed by, claimed by or assigned to the asker or their network
    ALL = "all"
    DONE = "done"
    NETWORK = "network"  # not done, assigned to one network


@dataclass(frozen=True)
class Page:
    tickets: list[Ticket]
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.tickets)


def list_tickets(
    session: Session,
    room_id: str,
    scope: Scope,
    *,
    user: str | None = None,
    network_id: str | None = None,
    limit: int = 30,
    stale_before: datetime | None = None,
    networks: Networks = (),
) -> Page:
    """The room's tickets in `scope` and their count, at most `limit` of them: first the
    stale ones (not done and filed before `stale_before`), the longest waiting first, as the
    newest-first order would hide exactly those; then the newest others to fill the list.
    `networks`: those `user` is a contact of, whose tickets are the user's too."""
    conditions = _scope_conditions(room_id, scope, user, network_id, networks)
    total = session.exec(select(func.count()).select_from(Ticket).where(*conditions)).one()
    stale: list[Ticket] = []
    fresh = list(conditions)
    if stale_before is not None and scope != Scope.DONE:
        overdue = (col(Ticket.status) != Status.DONE.value) & (
            col(Ticket.created_at) < stale_before
        )
        stale = list(
            session.exec(
                select(Ticket)
                .where(*conditions, overdue)
                .order_by(col(Ticket.created_at), col(Ticket.number))
                .limit(limit)
            )
        )
        fresh.append(~overdue)
    others = session.exec(
        select(Ticket)
        .where(*fresh)
        .order_by(col(Ticket.created_at).desc(), col(Ticket.number).desc())
        .limit(max(0, limit - len(stale)))
    ).all()
    return Page([*stale, *others], int(total))


def _scope_conditions(
    room_id: str, scope: Scope, user: str | None, network_id: str | None, networks: Networks
) -> list[Any]:
    conditions: list[Any] = [Ticket.room_id == room_id]
    if scope in (Scope.OPEN, Scope.MINE, Scope.NETWORK):
        conditions.append(col(Ticket.status) != Status.DONE.value)
    if scope == Scope.DONE:
        conditions.append(col(Ticket.status) == Status.DONE.value)
    if scope == Scope.MINE:
        conditions.append(
            (col(Ticket.claimed_by) == user)
            | (col(Ticket.assignee_user) == user)
            | (col(Ticket.filed_by) == user)
            | col(Ticket.network_id).in_(list(networks))
        )
    if scope == Scope.NETWORK:
        conditions.append(Ticket.network_id == network_id)
    return conditions


def open_tickets(session: Session, room_id: str | None) -> list[Ticket]:
    """Every ticket not done (of one room, or of all rooms for None), oldest first."""
    statement = select(Ticket).where(col(Ticket.status) != Status.DONE.value)
    if room_id is not None:
        statement = statement.where(Ticket.room_id == room_id)
    statement = statement.order_by(col(Ticket.room_id), col(Ticket.created_at), col(Ticket.number))
    return list(session.exec(statement))


def stale_cutoff(now: datetime, stale_days: int) -> datetime:
    """Tickets filed before this moment and not done are stale."""
    return now - timedelta(days=stale_days)


def is_stale(ticket: Ticket, now: datetime, stale_days: int) -> bool:
    """Not done and filed more than `stale_days` ago (claimed or not: the request still waits)."""
    return ticket.status != Status.DONE and ticket.created_at < stale_cutoff(now, stale_days)


def stale_tickets(
    session: Session, room_id: str | None, now: datetime, stale_days: int
) -> list[Ticket]:
    return [t for t in open_tickets(session, room_id) if is_stale(t, now, stale_days)]


def all_tickets(session: Session, room_id: str | None = None) -> list[Ticket]:
    """For export: by room, then number, so the same data always exports the same way."""
    statement = select(Ticket)
    if room_id is not None:
        statement = statement.where(Ticket.room_id == room_id)
    return list(session.exec(statement.order_by(col(Ticket.room_id), col(Ticket.number))))


def events_by_ticket(session: Session, room_id: str | None = None) -> dict[int, list[TicketEvent]]:
    """The audit trails of all tickets (of one room), for export."""
    statement = select(TicketEvent).join(Ticket, col(Ticket.id) == col(TicketEvent.ticket_id))
    if room_id is not None:
        statement = statement.where(Ticket.room_id == room_id)
    result: dict[int, list[TicketEvent]] = {}
    for row in session.exec(statement.order_by(col(TicketEvent.at), col(TicketEvent.id))):
        result.setdefault(row.ticket_id, []).append(row)
    return result
