"""Backups that are consistent while ``serve`` writes, and restores that check what they get.

Copying ``phoihop.db`` is not a backup: in WAL mode committed transactions live
in ``phoihop.db-wal`` until a checkpoint moves them into the main file, and a
reader holding a snapshot can hold that checkpoint off for as long as it likes.
A copy of the main file alone then lacks them and still passes SQLite's
integrity check. So:

- **SQLite**: :func:`backup` reads the database through SQLite's online backup
  API in one step, i.e. inside one read transaction that sees every committed
  write, WAL included, while other processes keep writing. The snapshot is a
  plain single-file database (rollback journal, no ``-wal``) with one extra
  table, ``phoihop_backup`` (format, created_at, revision, source_dialect,
  phoihop_version), written into the snapshot only, never into the live
  database. The revision is read from the snapshot itself, so it is the
  revision of exactly the data that was copied.
- **PostgreSQL**: ``pg_dump --format=custom``, unchanged, so ``pg_restore``
  can use it without phoihop. Nothing is added to it (pg_dump cannot add
  anything without writing to the live database, and a sidecar file gets
  lost): phoihop recognises it by its table of contents (``pg_restore --list``
  must show phoihop's ``task`` table) and reads the revision from the dumped
  version table's data.

Either way the file is written beside its destination, checked as a restore
would check it, flushed to disk and only then renamed into place, so a failed
backup never leaves a half-written file that looks like one. The file holds
password hashes and session tokens' hashes: it is created private (0600).

:func:`restore` checks the file completely before it touches the database (a
truncated or foreign file is one line, and the database is unchanged), refuses
to replace data unless forced, and migrates an older backup to this phoihop's
head with :func:`services.schema.upgrade`. Restoring while ``serve`` runs is
not supported. Neither operation writes an audit record: the restored audit
log is the backed-up one, row for row.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, inspect, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.pool import NullPool

from rules.errors import UserError
from services import clock, schema, settings

MARKER = "phoihop_backup"  # the table that makes an SQLite file a phoihop backup
FORMAT = 1  # phoihop_backup.format: bump when the layout of a backup changes
SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"
BUSY_SECONDS = 5  # how long a restore waits for another process to let go of the database
_TOC_TABLE = re.compile(r"^\d+; \d+ \d+ TABLE (?P<schema>\S+) (?P<name>\S+) ")
_ARCHIVE_CREATED = re.compile(r"^;\s+Archive created at (?P<at>.+)$")


@dataclass(frozen=True)
class BackupInfo:
    """What a backup file is, as read from the file alone."""

    path: Path
    size_bytes: int
    revision: str
    source_dialect: str  # "sqlite" or "postgresql"
    format: str  # "sqlite" or "pg_dump-custom"
    created_at: str | None
    phoihop_version: str | None  # unknown for a pg_dump archive

    def as_dict(self) -> dict[str, Any]:
        return asdict(self) | {"path": str(self.path), "head_revision": schema.head()}


@dataclass(frozen=True)
class Restored:
    backup: BackupInfo
    database: str  # the URL, password hidden
    replaced: bool  # the database held data before
    before: schema.State
    after: schema.State

    def as_dict(self) -> dict[str, Any]:
        return {
            "backup": self.backup.as_dict(),
            "database": self.database,
            "replaced_data": self.replaced,
            "from_revision": self.backup.revision,
            "to_revision": self.after.current,
            "upgraded": self.backup.revision != self.after.current,
        }


# --- backup ------------------------------------------------------------------------------


def backup(destination: Path, *, force: bool = False) -> BackupInfo:
    """Write a consistent snapshot of the configured database to ``destination``."""
    url = make_url(settings.database_url())
    dialect = url.get_backend_name()
    # Before anything else: a missing pg_dump is one line, whatever else is wrong.
    tool = _tool("pg_dump") if dialect == "postgresql" else ""
    destination = _check_destination(destination, force, url)
    with _partial(destination) as partial:
        if dialect == "sqlite":
            _snapshot_sqlite(_sqlite_path(url), partial)
        else:
            _dump_postgresql(tool, url, partial)
        info = read_backup(partial, thorough=dialect == "sqlite")
        _fsync(partial)
        os.replace(partial, destination)
    _fsync(destination.parent)
    return replace(info, path=destination)


def _check_destination(destination: Path, force: bool, url: URL) -> Path:
    destination = destination.expanduser().absolute()
    if destination.is_dir():
        raise UserError(f"{destination} is a directory; name the backup file to write")
    if not destination.parent.is_dir():
        raise UserError(f"the directory {destination.parent} does not exist")
    if url.get_backend_name() == "sqlite" and _is_database_file(destination, url):
        raise UserError(f"{destination} is the database itself; write the backup elsewhere")
    if destination.exists() and not force:
        raise UserError(f"{destination} already exists; add --force to replace it")
    return destination


def _is_database_file(path: Path, url: URL) -> bool:
    live = _sqlite_path(url).absolute()
    companions = {live, *(live.with_name(live.name + s) for s in ("-wal", "-shm", "-journal"))}
    return path.absolute() in companions or (
        path.exists() and live.exists() and path.samefile(live)
    )


@contextmanager
def _partial(destination: Path) -> Iterator[Path]:
    """A private temporary file beside ``destination``, removed unless renamed into place."""
    fd, name = tempfile.mkstemp(dir=destination.parent, prefix=f".{destination.name}.")
    os.close(fd)
    partial = Path(name)
    try:
        yield partial
    finally:
        for leftover in (partial, partial.with_name(partial.name + "-journal")):
            leftover.unlink(missing_ok=True)


def _snapshot_sqlite(source: Path, partial: Path) -> None:
    """Copy ``source`` (WAL included) with the backup API, then stamp it as a backup."""
    if not source.exists():
        raise UserError(f"there is no database at {source}; nothing to back up")
    try:
        with (
            closing(sqlite3.connect(_uri(source, "rw"), uri=True, timeout=60)) as live,
            closing(sqlite3.connect(partial, isolation_level=None)) as copy,
        ):
            live.backup(copy)  # pages=-1: one step, one read transaction, one snapshot
            copy.execute("PRAGMA journal_mode=DELETE")  # a single file, whatever the source used
    except sqlite3.DatabaseError as exc:
        raise UserError(f"cannot read the database {source}: {exc}") from None
    engine = _sqlite_engine(partial, "rw")
    try:
        with engine.begin() as conn:
            state = schema.read_state(conn)
            if state.empty:
                raise UserError(f"the database {source} is empty; nothing to back up")
            conn.exec_driver_sql(f"DROP TABLE IF EXISTS {MARKER}")  # one left by a crashed restore
            conn.exec_driver_sql(
                f"CREATE TABLE {MARKER} (format INTEGER NOT NULL, created_at TEXT NOT NULL, "
                "revision TEXT NOT NULL, source_dialect TEXT NOT NULL, "
                "phoihop_version TEXT NOT NULL)"
            )
            conn.execute(
                text(f"INSERT INTO {MARKER} VALUES (:format, :at, :revision, 'sqlite', :version)"),
                {
                    "format": FORMAT,
                    "at": clock.now().isoformat(timespec="seconds"),
                    "revision": state.current,
                    "version": _phoihop_version(),
                },
            )
    finally:
        engine.dispose()


def _dump_postgresql(pg_dump: str, url: URL, partial: Path) -> None:
    with _connected(url) as engine:
        state = schema.status(engine)
    if state.empty:
        raise UserError(f"the database {_shown(url)} is empty; nothing to back up")
    dsn, env = _libpq(url)
    _run([pg_dump, "--format=custom", f"--file={partial}", f"--dbname={dsn}"], env)


# --- reading a backup --------------------------------------------------------------------


def read_backup(path: Path, *, thorough: bool = True) -> BackupInfo:
    """What ``path`` is, or a one-line UserError when it is not a usable phoihop backup.

    ``thorough`` reads the whole file (SQLite's quick_check, or pg_restore reading
    every data block), so a truncated file is refused before a restore starts.
    """
    path = path.expanduser().absolute()
    if not path.is_file():
        raise UserError(f"{path}: no such file")
    with path.open("rb") as f:
        head = f.read(len(SQLITE_MAGIC))
    if head == SQLITE_MAGIC:
        return _read_sqlite_backup(path, thorough)
    if head.startswith(PGDUMP_MAGIC):
        return _read_pg_archive(path, thorough)
    raise UserError(
        f"{path} is not a phoihop backup (neither an SQLite file nor a pg_dump archive)"
    )


def _read_sqlite_backup(path: Path, thorough: bool) -> BackupInfo:
    def damaged(why: object) -> UserError:
        return UserError(f"{path} is damaged or truncated, not a usable backup ({why})")

    engine = _sqlite_engine(path, "ro")
    try:
        with engine.connect() as conn:
            if thorough:
                problems = conn.exec_driver_sql("PRAGMA quick_check").scalars().all()
                if problems != ["ok"]:
                    raise damaged(problems[0])
            if not inspect(conn).has_table(MARKER):
                raise UserError(
                    f"{path} is an SQLite database but not a phoihop backup "
                    f"(no {MARKER} table); make one with `phoihop backup`"
                )
            marks = conn.execute(text(f"SELECT * FROM {MARKER}")).mappings().all()
            state = schema.read_state(conn)
    except sqlite3.DatabaseError as exc:  # "file is not a database", "malformed"
        raise damaged(exc) from None
    except Exception as exc:  # SQLAlchemy wraps the driver's errors
        cause = getattr(exc, "orig", None)
        if isinstance(cause, sqlite3.DatabaseError):
            raise damaged(cause) from None
        raise
    finally:
        engine.dispose()
    if len(marks) != 1 or marks[0]["format"] != FORMAT:
        raise UserError(f"{path} has an unknown {MARKER} record; made by another phoihop?")
    mark = marks[0]
    if state.current != mark["revision"]:
        raise UserError(
            f"{path} says revision {mark['revision']} but its tables are at {state.current}"
        )
    return BackupInfo(
        path=path,
        size_bytes=path.stat().st_size,
        revision=mark["revision"],
        source_dialect=mark["source_dialect"],
        format="sqlite",
        created_at=mark["created_at"],
        phoihop_version=mark["phoihop_version"],
    )


def _read_pg_archive(path: Path, thorough: bool) -> BackupInfo:
    pg_restore = _tool("pg_restore")
    listing = _run([pg_restore, "--list", str(path)], None, f"{path} is not a readable archive")
    tables = _archived_tables(listing)
    if schema.MARKER_TABLE not in tables:
        raise UserError(
            f"{path} is a pg_dump archive, but not of a phoihop database "
            f"(it has no {schema.MARKER_TABLE} table)"
        )
    revision = schema.BASELINE  # a 0.1 database kept no version table
    if schema.VERSION_TABLE in tables:
        data = _run(
            [pg_restore, "--data-only", f"--table={schema.VERSION_TABLE}", "-f", "-", str(path)],
            None,
            f"{path} is damaged or truncated",
        )
        revisions = _copy_rows(data, schema.VERSION_TABLE)
        if len(revisions) != 1:
            raise UserError(f"{path} has {len(revisions)} schema revisions, not one")
        revision = revisions[0]
    if thorough:  # every data block read once: a truncated archive fails here, not half-way in
        _run([pg_restore, "-f", os.devnull, str(path)], None, f"{path} is damaged or truncated")
    created = next(
        (m["at"] for line in listing.splitlines() if (m := _ARCHIVE_CREATED.match(line))), None
    )
    return BackupInfo(
        path=path,
        size_bytes=path.stat().st_size,
        revision=revision,
        source_dialect="postgresql",
        format="pg_dump-custom",
        created_at=created,
        phoihop_version=None,
    )


def _archived_tables(listing: str) -> set[str]:
    """The tables named in ``pg_restore --list``'s table of contents."""
    return {m["name"] for line in listing.splitlines() if (m := _TOC_TABLE.match(line))}


