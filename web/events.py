"""Domain events from web actions, published to Prefect when one is configured.

The CLI runs stages as Prefect flows when ``PREFECT_API_URL`` is set; the web
calls the services directly (a flow run per click would cost seconds) and
hands the events they return to one background thread that emits them, so a
request never waits on Prefect. Without Prefect the audit log holds them all.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from services.events import DomainEvent, emit_to_prefect

log = logging.getLogger("phoihop.web")
_executor: ThreadPoolExecutor | None = None


def _emit(events: list[DomainEvent]) -> None:
    try:
        emit_to_prefect(events)
    except Exception:  # an unreachable Prefect must not break the web face
        log.exception("could not emit %d domain event(s) to Prefect", len(events))


def publish(events: Iterable[DomainEvent]) -> None:
    global _executor
    batch = list(events)
    if not batch or not os.environ.get("PREFECT_API_URL"):
        return
    if _executor is None:
        _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="phoihop-events")
    _executor.submit(_emit, batch)


def apply(change: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Run one state-changing service call and publish the domain events it returns."""
    done = change(*args, **kwargs)
    publish(done.events)
    return done
