"""Mergers: a body's successor from a date, and the tasks handed over to it.

2025's reorganisation merged provinces (two or three into one from 01/07/2025)
and abolished districts (their work going to a commune or the province). A
:class:`Succession` records that a body's work passes to another from a date,
under a decision; a :class:`Handover` records each open task that left a body
because of it. Both rows are only ever added (see services.succession).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Field, SQLModel, UniqueConstraint

from models.types import UTCDateTime


class Succession(SQLModel, table=True):
    """``predecessor``'s work passes to ``successor`` from ``effective_on``.

    A body has at most one successor (a province merged into one province; a
    district's body into one commune or province body), so the links form chains
    and a chain's end is where a body's work is now.
    """

    __table_args__ = (UniqueConstraint("predecessor_id", name="uq_succession_predecessor"),)

    id: int | None = Field(default=None, primary_key=True)
    predecessor_id: int = Field(foreign_key="body.id")
    successor_id: int = Field(foreign_key="body.id", index=True)
    effective_on: date  # the successor's first day with the predecessor's work
    decision: str | None = None  # "Nghị quyết số 202/2025/QH15 ngày 12/6/2025"
    recorded_at: datetime = Field(sa_type=UTCDateTime)
    recorded_by: str


class Handover(SQLModel, table=True):
    """One task that left ``from_body`` under a succession, who did it and when.

    ``into_task_id`` is None when the task itself moved to ``to_body`` (it had no
    task of its own in that cycle); otherwise the successor's own task, which
    carries on, while this one stays with ``from_body``, closed as handed over.
    """

    __tablename__ = "task_handover"
    __table_args__ = (UniqueConstraint("task_id", "from_body_id", name="uq_handover_task_from"),)

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", index=True)
    succession_id: int = Field(foreign_key="succession.id", index=True)
    from_body_id: int = Field(foreign_key="body.id")
    to_body_id: int = Field(foreign_key="body.id")
    into_task_id: int | None = Field(default=None, foreign_key="task.id")
    at: datetime = Field(sa_type=UTCDateTime)
    actor: str
