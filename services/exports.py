"""Spreadsheets and CSV files for people who work in Excel: summed forms, dashboards, task lists.

Written with XlsxWriter in constant-memory mode (rows go straight to the file,
so 5,000 bodies cost what their rows cost). CSV files are UTF-8 with a BOM, so
Excel opens Vietnamese text as it is.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from rules import forms as rules
from rules.tasks import BUCKETS, UNSENT_WORDS, bucket_word, bucket_words

SUM_SHEET = "Tổng hợp"


@dataclass(frozen=True)
class Sheet:
    """A table to export: a name (≤ 31 characters), its columns, its rows."""

    name: str
    columns: list[str]
    rows: Sequence[Sequence[Any]]
    title: str | None = None


AS_TEXT = {"strings_to_formulas": False, "strings_to_urls": False}
"""XlsxWriter writes a text starting with ``=`` as a live formula by default: a body's
text (a form's note, a name) must reach the coordinator's workbook as text."""

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, int | float | str):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _csv_cell(value: Any) -> Any:
    """A CSV cell: text that a spreadsheet would run as a formula gets a leading ``'``
    (OWASP's advice against CSV injection); numbers and dates as they are."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return _plain(value)


def csv_bytes(sheets: Sequence[Sheet]) -> bytes:
    """The tables as one CSV (UTF-8 with BOM); several tables are separated by a blank
    line and each starts with its title."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for n, sheet in enumerate(sheets):
        if len(sheets) > 1:
            if n:
                writer.writerow([])
            writer.writerow([sheet.title or sheet.name])
        writer.writerow(sheet.columns)
        writer.writerows([[_csv_cell(v) for v in row] for row in sheet.rows])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_bytes(sheets: Sequence[Sheet]) -> bytes:
    """The tables as a workbook, one sheet each, header bold and frozen."""
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "constant_memory": True, **AS_TEXT})
    bold = book.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1})
    title_format = book.add_format({"bold": True, "font_size": 13})
    for sheet in sheets:
        ws = book.add_worksheet(_sheet_name(sheet.name))
        y = 0
        if sheet.title:
            ws.write(0, 0, sheet.title, title_format)
            y = 2
        ws.write_row(y, 0, sheet.columns, bold)
        ws.freeze_panes(y + 1, 0)
        for n, row in enumerate(sheet.rows, start=y + 1):
            ws.write_row(n, 0, [_plain(v) for v in row])
        ws.set_column(0, max(len(sheet.columns) - 1, 0), 16)
    book.close()
    return out.getvalue()


def _sheet_name(name: str) -> str:
    for ch in "[]:*?/\\":
        name = name.replace(ch, "-")
    return name[:31] or "Sheet"


# -- summed forms --------------------------------------------------------------------------


def _numeric_cells(totals: Sequence[rules.FormTotals]) -> list[tuple[rules.FormTotals, Any]]:
    return [(t, c) for t in totals for c in t.cells if c.type != "text"]


def totals_xlsx(
    totals: Sequence[rules.FormTotals], *, ref: str, program_title: str, period_label: str
) -> bytes:
    """The summed forms: a first sheet with the bodies as rows and every numeric cell
    as a column, closed by a "Tổng cộng" row that is Excel's SUM of the rows above
    (stored with its value, so it reads the same without recalculation); a
    percentage with parts is recomputed from its parts' totals. Then one sheet per
    form with every body's values, texts included."""
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "constant_memory": True, **AS_TEXT})
    head = book.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True})
    title = book.add_format({"bold": True, "font_size": 13})
    total_format = book.add_format({"bold": True, "top": 2})
    number = book.add_format({"num_format": "#,##0.##"})
    columns = _numeric_cells(totals)
    bodies: dict[str, str] = {}
    for t in totals:
        bodies.update(t.bodies)
    order = list(bodies)

    ws = book.add_worksheet(SUM_SHEET)
    ws.write(0, 0, f"Tổng hợp số liệu biểu mẫu — {ref}", title)
    ws.write(1, 0, f"{program_title}; {period_label}")
    header_row = 3
    heads = ["STT", "Mã", "Cơ quan"] + [
        f"{t.code} {c.key}: {c.name}" + (" (%)" if c.type == "percentage" else "")
        for t, c in columns
    ]
    ws.write_row(header_row, 0, heads, head)
    ws.freeze_panes(header_row + 1, 3)
    first = header_row + 1
    for n, code in enumerate(order):
        row: list[Any] = [n + 1, code, bodies[code]]
        for t, c in columns:
            values = t.values.get(code)
            row.append(None if values is None else values.get(c.key))
        ws.write_row(first + n, 0, row)
    last = first + len(order) - 1
    total_row = last + 1
    ws.write_row(total_row, 0, ["", "", "Tổng cộng"], total_format)
    letters = {(t.code, c.key): rules.column_letter(4 + x) for x, (t, c) in enumerate(columns)}
    for x, (t, c) in enumerate(columns):
        col = 3 + x
        letter = letters[(t.code, c.key)]
        value = c.total if c.total is not None else ""
        parts = next((cell.parts for cell in rules.cells(t.form) if cell.key == c.key), None)
        if parts is not None:
            num, den = (letters.get((t.code, p)) for p in parts)
            scale = "*100" if c.type == "percentage" else ""
            formula = (
                f'=IF({den}{total_row + 1}=0,"",{num}{total_row + 1}/{den}{total_row + 1}{scale})'
            )
            ws.write_formula(total_row, col, formula, total_format, value)
        elif c.total is None:
            ws.write_blank(total_row, col, None, total_format)
        elif order:
            formula = f"=SUM({letter}{first + 1}:{letter}{last + 1})"
            ws.write_formula(total_row, col, formula, total_format, value)
        else:
            ws.write_number(total_row, col, 0, total_format)
    missing_row = total_row + 1
    ws.write_row(missing_row, 0, ["", "", "Số cơ quan thiếu số liệu"])
    for x, (_t, c) in enumerate(columns):
        ws.write_number(missing_row, 3 + x, len(c.missing))
    ws.set_column(0, 0, 5)
    ws.set_column(1, 1, 10)
    ws.set_column(2, 2, 40)
    ws.set_column(3, 3 + max(len(columns) - 1, 0), 18, number)

    for t in totals:
        _form_sheet(book, t, head, title)
    book.close()
    return out.getvalue()


