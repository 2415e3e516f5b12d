"""The work pool without a server: prefect.yaml and ``phoihop deploy`` agree, the sweep
splits into shards that fire every rung once, and ``phoihop worker``/``deploy`` refuse a
machine that cannot work in one line. The real thing (a Prefect server on PostgreSQL and
three workers) is tests/test_workers.py."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml
from sqlmodel import select

from models import AuditRecord, Escalation, Notification
from services import db, escalation

ROOT = Path(__file__).resolve().parent.parent
Cli = Callable[..., Any]


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")).astimezone(UTC)


def test_shards_split_a_sweep_and_fire_every_rung_once(open_cycle: Cli) -> None:
    now = at(2024, 7, 13, 8)
    assert escalation.count_due(now) == 7
    parts = [escalation.count_due(now, (k, 3)) for k in range(3)]
    assert sum(parts) == 7 and all(parts)
    fired = [escalation.sweep(now=now, shard=(k, 3), actor=f"sweep shard {k + 1}/3")
             for k in range(3)]  # fmt: skip
    assert [r.escalations for r in fired] == parts
    again = [escalation.sweep(now=now, shard=(k, 3)) for k in range(3)]  # a retried shard
    assert sum(r.escalations for r in again) == 0
    assert escalation.sweep(now=now).escalations == 0  # and an unsharded sweep after them
    with db.reading() as session:
        rungs = session.exec(select(Escalation.task_id, Escalation.step)).all()
        outbox = session.exec(  # the urging messages, not the opening notices
            select(Notification.escalation_id).where(Notification.escalation_id.is_not(None))
        ).all()
        actors = Counter(
            session.exec(
                select(AuditRecord.actor).where(AuditRecord.action == "task.escalated")
            ).all()
        )
    assert len(rungs) == len(set(rungs)) == 7
    assert sorted(outbox) == sorted(set(outbox)) and len(outbox) == 7
    assert actors == Counter({f"sweep shard {k + 1}/3": n for k, n in enumerate(parts)})


def test_a_shard_outside_its_range_is_refused() -> None:
    for bad in [(3, 3), (-1, 2), (0, 0)]:
        with pytest.raises(ValueError, match="not a shard"):
            escalation.count_due(at(2024, 7, 13, 8), bad)


def yaml_deployments() -> dict[str, dict[str, Any]]:
    document = yaml.safe_load((ROOT / "prefect.yaml").read_text(encoding="utf-8"))
    return {d["name"]: d | {"pull": document["pull"]} for d in document["deployments"]}


def test_prefect_yaml_is_what_phoihop_deploy_registers(
    demo_org: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fixed four of ``phoihop deploy`` are prefect.yaml's, setting for setting; the
    generated ones are one per scheduled program, its RRule's DTSTART kept."""
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:9/api")  # never contacted
    from deployments.pool import POOL, PULL_STEPS, build

    built = {d.name: d for d in build()}
    expected = yaml_deployments()
    assert set(built) == {*expected, "open-QD238"}
    for name, spec in expected.items():
        d = built[name]
        assert d.entrypoint == spec["entrypoint"]
        assert d.entrypoint.startswith("flows.") and ":" not in d.entrypoint  # module paths
        assert d.work_pool_name == spec["work_pool"]["name"] == POOL
        assert spec["pull"] == PULL_STEPS == d.storage.to_pull_step()
        assert (d.parameters or {}) == (spec.get("parameters") or {})
        limit = spec.get("concurrency_limit")
        assert d.concurrency_limit == (limit["limit"] if limit else None)
        strategy = d.concurrency_options.collision_strategy if d.concurrency_options else None
        assert strategy == (limit["collision_strategy"] if limit else None)
        intervals = [(s.schedule.interval.total_seconds(), s.schedule.timezone)
                     for s in d.schedules or []]  # fmt: skip
        assert intervals == [(s["interval"], s["timezone"]) for s in spec["schedules"]]
        assert d.description == spec["description"]
    program = built["open-QD238"]
    [schedule] = program.schedules
    assert schedule.schedule.rrule.startswith("DTSTART:20240701T000000\nRRULE:FREQ=YEARLY")
    assert schedule.schedule.timezone == "Asia/Ho_Chi_Minh"
    assert program.work_pool_name == POOL and program.entrypoint.startswith("flows.request.")
    assert program.parameters == {"program": "QD238", "period_kind": "half"}


def test_delivery_retries_with_backoff_and_a_shard_run_retries(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:9/api")  # never contacted
    from flows.escalation import deliver_with_retries, shard_flow

    assert deliver_with_retries.retries == 3
    assert deliver_with_retries.retry_delay_seconds == [10, 60, 300]
    assert shard_flow.retries == 2


def test_the_pull_step_is_the_data_directory_of_the_machine(data_dir: Path) -> None:
    from deployments.pool import enter_data_dir

    assert enter_data_dir() == {"directory": str(data_dir)}
    assert data_dir.is_dir()


def test_a_worker_needs_the_shared_database_and_the_prefect_api(
    cli: Cli, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert pg_url  # PostgreSQL configured, PREFECT_API_URL not
    refused = cli("worker")
    assert refused.code == 1 and refused.out == ""
    assert refused.err == (
        "phoihop: lỗi: Chưa đặt PREFECT_API_URL: hãy trỏ tới máy chủ Prefect "
        "(ví dụ http://prefect.example:4200/api).\n"
    )
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:9/api")
    refused = cli("worker", "--lang", "en")
    assert refused.err == "phoihop: error: no Prefect API answers at http://127.0.0.1:9/api\n"
    deploy = cli("deploy", "--lang", "en")
    assert deploy.err == "phoihop: error: no Prefect API answers at http://127.0.0.1:9/api\n"


def test_a_worker_refuses_sqlite(cli: Cli) -> None:
    refused = cli("worker", "--name", "w1", "--lang", "en")
    assert refused.code == 1
    assert refused.err.startswith("phoihop: error: a worker needs the shared database: set ")
    assert len(refused.err.splitlines()) == 1


PROBE = """
import sys, cli
for argv in (["--help"], ["worker", "--help"], ["deploy", "--help"]):
    try:
        cli.main(argv)
    except SystemExit:
        pass
print("PREFECT-IMPORTED", "prefect" in sys.modules)
"""


def test_worker_and_deploy_help_do_not_import_prefect() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=60)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "PREFECT-IMPORTED False"
    assert "--limit N" in done.stdout and "--shards N" in done.stdout
