"""The deployments ``phoihop serve`` runs.

Entrypoints are module paths (``flows.escalation.sweep_flow``), not file paths,
so flow runs work whatever directory ``serve`` was started from.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from commands.language import say
from services.registry import scheduled_programs

if TYPE_CHECKING:
    from uuid import UUID

TIMEZONE = "Asia/Ho_Chi_Minh"
SWEEP = "escalation-sweep"
RELAY = "relay-events"
RELAY_EVERY = timedelta(seconds=30)
START_UP_RUN = "sweep-at-start-up"
"""The name of the flow run that sweeps once when ``serve`` starts."""
REPLACED = "missed while phoihop serve was down; the sweep run at start-up replaces it"


def build(sweep_interval: timedelta, relay_interval: timedelta = RELAY_EVERY) -> list[Any]:
    """The sweep, the event relay, and one cycle-opening deployment per scheduled program."""
    from prefect.schedules import Interval
    from prefect.types.entrypoint import EntrypointType

    from flows.escalation import sweep_flow
    from flows.relay import relay_flow

    sweep = sweep_flow.to_deployment(
        name=SWEEP,
        schedules=[Interval(sweep_interval, timezone=TIMEZONE)],
        entrypoint_type=EntrypointType.MODULE_PATH,
        description="Fire due reminders and escalation steps, then deliver the outbox.",
    )
    relay = relay_flow.to_deployment(
        name=RELAY,
        schedules=[Interval(relay_interval, timezone=TIMEZONE)],
        entrypoint_type=EntrypointType.MODULE_PATH,
        description="Emit the domain events recorded in the audit log since the last run.",
    )
    return [sweep, relay, *new_program_deployments(served=())]


def new_program_deployments(served: Collection[str], **options: Any) -> list[Any]:
    """Cycle-opening deployments of the scheduled programs not yet among ``served``
    (deployment names): ``serve`` asks again now and then, so a program added
    while it runs gets its schedule without a restart. ``options`` go to
    ``to_deployment`` as they are (``phoihop deploy`` names the work pool)."""
    from prefect.schedules import RRule
    from prefect.types.entrypoint import EntrypointType

    from flows.request import scheduled_cycle_flow

    return [
        scheduled_cycle_flow.to_deployment(
            name=name,
            parameters={"program": code, "period_kind": kind},
            schedules=[RRule(rule, timezone=TIMEZONE)],
            entrypoint_type=EntrypointType.MODULE_PATH,
            description=f"Open the cycle of program {code} for the period just ended.",
            **options,
        )
        for code, kind, rule in scheduled_programs()
        if (name := f"open-{code}") not in served
    ]


async def sweep_once_at_start(deployment_ids: Mapping[str, UUID]) -> str:
    """One sweep now, in place of the sweeps missed while ``serve`` was down.

    Prefect's scheduler creates each interval's run ahead of time; while nothing
    serves them they fall due and wait (Scheduled, then Late), and a runner that
    starts executes every one of them, one after the other: the same sweep N
    times. A sweep fires whatever is due at its own moment, so one run now does
    the work of all of them. This schedules that run, then cancels, saying why,
    the sweep runs expected to start before it (its own expected start is the
    line between missed and to come, so no clock is read here). Called before
    the runner polls, so none of them can have started. Returns a log line.
    """
    from prefect.client.orchestration import get_client

    deployment_id = deployment_ids[SWEEP]
    async with get_client() as client:
        now = await client.create_flow_run_from_deployment(deployment_id, name=START_UP_RUN)
        cancelled = await cancel_missed(
            client, deployment_id, before=now.expected_start_time, keep=now.id, message=REPLACED
        )
    if not cancelled:
        return say("rà soát hạn một lần khi khởi động", "sweeping once at start-up")
    return say(
        f"rà soát hạn một lần khi khởi động, thay cho {cancelled} lần rà soát bị lỡ khi dừng",
        f"sweeping once at start-up, in place of {cancelled} sweep(s) missed while down",
    )


async def cancel_missed(
    client: Any, deployment_id: UUID, *, before: datetime | None, keep: UUID, message: str
) -> int:
    """Cancel, saying ``message``, the runs of ``deployment_id`` still waiting to start
    (Scheduled, Late, or queued for the concurrency slot) that were expected to
    start no later than ``before``; ``keep`` is the run that does their work.
    Returns how many were cancelled.

    The one place where sweeps that fell due together become one: ``serve`` at
    start-up (:func:`sweep_once_at_start`), and each sweep run on the work pool
    as it starts (flows.escalation), since a worker that comes back after an
    outage would otherwise run every missed sweep, one after the other.
    """
    from prefect.client.schemas.filters import (
        FlowRunFilter,
        FlowRunFilterDeploymentId,
        FlowRunFilterExpectedStartTime,
        FlowRunFilterId,
        FlowRunFilterState,
        FlowRunFilterStateType,
    )
    from prefect.client.schemas.objects import StateType
    from prefect.client.schemas.responses import SetStateStatus
    from prefect.states import Cancelled

    missed = FlowRunFilter(
        deployment_id=FlowRunFilterDeploymentId(any_=[deployment_id]),
        state=FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType.SCHEDULED])),
        expected_start_time=FlowRunFilterExpectedStartTime(before_=before),
        id=FlowRunFilterId(not_any_=[keep]),
    )
    cancelled = 0
    while runs := await client.read_flow_runs(flow_run_filter=missed, limit=100):
        answers = [
            await client.set_flow_run_state(run.id, Cancelled(message=message)) for run in runs
        ]
        accepted = sum(a.status == SetStateStatus.ACCEPT for a in answers)
        cancelled += accepted
        if accepted < len(runs):  # refused ones would come back for ever
            break
    return cancelled
