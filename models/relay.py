"""How far the audit log has been relayed to Prefect as events."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from models.types import UTCDateTime


class EventCursor(SQLModel, table=True):
    """A relay's watermark: every audit record up to ``last_audit_id`` has been emitted.

    ``gap_since`` is when (database time) the relay first met a hole right after
    the watermark: an id a still-running transaction holds, or one a rolled-back
    transaction used up. The relay waits for it a while, then steps over it.
    """

    name: str = Field(primary_key=True, max_length=32)
    last_audit_id: int = 0
    gap_since: datetime | None = Field(default=None, sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)
