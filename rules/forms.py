"""Data forms (biểu mẫu): their cells, checking a body's values, and summing them.

A program declares forms (rules.specs.FormSpec, stored as its ``model_dump``).
A form is a list of indicators (chỉ tiêu), or a table whose rows are crossed
with its indicators. Each **cell** has a key: the indicator's code, or
``ROW.COLUMN`` in a table. A body's values for a form are a mapping from cell
key to a number or a text: that is what a version stores, whatever it came from
(an Excel template, the web form).

Checking speaks Vietnamese, one line per wrong cell, naming the sheet, the
cell, the indicator and what was expected. Summing adds each numeric cell over
the accepted bodies and names, per cell, the bodies without a value; a
percentage or a rate with declared parts is recomputed from the parts' sums.
The sums of a cycle (:meth:`FormTotals.as_values`) have the shape of one
body's values, so a roll-up can take a child cycle's totals as one input.

This module is pure: the template's layout is here so that the writer
(services.forms) and the reader agree, but neither file is touched here.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from rules.errors import UserError
from rules.text import clean

INFO_SHEET = "_phoihop"  # the hidden sheet that says which program and form a workbook is
HEADER_ROW = 7  # 1-based, both layouts
FIRST_ROW = 8  # a list form's first indicator
TABLE_CODES_ROW = 8  # a table form: the columns' codes…
TABLE_FIRST_ROW = 9  # …then its rows
VALUE_COLUMN = 5  # a list form: E holds the values
TABLE_FIRST_COLUMN = 4  # a table form: D onwards
MAX_TEXT = 2000
MAX_NUMBER = 10**15
"""Beyond Excel's 15 significant digits a figure is a typing slip, and a 400-digit one
broke the summed workbook (and past 4,300 digits, the digest of the values)."""
MAX_PROBLEMS_SHOWN = 20

TYPE_VI = {
    "integer": "số nguyên",
    "decimal": "số",
    "percentage": "tỷ lệ phần trăm",
    "text": "văn bản",
}


@dataclass(frozen=True)
class Cell:
    """One value of a form: ``key`` is the indicator's code (``ROW.CODE`` in a table);
    ``indicator`` the declaration of its indicator (the table's column)."""

    key: str
    indicator: dict[str, Any]
    row: dict[str, Any] | None = None

    @property
    def name(self) -> str:
        own = self.indicator["name"]
        return f"{self.row['name']} — {own}" if self.row else own

    @property
    def numeric(self) -> bool:
        return self.indicator["type"] != "text"

    @property
    def parts(self) -> tuple[str, str] | None:
        """The cells this one is recomputed from, as (numerator, denominator) keys."""
        num, den = self.indicator.get("numerator"), self.indicator.get("denominator")
        if not num or not den:
            return None
        prefix = f"{self.row['code']}." if self.row else ""
        return prefix + num, prefix + den


def cells(form: Mapping[str, Any]) -> list[Cell]:
    """The form's cells, row by row (a list form: its indicators in order)."""
    rows = form.get("rows")
    if not rows:
        return [Cell(i["code"], i) for i in form["indicators"]]
    return [Cell(f"{r['code']}.{i['code']}", i, r) for r in rows for i in form["indicators"]]


def digest(form: Mapping[str, Any]) -> str:
    """A short name for this exact declaration, written into its templates."""
    canonical = json.dumps(form, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def values_digest(values: Mapping[str, Any]) -> str:
    canonical = json.dumps(values, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def column_letter(n: int) -> str:
    """1 → A, 27 → AA."""
    out = ""
    while n:
        n, rest = divmod(n - 1, 26)
        out = chr(65 + rest) + out
    return out


def layout(form: Mapping[str, Any]) -> dict[str, tuple[int, int]]:
    """Where each cell's value sits in the form's sheet, as 1-based (row, column)."""
    rows = form.get("rows")
    if not rows:
        return {i["code"]: (FIRST_ROW + n, VALUE_COLUMN) for n, i in enumerate(form["indicators"])}
    return {
        f"{r['code']}.{i['code']}": (TABLE_FIRST_ROW + y, TABLE_FIRST_COLUMN + x)
        for y, r in enumerate(rows)
        for x, i in enumerate(form["indicators"])
    }


def expected(indicator: Mapping[str, Any]) -> str:
    """What a cell wants, in Vietnamese: "số nguyên từ 0 đến 10000 (hội nghị)"."""
    words = TYPE_VI[indicator["type"]]
    low, high = indicator.get("min"), indicator.get("max")
    if low is not None and high is not None:
        words += f" từ {_plain(low)} đến {_plain(high)}"
    elif low is not None:
        words += f" từ {_plain(low)} trở lên"
    elif high is not None:
        words += f" không quá {_plain(high)}"
    if indicator.get("unit") and indicator["type"] != "percentage":
        words += f" ({indicator['unit']})"
    return words


def _plain(number: Any) -> str:
    value = Decimal(str(number))
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


# -- checking values ---------------------------------------------------------------------


class FormRejected(UserError):
    """Some cells are wrong: one line each (``problems``), in Vietnamese."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        shown = problems[:MAX_PROBLEMS_SHOWN]
        more = len(problems) - len(shown)
        text = "\n".join(shown) + (f"\n… và {more} ô sai khác" if more > 0 else "")
        super().__init__(text)


_INT_GROUPED = re.compile(r"^[+-]?\d{1,3}(?:([.,  ])\d{3})(?:\1\d{3})*$")
_VN_DECIMAL = re.compile(r"^[+-]?\d{1,3}(?:\.\d{3})+,\d+$|^[+-]?\d+,\d+$")
_EN_DECIMAL = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+\.\d+$|^[+-]?\d+\.\d+$|^[+-]?\d+$")


def _number_of_text(text: str, integer: bool) -> Decimal | None:
    """A number as officials type it: ``1.234`` or ``1 234`` (thousands), ``12,5``
    (Vietnamese decimal comma) or ``12.5``; None if it is not a number."""
    text = text.strip().replace("\u00a0", " ")
    if not text:
        return None
    if integer and _INT_GROUPED.match(text):
        return Decimal(re.sub(r"[., ]", "", text))
    if _VN_DECIMAL.match(text):
        return Decimal(text.replace(".", "").replace(",", "."))
    if _EN_DECIMAL.match(text):
        return Decimal(text.replace(",", ""))
    return None


class Uncomputed(str):
    """A formula whose value the workbook does not hold (written by a program, never
    saved by Excel): a wrong cell, never a 0."""


def parse(value: Any, indicator: Mapping[str, Any], number_format: str = "") -> tuple[Any, bool]:
    """(value as stored, ok). An empty cell is (None, True); a wrong one (value, False).

    Excel gives numbers as floats (``12.0``); a cell formatted as a percentage holds
    its fraction (``0.85`` for 85 %)."""
    kind = indicator["type"]
    if isinstance(value, Uncomputed):
        return value, False
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, True
    if kind == "text":
        if isinstance(value, datetime | date | time):
            value = value.isoformat()
        text = " ".join(str(value).split()) if not isinstance(value, str) else value.strip()
        try:  # NFC like every other input (Excel on a Mac, Unikey may write NFD)
            text = clean(text, "the value")
        except UserError:
            return value, False  # a control character: named as a wrong cell
        return text, len(text) <= MAX_TEXT
    if isinstance(value, (bool, datetime | date | time)):
        return value, False
    if isinstance(value, int | float):
        if value != value or value in (float("inf"), float("-inf")):
            return value, False
        number = Decimal(str(value))
        if kind == "percentage" and "%" in (number_format or ""):
            number *= 100
    else:
        text = str(value).strip()
        percent = kind == "percentage" and text.endswith("%")
        number = _number_of_text(text.rstrip("%").strip() if percent else text, kind == "integer")
        if number is None:
            return value, False
    if not number.is_finite() or abs(number) >= MAX_NUMBER:
        return value, False
    if kind == "integer":
        if number != number.to_integral_value():
            return value, False
        stored: Any = int(number)
    else:
        integral = number == number.to_integral_value()
        stored = int(number) if integral else float(round(number, 6))
    low, high = indicator.get("min"), indicator.get("max")
    if (low is not None and number < Decimal(str(low))) or (
        high is not None and number > Decimal(str(high))
    ):
        return value, False
    return stored, True


def _shown(value: Any) -> str:
    text = value.isoformat() if isinstance(value, datetime | date | time) else str(value)
    text = " ".join(text.split())
    return text if len(text) <= 40 else text[:37] + "…"


_TOLERANCE = {100: Decimal("0.5"), 1: Decimal("0.005")}  # a given ratio may be rounded


def check(
    form: Mapping[str, Any],
    raw: Mapping[str, tuple[Any, str]],
    where: Mapping[str, str],
    sheet: str,
) -> dict[str, Any]:
    """A body's values for ``form`` from ``raw`` (cell key → (value, number format)),
    ``where`` naming each cell's place (``E9``, or a web field). Raises FormRejected
    with one Vietnamese line per wrong cell; returns the values to store (empty
    optional cells left out, a percentage left empty but with parts computed)."""
    problems: list[str] = []
    values: dict[str, Any] = {}
    for cell in cells(form):
        value, number_format = raw.get(cell.key, (None, ""))
        parsed, ok = parse(value, cell.indicator, number_format)
        label = f"Biểu {sheet}, ô {where.get(cell.key, cell.key)} ({cell.key} — {cell.name})"
        if not ok and isinstance(value, Uncomputed):
            problems.append(
                f"{label}: công thức {_shown(value)} chưa có giá trị tính sẵn; mở tệp bằng "
                "Excel, lưu lại rồi gửi (hoặc nhập số thay cho công thức)"
            )
        elif not ok:
            problems.append(f"{label}: cần {expected(cell.indicator)}, nhận được «{_shown(value)}»")
        elif parsed is not None:
            values[cell.key] = parsed
    for cell in cells(form):
        parts = cell.parts
        if parts is None:
            continue
        num, den = values.get(parts[0]), values.get(parts[1])
        if num is None or den is None:
            continue
        label = f"Biểu {sheet}, ô {where.get(cell.key, cell.key)} ({cell.key} — {cell.name})"
        scale = 100 if cell.indicator["type"] == "percentage" else 1
        if den == 0:
            if num:
                problems.append(f"{label}: {parts[1]} bằng 0 nhưng {parts[0]} khác 0")
            continue
        computed = round(Decimal(str(num)) * scale / Decimal(str(den)), 2)
        given = values.get(cell.key)
        if given is None:
            values[cell.key] = float(computed)
        elif abs(Decimal(str(given)) - computed) > _TOLERANCE[scale]:
            problems.append(
                f"{label}: {_shown(given)} không khớp với {parts[0]}/{parts[1]} "
                f"(= {_plain(computed)})"
            )
    for cell in cells(form):
        if cell.indicator.get("required", True) and cell.key not in values:
            label = f"Biểu {sheet}, ô {where.get(cell.key, cell.key)} ({cell.key} — {cell.name})"
            if not any(label in p for p in problems):
                problems.append(f"{label}: chưa nhập; cần {expected(cell.indicator)}")
    if problems:
        raise FormRejected(problems)
    return values


# -- summing -------------------------------------------------------------------------------


@dataclass
class CellTotal:
    """One cell summed over the bodies: ``total`` (None when nothing can be summed:
    a text, or a percentage without parts), who gave a value and who did not."""

    key: str
    name: str
    unit: str | None
    type: str
    total: Any
    reported: list[str]
    missing: list[str]
    derived: bool = False  # recomputed from its parts

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "name": self.name,
            "unit": self.unit,
            "type": self.type,
            "total": self.total,
            "reported": self.reported,
            "missing": self.missing,
            "derived": self.derived,
        }


@dataclass
class FormTotals:
    """A form summed over a cycle's accepted bodies (``bodies``: every participating
    body, code → name, in the program's order; ``values``: the accepted ones' values)."""

    code: str
    title: str
    form: dict[str, Any]
    bodies: dict[str, str]
    values: dict[str, dict[str, Any]]
    cells: list[CellTotal] = field(default_factory=list)
    not_sent: list[str] = field(default_factory=list)

    def as_values(self) -> dict[str, Any]:
        """The totals in the shape of one body's values: a roll-up's input."""
        return {c.key: c.total for c in self.cells if c.total is not None}

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "title": self.title,
            "table": bool(self.form.get("rows")),
            "cells": [c.as_dict() for c in self.cells],
            "not_sent": self.not_sent,
            "bodies": [
                {"code": code, "name": name, "values": self.values.get(code)}
                for code, name in self.bodies.items()
            ],
        }


def _as_number(total: Decimal, kind: str) -> Any:
    if kind == "integer":
        return int(total)
    value = float(round(total, 6))
    return int(value) if value == int(value) and kind == "decimal" else value


def sum_form(
    form: Mapping[str, Any],
    bodies: Mapping[str, str],
    entries: Mapping[str, Mapping[str, Any]],
) -> FormTotals:
    """Sum ``form`` over ``entries`` (accepted body code → its values for this form).

    Every body of ``bodies`` without an entry is missing from every cell; a body with
    an entry but no value in a cell is missing from that cell. Integers add as
    integers, decimals as decimals; a percentage or rate with parts is the parts'
    sums' ratio (None when the denominator sums to 0), one without parts is not
    summed (None)."""
    order = list(bodies)
    sent = [b for b in order if b in entries] + [b for b in entries if b not in bodies]
    totals = FormTotals(
        form["code"], form["title"], dict(form), dict(bodies), {b: dict(entries[b]) for b in sent}
    )
    totals.not_sent = [b for b in order if b not in entries]
    by_key: dict[str, CellTotal] = {}
    form_cells = cells(form)
    rows = [(b, entries[b]) for b in sent]
    for cell in form_cells:
        kind, key = cell.indicator["type"], cell.key
        given = [(b, v) for b, e in rows if (v := e.get(key)) is not None]
        reported = [b for b, _v in given]
        if len(given) == len(rows):  # the usual case: every body that sent the form filled it
            missing = list(totals.not_sent)
        else:
            have = set(reported)
            missing = [b for b in order if b not in have]
        total: Any = None
        if kind == "integer":
            total = sum(v if type(v) is int else int(v) for _b, v in given)
        elif kind == "decimal":
            exact = sum((Decimal(str(v)) for _b, v in given), Decimal(0))
            total = _as_number(exact, kind)
        by_key[cell.key] = CellTotal(
            cell.key, cell.name, cell.indicator.get("unit"), kind, total, reported, missing
        )
    for cell in form_cells:
        parts = cell.parts
        if parts is None:
            continue
        num, den = by_key[parts[0]], by_key[parts[1]]
        target = by_key[cell.key]
        target.derived = True
        target.missing = [b for b in order if b in set(num.missing) | set(den.missing)]
        target.reported = [b for b in sent if b not in set(target.missing)]
        if num.total is None or den.total is None or not den.total:
            target.total = None
            continue
        scale = 100 if cell.indicator["type"] == "percentage" else 1
        target.total = float(round(Decimal(str(num.total)) * scale / Decimal(str(den.total)), 2))
    totals.cells = [by_key[c.key] for c in form_cells]
    return totals


def sum_forms(
    forms: Sequence[Mapping[str, Any]],
    bodies: Mapping[str, str],
    entries: Mapping[str, Mapping[str, Mapping[str, Any]]],
) -> list[FormTotals]:
    """Every form of a program summed: ``entries`` is accepted body code → form code →
    values (a body that sent no form simply lacks it)."""
    return [
        sum_form(
            form, bodies, {b: e[form["code"]] for b, e in entries.items() if form["code"] in e}
        )
        for form in forms
    ]


# -- rendering ---------------------------------------------------------------------------


def number_vi(value: Any, kind: str = "decimal") -> str:
    """A number the Vietnamese way: ``12.345``, ``85,71``; ``—`` for None."""
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    number = Decimal(str(value))
    if kind == "integer" or number == number.to_integral_value():
        text = f"{int(number):,}".replace(",", ".")
    else:
        whole, _, frac = f"{number:.2f}".partition(".")
        text = f"{int(whole):,}".replace(",", ".") + "," + frac.rstrip("0")
        text = text.rstrip(",")
    return text + ("%" if kind == "percentage" else "")


def _names(codes: Sequence[str], bodies: Mapping[str, str], limit: int = 8) -> str:
    if not codes:
        return "—"
    shown = [bodies.get(c, c) for c in codes[:limit]]
    more = len(codes) - len(shown)
    return ", ".join(shown) + (f" và {more} cơ quan khác" if more > 0 else "")


def _md(text: str) -> str:
    return " ".join(str(text).replace("|", "\\|").split())


def summed_markdown(totals: Sequence[FormTotals], heading_level: int = 3) -> str:
    """The summed forms as Markdown for the consolidated report: per form, the bodies
    that sent none, then each indicator's total and the bodies lacking it."""
    out: list[str] = []
    mark = "#" * heading_level
    for t in totals:
        out.append(f"{mark} Biểu {t.code}: {_md(t.title)}")
        out.append("")
        sent = len(t.values)
        out.append(f"Số cơ quan đã gửi số liệu: {sent}/{len(t.bodies)}.")
        if t.not_sent:
            out.append(f"Chưa có số liệu (chưa gửi hoặc chưa được tiếp nhận): "
                       f"{_names(t.not_sent, t.bodies)}.")  # fmt: skip
        out.append("")
        not_sent = set(t.not_sent)
        out.append("| Mã | Chỉ tiêu | Đơn vị tính | Tổng cộng | Thiếu số liệu |")
        out.append("|---|---|---|---|---|")
        for c in t.cells:
            if c.type == "text":
                continue
            extra = [b for b in c.missing if b not in not_sent]
            total = number_vi(c.total, c.type)
            if c.derived and c.total is not None:
                total += " (tính lại)"
            unit = "%" if c.type == "percentage" else (c.unit or "")
            out.append(
                f"| {_md(c.key)} | {_md(c.name)} | {_md(unit)} | {total} | "
                f"{_md(_names(extra, t.bodies))} |"
            )
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n" if out else ""
