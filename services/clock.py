"""The one place that reads the clock.

``PHOIHOP_NOW`` (set by ``--now`` or by the operator) pins the current time, so
a simulated clock drives the CLI, the scheduled flows and the web layer alike.
Everything below this module receives ``now`` as an argument.
"""

from __future__ import annotations

from datetime import UTC, datetime

from services import settings


def now() -> datetime:
    """The current moment as an aware UTC datetime, or the simulated one."""
    pinned = settings.current().now
    return pinned if pinned is not None else datetime.now(UTC)
