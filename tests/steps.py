"""The seed case as test steps: the demo's organisation, its cycle, and the usual moves.

Shared by the in-process tests (through the ``cli`` fixture) and the ones that
drive ``phoihop`` in a subprocess, so every test starts from the same cycle:
QD238/2024-H1, letter 310-CV/BTGTU of 03/07/2024, due 12/07/2024.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

DEMO_DATA = Path(__file__).resolve().parent.parent / "demo" / "data"
REPORTS = DEMO_DATA / "reports"
# QD238 as the seed letter asks it, one level (the demo's program adds the communes).
SEED_PROGRAM = Path(__file__).resolve().parent / "data" / "seed-program.yaml"
CYCLE = "QD238/2024-H1"

ORG_STEPS: list[list[str]] = [
    ["bodies", "import", str(DEMO_DATA / "bodies.csv"), "--now", "2024-07-01"],
    ["program", "add", str(SEED_PROGRAM), "--now", "2024-07-01"],
]
OPEN_CYCLE_STEP: list[str] = [
    "cycle", "open", "QD238", "2024-H1", "--letter-no", "310-CV/BTGTU",
    "--letter-date", "2024-07-03", "--now", "2024-07-03T08:00",
]  # fmt: skip

Cli = Callable[..., Any]  # the conftest's ``cli`` runner


def phoihop_command() -> list[str]:
    """How a subprocess runs ``phoihop``: the installed console script (``cli.run``, as
    users run it), or ``python -m cli`` where the package is not installed."""
    script = Path(sys.executable).parent / "phoihop"
    return [str(script)] if script.exists() else [sys.executable, "-m", "cli"]


def ok(result: Any) -> Any:
    """The JSON of a command that must succeed quietly."""
    assert result.code == 0, result.err
    assert result.err == ""
    return result.json()


def printed(result: Any) -> str:
    """The human output of a command that must succeed."""
    assert result.code == 0, result.err
    return result.out


def submit(cli: Cli, body: str, now: str, report: Path | str | None = None) -> dict[str, Any]:
    path = report or REPORTS / f"{body}.md"
    return ok(cli("submit", path, "--cycle", CYCLE, "--body", body, "--now", now, "--json"))


def accept(cli: Cli, body: str, now: str) -> dict[str, Any]:
    return ok(cli("review", "accept", "--cycle", CYCLE, "--body", body, "--now", now, "--json"))
