"""The Word report: what an official opens after synthesis."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

from docx import Document

from tests.steps import accept, submit


def _all_text(document: Document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def test_synthesize_writes_an_editable_word_report(
    open_cycle: Callable[..., object], tmp_path: Path
) -> None:
    cli = open_cycle
    submit(cli, "HDND", "2024-07-08T10:00")
    accept(cli, "HDND", "2024-07-15T09:00")
    out = tmp_path / "bao-cao.docx"
    result = cli("synthesize", "QD238/2024-H1", "--docx", out, "--now", "2024-07-22T09:00")
    assert result.code == 0, result.err

    document = Document(io.BytesIO(out.read_bytes()))
    text = _all_text(document)
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text
    assert "BAN TUYÊN GIÁO TỈNH ỦY BẾN TRE" in text
    assert "ngày 22 tháng 07 năm 2024" in text
    assert "Công văn số 310-CV/BTGTU ngày 03/07/2024" in text
    summary = document.tables[1]
    assert [c.text for c in summary.rows[0].cells][:3] == ["STT", "Cơ quan", "Tình trạng"]
    assert len(summary.rows) == 1 + 7  # header + every participating body
    rows = {r.cells[1].text: r.cells[2].text for r in summary.rows[1:]}
    assert rows["Thường trực Hội đồng nhân dân tỉnh"] == "Đúng hạn"
    assert rows["Sở Văn hóa, Thể thao và Du lịch"] == "Chưa gửi"
    assert "Thường trực HĐND tỉnh đã chủ động, kịp thời đề xuất nội dung" in text
    assert "TRƯỞNG BAN" in text and "Trần Thị Thu Hà" in text


def test_report_of_a_cycle_not_yet_synthesized_is_refused(
    open_cycle: Callable[..., object], tmp_path: Path
) -> None:
    result = open_cycle("cycle", "report", "QD238/2024-H1", "--docx", tmp_path / "x.docx")
    assert result.code == 1
    assert result.err.strip().endswith("has not been synthesized yet")
    assert not (tmp_path / "x.docx").exists()


def test_the_same_word_report_can_be_fetched_again_later(
    open_cycle: Callable[..., object], tmp_path: Path
) -> None:
    cli = open_cycle
    assert (
        cli(
            "synthesize",
            "QD238/2024-H1",
            "--docx",
            tmp_path / "a.docx",
            "--now",
            "2024-07-22T09:00",
        ).code
        == 0
    )
    assert cli("cycle", "report", "QD238/2024-H1", "--docx", tmp_path / "b.docx").code == 0
    first = _all_text(Document(str(tmp_path / "a.docx")))
    again = _all_text(Document(str(tmp_path / "b.docx")))
    assert first == again
