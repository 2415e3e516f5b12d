"""The Word report: issued at synthesis with its number and signer, and frozen."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from tests.docx_form import PARTY_NUMBER, Docx, cells
from tests.steps import DEMO_DATA, accept, ok, submit

Cli = Callable[..., object]


def _close(cli: Cli, tmp_path: Path, *extra: str) -> tuple[dict, bytes]:
    submit(cli, "HDND", "2024-07-08T10:00")
    accept(cli, "HDND", "2024-07-15T09:00")
    out = tmp_path / "bao-cao.docx"
    result = ok(cli("synthesize", "QD238/2024-H1", "--docx", out, "--now", "2024-07-22T09:00",
                    "--json", *extra))  # fmt: skip
    return result, out.read_bytes()


def test_synthesize_issues_a_numbered_signed_report(open_cycle: Cli, tmp_path: Path) -> None:
    result, data = _close(open_cycle, tmp_path)
    assert result["number"] == "01-BC/BTGTU"
    assert result["docx_sha256"] == hashlib.sha256(data).hexdigest()
    doc = Docx(data)
    left = [p.text for p in doc.paras(cells(doc.tables()[0])[0][0]) if p.text]
    assert left == ["TỈNH ỦY BẾN TRE", "BAN TUYÊN GIÁO", "*", "Số 01-BC/BTGTU"]
    assert PARTY_NUMBER.match(left[-1])
    text = doc.text()
    assert "Bến Tre, ngày 22 tháng 7 năm 2024" in text
    assert "Công văn số 310-CV/BTGTU ngày 03/7/2024" in text
    assert "Thường trực HĐND tỉnh đã chủ động, kịp thời đề xuất nội dung" in text
    signed = [p.text for p in doc.paras(cells(doc.tables()[1])[0][1]) if p.text]
    assert signed == ["TRƯỞNG BAN", "Trần Thị Thu Hà"]
    received = [p.text for p in doc.paras(cells(doc.tables()[1])[0][0]) if p.text]
    assert received[:3] == ["Nơi nhận:", "- Thường trực Tỉnh ủy (để b/c);", "- Lãnh đạo Ban;"]
    assert "- Sở Văn hóa, Thể thao và Du lịch;" in received
    annex, totals = doc.tables()[2:]  # who reported, then the data form's sums
    rows = {
        "".join(t.text or "" for t in c[1].iter()): "".join(t.text or "" for t in c[5].iter())
        for c in cells(annex)[1:]
    }
    assert rows["Thường trực Hội đồng nhân dân tỉnh"] == "Đúng hạn"
    assert rows["Sở Văn hóa, Thể thao và Du lịch"] == "Chưa gửi"
    heading = ["".join(t.text or "" for t in c.iter()) for c in cells(totals)[0]]
    assert heading == ["Mã", "Chỉ tiêu", "Đơn vị", "Tổng cộng", "Cơ quan chưa có số liệu"]


def test_a_closed_report_is_frozen_across_a_change_of_head(open_cycle: Cli, tmp_path: Path) -> None:
    cli = open_cycle
    _, issued = _close(cli, tmp_path)
    # Later the board gets a new head, a new name for a body, and an office template.
    csv = (DEMO_DATA / "bodies.csv").read_text(encoding="utf-8")
    changed = tmp_path / "bodies.csv"
    changed.write_text(csv.replace("Trần Thị Thu Hà", "Phạm Văn Mới"), encoding="utf-8")
    assert cli("bodies", "import", changed, "--now", "2025-01-05").code == 0
    again = tmp_path / "again.docx"
    ok(cli("cycle", "report", "QD238/2024-H1", "--docx", again, "--json", "--now", "2025-01-06"))
    assert again.read_bytes() == issued  # byte for byte
    assert "Trần Thị Thu Hà" in Docx(again.read_bytes()).text()


def test_the_signer_is_who_held_the_office_on_the_reports_date(
    open_cycle: Cli, tmp_path: Path
) -> None:
    cli = open_cycle
    signers = tmp_path / "signers.csv"
    signers.write_text(
        "body,name,title,role,authority,valid_from,valid_to\n"
        "BTGTU,Trần Thị Thu Hà,Trưởng ban,head,,2020-10-01,2024-07-19\n"
        "BTGTU,Nguyễn Hoàng Nam,Phó Trưởng ban,deputy,,2021-03-15,\n",
        encoding="utf-8",
    )
    assert ok(cli("signers", "import", signers, "--json"))["created"] == 2
    _, issued = _close(cli, tmp_path)  # 22/07: the head's term ended on 19/07
    doc = Docx(issued)
    signed = [p.text for p in doc.paras(cells(doc.tables()[1])[0][1]) if p.text]
    assert signed == ["K/T TRƯỞNG BAN", "PHÓ TRƯỞNG BAN", "Nguyễn Hoàng Nam"]


def test_an_entered_number_is_registered_and_used_once(open_cycle: Cli, tmp_path: Path) -> None:
    import pytest

    from rules.errors import UserError
    from services import clock, db, issuing
    from services.registry import body_by_code

    result, _ = _close(open_cycle, tmp_path, "--number", "45")
    assert result["number"] == "45-BC/BTGTU"
    entries = issuing.entries("BTGTU")
    assert [(e["symbol"], e["entered"], e["document"] is not None) for e in entries] == [
        ("45-BC/BTGTU", True, True)
    ]
    refused = pytest.raises(UserError, match="45-BC/BTGTU is already in the register")
    with refused, db.transaction() as session:
        board = body_by_code(session, "BTGTU")
        issuer = issuing.issuer_of(session, board)
        issuing.allocate(session, issuer, board.id, "BC", clock.now().date(), now=clock.now(),
                         actor="test", entered=45)  # fmt: skip


def test_draft_report_before_closing(open_cycle: Cli, tmp_path: Path) -> None:
    cli = open_cycle
    submit(cli, "HDND", "2024-07-08T10:00")
    out = tmp_path / "du-thao.docx"
    data = ok(cli("cycle", "report", "QD238/2024-H1", "--draft", "--docx", out, "--json",
                  "--now", "2024-07-10T09:00"))  # fmt: skip
    assert data["draft"] is True and data["status"] == "open"
    doc = Docx(out.read_bytes())
    assert doc.body_paras()[0].text == "DỰ THẢO"
    left = [p.text for p in doc.paras(cells(doc.tables()[0])[0][0]) if p.text]
    assert "Số      -BC/BTGTU" in left
    assert ok(cli("cycle", "list", "--json"))[0]["status"] == "open"  # nothing closed


def test_report_of_a_cycle_not_yet_synthesized_is_refused(open_cycle: Cli, tmp_path: Path) -> None:
    result = open_cycle("cycle", "report", "QD238/2024-H1", "--docx", tmp_path / "x.docx")
    assert result.code == 1
    assert result.err == "phoihop: lỗi: Kỳ báo cáo QD238/2024-H1 chưa được tổng hợp.\n"
    assert not (tmp_path / "x.docx").exists()
