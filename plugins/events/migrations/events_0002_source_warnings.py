"""events: a source's content hash and warnings

Revision ID: events_0002
Revises: events_0001
Create Date: 2026-11-30 10:00:00
"""

from __future__ import annotations

import hashlib

import sqlalchemy as sa
from alembic import op

revision = "events_0002"
down_revision = "events_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("events_source") as batch:
        batch.add_column(sa.Column("content_hash", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("warnings", sa.Text(), nullable=True))
        batch.add_column(
            sa.Column("warnings_reported", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    # Bodies stored before have no hash yet; one pass now, so reads never need to hash.
    source = sa.table(
        "events_source",
        sa.column("id", sa.Integer),
        sa.column("body", sa.LargeBinary),
        sa.column("content_hash", sa.String),
    )
    bind = op.get_bind()
    ids = [row.id for row in bind.execute(sa.select(source.c.id).where(source.c.body.is_not(None)))]
    for source_id in ids:  # one body at a time: they may be megabytes each
        body = bind.execute(sa.select(source.c.body).where(source.c.id == source_id)).scalar()
        if body is not None:
            digest = hashlib.sha256(bytes(body)).hexdigest()
            bind.execute(
                source.update().where(source.c.id == source_id).values(content_hash=digest)
            )


def downgrade() -> None:
    with op.batch_alter_table("events_source") as batch:
        batch.drop_column("warnings_reported")
        batch.drop_column("warnings")
        batch.drop_column("content_hash")
