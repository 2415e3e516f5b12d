"""Stage 4, synthesis: the consolidated report, and the cycle closes."""

from __future__ import annotations

from datetime import datetime

from prefect import flow, task

from flows.common import emit_events, moment
from services import synthesis
from services.synthesis import Synthesized


@task(name="synthesize-cycle")
def synthesize_task(cycle: str, now: datetime, actor: str, leave_out: list[str]) -> Synthesized:
    return synthesis.synthesize(cycle, now=now, actor=actor, leave_out=leave_out)


@flow(name="synthesis")
def synthesis_flow(
    cycle: str,
    now: datetime | None = None,
    actor: str = "prefect",
    leave_out: list[str] | None = None,
) -> Synthesized:
    result = synthesize_task(cycle, moment(now), actor, leave_out or [])
    emit_events(result.events)
    return result
