"""The Prefect stage flows as plain functions, and the commands that never touch Prefect.

Each flow is a thin shell over a service; its tasks are called here through
``.fn`` (the undecorated function). Calling a flow or task object itself would
start a temporary Prefect server, which these tests must never do.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from rules.errors import Conflict

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "demo" / "data" / "reports"
CYCLE = "QD238/2024-H1"
Cli = Callable[..., Any]


def at(*args: int) -> datetime:
    """A local (Asia/Ho_Chi_Minh) wall-clock time as an aware UTC datetime."""
    return datetime(*args, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")).astimezone(UTC)


@pytest.fixture
def flows(monkeypatch: pytest.MonkeyPatch) -> Any:
    """The flow modules, with an unreachable API so a slip fails instead of serving."""
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:9/api")
    import flows.common
    import flows.escalation
    import flows.provision
    import flows.request
    import flows.review
    import flows.synthesis

    return flows


def test_open_cycle_task_delegates_to_the_service(demo_org: Cli, flows: Any) -> None:
    from services.cycles import CycleOpened, list_cycles

    opened = flows.request.open_cycle_task.fn(
        "QD238", "2024-H1", "310-CV/BTGTU", date(2024, 7, 3), None, at(2024, 7, 3, 8), "flow"
    )
    assert isinstance(opened, CycleOpened)
    assert (opened.program_code, opened.tasks, opened.cycle.provide_due) == (
        "QD238",
        7,
        date(2024, 7, 12),
    )
    assert [e.name for e in opened.events] == ["cycle.opened"]
    assert [(c["ref"], c["tasks"]) for c in list_cycles()] == [(CYCLE, 7)]
    # A second run (a retried schedule) is refused by the service, which the flow relies on.
    with pytest.raises(Conflict):
        flows.request.open_cycle_task.fn(
            "QD238", "2024-H1", None, date(2024, 7, 3), None, at(2024, 7, 3, 9), "flow"
        )


def test_stage_tasks_drive_a_cycle(open_cycle: Cli, flows: Any) -> None:
    from services.dashboard import list_tasks

    ref = {"task_id": None, "cycle": CYCLE, "body": "HDND"}
    text = (REPORTS / "HDND.md").read_text(encoding="utf-8")
    submitted = flows.provision.submit_task.fn(text, [], at(2024, 7, 8, 10), "HDND", ref)
    assert (submitted.body, submitted.version, submitted.on_time) == ("HDND", 1, True)
    assert [e.name for e in submitted.events] == ["task.submitted"]

    reviewed = flows.review.review_task.fn(
        "return", at(2024, 7, 9, 9), "BTGTU", ref, "Đề nghị bổ sung số liệu", date(2024, 7, 16)
    )
    assert (reviewed.decision, reviewed.due_date) == ("returned", date(2024, 7, 16))
    extended = flows.review.review_task.fn(
        "extend", at(2024, 7, 9, 10), "BTGTU", ref, "Chờ số liệu", date(2024, 7, 18)
    )
    assert (extended.decision, extended.due_date) == ("extended", date(2024, 7, 18))

    swept = flows.escalation.sweep_task.fn(at(2024, 7, 13, 8))
    assert (swept.escalations, swept.reminders) == (6, 0)  # level 1 for the six others
    assert {e.name for e in swept.events} == {"task.escalated"}
    assert flows.escalation.sweep_task.fn(at(2024, 7, 13, 8)).fired == []
    delivery = flows.escalation.deliver_task.fn(at(2024, 7, 13, 8))
    assert delivery.as_dict() == {"sent": 0, "failed": 0}  # no SMTP: the outbox keeps them

    result = flows.synthesis.synthesize_task.fn(CYCLE, at(2024, 7, 22, 9), "BTGTU", [])
    assert {r["body"]: r["category"] for r in result.summary}["HDND"] == "returned"
    assert [e.name for e in result.events] == ["cycle.synthesized"]
    assert {r["cycle_status"] for r in list_tasks(at(2024, 7, 22, 9))} == {"synthesized"}


def test_flow_moment_and_events(flows: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    given = at(2024, 7, 13, 8)
    assert flows.common.moment(given) is given
    monkeypatch.setenv("PHOIHOP_NOW", "2024-07-20T08:00")
    assert flows.common.moment(None) == at(2024, 7, 20, 8)
    assert flows.common.emit_events.fn([]) == 0


# A fresh interpreter runs commands in-process and reports, after each, whether
# anything imported Prefect.
PROBE = """
import json, sys
import cli
seen = []
for argv in json.loads(sys.argv[1]):
    try:
        cli.main(argv)
    except SystemExit:
        pass
    seen.append("prefect" in sys.modules)
print("PREFECT-IMPORTED", json.dumps(seen))
"""


def test_commands_run_in_process_without_prefect(open_cycle: Cli) -> None:
    commands = [
        ["--help"],
        ["tasks", "list", "--now", "2024-07-13T08:00"],
        ["dashboard", "--now", "2024-07-13T08:00"],
        ["cycle", "show", CYCLE, "--now", "2024-07-13T08:00"],
        ["sweep", "--now", "2024-07-13T08:00", "--json"],
        ["submit", str(REPORTS / "UBND.md"), "--cycle", CYCLE, "--body", "UBND",
         "--now", "2024-07-13T09:00", "--json"],
    ]  # fmt: skip
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(commands)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    last = done.stdout.strip().splitlines()[-1]
    assert last == "PREFECT-IMPORTED " + json.dumps([False] * len(commands))
    # The commands did their work in that process.
    assert '"escalations": 7' in done.stdout
    assert '"version": 1' in done.stdout
