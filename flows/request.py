"""Stage 1, the request: cycles a program's schedule opens.

A coordinator opening a cycle by hand is one transaction (services.cycles,
from the CLI, the API or the pages); what a schedule opens runs here, on the
work pool. Its ``phoihop.cycle.opened`` event reaches Prefect through the
relay (flows.relay), like every other domain event.
"""

from __future__ import annotations

from datetime import datetime

from prefect import flow, task

from flows.common import moment
from rules.errors import Conflict
from rules.periods import latest_ended_period
from rules.timezone import local_date
from services import cycles


@task(name="open-cycle")
def open_cycle_task(program: str, period: str, now: datetime) -> str:
    """Open ``program``'s cycle for ``period``; one already open is left as it is."""
    try:
        cycles.open_cycle(
            program, period, letter_no=None, letter_date=local_date(now), now=now,
            actor="schedule",
        )  # fmt: skip
    except Conflict:
        return f"{program}/{period} already open"
    return f"{program}/{period} opened"


@flow(name="request-scheduled-cycle")
def scheduled_cycle_flow(program: str, period_kind: str, now: datetime | None = None) -> str:
    """What a program's schedule runs: open the cycle of the period that just ended.

    Opening twice is refused by the service, so a retried or doubled schedule
    run changes nothing the second time.
    """
    at = moment(now)
    return open_cycle_task(program, latest_ended_period(period_kind, local_date(at)).spec, at)
