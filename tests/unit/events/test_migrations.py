"""The events plugin's schema changes, run on both databases the bot supports."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import command

from bot.store import Store
from plugins.events import EventsPlugin


def test_stored_bodies_get_their_content_hash(db_url: str) -> None:
    store = Store(db_url, [EventsPlugin.migrations])
    config = store.alembic_config()
    command.upgrade(config, "events_0001")
    body = b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
    with store.engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO events_source (name, body, event_count, error_reported, added_by,"
                " created_at) VALUES ('A', :body, 0, false, 'cli', :now),"
                " ('B', NULL, 0, false, 'cli', :now)"
            ),
            {"body": body, "now": datetime(2026, 11, 1, tzinfo=UTC)},
        )
    store.upgrade()
    with store.engine.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT name, content_hash, warnings_reported FROM events_source ORDER BY name")
        ).all()
    assert [tuple(row) for row in rows] == [
        ("A", hashlib.sha256(body).hexdigest(), False),
        ("B", None, False),
    ]
    store.dispose()
