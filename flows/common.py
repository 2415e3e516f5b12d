"""Pieces every stage flow shares: the moment, and emitting domain events to Prefect."""

from __future__ import annotations

from datetime import datetime

from prefect import task

from services import clock
from services.events import DomainEvent, emit_to_prefect


def moment(now: datetime | None) -> datetime:
    """The moment a flow acts at: the one given, else the (possibly simulated) clock."""
    return now if now is not None else clock.now()


@task(name="emit-domain-events")
def emit_events(events: list[DomainEvent]) -> int:
    """Publish each domain event as a Prefect event so automations can react."""
    return emit_to_prefect(events)
