"""Shared fixtures: every test gets its own data directory and a clean environment."""

from __future__ import annotations

import contextlib
import io
import itertools
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests import pg
from tests.steps import OPEN_CYCLE_STEP, ORG_STEPS

CLEARED = (
    "PHOIHOP_DATABASE_URL",
    "PHOIHOP_NOW",
    "PHOIHOP_CALENDAR_OVERRIDES",
    "PHOIHOP_SMTP_HOST",
    "PHOIHOP_USER",
    "PHOIHOP_LANG",  # the tests see the default: Vietnamese
    "PREFECT_API_URL",
)


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh PHOIHOP_DATA_DIR (hence a fresh SQLite database) per test."""
    directory = tmp_path / "data"
    monkeypatch.setenv("PHOIHOP_DATA_DIR", str(directory))
    for key in CLEARED:
        monkeypatch.delenv(key, raising=False)
    return directory


@dataclass
class CliResult:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


@pytest.fixture
def cli() -> Callable[..., CliResult]:
    """Run ``phoihop ARGS`` in-process; returns exit code, stdout and stderr."""
    import cli as cli_module

    def run(*args: str) -> CliResult:
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = cli_module.main([str(a) for a in args])
            except SystemExit as exc:  # argparse usage errors
                code = int(exc.code or 0)
        return CliResult(code, out.getvalue(), err.getvalue())

    return run


@pytest.fixture
def demo_org(cli: Callable[..., CliResult]) -> Callable[..., CliResult]:
    """The demo's bodies and program registered; returns the cli runner."""
    for step in ORG_STEPS:
        assert cli(*step).code == 0
    return cli


@pytest.fixture
def open_cycle(demo_org: Callable[..., CliResult]) -> Callable[..., CliResult]:
    """QD238/2024-H1 opened from letter 310-CV/BTGTU of 03/07/2024 (due 12/07/2024)."""
    result = demo_org(*OPEN_CYCLE_STEP)
    assert result.code == 0, result.err
    return demo_org


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[str]:
    """One throw-away PostgreSQL server for the whole run (skipped without its binaries)."""
    if pg.binaries() is None:
        pytest.skip("PostgreSQL binaries not installed")
    pytest.importorskip("psycopg")
    with pg.cluster() as url:
        yield url


_pg_names = itertools.count()


@pytest.fixture
def pg_url(pg_cluster: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """A new empty PostgreSQL database, made phoihop's through PHOIHOP_DATABASE_URL."""
    url = pg.create_database(pg_cluster, f"phoihop_{os.getpid()}_{next(_pg_names)}")
    monkeypatch.setenv("PHOIHOP_DATABASE_URL", url)
    return url
