"""Build phoihop's default Word templates (``documents/templates/*.docx``) once.

The .docx files are committed: an office edits them in Word (a different
heading, its own margins, a wider signature column) and points
``PHOIHOP_TEMPLATES_DIR`` at its copies. This script only makes the defaults,
from python-docx's blank document, so their form is reviewable as code:

- ``party-report.docx``, ``party-letter.docx``: Guidance 36-HD/VPTW;
- ``state-report.docx``, ``state-letter.docx``: Decree 30/2020/NĐ-CP.

Each is A4 portrait with the regime's margins, Times New Roman only (every
``w:rFonts`` of the styles and numbering is set to it, the theme fonts
removed), Normal 14 pt, page numbers from page 2 (``w:titlePg``, a centred
PAGE field in the default header, an empty first-page header), a borderless
two-column masthead and a borderless signature/recipients table. The variables
are docxtpl (Jinja) tags; :mod:`services.issuing` lists the ones each kind
must keep and refuses a template without them.

Run: ``.venv/bin/python tools/make_templates.py`` (writes the four files).
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "documents" / "templates"
FONT = "Times New Roman"
MARGINS = {"top": 1134, "bottom": 1134, "left": 1701, "right": 850}  # twips: 20/20/30/15 mm
TEXT_CM = 16.5  # A4 width less the left and right margins
LEFT_CM = {"party": 7.0, "state": 6.5}


def _font_everywhere(document: Document) -> None:
    """Times New Roman in every ``w:rFonts`` of styles and numbering; no theme fonts."""
    parts = [document.styles.element]
    numbering = document.part.numbering_part if _has_numbering(document) else None
    if numbering is not None:
        parts.append(numbering.element)
    for root in parts:
        for fonts in root.iter(qn("w:rFonts")):
            for attr in list(fonts.attrib):
                del fonts.attrib[attr]
            for name in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
                fonts.set(qn(name), FONT)
    defaults = document.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    if rpr.find(qn("w:rFonts")) is None:
        fonts = OxmlElement("w:rFonts")
        for name in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(name), FONT)
        rpr.insert(0, fonts)
    size = rpr.find(qn("w:sz"))
    if size is not None:
        size.set(qn("w:val"), "28")
    size_cs = rpr.find(qn("w:szCs"))
    if size_cs is not None:
        size_cs.set(qn("w:val"), "28")
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    if spacing is not None:
        spacing.set(qn("w:after"), "0")
        spacing.set(qn("w:line"), "240")
    # Word 2010's copy of the styles, with theme fonts: not needed, so not shipped.
    for rid, rel in list(document.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            document.part.drop_rel(rid)
    for color in document.styles.element.iter(qn("w:color")):
        for attr in list(color.attrib):
            del color.attrib[attr]
        color.set(qn("w:val"), "000000")


def _has_numbering(document: Document) -> bool:
    try:
        document.part.numbering_part  # noqa: B018
    except NotImplementedError:
        return False
    return True


def _page(document: Document) -> None:
    section = document.sections[0]
    sect = section._sectPr
    size = sect.find(qn("w:pgSz"))
    if size is None:
        size = OxmlElement("w:pgSz")
        sect.append(size)
    for attr in list(size.attrib):
        del size.attrib[attr]
    size.set(qn("w:w"), "11906")
    size.set(qn("w:h"), "16838")
    margins = sect.find(qn("w:pgMar"))
    for name, value in MARGINS.items():
        margins.set(qn(f"w:{name}"), str(value))
    margins.set(qn("w:header"), "567")
    margins.set(qn("w:footer"), "567")
    margins.set(qn("w:gutter"), "0")
    section.different_first_page_header_footer = True  # w:titlePg
    header = section.header
    header.is_linked_to_previous = False
    paragraph = header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), " PAGE ")
    run = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    size_el = OxmlElement("w:sz")
    size_el.set(qn("w:val"), "28")
    rpr.append(size_el)
    run.append(rpr)
    text = OxmlElement("w:t")
    text.text = "2"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)
    first = section.first_page_header
    first.is_linked_to_previous = False
    first.paragraphs[0].text = ""


def _styles(document: Document, regime: str) -> None:
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.line_spacing = 1.0
    from docx.enum.style import WD_STYLE_TYPE

    body = document.styles.add_style("PH Body", WD_STYLE_TYPE.PARAGRAPH)
    body.base_style = normal
    body.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    body.paragraph_format.first_line_indent = Cm(1)
    body.paragraph_format.space_after = Pt(6)
    body.paragraph_format.line_spacing = 1.15
    heading = document.styles.add_style("PH Heading", WD_STYLE_TYPE.PARAGRAPH)
    heading.base_style = body
    heading.font.bold = True
    heading.paragraph_format.keep_with_next = True
    cell = document.styles.add_style("PH Table", WD_STYLE_TYPE.PARAGRAPH)
    cell.base_style = normal
    cell.font.size = Pt(12)
    cell.paragraph_format.space_before = Pt(2)
    cell.paragraph_format.space_after = Pt(2)


def _run(paragraph, text: str, *, bold=False, italic=False, underline=False, size=None):
    run = paragraph.add_run(text)
    run.bold, run.italic, run.underline = bold, italic, underline
    if size:
        run.font.size = Pt(size)
    return run


def _p(container, text: str = "", align=WD_ALIGN_PARAGRAPH.CENTER, **style):
    paragraph = container.add_paragraph()
    paragraph.alignment = align
    if text:
        _run(paragraph, text, **style)
    return paragraph


def _first(cell, text: str, align=WD_ALIGN_PARAGRAPH.CENTER, **style):
    paragraph = cell.paragraphs[0]
    paragraph.alignment = align
    _run(paragraph, text, **style)
    return paragraph


def _rule(container, indent_cm: float) -> None:
    """A short horizontal rule: an empty paragraph's bottom border, indented both sides."""
    paragraph = container.add_paragraph()
    paragraph.paragraph_format.left_indent = Cm(indent_cm)
    paragraph.paragraph_format.right_indent = Cm(indent_cm)
    paragraph.paragraph_format.space_after = Pt(6)
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("val", "single"), ("sz", "6"), ("space", "1"), ("color", "000000")):
        bottom.set(qn(f"w:{key}"), value)
    borders.append(bottom)
    ppr.append(borders)
    size = OxmlElement("w:rPr")
    sz = OxmlElement("w:sz")
    sz.set(qn("w:val"), "8")
    size.append(sz)
    ppr.append(size)


