"""``phoihop serve`` against a real Prefect server: schedules, flow runs, events, the web face.

One ``serve`` for the module (its Prefect server takes 10–20 s to become
healthy), with the clock pinned after the deadline of a freshly opened cycle,
so its sweep at start-up escalates every task. The fixture waits for that sweep
to complete, so no test depends on another having run first; each waits for a
state (an escalation, a flow run's state, a deployment) with a generous
ceiling, never for time to pass. How serve stops is in test_serve_lifecycle.py;
its refusals to start, which start no server, in test_serve_refusals.py.
"""

from __future__ import annotations

import json
import subprocess
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.serving import (
    DEMO,
    Serve,
    api,
    clean_env,
    deployment_id,
    flow_runs,
    free_port,
    healthy,
    listed,
    run_cli,
    seed,
    wait_for,
)
from tests.steps import SEED_PROGRAM

pytestmark = [pytest.mark.prefect_server, pytest.mark.slow, pytest.mark.timeout(600)]
NOW = "2024-07-13T08:00"  # after the 12/07 deadline of QD238/2024-H1


@dataclass
class Served:
    serve: Serve
    started: dict[str, Any]
    env: dict[str, str]
    api_url: str
    web_url: str

    def cli(self, *args: str, **extra_env: str) -> subprocess.CompletedProcess[str]:
        return run_cli(self.env, *args, **extra_env)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """serve on a seeded data directory, ready, its sweep at start-up done."""
    env = clean_env(tmp_path_factory.mktemp("serve"))
    seed(env)
    port, web_port = free_port(), free_port()
    pinned = {"PHOIHOP_NOW": NOW, "PREFECT_RUNNER_POLL_FREQUENCY": "2"}  # polls every 2 s, not 10
    with Serve(env | pinned, "--port", str(web_port), "--prefect-port", str(port),
               "--sweep-interval", "3", "--program-check-interval", "2") as serve:  # fmt: skip
        started = serve.ready()
        served = Served(serve, started, env, started["prefect_api"], f"http://127.0.0.1:{web_port}")
        wait_for(lambda: healthy(served.api_url) and healthy(served.web_url + "/api"),
                 "the Prefect server and the web face")  # fmt: skip
        wait_for(lambda: start_up_run(served), "the sweep at start-up to complete")
        yield served
        serve.signal()
        serve.exit_code()


def deployments(served: Served) -> dict[str, dict[str, Any]]:
    return {d["name"]: d for d in api(served.api_url, "/deployments/filter", {})}


def completed_runs(served: Served, deployment: str) -> list[dict[str, Any]]:
    runs = flow_runs(served.api_url, deployment_id(served.api_url, deployment))
    return [run for run in runs if run["state_type"] == "COMPLETED"]


def start_up_run(served: Served) -> list[dict[str, Any]]:
    runs = completed_runs(served, "escalation-sweep")
    return [run for run in runs if run["name"] == "sweep-at-start-up"]


def escalated_levels(served: Served) -> list[int]:
    done = served.cli("tasks", "list", "--cycle", "QD238/2024-H1", "--json", "--now", NOW)
    assert done.returncode == 0, done.stderr
    return [t["escalation_level"] for t in listed(done.stdout)]


def test_serve_reports_where_everything_answers(served: Served) -> None:
    assert served.started == {
        "web": served.web_url + "/",
        "prefect_api": served.api_url,
        "deployments": ["escalation-sweep", "relay-events", "open-QD238"],
        "sweep_interval": 3,
    }


def test_the_sweep_at_start_up_escalates_overdue_tasks(served: Served) -> None:
    assert escalated_levels(served) == [1] * 7
    messages = listed(served.cli("outbox", "list", "--json").stdout)
    outbox = [n for n in messages if n["escalation"] is not None]  # not the opening notices
    assert len(outbox) == 7, "one notification per escalation, however many sweeps ran"
    assert all(n["subject"].startswith("Đôn đốc gửi báo cáo (lần 1)") for n in outbox)


def test_the_sweep_runs_on_its_interval(served: Served) -> None:
    def scheduled() -> list[dict[str, Any]]:
        runs = completed_runs(served, "escalation-sweep")
        return [run for run in runs if run["auto_scheduled"]]

    assert wait_for(scheduled, "a completed sweep run of the interval schedule")
    assert escalated_levels(served) == [1] * 7, "a later sweep does not escalate again"


def test_the_web_face_is_served_next_to_the_scheduler(served: Served) -> None:
    assert api(served.web_url, "/api/health") == {"status": "ok"}
    with urllib.request.urlopen(served.web_url + "/login", timeout=30) as page:
        assert "Đăng nhập" in page.read().decode("utf-8")


