"""The default templates rendered and read back as XML: the checklist of DOCUMENTS.md §5.

Each regime (Party: Guidance 36-HD/VPTW; State: Decree 30/2020/NĐ-CP) and each
kind (báo cáo, công văn) is rendered from plain data, then checked element by
element in ``word/*.xml``: page, fonts, masthead cells, number, date line,
title, body paragraphs, signature, recipients, page numbers, annex.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from rules import numbering
from rules.documents import (
    DASH_LEVEL,
    ITEM,
    PARA,
    Block,
    Holder,
    Issuer,
    Table,
    compose,
    date_line,
    official_date,
    signature,
)
from rules.errors import UserError
from services import issuing
from tests.docx_form import (
    DATE_LINE,
    PARTY_NUMBER,
    RECIPIENT,
    STATE_NUMBER,
    Docx,
    borders_nil,
    cells,
    is_nfc,
    para,
    q,
)

PARTY = Issuer("BTGTU", "Ban Tuyên giáo Tỉnh ủy Bến Tre", "party", "BTGTU", "Bến Tre",
               "Tỉnh ủy Bến Tre")  # fmt: skip
STATE = Issuer("STP", "Sở Tư pháp", "state", "STP", "Bến Tre", "Ủy ban nhân dân tỉnh Bến Tre")
BODY = (
    Block(PARA, "Thực hiện Công văn số 310-CV/BTGTU ngày 03/7/2024 của Ban Tuyên giáo Tỉnh ủy."),
    Block("heading", "TÌNH HÌNH TRIỂN KHAI", 0, "I."),
    Block(PARA, "Nội dung báo cáo & số liệu <đầy đủ>."),
    Block(ITEM, "Gửi đúng hạn: 3 cơ quan;", DASH_LEVEL, "-"),
    Block(PARA, "Trên đây là báo cáo."),
)
ANNEX = Table("TÌNH HÌNH GỬI BÁO CÁO", ("STT", "Cơ quan"), (("1", "Sở Tư pháp"),), (2.0, 14.5))


def render(issuer: Issuer, kind: str, *, number: int | None = 45, holder: Holder | None = None):
    type_code = numbering.REPORT if kind == "report" else numbering.LETTER
    symbol = numbering.symbol(issuer.kind, number, type_code, issuer.symbol)
    holder = holder or Holder("Trần Thị Thu Hà", "Trưởng ban" if issuer.kind == "party"
                              else "Giám đốc")  # fmt: skip
    paper = compose(
        kind=kind, issuer=issuer, symbol_text=symbol, day=date(2024, 7, 22),
        summary="Kết quả thực hiện Quy chế phối hợp 6 tháng đầu năm 2024" if kind == "report"
        else "đôn đốc báo cáo kết quả 6 tháng đầu năm 2024",
        body=BODY, holder=holder, head_title=holder.title,
        copies=["Thường trực Tỉnh ủy (để b/c)", "Lãnh đạo Ban"],
        to=["Đồng chí Giám đốc Sở Văn hóa, Thể thao và Du lịch"] if kind == "letter" else (),
        annex=(ANNEX,) if kind == "report" else (),
        annex_note=f"(Kèm theo Báo cáo số {symbol.strip()} ngày 22/7/2024 của {issuer.name})",
        draft=number is None,
    )  # fmt: skip
    return Docx(issuing.render(paper)[0]), paper


CASES = [(PARTY, "report"), (PARTY, "letter"), (STATE, "report"), (STATE, "letter")]


@pytest.mark.parametrize(("issuer", "kind"), CASES, ids=lambda v: getattr(v, "kind", v))
def test_page_fonts_and_page_numbers(issuer: Issuer, kind: str) -> None:
    doc, _ = render(issuer, kind)
    sect = doc.sect()
    size = sect.find(q("pgSz"))
    assert (size.get(q("w")), size.get(q("h")), size.get(q("orient"))) == ("11906", "16838", None)
    margins = sect.find(q("pgMar"))
    assert [margins.get(q(k)) for k in ("top", "bottom", "left", "right")] == [
        "1134", "1134", "1701", "850",
    ]  # fmt: skip
    assert doc.fonts() == {"Times New Roman"}
    assert doc.normal_size() == "28"
    assert sect.find(q("titlePg")) is not None
    default = doc.header("default")
    field = [f for f in default.iter(q("fldSimple")) if "PAGE" in f.get(q("instr"))]
    assert field and para(next(default.iter(q("p")))).jc == "center"
    first = doc.header("first")
    assert "".join(t.text or "" for t in first.iter(q("t"))) == ""
    assert not list(first.iter(q("fldSimple")))


@pytest.mark.parametrize(("issuer", "kind"), CASES, ids=lambda v: getattr(v, "kind", v))
def test_masthead_number_and_date(issuer: Issuer, kind: str) -> None:
    doc, _ = render(issuer, kind)
    masthead = doc.tables()[0]
    assert borders_nil(masthead)
    rows = cells(masthead)
    assert all(len(r) == 2 for r in rows)
    left = [p for p in doc.paras(rows[0][0]) if p.text]
    right = [p for p in doc.paras(rows[0][1]) if p.text]
    if issuer.kind == "party":
        assert right[0].text == "ĐẢNG CỘNG SẢN VIỆT NAM" and right[0].bold
        assert right[0].sizes == {"30"}
        assert [p.text for p in left[:3]] == ["TỈNH ỦY BẾN TRE", "BAN TUYÊN GIÁO", "*"]
        assert not left[0].bold and left[1].bold
        number = left[3]
        assert PARTY_NUMBER.match(number.text), number.text
        dated = right[-1]
    else:
        assert right[0].text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" and right[0].bold
        assert right[0].sizes <= {"24", "26"}
        assert right[1].text == "Độc lập - Tự do - Hạnh phúc" and right[1].bold
        assert right[1].sizes <= {"26", "28"}
        assert [p.text for p in left[:2]] == ["ỦY BAN NHÂN DÂN TỈNH BẾN TRE", "SỞ TƯ PHÁP"]
        second = [p for p in doc.paras(rows[1][0]) if p.text]
        number = second[0]
        assert STATE_NUMBER.match(number.text), number.text
        dated = [p for p in doc.paras(rows[1][1]) if p.text][0]
        left = [*left, *second]
    assert DATE_LINE.match(dated.text) and dated.italic
    assert dated.text == "Bến Tre, ngày 22 tháng 7 năm 2024"
    if kind == "letter":
        assert any(p.text.startswith("V/v ") for p in left)  # the summary under the number
        assert any(p.text.startswith("Kính gửi: ") for p in doc.body_paras())
        assert not any(p.text == "BÁO CÁO" for p in doc.body_paras())
    else:
        title = [p for p in doc.body_paras() if p.text == "BÁO CÁO"]
        assert title and title[0].bold and title[0].jc == "center"
        i = [p.text for p in doc.body_paras()].index("BÁO CÁO")
        summary = [p for p in doc.body_paras()[i + 1 :] if p.text][0]
        assert summary.bold and not summary.text.lower().startswith("báo cáo")


@pytest.mark.parametrize(("issuer", "kind"), CASES, ids=lambda v: getattr(v, "kind", v))
def test_body_signature_and_recipients(issuer: Issuer, kind: str) -> None:
    doc, paper = render(issuer, kind)
    content = [p for p in doc.body_paras() if p.text in {b.plain() for b in paper.body}]
    content += [p for p in doc.body_paras() if p.text.endswith("./.")]
    assert len(content) >= len(BODY) - 1
    for p in content:
        assert p.jc == "both" and p.first_line in ("567", "720") and (p.after or 0) >= 120
    assert "Nội dung báo cáo & số liệu <đầy đủ>." in doc.text()  # escaped, not markup
    signature_table = doc.tables()[1]
    assert borders_nil(signature_table)
    left, right = cells(signature_table)[0]
    received = [p for p in doc.paras(left) if p.text]
    head, items = received[0], received[1:]
    assert head.text == "Nơi nhận:"
    if issuer.kind == "party":
        assert head.underline and head.sizes == {"28"} and all(p.sizes == {"24"} for p in items)
        assert items[-1].text == "- Lưu Văn phòng Ban."
    else:
        assert head.bold and head.italic and head.sizes == {"24"}
        assert all(p.sizes == {"22"} for p in items)
        assert items[-1].text == "- Lưu: VT."
    assert all(RECIPIENT.match(p.text) for p in items[:-1])
    assert items[-1].text.startswith("- Lưu") and items[-1].text.endswith(".")
    if kind == "letter":
        assert items[0].text == "- Như trên;"
    signed = [p for p in doc.paras(right) if p.text]
    assert signed[-1].text == "Trần Thị Thu Hà" and signed[-1].bold
    assert signed[0].text == signed[0].text.upper() and signed[0].bold
    text = doc.text()
    for banned in ("Cấp trên", "[", "TODO"):
        assert banned not in text
    assert is_nfc(text)
    if issuer.kind == "state":
        assert any(p.text.endswith("./.") for p in doc.body_paras())


@pytest.mark.parametrize("issuer", [PARTY, STATE], ids=["party", "state"])
def test_report_annex_after_a_page_break(issuer: Issuer) -> None:
    doc, _ = render(issuer, "report")
    body = list(doc.body)
    breaks = [i for i, el in enumerate(body) if el.find(f".//{q('br')}[@{q('type')}='page']")
              is not None]  # fmt: skip
    assert breaks
    after = [para(el) for el in body[breaks[-1] :] if el.tag == q("p")]
    heading = [p for p in after if p.text == "Phụ lục"][0]
    assert heading.bold and heading.sizes == {"28"}
    assert any(p.italic and p.text.startswith("(Kèm theo Báo cáo số 45") for p in after)
    annex = doc.tables()[-1]
    assert annex.find(f"{q('tr')}/{q('trPr')}/{q('tblHeader')}") is not None


def test_a_draft_leaves_the_number_blank_and_says_so() -> None:
    doc, _ = render(PARTY, "report", number=None)
    left = [p.text for p in doc.paras(cells(doc.tables()[0])[0][0]) if p.text]
    assert "Số      -BC/BTGTU" in left and PARTY_NUMBER.match("Số      -BC/BTGTU")
    assert doc.body_paras()[0].text == "DỰ THẢO"
    state, _ = render(STATE, "report", number=None)
    assert STATE_NUMBER.match([p.text for p in state.paras() if p.text.startswith("Số")][0])


def test_dates_and_numbers_as_the_rules_write_them() -> None:
    assert date_line("Bến Tre", date(2024, 7, 22)) == "Bến Tre, ngày 22 tháng 7 năm 2024"
    assert date_line("Bến Tre", date(2025, 2, 5)) == "Bến Tre, ngày 05 tháng 02 năm 2025"
    assert date_line("Hà Nội", date(2024, 12, 1)) == "Hà Nội, ngày 01 tháng 12 năm 2024"
    assert official_date(date(2024, 7, 3)) == "03/7/2024"
    assert official_date(date(2024, 1, 15)) == "15/01/2024"
    assert numbering.symbol("party", 45, "BC", "BTGTU") == "45-BC/BTGTU"
    assert numbering.symbol("party", 5, "CV", "BTGTU") == "05-CV/BTGTU"
    assert numbering.symbol("state", 12, "BC", "UBND") == "12/BC-UBND"
    assert numbering.symbol("state", 2618, "CV", "BHXH", "KHTC") == "2618/BHXH-KHTC"
    assert numbering.number_line("state", "12/BC-UBND") == "Số: 12/BC-UBND"
    assert numbering.parse_entered("045") == 45 == numbering.parse_entered("45-BC/BTGTU")
    with pytest.raises(UserError):
        numbering.parse_entered("abc")


def test_signature_authority_by_regime() -> None:
    deputy = Holder("Nguyễn Hoàng Nam", "Phó Trưởng ban", role="deputy")
    party = signature("party", deputy, "Trưởng ban")
    assert party.lines() == ["K/T TRƯỞNG BAN", "PHÓ TRƯỞNG BAN", "Nguyễn Hoàng Nam"]
    assert signature("party", Holder("Trần Thị Thu Hà", "Trưởng ban"), None).lines() == [
        "TRƯỞNG BAN", "Trần Thị Thu Hà",
    ]  # fmt: skip
    ubnd = Holder("Trần Ngọc Tam", "Phó Chủ tịch", role="deputy",
                  authority=("TM. Ủy ban nhân dân", "KT. Chủ tịch"))  # fmt: skip
    assert signature("state", ubnd, "Chủ tịch").lines()[:2] == ["TM. ỦY BAN NHÂN DÂN",
                                                                "KT. CHỦ TỊCH"]  # fmt: skip
    with pytest.raises(UserError, match="starts with one of"):
        signature("party", Holder("X", "Phó Chủ tịch", authority=("KT. CHỦ TỊCH",)), None)


def test_an_office_template_without_its_fields_is_refused_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from docx import Document

    broken = Document()
    broken.add_paragraph("{{ number_line }} {{ date_line }}")
    broken.save(str(tmp_path / "party-report.docx"))
    monkeypatch.setenv("PHOIHOP_TEMPLATES_DIR", str(tmp_path))
    with pytest.raises(UserError) as refused:
        render(PARTY, "report")
    message = str(refused.value)
    assert "\n" not in message and "party-report.docx lacks" in message
    assert "{{ summary }}" in message and "{{ body }}" in message
    # the other templates are still the defaults
    doc, _ = render(PARTY, "letter")
    assert doc.fonts() == {"Times New Roman"}