def _form_sheet(book: Any, t: rules.FormTotals, head: Any, title: Any) -> None:
    """Every body's values of one form: one row per body (a table form: per body and
    row), a last column saying whether the body sent the form."""
    ws = book.add_worksheet(_sheet_name(t.code))
    ws.write(0, 0, f"Biểu {t.code}: {t.title}", title)
    table = t.form.get("rows")
    indicators = t.form["indicators"]
    heads = ["Mã", "Cơ quan"] + (["Dòng"] if table else [])
    heads += [
        i["name"] + (f" ({i['unit']})" if i.get("unit") else "")
        + (" (%)" if i["type"] == "percentage" else "")
        for i in indicators
    ]  # fmt: skip
    heads.append("Đã gửi")
    ws.write_row(2, 0, heads, head)
    ws.freeze_panes(3, 2)
    y = 3
    for code, name in t.bodies.items():
        values = t.values.get(code)
        sent = "có" if values is not None else "chưa"
        for row in table or [None]:
            prefix = f"{row['code']}." if row else ""
            cells = [None if values is None else values.get(prefix + i["code"]) for i in indicators]
            ws.write_row(y, 0, [code, name, *([row["name"]] if row else []), *cells, sent])
            y += 1
    ws.set_column(1, 1, 40)


def totals_rows(totals: Sequence[rules.FormTotals]) -> Iterable[list[Any]]:
    """The summed cells as plain rows (form, key, name, unit, total, reported, missing)."""
    for t in totals:
        for c in t.cells:
            if c.type != "text":
                yield [t.code, c.key, c.name, c.unit or "", c.total, len(c.reported),
                       ", ".join(c.missing)]  # fmt: skip


# -- dashboards and task lists --------------------------------------------------------------

TASK_HEADERS = [
    "Kỳ", "Task", "Mã", "Cơ quan", "Trạng thái", "Hạn", "Quá hạn (ngày)", "Mức đôn đốc",
    "Phiên bản",
]  # fmt: skip


def task_sheet(rows: Sequence[dict[str, Any]], name: str = "Nhiệm vụ") -> Sheet:
    """Tasks as ``tasks list`` shows them."""
    from rules.tasks import LABELS_VI

    return Sheet(
        name,
        TASK_HEADERS,
        [
            [
                r["cycle"],
                r["task"],
                r["body"],
                r["body_name"],
                LABELS_VI.get(r["status"], r["status"]),
                r["due_date"],
                r["days_overdue"] or 0,
                r["escalation_level"] or 0,
                r["versions"],
            ]
            for r in rows
        ],  # fmt: skip
    )


