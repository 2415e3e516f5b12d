"""Escalation: the sweep that reminds and urges, then delivers the outbox.

Its domain events (``phoihop.task.reminded``, ``.escalated``) reach Prefect
through the relay (flows.relay), from the audit records the sweep writes: a
national sweep fires 50,000 rungs, and emitting one event per rung from here
lost most of them.
"""

from __future__ import annotations

from datetime import datetime

from prefect import flow, task

from flows.common import moment
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
    """One sweep: fire what is due (plan, then short write batches), deliver messages."""
    at = moment(now)
    result = sweep_task(at)
    delivery = deliver_task(at)
    return result.as_dict() | {"delivery": delivery.as_dict()}
