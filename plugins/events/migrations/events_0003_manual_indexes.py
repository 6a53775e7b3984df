"""events: indexes for reading entered events by window

Revision ID: events_0003
Revises: events_0002
Create Date: 2026-12-01 09:00:00
"""

from __future__ import annotations

from alembic import op

revision = "events_0003"
down_revision = "events_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_events_manual_start_at", "events_manual", ["start_at"])
    op.create_index("ix_events_manual_start_date", "events_manual", ["start_date"])


def downgrade() -> None:
    op.drop_index("ix_events_manual_start_date", table_name="events_manual")
    op.drop_index("ix_events_manual_start_at", table_name="events_manual")
