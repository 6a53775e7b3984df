"""Shared fixtures: settings in a temp dir, SQLite and PostgreSQL stores, bots on memory."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from bot.config import Settings
from tests.services import scratch_postgres


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        data_dir=tmp_path,
        admins=["@admin:test"],
        allowed_users=["@*:test"],
        plugins=[],
    )


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """A database of its own for this test session on the local PostgreSQL."""
    with scratch_postgres(f"lotse_test_{os.getpid()}") as database:
        yield database.url


def _fresh_postgres(url: str) -> str:
    engine = create_engine(url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Runs the test once on SQLite and once on PostgreSQL, each with an empty database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'lotse.db'}"
    return _fresh_postgres(request.getfixturevalue("postgres_database"))