CYCLE_HEADERS = [
    "ID", "Kỳ", "Nội dung", "Công văn", "Ngày công văn", "Hạn gửi", "Hạn xem xét",
    "Hạn tổng hợp", "Số cơ quan", "Trạng thái",
]  # fmt: skip


def cycle_sheet(rows: Sequence[dict[str, Any]]) -> Sheet:
    """Cycles as ``cycle list`` and the cycles page show them (services.cycles.list_cycles)."""
    from rules.tasks import cycle_label

    return Sheet(
        "Kỳ báo cáo",
        CYCLE_HEADERS,
        [
            [
                r["id"],
                r["ref"],
                r["period_label"],
                r["letter_no"],
                r["letter_date"],
                r["provide_due"],
                r["review_due"],
                r["synthesis_due"],
                r["tasks"],
                cycle_label(r["status"], "vi"),
            ]
            for r in rows
        ],  # fmt: skip
    )


def history_sheet(items: Sequence[dict[str, Any]], *, en: bool = False) -> Sheet:
    """Audit records in words (services.history), as ``phoihop audit`` and the history
    pages show them: when (Vietnam time), who, the cycle, the body, what, the action."""
    from rules.timezone import vn_datetime

    headers = (
        ["#", "When (UTC+7)", "Who", "Cycle", "Body", "What", "Action"] if en
        else ["#", "Thời điểm (UTC+7)", "Người thực hiện", "Kỳ", "Cơ quan", "Nội dung", "Mã"]
    )  # fmt: skip
    rows = [
        [r["id"], vn_datetime(r["at"]), r["actor"], r["cycle"], r["body"], r["text"],
         r["action"]]
        for r in items
    ]  # fmt: skip
    return Sheet("History" if en else "Lịch sử", headers, rows)


def dashboard_sheets(data: dict[str, Any]) -> list[Sheet]:
    """The dashboard's three lists, each the page the command shows."""
    overdue = [
        [g["body"], g["name"], i["cycle"], i["due_date"], i["days_overdue"], i["escalation_level"]]
        for g in data["overdue"]["items"]
        for i in g["items"]
    ]
    cycles = [
        [p["ref"], p["period_label"], *(p[k] for k in BUCKETS)] for p in data["cycles"]["items"]
    ]  # fmt: skip
    bodies = [
        [b["body"], *(b[k] for k in BUCKETS), percent_cell(b["on_time_rate"]),
         b["escalations"], b["revision_rounds"]]
        for b in data["bodies"]["items"]
    ]  # fmt: skip
    return [
        Sheet("Quá hạn", ["Mã", "Cơ quan", "Kỳ", "Hạn", "Quá hạn (ngày)", "Mức đôn đốc"],
              overdue, "Nhiệm vụ quá hạn"),
        Sheet("Tiến độ các kỳ", ["Kỳ", "Nội dung", *bucket_words()], cycles,
              "Tiến độ các kỳ báo cáo"),
        Sheet("Tuân thủ", ["Mã", *bucket_words(), "Tỷ lệ đúng hạn (%)", "Đôn đốc", "Trả lại"],
              bodies,
              "Tuân thủ theo cơ quan (mọi kỳ; tỷ lệ = đúng hạn / số nhiệm vụ đã đến hạn)"),
    ]  # fmt: skip


def rollup_sheet(drilled: list[dict[str, Any]]) -> Sheet:
    """The dashboard's roll-up (web.queries.drill_down): for each cycle with cycles below
    it, its own buckets, each cycle right below (its coordinator's task above, its own
    buckets) and the sum with every level below, each line saying which it is."""
    from rules.specs import LEVEL_VI
    from rules.tasks import LABELS_VI, Status

    def figures(b: dict[str, Any]) -> list[int]:
        return [*(b[k] for k in BUCKETS), b["total"]]

    rows: list[list[Any]] = []
    for d in drilled:
        top = d["cycle"]
        below = ", ".join(LEVEL_VI.get(level, level) for level in d["levels_below"])
        rows.append([top["ref"], f"của cấp {LEVEL_VI.get(top['level'], top['level'])}",
                     top["coordinator"]["name"], "", *figures(top["buckets"])])  # fmt: skip
        for child in d["children"]:
            above = child["task_in_parent"]
            rows.append([top["ref"], child["ref"], child["coordinator"]["name"],
                         LABELS_VI[Status(above["status"])] if above else "",
                         *figures(child["buckets"])])  # fmt: skip
        rows.append([top["ref"], f"gồm cả cấp {below}", "", "",
                     *figures(top["buckets_all_levels"])])  # fmt: skip
    return Sheet("Cấp dưới", ["Kỳ", "Kỳ cấp dưới / phạm vi", "Cơ quan chủ trì",
                              "Nhiệm vụ ở kỳ cấp trên", *bucket_words(), "Tổng"], rows,
                 "Các kỳ cấp dưới: của từng cấp và gồm cả cấp dưới")  # fmt: skip


