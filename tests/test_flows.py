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
    import flows.relay
    import flows.request

    return flows


def test_a_scheduled_opening_opens_the_period_just_ended_once(demo_org: Cli, flows: Any) -> None:
    from services.cycles import list_cycles

    # The RRule's run on 03/07/2024 at 08:00 opens the first half of 2024…
    assert flows.request.open_cycle_task.fn("QD238", "2024-H1", at(2024, 7, 3, 8)) == (
        "QD238/2024-H1 opened"
    )
    [cycle] = list_cycles()
    assert (cycle["ref"], cycle["tasks"], cycle["provide_due"]) == (CYCLE, 7, date(2024, 7, 12))
    # …and a retried or doubled run changes nothing.
    assert flows.request.open_cycle_task.fn("QD238", "2024-H1", at(2024, 7, 3, 9)) == (
        "QD238/2024-H1 already open"
    )
    assert len(list_cycles()) == 1


def test_the_sweep_tasks_fire_and_deliver(open_cycle: Cli, flows: Any) -> None:
    swept = flows.escalation.sweep_task.fn(at(2024, 7, 13, 8))
    assert (swept.escalations, swept.reminders, swept.skipped) == (7, 0, 7)  # level 1
    assert flows.escalation.sweep_task.fn(at(2024, 7, 13, 8)).fired == []
    delivery = flows.escalation.deliver_task.fn(at(2024, 7, 13, 8))
    assert delivery.as_dict() == {"sent": 0, "failed": 0}  # no SMTP: the outbox keeps them


def test_human_actions_are_not_flows(flows: Any) -> None:
    """Submitting, reviewing, extending and synthesizing are transactions, not flow runs."""
    import pkgutil

    import flows as package

    assert sorted(m.name for m in pkgutil.iter_modules(package.__path__)) == [
        "common", "escalation", "relay", "request",
    ]  # fmt: skip


def test_flow_moment(flows: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    given = at(2024, 7, 13, 8)
    assert flows.common.moment(given) is given
    monkeypatch.setenv("PHOIHOP_NOW", "2024-07-20T08:00")
    assert flows.common.moment(None) == at(2024, 7, 20, 8)


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


def test_a_sharded_sweep_still_hands_over_and_sends_up_unsent_reports(
    open_cycle: Cli, flows: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A sweep that splits into shard runs returns before sweeping itself; the work it
    does once for all shards (hand-overs, reports a synthesis closed but did not send
    up) must not be skipped with it. Prefect's side is stood in for: the shard runs."""
    import logging

    esc = flows.escalation
    fed: list[datetime] = []
    monkeypatch.setattr(esc, "get_run_logger", lambda: logging.getLogger("test"))
    monkeypatch.setattr(esc, "collapse_task", lambda: 0)
    monkeypatch.setattr(esc, "count_task", esc.count_task.fn)
    monkeypatch.setattr(esc, "handover_task", esc.handover_task.fn)
    monkeypatch.setattr(esc, "start_shards_task", lambda now, of: [f"shard-{k}" for k in (1, 2)])
    monkeypatch.setattr(esc, "feed_task", lambda now: fed.append(now) or [])
    answer = esc.sweep_flow.fn(at(2024, 7, 13, 8), shards=2, shard_above=1, deliver=False)
    assert (answer["due"], answer["shards"]) == (7, ["shard-1", "shard-2"])
    assert fed == [at(2024, 7, 13, 8)] and answer["fed"] == []
