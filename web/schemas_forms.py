"""Response models of the API's version, data-form and totals endpoints (documented in
the OpenAPI schema like every other JSON answer)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

Value = int | float | str | None


class DiffOpOut(BaseModel):
    tag: str  # equal | replace | delete | insert
    old: list[str]
    new: list[str]


class DiffSectionOut(BaseModel):
    code: str
    title: str
    change: str  # same | changed | added | removed
    unified: list[str]
    ops: list[DiffOpOut]


class DiffOut(BaseModel):
    task: int
    body: str
    version: int
    previous: int
    changed: list[str]
    sections: list[DiffSectionOut]


class FormCellOut(BaseModel):
    key: str
    name: str
    type: str
    unit: str | None
    value: Value


class FormValuesOut(BaseModel):
    form: str
    title: str
    values: dict[str, Value]
    source_name: str | None
    carried_from: int | None
    entry: int
    cells: list[FormCellOut]


class TotalCellOut(BaseModel):
    key: str
    name: str
    unit: str | None
    type: str
    total: Value
    reported: list[str]
    missing: list[str]
    derived: bool


class TotalBodyOut(BaseModel):
    code: str
    name: str
    values: dict[str, Value] | None


class TotalFormOut(BaseModel):
    code: str
    title: str
    table: bool
    cells: list[TotalCellOut]
    not_sent: list[str]
    bodies: list[TotalBodyOut]


class CycleTotalsOut(BaseModel):
    cycle: int
    ref: str
    program_title: str
    period_label: str
    forms: list[TotalFormOut]


__all__: list[Any] = [
    "CycleTotalsOut",
    "DiffOut",
    "FormValuesOut",
]