def _borderless(table, widths_cm: tuple[float, float]) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tbl_pr.append(borders)
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)
    table.autofit = False
    for column, width in zip(table.columns, widths_cm, strict=True):
        column.width = Cm(width)
        for cell in column.cells:
            cell.width = Cm(width)


def _tag(container, tag: str) -> None:
    """A ``{%p … %}`` control paragraph (docxtpl removes the paragraph itself)."""
    container.add_paragraph().add_run(tag)


def _masthead(document: Document, regime: str, kind: str) -> None:
    left_cm = LEFT_CM[regime]
    widths = (left_cm, TEXT_CM - left_cm)
    if regime == "party":
        table = document.add_table(rows=1, cols=2)
        _borderless(table, widths)
        left, right = table.rows[0].cells
        first = left.paragraphs[0]
        first.add_run("{%p if parent_name %}")
        _p(left, "{{ parent_name }}", size=14)
        _tag(left, "{%p endif %}")
        _p(left, "{{ issuer_name }}", bold=True, size=14)
        _p(left, "*", size=14)
        _p(left, "{{ number_line }}", size=14)
        if kind == "letter":
            subject = _p(left, "{{ subject_line }}", italic=True, size=12)
            subject.paragraph_format.space_before = Pt(4)
        _first(right, "ĐẢNG CỘNG SẢN VIỆT NAM", bold=True, size=15)
        _rule(right, 2.0)
        _p(right, "{{ date_line }}", italic=True, size=14)
        return
    table = document.add_table(rows=2, cols=2)
    _borderless(table, widths)
    (left, right), (number, day) = (r.cells for r in table.rows)
    first = left.paragraphs[0]
    first.add_run("{%p if parent_name %}")
    _p(left, "{{ parent_name }}", size=13)
    _tag(left, "{%p endif %}")
    _p(left, "{{ issuer_name }}", bold=True, size=13)
    _rule(left, 2.0)
    _first(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=12)
    _p(right, "Độc lập - Tự do - Hạnh phúc", bold=True, size=14)
    _rule(right, 2.3)
    _first(number, "{{ number_line }}", size=13)
    if kind == "letter":
        subject = _p(number, "{{ subject_line }}", size=12)
        subject.paragraph_format.space_before = Pt(6)
    _first(day, "{{ date_line }}", italic=True, size=14)


