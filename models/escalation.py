"""Reminders and escalation steps that fired, and the notifications they produced."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column
from sqlmodel import Field, SQLModel, UniqueConstraint

from models.types import JSONType, UTCDateTime


class Escalation(SQLModel, table=True):
    """One rung of a task's ladder that fired. The unique key makes firing idempotent.

    Rungs skipped because a later one was due at the same sweep (catch-up) have
    no row: the task's ``rungs_done`` counts them and the audit record names them."""

    __table_args__ = (UniqueConstraint("task_id", "epoch", "step", name="uq_escalation_step"),)

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id")  # looked up through the unique key's prefix
    epoch: int
    step: str = Field(max_length=32)  # "reminder-2", "level-1", …
    kind: str = Field(max_length=16)  # reminder | escalation
    level: int  # 0 for reminders
    due_at: datetime = Field(sa_type=UTCDateTime)
    fired_at: datetime = Field(sa_type=UTCDateTime)
    recipients: list[str] = Field(sa_column=Column(JSONType, nullable=False))
    message: str


class Notification(SQLModel, table=True):
    """The outbox: every message is written here first, then delivered if a channel exists."""

    id: int | None = Field(default=None, primary_key=True)
    escalation_id: int | None = Field(default=None, foreign_key="escalation.id", unique=True)
    created_at: datetime = Field(sa_type=UTCDateTime)
    recipients: list[str] = Field(sa_column=Column(JSONType, nullable=False))
    subject: str
    body: str
    status: str = Field(default="pending", max_length=16, index=True)  # pending|sending|sent|failed
    attempts: int = 0
    claimed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    next_attempt_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # after a failure
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    error: str | None = None