def _copy_rows(sql: str, table: str) -> list[str]:
    """The first column of each row of ``table``'s COPY block in pg_restore's SQL output."""
    rows: list[str] = []
    inside = False
    for line in sql.splitlines():
        if inside:
            if line == "\\.":
                break
            rows.append(line.split("\t", 1)[0])
        elif line.startswith("COPY ") and f".{table} " in line:
            inside = True
    return rows


# --- restore -----------------------------------------------------------------------------


def restore(path: Path, *, force: bool = False) -> Restored:
    """Replace the configured database with the backup at ``path``, then bring it to head.

    Not while ``serve`` (or anything else) has the database open.
    """
    url = make_url(settings.database_url())
    dialect = url.get_backend_name()
    if dialect == "postgresql":
        _tool("pg_restore")
    info = read_backup(path)
    if info.source_dialect != dialect:
        raise UserError(
            f"{info.path} is a backup of {_DIALECTS[info.source_dialect]} database and the "
            f"configured one is {_DIALECTS[dialect]}; restore it into the same kind "
            "(PHOIHOP_DATABASE_URL)"
        )
    if info.revision not in schema.revisions():
        raise UserError(
            f"{info.path} is at revision {info.revision}, which this phoihop does not know "
            f"(its newest is {schema.head()}); upgrade phoihop"
        )
    if dialect == "sqlite":
        replaced = _restore_sqlite(info, _sqlite_path(url), force, url)
    else:
        replaced = _restore_postgresql(info, url, force)
    with _connected(url) as engine:
        before, after = schema.upgrade(engine)
    return Restored(info, _shown(url), replaced, before, after)


