"""Data forms at the edge: the Excel template, reading a filled one, and a cycle's totals.

The template (XlsxWriter) is one sheet per form: the program, the body and the
period at the top, one row per indicator (a table form: one row per row, one
column per indicator), the cells to fill unlocked and yellow, each with
Excel's data validation (whole number, decimal, 0–100 %, text length) and a
Vietnamese prompt. A hidden sheet (``_phoihop``) names the program, the body,
the period and each form's declaration digest, so a workbook that is not the
program's template, or was made for another body, period or form version, is
refused as such.

A filled workbook is read with openpyxl in read-only mode after the zip checks
of :mod:`services.intake`. A formula is read as the value Excel stored for
it; a formula without one (a file never opened in Excel) is a wrong cell, never
a silent 0. What the values mean, and the sums, are :mod:`rules.forms`.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, select

from models import Body, Cycle, FormEntry, Program, ProgramBody, ProgramForm, Submission, Task
from rules import forms as rules
from rules.errors import NotFound, UserError
from rules.tasks import Status
from services import db
from services.intake import EXCEL, MAX_FILE_BYTES, content_types, open_zip, refuse_macros

MAX_FORM_FILES = 10  # workbooks per version


@dataclass(frozen=True)
class Identity:
    """Who a template is for, as written in its hidden sheet."""

    program: str
    program_title: str
    body: str | None = None
    body_name: str | None = None
    period: str | None = None
    period_label: str | None = None


# -- declarations -------------------------------------------------------------------------


def stored_forms(conn: Any, program_id: int) -> list[dict[str, Any]]:
    """A program's forms as declared, in their order."""
    rows = conn.execute(_DECLARED, {"program_id": program_id}).all()
    return [dict(spec) | {"digest": digest} for spec, digest in rows]


_F = ProgramForm.__table__.c
_DECLARED = (  # built once: every submission reads it
    select(_F.spec, _F.digest).where(_F.program_id == bindparam("program_id")).order_by(_F.position)
)


def form_rows(program_id: int, specs: Sequence[Any]) -> list[dict[str, Any]]:
    """The ``program_form`` rows for validated FormSpecs (services.registry inserts them
    with the program, in its transaction)."""
    out = []
    for position, spec in enumerate(specs):
        dumped = spec.model_dump()
        out.append(
            {"program_id": program_id, "code": spec.code, "position": position,
             "title": spec.title, "spec": dumped, "digest": rules.digest(dumped)}
        )  # fmt: skip
    return out


def program_forms(program_code: str) -> tuple[Program, list[dict[str, Any]]]:
    from services.registry import program_by_code

    with db.reading() as session:
        program = program_by_code(session, program_code)
        return program, stored_forms(session.connection(), program.id)


def pick(forms: Sequence[dict[str, Any]], code: str | None, program: str) -> list[dict[str, Any]]:
    if not forms:
        raise UserError(f"program {program} declares no data form")
    if code is None:
        return list(forms)
    chosen = [f for f in forms if f["code"] == code]
    if not chosen:
        known = ", ".join(f["code"] for f in forms)
        raise NotFound(f"program {program} has no form {code} (its forms: {known})")
    return chosen


# -- the template -------------------------------------------------------------------------


def template(
    program_code: str,
    *,
    form: str | None = None,
    body: str | None = None,
    period: str | None = None,
) -> bytes:
    """The Excel template of a program's form(s), for ``body`` and ``period`` if given."""
    from rules.periods import parse_period
    from services.registry import body_by_code

    program, forms = program_forms(program_code)
    chosen = pick(forms, form, program_code)
    body_name = None
    if body:
        with db.reading() as session:
            body_name = body_by_code(session, body).name
    label = None
    if period:
        parsed = parse_period(period)
        period, label = parsed.spec, parsed.label_vi
    who = Identity(program.code, program.title, body, body_name, period, label)
    return write_template(who, chosen)


