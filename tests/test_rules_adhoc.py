"""rules.adhoc: an ad-hoc request's deadlines, number, label and outline, on exact dates."""

from __future__ import annotations

from datetime import date

import pytest

from rules import adhoc
from rules.calendar import default_calendar
from rules.errors import UserError

CAL = default_calendar()


def test_working_days_from_the_letter_skip_tet() -> None:
    # Letter of Friday 24/01/2025, 5 working days: Tết 27/01–02/02/2025 is not counted.
    d = adhoc.deadlines(date(2025, 1, 24), date(2025, 1, 24), CAL, within=5)
    assert (d.provide_due, d.review_due, d.synthesis_due) == (
        date(2025, 2, 7), date(2025, 2, 12), date(2025, 2, 14),
    )  # fmt: skip
    assert d.provide_working_days == 5


def test_a_due_date_on_a_day_off_moves_to_the_next_working_day() -> None:
    d = adhoc.deadlines(
        date(2024, 8, 1), date(2024, 8, 2), CAL, due=date(2024, 8, 17), review=1, synthesis=0
    )
    assert (d.provide_due, d.review_due, d.synthesis_due) == (
        date(2024, 8, 19), date(2024, 8, 20), date(2024, 8, 20),
    )  # fmt: skip
    assert d.provide_working_days == 12


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"due": date(2024, 8, 1)}, "the due date 2024-08-01 is already past"),
        ({"within": 0}, "the deadline is 1 to 120 working days from the letter, not 0"),
        ({}, "give the deadline either as a date or as a number of working days"),
        ({"due": date(2024, 9, 1), "within": 3}, "either as a date"),
        ({"within": 3, "review": 61}, "the review takes 0 to 60 working days, not 61"),
    ],
)
def test_refusals(kwargs: dict, words: str) -> None:
    with pytest.raises(UserError, match=words):
        adhoc.deadlines(date(2024, 8, 2), date(2024, 8, 2), CAL, **kwargs)


def test_a_backdated_letter_whose_days_have_run_out_is_refused() -> None:
    with pytest.raises(UserError, match="3 working days from the letter of 2024-07-01 ended on"):
        adhoc.deadlines(date(2024, 7, 1), date(2024, 8, 2), CAL, within=3)
    with pytest.raises(UserError, match="in the future"):
        adhoc.deadlines(date(2024, 8, 3), date(2024, 8, 2), CAL, within=3)


def test_numbers_run_per_year_and_read_back() -> None:
    assert adhoc.next_spec(2024, []) == "2024-001"
    assert adhoc.next_spec(2024, ["2024-001", "2024-007", "2023-012"]) == "2024-008"
    assert adhoc.next_spec(2025, ["2024-001"]) == "2025-001"
    assert adhoc.parse_spec(" 2024-008 ") == "2024-008"
    assert adhoc.parse_spec("2024-07") is None  # a month, not a request
    assert adhoc.parse_spec("2024-000") is None
    with pytest.raises(UserError, match="more than 999 ad-hoc requests in 2024"):
        adhoc.next_spec(2024, ["2024-999"])
    assert adhoc.program_code("BTGTU") == "DX-BTGTU"


def test_the_label_reads_after_bao_cao_dot_xuat() -> None:
    assert adhoc.label("Tình hình phòng, chống bão") == "về tình hình phòng, chống bão"
    assert adhoc.label("về công tác dân vận") == "về công tác dân vận"
    assert adhoc.label("HĐND tỉnh tiếp xúc cử tri") == "về HĐND tỉnh tiếp xúc cử tri"
    period = adhoc.AdhocPeriod("2024-001", "Bão số 3", date(2024, 8, 1))
    assert period.cutoff() == (date(2024, 1, 1), date(2024, 8, 1))


def test_a_markdown_outline_and_the_validation_of_a_program_outline() -> None:
    sections = adhoc.outline_from_markdown(
        "# Đề cương\n## I. Kết quả\ntext\n### 1. Một phần của mục I\n## II. Khó khăn (nếu có)\n",
        "x.md",
    )
    assert sections == [
        {"code": "I", "title": "Kết quả", "required": True},
        {"code": "II", "title": "Khó khăn", "required": False},
    ]
    terms = adhoc.request_terms(None, None)
    assert [s.title for s in terms.outline] == ["Nội dung báo cáo"]
    assert [s.after_working_days for s in terms.escalation.ladder] == [0, 2, 5]
    with pytest.raises(UserError, match="the outline: outline.0.title"):
        adhoc.request_terms([{"code": "I", "title": ""}], None)
    with pytest.raises(UserError, match="strictly increasing"):
        adhoc.request_terms(
            None,
            {
                "ladder": [
                    {"after_working_days": 2, "notify": ["focal"]},
                    {"after_working_days": 1, "notify": ["head"]},
                ]
            },
        )
    with pytest.raises(UserError, match="no section headings"):
        adhoc.outline_from_markdown("just text\n", "x.md")
