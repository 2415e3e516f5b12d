"""What phoihop issues and keeps as files: documents, their numbers, their signers.

- :class:`Document`: every file that leaves the building or is sent with a
  message: the consolidated report (frozen at synthesis: the bytes are stored
  and every later download is the same file), the urging letters and the
  leadership summaries the sweep asks for, the request letter a cycle was
  opened with. A letter is recorded by the sweep in state ``to_render`` and
  rendered later in bulk (services.letters); ``key`` makes each one once.
- :class:`RegisterEntry`: the register of numbers (sổ đăng ký văn bản đi): one
  row per number used, unique per issuer, sequence and series, so no number is
  given twice even by two processes at once; :class:`NumberSeries` is the
  counter the next number is drawn from, its row locked while it is drawn.
- :class:`OfficeHolder`: who held an office of a body between which dates, so a
  document is signed by whoever held it on the document's date.
- :class:`OutboxAttachment`: a document sent with an outbox message.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Column, Index, LargeBinary
from sqlmodel import Field, SQLModel, UniqueConstraint

from models.types import JSONType, UTCDateTime


class Document(SQLModel, table=True):
    __table_args__ = (Index("ix_document_state", "state", "kind"),)

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, max_length=96)  # "report:12", "urging:345", "summary:12:…"
    kind: str = Field(max_length=16)  # report | urging | summary | request
    state: str = Field(
        default="rendered", max_length=16
    )  # to_render | numbered | rendered | listed
    cycle_id: int | None = Field(default=None, foreign_key="cycle.id", index=True)
    task_id: int | None = Field(default=None, foreign_key="task.id", index=True)
    escalation_id: int | None = Field(
        default=None, foreign_key="escalation.id", unique=True
    )  # the rung an urging letter follows
    issuer_id: int | None = Field(default=None, foreign_key="body.id")
    regime: str | None = Field(default=None, max_length=8)  # party | state
    number: int | None = None
    symbol: str | None = Field(default=None, max_length=64)  # "312-CV/BTGTU"
    issued_on: date | None = None
    level: int | None = None  # the ladder level an urging letter is for
    due_date: date | None = None  # the deadline it follows up
    new_due: date | None = None  # the deadline it sets
    to_leadership: bool = False  # listed in the sweep's summary to leadership
    summary_id: int | None = Field(default=None, foreign_key="document.id")
    sweep_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    signer_name: str | None = None
    signer_title: str | None = None
    template: str | None = Field(default=None, max_length=160)  # name and sha256 used
    filename: str | None = None
    content_type: str | None = Field(default=None, max_length=128)
    data: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    sha256: str | None = Field(default=None, max_length=64)
    markdown: str | None = None
    markdown_sha256: str | None = Field(default=None, max_length=64)
    facts: dict[str, Any] | None = Field(default=None, sa_column=Column(JSONType, nullable=True))
    created_at: datetime = Field(sa_type=UTCDateTime)
    rendered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    error: str | None = None


class NumberSeries(SQLModel, table=True):
    """The last number drawn from one sequence of one issuer (rules.numbering)."""

    __tablename__ = "number_series"
    __table_args__ = (UniqueConstraint("issuer_id", "sequence", "series", name="uq_number_series"),)

    id: int | None = Field(default=None, primary_key=True)
    issuer_id: int = Field(foreign_key="body.id")
    sequence: str = Field(max_length=16)  # the type code (Party), "*" (State)
    series: str = Field(default="", max_length=32)  # the year (State), the term (Party)
    last: int = 0


class RegisterEntry(SQLModel, table=True):
    """A number used: by phoihop's register, or entered from the office's own system."""

    __tablename__ = "register_entry"
    __table_args__ = (
        UniqueConstraint("issuer_id", "sequence", "series", "number", name="uq_register_number"),
    )

    id: int | None = Field(default=None, primary_key=True)
    issuer_id: int = Field(foreign_key="body.id")
    sequence: str = Field(max_length=16)
    series: str = Field(default="", max_length=32)
    number: int
    type_code: str = Field(max_length=8)  # BC | CV
    symbol: str = Field(max_length=64)
    issued_on: date
    entered: bool = False  # given by the office (its e-office system), not drawn here
    document_id: int | None = Field(default=None, foreign_key="document.id", index=True)
    created_at: datetime = Field(sa_type=UTCDateTime)
    created_by: str


class OfficeHolder(SQLModel, table=True):
    """Someone who held an office of a body from ``valid_from`` to ``valid_to``
    (inclusive; open-ended while in office)."""

    __tablename__ = "office_holder"
    __table_args__ = (
        UniqueConstraint("body_id", "role", "name", "valid_from", name="uq_office_holder"),
    )

    id: int | None = Field(default=None, primary_key=True)
    body_id: int = Field(foreign_key="body.id", index=True)
    role: str = Field(max_length=16)  # head | deputy | acting
    name: str
    title: str  # "Trưởng ban", "Phó Trưởng ban"
    authority: str | None = None  # lines above the title, newline-separated (TM. …)
    valid_from: date
    valid_to: date | None = None
    created_at: datetime = Field(sa_type=UTCDateTime)


class OutboxAttachment(SQLModel, table=True):
    """A document sent with an outbox message (the urging letter, the request letter)."""

    __tablename__ = "outbox_attachment"
    __table_args__ = (UniqueConstraint("notification_id", "document_id", name="uq_outbox_file"),)

    id: int | None = Field(default=None, primary_key=True)
    notification_id: int = Field(foreign_key="notification.id", index=True)
    document_id: int = Field(foreign_key="document.id")
