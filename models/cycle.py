"""Cycles (one program, one period) and the task each participating body gets."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel, UniqueConstraint

from models.types import UTCDateTime


class Cycle(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("program_id", "period", name="uq_cycle_program_period"),)

    id: int | None = Field(default=None, primary_key=True)
    program_id: int = Field(foreign_key="program.id", index=True)
    period: str = Field(max_length=16)  # canonical spec, e.g. "2024-H1"
    period_label: str  # "6 tháng đầu năm 2024"
    cutoff_start: date
    cutoff_end: date
    letter_no: str | None = None  # "310-CV/BTGTU"
    letter_date: date
    opened_at: datetime = Field(sa_type=UTCDateTime)
    provide_due: date
    review_due: date
    synthesis_due: date
    status: str = Field(default="open", max_length=16)  # open | synthesized
    synthesized_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # The cycle of the level above this one was opened for (its coordinator's task
    # there is what this cycle's synthesis feeds); None for a cycle at the top.
    parent_cycle_id: int | None = Field(default=None, foreign_key="cycle.id", index=True)
    # The program's terms it was opened under (outline, ladder, working days): it
    # keeps them when the program is updated (services.versions).
    program_version_id: int = Field(foreign_key="programversion.id", index=True)
    # An ad-hoc request's subject (báo cáo đột xuất; services.requests); None for a
    # cycle of a regular period.
    subject: str | None = None
    # Its tasks, counted when it opens (one per body asked; none is added or removed
    # later): the dashboards count a cycle's tasks by state from the ones no longer
    # pending, and the pending ones are this less those.
    task_count: int = Field(default=0, sa_column_kwargs={"server_default": "0"})


class Task(SQLModel, table=True):
    """One body's obligation in one cycle; its current state, summarised.

    The history lives in submissions, reviews, extensions, escalations and the
    audit log; these columns only summarise it so dashboards stay one query.

    ``next_rung_at`` is when the next rung of its urging ladder comes due (None
    when nothing more will fire: the report is in, the ladder is used up, or
    the cycle is closed). Every transition keeps it right in its own
    transaction, and the sweep reads only tasks whose moment has come.
    ``cycle_open`` copies the cycle's state so that tasks of closed cycles
    leave the index range the overdue lists read; that index also holds the
    cycle and body, so the overdue lists are counted and cut, for any reader's
    scope, without reading a task row. ``ix_task_cycle_buckets`` holds every
    column a cycle's four buckets are counted from, so the progress of a cycle
    of any size is read from the index alone (it also serves every lookup by
    cycle).
    """

    __table_args__ = (
        UniqueConstraint("cycle_id", "body_id", name="uq_task_cycle_body"),
        Index("ix_task_waiting_due", "cycle_open", "status", "due_at", "cycle_id", "body_id"),
        Index("ix_task_body_status", "body_id", "status"),
        Index("ix_task_cycle_buckets", "cycle_id", "status", "last_on_time", "due_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    cycle_id: int = Field(foreign_key="cycle.id")
    body_id: int = Field(foreign_key="body.id")
    status: str = Field(default="pending", max_length=16)
    due_date: date
    due_at: datetime = Field(sa_type=UTCDateTime)
    ladder_epoch: int = 0  # bumped by an extension or a return: the ladder restarts
    rungs_done: int = 0  # rungs of the current epoch fired or skipped (rules.escalation)
    next_rung_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    escalation_level: int = 0  # highest ladder level fired in the current epoch
    escalations: int = 0  # escalation rungs fired, every epoch: the compliance count
    cycle_open: bool = True
    versions: int = 0
    returns: int = 0
    last_submitted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_on_time: bool | None = None
    accepted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