_DIALECTS = {"sqlite": "an SQLite", "postgresql": "a PostgreSQL"}


def _restore_sqlite(info: BackupInfo, target: Path, force: bool, url: URL) -> bool:
    """The backup API writes every page of the backup into ``target`` in one transaction."""
    if _is_database_file(info.path, url):
        raise UserError(f"{info.path} is the database itself")
    from services import db

    db.raw_engine().dispose()  # this process's own pooled connections would hold the file
    target.parent.mkdir(parents=True, exist_ok=True)
    existed = target.exists()
    in_use = UserError(
        f"the database {target} is in use by another process; stop `phoihop serve` "
        "(and anything else using it) before restoring"
    )
    try:
        with closing(sqlite3.connect(target, isolation_level=None, timeout=BUSY_SECONDS)) as conn:
            holding = _rows_held(conn)
            if holding and not force:
                raise _not_empty(_shown(url), holding)
            # Leaving WAL mode folds any WAL into the file and deletes it, and needs every
            # other connection gone; then a probe for the exclusive lock the copy will take.
            (mode,) = conn.execute("PRAGMA journal_mode=DELETE").fetchone()
            if mode != "delete":  # SQLite answers with the old mode when it cannot change it
                raise in_use
            conn.execute("BEGIN EXCLUSIVE")
            conn.execute("ROLLBACK")
            with closing(sqlite3.connect(_uri(info.path, "ro"), uri=True)) as source:
                source.backup(conn, progress=_fail_when_busy(in_use))
            conn.execute(f"DROP TABLE IF EXISTS {MARKER}")
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise in_use from None
        raise UserError(f"cannot write the database {target}: {exc}") from None
    except sqlite3.DatabaseError as exc:
        if not existed:
            target.unlink(missing_ok=True)
        raise UserError(f"{target} is not an SQLite database ({exc}); move it away") from None
    return bool(holding)