def write_template(who: Identity, forms: Sequence[dict[str, Any]]) -> bytes:
    """The workbook (see the module's docstring)."""
    import xlsxwriter

    from services.exports import AS_TEXT

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, **AS_TEXT})
    book.set_properties({"title": f"Biểu mẫu {who.program}", "author": "phoihop"})
    fmt = _formats(book)
    for form in forms:
        sheet = book.add_worksheet(form["code"])
        _heading(sheet, fmt, who, form)
        if form.get("rows"):
            _table_sheet(sheet, fmt, form)
        else:
            _list_sheet(sheet, fmt, form)
        sheet.protect("", {"format_columns": True, "format_rows": True})
    info = book.add_worksheet(rules.INFO_SHEET)
    rows = [
        ("program", who.program), ("body", who.body or ""), ("period", who.period or ""),
        *(("form", f["code"], f.get("digest") or rules.digest(_declared(f))) for f in forms),
    ]  # fmt: skip
    for y, row in enumerate(rows):
        info.write_row(y, 0, row)
    info.hide()
    book.worksheets()[0].activate()
    book.close()
    return out.getvalue()


def _declared(form: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in form.items() if k != "digest"}


def _formats(book: Any) -> dict[str, Any]:
    base = {"font_name": "Times New Roman", "font_size": 12, "valign": "vcenter"}
    return {
        "title": book.add_format(base | {"bold": True, "font_size": 14}),
        "note": book.add_format(base | {"italic": True, "font_size": 11}),
        "head": book.add_format(
            base
            | {
                "bold": True,
                "border": 1,
                "text_wrap": True,
                "align": "center",
                "bg_color": "#D9E1F2",
            }
        ),  # fmt: skip
        "cell": book.add_format(base | {"border": 1, "text_wrap": True}),
        "code": book.add_format(base | {"border": 1, "font_size": 10, "font_color": "#555555"}),
        "input": book.add_format(base | {"border": 1, "locked": False, "bg_color": "#FFF2CC"}),
    }


def _heading(sheet: Any, fmt: dict[str, Any], who: Identity, form: Mapping[str, Any]) -> None:
    sheet.write(0, 0, f"BIỂU MẪU {form['code']}: {form['title'].upper()}", fmt["title"])
    sheet.write(1, 0, f"Chương trình: {who.program_title} ({who.program})", fmt["note"])
    body = f"{who.body_name} ({who.body})" if who.body else "…………………………"
    sheet.write(2, 0, f"Cơ quan báo cáo: {body}", fmt["note"])
    period = f"{who.period_label} ({who.period})" if who.period else "…………………………"
    sheet.write(3, 0, f"Kỳ báo cáo: {period}", fmt["note"])
    sheet.write(
        4, 0, "Nhập số liệu vào các ô màu vàng; không thêm, xóa hay đổi chỗ dòng, cột.",
        fmt["note"],
    )  # fmt: skip


def _validation(indicator: Mapping[str, Any]) -> dict[str, Any]:
    kind = indicator["type"]
    prompt = rules.expected(indicator)
    if not indicator.get("required", True):
        prompt += " (không bắt buộc)"
    rule: dict[str, Any] = {
        "input_title": indicator["code"][:32],
        "input_message": prompt[:255],
        "error_title": "Số liệu chưa đúng",
        "error_message": f"Cần {prompt}"[:255],
        "ignore_blank": True,
    }
    if kind == "text":
        return rule | {"validate": "length", "criteria": "<=", "value": rules.MAX_TEXT}
    low, high = indicator.get("min"), indicator.get("max")
    rule["validate"] = "integer" if kind == "integer" else "decimal"
    cast = int if kind == "integer" else float
    if low is not None and high is not None:
        return rule | {"criteria": "between", "minimum": cast(low), "maximum": cast(high)}
    if low is not None:
        return rule | {"criteria": ">=", "value": cast(low)}
    if high is not None:
        return rule | {"criteria": "<=", "value": cast(high)}
    bound = 10**15
    return rule | {"criteria": "between", "minimum": cast(-bound), "maximum": cast(bound)}