# -- compliance scorecards ------------------------------------------------------------------

SCORE_HEADERS = [
    "Số nhiệm vụ", *(UNSENT_WORDS[0] if b == "overdue" else bucket_word(b) for b in BUCKETS),
    "Đã đến hạn", "Tỷ lệ đúng hạn (%)", "Trễ hạn TB (ngày làm việc)",
    "Trễ hạn nhiều nhất (ngày làm việc)", "Trả lại bổ sung", "Lượt đôn đốc",
    "Mức đôn đốc cao nhất", "Gia hạn",
]  # fmt: skip
TOTAL_LABEL = "Tổng cộng"
PREDECESSORS = "Gồm cơ quan tiền thân (sáp nhập)"


def _merged(body: dict[str, Any]) -> str:
    """``SO-TTTT (từ 01/03/2025)``: the merged bodies a row's figures include."""
    from rules.timezone import vn_date

    return "; ".join(
        f"{p['body']} (từ {vn_date(p['effective_on'])})" for p in body.get("predecessors", [])
    )


def percent_cell(rate: float | None) -> float | None:
    """A rate as a sheet's percent figure, one decimal (0.6667 → 66.7): every sheet's."""
    return None if rate is None else round(100 * rate, 1)


def score_cells(r: dict[str, Any]) -> list[Any]:
    """A scorecard row's figures in :data:`SCORE_HEADERS` order."""
    return [
        r["total"], *(r[b] for b in BUCKETS), r["counted"],
        percent_cell(r["on_time_rate"]), r["days_late_mean"], r["days_late_worst"] or 0,
        r["revision_rounds"], r["escalations"], r["top_level"], r["extensions"],
    ]  # fmt: skip


def scorecard_sheets(data: dict[str, Any]) -> list[Sheet]:
    """The scorecard as people file it: by body and by program (each closed by a
    "Tổng cộng" row), by cycle, and the on-time rate per body and period."""
    from rules.scorecard import TREND_VI

    total = score_cells(data["total"])
    bodies = [[b["body"], b["name"], *score_cells(b), TREND_VI[b["trend"]], _merged(b)]
              for b in data["bodies"]]  # fmt: skip
    bodies.append(["", TOTAL_LABEL, *total, "", ""])
    programs = [[p["program"], p["title"], *score_cells(p)] for p in data["programs"]]
    programs.append(["", TOTAL_LABEL, *total])
    cycles = [[c["ref"], c["period_label"], *score_cells(c),
               ", ".join(c.get("from_predecessors", []))] for c in data["cycles"]]  # fmt: skip
    periods = [p["period"] for p in data["periods"]]
    trend = []
    for b in data["trends"]:
        rates = {s["period"]: percent_cell(s["on_time_rate"]) for s in b["series"]}
        trend.append([b["body"], b["name"], *(rates.get(p) for p in periods),
                      TREND_VI[b["trend"]]])  # fmt: skip
    trend.append(["", TOTAL_LABEL, *(percent_cell(p["on_time_rate"]) for p in data["periods"]),
                  ""])  # fmt: skip
    note = data["rate_note"]
    return [
        Sheet("Theo cơ quan", ["Mã", "Cơ quan", *SCORE_HEADERS, "Xu hướng", PREDECESSORS],
              bodies, f"Tuân thủ theo cơ quan. {note}"),
        Sheet("Theo chương trình", ["Mã", "Chương trình", *SCORE_HEADERS], programs,
              "Tuân thủ theo chương trình"),
        Sheet("Theo kỳ", ["Kỳ", "Nội dung", *SCORE_HEADERS, PREDECESSORS], cycles,
              "Tuân thủ theo kỳ báo cáo"),
        Sheet("Xu hướng", ["Mã", "Cơ quan", *(f"{p} (%)" for p in periods), "Xu hướng"], trend,
              "Tỷ lệ đúng hạn theo kỳ (%)"),
    ]  # fmt: skip
