"""Programs: recurring reporting requirements, and which bodies take part."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Column
from sqlmodel import Field, SQLModel, UniqueConstraint

from models.types import JSONType, UTCDateTime


class Program(SQLModel, table=True):
    """A program: what it is, who coordinates it, when it runs and what it feeds.

    Its terms (outline, ladder, working days, cut-off day) are not here: they live
    only in its :class:`ProgramVersion` rows, read through :mod:`services.versions`
    (a cycle's from the version it was opened under, the next cycle's and ``program
    list``'s from the latest), so they are kept in one place and cannot drift apart.
    ``period_kind`` ``adhoc`` marks a coordinator's program of ad-hoc requests
    (:mod:`services.requests`).
    """

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, index=True, max_length=64)
    title: str
    legal_basis: str | None = None
    coordinator_id: int = Field(foreign_key="body.id")
    period_kind: str = Field(max_length=16)
    schedule: str | None = None  # RRule, read in Asia/Ho_Chi_Minh
    # Roll-up across levels: the program of the level above this one feeds (its
    # coordinator reports there; the working days kept free before that deadline
    # are a term, ProgramVersion.margin_working_days).
    feeds_program_id: int | None = Field(default=None, foreign_key="program.id", index=True)
    # What an extension of its coordinator's deadline above does to its open cycle:
    # "keep" its issued deadlines, or "follow" (worked back again, only ever later).
    parent_extension: str = Field(
        default="keep", max_length=8, sa_column_kwargs={"server_default": "keep"}
    )
    leadership_name: str | None = None
    leadership_email: str | None = None
    created_at: datetime = Field(sa_type=UTCDateTime)


class ProgramBody(SQLModel, table=True):
    """A participating body, in the order its section appears in the synthesis."""

    __table_args__ = (UniqueConstraint("program_id", "body_id"),)

    id: int | None = Field(default=None, primary_key=True)
    program_id: int = Field(foreign_key="program.id", index=True)
    body_id: int = Field(foreign_key="body.id")
    position: int


class ProgramVersion(SQLModel, table=True):
    """The terms of a program from a day on: a row is written once and never changed,
    and the only place a program's terms are kept (its latest row is its current terms).

    ``program update`` adds one when the terms differ from the latest; a cycle is
    opened under its program's latest version and keeps it, so an old cycle's
    synthesis, letters, ladder and task form read what it was opened with. An ad-hoc
    request's own outline and ladder are a version of its coordinator's ad-hoc program.
    """

    __table_args__ = (
        UniqueConstraint("program_id", "version", name="uq_programversion_program_version"),
    )

    id: int | None = Field(default=None, primary_key=True)
    program_id: int = Field(foreign_key="program.id", index=True)
    version: int
    valid_from: date  # the first day cycles opened under it (the day it was made)
    cutoff_start_day: int
    provide_working_days: int
    review_working_days: int
    synthesis_working_days: int
    margin_working_days: int
    outline: list[dict[str, Any]] = Field(sa_column=Column(JSONType, nullable=False))
    escalation: dict[str, Any] = Field(sa_column=Column(JSONType, nullable=False))
    created_at: datetime = Field(sa_type=UTCDateTime)
