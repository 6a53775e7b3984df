"""Alembic environment: always driven programmatically by bot.store.Store."""

from __future__ import annotations

from typing import Any, Literal

from alembic import context
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel
from sqlmodel.sql.sqltypes import AutoString

import bot.models  # noqa: F401  - the core's tables must be in SQLModel.metadata

engine: Engine = context.config.attributes["engine"]
# When generating a plugin's revision, compare only that plugin's tables (named `<plugin>_*`).
table_prefix: str | None = context.config.attributes.get("table_prefix")


def render_item(type_: str, obj: Any, autogen_context: Any) -> str | Literal[False]:
    # Render SQLModel's AutoString as a plain sa.String, so revisions need no sqlmodel import.
    if type_ == "type" and isinstance(obj, AutoString):
        return f"sa.String(length={obj.length})" if obj.length else "sa.String()"
    return False


def include_object(obj: object, name: str | None, type_: str, *_: object) -> bool:
    if table_prefix is None or type_ != "table":
        return True
    return bool(name and name.startswith(table_prefix))


with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=SQLModel.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_object=include_object,
        render_item=render_item,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
