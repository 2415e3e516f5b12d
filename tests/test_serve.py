"""``phoihop serve`` against a real Prefect server: schedules, flow runs, events, shutdown.

One server for the module (it takes 10–20 s to become healthy); the clock is
pinned after the deadline of a freshly opened cycle, so the first scheduled
sweep must escalate every task.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.steps import OPEN_CYCLE_STEP, ORG_STEPS

pytestmark = [pytest.mark.prefect_server, pytest.mark.timeout(300)]

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "demo" / "data"
CLI = [sys.executable, "-c", "import sys, cli; sys.exit(cli.main(sys.argv[1:]))"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# Prefect's server answers 503 when its SQLite database is momentarily locked
# (the scheduler, the runner and this test all write to it) and its own client
# retries 429/502/503; this helper does the same instead of failing on the first.
RETRYABLE = {429, 502, 503}


def api(url: str, path: str, body: dict[str, Any] | None = None) -> Any:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        url + path,
        data=data,
        headers={"Content-Type": "application/json"},
        method="GET" if body is None else "POST",
    )
    for attempt in range(8):
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as exc:
            if exc.code not in RETRYABLE or attempt == 7:
                raise AssertionError(f"{path}: HTTP {exc.code} {exc.read()[:500]!r}") from None
            time.sleep(0.25 * 2**attempt)


def healthy(base: str) -> bool:
    try:
        with urllib.request.urlopen(base + "/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def wait_for(check: Any, timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(1)
    raise AssertionError(f"timed out waiting for {what}")


@dataclass
class Served:
    process: subprocess.Popen[str]
    env: dict[str, str]
    api_url: str
    web_url: str

    def cli(self, *args: str, **extra_env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*CLI, *args],
            env=self.env | extra_env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    data = tmp_path_factory.mktemp("serve")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PHOIHOP_", "PREFECT_"))}
    env |= {"PHOIHOP_DATA_DIR": str(data), "PYTHONPATH": str(ROOT)}
    steps = [*ORG_STEPS, OPEN_CYCLE_STEP]
    for step in steps:
        done = subprocess.run([*CLI, *step], env=env, cwd=ROOT, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
    port, web_port = free_port(), free_port()
    process = subprocess.Popen(
        [
            *CLI,
            "serve",
            "--port",
            str(web_port),
            "--prefect-port",
            str(port),
            "--sweep-interval",
            "3",
            "--program-check-interval",
            "2",
            "--json",
        ],  # fmt: skip
        env=env | {"PHOIHOP_NOW": "2024-07-13T08:00"},  # after the 12/07 deadline
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    served = Served(process, env, f"http://127.0.0.1:{port}/api", f"http://127.0.0.1:{web_port}")
    try:
        wait_for(lambda: healthy(served.api_url) and healthy(served.web_url + "/api"), 150,
                 "the Prefect server and the web face")  # fmt: skip
        yield served
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def deployments(served: Served) -> dict[str, dict[str, Any]]:
    return {d["name"]: d for d in api(served.api_url, "/deployments/filter", {})}


def escalated_levels(served: Served) -> list[int]:
    done = served.cli("tasks", "list", "--json", "--now", "2024-07-13T08:00")
    assert done.returncode == 0, done.stderr
    return [t["escalation_level"] for t in json.loads(done.stdout)]


def test_scheduled_sweep_escalates_overdue_tasks(served: Served) -> None:
    levels = wait_for(
        lambda: (lv := escalated_levels(served)) and all(x == 1 for x in lv) and lv,
        150,
        "the scheduled sweep to escalate",
    )
    assert len(levels) == 7
    outbox = json.loads(served.cli("outbox", "list", "--json").stdout)
    assert len(outbox) == 7, "one notification per escalation, however many sweeps ran"
    assert all(n["subject"].startswith("Đôn đốc (lần 1)") for n in outbox)


def test_the_web_face_is_served_next_to_the_scheduler(served: Served) -> None:
    assert api(served.web_url, "/api/health") == {"status": "ok"}
    with urllib.request.urlopen(served.web_url + "/login", timeout=10) as page:
        assert "Đăng nhập" in page.read().decode("utf-8")


def test_program_schedule_is_an_rrule_in_vietnam_time(served: Served) -> None:
    def both() -> dict[str, dict[str, Any]]:
        found = deployments(served)
        return found if {"escalation-sweep", "open-QD238"} <= set(found) else {}

    served_now = wait_for(both, 150, "both deployments")
    schedule = served_now["open-QD238"]["schedules"][0]["schedule"]
    assert "BYMONTH=1,7" in schedule["rrule"]
    assert schedule["timezone"] == "Asia/Ho_Chi_Minh"
    assert served_now["open-QD238"]["parameters"] == {"program": "QD238", "period_kind": "half"}


def test_domain_events_reach_prefect(served: Served) -> None:
    def escalation_events() -> list[dict[str, Any]]:
        body = {"filter": {"event": {"prefix": ["phoihop.task.escalated"]}}, "limit": 50}
        return api(served.api_url, "/events/filter", body)["events"]

    events = wait_for(escalation_events, 150, "phoihop.task.escalated events")
    assert events[0]["resource"]["prefect.resource.id"].startswith("phoihop.task.")


def test_cli_runs_stages_as_flow_runs_when_prefect_is_configured(served: Served) -> None:
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
        PREFECT_LOGGING_LEVEL="WARNING",
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout[done.stdout.index("{") :])["version"] == 1
    runs = api(
        served.api_url, "/flow_runs/filter", {"flow_runs": {"name": {"like_": ""}}, "limit": 200}
    )
    flows = {f["id"]: f["name"] for f in api(served.api_url, "/flows/filter", {})}
    assert any(
        flows.get(r["flow_id"]) == "provision-submit" and r["state_type"] == "COMPLETED"
        for r in runs
    )


def test_a_program_schedule_run_opens_the_cycle_of_the_period_just_ended(served: Served) -> None:
    deployment = wait_for(lambda: deployments(served).get("open-QD238"), 150, "the deployment")
    # What the RRule does on 03/01/2025 at 08:00: open the second half of 2024.
    api(served.api_url, f"/deployments/{deployment['id']}/create_flow_run",
        {"parameters": {"now": "2025-01-03T08:00:00+07:00"}})  # fmt: skip

    def opened() -> list[dict[str, Any]]:
        cycles = json.loads(served.cli("cycle", "list", "--json").stdout)
        return [c for c in cycles if c["ref"] == "QD238/2024-H2"]

    cycle = wait_for(opened, 150, "the scheduled run to open QD238/2024-H2")[0]
    assert cycle["letter_date"] == "2025-01-03"
    assert cycle["tasks"] == 7
    assert cycle["provide_due"] == "2025-01-14"  # 7 working days after 03/01/2025


def test_a_program_added_while_serving_gets_its_schedule(served: Served, tmp_path: Path) -> None:
    program = (
        (DEMO / "program.yaml")
        .read_text(encoding="utf-8")
        .replace("code: QD238", "code: QUY-TTTT")
        .replace("period: half", "period: quarter")
        .replace("BYMONTH=1,7;BYMONTHDAY=3", "BYMONTH=1,4,7,10;BYMONTHDAY=5")
    )
    (tmp_path / "quy.yaml").write_text(program, encoding="utf-8")
    assert served.cli("program", "add", str(tmp_path / "quy.yaml")).returncode == 0
    deployment = wait_for(lambda: deployments(served).get("open-QUY-TTTT"), 60,
                          "the new program's deployment, without a restart")  # fmt: skip
    assert deployment["parameters"] == {"program": "QUY-TTTT", "period_kind": "quarter"}
    assert "BYMONTH=1,4,7,10" in deployment["schedules"][0]["schedule"]["rrule"]


def test_serve_stops_cleanly_on_sigterm(served: Served) -> None:
    served.process.send_signal(signal.SIGTERM)
    output, _ = served.process.communicate(timeout=60)
    assert served.process.returncode == 0, output[-2000:]
    started = json.loads(output[output.index("{\n") : output.index("\n}") + 2])
    assert started["deployments"] == ["escalation-sweep", "open-QD238"]
    assert started["prefect_api"] == served.api_url
    assert "Traceback" not in output, output[-4000:]
    assert "phoihop serve: stopped" in output


def test_serve_refuses_a_taken_web_port_before_starting_anything(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PHOIHOP_", "PREFECT_"))}
        done = subprocess.run(
            [*CLI, "serve", "--port", str(port), "--prefect-port", str(free_port())],
            env=env | {"PHOIHOP_DATA_DIR": str(tmp_path)}, cwd=ROOT, capture_output=True,
            text=True, timeout=60,
        )  # fmt: skip
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        f"phoihop: error: cannot serve the web face on 127.0.0.1:{port}: Address already in use"
    ]
    assert not (tmp_path / "prefect").exists()  # no Prefect server was started
