"""Programs: recurring reporting requirements, and which bodies take part."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Column
from sqlmodel import Field, SQLModel, UniqueConstraint

from models.types import JSONType, UTCDateTime


class Program(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, index=True, max_length=64)
    title: str
    legal_basis: str | None = None
    coordinator_id: int = Field(foreign_key="body.id")
    period_kind: str = Field(max_length=16)
    schedule: str | None = None  # RRule, read in Asia/Ho_Chi_Minh
    cutoff_start_day: int = 15
    provide_working_days: int
    review_working_days: int
    synthesis_working_days: int
    # Roll-up across levels: the program of the level above this one feeds (its
    # coordinator reports there), and the working days kept free between this
    # program's synthesis and its coordinator's deadline in that program.
    feeds_program_id: int | None = Field(default=None, foreign_key="program.id", index=True)
    margin_working_days: int = Field(default=1, sa_column_kwargs={"server_default": "1"})
    # What an extension of its coordinator's deadline above does to its open cycle:
    # "keep" its issued deadlines, or "follow" (worked back again, only ever later).
    parent_extension: str = Field(
        default="keep", max_length=8, sa_column_kwargs={"server_default": "keep"}
    )
    leadership_name: str | None = None
    leadership_email: str | None = None
    # Outline sections and escalation policy as validated by rules.program_spec.
    outline: list[dict[str, Any]] = Field(sa_column=Column(JSONType, nullable=False))
    escalation: dict[str, Any] = Field(sa_column=Column(JSONType, nullable=False))
    created_at: datetime = Field(sa_type=UTCDateTime)


class ProgramBody(SQLModel, table=True):
    """A participating body, in the order its section appears in the synthesis."""

    __table_args__ = (UniqueConstraint("program_id", "body_id"),)

    id: int | None = Field(default=None, primary_key=True)
    program_id: int = Field(foreign_key="program.id", index=True)
    body_id: int = Field(foreign_key="body.id")
    position: int
