"""Domain events a state change produces: recorded in the audit log, emitted to Prefect.

Services return them; the Prefect flows emit them (``phoihop.cycle.opened``,
``phoihop.task.escalated``, …) so automations can react. Without Prefect the
audit log still holds every one of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class DomainEvent:
    name: str  # "cycle.opened", "task.submitted", "task.accepted", "task.returned", …
    resource: str  # "phoihop.cycle.12", "phoihop.task.345"
    payload: dict[str, Any] = field(default_factory=dict)


def emit_to_prefect(events: list[DomainEvent]) -> int:
    """Publish each event as a Prefect event (``phoihop.<name>``); needs a Prefect API."""
    from prefect.events import emit_event

    for event in events:
        emit_event(
            event=f"phoihop.{event.name}",
            resource={"prefect.resource.id": event.resource},
            payload=event.payload,
        )
    return len(events)
