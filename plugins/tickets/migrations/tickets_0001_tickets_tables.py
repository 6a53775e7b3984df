"""tickets tables

Revision ID: tickets_0001
Revises:
Create Date: 2026-11-22 01:45:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import bot.dbtypes

revision = "tickets_0001"
down_revision = None
branch_labels = ("tickets",)
depends_on = "core_0001"


def upgrade() -> None:
    op.create_table(
        "tickets_ticket",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("room_id", sa.String(length=255), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("company", sa.String(length=200), nullable=True),
        sa.Column("contact_name", sa.String(length=200), nullable=True),
        sa.Column("contact_email", sa.String(length=254), nullable=True),
        sa.Column("contact_phone", sa.String(length=50), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("filed_by", sa.String(length=255), nullable=False),
        sa.Column("claimed_by", sa.String(length=255), nullable=True),
        sa.Column("assignee_user", sa.String(length=255), nullable=True),
        sa.Column("network_id", sa.String(length=64), nullable=True),
        sa.Column("created_at", bot.dbtypes.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", bot.dbtypes.UTCDateTime(timezone=True), nullable=False),
        sa.Column("closed_at", bot.dbtypes.UTCDateTime(timezone=True), nullable=True),
        sa.Column("close_note", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "status IN ('open', 'claimed', 'done')", name="ck_tickets_ticket_status"
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("room_id", "number", name="uq_tickets_ticket_room_number"),
    )
    with op.batch_alter_table("tickets_ticket", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_tickets_ticket_network_id"), ["network_id"], unique=False
        )

    op.create_table(
        "tickets_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("at", bot.dbtypes.UTCDateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=255), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets_ticket.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("tickets_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tickets_event_ticket_id"), ["ticket_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("tickets_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tickets_event_ticket_id"))

    op.drop_table("tickets_event")
    with op.batch_alter_table("tickets_ticket", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tickets_ticket_network_id"))

    op.drop_table("tickets_ticket")
