"""Run a cycle stage the way the environment asks.

With ``PREFECT_API_URL`` set, a stage runs as a Prefect flow run (visible in
the Prefect UI, events emitted). Without it, the same service runs in-process:
no Prefect import, no temporary server, answers in milliseconds.
"""

from __future__ import annotations

import os
from datetime import date, datetime
from typing import Any


def prefect_configured() -> bool:
    return bool(os.environ.get("PREFECT_API_URL"))


def open_cycle(
    program: str,
    period: str,
    *,
    letter_no: str | None,
    letter_date: date | None,
    due: date | None,
    now: datetime,
    actor: str,
) -> Any:
    if prefect_configured():
        from flows.request import open_cycle_flow

        return open_cycle_flow(program, period, letter_no, letter_date, due, now, actor)
    from services.cycles import open_cycle as run

    return run(
        program, period, letter_no=letter_no, letter_date=letter_date, due=due, now=now, actor=actor
    )


def submit(
    text: str, task_ref: dict[str, Any], attachments: list[Any], *, now: datetime, actor: str
) -> Any:
    if prefect_configured():
        from flows.provision import submit_flow

        return submit_flow(text, task_ref, attachments, now, actor)
    from services.provision import submit as run

    return run(text, attachments=attachments, now=now, actor=actor, **task_ref)


def review(
    decision: str,
    task_ref: dict[str, Any],
    *,
    comment: str | None,
    new_due: date | None,
    now: datetime,
    actor: str,
) -> Any:
    if prefect_configured():
        from flows.review import review_flow

        return review_flow(decision, task_ref, comment, new_due, now, actor)
    from services.review import decide

    return decide(decision, task_ref, comment=comment, new_due=new_due, now=now, actor=actor)


def synthesize(cycle: str, *, now: datetime, actor: str, leave_out: list[str]) -> Any:
    if prefect_configured():
        from flows.synthesis import synthesis_flow

        return synthesis_flow(cycle, now, actor, leave_out)
    from services.synthesis import synthesize as run

    return run(cycle, now=now, actor=actor, leave_out=leave_out)


def sweep(*, now: datetime) -> dict[str, Any]:
    if prefect_configured():
        from flows.escalation import sweep_flow

        return sweep_flow(now)
    from services import escalation, notify

    result = escalation.sweep(now=now)
    delivery = notify.deliver(notify.configured_notifier(), now=now)
    return result.as_dict() | {"delivery": delivery.as_dict()}