def _list_sheet(sheet: Any, fmt: dict[str, Any], form: Mapping[str, Any]) -> None:
    top = rules.HEADER_ROW - 1
    heads = ["STT", "Mã", "Chỉ tiêu", "Đơn vị tính", "Số liệu", "Yêu cầu"]
    sheet.write_row(top, 0, heads, fmt["head"])
    for n, indicator in enumerate(form["indicators"]):
        y = rules.FIRST_ROW - 1 + n
        unit = "%" if indicator["type"] == "percentage" else indicator.get("unit") or ""
        need = ("Bắt buộc; " if indicator.get("required", True) else "") + rules.expected(indicator)
        sheet.write(y, 0, n + 1, fmt["cell"])
        sheet.write(y, 1, indicator["code"], fmt["code"])
        sheet.write(y, 2, indicator["name"], fmt["cell"])
        sheet.write(y, 3, unit, fmt["cell"])
        sheet.write_blank(y, rules.VALUE_COLUMN - 1, None, fmt["input"])
        sheet.write(y, 5, need, fmt["code"])
        sheet.data_validation(y, rules.VALUE_COLUMN - 1, y, rules.VALUE_COLUMN - 1,
                              _validation(indicator))  # fmt: skip
    sheet.set_column(0, 0, 5)
    sheet.set_column(1, 1, 12)
    sheet.set_column(2, 2, 60)
    sheet.set_column(3, 3, 14)
    sheet.set_column(4, 4, 16)
    sheet.set_column(5, 5, 40)
    sheet.freeze_panes(rules.FIRST_ROW - 1, 0)


def _table_sheet(sheet: Any, fmt: dict[str, Any], form: Mapping[str, Any]) -> None:
    top = rules.HEADER_ROW - 1
    columns = form["indicators"]
    heads = ["STT", "Mã", "Nội dung"] + [
        f"{c['name']} ({'%' if c['type'] == 'percentage' else c.get('unit') or ''})".replace(
            " ()", ""
        )
        for c in columns
    ]
    sheet.write_row(top, 0, heads, fmt["head"])
    sheet.write_row(rules.TABLE_CODES_ROW - 1, 0, ["", "", "Mã cột →"], fmt["code"])
    sheet.write_row(
        rules.TABLE_CODES_ROW - 1, rules.TABLE_FIRST_COLUMN - 1, [c["code"] for c in columns],
        fmt["code"],
    )  # fmt: skip
    first = rules.TABLE_FIRST_ROW - 1
    for n, row in enumerate(form["rows"]):
        y = first + n
        sheet.write(y, 0, n + 1, fmt["cell"])
        sheet.write(y, 1, row["code"], fmt["code"])
        sheet.write(y, 2, row["name"], fmt["cell"])
        for x in range(len(columns)):
            sheet.write_blank(y, rules.TABLE_FIRST_COLUMN - 1 + x, None, fmt["input"])
    last = first + len(form["rows"]) - 1
    for x, column in enumerate(columns):
        col = rules.TABLE_FIRST_COLUMN - 1 + x
        sheet.data_validation(first, col, last, col, _validation(column))
        sheet.set_column(col, col, 16)
    sheet.set_column(0, 0, 5)
    sheet.set_column(1, 1, 12)
    sheet.set_column(2, 2, 45)
    sheet.freeze_panes(first, rules.TABLE_FIRST_COLUMN - 1)


# -- reading a filled workbook ------------------------------------------------------------


