"""The deployments ``phoihop serve`` runs.

Entrypoints are module paths (``flows.escalation.sweep_flow``), not file paths,
so flow runs work whatever directory ``serve`` was started from.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlmodel import select

from models import Program
from services import db

TIMEZONE = "Asia/Ho_Chi_Minh"


def program_schedules() -> list[tuple[str, str, str]]:
    """(program code, period kind, RRule) for every program that has a schedule."""
    with db.reading() as session:
        rows = session.exec(
            select(Program.code, Program.period_kind, Program.schedule).where(
                Program.schedule.is_not(None)
            )
        ).all()
    return [(code, kind, rule) for code, kind, rule in rows if rule]


def build(sweep_interval: timedelta) -> list[Any]:
    """The sweep deployment and one cycle-opening deployment per scheduled program."""
    from prefect.schedules import Interval, RRule
    from prefect.types.entrypoint import EntrypointType

    from flows.escalation import sweep_flow
    from flows.request import scheduled_cycle_flow

    deployments = [
        sweep_flow.to_deployment(
            name="escalation-sweep",
            schedules=[Interval(sweep_interval, timezone=TIMEZONE)],
            entrypoint_type=EntrypointType.MODULE_PATH,
            description="Fire due reminders and escalation steps, then deliver the outbox.",
        )
    ]
    for code, kind, rule in program_schedules():
        deployments.append(
            scheduled_cycle_flow.to_deployment(
                name=f"open-{code}",
                parameters={"program": code, "period_kind": kind},
                schedules=[RRule(rule, timezone=TIMEZONE)],
                entrypoint_type=EntrypointType.MODULE_PATH,
                description=f"Open the cycle of program {code} for the period just ended.",
            )
        )
    return deployments
