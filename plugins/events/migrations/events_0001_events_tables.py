"""events tables

Revision ID: events_0001
Revises:
Create Date: 2026-11-22 02:10:12.351417
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import bot.dbtypes

revision = "events_0001"
down_revision = None
branch_labels = ("events",)
depends_on = "core_0001"


def upgrade() -> None:
    op.create_table(
        "events_manual",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=100), nullable=False),
        sa.Column("room_id", sa.String(length=255), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("all_day", sa.Boolean(), nullable=False),
        sa.Column("start_at", bot.dbtypes.UTCDateTime(timezone=True), nullable=True),
        sa.Column("end_at", bot.dbtypes.UTCDateTime(timezone=True), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("location", sa.String(length=300), nullable=True),
        sa.Column("url", sa.String(length=2000), nullable=True),
        sa.Column("created_by", sa.String(length=255), nullable=False),
        sa.Column("created_at", bot.dbtypes.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("uid"),
    )
    op.create_table(
        "events_source",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=True),
        sa.Column("etag", sa.String(length=512), nullable=True),
        sa.Column("last_modified", sa.String(length=512), nullable=True),
        sa.Column("body", sa.LargeBinary(), nullable=True),
        sa.Column("event_count", sa.Integer(), nullable=False),
        sa.Column("fetched_at", bot.dbtypes.UTCDateTime(timezone=True), nullable=True),
        sa.Column("succeeded_at", bot.dbtypes.UTCDateTime(timezone=True), nullable=True),
        sa.Column("error_key", sa.String(length=100), nullable=True),
        sa.Column("error_params", sa.Text(), nullable=True),
        sa.Column("error_reported", sa.Boolean(), nullable=False),
        sa.Column("added_by", sa.String(length=255), nullable=False),
        sa.Column("created_at", bot.dbtypes.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )


def downgrade() -> None:
    op.drop_table("events_source")
    op.drop_table("events_manual")