def read_workbook(
    filename: str,
    data: bytes,
    forms: Sequence[dict[str, Any]],
    *,
    program: str,
    body: str | None = None,
    period: str | None = None,
) -> dict[str, dict[str, Any]]:
    """The values of each form the workbook holds (form code → values), checked.

    Refused as a whole, in one line, when it is not a workbook, not this program's
    template, or made for another body or period; refused with one line per wrong
    cell (rules.forms.FormRejected) otherwise."""
    name = filename or "form.xlsx"
    if name.lower().endswith((".xlsm", ".xltm")):
        raise UserError(f"{name}: a macro-enabled workbook is refused; save it as .xlsx")
    if not data.startswith(b"PK\x03\x04"):
        from services.intake import refuse_container

        refuse_container(name, data, ".xlsx")
        raise UserError(f"{name}: not an Excel workbook (.xlsx)")
    archive = open_zip(name, data, ".xlsx", MAX_FILE_BYTES)
    types = content_types(name, archive, ".xlsx")
    refuse_macros(name, types, archive, ".xlsx")
    if EXCEL not in types:
        raise UserError(f"{name}: not an Excel workbook (.xlsx)")
    book = _open(name, data, formulas=True)
    with _readable(name), contextlib.closing(book):
        info = _info(name, book, program)
        if body and info.get("body") and info["body"] != body:
            raise UserError(
                f"{name}: biểu mẫu này lập cho cơ quan {info['body']}, không phải {body}"
            )
        if period and info.get("period") and info["period"] != period:
            raise UserError(
                f"{name}: biểu mẫu này lập cho kỳ {info['period']}, không phải {period}"
            )
        declared = {f["code"]: f for f in forms}
        found: dict[str, dict[str, Any]] = {}
        raw_all: dict[str, dict[str, tuple[Any, str]]] = {}
        where_all: dict[str, dict[str, str]] = {}
        formulas: dict[str, list[str]] = {}
        for code, form_digest in info["forms"]:
            form = declared.get(code)
            if form is None:
                raise UserError(f"{name}: chương trình {program} không có biểu mẫu {code}")
            if form_digest != (form.get("digest") or rules.digest(_declared(form))):
                raise UserError(
                    f"{name}: biểu mẫu {code} được tạo từ một phiên bản khác của biểu mẫu; "
                    f"hãy tải mẫu mới (phoihop program form-template {program} --form {code})"
                )
            if code not in book.sheetnames:
                raise UserError(f"{name}: thiếu trang {code} của biểu mẫu")
            raw, where, pending = _read_sheet(name, book[code], form)
            raw_all[code], where_all[code] = raw, where
            if pending:
                formulas[code] = pending
    if formulas:
        _formula_values(name, data, declared, formulas, raw_all)
    problems: list[str] = []
    for code, raw in raw_all.items():
        try:
            found[code] = rules.check(declared[code], raw, where_all[code], code)
        except rules.FormRejected as exc:
            problems.extend(exc.problems)
    if problems:
        raise rules.FormRejected(problems)
    return found


@contextlib.contextmanager
def _readable(name: str) -> Iterator[None]:
    """openpyxl in read-only mode parses each sheet only when it is read, so a damaged
    sheet fails there, not at opening: the same one line as a workbook that does not open."""
    try:
        yield
    except UserError:
        raise
    except Exception as exc:  # XML, value and key errors of a sheet's damaged XML
        raise UserError(f"{name}: not a readable Excel workbook ({type(exc).__name__})") from None


def _open(name: str, data: bytes, *, formulas: bool) -> Any:
    import openpyxl

    try:
        return openpyxl.load_workbook(
            io.BytesIO(data), read_only=True, data_only=not formulas, keep_links=False
        )
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise UserError(f"{name}: not a readable Excel workbook ({type(exc).__name__})") from None


