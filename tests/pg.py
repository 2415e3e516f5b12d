"""A throw-away PostgreSQL 15 cluster for tests, started as an unprivileged user.

The server binaries refuse to run as root, so as root the cluster belongs to
the ``postgres`` system user and is driven through ``runuser``.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

BIN_DIRS = [Path("/usr/lib/postgresql/15/bin"), Path("/usr/lib/postgresql/16/bin")]


def binaries() -> Path | None:
    for directory in BIN_DIRS:
        if (directory / "initdb").exists():
            return directory
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def cluster() -> Iterator[str]:
    """Yield a SQLAlchemy URL prefix ``postgresql+psycopg://phoihop@127.0.0.1:PORT``."""
    bin_dir = binaries()
    assert bin_dir is not None
    as_root = os.geteuid() == 0
    base = Path(tempfile.mkdtemp(prefix="phoihop-pg-"))
    data = base / "data"
    port = _free_port()

    def run(*argv: str) -> None:
        command = list(argv)
        if as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, text=True)

    if as_root:
        shutil.chown(base, "postgres", "postgres")
    run(
        str(bin_dir / "initdb"),
        "-D",
        str(data),
        "-A",
        "trust",
        "-U",
        "phoihop",
        "-E",
        "UTF8",
        "--no-locale",
    )
    run(
        str(bin_dir / "pg_ctl"),
        "-D",
        str(data),
        "-w",
        "-l",
        str(base / "log"),
        "-o",
        f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off",
        "start",
    )
    try:
        yield f"postgresql+psycopg://phoihop@127.0.0.1:{port}"
    finally:
        run(str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop")
        shutil.rmtree(base, ignore_errors=True)


def create_database(url_prefix: str, name: str) -> str:
    import psycopg

    dsn = url_prefix.replace("postgresql+psycopg://", "postgresql://") + "/postgres"
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{url_prefix}/{name}"
