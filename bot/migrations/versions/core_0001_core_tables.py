"""core tables

Revision ID: core_0001
Revises:
Create Date: 2026-11-22 01:14:11.681793
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import bot.dbtypes

revision = "core_0001"
down_revision = None
branch_labels = ("core",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "core_handled_event",
        sa.Column("event_id", sa.String(length=255), nullable=False),
        sa.Column("room_id", sa.String(length=255), nullable=False),
        sa.Column("handled_at", bot.dbtypes.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("event_id"),
    )
    op.create_table(
        "core_job_run",
        sa.Column("job_id", sa.String(length=255), nullable=False),
        sa.Column("slot", bot.dbtypes.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ran_at", bot.dbtypes.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("job_id", "slot"),
    )
    op.create_table(
        "core_kv",
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "core_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("txn_id", sa.String(length=64), nullable=False),
        sa.Column("room_id", sa.String(length=255), nullable=False),
        sa.Column("reply_to", sa.String(length=255), nullable=True),
        sa.Column("plain", sa.Text(), nullable=False),
        sa.Column("html", sa.Text(), nullable=False),
        sa.Column("mentions", sa.Text(), nullable=False),
        sa.Column("tag", sa.String(length=255), nullable=True),
        sa.Column("created_at", bot.dbtypes.UTCDateTime(timezone=True), nullable=False),
        sa.Column("sent_at", bot.dbtypes.UTCDateTime(timezone=True), nullable=True),
        sa.Column("event_id", sa.String(length=255), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("gave_up", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("txn_id"),
    )
    with op.batch_alter_table("core_outbox", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_core_outbox_event_id"), ["event_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_core_outbox_room_id"), ["room_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_core_outbox_tag"), ["tag"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("core_outbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_core_outbox_tag"))
        batch_op.drop_index(batch_op.f("ix_core_outbox_room_id"))
        batch_op.drop_index(batch_op.f("ix_core_outbox_event_id"))

    op.drop_table("core_outbox")
    op.drop_table("core_kv")
    op.drop_table("core_job_run")
    op.drop_table("core_handled_event")
