"""``phoihop deploy`` and ``phoihop worker``: phoihop on Prefect's work pool, on several machines.

``deploy`` registers the deployments of the ``phoihop`` process work pool
(:mod:`deployments.pool`), creating the pool if needed; run it again after
adding a program with a schedule. ``worker`` runs one Prefect process worker on
that pool, on any machine where phoihop is installed; it is ``prefect worker
start --pool phoihop --type process --limit 1`` after checks that make a
misconfigured machine fail in one line instead of failing every flow run it
takes. Prefect is imported only once a command runs (``--help`` stays fast).
"""

from __future__ import annotations

import argparse
import os
from datetime import timedelta
from typing import Any

from commands.argtypes import non_negative_int, seconds
from commands.language import english, say
from commands.output import Answer


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "deploy",
        parents=[common],
        help="register the work pool's deployments with the Prefect API",
        description="Create the 'phoihop' process work pool if needed, and create or update "
        "its deployments: escalation-sweep, escalation-sweep-shard, deliver-outbox, "
        "relay-events, and open-<PROGRAM> for each program with a schedule. Needs "
        "PREFECT_API_URL. Idempotent: run it again after adding a program.",
    )
    p.add_argument("--sweep-interval", type=seconds, default=300, metavar="SECONDS",
                   help="how often the sweep runs (default 300)")  # fmt: skip
    p.add_argument("--deliver-interval", type=seconds, default=60, metavar="SECONDS",
                   help="how often the outbox is delivered (default 60)")  # fmt: skip
    p.add_argument("--relay-interval", type=seconds, default=30, metavar="SECONDS",
                   help="how often domain events are relayed to Prefect (default 30)")  # fmt: skip
    p.add_argument(
        "--shards",
        type=non_negative_int,
        metavar="N",
        help="shard runs of a large sweep (default or 0: one per worker online)",
    )
    p.set_defaults(handler=deploy)

    p = sub.add_parser(
        "worker",
        parents=[common],
        help="run a Prefect worker on the phoihop work pool",
        description="Check the settings, the shared database and the Prefect API, make sure "
        "the 'phoihop' work pool exists (type process), then become `prefect worker start "
        "--pool phoihop`. Needs PHOIHOP_DATABASE_URL (the shared PostgreSQL) and "
        "PREFECT_API_URL. SIGTERM or Ctrl-C stops taking flow runs; a second one stops now.",
    )
    p.add_argument("--name", help="the worker's name in Prefect (default: Prefect's own)")
    p.add_argument("--limit", type=_at_least_one, default=1, metavar="N",
                   help="flow runs at a time (default 1, so a sweep's shards spread "
                   "over the workers)")  # fmt: skip
    p.set_defaults(handler=worker)


def _at_least_one(text: str) -> int:
    value = non_negative_int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {value}")
    return value


def _api_url() -> str:
    """The configured Prefect API, answering; else one line saying what to set."""
    from deployments.local_server import healthy
    from rules.errors import UserError

    url = os.environ.get("PREFECT_API_URL", "").rstrip("/")
    if not url:
        raise UserError(
            "PREFECT_API_URL is not set: point it at the Prefect server "
            "(e.g. http://prefect.example:4200/api)"
        )
    if not healthy(url):
        raise UserError(f"no Prefect API answers at {url}")
    return url


def _prefect_environment() -> None:
    """Offline, and Prefect's home under phoihop's data directory, before importing it."""
    from deployments.local_server import prepare_environment
    from services import settings

    data_dir = settings.data_dir()
    (data_dir / "prefect").mkdir(parents=True, exist_ok=True)
    prepare_environment(data_dir)


def deploy(args: argparse.Namespace) -> Answer:
    """Register every deployment of the work pool; the list of them."""
    import asyncio

    from commands.output import table
    from services import db

    _api_url()
    db.engine()  # the programs are read from it; a database behind the schema is refused
    _prefect_environment()
    from deployments.pool import build, register

    deployments = build(
        sweep_interval=timedelta(seconds=args.sweep_interval),
        relay_interval=timedelta(seconds=args.relay_interval),
        deliver_interval=timedelta(seconds=args.deliver_interval),
        shards=args.shards or None,
    )
    pool, *registered = asyncio.run(register(deployments))

    def render(console: Any) -> None:
        name = pool["work_pool"]
        if pool["created"]:
            console.print(say(f"Đã tạo nhóm máy thực thi {name} (process)",
                              f"work pool {name} (process): created"))  # fmt: skip
        else:
            console.print(say(f"Nhóm máy thực thi {name} (process) đã có",
                              f"work pool {name} (process): exists"))  # fmt: skip
        on_demand = say("khi được gọi", "on demand")
        rows = [[d["name"], d["entrypoint"], "; ".join(d["schedules"]) or on_demand]
                for d in registered]  # fmt: skip
        heads = (["deployment", "entrypoint", "schedule"] if english()
                 else ["Triển khai", "Điểm vào", "Lịch chạy"])  # fmt: skip
        console.print(table(None, heads, rows))
        console.print(say("Khởi động máy thực thi bằng: phoihop worker   (hoặc prefect worker "
                          f"start --pool {name} --limit 1)",
                          f"start workers with: phoihop worker   (or prefect worker start "
                          f"--pool {name} --limit 1)"))  # fmt: skip

    return Answer(pool | {"deployments": registered}, render)


def worker(args: argparse.Namespace) -> None:
    """Check, ensure the pool, then become the Prefect worker (never returns)."""
    import asyncio

    from rules.errors import UserError
    from services import db, settings

    if not settings.current().database_url or db.engine().dialect.name != "postgresql":
        raise UserError(
            "a worker needs the shared database: set PHOIHOP_DATABASE_URL to PostgreSQL "
            "(postgresql+psycopg://…); on one machine with SQLite, use phoihop serve"
        )
    _api_url()
    db.raw_engine().dispose()  # no connection of this process outlives it into the worker
    _prefect_environment()
    from deployments.pool import exec_worker, pool_ready, worker_command

    asyncio.run(pool_ready())
    exec_worker(worker_command(args.name, args.limit))
