"""The text structure of reports (rules.reading) and form rules (rules.forms), pure."""

from __future__ import annotations

import pytest

from rules import forms
from rules.reading import Line, header_of, heading_of, join_broken, lines_of_text, strip_signature


@pytest.mark.parametrize(
    "text, style, code, depth",
    [
        ("I. Đánh giá chung", "roman", "I", 1),
        ("II- Nhiệm vụ", "roman", "II", 1),
        ("Phần I: Kết quả", "roman", "I", 1),
        ("PHẦN THỨ HAI. NHIỆM VỤ", "roman", "II", 1),
        ("1. Kết quả thực hiện", "arabic", "1", 2),
        ("1.1. Kết quả phối hợp", "arabic", "1.1", 3),
        ("a) Ưu điểm", "letter", "a", 6),
        ("# IV) Kiến nghị", "roman", "IV", 1),
        ("NHỮNG KẾT QUẢ ĐẠT ĐƯỢC", "plain", "", 7),
    ],
)
def test_headings_as_officials_number_them(text: str, style: str, code: str, depth: int) -> None:
    heading = heading_of(Line(text))
    assert heading is not None and (heading.style, heading.code, heading.depth) == (
        style,
        code,
        depth,
    )


@pytest.mark.parametrize(
    "text",
    [
        "1. Tiếp tục quán triệt, tuyên truyền và thực hiện nghiêm túc Quyết định 238;",
        "2. Nâng cao hiệu quả công tác phối hợp trong chỉ đạo định hướng tuyên truyền các chủ "
        "trương đường lối của Đảng, chính sách pháp luật của Nhà nước.",
        "- Tuyên truyền sâu rộng",
        "Thường trực HĐND đã phối hợp.",
        "| a | b |",
    ],
)
def test_items_and_text_are_not_headings(text: str) -> None:
    assert heading_of(Line(text, table=text.startswith("|"))) is None


def test_a_bold_word_paragraph_is_a_heading_even_with_a_full_stop() -> None:
    assert heading_of(Line("I. KẾT QUẢ THỰC HIỆN.", bold=True)) is not None
    assert heading_of(Line("Về công tác phối hợp", bold=True)).style == "plain"


def test_a_line_cut_by_a_page_break_is_joined() -> None:
    lines = join_broken(lines_of_text("củng cố niềm tin của cán\n\nbộ, đảng viên.\nTiếp theo."))
    assert [line.text for line in lines if line.text] == [
        "củng cố niềm tin của cán bộ, đảng viên.",
        "Tiếp theo.",
    ]
    kept = join_broken(lines_of_text("Kết thúc câu.\nmột dòng mới\na) mục"))
    assert [line.text for line in kept] == ["Kết thúc câu.", "một dòng mới", "a) mục"]


def test_the_signature_goes_wherever_extraction_put_it() -> None:
    before = lines_of_text(
        "Trên đây là báo cáo./.\nTM. THƯỜNG TRỰC HĐND\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n"
        "Nơi nhận:\n- TTTU;\n- Lưu: VT.\nNguyễn Văn Công"
    )
    assert [line.text for line in strip_signature(before)] == ["Trên đây là báo cáo./."]


def test_the_header_from_the_top() -> None:
    header = header_of(
        ["TỈNH ỦY BẾN TRE", "BAN TUYÊN GIÁO", "*", "Số 45-BC/BTGTU", "ĐẢNG CỘNG SẢN VIỆT NAM",
         "Bến Tre, ngày 05 tháng 02 năm 2024"],
        lines_of_text("BÁO CÁO\nKết quả 6 tháng\nThực hiện Công văn số 310-CV/BTGTU ngày 3/7"),
    )  # fmt: skip
    assert (header.issuer, header.parent, header.number) == (
        "BAN TUYÊN GIÁO",
        "TỈNH ỦY BẾN TRE",
        "45-BC/BTGTU",
    )
    assert header.date.isoformat() == "2024-02-05" and header.place == "Bến Tre"
    assert (header.type, header.summary, header.cites) == (
        "BÁO CÁO",
        "Kết quả 6 tháng",
        "310-CV/BTGTU",
    )


FORM = {
    "code": "BM",
    "title": "Biểu",
    "indicators": [
        {"code": "A", "name": "Tổng", "type": "integer", "min": 0, "max": None, "required": True},
        {"code": "B", "name": "Đạt", "type": "integer", "min": 0, "max": None, "required": True},
        {"code": "R", "name": "Tỷ lệ", "type": "percentage", "min": 0, "max": 100,
         "numerator": "B", "denominator": "A", "required": False},
        {"code": "D", "name": "Kinh phí", "type": "decimal", "unit": "triệu đồng", "min": 0,
         "max": None, "required": False},
    ],
}  # fmt: skip