def _info(name: str, book: Any, program: str) -> dict[str, Any]:
    not_template = (
        f"{name}: không phải biểu mẫu của chương trình {program}; hãy tải mẫu "
        f"(phoihop program form-template {program}) và nhập số liệu vào đó"
    )
    if rules.INFO_SHEET not in book.sheetnames:
        raise UserError(not_template)
    info: dict[str, Any] = {"forms": []}
    for row in book[rules.INFO_SHEET].iter_rows(max_row=200, max_col=3, values_only=True):
        key = row[0] if row else None
        if key == "form":
            info["forms"].append((str(row[1] or ""), str(row[2] or "")))
        elif key in ("program", "body", "period"):
            info[key] = str(row[1] or "")
    if info.get("program") != program or not info["forms"]:
        raise UserError(not_template)
    return info


def _grid(sheet: Any, first_row: int, last_row: int, last_col: int) -> dict[tuple[int, int], Any]:
    """The sheet's cells in a rectangle, by 1-based (row, column); read-only mode pads
    short rows with empty cells that know no place, so places are counted here."""
    grid: dict[tuple[int, int], Any] = {}
    rows = sheet.iter_rows(min_row=first_row, max_row=last_row, min_col=1, max_col=last_col)
    for y, row in enumerate(rows, start=first_row):
        for x, cell in enumerate(row, start=1):
            grid[(y, x)] = cell
    return grid


def _read_sheet(
    name: str, sheet: Any, form: Mapping[str, Any]
) -> tuple[dict[str, tuple[Any, str]], dict[str, str], list[str]]:
    """(cell key → (value, number format), cell key → "E9", keys holding formulas)."""
    places = rules.layout(form)
    bottom = max(y for y, _x in places.values())
    right = max(x for _y, x in places.values())
    first_row = rules.TABLE_CODES_ROW if form.get("rows") else rules.FIRST_ROW
    grid = _grid(sheet, first_row, bottom, right)

    def text_at(y: int, x: int) -> str:
        cell = grid.get((y, x))
        return str(getattr(cell, "value", None) or "").strip()

    expected: list[tuple[int, int, str]]
    if form.get("rows"):
        expected = [
            (rules.TABLE_CODES_ROW, rules.TABLE_FIRST_COLUMN + x, c["code"])
            for x, c in enumerate(form["indicators"])
        ] + [(rules.TABLE_FIRST_ROW + y, 2, r["code"]) for y, r in enumerate(form["rows"])]
    else:
        expected = [(rules.FIRST_ROW + n, 2, i["code"]) for n, i in enumerate(form["indicators"])]
    for y, x, code in expected:
        if text_at(y, x) != code:
            raise UserError(
                f"{name}: trang {form['code']} không đúng mẫu: ô {rules.column_letter(x)}{y} "
                f"phải là mã {code} (dòng hay cột đã bị thêm, xóa hoặc đổi chỗ)"
            )
    raw: dict[str, tuple[Any, str]] = {}
    where: dict[str, str] = {}
    pending: list[str] = []
    for key, (y, x) in places.items():
        cell = grid.get((y, x))
        value = getattr(cell, "value", None)
        number_format = getattr(cell, "number_format", "") or ""
        where[key] = f"{rules.column_letter(x)}{y}"
        if isinstance(value, str) and value.startswith("="):
            pending.append(key)
        raw[key] = (value, number_format)
    return raw, where, pending


def _formula_values(
    name: str,
    data: bytes,
    declared: Mapping[str, Mapping[str, Any]],
    formulas: Mapping[str, list[str]],
    raw_all: dict[str, dict[str, tuple[Any, str]]],
) -> None:
    """Replace each formula by the value Excel stored for it. One it never computed (a
    file written by a program, not saved by Excel) stays a text, so the check names
    the cell: a formula is never taken as 0."""
    book = _open(name, data, formulas=False)
    with _readable(name), contextlib.closing(book):
        for code, keys in formulas.items():
            places = rules.layout(declared[code])
            rows = [places[k][0] for k in keys]
            right = max(places[k][1] for k in keys)
            grid = _grid(book[code], min(rows), max(rows), right)
            for key in keys:
                formula, number_format = raw_all[code][key]
                cached = getattr(grid.get(places[key]), "value", None)
                value = cached if cached is not None else rules.Uncomputed(formula)
                raw_all[code][key] = (value, number_format)


