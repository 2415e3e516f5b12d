"""Word reports as officials make them, built with python-docx for the tests and the bench.

A State-form report of the People's Council: the masthead in a borderless
two-column table, ``BÁO CÁO`` and its summary, section headings that are
Normal paragraphs with every run bold and Word's automatic numbering
(``I.``, ``1.``: in ``numbering.xml``, not in the text), a data table with
merged cells, a tracked deletion, a page header, then the recipients and the
signature in a two-column table.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

NUMBERING = (
    f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">'
    '<w:multiLevelType w:val="multilevel"/>'
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/>'
    '<w:lvlText w:val="%1."/></w:lvl>'
    '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
    '<w:lvlText w:val="%2."/></w:lvl>'
    '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/>'
    '<w:lvlText w:val="%3)"/></w:lvl>'
    "</w:abstractNum>"
)
NUM = f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'

SECTION_I = "Đánh giá tình hình và kết quả thực hiện Quyết định số 238"
SECTION_II = "Những nhiệm vụ trọng tâm trong 6 tháng cuối năm 2024"
BODY_TEXT = (
    "Thường trực HĐND tỉnh đã chủ động, kịp thời đề xuất nội dung, cung cấp thông tin các "
    "hoạt động chuyên ngành gửi Ban Tuyên giáo Tỉnh ủy để chỉ đạo, định hướng tuyên truyền."
)


def _numbered(paragraph: Any, level: int) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    ppr.append(
        parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>'
        )
    )


def _bold(paragraph: Any, text: str) -> None:
    paragraph.add_run(text).bold = True


def _deleted(paragraph: Any, text: str) -> None:
    paragraph._p.append(
        parse_xml(
            f'<w:del {nsdecls("w")} w:id="1" w:author="Chuyên viên" w:date="2024-07-05T00:00:00Z">'
            f'<w:r><w:delText xml:space="preserve">{text}</w:delText></w:r></w:del>'
        )
    )


def _borderless(table: Any) -> None:
    tblpr = table._tbl.tblPr
    tblpr.append(
        parse_xml(
            f"<w:tblBorders {nsdecls('w')}>"
            + "".join(
                f'<w:{side} w:val="nil"/>'
                for side in ("top", "left", "bottom", "right", "insideH", "insideV")
            )
            + "</w:tblBorders>"
        )
    )


def official_report(
    *,
    paragraphs: int = 2,
    legacy_font: bool = False,
    section_two: str | None = SECTION_II,
    empty: bool = False,
    filler: Any = None,
) -> bytes:
    """The report as bytes; ``paragraphs`` per sub-heading (the bench makes it 2 MB);
    ``section_two``: section II's heading (None: none); ``filler(n)``: the n-th body
    paragraph's text."""
    doc = Document()
    numbering = doc.part.numbering_part.element
    numbering.insert(0, parse_xml(NUMBERING))
    numbering.append(parse_xml(NUM))
    doc.sections[0].header.paragraphs[0].text = "Trang đầu: không được đọc"

    masthead = doc.add_table(rows=1, cols=2)
    _borderless(masthead)
    left, right = masthead.rows[0].cells
    left.paragraphs[0].text = "HĐND TỈNH BẾN TRE"
    _bold(left.add_paragraph(), "THƯỜNG TRỰC HĐND")
    left.add_paragraph("Số: 45/BC-HĐND")
    _bold(right.paragraphs[0], "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    _bold(right.add_paragraph(), "Độc lập - Tự do - Hạnh phúc")
    right.add_paragraph().add_run("Bến Tre, ngày 08 tháng 7 năm 2024").italic = True

    _bold(doc.add_paragraph(), "BÁO CÁO")
    _bold(doc.add_paragraph(), "Kết quả thực hiện Quy chế phối hợp theo Quyết định số 238-QĐ/TW")
    opening = doc.add_paragraph(
        "Thực hiện Công văn số 310-CV/BTGTU ngày 03/7/2024 của Ban Tuyên giáo Tỉnh ủy, "
        "Thường trực HĐND tỉnh báo cáo như sau:"
    )
    if legacy_font:
        run = opening.add_run(" Uû ban nh©n d©n")
        run.font.name = ".VnTime"

    heading = doc.add_paragraph()
    _bold(heading, SECTION_I)
    _numbered(heading, 0)
    for topic in ("Kết quả phối hợp tuyên truyền", "Kết quả giải quyết vấn đề nổi cộm"):
        sub = doc.add_paragraph()
        _bold(sub, topic)
        _numbered(sub, 1)
        for n in range(0 if empty else paragraphs):
            p = doc.add_paragraph(filler(n) if filler else f"{BODY_TEXT} (đoạn {n + 1})")
            if n == 0:
                _deleted(p, " NỘI DUNG ĐÃ XÓA")
    if not empty:
        data = doc.add_table(rows=3, cols=3)
        data.style = "Table Grid"
        cells = data.rows[0].cells
        cells[0].text, cells[1].text, cells[2].text = "Nội dung", "6 tháng 2023", "6 tháng 2024"
        data.rows[1].cells[0].text = "Số hội nghị phối hợp"
        data.rows[1].cells[1].text, data.rows[1].cells[2].text = "10", "12"
        merged = data.cell(2, 1).merge(data.cell(2, 2))
        data.rows[2].cells[0].text = "Ghi chú"
        merged.text = "Số liệu đến 14/6/2024"

    if section_two is not None:  # None: the body left section II out
        heading = doc.add_paragraph()
        _bold(heading, section_two)
        _numbered(heading, 0)
    for n in range(0 if empty else paragraphs):
        doc.add_paragraph(
            f"Tiếp tục quán triệt, thực hiện nghiêm túc Quyết định 238 (nhiệm vụ {n + 1})."
        )
    if not empty:
        doc.add_paragraph("Trên đây là báo cáo của Thường trực HĐND tỉnh./.")

    signature = doc.add_table(rows=1, cols=2)
    _borderless(signature)
    left, right = signature.rows[0].cells
    left.paragraphs[0].text = "Nơi nhận:"
    left.add_paragraph("- Ban Tuyên giáo Tỉnh ủy;")
    left.add_paragraph("- Lưu: VT.")
    _bold(right.paragraphs[0], "TM. THƯỜNG TRỰC HĐND")
    _bold(right.add_paragraph(), "KT. CHỦ TỊCH")
    _bold(right.add_paragraph(), "PHÓ CHỦ TỊCH")
    _bold(right.add_paragraph(), "Nguyễn Văn Công")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def with_part(data: bytes, name: str, content: bytes, content_type: str | None = None) -> bytes:
    """A copy of an Office file with one more part (and its content type), or with the
    part ``name`` replaced (never two parts of one name)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename == name:
                continue
            body = source.read(item)
            if item.filename == "[Content_Types].xml" and content_type:
                body = body.replace(b"</Types>", content_type.encode() + b"</Types>")
            target.writestr(item, body)
        target.writestr(name, content)
    return out.getvalue()


def zip_bomb(size: int = 200 * 1024 * 1024) -> bytes:
    """A small .docx-looking zip whose one member unpacks to ``size`` bytes of zeros."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        target.writestr("[Content_Types].xml", "<Types/>")
        with target.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = b"\0" * (1 << 20)
            for _ in range(size // len(chunk)):
                member.write(chunk)
    return out.getvalue()


def heading_style_report() -> bytes:
    """A report whose sections use Word's Heading 1 style and typed numbers."""
    doc = Document()
    doc.add_heading("I. Đánh giá tình hình và kết quả thực hiện Quyết định số 238", 1)
    doc.add_paragraph(BODY_TEXT)
    doc.add_heading("II. Những nhiệm vụ trọng tâm trong thời gian tới", 1)
    doc.add_paragraph("Tiếp tục đẩy mạnh công tác phối hợp.")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


_ = qn  # re-exported for tests that build their own XML
