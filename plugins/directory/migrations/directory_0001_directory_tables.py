"""directory tables

Revision ID: directory_0001
Revises:
Create Date: 2026-11-22 01:57:27.507556
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import bot.dbtypes

revision = "directory_0001"
down_revision = None
branch_labels = ("directory",)
depends_on = "core_0001"


def upgrade() -> None:
    op.create_table(
        "directory_network",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("short", sa.String(length=100), nullable=True),
        sa.Column("url", sa.String(length=500), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("topics", sa.Text(), nullable=False),
        sa.Column("offers", sa.Text(), nullable=False),
        sa.Column("updated_at", bot.dbtypes.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "directory_synonym_group",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("words", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "directory_contact",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("network_id", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=200), nullable=True),
        sa.Column("matrix", sa.String(length=255), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("phone", sa.String(length=50), nullable=True),
        sa.Column("topics", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["network_id"],
            ["directory_network.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("directory_contact", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_directory_contact_matrix"), ["matrix"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_directory_contact_network_id"), ["network_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("directory_contact", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_directory_contact_network_id"))
        batch_op.drop_index(batch_op.f("ix_directory_contact_matrix"))

    op.drop_table("directory_contact")
    op.drop_table("directory_synonym_group")
    op.drop_table("directory_network")
