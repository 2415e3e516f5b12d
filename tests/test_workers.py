"""phoihop on Prefect's own distributed machinery: a Prefect server on PostgreSQL, three
process workers on the ``phoihop`` pool, one shared PostgreSQL database.

One set-up for the module: PostgreSQL 15 (the session's throw-away cluster) holds two
databases, phoihop's and the Prefect server's own; the server listens on loopback; the
deployments are registered the two documented ways (``prefect deploy --all`` from
prefect.yaml, then ``phoihop deploy``); three ``phoihop worker`` processes, each in its
own directory with its own data directory and no ``PYTHONPATH`` (as on a machine where
phoihop is installed, not checked out), poll the pool. The server's scheduler is off, so
the only flow runs are the ones a test creates. A national-size-ish cycle (10,000 bodies)
is opened through the services, set-based.

Every wait polls for a state (a flow run's, a worker's, a row count) with a generous
ceiling; nothing waits for time to pass. Workers are stopped with SIGTERM, a second one
if the first did not do it, and their process groups are killed at the end.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests import pg
from tests.serving import LIMIT, ROOT, api, deployment_id, flow_runs, free_port, healthy, wait_for

pytestmark = [pytest.mark.prefect_server, pytest.mark.slow, pytest.mark.timeout(900)]

BODIES = 10_000
WORKERS = 3
PHOIHOP = Path(sys.executable).parent / "phoihop"
PREFECT = Path(sys.executable).parent / "prefect"
DEADLINE_PASSED = "2024-07-13T08:00:00+07:00"  # the day after the cycle's due date (12/07)
NOTHING_DUE = "2024-07-03T09:00:00+07:00"  # just after opening: no rung is due yet
FINAL = {"COMPLETED", "FAILED", "CANCELLED", "CRASHED"}

# Bodies, a program with a schedule and its cycle, through the services (set-based: seconds).
BUILD = """
import sys
from datetime import date, datetime
from zoneinfo import ZoneInfo
from rules.specs import BodySpec, ProgramSpec
from services import cycles, registry
n = int(sys.argv[1])
at = datetime(2024, 7, 1, 8, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
bodies = [BodySpec(code="COORD", name="Ban Tuyên giáo Tỉnh ủy", level="province",
                   head_name="Trưởng ban", head_email="truongban@coord.example",
                   focal_name="Tổng hợp", focal_email="tonghop@coord.example")]
bodies += [BodySpec(code=f"X{i:05d}", name=f"Ủy ban nhân dân xã số {i}", level="commune",
                    parent="COORD", head_name=f"Chủ tịch {i}", head_email=f"ct{i}@xa.example",
                    focal_name=f"Văn phòng {i}", focal_email=f"vp{i}@xa.example")
           for i in range(n)]
registry.import_bodies(bodies, now=at, actor="test")
registry.add_program(ProgramSpec.model_validate({
    "code": "QG", "title": "Báo cáo toàn quốc", "coordinator": "COORD",
    "bodies": [f"X{i:05d}" for i in range(n)], "period": "half",
    "schedule": "FREQ=YEARLY;BYMONTH=1,7;BYMONTHDAY=3;BYHOUR=8",
    "working_days": {"provide": 7, "review": 3, "synthesis": 2},
    "outline": [{"code": "I", "title": "Kết quả"}, {"code": "II", "title": "Nhiệm vụ"}],
}), now=at, actor="test")
opened = cycles.open_cycle("QG", "2024-H1", letter_no="1-CV", letter_date=date(2024, 7, 3),
                           now=datetime(2024, 7, 3, 8, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")),
                           actor="test")
print(opened.tasks if hasattr(opened, "tasks") else opened)
"""


@dataclass
class Pool:
    api_url: str
    dsn: str  # phoihop's database, for counting rows
    env: dict[str, str]  # what a machine of the pool has: the database and the API
    tmp: Path
    from_yaml: dict[str, dict[str, Any]]  # the deployments as `prefect deploy --all` left them
    from_phoihop: dict[str, dict[str, Any]]  # … and as `phoihop deploy` left them
    workers: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def run(self, deployment: str, parameters: dict[str, Any], **body: Any) -> str:
        """Create a flow run of ``deployment``; its id."""
        found = deployment_id(self.api_url, deployment)
        created = {"parameters": parameters} | body
        return api(self.api_url, f"/deployments/{found}/create_flow_run", created)["id"]

    def final(self, run_id: str, timeout: float = LIMIT) -> dict[str, Any]:
        def done() -> dict[str, Any] | None:
            run = api(self.api_url, f"/flow_runs/{run_id}")
            return run if run["state_type"] in FINAL else None

        return wait_for(done, f"flow run {run_id} to end", timeout)

    def count(self, sql: str) -> Any:
        import psycopg

        with psycopg.connect(self.dsn) as conn:
            return conn.execute(sql).fetchone()[0]  # type: ignore[arg-type,index]

    def logs(self) -> str:
        return "\n".join(
            f"--- {p.name} ---\n{p.read_text(errors='replace')[-3000:]}"
            for p in sorted(self.tmp.glob("*.log"))
        )


def stop(process: subprocess.Popen[bytes], patience: float = 30.0) -> None:
    """SIGTERM, a second SIGTERM if that did not stop it, then kill its process group."""
    for _ in range(2):
        if process.poll() is not None:
            break
        with contextlib.suppress(ProcessLookupError):
            process.send_signal(signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=patience)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)  # flow runs it left behind (its group)
    process.wait(timeout=30)


def start(argv: list[str], env: dict[str, str], cwd: Path, log: Path) -> subprocess.Popen[bytes]:
    cwd.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as out:
        return subprocess.Popen(argv, env=env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip


def cli(env: dict[str, str], cwd: Path, *argv: str) -> str:
    cwd.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(argv, env=env, cwd=cwd, capture_output=True, text=True, timeout=LIMIT)
    assert done.returncode == 0, f"{argv}: {done.stdout[-2000:]}\n{done.stderr[-3000:]}"
    return done.stdout


def deployments(api_url: str) -> dict[str, dict[str, Any]]:
    return {d["name"]: d for d in api(api_url, "/deployments/filter", {})}


def online_workers(api_url: str) -> list[str]:
    body = {"workers": {"status": {"any_": ["ONLINE"]}}}
    return [w["name"] for w in api(api_url, "/work_pools/phoihop/workers/filter", body)]


@pytest.fixture(scope="module")
def pool(pg_cluster: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pool]:
    tmp = tmp_path_factory.mktemp("pool")
    suffix = f"{os.getpid()}_{int(time.time())}"
    phoihop_url = pg.create_database(pg_cluster, f"phoihop_pool_{suffix}")
    prefect_url = pg.create_database(pg_cluster, f"prefect_pool_{suffix}")
    base = {k: v for k, v in os.environ.items()
            if not k.startswith(("PHOIHOP_", "PREFECT_")) and k != "PYTHONPATH"}  # fmt: skip
    base |= {"DO_NOT_TRACK": "1", "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    port = free_port()
    api_url = f"http://127.0.0.1:{port}/api"
    server_env = base | {
        "PREFECT_HOME": str(tmp / "server-home"),
        "PREFECT_API_DATABASE_CONNECTION_URL": prefect_url.replace("+psycopg", "+asyncpg"),
        # Only the runs a test creates: no interval runs competing with them for workers.
        "PREFECT_SERVER_SERVICES_SCHEDULER_ENABLED": "false",
        # The events carry 2024's simulated moments: past Prefect's 7-day retention, its
        # database vacuum would delete them as they arrive.
        "PREFECT_SERVER_EVENTS_RETENTION_PERIOD": "P4000D",
    }
    server = start([sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1",
                    "--port", str(port)], server_env, tmp, tmp / "server.log")  # fmt: skip
    env = base | {"PHOIHOP_DATABASE_URL": phoihop_url, "PREFECT_API_URL": api_url,
                  "PHOIHOP_DATA_DIR": str(tmp / "deployer")}  # fmt: skip
    workers: list[subprocess.Popen[bytes]] = []
    try:
        cli(env, tmp / "deployer", str(PHOIHOP), "db", "upgrade")
        built = subprocess.run([sys.executable, "-c", BUILD, str(BODIES)], cwd=ROOT,
                               env=env | {"PYTHONPATH": str(ROOT)}, capture_output=True,
                               text=True, timeout=LIMIT)  # fmt: skip
        assert built.returncode == 0, built.stderr
        wait_for(lambda: healthy(api_url), "the Prefect server on PostgreSQL")
        # The two documented registrations: prefect.yaml's fixed four, then phoihop deploy.
        home = {"PREFECT_HOME": str(tmp / "deployer-prefect")}
        cli(env | home, ROOT, str(PREFECT), "work-pool", "create", "phoihop", "--type", "process")
        cli(env | home, ROOT, str(PREFECT), "--no-prompt", "deploy", "--all")
        from_yaml = deployments(api_url)
        cli(env, tmp / "deployer", str(PHOIHOP), "deploy", "--json")
        from_phoihop = deployments(api_url)
        # Workers poll every 2 s instead of 10, so the module takes less time; nothing else.
        for n in range(1, WORKERS + 1):
            machine = env | {"PHOIHOP_DATA_DIR": str(tmp / f"w{n}" / "data"),
                             "PREFECT_WORKER_QUERY_SECONDS": "2"}  # fmt: skip
            workers.append(start([str(PHOIHOP), "worker", "--name", f"w{n}"], machine,
                                 tmp / f"w{n}", tmp / f"w{n}.log"))  # fmt: skip
        dsn = phoihop_url.replace("postgresql+psycopg://", "postgresql://")
        ready = Pool(api_url, dsn, env, tmp, from_yaml, from_phoihop, workers)
        try:
            wait_for(lambda: len(online_workers(api_url)) == WORKERS, "three workers online")
        except AssertionError:
            raise AssertionError(ready.logs()) from None
        yield ready
    finally:
        for worker in workers:
            stop(worker)
        stop(server, patience=20)


FIXED = ["escalation-sweep", "escalation-sweep-shard", "deliver-outbox", "relay-events"]
SETTINGS = ["entrypoint", "work_pool_name", "pull_steps", "parameters", "concurrency_options",
            "enforce_parameter_schema", "description"]  # fmt: skip


def schedules(deployment: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [(s["schedule"].get("interval"), s["schedule"].get("rrule"), s["schedule"]["timezone"])
            for s in deployment["schedules"]]  # fmt: skip


def test_prefect_yaml_and_phoihop_deploy_register_the_same_deployments(pool: Pool) -> None:
    assert set(pool.from_yaml) == set(FIXED)
    assert set(pool.from_phoihop) == {*FIXED, "open-QG"}
    for name in FIXED:
        yaml_side, ours = pool.from_yaml[name], pool.from_phoihop[name]
        assert {k: yaml_side[k] for k in SETTINGS} == {k: ours[k] for k in SETTINGS}, name
        assert schedules(yaml_side) == schedules(ours), name
        assert ours["entrypoint"].startswith("flows.") and ours["work_pool_name"] == "phoihop"
        assert ours["pull_steps"] == [{"deployments.pool.enter_data_dir": {}}]
    sweep = pool.from_phoihop["escalation-sweep"]
    assert sweep["global_concurrency_limit"]["limit"] == 1
    assert sweep["concurrency_options"]["collision_strategy"] == "ENQUEUE"
    assert schedules(sweep) == [(300.0, None, "Asia/Ho_Chi_Minh")]
    [(interval, rrule, zone)] = schedules(pool.from_phoihop["open-QG"])
    assert interval is None and zone == "Asia/Ho_Chi_Minh"
    assert rrule.startswith("DTSTART:20240701T000000\nRRULE:FREQ=YEARLY;BYMONTH=1,7")


def test_sweeps_that_fell_due_together_are_one_sweep(pool: Pool) -> None:
    """Three sweep runs that waited (Late) while no worker ran: the one that starts
    first sweeps, the two others are cancelled saying which run replaced them."""
    now = datetime.now(UTC)

    def late(minutes: int) -> dict[str, Any]:
        at = (now - timedelta(minutes=minutes)).isoformat()
        return {"type": "SCHEDULED", "state_details": {"scheduled_time": at}}

    parameters = {"now": NOTHING_DUE, "shards": 1}
    missed = [pool.run("escalation-sweep", parameters, name=f"missed-{m}", state=late(m))
              for m in (30, 20, 10)]  # fmt: skip
    ended = [pool.final(run) for run in missed]
    states = Counter(run["state_type"] for run in ended)
    assert states == Counter({"COMPLETED": 1, "CANCELLED": 2}), (ended, pool.logs())
    [swept] = [run["name"] for run in ended if run["state_type"] == "COMPLETED"]
    for run in ended:
        if run["state_type"] == "CANCELLED":
            assert run["state"]["message"].startswith(f"replaced by sweep run {swept!r}"), run


def test_a_sharded_sweep_fires_every_due_rung_exactly_once_on_several_workers(
    pool: Pool,
) -> None:
    due = pool.count("SELECT count(*) FROM task WHERE next_rung_at <= "
                     f"'{DEADLINE_PASSED}'::timestamptz")  # fmt: skip
    assert due == BODIES
    parent = pool.final(pool.run("escalation-sweep", {"now": DEADLINE_PASSED}))
    assert parent["state_type"] == "COMPLETED", (parent, pool.logs())
    shard_deployment = deployment_id(pool.api_url, "escalation-sweep-shard")

    def shards_done() -> list[dict[str, Any]] | None:
        runs = [r for r in flow_runs(pool.api_url, shard_deployment)
                if r["parameters"].get("now") == DEADLINE_PASSED]  # fmt: skip
        ended = len(runs) == WORKERS and all(r["state_type"] in FINAL for r in runs)
        return runs if ended else None

    shards = wait_for(shards_done, "the shard runs to end")
    assert {r["state_type"] for r in shards} == {"COMPLETED"}, (shards, pool.logs())
    # One shard per worker online, k of 3 each; at least two machines did the work.
    assert sorted(r["parameters"]["shard"] for r in shards) == [0, 1, 2]
    assert all(r["parameters"]["of"] == WORKERS for r in shards)
    workers = Counter(r["labels"]["prefect.worker.name"] for r in shards)
    assert len(workers) >= 2, workers
    # Every due rung fired once: one escalation per task, one message per escalation.
    assert pool.count("SELECT count(*) FROM escalation") == due
    assert pool.count("SELECT count(DISTINCT task_id) FROM escalation") == due
    urged = "FROM notification WHERE escalation_id IS NOT NULL"  # not the opening notices
    assert pool.count(f"SELECT count(*) {urged}") == due
    assert pool.count(f"SELECT count(DISTINCT escalation_id) {urged}") == due
    assert pool.count("SELECT count(*) FROM task WHERE escalation_level = 1") == due
    # Each shard fired its part (id modulo 3), named in the audit log.
    for k in range(WORKERS):
        part = pool.count(f"SELECT count(*) FROM task WHERE id % {WORKERS} = {k}")
        fired = pool.count("SELECT count(*) FROM auditrecord WHERE action = 'task.escalated' "
                           f"AND actor = 'sweep shard {k + 1}/{WORKERS}'")  # fmt: skip
        assert fired == part, k
    # Delivery runs on the pool too; so does the relay, 5,000 records a run (what Prefect's
    # event queues hold): every escalation reaches Prefect's events, none lost.
    assert pool.final(pool.run("deliver-outbox", {}))["state_type"] == "COMPLETED"
    newest = pool.count("SELECT max(id) FROM auditrecord")
    relayed = 0
    while relayed < newest:
        assert pool.final(pool.run("relay-events", {}))["state_type"] == "COMPLETED"
        before, relayed = relayed, pool.count("SELECT last_audit_id FROM eventcursor "
                                              "WHERE name = 'prefect'")  # fmt: skip
        assert relayed > before, "a relay run moved nothing"
        sent = pool.count("SELECT count(*) FROM auditrecord WHERE action = 'task.escalated' "
                          f"AND id <= {relayed}")  # fmt: skip
        wait_for(lambda sent=sent: escalated_events(pool) == sent, f"{sent} events stored")
    assert escalated_events(pool) == due


def escalated_events(pool: Pool) -> int:
    """``phoihop.task.escalated`` events Prefect has stored."""
    # Events carry their audit records' moment (simulated: July 2024).
    body = {"filter": {"event": {"name": ["phoihop.task.escalated"]},
                       "occurred": {"since": "2024-07-01T00:00:00Z",
                                    "until": "2024-08-01T00:00:00Z"}}}  # fmt: skip
    counts = api(pool.api_url, "/events/count-by/event", body)
    return next((c["count"] for c in counts if c["value"] == "phoihop.task.escalated"), 0)
