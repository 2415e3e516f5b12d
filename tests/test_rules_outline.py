"""Matching a body's report to the program's outline (rules.outline.split_sections)."""

from __future__ import annotations

import unicodedata

import pytest

from rules.errors import UserError
from rules.outline import Section, split_sections

OUTLINE = [
    {"code": "I", "title": "Đánh giá tình hình và kết quả thực hiện Quyết định số 238"},
    {"code": "II", "title": "Những nhiệm vụ trọng tâm trong thời gian tới"},
    {"code": "III", "title": "Đề xuất, kiến nghị", "required": False},
]


def codes(sections: list[Section]) -> list[str]:
    return [s.code for s in sections]


def test_headings_with_code_and_punctuation() -> None:
    text = (
        "# I. Đánh giá chung\n"
        "Kết quả tốt.\n"
        "## II) Nhiệm vụ\n"
        "Tiếp tục.\n"
        "### III: Kiến nghị\n"
        "Không có.\n"
    )
    sections = split_sections(text, OUTLINE)
    assert [(s.code, s.title, s.text) for s in sections] == [
        ("I", OUTLINE[0]["title"], "Kết quả tốt."),
        ("II", OUTLINE[1]["title"], "Tiếp tục."),
        ("III", "Đề xuất, kiến nghị", "Không có."),
    ]


def test_sections_returned_in_outline_order() -> None:
    text = "# II. Nhiệm vụ\nsau\n# I. Đánh giá\ntrước\n"
    assert codes(split_sections(text, OUTLINE)) == ["I", "II"]


def test_code_must_be_followed_by_punctuation() -> None:
    # "# II" must not be read as section I followed by "I"; "# Ideas" is not section I.
    text = "# I. Một\na\n# Ideas for later\nb\n# II. Hai\nc\n"
    sections = split_sections(text, OUTLINE)
    assert sections[0].text == "a\n# Ideas for later\nb"


def test_heading_by_exact_title() -> None:
    text = (
        "# Đánh giá tình hình và kết quả thực hiện Quyết định số 238\nA\n"
        "# Những nhiệm vụ trọng tâm trong thời gian tới\nB\n"
    )
    assert [(s.code, s.text) for s in split_sections(text, OUTLINE)] == [("I", "A"), ("II", "B")]


def test_title_match_ignores_case_and_normalisation() -> None:
    title = OUTLINE[1]["title"].upper()
    decomposed = unicodedata.normalize("NFD", title)
    assert decomposed != title
    text = f"# i. đánh giá\nA\n## {decomposed}\nB\n"
    sections = split_sections(text, OUTLINE)
    assert [(s.code, s.text) for s in sections] == [("I", "A"), ("II", "B")]


def test_title_match_does_not_ignore_diacritics() -> None:
    text = "# I. A\nx\n# Nhung nhiem vu trong tam trong thoi gian toi\ny\n"
    with pytest.raises(UserError, match="II. Những nhiệm vụ"):
        split_sections(text, OUTLINE)


def test_missing_required_section_is_named() -> None:
    with pytest.raises(UserError) as info:
        split_sections("# I. Đánh giá\nNội dung.\n", OUTLINE)
    message = str(info.value)
    assert "II. Những nhiệm vụ trọng tâm trong thời gian tới" in message
    assert "III" not in message  # optional
    assert "\n" not in message


def test_all_missing_sections_listed() -> None:
    with pytest.raises(UserError, match=r"I\. Đánh giá.*; II\. Những"):
        split_sections("Chỉ có lời mở đầu.\n", OUTLINE)


def test_duplicated_section_refused() -> None:
    text = "# I. Đánh giá\na\n# II. Nhiệm vụ\nb\n# I. Đánh giá lại\nc\n"
    with pytest.raises(UserError, match="section I appears twice"):
        split_sections(text, OUTLINE)


def test_optional_section_may_be_absent() -> None:
    sections = split_sections("# I. A\na\n# II. B\nb\n", OUTLINE)
    assert codes(sections) == ["I", "II"]


def test_preamble_kept_as_first_section() -> None:
    text = "BÁO CÁO\nKết quả thực hiện Quyết định 238\n\n# I. Đánh giá\na\n# II. Nhiệm vụ\nb\n"
    sections = split_sections(text, OUTLINE)
    assert sections[0] == Section("", "", "BÁO CÁO\nKết quả thực hiện Quyết định 238")
    assert codes(sections) == ["", "I", "II"]


def test_unrecognised_heading_before_first_section_is_preamble() -> None:
    sections = split_sections("# BÁO CÁO\n# I. A\na\n# II. B\nb\n", OUTLINE)
    assert sections[0].text == "# BÁO CÁO"


def test_no_preamble_section_when_blank() -> None:
    sections = split_sections("\n\n# I. A\na\n# II. B\nb\n", OUTLINE)
    assert codes(sections) == ["I", "II"]


@pytest.mark.parametrize("text", ["", "   \n\n\t\n"])
def test_empty_report_refused(text: str) -> None:
    with pytest.raises(UserError, match="empty"):
        split_sections(text, OUTLINE)


def test_vietnamese_text_intact_and_nfc() -> None:
    body = "Thường trực HĐND tỉnh đã chủ động, kịp thời đề xuất nội dung; Tòa án, Viện Kiểm sát."
    decomposed = unicodedata.normalize("NFD", body)
    text = f"# I. Đánh giá\r\n{decomposed}\r\n# II. Nhiệm vụ\r\nỨng phó hạn hán, xâm nhập mặn.\r\n"
    sections = split_sections(text, OUTLINE)
    assert sections[0].text == body  # NFC, CRLF gone
    assert sections[1].text == "Ứng phó hạn hán, xâm nhập mặn."


def test_as_dict() -> None:
    assert Section("I", "Tiêu đề", "Nội dung").as_dict() == {
        "code": "I",
        "title": "Tiêu đề",
        "text": "Nội dung",
    }
