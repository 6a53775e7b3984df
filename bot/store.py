"""The store seam: SQLModel engine and sessions, Alembic migrations, the event ledger, state.

SQLite (default, WAL) and PostgreSQL behave the same to callers. The schema is owned by
Alembic: the core's migrations plus one branch per plugin, upgraded to all heads together.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.util.exc import CommandError
from sqlalchemy import event, inspect
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError
from sqlmodel import Session, col, create_engine, delete, select

from bot.config import ConfigError
from bot.errors import error_line
from bot.models import HandledEvent, KeyValue, OutboxMessage, PendingEvent

log = logging.getLogger(__name__)
CORE_MIGRATIONS = Path(__file__).parent / "migrations"
# Store calls run on the event loop: a locked SQLite file or an unreachable PostgreSQL must not
# freeze the bot for long. A call that fails is retried (deferred events, outbox, job retries).
BUSY_TIMEOUT_S = 5


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        connect_args = {"check_same_thread": False, "timeout": BUSY_TIMEOUT_S}
        engine = create_engine(url, connect_args=connect_args)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return create_engine(
        url,
        pool_pre_ping=True,
        pool_size=5,
        max_overflow=5,
        connect_args={"connect_timeout": BUSY_TIMEOUT_S},
    )


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_S * 1000}")
    cursor.close()


class Store:
    def __init__(self, url: str, migration_dirs: Sequence[Path] = ()) -> None:
        self.url = url
        try:
            self.engine = make_engine(url)
        except ImportError as exc:  # psycopg: only with the postgres extra
            raise ConfigError(
                f"LOTSE_DATABASE_URL: {self.safe_url} needs a driver that is not installed "
                f"({exc.name or error_line(exc)}): pip install 'lotse[postgres]'"
            ) from None
        except (ArgumentError, NoSuchModuleError, OSError) as exc:
            raise ConfigError(
                f"LOTSE_DATABASE_URL: cannot use {self.safe_url}: {error_line(exc)}"
            ) from None
        self.migration_dirs = list(migration_dirs)

    @property
    def safe_url(self) -> str:
        """The URL with its password hidden: for messages and logs."""
        try:
            return make_url(self.url).render_as_string(hide_password=True)
        except ArgumentError:
            return "(unparsable URL)"

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session that commits on success and rolls back on any exception."""
        with self.session() as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def alembic_config(self) -> Config:
        cfg = Config()
        cfg.set_main_option("script_location", str(CORE_MIGRATIONS))
        locations = [str(CORE_MIGRATIONS / "versions"), *map(str, self.migration_dirs)]
        cfg.set_main_option("version_locations", " ".join(locations))
        cfg.set_main_option("path_separator", "space")
        cfg.attributes["engine"] = self.engine
        return cfg

    def upgrade(self) -> None:
        """Bring the schema to the newest revision of the core and every installed plugin.

        Done at every start, so a database that cannot be reached or read ends the start with
        one line naming the setting, instead of a traceback.
        """
        try:
            command.upgrade(self.alembic_config(), "heads")
        except (DBAPIError, OSError) as exc:
            raise ConfigError(
                f"LOTSE_DATABASE_URL: cannot open the database {self.safe_url}: {error_line(exc)}"
            ) from None
        except CommandError as exc:  # e.g. a revision from a newer Lotse or a removed plugin
            raise ConfigError(
                "LOTSE_DATABASE_URL: the database schema is not one this Lotse knows: "
                f"{error_line(exc)}"
            ) from None

    def tables(self) -> set[str]:
        return set(inspect(self.engine).get_table_names())

    def dispose(self) -> None:
        self.engine.dispose()

    # -- the handled-event ledger -------------------------------------------------------------

    def is_handled(self, event_id: str) -> bool:
        with self.session() as session:
            return session.get(HandledEvent, event_id) is not None

    def prune(self, handled_before: datetime, sent_before: datetime) -> tuple[int, int]:
        """Forget ledger entries and sent (or abandoned) messages older than the cutoffs.

        A message with a tag stays: reactions to it (✋ on a ticket) are looked up by it.
        Returns (ledger rows, outbox rows) deleted.
        """
        with self.transaction() as session:
            handled = session.exec(
                delete(HandledEvent).where(col(HandledEvent.handled_at) < handled_before)
            )
            outbox = session.exec(
                delete(OutboxMessage).where(
                    col(OutboxMessage.tag).is_(None),
                    (col(OutboxMessage.sent_at) < sent_before)
                    | (col(OutboxMessage.gave_up) & (col(OutboxMessage.created_at) < sent_before)),
                )
            )
            return int(handled.rowcount or 0), int(outbox.rowcount or 0)

    # -- encrypted events waiting for their keys ---------------------------------------------

    def add_pending(self, event_id: str, room_id: str, source: str, first_seen: datetime) -> None:
        with self.transaction() as session:
            if session.get(PendingEvent, event_id) is None:
                session.add(
                    PendingEvent(
                        event_id=event_id, room_id=room_id, source=source, first_seen=first_seen
                    )
                )

    def pending_events(self) -> list[PendingEvent]:
        with self.session() as session:
            rows = session.exec(select(PendingEvent).order_by(col(PendingEvent.first_seen)))
            return list(rows)

    def remove_pending(self, event_ids: Iterable[str]) -> None:
        ids = list(event_ids)
        if ids:
            with self.transaction() as session:
                session.exec(delete(PendingEvent).where(col(PendingEvent.event_id).in_(ids)))

    # -- small persistent state (sync token, room settings) ----------------------------------

    def get_value(self, key: str) -> str | None:
        with self.session() as session:
            row = session.get(KeyValue, key)
            return row.value if row else None

    def set_value(self, key: str, value: str) -> None:
        with self.transaction() as session:
            set_value(session, key, value)

    def values_with_prefix(self, prefix: str) -> dict[str, str]:
        with self.session() as session:
            rows = session.exec(select(KeyValue).where(KeyValue.key.startswith(prefix)))
            return {row.key: row.value for row in rows}


def set_value(session: Session, key: str, value: str) -> None:
    row = session.get(KeyValue, key)
    if row is None:
        session.add(KeyValue(key=key, value=value))
    else:
        row.value = value
        session.add(row)
