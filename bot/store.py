"""The store seam: SQLModel engine and sessions, Alembic migrations, the event ledger, state.

SQLite (default, WAL) and PostgreSQL behave the same to callers. The schema is owned by
Alembic: the core's migrations plus one branch per plugin, upgraded to all heads together.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import event, inspect
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine, select

from bot.models import HandledEvent, KeyValue

log = logging.getLogger(__name__)
CORE_MIGRATIONS = Path(__file__).parent / "migrations"


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


class Store:
    def __init__(self, url: str, migration_dirs: Sequence[Path] = ()) -> None:
        self.url = url
        self.engine = make_engine(url)
        self.migration_dirs = list(migration_dirs)

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
        """Bring the schema to the newest revision of the core and every enabled plugin."""
        command.upgrade(self.alembic_config(), "heads")

    def tables(self) -> set[str]:
        return set(inspect(self.engine).get_table_names())

    def dispose(self) -> None:
        self.engine.dispose()

    # -- the handled-event ledger -------------------------------------------------------------

    def is_handled(self, event_id: str) -> bool:
        with self.session() as session:
            return session.get(HandledEvent, event_id) is not None

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
