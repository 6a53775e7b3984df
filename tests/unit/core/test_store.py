"""The store on SQLite and on PostgreSQL: migrations, ledger, state, UTC round trip."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy.exc import IntegrityError

from bot.models import HandledEvent, JobRun
from bot.store import Store


def test_upgrade_is_idempotent_and_creates_core_tables(db_url: str) -> None:
    store = Store(db_url)
    store.upgrade()
    store.upgrade()
    assert {"core_handled_event", "core_outbox", "core_job_run", "core_kv"} <= store.tables()
    store.dispose()


def test_ledger_rejects_a_second_entry(db_url: str) -> None:
    store = Store(db_url)
    store.upgrade()
    with store.transaction() as session:
        session.add(HandledEvent(event_id="$a", room_id="!r"))
    assert store.is_handled("$a") and not store.is_handled("$b")
    with pytest.raises(IntegrityError), store.transaction() as session:
        session.add(HandledEvent(event_id="$a", room_id="!r"))
    store.dispose()


def test_datetimes_round_trip_as_utc(db_url: str) -> None:
    store = Store(db_url)
    store.upgrade()
    local = datetime(2026, 3, 29, 3, 30, tzinfo=timezone(timedelta(hours=2)))
    with store.transaction() as session:
        session.add(JobRun(job_id="j", slot=local))
    with store.session() as session:
        row = session.get(JobRun, ("j", local))
        assert row is not None
        assert row.slot == local and row.slot.tzinfo == UTC
    store.dispose()


def test_key_value_state(db_url: str) -> None:
    store = Store(db_url)
    store.upgrade()
    store.set_value("sync.token", "s1")
    store.set_value("sync.token", "s2")
    store.set_value("room.language.!a", "en")
    assert store.get_value("sync.token") == "s2"
    assert store.values_with_prefix("room.language.") == {"room.language.!a": "en"}
    store.dispose()


def test_database_waits_are_short(db_url: str) -> None:
    from sqlalchemy import text

    from bot.store import BUSY_TIMEOUT_S

    assert BUSY_TIMEOUT_S <= 5
    store = Store(db_url)
    with store.engine.connect() as conn:
        if store.dialect == "sqlite":
            busy = conn.execute(text("PRAGMA busy_timeout")).scalar()
            assert busy == BUSY_TIMEOUT_S * 1000
        else:
            dsn = conn.connection.dbapi_connection.info.dsn  # type: ignore[union-attr]
            assert f"connect_timeout={BUSY_TIMEOUT_S}" in dsn
    store.dispose()


def test_prune_forgets_old_ledger_entries_and_sent_untagged_messages(db_url: str) -> None:
    from sqlmodel import select

    from bot.models import OutboxMessage

    store = Store(db_url)
    store.upgrade()
    now = datetime(2026, 12, 1, tzinfo=UTC)
    old, recent = now - timedelta(days=40), now - timedelta(days=1)

    def outbox(txn: str, **fields: object) -> OutboxMessage:
        return OutboxMessage(txn_id=txn, room_id="!r", plain="p", html="h", **fields)

    with store.transaction() as session:
        session.add(HandledEvent(event_id="$old", room_id="!r", handled_at=old))
        session.add(HandledEvent(event_id="$new", room_id="!r", handled_at=recent))
        session.add(outbox("sent-old", sent_at=old, created_at=old))
        session.add(outbox("sent-new", sent_at=recent, created_at=recent))
        session.add(outbox("tagged-old", sent_at=old, created_at=old, tag="tickets:1"))
        session.add(outbox("pending-old", created_at=old))  # still to be sent: kept
        session.add(outbox("gave-up-old", created_at=old, gave_up=True))
    cutoff = now - timedelta(days=30)
    assert store.prune(cutoff, cutoff) == (1, 2)
    assert not store.is_handled("$old") and store.is_handled("$new")
    with store.session() as session:
        left = {row.txn_id for row in session.exec(select(OutboxMessage))}
    assert left == {"sent-new", "tagged-old", "pending-old"}
    assert store.prune(cutoff, cutoff) == (0, 0)
    store.dispose()


def test_pending_events_survive_a_new_store(db_url: str) -> None:
    store = Store(db_url)
    store.upgrade()
    seen = datetime(2026, 12, 1, 9, tzinfo=UTC)
    store.add_pending("$a", "!r", '{"type": "m.room.encrypted"}', seen)
    store.add_pending("$a", "!r", "{}", seen)  # a batch handled again adds nothing
    store.add_pending("$b", "!r", "{}", seen + timedelta(seconds=1))
    store.dispose()
    again = Store(db_url)
    rows = again.pending_events()
    assert [(r.event_id, r.source, r.first_seen) for r in rows] == [
        ("$a", '{"type": "m.room.encrypted"}', seen),
        ("$b", "{}", seen + timedelta(seconds=1)),
    ]
    again.remove_pending(["$a", "$b"])
    assert again.pending_events() == []
    again.dispose()


def test_a_missing_database_driver_names_the_extra_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import builtins

    from bot.config import ConfigError

    real_import = builtins.__import__

    def without_psycopg(name: str, *args: object, **kwargs: object) -> object:
        if name == "psycopg" or name.startswith("psycopg."):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", without_psycopg)
    with pytest.raises(ConfigError, match=r"lotse\[postgres\]"):
        Store("postgresql+psycopg://lotse:geheim@127.0.0.1/lotse")