def _fail_when_busy(error: UserError) -> Any:
    """A progress callback for ``Connection.backup``: Python retries a busy step forever,
    so a process that opened the database after the lock probe makes it raise instead."""

    def progress(status: int, _remaining: int, _total: int) -> None:
        if status not in (0, 101):  # SQLITE_OK, SQLITE_DONE
            raise error

    return progress


def _rows_held(conn: sqlite3.Connection) -> list[str]:
    """The tables of an SQLite database that hold rows (its schema revision aside)."""
    names = [
        name
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return [
        name
        for name in names
        if name != schema.VERSION_TABLE
        and conn.execute(f'SELECT 1 FROM "{name}" LIMIT 1').fetchone() is not None
    ]


def _not_empty(database: str, tables: list[str]) -> UserError:
    shown = ", ".join(sorted(tables)[:4]) + ("…" if len(tables) > 4 else "")
    return UserError(
        f"the database {database} is not empty ({shown} hold rows); "
        "add --force to replace everything in it with the backup"
    )


def _restore_postgresql(info: BackupInfo, url: URL, force: bool) -> bool:
    """pg_restore in one transaction, after dropping the phoihop tables already there.

    The drop is its own transaction (pg_restore cannot run ours): the archive has
    been read in full before, so what can still fail is the server itself, and the
    error then says that the tables are gone.
    """
    from sqlmodel import SQLModel

    import models

    assert models.__all__  # importing models registers phoihop's tables
    listing = _run([_tool("pg_restore"), "--list", str(info.path)], None, "unreadable archive")
    ours = set(SQLModel.metadata.tables) | {schema.VERSION_TABLE} | _archived_tables(listing)
    with _connected(url) as engine:
        with engine.connect() as conn:
            present = sorted(set(inspect(conn).get_table_names()) & ours)
            holding = [
                name
                for name in present
                if name != schema.VERSION_TABLE
                and conn.execute(text(f'SELECT 1 FROM "{name}" LIMIT 1')).first() is not None
            ]
        if holding and not force:
            raise _not_empty(_shown(url), holding)
        if present:
            with engine.begin() as conn:
                conn.execute(text("SET LOCAL lock_timeout = '5s'"))
                for name in present:
                    conn.execute(text(f'DROP TABLE IF EXISTS "{name}" CASCADE'))
    dsn, env = _libpq(url)
    _run(
        [
            _tool("pg_restore"),
            "--single-transaction",
            "--exit-on-error",
            "--no-owner",
            "--no-privileges",
            f"--dbname={dsn}",
            str(info.path),
        ],
        env,
        "pg_restore failed" + ("; phoihop's tables had been dropped first" if present else ""),
    )
    return bool(holding)


# --- helpers -----------------------------------------------------------------------------


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise UserError(
            f"{name} is not on PATH; install PostgreSQL's client programs (the server's major "
            f"version or newer) to back up and restore a PostgreSQL database"
        )
    return found


def _run(argv: list[str], env: dict[str, str] | None, failure: str | None = None) -> str:
    """Run a PostgreSQL client program; its last error line becomes the UserError."""
    done = subprocess.run(
        argv, capture_output=True, text=True, env=None if env is None else os.environ | env
    )
    if done.returncode != 0:
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        why = lines[-1] if lines else f"exit status {done.returncode}"
        raise UserError(f"{failure or Path(argv[0]).name + ' failed'}: {why}")
    return done.stdout


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """A libpq URI for the client programs; the password travels in the environment."""
    dsn = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    return dsn, ({"PGPASSWORD": str(url.password)} if url.password else {})


@contextmanager
def _connected(url: URL) -> Iterator[Engine]:
    """The configured database's engine (without the revision check), closed afterwards."""
    from services import db

    engine = db.raw_engine()
    try:
        yield engine
    finally:
        engine.dispose()  # no file handle or session left behind by this process


def _sqlite_engine(path: Path, mode: str) -> Engine:
    uri = _uri(path, mode)
    return create_engine(
        "sqlite://", creator=lambda: sqlite3.connect(uri, uri=True), poolclass=NullPool
    )


def _uri(path: Path, mode: str) -> str:
    return f"{path.absolute().as_uri()}?mode={mode}"


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise UserError("the database is in memory; there is nothing to back up or restore")
    return Path(url.database).expanduser()


def _shown(url: URL) -> str:
    return url.render_as_string(hide_password=True)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _phoihop_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("phoihop")
    except PackageNotFoundError:
        return "unknown"
