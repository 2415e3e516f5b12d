"""The consolidated report as a Word document, laid out the way officials expect.

Officials edit in Word, so this is the file that leaves the building: Times New
Roman, the Party heading (Guidance 36-HD/VPTW) on the right, the issuing body
and a blank number for the clerk on the left, the date line, the title, the
submission summary table, one section per body, and the signature block.
Built with python-docx from the same data as the Markdown report.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from rules.report import (
    CATEGORIES,
    BodyReport,
    ReportHeader,
    first_submitted_label,
    opening,
    summary_rows,
    totals_line,
)
from rules.timezone import local_date

FONT = "Times New Roman"
SUMMARY_WIDTHS_CM = (1.6, 6.0, 3.5, 3.0, 1.9)  # fits a 16 cm text block


def _paragraph(
    container: DocxDocument | _Cell,
    text: str = "",
    *,
    bold: bool = False,
    italic: bool = False,
    size: float | None = None,
    align: WD_ALIGN_PARAGRAPH | None = None,
) -> Paragraph:
    paragraph = container.add_paragraph()
    if text:
        run = paragraph.add_run(text)
        run.bold, run.italic = bold, italic
        if size:
            run.font.size = Pt(size)
    if align is not None:
        paragraph.alignment = align
    return paragraph


def _masthead(document: DocxDocument, header: ReportHeader) -> None:
    table = document.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    left.paragraphs[0].text = ""
    _style_first(left, header.coordinator.upper(), bold=True)
    _paragraph(left, "*", align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(left, "Số      -BC", align=WD_ALIGN_PARAGRAPH.CENTER)
    _style_first(right, "ĐẢNG CỘNG SẢN VIỆT NAM", bold=True, underline=True)
    day = local_date(header.created_at)
    _paragraph(
        right,
        f"ngày {day.day:02d} tháng {day.month:02d} năm {day.year}",
        italic=True,
        align=WD_ALIGN_PARAGRAPH.RIGHT,
    )


def _style_first(cell: _Cell, text: str, *, bold: bool = False, underline: bool = False) -> None:
    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(text)
    run.bold, run.underline = bold, underline
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _body_text(document: DocxDocument, text: str) -> None:
    """Report text: paragraphs split on blank lines; ``- `` / ``+ `` lines become bullets."""
    for block in re.split(r"\n\s*\n", text.strip()):
        for line in block.splitlines():
            line = line.strip()
            if not line:
                continue
            if line[:2] in ("- ", "+ ", "* "):
                document.add_paragraph(line[2:], style="List Bullet")
            else:
                paragraph = _paragraph(document, line.replace("**", ""))
                paragraph.paragraph_format.first_line_indent = Cm(1)
                paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY


def render_docx(header: ReportHeader, bodies: Sequence[BodyReport]) -> bytes:
    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    for section in document.sections:
        section.left_margin, section.right_margin = Cm(3), Cm(2)
        section.top_margin, section.bottom_margin = Cm(2), Cm(2)

    _masthead(document, header)
    _paragraph(document, "BÁO CÁO", bold=True, size=15, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(
        document,
        f"{header.program_title}, {header.period_label}",
        bold=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )
    _paragraph(document, "-----", align=WD_ALIGN_PARAGRAPH.CENTER)

    _body_text(document, opening(header))

    _paragraph(document, "I. TÌNH HÌNH GỬI BÁO CÁO", bold=True)
    rows = summary_rows(bodies)
    table = document.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, title in zip(
        table.rows[0].cells,
        ("STT", "Cơ quan", "Tình trạng", "Ngày gửi lần đầu", "Số lần gửi"),
        strict=True,
    ):
        cell.paragraphs[0].add_run(title).bold = True
    for number, row in enumerate(rows, start=1):
        values = (
            str(number),
            row["name"],
            row["label"],
            first_submitted_label(row),
            str(row["versions"]),
        )
        for cell, value in zip(table.add_row().cells, values, strict=True):
            cell.text = value
    table.autofit = False
    for column, width in zip(table.columns, SUMMARY_WIDTHS_CM, strict=True):
        column.width = Cm(width)  # Word reads the grid, LibreOffice the cells: set both
        for cell in column.cells:
            cell.width = Cm(width)
    _body_text(document, totals_line(bodies))

    _paragraph(document, "II. KẾT QUẢ THEO TỪNG CƠ QUAN", bold=True)
    for number, body in enumerate(bodies, start=1):
        _paragraph(document, f"{number}. {body.name}", bold=True)
        if body.accepted_sections is None:
            _paragraph(
                document,
                f"({CATEGORIES[body.category]}; nội dung chưa được tổng hợp.)",
                italic=True,
            )
            continue
        for section in body.accepted_sections:
            if not section["code"]:
                continue
            _paragraph(document, f"{section['code']}. {section['title']}", bold=True, italic=True)
            _body_text(document, section["text"] or "(không có nội dung)")

    signature = document.add_table(rows=1, cols=2)
    left, right = signature.rows[0].cells
    left.paragraphs[0].add_run("Nơi nhận:").bold = True
    for line in ("- Cấp trên (để báo cáo),", "- Các cơ quan phối hợp,", "- Lưu VT."):
        _paragraph(left, line, size=12)
    _style_first(right, (header.signer_title or "THỦ TRƯỞNG CƠ QUAN").upper(), bold=True)
    for _ in range(3):
        _paragraph(right)
    if header.signer_name:
        _paragraph(right, header.signer_name, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
