"""Data forms (biểu mẫu): what a program declares, and the values a version carries."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, LargeBinary
from sqlmodel import Field, SQLModel, UniqueConstraint

from models.types import JSONType


class ProgramForm(SQLModel, table=True):
    """One form of a program, as validated by rules.specs.FormSpec (``spec`` is its
    model_dump); ``digest`` names this declaration in the templates made from it, so a
    workbook made for another form, or another version of it, is recognised."""

    __tablename__ = "program_form"
    __table_args__ = (UniqueConstraint("program_id", "code", name="uq_program_form_code"),)

    id: int | None = Field(default=None, primary_key=True)
    program_id: int = Field(foreign_key="program.id", index=True)
    code: str = Field(max_length=32)
    position: int
    title: str
    spec: dict[str, Any] = Field(sa_column=Column(JSONType, nullable=False))
    digest: str = Field(max_length=64)


class FormEntry(SQLModel, table=True):
    """One form's values in one version of a body's report: ``values`` maps a cell
    (an indicator's code, or ``ROW.COLUMN`` in a table form) to its number or text.

    ``source_*`` is the workbook the values were read from (NULL when typed on the web
    or carried over); ``carried_from`` the version whose values a resubmission kept
    because it did not send this form again."""

    __tablename__ = "form_entry"
    __table_args__ = (UniqueConstraint("submission_id", "form_code", name="uq_form_entry"),)

    id: int | None = Field(default=None, primary_key=True)
    submission_id: int = Field(foreign_key="submission.id", index=True)
    form_code: str = Field(max_length=32)
    values: dict[str, Any] = Field(sa_column=Column(JSONType, nullable=False))
    sha256: str = Field(max_length=64)  # of the values, canonical JSON
    source_name: str | None = None
    source_sha256: str | None = Field(default=None, max_length=64)
    source_data: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    carried_from: int | None = None
