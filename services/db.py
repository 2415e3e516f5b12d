"""Engine and transactions.

Every state change runs inside :func:`transaction`: one database transaction
that also writes the audit record, so a change and its trace land together or
not at all. On SQLite the transaction starts with ``BEGIN IMMEDIATE`` so two
processes changing state queue up instead of failing half-way; reads use a
plain deferred transaction and never block writers (WAL).
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, nullcontext
from datetime import date, datetime, time
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, event, insert
from sqlalchemy.engine import make_url
from sqlmodel import Session, create_engine

import models
from services import schema, search, settings

# Every engine of this process still in use, for disconnect(); weakly, so an engine the
# caches below let go of is collected and closes its pool (a test run opens hundreds).
_made: weakref.WeakSet[Engine] = weakref.WeakSet()


@lru_cache(maxsize=8)
def _engine_for(url: str) -> Engine:
    engine = _new_engine(url)
    _made.add(engine)
    return engine


def disconnect() -> None:
    """Close every pooled connection this process holds: the last step of a command
    before its quick exit (cli.run), so a PostgreSQL server sees the client leave
    rather than a dropped socket."""
    for engine in list(_made):
        engine.dispose()


def _new_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": 60, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=60000")
        cursor.close()
        search.register(dbapi_connection)  # the diacritics-blind fold searches use

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "IMMEDIATE")
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


_prepared: set[str] = set()


def engine() -> Engine:
    """The engine of the configured database, checked once per process to be at the
    schema's newest revision (an empty database is created at it): see
    :mod:`services.schema`. A database behind it is a one-line UserError."""
    url = settings.database_url()
    target = _engine_for(url)
    if url not in _prepared:
        schema.prepare(target)
        _prepared.add(url)
    return target


def raw_engine() -> Engine:
    """The engine without the revision check: for ``phoihop db`` and backups."""
    return _engine_for(settings.database_url())


# One writer at a time inside this process. SQLite admits one writer anyway; a
# thread that meets the lock inside SQLite sleeps and retries with growing
# back-off, which wastes most of the throughput of a busy web process. Queueing
# writers on a Python lock first hands the database over without sleeping.
# Other processes still meet SQLite's own locking, which stays the guarantee.
_SQLITE_WRITER = threading.RLock()


@contextmanager
def transaction() -> Iterator[Session]:
    """A write transaction: committed on success, rolled back on any error."""
    eng = engine()
    lock = _SQLITE_WRITER if eng.dialect.name == "sqlite" else nullcontext()
    with lock, Session(eng, expire_on_commit=False) as session, session.begin():
        yield session


@contextmanager
def reading() -> Iterator[Session]:
    """A read-only session that never takes SQLite's write lock."""
    with Session(_deferred(engine()), expire_on_commit=False) as session, session.begin():
        yield session


@contextmanager
def rows() -> Iterator[Connection]:
    """What :func:`reading` gives, as a bare Core connection: for the few statements every
    request runs (the caller's token or session, the task's owner, what a submission is
    read against), where the ORM session around them cost about as much as the query
    (~70 µs)."""
    with _single(engine()).connect() as conn:
        yield conn


@lru_cache(maxsize=8)
def _single(eng: Engine) -> Engine:
    """``eng`` for :func:`rows`. On PostgreSQL in autocommit: those reads are one or two
    statements that need no common snapshot (under READ COMMITTED each statement takes
    its own anyway), so a transaction around them bought nothing and cost two round
    trips (its BEGIN and its ROLLBACK), more than the query itself on a busy server."""
    if eng.dialect.name == "postgresql":
        return eng.execution_options(isolation_level="AUTOCOMMIT")
    return _deferred(eng)


@lru_cache(maxsize=8)
def _deferred(eng: Engine) -> Engine:
    """``eng`` beginning its transactions DEFERRED: made once per engine, not per read
    (a web request opens several read sessions; each copy of the options cost ~35 µs)."""
    return eng.execution_options(sqlite_begin="DEFERRED")


def audit(
    session: Session,
    *,
    at: datetime,
    actor: str,
    action: str,
    cycle_id: int | None = None,
    task_id: int | None = None,
    **detail: Any,
) -> None:
    """Add one audit record to the current transaction. ``detail`` may hold dates and
    times, also inside dicts and lists: they are stored as ISO text (:func:`jsonable`),
    so callers pass the values they have."""
    session.add(
        models.AuditRecord(
            at=at, actor=actor, action=action, cycle_id=cycle_id, task_id=task_id,
            detail=jsonable(detail),
        )
    )  # fmt: skip


def jsonable(value: Any) -> Any:
    """``value`` as an audit record's JSON holds it: each date, datetime and time as its
    ``isoformat()`` text, inside dicts, lists and tuples too (tuples become lists, as
    JSON has them); anything else unchanged. The one place audit details become text."""
    if isinstance(value, date | time):  # a datetime is a date
        return value.isoformat()
    if isinstance(value, dict):
        return {key: jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(item) for item in value]
    return value


def audit_many(session: Session, rows: Iterable[dict[str, Any]]) -> None:
    """Bulk audit records (same keys as :func:`audit`; ``cycle_id`` and ``task_id`` may
    be left out), for batch changes and the busiest single ones: one Core statement,
    built once, with no ORM unit of work."""
    rows = [_UNLINKED | row for row in rows]
    if rows:
        session.flush()  # records added before these keep their place in the log's order
        session.connection().execute(_AUDIT_ROWS, rows)


_AUDIT_ROWS = insert(models.AuditRecord.__table__)
_UNLINKED = {"cycle_id": None, "task_id": None}


def upsert(conn: Any) -> Any:
    """The ``insert`` of ``conn``'s dialect, which has ``on_conflict_do_nothing`` and
    ``on_conflict_do_update``: a row that two transactions may both create first (a
    counter, a watermark) is written once, and the loser waits instead of failing."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    return dialect_insert


def ensure_cursor(session: Session, name: str, now: datetime) -> None:
    """The :class:`models.EventCursor` row ``name`` exists (created at 0 if not), even
    when two sweeps or relays create it at the same moment."""
    table = models.EventCursor.__table__
    insert_ = upsert(session.connection())
    session.execute(
        insert_(table)
        .values(name=name, last_audit_id=0, updated_at=now)
        .on_conflict_do_nothing(index_elements=[table.c.name])
    )
