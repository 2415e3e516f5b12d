"""How ``phoihop serve`` starts and stops, as a service manager sees it.

- killed with SIGKILL, it leaves no Prefect server behind;
- one SIGTERM stops it within 10 s, letting a flow run in progress finish if it
  can; a second SIGTERM stops it at once; one while it starts stops it at once;
- the sweeps missed while it was down are one sweep at start-up, not a queue.

A flow run "in progress" is a sweep waiting for SQLite's write lock, which the
test holds: it runs for as long as the test wants and, waiting inside SQLite,
it does not hear SIGTERM, like any flow run stuck in a system call.
"""

from __future__ import annotations

import signal
import sqlite3
import time
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from deployments.local_server import LocalPrefectServer
from deployments.schedules import START_UP_RUN
from tests.serving import (
    LIMIT,
    Serve,
    alive,
    api,
    children,
    clean_env,
    deployment_id,
    flow_runs,
    free_port,
    group,
    listening,
    run_state,
    seed,
    wait_for,
)

pytestmark = [pytest.mark.prefect_server, pytest.mark.slow, pytest.mark.timeout(900)]

BUDGET = 10.0  # seconds between SIGTERM and SIGKILL a service manager allows
NOW = "2024-07-13T08:00"  # after the deadline of QD238/2024-H1: a sweep has work to do


