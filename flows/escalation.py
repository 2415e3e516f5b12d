"""Escalation: the sweep that reminds and urges, and the delivery of the outbox.

Its domain events (``phoihop.task.reminded``, ``.escalated``) reach Prefect
through the relay (flows.relay), from the audit records the sweep writes: a
national sweep fires 50,000 rungs, and emitting one event per rung from here
lost most of them.

**One machine** (``phoihop serve``): ``escalation-sweep`` with its defaults
sweeps and then delivers, in one run.

**Several machines** (the ``phoihop`` work pool, :mod:`deployments.pool`):

- a sweep run first cancels the sweep runs that fell due before it started and
  still wait (one run at "now" does the work of a backlog);
- then it counts what is due. Up to ``shard_above`` tasks, it sweeps them
  itself. Above that it starts ``shards`` runs of ``escalation-sweep-shard``
  (by default one per worker online), each with the parent's ``now`` and a
  part of the tasks (id modulo n), and ends without waiting for them: a waiting
  parent would hold a worker that a shard needs. Any worker picks a shard up;
  each plans only its part through the same ``next_rung_at`` index range, and
  the sweep's batch guard makes a shard that overlaps another, or runs twice,
  fire nothing twice;
- delivery is its own deployment (``deliver-outbox``, on its own schedule), so
  a failing SMTP server is retried with backoff there and never fails a sweep.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from prefect import flow, get_run_logger, task

from flows.common import moment
from services import escalation, notify
from services.escalation import SweepResult
from services.notify import Delivery

SHARD_ABOVE = 5_000
"""Due tasks one sweep run fires by itself; above this a pool sweep starts shard runs
(a shard run costs a few seconds to start, about what 5,000 rungs cost to fire)."""
DELIVERY_RETRY_DELAYS = [10, 60, 300]
"""Seconds before each new try of a delivery run that failed (the database or SMTP
unreachable); a message that fails is retried later on its own (services.notify)."""
MISSED = "replaced by sweep run {name!r}, which started after this one fell due and sweeps now"


@task(name="fire-due-rungs")
def sweep_task(now: datetime, shard: tuple[int, int] | None = None) -> SweepResult:
    actor = "sweep" if shard is None else f"sweep shard {shard[0] + 1}/{shard[1]}"
    return escalation.sweep(now=now, shard=shard, actor=actor)


@task(name="deliver-outbox")
def deliver_task(now: datetime) -> Delivery:
    return notify.deliver(notify.configured_notifier(), now=now)


@task(name="count-due")
def count_task(now: datetime) -> int:
    return escalation.count_due(now)


@task(name="cancel-missed-sweeps")
def collapse_task() -> int:
    """Cancel this deployment's sweep runs that were due by the time this one started
    and have not started: this run, sweeping now, does their work."""
    from prefect.client.orchestration import get_client
    from prefect.runtime import flow_run
    from prefect.utilities.asyncutils import run_coro_as_sync

    from deployments.schedules import cancel_missed

    async def cancel() -> int:
        async with get_client() as client:
            me = await client.read_flow_run(flow_run.id)
            if me.deployment_id is None:
                return 0
            return await cancel_missed(
                client,
                me.deployment_id,
                before=me.start_time or me.expected_start_time,
                keep=me.id,
                message=MISSED.format(name=me.name),
            )

    return run_coro_as_sync(cancel()) or 0


@task(name="count-online-workers")
def workers_task() -> int:
    """Shards for this sweep: one per worker online in this run's work pool."""
    from prefect.client.orchestration import get_client
    from prefect.runtime import flow_run
    from prefect.utilities.asyncutils import run_coro_as_sync

    from deployments.pool import online_workers

    async def count() -> int:
        async with get_client() as client:
            me = await client.read_flow_run(flow_run.id)
        return await online_workers(me.work_pool_name) if me.work_pool_name else 1

    return max(1, run_coro_as_sync(count()) or 1)