# -- stored values ----------------------------------------------------------------------


def version_forms(task_id: int, version: int | None = None) -> list[dict[str, Any]]:
    """The form values a task's version carries (default: the latest), each with its
    form's declaration, for the reviewer."""
    with db.reading() as session:
        conn = session.connection()
        row = _task_program(conn, task_id)
        declared = {f["code"]: f for f in stored_forms(conn, row.program_id)}
        wanted = version or row.versions
        entries = _entries(conn, task_id, wanted)
    return _valued(declared, entries.get(wanted, []))


def task_forms(task_id: int) -> tuple[dict[int, list[dict[str, Any]]], list[dict[str, Any]]]:
    """What the task page shows of forms, in one read: every version's values (as
    :func:`version_forms`, by version number) and the program's forms, each with its
    cells and the latest version's values (the form to fill)."""
    with db.reading() as session:
        conn = session.connection()
        row = _task_program(conn, task_id)
        forms = stored_forms(conn, row.program_id)
        entries = _entries(conn, task_id) if forms else {}
    declared = {f["code"]: f for f in forms}
    by_version = {n: _valued(declared, entries.get(n, [])) for n in range(1, row.versions + 1)}
    return by_version, _with_cells(forms, by_version.get(row.versions, []))


def _entries(conn: Any, task_id: int, version: int | None = None) -> dict[int, list[Any]]:
    """The task's form entries of ``version`` (every version's when None), by version, in
    entry order."""
    e, s = FormEntry.__table__.c, Submission.__table__.c
    query = (
        select(s.version, e.form_code, e["values"], e.source_name, e.carried_from, e.id)
        .join(Submission.__table__, s.id == e.submission_id)
        .where(s.task_id == task_id)
        .order_by(e.id)
    )
    if version is not None:
        query = query.where(s.version == version)
    found: dict[int, list[Any]] = {}
    for version, *entry in conn.execute(query):
        found.setdefault(version, []).append(entry)
    return found


def _valued(declared: dict[str, dict[str, Any]], entries: list[Any]) -> list[dict[str, Any]]:
    out = []
    for code, values, source_name, carried_from, entry_id in entries:
        form = declared.get(code)
        if form is None:
            continue
        out.append(
            {"form": code, "title": form["title"], "values": values, "source_name": source_name,
             "carried_from": carried_from, "entry": entry_id,
             "cells": [{"key": cell.key, "name": cell.name, "type": cell.indicator["type"],
                        "unit": cell.indicator.get("unit"), "value": values.get(cell.key)}
                       for cell in rules.cells(form)]}
        )  # fmt: skip
    return out


def _task_program(conn: Any, task_id: int) -> Any:
    t, c, b = Task.__table__.c, Cycle.__table__.c, Body.__table__.c
    row = conn.execute(
        select(c.program_id, c.period, b.code, t.versions)
        .select_from(Task.__table__.join(Cycle.__table__, c.id == t.cycle_id)
                     .join(Body.__table__, b.id == t.body_id))
        .where(t.id == task_id)
    ).first()  # fmt: skip
    if row is None:
        raise NotFound(f"unknown task: {task_id}")
    return row


