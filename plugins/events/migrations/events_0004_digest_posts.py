"""events: the weeks each room got its digest for

Revision ID: events_0004
Revises: events_0003
Create Date: 2026-12-02 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import bot.dbtypes

revision = "events_0004"
down_revision = "events_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "events_digest_post",
        sa.Column("room_id", sa.String(length=255), nullable=False),
        sa.Column("week", sa.String(length=10), nullable=False),
        sa.Column("posted_at", bot.dbtypes.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("room_id", "week"),
    )


def downgrade() -> None:
    op.drop_table("events_digest_post")
