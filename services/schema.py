"""The database schema's revision: check it, create it, upgrade it.

Every command goes through :func:`services.db.engine`, which calls
:func:`prepare` once per process and database:

- an **empty** database is created at the newest revision in one transaction
  (the models' ``create_all`` plus a stamp; a test keeps the models and the
  migrations equal, so this is the same schema the migrations build);
- a database **at the newest revision** is used as it is;
- any other database (behind, a 0.1 database that has no version table, or one
  from a newer phoihop) is refused with one line, before anything is written.

``phoihop db upgrade`` (and ``phoihop init``) run the Alembic migrations in
``migrations/`` in one transaction. Revisions are numbered ``0001``, ``0002``…
and their files start with that number, so the newest revision is known from
the file names alone: the check costs one small query, not an Alembic import.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, inspect, text

from rules.errors import UserError

VERSION_TABLE = "phoihop_alembic_version"
BASELINE = "0001"  # the schema as released in 0.1, which kept no version table
MARKER_TABLE = "task"  # a table every phoihop database has had since 0.1
VERSIONS = Path(__file__).resolve().parent.parent / "migrations" / "versions"
_REVISION_FILE = re.compile(r"^(\d{4})_\w+\.py$")


class SchemaMismatch(UserError):
    """The database is not at the revision this phoihop expects."""


@lru_cache(maxsize=1)
def revisions() -> tuple[str, ...]:
    """Every revision id, oldest first, read from the names of the migration files."""
    found = sorted(m.group(1) for f in VERSIONS.iterdir() if (m := _REVISION_FILE.match(f.name)))
    return tuple(found)


def head() -> str:
    return revisions()[-1]


@dataclass(frozen=True)
class State:
    """Where a database stands: ``current`` is None for an empty database."""

    current: str | None
    head: str
    versioned: bool  # False for an empty database and for one made by 0.1

    @property
    def empty(self) -> bool:
        return self.current is None

    @property
    def up_to_date(self) -> bool:
        return self.versioned and self.current == self.head

    @property
    def pending(self) -> list[str]:
        known = revisions()
        if self.current is None:
            return list(known)
        if self.current not in known:
            return []
        return list(known[known.index(self.current) + 1 :])

    def as_dict(self) -> dict[str, Any]:
        return {
            "current_revision": self.current,
            "head_revision": self.head,
            "up_to_date": self.up_to_date,
            "pending_revisions": self.pending,
            "version_table": self.versioned,
        }


def read_state(conn: Connection) -> State:
    """The revision ``conn``'s database is at (plain SQL, no Alembic)."""
    tables = inspect(conn)
    if tables.has_table(VERSION_TABLE):
        current = conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars().all()
        if len(current) == 1:
            return State(current[0], head(), True)
        if not current:
            return State(None, head(), True)
        raise SchemaMismatch(f"the database has several revisions ({', '.join(current)})")
    if tables.has_table(MARKER_TABLE):
        return State(BASELINE, head(), False)  # made by 0.1
    return State(None, head(), False)


def mismatch(state: State) -> SchemaMismatch:
    """The one line a command prints on a database it cannot use."""
    if state.current in revisions():
        made_by = "" if state.versioned else " (made by phoihop 0.1)"
        return SchemaMismatch(
            f"the database is at revision {state.current}{made_by}; run `phoihop db upgrade`"
        )
    return SchemaMismatch(
        f"the database is at revision {state.current}, which this phoihop does not know "
        f"(its newest is {state.head}); upgrade phoihop"
    )


def prepare(engine: Engine) -> None:
    """Make ``engine``'s database usable: create it if empty, else insist it is current."""
    state = status(engine)
    if state.up_to_date:
        return
    if not state.empty:
        raise mismatch(state)
    with _migrating(engine) as conn:
        state = read_state(conn)  # another process may have created it meanwhile
        if state.empty:
            _create_at_head(conn)
        elif not state.up_to_date:
            raise mismatch(state)


def upgrade(engine: Engine) -> tuple[State, State]:
    """Bring the database to the newest revision in one transaction; idempotent.

    An empty database is created; a 0.1 database (no version table) is stamped
    as revision 0001 first, then migrated like any other, keeping every row.
    """
    with _migrating(engine) as conn:
        before = read_state(conn)
        if before.up_to_date:
            return before, before
        if before.empty:
            _create_at_head(conn)
        elif before.current not in revisions():
            raise mismatch(before)
        else:
            from alembic import command

            config = alembic_config(conn)
            if not before.versioned:
                command.stamp(config, BASELINE)
            command.upgrade(config, "head")
        after = read_state(conn)
    return before, after


def status(engine: Engine) -> State:
    """Where the database stands, read without taking SQLite's write lock."""
    with engine.execution_options(sqlite_begin="DEFERRED").connect() as conn:
        state = read_state(conn)
        conn.rollback()
    return state


def alembic_config(conn: Connection | None = None) -> Any:
    """Alembic's configuration for ``migrations/``, bound to ``conn`` when given."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(VERSIONS.parent))
    if conn is not None:
        config.attributes["connection"] = conn
    return config


def _create_at_head(conn: Connection) -> None:
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory
    from sqlmodel import SQLModel

    import models

    assert models.__all__  # importing models registers the tables
    SQLModel.metadata.create_all(conn)
    context = MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE})
    context.stamp(ScriptDirectory.from_config(alembic_config()), "head")


@contextmanager
def _migrating(engine: Engine) -> Any:
    """One write transaction that no other phoihop process migrates alongside.

    SQLite: ``BEGIN IMMEDIATE`` already admits one writer; foreign keys are
    switched off around it (batch migrations copy tables, and SQLite refuses
    that pragma inside a transaction), then checked before the commit.
    PostgreSQL: a transaction-scoped advisory lock.
    """
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as conn:
        raw = conn.connection.driver_connection if sqlite else None
        if raw is not None:
            raw.execute("PRAGMA foreign_keys=OFF")
        try:
            with conn.begin():
                if sqlite:
                    yield conn
                    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
                    if broken:
                        raise SchemaMismatch(f"the upgrade would break foreign keys: {broken[:3]}")
                else:
                    conn.execute(text("SELECT pg_advisory_xact_lock(7243145001)"))
                    yield conn
        finally:
            if raw is not None:
                raw.execute("PRAGMA foreign_keys=ON")
