"""pending undecryptable events; indexes for pruning the ledger and the outbox

Revision ID: core_0002
Revises: core_0001
Create Date: 2026-12-03 07:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import bot.dbtypes

revision = "core_0002"
down_revision = "core_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "core_pending_event",
        sa.Column("event_id", sa.String(length=255), nullable=False),
        sa.Column("room_id", sa.String(length=255), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("first_seen", bot.dbtypes.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("event_id"),
    )
    with op.batch_alter_table("core_handled_event", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_core_handled_event_handled_at"), ["handled_at"], unique=False
        )
    with op.batch_alter_table("core_outbox", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_core_outbox_sent_at"), ["sent_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("core_outbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_core_outbox_sent_at"))
    with op.batch_alter_table("core_handled_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_core_handled_event_handled_at"))
    op.drop_table("core_pending_event")
