"""Access to real services for tests: skip where absent, fail instead under CI's flag."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

REQUIRE_FLAG = "LOTSE_REQUIRE_SERVICES"
POSTGRES_ADMIN_URL = os.environ.get(
    "LOTSE_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def services_required() -> bool:
    return os.environ.get(REQUIRE_FLAG, "") not in ("", "0", "false")


def unavailable(reason: str) -> None:
    """Skip the test, or fail it when CI demands every service (LOTSE_REQUIRE_SERVICES=1)."""
    if services_required():
        pytest.fail(f"{reason} (and {REQUIRE_FLAG} is set, so this cannot be skipped)")
    pytest.skip(reason)


@dataclass
class ScratchDatabase:
    name: str
    url: str
    admin: Engine  # connected to the server's admin database, autocommit

    def execute(self, sql: str, **params: Any) -> None:
        with self.admin.connect() as conn:
            conn.execute(text(sql), params)


@contextmanager
def scratch_postgres(prefix: str) -> Iterator[ScratchDatabase]:
    """A new database on the local PostgreSQL, dropped afterwards (skip or fail where absent)."""
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(POSTGRES_ADMIN_URL, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # noqa: BLE001 - any failure means: no PostgreSQL here
        admin.dispose()
        unavailable(f"PostgreSQL at {make_url(POSTGRES_ADMIN_URL).host} unavailable: {exc}")
    url = make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    database = ScratchDatabase(name, url, admin)
    try:
        yield database
    finally:
        database.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()
