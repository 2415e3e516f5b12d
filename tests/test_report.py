"""The consolidated report (rules.report), from plain data: by outline section, one
numbering hierarchy, an annex with the status table, and closing on purpose."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from rules.errors import UserError
from rules.report import (
    BodyReport,
    ClosingBlocked,
    Extended,
    ReportHeader,
    Returned,
    build,
    check_closing,
    render_markdown,
    summary_rows,
)

HEADER = ReportHeader(
    coordinator="Ban Tuyên giáo Tỉnh ủy Bến Tre",
    program_title="Báo cáo kết quả thực hiện Quy chế phối hợp theo Quyết định số 238-QĐ/TW",
    legal_basis="Quyết định số 238-QĐ/TW ngày 30/9/2020 của Ban Bí thư",
    period_label="6 tháng đầu năm 2024",
    cutoff_start=date(2023, 12, 15),
    cutoff_end=date(2024, 6, 14),
    letter_no="310-CV/BTGTU",
    letter_date=date(2024, 7, 3),
    created_at=datetime(2024, 7, 21, 19, 0, tzinfo=UTC),  # 22/07/2024 02:00 local
    outline=(
        {"code": "I", "title": "Đánh giá tình hình"},
        {"code": "II", "title": "Nhiệm vụ trọng tâm"},
    ),
)
SENT = datetime(2024, 7, 8, 3, 0, tzinfo=UTC)


def sections(body: str) -> list[dict[str, str]]:
    return [
        {"code": "", "title": "", "text": f"BÁO CÁO CỦA {body.upper()} (lời mở đầu)"},
        {"code": "I", "title": "Đánh giá tình hình", "text": f"Kết quả của {body}."},
        {"code": "II", "title": "Nhiệm vụ trọng tâm", "text": f"Nhiệm vụ của {body}."},
    ]


def body(code: str, name: str, **kw) -> BodyReport:
    values = dict(
        status="accepted",
        versions=1,
        returns=0,
        first_submitted_at=SENT,
        first_on_time=True,
        accepted_sections=sections(name),
    )
    values.update(kw)
    return BodyReport(code=code, name=name, **values)


BODIES = [
    body("HDND", "Thường trực Hội đồng nhân dân tỉnh"),
    body("TAND", "Tòa án nhân dân tỉnh", first_on_time=False),
    body("VKSND", "Viện Kiểm sát nhân dân tỉnh", versions=2, returns=1, first_on_time=True),
    body("SO-TP", "Sở Tư pháp", status="submitted", accepted_sections=None),
    body(
        "SO-TTTT",
        "Sở Thông tin và Truyền thông",
        status="returned",
        returns=1,
        accepted_sections=None,
    ),
    body(
        "SO-VHTTDL",
        "Sở Văn hóa, Thể thao và Du lịch",
        status="pending",
        versions=0,
        first_submitted_at=None,
        first_on_time=None,
        accepted_sections=None,
    ),
]


@pytest.fixture(scope="module")
def markdown() -> str:
    return render_markdown(HEADER, BODIES)


def test_categories() -> None:
    assert [(r["body"], r["category"], r["label"]) for r in summary_rows(BODIES)] == [
        ("HDND", "on_time", "Đúng hạn"),
        ("TAND", "late", "Trễ hạn"),
        ("VKSND", "after_revision", "Sau bổ sung, hoàn thiện"),
        ("SO-TP", "awaiting_review", "Đã gửi, chưa xem xét"),
        ("SO-TTTT", "returned", "Trả lại, chưa bổ sung"),
        ("SO-VHTTDL", "missing", "Chưa gửi"),
    ]


def test_the_annex_table_has_a_row_per_body(markdown: str) -> None:
    annex = markdown.split("**Phụ lục**")[1]
    assert (
        "| STT | Cơ quan | Văn bản (số, ngày) | Hạn | Ngày nhận | Tình trạng | Ghi chú |" in annex
    )
    assert "| 1 | Thường trực Hội đồng nhân dân tỉnh | Bản 1 | — | 08/7/2024 | Đúng hạn |  |" in (
        annex
    )
    assert (
        "| 3 | Viện Kiểm sát nhân dân tỉnh | Bản 2 | — | 08/7/2024 | Đúng hạn, bổ sung 1 lần |"
        in (annex)
    )
    assert "| 6 | Sở Văn hóa, Thể thao và Du lịch | — | — | — | Chưa gửi |  |" in annex
    assert (
        "Tổng số: đúng hạn: 1; trễ hạn: 1; sau bổ sung, hoàn thiện: 1; "
        "đã gửi, chưa xem xét: 1; trả lại, chưa bổ sung: 1; chưa gửi: 1 (trên 6 cơ quan)."
    ) in annex


def test_extensions_and_returns_are_noted_in_the_annex() -> None:
    extended = body("SO-TP", "Sở Tư pháp", extensions=(Extended(date(2024, 7, 17), "Chờ số liệu"),))
    back = Returned(date(2024, 7, 15), "Bổ sung số liệu", date(2024, 7, 19))
    returned = body("VKSND", "Viện Kiểm sát nhân dân tỉnh", versions=2, returns=1, returned=(back,))
    table = build(HEADER, [extended, returned]).annex[0]
    notes = {row[1]: row[-1] for row in table.rows}
    assert notes["Sở Tư pháp"] == "Gia hạn đến 17/7/2024: Chờ số liệu"
    assert notes["Viện Kiểm sát nhân dân tỉnh"] == (
        "Trả lại ngày 15/7/2024: Bổ sung số liệu, hạn mới 19/7/2024"
    )


def test_basis_cites_the_legal_basis_the_letter_and_the_cutoff(markdown: str) -> None:
    assert "# BÁO CÁO\n" in markdown
    summary = markdown.split("# BÁO CÁO\n\n")[1].splitlines()[0]
    assert summary == (
        "**Kết quả thực hiện Quy chế phối hợp theo Quyết định số 238-QĐ/TW 6 tháng đầu năm 2024**"
    )  # the type is not repeated: no "Báo cáo" in the summary line
    assert "Thực hiện Quyết định số 238-QĐ/TW ngày 30/9/2020 của Ban Bí thư;" in markdown
    assert "theo Công văn số 310-CV/BTGTU ngày 03/7/2024" in markdown
    assert "từ ngày 15/12/2023 đến ngày 14/6/2024" in markdown
    assert "báo cáo Báo cáo" not in markdown


def test_written_by_outline_section_never_one_chapter_per_body(markdown: str) -> None:
    headings = [line for line in markdown.splitlines() if line.startswith("## ")]
    assert headings == [
        "## I. TÌNH HÌNH TRIỂN KHAI VÀ TIẾP NHẬN BÁO CÁO",
        "## II. ĐÁNH GIÁ TÌNH HÌNH",
        "## III. NHIỆM VỤ TRỌNG TÂM",
    ]
    results = markdown.split("## II. ")[1].split("## III. ")[0]
    # the accepted contributions, in program order, numbered under the section
    assert [line for line in results.splitlines() if line.startswith("### ")] == [
        "### 1. Thường trực Hội đồng nhân dân tỉnh",
        "### 2. Tòa án nhân dân tỉnh",
        "### 3. Viện Kiểm sát nhân dân tỉnh",
    ]
    assert "Kết quả của Thường trực Hội đồng nhân dân tỉnh." in results
    assert "Nhiệm vụ của Tòa án nhân dân tỉnh." in markdown.split("## III. ")[1]


def test_a_bodys_own_numbering_moves_below_the_reports() -> None:
    text = "I. Kết quả chung\n\nMở đầu.\n\n1. Tuyên truyền\n\n- một;\n- hai.\n\n+ chi tiết"
    own = body("HDND", "HĐND", accepted_sections=[{"code": "I", "title": "x", "text": text}])
    blocks = build(HEADER, [own]).blocks
    labels = [(b.label, b.text) for b in blocks if b.label]
    start = labels.index(("1.", "HĐND")) + 1
    inner = labels[start : labels.index(("III.", "NHIỆM VỤ TRỌNG TÂM"))]
    assert inner[:3] == [("1.1.", "Kết quả chung"), ("a)", "Tuyên truyền"), ("-", "một;")]
    assert ("+", "chi tiết") in inner
    assert not any(label.rstrip(".").isalpha() and label[0] in "IVX" for label, _ in inner)


def test_preamble_omitted(markdown: str) -> None:
    assert "lời mở đầu" not in markdown


def test_progress_names_who_sent_and_who_did_not(markdown: str) -> None:
    progress = markdown.split("## I. ")[1].split("## II. ")[0]
    assert "đề nghị 6 cơ quan báo cáo" in progress
    assert "đã nhận báo cáo của 5/6 cơ quan" in progress
    assert "- Gửi đúng hạn: 1 cơ quan (Thường trực Hội đồng nhân dân tỉnh);" in progress
    assert (
        "- Gửi lại sau khi bổ sung, hoàn thiện: 1 cơ quan (Viện Kiểm sát nhân dân tỉnh (1 lần));"
        in (progress)
    )
    assert "- Chưa gửi: 1 cơ quan (Sở Văn hóa, Thể thao và Du lịch)." in progress
    closing = [line for line in markdown.splitlines() if line.startswith("Trên đây là báo cáo")]
    assert (
        "Cơ quan chưa gửi báo cáo: Sở Thông tin và Truyền thông; Sở Văn hóa, Thể thao"
        in (closing[0])
    )


def test_a_section_nobody_wrote_is_marked() -> None:
    empty = body("UBND", "Ủy ban nhân dân tỉnh",
                 accepted_sections=[{"code": "I", "title": "Đánh giá", "text": ""}])  # fmt: skip
    text = render_markdown(HEADER, [empty])
    assert "### 1. Ủy ban nhân dân tỉnh\n\n*(Không có nội dung.)*" in text
    assert "*(Chưa có cơ quan báo cáo nội dung này.)*" in text  # section II


def test_without_letter_number_or_legal_basis() -> None:
    header = ReportHeader(**(HEADER.__dict__ | {"letter_no": None, "legal_basis": None}))
    text = render_markdown(header, BODIES[:1])
    assert "Theo yêu cầu ngày 03/7/2024 của Ban Tuyên giáo Tỉnh ủy Bến Tre" in text
    assert "Thực hiện" not in text


def test_diacritics_intact(markdown: str) -> None:
    for word in ("Tòa án", "Viện Kiểm sát", "Văn hóa, Thể thao và Du lịch", "TÌNH HÌNH"):
        assert word in markdown
    assert markdown.endswith("\n") and not markdown.endswith("\n\n")


# -- closing on purpose ------------------------------------------------------------------

DUE = datetime(2024, 7, 12, 16, 59, 59, tzinfo=UTC)  # 12/07/2024 23:59:59 local
CLOSING = [
    body("HDND", "HĐND", due_at=DUE, task_id=1),
    body("UBND", "UBND", status="submitted", accepted_sections=None, due_at=DUE, task_id=2),
    body("SO-TP", "Sở Tư pháp", status="pending", versions=0, accepted_sections=None,
         due_at=DUE + timedelta(days=14), task_id=6),  # extended to 26/07
    body("SO-TTTT", "Sở TT&TT", status="returned", returns=1, accepted_sections=None,
         due_at=DUE, task_id=5),  # its new deadline passed without a resubmission
    body("SO-VHTTDL", "Sở VHTTDL", status="pending", versions=0, accepted_sections=None,
         due_at=DUE, task_id=7),  # never sent, deadline passed
]  # fmt: skip
AFTER = datetime(2024, 7, 22, 2, 0, tzinfo=UTC)


def test_closing_is_refused_while_a_report_waits_or_a_body_is_within_its_deadline() -> None:
    with pytest.raises(ClosingBlocked) as refused:
        check_closing(CLOSING, AFTER, [])
    assert [(b["body"], b["reason"]) for b in refused.value.blockers] == [
        ("UBND", "awaiting_review"),
        ("SO-TP", "within_deadline"),
    ]
    assert "task 2 (UBND) waits for review; task 6 (SO-TP) is within its deadline (26/07/2024)" in (
        str(refused.value)
    )


def test_bodies_past_their_deadline_never_hold_up_the_synthesis() -> None:
    closed = check_closing(CLOSING, AFTER, ["UBND", "SO-TP"])
    assert [b.category for b in closed] == [
        "on_time",
        "left_out",
        "left_out",
        "returned",
        "missing",
    ]
    markdown = render_markdown(HEADER, closed)
    assert "không chờ các cơ quan sau (theo quyết định của cơ quan chủ trì): UBND; Sở Tư pháp." in (
        markdown
    )
    assert "Kết quả của UBND" not in markdown  # left out: no content


def test_a_returned_task_within_its_new_deadline_holds_up_the_synthesis() -> None:
    returned = [replace(CLOSING[3], due_at=AFTER + timedelta(days=1))]
    with pytest.raises(ClosingBlocked, match=r"task 5 \(SO-TTTT\) is within its deadline"):
        check_closing(returned, AFTER, [])


@pytest.mark.parametrize(
    ("leave_out", "message"),
    [
        (["UBND", "SO-TP", "XYZ"], "not a body of this cycle: XYZ"),
        (["UBND", "SO-TP", "HDND"], "HDND does not hold up the synthesis"),
    ],
)
def test_leaving_out_names_only_bodies_that_hold_it_up(leave_out: list[str], message: str) -> None:
    with pytest.raises(UserError, match=message):
        check_closing(CLOSING, AFTER, leave_out)
