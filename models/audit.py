"""The audit log: one row per state change, written in the change's transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Column
from sqlmodel import Field, SQLModel

from models.types import JSONType, UTCDateTime


class AuditRecord(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_type=UTCDateTime, index=True)
    actor: str
    action: str = Field(max_length=48, index=True)  # "cycle.opened", "task.escalated", …
    cycle_id: int | None = Field(default=None, index=True)
    task_id: int | None = Field(default=None, index=True)
    detail: dict[str, Any] = Field(sa_column=Column(JSONType, nullable=False))
