"""What bodies send and what the coordinator decides. Rows are only ever added."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Column, LargeBinary
from sqlmodel import Field, SQLModel, UniqueConstraint

from models.types import JSONType, UTCDateTime


class Submission(SQLModel, table=True):
    """One version of a body's report; a resubmission is the next version."""

    __table_args__ = (UniqueConstraint("task_id", "version", name="uq_submission_version"),)

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", index=True)
    version: int
    submitted_at: datetime = Field(sa_type=UTCDateTime)
    submitted_by: str
    due_at: datetime = Field(sa_type=UTCDateTime)  # the deadline in force when sent
    on_time: bool
    content: str
    sections: list[dict[str, Any]] = Field(sa_column=Column(JSONType, nullable=False))
    sha256: str = Field(max_length=64)  # of ``content``, the text review and synthesis read
    # The report as the body sent it (its bytes are in SubmissionSource): docx, txt, md,
    # or "pasted" (typed into the web form: the content is the original). NULL for
    # versions recorded before phoihop kept sources.
    source_type: str | None = Field(default=None, max_length=16)
    source_name: str | None = None
    source_size: int | None = None
    source_sha256: str | None = Field(default=None, max_length=64)
    # What the report's top says of itself: issuer, number (Số), place, date, type,
    # summary, the request it cites (rules.reading.Header.as_dict).
    header: dict[str, Any] | None = Field(default=None, sa_column=Column(JSONType, nullable=True))
    # A coordinator's consolidated report fed up a level: the cycle it synthesized.
    from_cycle_id: int | None = Field(default=None, foreign_key="cycle.id", index=True)


class SubmissionSource(SQLModel, table=True):
    """The original file of a version, kept apart from the submission row so that
    reading versions (review, synthesis) never loads a 10 MiB Word file."""

    __tablename__ = "submission_source"

    id: int | None = Field(default=None, primary_key=True)
    submission_id: int = Field(foreign_key="submission.id", unique=True)
    content_type: str
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class Attachment(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    submission_id: int = Field(foreign_key="submission.id", index=True)
    filename: str
    content_type: str
    size: int
    sha256: str = Field(max_length=64)
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class Review(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", index=True)
    submission_id: int = Field(foreign_key="submission.id", unique=True)
    decision: str = Field(max_length=16)  # accepted | returned
    comment: str | None = None
    new_due_date: date | None = None
    reviewed_at: datetime = Field(sa_type=UTCDateTime)
    reviewer: str


class Extension(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", index=True)
    old_due_date: date
    new_due_date: date
    reason: str
    granted_at: datetime = Field(sa_type=UTCDateTime)
    granted_by: str


class Synthesis(SQLModel, table=True):
    """The consolidated report of a cycle, as it was sent up."""

    id: int | None = Field(default=None, primary_key=True)
    cycle_id: int = Field(foreign_key="cycle.id", unique=True)
    created_at: datetime = Field(sa_type=UTCDateTime)
    created_by: str
    markdown: str
    summary: list[dict[str, Any]] = Field(sa_column=Column(JSONType, nullable=False))
    # Frozen at synthesis: the report as issued (models.documents.Document holds the
    # .docx bytes); every later download is that file. None: closed before 0.2.
    document_id: int | None = Field(default=None, foreign_key="document.id")
    markdown_sha256: str | None = Field(default=None, max_length=64)
    docx_sha256: str | None = Field(default=None, max_length=64)
