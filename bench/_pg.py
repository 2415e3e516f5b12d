"""A throw-away PostgreSQL 15 server for the benchmarks, started as an unprivileged user.

Why a copy and not ``tests/pg.py``: the benchmarks must not import from
``tests/`` (a test helper changes with the tests, and an installed copy of the
benchmarks has no tests), and they need a little more than the tests do — a
choice of ``fsync``, ``CREATE DATABASE … TEMPLATE`` for fresh copies of a large
database in seconds, and a stop that also runs on Ctrl-C and at exit. The start
itself is the same as the tests': the server binaries refuse to run as root, so
as root the cluster belongs to the ``postgres`` system user and is driven
through ``runuser``.

``fsync=off`` is for benchmarks only (a crash can corrupt the cluster); a
benchmark that uses it must say so next to its figures, since it makes commits
cheaper than on a real server.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

BIN_DIRS = [Path("/usr/lib/postgresql/15/bin"), Path("/usr/lib/postgresql/16/bin")]


def binaries() -> Path | None:
    """The directory holding ``initdb`` and ``pg_ctl``, or None when PostgreSQL is absent."""
    for directory in BIN_DIRS:
        if (directory / "initdb").exists():
            return directory
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Cluster:
    """One server on 127.0.0.1 with trust auth for the superuser ``phoihop``.

    ``start()`` then ``stop()``; ``stop`` is also registered with :mod:`atexit`,
    so an exception or Ctrl-C in the benchmark never leaves a server behind.
    """

    def __init__(self, *, fsync: bool = False, settings: dict[str, str] | None = None) -> None:
        bin_dir = binaries()
        if bin_dir is None:
            raise RuntimeError("PostgreSQL server binaries not found (initdb)")
        self.bin = bin_dir
        self.fsync = fsync
        self.settings = dict(settings or {})
        self.as_root = os.geteuid() == 0
        self.base = Path(tempfile.mkdtemp(prefix="phoihop-bench-pg-"))
        self.data = self.base / "data"
        self.port = _free_port()
        self.running = False

    def _run(self, *argv: str) -> None:
        command = list(argv)
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, text=True)

    def start(self) -> Cluster:
        """initdb and start the server; returns self."""
        if self.as_root:
            shutil.chown(self.base, "postgres", "postgres")
        self._run(
            str(self.bin / "initdb"),
            "-D",
            str(self.data),
            "-A",
            "trust",
            "-U",
            "phoihop",
            "-E",
            "UTF8",
            "--no-locale",
        )
        options = [f"-p {self.port}", f"-k {self.base}", "-c listen_addresses=127.0.0.1"]
        options.append(f"-c fsync={'on' if self.fsync else 'off'}")
        options += [f"-c {key}={value}" for key, value in self.settings.items()]
        atexit.register(self.stop)
        self._run(
            str(self.bin / "pg_ctl"),
            "-D",
            str(self.data),
            "-w",
            "-l",
            str(self.base / "log"),
            "-o",
            " ".join(options),
            "start",
        )
        self.running = True
        return self

    def stop(self) -> None:
        """Stop the server at once (nothing in it is worth keeping) and delete its files."""
        if self.running:
            self.running = False
            with contextlib.suppress(subprocess.CalledProcessError):
                self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")
        shutil.rmtree(self.base, ignore_errors=True)

    def url(self, database: str) -> str:
        """The SQLAlchemy URL phoihop takes in ``PHOIHOP_DATABASE_URL``."""
        return f"postgresql+psycopg://phoihop@127.0.0.1:{self.port}/{database}"

    def dsn(self, database: str) -> str:
        """A libpq connection string for psycopg."""
        return f"postgresql://phoihop@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str, *, template: str | None = None) -> None:
        """A new database, empty or a file-level copy of ``template`` (nobody may be
        connected to the template while it is copied)."""
        import psycopg

        with psycopg.connect(self.dsn("postgres"), autocommit=True) as conn:
            suffix = f' TEMPLATE "{template}"' if template else ""
            conn.execute(f'CREATE DATABASE "{name}"{suffix}')  # type: ignore[arg-type]

    def drop_database(self, name: str) -> None:
        """Drop a database, disconnecting whoever is still connected to it."""
        import psycopg

        with psycopg.connect(self.dsn("postgres"), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')  # type: ignore[arg-type]
