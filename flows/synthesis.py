"""Stage 4, synthesis: the consolidated report, and the cycle closes."""

from __future__ import annotations

from datetime import datetime

from prefect import flow, task

from flows.common import emit_events, moment
from services import synthesis
from services.synthesis import Synthesized


@task(name="synthesize-cycle")
def synthesize_task(cycle: str, now: datetime, actor: str) -> Synthesized:
    return synthesis.synthesize(cycle, now=now, actor=actor)


@flow(name="synthesis")
def synthesis_flow(cycle: str, now: datetime | None = None, actor: str = "prefect") -> Synthesized:
    result = synthesize_task(cycle, moment(now), actor)
    emit_events(result.events)
    return result