def _with_cells(forms: list[dict[str, Any]], latest: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The program's forms, each with its cells (for the web's form) and the values of
    ``latest`` (the task's latest version's entries, none before a first version)."""
    values = {f["form"]: f["values"] for f in latest}
    return [
        form | {"cells": [{"key": cell.key, "name": cell.name, "type": cell.indicator["type"],
                           "unit": cell.indicator.get("unit"),
                           "required": cell.indicator.get("required", True),
                           "expected": rules.expected(cell.indicator),
                           "value": values.get(form["code"], {}).get(cell.key)}
                          for cell in rules.cells(form)],
                "table": bool(form.get("rows"))}
        for form in forms
    ]  # fmt: skip


def task_template(task_id: int, code: str) -> tuple[str, bytes]:
    """A form's template made out to the task's body and period: (file name, bytes)."""
    with db.reading() as session:
        conn = session.connection()
        row = _task_program(conn, task_id)
        program = session.get(Program, row.program_id)
        assert program is not None
        program_code = program.code
    data = template(program_code, form=code, body=row.code, period=row.period)
    return f"bieu-mau-{code}-{row.code}-{row.period}.xlsx", data


def entry_workbook(task_id: int, version: int, form_code: str) -> tuple[str, bytes]:
    """The workbook a version's form values were read from, as sent."""
    e, s = FormEntry.__table__.c, Submission.__table__.c
    with db.reading() as session:
        row = (
            session.connection()
            .execute(
                select(e.source_name, e.source_data)
                .join(Submission.__table__, s.id == e.submission_id)
                .where(s.task_id == task_id, s.version == version, e.form_code == form_code)
            )
            .first()
        )
    if row is None or row.source_data is None:
        raise NotFound(f"task {task_id} v{version} has no workbook for form {form_code}")
    return row.source_name or f"{form_code}.xlsx", bytes(row.source_data)


# -- a cycle's totals -------------------------------------------------------------------


@dataclass
class CycleTotals:
    """Every form of a cycle's program summed over its accepted bodies."""

    cycle_id: int
    ref: str
    program_title: str
    period_label: str
    forms: list[rules.FormTotals]

    def as_dict(self) -> dict[str, Any]:
        return {
            "cycle": self.cycle_id,
            "ref": self.ref,
            "program_title": self.program_title,
            "period_label": self.period_label,
            "forms": [f.as_dict() for f in self.forms],
        }

    def markdown(self, heading_level: int = 3) -> str:
        return rules.summed_markdown(self.forms, heading_level)


def cycle_totals(cycle_ref_or_id: str | int) -> CycleTotals:
    """The summed forms of a cycle: each indicator over the bodies whose report is
    accepted (their latest version's values), with the bodies missing per indicator.
    Every participating body is listed, in the program's order."""
    from services.cycles import resolve_cycle

    e, s, t = FormEntry.__table__.c, Submission.__table__.c, Task.__table__.c
    b, pb = Body.__table__.c, ProgramBody.__table__.c
    with db.reading() as session:
        cycle, program = resolve_cycle(session, str(cycle_ref_or_id))
        conn = session.connection()
        forms = stored_forms(conn, program.id)
        bodies = dict(
            conn.execute(
                select(b.code, b.name)
                .select_from(Task.__table__.join(Body.__table__, b.id == t.body_id))
                .join(
                    ProgramBody.__table__,
                    (pb.body_id == b.id) & (pb.program_id == program.id),
                    isouter=True,
                )
                .where(t.cycle_id == cycle.id)
                .order_by(pb.position, b.code)
            ).all()
        )
        entries: dict[str, dict[str, dict[str, Any]]] = {}
        if forms:
            for code, form_code, values in conn.execute(
                select(b.code, e.form_code, e["values"])
                .select_from(
                    FormEntry.__table__.join(Submission.__table__, s.id == e.submission_id)
                    .join(Task.__table__, (t.id == s.task_id) & (t.versions == s.version))
                    .join(Body.__table__, b.id == t.body_id)
                )
                .where(t.cycle_id == cycle.id, t.status == Status.ACCEPTED.value)
            ):
                entries.setdefault(code, {})[form_code] = values
        ref = f"{program.code}/{cycle.period}"
    return CycleTotals(
        cycle.id, ref, program.title, cycle.period_label, rules.sum_forms(forms, bodies, entries)
    )


__all__ = [
    "CycleTotals",
    "Identity",
    "cycle_totals",
    "read_workbook",
    "template",
    "task_forms",
    "version_forms",
    "write_template",
]
