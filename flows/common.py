"""What every flow shares: the moment it acts at."""

from __future__ import annotations

from datetime import datetime

from services import clock


def moment(now: datetime | None) -> datetime:
    """The moment a flow acts at: the one given, else the (possibly simulated) clock."""
    return now if now is not None else clock.now()