def _signature(document: Document, regime: str) -> None:
    table = document.add_table(rows=1, cols=2)
    _borderless(table, (8.0, TEXT_CM - 8.0))
    left, right = table.rows[0].cells
    head = left.paragraphs[0]
    head.alignment = WD_ALIGN_PARAGRAPH.LEFT
    head.paragraph_format.space_before = Pt(6)
    if regime == "party":
        _run(head, "Nơi nhận:", underline=True, size=14)
    else:
        _run(head, "Nơi nhận:", bold=True, italic=True, size=12)
    _tag(left, "{%p for r in recipients %}")
    _p(left, "{{ r }}", align=WD_ALIGN_PARAGRAPH.LEFT, size=12 if regime == "party" else 11)
    _tag(left, "{%p endfor %}")
    top = right.paragraphs[0]
    top.paragraph_format.space_before = Pt(6)
    top.add_run("{%p for a in authority %}")
    _p(right, "{{ a }}", bold=True, size=14)
    _tag(right, "{%p endfor %}")
    _tag(right, "{%p if title_bold %}")
    _p(right, "{{ signer_title }}", bold=True, size=14)
    _tag(right, "{%p else %}")
    _p(right, "{{ signer_title }}", bold=regime == "state", size=14)
    _tag(right, "{%p endif %}")
    for _ in range(4):
        _p(right)
    _p(right, "{{ signer_name }}", bold=True, size=14)


def build(regime: str, kind: str) -> Document:
    document = Document()
    _font_everywhere(document)
    _page(document)
    _styles(document, regime)
    body = document.paragraphs[0] if document.paragraphs else document.add_paragraph()
    body.add_run("{%p if draft %}")
    mark = _p(document, "DỰ THẢO", align=WD_ALIGN_PARAGRAPH.LEFT, bold=True, size=13)
    mark.paragraph_format.space_after = Pt(6)
    _tag(document, "{%p endif %}")
    _masthead(document, regime, kind)
    if kind == "report":
        title = _p(document, "BÁO CÁO", bold=True, size=15 if regime == "party" else 14)
        title.paragraph_format.space_before = Pt(18)
        _p(document, "{{ summary }}", bold=True, size=14)
        if regime == "party":
            _p(document, "-----", size=14).paragraph_format.space_after = Pt(12)
        else:
            _rule(document, 6.5)
    else:
        recipients = _p(document, "", align=WD_ALIGN_PARAGRAPH.CENTER)
        recipients.paragraph_format.space_before = Pt(18)
        recipients.add_run("{%p if recipient_single %}")
        _p(document, "{{ recipient_single }}", size=14).paragraph_format.space_after = Pt(12)
        _tag(document, "{%p endif %}")
        _tag(document, "{%p for k in recipient_list %}")
        item = _p(document, "{{ k }}", align=WD_ALIGN_PARAGRAPH.LEFT, size=14)
        item.paragraph_format.left_indent = Cm(3)
        _tag(document, "{%p endfor %}")
    _p(document, "{{p body }}", align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    _signature(document, regime)
    _tag(document, "{%p if has_annex %}")
    breaker = document.add_paragraph()
    breaker.add_run().add_break(__import__("docx.enum.text").enum.text.WD_BREAK.PAGE)
    _p(document, "{{p annex }}")
    _tag(document, "{%p endif %}")
    props = document.core_properties
    props.author = "phoihop"
    props.title = f"{regime} {kind}"
    props.comments = (
        "Guidance 36-HD/VPTW" if regime == "party" else "Decree 30/2020/NĐ-CP"
    ) + "; edit freely, keep its fields (phoihop variables)"
    return document


def main(out: Path = OUT) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for regime in ("party", "state"):
        for kind in ("report", "letter"):
            path = out / f"{regime}-{kind}.docx"
            build(regime, kind).save(str(path))
            written.append(path)
    return written


if __name__ == "__main__":
    for path in main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT):
        print(path)
