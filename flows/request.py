"""Stage 1, the request: open a cycle, by hand or on a program's schedule."""

from __future__ import annotations

from datetime import date, datetime

from prefect import flow, task

from flows.common import emit_events, moment
from rules.errors import Conflict
from rules.periods import latest_ended_period
from rules.timezone import local_date
from services import cycles
from services.cycles import CycleOpened


@task(name="open-cycle")
def open_cycle_task(
    program: str,
    period: str,
    letter_no: str | None,
    letter_date: date | None,
    due: date | None,
    now: datetime,
    actor: str,
) -> CycleOpened:
    return cycles.open_cycle(
        program, period, letter_no=letter_no, letter_date=letter_date, due=due, now=now, actor=actor
    )


@flow(name="request-open-cycle")
def open_cycle_flow(
    program: str,
    period: str,
    letter_no: str | None = None,
    letter_date: date | None = None,
    due: date | None = None,
    now: datetime | None = None,
    actor: str = "prefect",
) -> CycleOpened:
    """Open one cycle and announce it."""
    opened = open_cycle_task(program, period, letter_no, letter_date, due, moment(now), actor)
    emit_events(opened.events)
    return opened


@flow(name="request-scheduled-cycle")
def scheduled_cycle_flow(program: str, period_kind: str, now: datetime | None = None) -> str:
    """What a program's schedule runs: open the cycle of the period that just ended.

    Opening twice is refused by the service, so a retried or doubled schedule
    run changes nothing the second time.
    """
    at = moment(now)
    period = latest_ended_period(period_kind, local_date(at)).spec
    try:
        opened = open_cycle_task(program, period, None, local_date(at), None, at, "schedule")
    except Conflict:
        return f"{program}/{period} already open"
    emit_events(opened.events)
    return f"{program}/{period} opened"