def test_program_schedule_is_an_rrule_in_vietnam_time(served: Served) -> None:
    schedule = deployments(served)["open-QD238"]["schedules"][0]["schedule"]
    assert "BYMONTH=1,7" in schedule["rrule"]
    assert schedule["timezone"] == "Asia/Ho_Chi_Minh"
    parameters = deployments(served)["open-QD238"]["parameters"]
    assert parameters == {"program": "QD238", "period_kind": "half"}


# Events carry the moment their audit record has, on the simulated clock (2024 here);
# Prefect's event filter looks at the last hour unless told otherwise.
SINCE = {"occurred": {"since": "2000-01-01T00:00:00Z"}}


def test_domain_events_reach_prefect(served: Served) -> None:
    def escalation_events() -> list[dict[str, Any]]:
        body = {"filter": {"event": {"prefix": ["phoihop.task.escalated"]}} | SINCE, "limit": 50}
        return api(served.api_url, "/events/filter", body)["events"]

    events = wait_for(escalation_events, "phoihop.task.escalated events")
    assert events[0]["resource"]["prefect.resource.id"].startswith("phoihop.task.")


def test_a_submission_is_one_transaction_and_its_event_comes_by_the_relay(
    served: Served,
) -> None:
    """With a Prefect API configured, the CLI still submits in-process (no flow run for a
    human action); the relay brings the ``phoihop.task.submitted`` event to Prefect."""
    done = served.cli(
        "submit",
        str(DEMO / "reports" / "HDND.md"),
        "--cycle",
        "QD238/2024-H1",
        "--body",
        "HDND",
        "--now",
        "2024-07-15T09:00",
        "--json",
        PREFECT_API_URL=served.api_url,
    )
    assert done.returncode == 0, done.stderr
    assert "prefect" not in done.stderr.lower()
    task = json.loads(done.stdout[done.stdout.index("{") :])["task"]
    flows = {f["name"] for f in api(served.api_url, "/flows/filter", {})}
    assert flows <= {"escalation-sweep", "relay-events", "request-scheduled-cycle"}

    def submitted() -> list[dict[str, Any]]:
        body = {"filter": {"event": {"name": ["phoihop.task.submitted"]}} | SINCE, "limit": 50}
        events = api(served.api_url, "/events/filter", body)["events"]
        return [e for e in events if e["resource"]["prefect.resource.id"] == f"phoihop.task.{task}"]

    [event] = wait_for(submitted, "the relayed phoihop.task.submitted event")
    assert event["payload"]["body"] == "HDND"


def test_a_program_schedule_run_opens_the_cycle_of_the_period_just_ended(served: Served) -> None:
    deployment = deployments(served)["open-QD238"]
    # What the RRule does on 03/01/2025 at 08:00: open the second half of 2024.
    api(served.api_url, f"/deployments/{deployment['id']}/create_flow_run",
        {"parameters": {"now": "2025-01-03T08:00:00+07:00"}})  # fmt: skip

    def opened() -> list[dict[str, Any]]:
        cycles = listed(served.cli("cycle", "list", "--json").stdout)
        return [c for c in cycles if c["ref"] == "QD238/2024-H2"]

    cycle = wait_for(opened, "the scheduled run to open QD238/2024-H2")[0]
    assert cycle["letter_date"] == "2025-01-03"
    assert cycle["tasks"] == 7
    assert cycle["provide_due"] == "2025-01-14"  # 7 working days after 03/01/2025


def test_a_program_added_while_serving_gets_its_schedule(served: Served, tmp_path: Path) -> None:
    program = (
        SEED_PROGRAM.read_text(encoding="utf-8")
        .replace("code: QD238", "code: QUY-TTTT")
        .replace("period: half", "period: quarter")
        .replace("BYMONTH=1,7;BYMONTHDAY=3", "BYMONTH=1,4,7,10;BYMONTHDAY=5")
    )
    (tmp_path / "quy.yaml").write_text(program, encoding="utf-8")
    assert served.cli("program", "add", str(tmp_path / "quy.yaml")).returncode == 0
    deployment = wait_for(lambda: deployments(served).get("open-QUY-TTTT"),
                          "the new program's deployment, without a restart")  # fmt: skip
    assert deployment["parameters"] == {"program": "QUY-TTTT", "period_kind": "quarter"}
    assert "BYMONTH=1,4,7,10" in deployment["schedules"][0]["schedule"]["rrule"]
