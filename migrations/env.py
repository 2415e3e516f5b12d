"""How Alembic reaches the database: the connection :mod:`services.schema` hands
it, or (for ``alembic`` on the command line) an engine for the configured URL.

Only phoihop's own tables are compared and migrated: a PostgreSQL database
shared with Prefect holds Prefect's tables too, and those are not ours.
"""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlmodel import SQLModel

import models  # noqa: F401  (registers every table on the metadata)
from models.types import UTCDateTime
from services.schema import VERSION_TABLE

config = context.config
target_metadata = SQLModel.metadata


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """Leave alone what phoihop's models do not declare (Prefect's tables, for one)."""
    if type_ == "table":
        return name in target_metadata.tables
    return True


def render_item(type_: str, obj: Any, autogen_context: Any) -> str | bool:
    """Revisions name plain SQLAlchemy types, so they never import phoihop's models."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def run(connection: Any) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        version_table=VERSION_TABLE,
        render_as_batch=connection.dialect.name == "sqlite",
        include_object=include_object,
        render_item=render_item,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run(connection)
else:  # `alembic -c alembic.ini …` by a developer: the URL phoihop is configured with
    from services import db

    with db.raw_engine().connect() as conn:
        run(conn)
        conn.commit()
