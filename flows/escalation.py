"""Escalation: the sweep that reminds and urges, then delivers the outbox."""

from __future__ import annotations

from datetime import datetime

from prefect import flow, task

from flows.common import emit_events, moment
from services import escalation, notify
from services.escalation import SweepResult
from services.notify import Delivery


@task(name="fire-due-rungs")
def sweep_task(now: datetime) -> SweepResult:
    return escalation.sweep(now=now)


@task(name="deliver-outbox")
def deliver_task(now: datetime) -> Delivery:
    return notify.deliver(notify.configured_notifier(), now=now)


@flow(name="escalation-sweep")
def sweep_flow(now: datetime | None = None) -> dict[str, object]:
    """One sweep: fire what is due (one transaction), announce it, deliver messages."""
    at = moment(now)
    result = sweep_task(at)
    emit_events(result.events)
    delivery = deliver_task(at)
    return result.as_dict() | {"delivery": delivery.as_dict()}
