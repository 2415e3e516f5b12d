"""The sweep never fires a rung twice: not when repeated, not from two processes at once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError
from sqlmodel import func, select

from models import AuditRecord, Escalation, Notification, Task
from services import db
from tests.steps import OPEN_CYCLE_STEP, ORG_STEPS

ROOT = Path(__file__).resolve().parent.parent
Cli = Callable[..., Any]

# Each moment makes one new rung due for every waiting task of the demo cycle (due 12/07).
ROUNDS = [
    ("2024-07-10T08:00", "reminder-2"),
    ("2024-07-13T08:00", "level-1"),
    ("2024-07-17T08:00", "level-2"),
    ("2024-07-20T08:00", "level-3"),
    ("2024-07-23T08:00", None),
]

# A child process imports everything and opens the database, says "ready", then waits for
# the parent's go (a line on stdin) so both sweeps start at the same moment.
CHILD = """
import sys
import cli
from services import db, escalation, notify
from services.calendars import load_calendar
db.engine(); load_calendar()
print("ready", flush=True)
sys.stdin.readline()
sys.exit(cli.main(sys.argv[1:]))
"""


def counts() -> dict[str, int]:
    with db.reading() as session:
        return {
            "escalations": session.exec(select(func.count(Escalation.id))).one(),
            # the sweep's own: messages of rungs (not notices, digests, summaries) and its
            # audit records (not the letters rendered and sent after it)
            "notifications": session.exec(
                select(func.count(Notification.id)).where(Notification.escalation_id.is_not(None))
            ).one(),
            "audit": session.exec(
                select(func.count(AuditRecord.id)).where(AuditRecord.action.like("task.%"))
            ).one(),
        }


def test_second_sweep_at_the_same_moment_fires_nothing(open_cycle: Cli) -> None:
    first = open_cycle("sweep", "--now", "2024-07-17T08:00", "--json")
    assert first.code == 0, first.err
    fired = first.json()
    # Level 2 for the 7 bodies; reminder 2 and level 1, due with it, are recorded as skipped.
    assert (fired["reminders"], fired["escalations"], fired["skipped"]) == (0, 7, 14)
    after_first = counts()
    assert after_first["escalations"] == after_first["notifications"] == 7

    second = open_cycle("sweep", "--now", "2024-07-17T08:00", "--json").json()
    # Nothing is due before level 3 (20/07): the sweep reads no task at all.
    assert (second["examined"], second["reminders"], second["escalations"]) == (0, 0, 0)
    assert second["fired"] == []
    assert counts() == after_first
    # Nor does a sweep a little later that same day.
    assert open_cycle("sweep", "--now", "2024-07-17T17:00", "--json").json()["fired"] == []
    assert counts() == after_first


def sweep_in_two_processes(now: str) -> list[dict[str, Any]]:
    argv = [sys.executable, "-c", CHILD, "sweep", "--now", now, "--json"]
    children = [
        subprocess.Popen(
            argv,
            cwd=ROOT,
            env=os.environ.copy(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        for _ in range(2)
    ]
    for child in children:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
    for child in children:  # go
        assert child.stdin is not None
        child.stdin.write("\n")
        child.stdin.flush()
    answers = []
    for child in children:
        out, err = child.communicate(timeout=60)
        assert child.returncode == 0, err
        answers.append(json.loads(out))
    return answers


def test_two_processes_sweeping_together_never_duplicate(
    open_cycle: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for now, step in ROUNDS:
        before = counts()
        answers = sweep_in_two_processes(now)
        fired = [(f["task"], f["epoch"], f["step"]) for a in answers for f in a["fired"]]
        # Every rung due was reported by exactly one of the two processes.
        assert len(fired) == len(set(fired))
        assert Counter(s for _, _, s in fired) == (Counter({step: 7}) if step else Counter())
        after = counts()
        new = after["escalations"] - before["escalations"]
        assert new == len(fired) == (7 if step else 0)
        assert after["notifications"] - before["notifications"] == new
        assert after["audit"] - before["audit"] == new

    with db.reading() as session:
        rows = session.exec(select(Escalation.task_id, Escalation.epoch, Escalation.step)).all()
        per_escalation = session.exec(
            select(Notification.escalation_id, func.count(Notification.id))
            .where(Notification.escalation_id.is_not(None))  # not the notices and digests
            .group_by(Notification.escalation_id)
        ).all()
        levels = set(session.exec(select(Task.escalation_level)).all())
    assert len(rows) == len(set(rows)) == 28  # 7 bodies x (reminder + 3 levels)
    assert len(per_escalation) == 28 and {n for _, n in per_escalation} == {1}
    assert levels == {3}

    # The same rounds swept once each, by one process, on a fresh copy: the same totals.
    concurrent = counts()
    monkeypatch.setenv("PHOIHOP_DATA_DIR", str(tmp_path / "reference"))
    setup = [*ORG_STEPS, OPEN_CYCLE_STEP]
    for argv in setup:
        assert open_cycle(*argv).code == 0
    for now, _ in ROUNDS:
        assert open_cycle("sweep", "--now", now, "--json").code == 0
    assert counts() == concurrent


def test_the_unique_key_refuses_a_second_row_for_a_rung(open_cycle: Cli) -> None:
    moment = datetime(2024, 7, 13, 1, 0, tzinfo=UTC)
    with db.reading() as session:
        task = session.exec(select(Task)).first()
    row = {
        "task_id": task.id,
        "epoch": 0,
        "step": "level-1",
        "kind": "escalation",
        "level": 1,
        "due_at": task.due_at,
        "fired_at": moment,
        "recipients": ["a@example.org"],
        "message": "Đôn đốc lần 1",
    }
    with db.transaction() as session:
        session.execute(insert(Escalation), [row])
    with pytest.raises(IntegrityError), db.transaction() as session:
        session.execute(insert(Escalation), [row | {"epoch": 1}, row])  # all or nothing
    with db.transaction() as session:
        session.execute(insert(Escalation), [row | {"epoch": 1}])  # a new epoch is a new rung
    with db.reading() as session:
        stored = session.exec(select(Escalation.epoch, Escalation.step)).all()
    assert sorted(stored) == [(0, "level-1"), (1, "level-1")]
