"""Domain events to Prefect: the relay that reads the audit log (services.relay).

One flow run relays what accumulated since the last one, in batches POSTed to
Prefect's events API (each batch is accepted or the run fails, and the next
run starts from the same watermark). It runs on a schedule next to the sweep.
"""

from __future__ import annotations

from typing import Any

from prefect import flow, task

from services import relay


@task(name="relay-audit-events")
def relay_task(most: int) -> dict[str, Any]:
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:

        def emit(events: list[dict[str, Any]]) -> None:
            client.request("POST", "/events", json=events).raise_for_status()

        return relay.relay(emit, most=most).as_dict()


@flow(name="relay-events")
def relay_flow(most: int = 100_000) -> dict[str, Any]:
    """Emit the domain events recorded since the last run (at most ``most`` records)."""
    return relay_task(most)
