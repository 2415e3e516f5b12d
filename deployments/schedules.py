"""The deployments ``phoihop serve`` runs.

Entrypoints are module paths (``flows.escalation.sweep_flow``), not file paths,
so flow runs work whatever directory ``serve`` was started from.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import timedelta
from typing import Any

from services.registry import scheduled_programs

TIMEZONE = "Asia/Ho_Chi_Minh"


def build(sweep_interval: timedelta) -> list[Any]:
    """The sweep deployment and one cycle-opening deployment per scheduled program."""
    from prefect.schedules import Interval
    from prefect.types.entrypoint import EntrypointType

    from flows.escalation import sweep_flow

    sweep = sweep_flow.to_deployment(
        name="escalation-sweep",
        schedules=[Interval(sweep_interval, timezone=TIMEZONE)],
        entrypoint_type=EntrypointType.MODULE_PATH,
        description="Fire due reminders and escalation steps, then deliver the outbox.",
    )
    return [sweep, *new_program_deployments(served=())]


def new_program_deployments(served: Collection[str]) -> list[Any]:
    """Cycle-opening deployments of the scheduled programs not yet among ``served``
    (deployment names): ``serve`` asks again now and then, so a program added
    while it runs gets its schedule without a restart."""
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
        )
        for code, kind, rule in scheduled_programs()
        if (name := f"open-{code}") not in served
    ]