@pytest.fixture(scope="module")
def prefect_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A Prefect server that outlives the serve processes pointed at it (PREFECT_API_URL)."""
    home = tmp_path_factory.mktemp("prefect-home")
    server = LocalPrefectServer(free_port(), home / "server.log")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("PREFECT_HOME", str(home))
        env.setenv("DO_NOT_TRACK", "1")
        env.setenv("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
        env.delenv("PREFECT_API_URL", raising=False)
        url = server.start(timeout=LIMIT)
    assert url
    try:
        yield url
    finally:
        server.stop()


def serve(data: Path, api_url: str | None = None, prefect_port: int | None = None) -> Serve:
    """``serve --no-web`` on ``data``: its own Prefect server (on ``prefect_port``)
    unless ``api_url``. It sweeps at start-up and, the interval being an hour, not
    again within a test; its runner looks for flow runs every 2 s, not 10."""
    env = clean_env(data) | {"PHOIHOP_NOW": NOW, "PREFECT_RUNNER_POLL_FREQUENCY": "2"}
    if api_url:
        env["PREFECT_API_URL"] = api_url
    port = str(prefect_port or free_port())
    return Serve(env, "--no-web", "--prefect-port", port, "--sweep-interval", "3600")


def start_up_runs(api_url: str) -> list[dict[str, Any]]:
    """Every sweep run serve made at start-up (other serve processes' too)."""
    body = {"flow_runs": {"name": {"any_": [START_UP_RUN]}}, "limit": 200}
    return api(api_url, "/flow_runs/filter", body)


def start_up_sweep(api_url: str, known: Collection[str] = (), state: str = "COMPLETED") -> str:
    """Wait for the sweep serve runs at start-up (one not in ``known``) to reach
    ``state``; its id."""

    def reached() -> str | None:
        for run in start_up_runs(api_url):
            if run["id"] not in known:
                assert run["state_type"] in {"SCHEDULED", "PENDING", "RUNNING", "COMPLETED"}, run
                if run["state_type"] == state:
                    return run["id"]
        return None

    return wait_for(reached, f"the sweep at start-up to be {state.lower()}")


@contextmanager
def write_lock(data: Path) -> Iterator[sqlite3.Connection]:
    """Hold phoihop's SQLite write lock: a sweep with work to do meanwhile waits
    inside SQLite (``ROLLBACK`` on the connection lets it go on)."""
    conn = sqlite3.connect(data / "phoihop.db", isolation_level=None, timeout=LIMIT)
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    finally:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        conn.close()


def test_the_prefect_server_dies_with_serve_when_serve_is_killed(tmp_path: Path) -> None:
    port = free_port()
    with serve(tmp_path / "data", prefect_port=port) as served:
        api_url = served.ready()["prefect_api"]
        server = served.prefect_server()
        assert listening(port)
        start_up_sweep(api_url)  # no flow run in progress: only the server is left to go

        served.signal(signal.SIGKILL)
        assert served.exit_code() == -signal.SIGKILL
        wait_for(lambda: not alive(server) and not group(server) and not listening(port),
                 "the Prefect server of a killed serve to stop", timeout=120)  # fmt: skip


def test_one_sigterm_lets_a_sweep_in_progress_finish_and_stops_cleanly(
    tmp_path: Path, prefect_api: str
) -> None:
    data = tmp_path / "data"
    seed(clean_env(data))  # with NOW after the deadline, the sweep at start-up has work
    known = {run["id"] for run in start_up_runs(prefect_api)}
    with write_lock(data) as lock, serve(data, prefect_api) as served:
        started = served.ready()
        run = start_up_sweep(prefect_api, known, state="RUNNING")
        sent = served.signal(signal.SIGTERM)
        served.wait_output("letting 1 running flow run(s) finish")
        lock.execute("ROLLBACK")
        code = served.exit_code()
        took = time.monotonic() - sent
        output = served.output
    assert code == 0, output[-3000:]
    assert took < BUDGET, f"stopped {took:.1f} s after SIGTERM"
    assert run_state(prefect_api, run) == "COMPLETED"
    assert started["prefect_api"] == prefect_api
    assert started["deployments"] == ["escalation-sweep", "relay-events", "open-QD238"]
    assert "Traceback" not in output, output[-3000:]
    assert "phoihop serve: stopped" in output


def test_one_sigterm_stops_serve_within_10_s_whatever_runs(tmp_path: Path) -> None:
    data = tmp_path / "data"
    port = free_port()
    seed(clean_env(data))
    with write_lock(data), serve(data, prefect_port=port) as served:
        api_url = served.ready()["prefect_api"]
        server = served.prefect_server()
        start_up_sweep(api_url, state="RUNNING")  # and waiting for the lock
        stuck = children(served.pid)
        assert set(stuck) - {server}, "the sweep runs in a process of its own"
        sent = served.signal(signal.SIGTERM)
        code = served.exit_code()
        took = time.monotonic() - sent
        output = served.output
    assert took < BUDGET, f"stopped {took:.1f} s after SIGTERM:\n{output[-3000:]}"
    assert code == 0, output[-3000:]
    assert "stopping 1 flow run(s) that did not finish in time" in output
    assert not [pid for pid in stuck if alive(pid)], "no flow run nor server outlives serve"
    assert not listening(port)


def test_a_second_sigterm_stops_serve_at_once(tmp_path: Path) -> None:
    data = tmp_path / "data"
    port = free_port()
    seed(clean_env(data))
    with write_lock(data), serve(data, prefect_port=port) as served:
        api_url = served.ready()["prefect_api"]
        served.prefect_server()
        start_up_sweep(api_url, state="RUNNING")
        stuck = children(served.pid)
        served.signal(signal.SIGTERM)
        served.wait_output("letting 1 running flow run(s) finish")
        sent = served.signal(signal.SIGTERM)
        code = served.exit_code()
        took = time.monotonic() - sent
        output = served.output
    assert took < 3.0, f"stopped {took:.1f} s after the second SIGTERM:\n{output[-3000:]}"
    assert code == 0, output[-3000:]
    assert not [pid for pid in stuck if alive(pid)]
    assert not listening(port)


def test_a_sigterm_while_starting_stops_what_has_started(tmp_path: Path) -> None:
    port = free_port()
    with serve(tmp_path / "data", prefect_port=port) as served:
        served.wait_output("starting a Prefect server")
        server = served.prefect_server()
        sent = served.signal(signal.SIGTERM)
        code = served.exit_code()
        took = time.monotonic() - sent
        output = served.output
    assert code == 0, output[-3000:]
    assert took < BUDGET, f"stopped {took:.1f} s after SIGTERM"
    assert output.endswith("told to stop while starting\nphoihop serve: stopped\n"), output
    assert not alive(server)
    assert not listening(port)


def test_sweeps_missed_while_serve_was_down_are_one_sweep_at_start_up(
    tmp_path: Path, prefect_api: str
) -> None:
    data = tmp_path / "data"
    seed(clean_env(data))
    known = {run["id"] for run in start_up_runs(prefect_api)}
    with serve(data, prefect_api) as first:
        first.ready()
        earlier = start_up_sweep(prefect_api, known)
        first.signal(signal.SIGTERM)
        assert first.exit_code() == 0, first.output[-3000:]

    # While serve was down, three sweeps fell due (Prefect's scheduler had created them).
    sweep = deployment_id(prefect_api, "escalation-sweep")
    before = {run["id"] for run in flow_runs(prefect_api, sweep)}
    now = datetime.now(UTC)
    missed = []
    for minutes in (30, 20, 10):
        at = (now - timedelta(minutes=minutes)).isoformat()
        body = {"name": f"missed-{minutes}", "state": {"type": "SCHEDULED",
                "state_details": {"scheduled_time": at}}}  # fmt: skip
        missed.append(api(prefect_api, f"/deployments/{sweep}/create_flow_run", body)["id"])
    assert {run_state(prefect_api, run) for run in missed} == {"SCHEDULED"}

    with serve(data, prefect_api) as second:
        second.ready()
        start_up_sweep(prefect_api, before)
        states = {run: api(prefect_api, f"/flow_runs/{run}")["state"] for run in missed}
        new = [run for run in flow_runs(prefect_api, sweep) if run["id"] not in before | {*missed}]
        second.signal(signal.SIGTERM)
        assert second.exit_code() == 0, second.output[-3000:]

    assert {s["type"] for s in states.values()} == {"CANCELLED"}, states
    assert all("start-up replaces it" in s["message"] for s in states.values()), states
    executed = [run for run in new if run["start_time"] is not None]
    assert [run["name"] for run in executed] == ["sweep-at-start-up"], new
    assert earlier in before
    assert "in place of 3 sweep(s) missed while down" in second.output