@task(name="start-shards")
def start_shards_task(now: datetime, of: int) -> list[str]:
    """Create the ``of`` shard runs and return at once (their names)."""
    from prefect.deployments import run_deployment
    from prefect.runtime import flow_run

    from deployments.pool import SHARD

    started = []
    for k in range(of):
        run = run_deployment(
            f"{SHARD}/{SHARD}",
            parameters={"shard": k, "of": of, "now": now},
            flow_run_name=f"shard-{k + 1}-of-{of}",
            idempotency_key=f"{flow_run.id}:{k}/{of}",  # a retried task starts none twice
            timeout=0,
        )
        started.append(run.name)
    return started


@flow(name="escalation-sweep")
def sweep_flow(
    now: datetime | None = None,
    shards: int | None = 1,
    shard_above: int = SHARD_ABOVE,
    deliver: bool = True,
) -> dict[str, object]:
    """One sweep: fire what is due (plan, then short write batches), deliver messages.

    ``shards``: 1 sweeps here (``serve``); n > 1 splits a sweep of more than
    ``shard_above`` due tasks into n shard runs; None, into one per worker online
    in the work pool. ``deliver``: deliver the outbox after sweeping (the work
    pool has its own delivery deployment).
    """
    logger = get_run_logger()
    collapsed = collapse_task()
    if collapsed:
        logger.info("cancelled %d sweep run(s) that fell due before this one started", collapsed)
    at = moment(now)
    handed = handover_task(at)  # first: a merged body's tasks are urged at its successor
    fed = feed_task(at)  # reports a synthesis closed but did not send up, sharded or not
    parts = shards if shards is not None else workers_task()
    if parts > 1:
        due = count_task(at)
        if due > shard_above:
            started = start_shards_task(at, parts)
            logger.info("%d tasks due: started %s", due, ", ".join(started))
            return {"now": at, "due": due, "shards": started, "collapsed": collapsed,
                    "handed_over": handed, "fed": fed}  # fmt: skip
    result = sweep_task(at)
    answer: dict[str, Any] = result.as_dict() | {"handed_over": handed, "fed": fed}
    if deliver:
        answer["delivery"] = deliver_task(at).as_dict()
    answer["documents"] = documents_task(at)
    return answer


@task(name="hand-over-merged")
def handover_task(now: datetime) -> list[dict[str, Any]]:
    """Hand the tasks of bodies merged by today to their successors, before the sweep
    urges anyone (services.succession.hand_over_due; nothing new, nothing written)."""
    from services.succession import hand_over_due

    return hand_over_due(now=now)


@task(name="feed-parents")
def feed_task(now: datetime) -> list[dict[str, Any]]:
    """Send up the consolidated reports a synthesis closed but did not get to send
    (services.rollup.feed_unfed): one batch per sweep."""
    from services.rollup import feed_unfed

    return feed_unfed(now=now)


@task(name="render-letters")
def documents_task(now: datetime) -> dict[str, Any]:
    """Number and render the urging letters the sweep recorded, and digest submissions
    (services.notices.prepare_outbox; every delivery also does it first)."""
    from services.notices import prepare_outbox

    return prepare_outbox(now=now)


@flow(name="escalation-sweep-shard", retries=2, retry_delay_seconds=30)
def shard_flow(shard: int, of: int, now: datetime) -> dict[str, object]:
    """Part ``shard`` of ``of`` of the sweep at ``now`` (the parent sweep's moment).

    Retried as a whole if it fails (a flow's retries wait a fixed delay; only
    tasks take a list): the tasks a first try already moved are left alone by
    the guard, the others are fired then.
    """
    return sweep_task(now, (shard, of)).as_dict() | {"shard": shard, "of": of}


deliver_with_retries = deliver_task.with_options(
    retries=len(DELIVERY_RETRY_DELAYS), retry_delay_seconds=DELIVERY_RETRY_DELAYS
)
"""The delivery of ``deliver-outbox``; ``serve``'s sweep delivers without retries, as before."""


@flow(name="deliver-outbox")
def deliver_flow(now: datetime | None = None) -> dict[str, object]:
    """Send the outbox's pending messages; a failing try is tried again after
    :data:`DELIVERY_RETRY_DELAYS` (10 s, 1 min, 5 min)."""
    return deliver_with_retries(moment(now)).as_dict()