@pytest.mark.parametrize(
    "value, kind, expected",
    [
        ("1.234", "integer", 1234),
        ("1 234", "integer", 1234),
        (12.0, "integer", 12),
        ("12,5", "decimal", 12.5),
        ("1.234,5", "decimal", 1234.5),
        ("12.5", "decimal", 12.5),
        ("85%", "percentage", 85),
    ],
)
def test_numbers_as_typed(value: object, kind: str, expected: object) -> None:
    assert forms.parse(value, {"type": kind}) == (expected, True)


def test_a_figure_past_excels_precision_is_a_wrong_cell() -> None:
    assert forms.parse("9" * 400, {"type": "integer"}) == ("9" * 400, False)
    assert forms.parse(10**15, {"type": "integer"}) == (10**15, False)
    assert forms.parse(10**15 - 1, {"type": "integer"}) == (10**15 - 1, True)
    assert forms.parse("-1.000.000.000.000.000", {"type": "integer"})[1] is False


def test_a_text_value_is_stored_nfc_and_a_control_character_is_a_wrong_cell() -> None:
    decomposed = "Tuye\u0302n truye\u0302\u0300n"  # as some Mac Excel and Unikey settings type
    assert forms.parse(decomposed, {"type": "text"}) == ("Tuyên truyền", True)
    assert forms.parse("Ghi\x07chú", {"type": "text"}) == ("Ghi\x07chú", False)


def test_a_percent_formatted_cell_holds_its_fraction() -> None:
    assert forms.parse(0.85, {"type": "percentage", "min": 0, "max": 100}, "0%") == (85, True)


def test_sums_recompute_rates_and_name_the_missing() -> None:
    bodies = {"X": "Cơ quan X", "Y": "Cơ quan Y", "Z": "Cơ quan Z"}
    entries = {"X": {"A": 10, "B": 5, "D": 1.5}, "Y": {"A": 30, "B": 27, "R": 90}}
    totals = forms.sum_form(FORM, bodies, entries)
    cells = {c.key: c for c in totals.cells}
    assert (cells["A"].total, cells["B"].total) == (40, 32)
    assert cells["R"].total == 80.0 and cells["R"].derived  # 32/40, not 50 + 90
    assert cells["D"].total == 1.5 and cells["D"].missing == ["Y", "Z"]
    assert totals.not_sent == ["Z"] and cells["A"].missing == ["Z"]
    # a roll-up takes a child cycle's totals as one body's values
    parent = forms.sum_form(FORM, {"CHILD": "Kỳ dưới", "W": "W"},
                            {"CHILD": totals.as_values(), "W": {"A": 60, "B": 48}})  # fmt: skip
    assert {c.key: c.total for c in parent.cells}["R"] == 80.0
    markdown = forms.summed_markdown([totals])
    assert "| R | Tỷ lệ | % | 80% (tính lại) | — |" in markdown
    assert "Chưa có số liệu (chưa gửi hoặc chưa được tiếp nhận): Cơ quan Z." in markdown
    assert "| D | Kinh phí | triệu đồng | 1,5 | Cơ quan Y |" in markdown


def test_a_heading_line_of_spaces_and_hashes_is_read_at_once() -> None:
    """Lines an agency can paste: the heading pattern once backtracked for minutes on them
    (a lazy title before optional trailing spaces and ``#``s)."""
    from rules.reading import markdown_heading

    assert markdown_heading("## II. Nhiệm vụ ##") == (2, "II. Nhiệm vụ")
    assert markdown_heading("# a" + " " * 20_000 + "b") == (1, "a" + " " * 20_000 + "b")
    assert markdown_heading("# a" + "#" * 200_000 + "b") == (1, "a" + "#" * 200_000 + "b")
    assert markdown_heading("# a" + " " * 20_000) == (1, "a")
    assert markdown_heading("#" * 7 + " bảy") is None
    assert header_of(["Số: 45/BC-HĐND" + " " * 20_000 + "x"], []).number == (
        "45/BC-HĐND" + " " * 20_000 + "x"
    )


def test_two_large_versions_of_repeated_lines_are_compared_at_once() -> None:
    """An agency's two 2 MB versions of alternating lines: exact matching is n×m work
    (minutes on a coordinator's page); past a section of ordinary size difflib's junk
    heuristic keeps it linear, and every line is still accounted for."""
    from rules.reading_diff import diff_sections

    old = "\n".join("a" if i % 2 else "b" for i in range(20_000))
    new = "\n".join("b" if i % 2 else "a" for i in range(20_000))
    [section] = diff_sections([{"code": "I", "text": old}], [{"code": "I", "text": new}],
                              [{"code": "I", "title": "Một"}])  # fmt: skip
    assert section.change == "changed"
    assert sum(len(before) for _, before, _ in section.ops) == 20_000
    assert sum(len(after) for _, _, after in section.ops) == 20_000
    small = diff_sections([{"code": "I", "text": "x\ny\nz"}], [{"code": "I", "text": "x\nz"}],
                          [{"code": "I", "title": "Một"}])[0]  # fmt: skip
    assert [tag for tag, *_ in small.ops] == ["equal", "delete", "equal"]  # exact when small
