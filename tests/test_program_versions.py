"""``program update``: new terms for the cycles opened after it, none for those before.

QD238/2024-H1 is opened under version 1 (outline I–III, 7 working days, ladder
0/2/5); the program is then updated to version 2 (a required section IV, 10
working days, a ladder starting a working day later). The open cycle keeps
everything it was opened with: the outline its reports are read against, the
ladder the sweep climbs, the synthesis's headings; the next cycle gets version 2.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import yaml

from tests.steps import CYCLE, REPORTS, SEED_PROGRAM, Cli, accept, ok, submit
from tests.test_bad_input import fails_cleanly
from tests.test_requests import said_in_english


def _updated(tmp_path: Path, **changes: object) -> Path:
    data = yaml.safe_load(SEED_PROGRAM.read_text(encoding="utf-8"))
    data.update(changes)
    path = tmp_path / f"qd238-{len(list(tmp_path.glob('qd238-*')))}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


V2_OUTLINE = [
    {"code": "I", "title": "Đánh giá tình hình và kết quả thực hiện Quyết định số 238"},
    {"code": "II", "title": "Những nhiệm vụ trọng tâm trong thời gian tới"},
    {"code": "III", "title": "Đề xuất, kiến nghị", "required": False},
    {"code": "IV", "title": "Số liệu chuyển đổi số trong công tác phối hợp"},
]
V2_LADDER = {
    "reminders": [2],
    "ladder": [
        {"after_working_days": 1, "notify": ["focal", "head"]},
        {"after_working_days": 4, "notify": ["head", "coordinator_leadership"]},
    ],
}


def _version_2(tmp_path: Path) -> Path:
    return _updated(
        tmp_path,
        outline=V2_OUTLINE,
        escalation=V2_LADDER,
        working_days={"provide": 10, "review": 3, "synthesis": 2},
    )


def _rows(data_dir: Path) -> dict[str, int]:
    with sqlite3.connect(data_dir / "phoihop.db") as conn:
        return {
            t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0]
            for t in ("program", "programversion", "programbody", "cycle", "auditrecord")
        }


def test_an_update_is_for_future_cycles_and_the_open_one_keeps_its_terms(
    open_cycle: Cli, tmp_path: Path
) -> None:
    cli = open_cycle
    updated = ok(cli("program", "update", _version_2(tmp_path), "--now", "2024-07-05", "--json"))
    assert updated == {
        "code": "QD238", "version": 2, "created": True, "added_bodies": [],
        "changed": ["provide_working_days", "outline", "escalation"],
    }  # fmt: skip
    [listed] = ok(cli("program", "list", "--json"))
    assert (listed["version"], listed["working_days"]["provide"]) == (2, 10)
    shown = ok(cli("program", "show", "QD238", "--json"))
    assert [(v["version"], v["cycles"], len(v["outline"])) for v in shown["versions"]] == [
        (1, 1, 3),
        (2, 0, 4),
    ]
    info = ok(cli("cycle", "show", CYCLE, "--json"))["cycle"]
    assert info["program_version"] == 1
    assert [s["code"] for s in info["outline"]] == ["I", "II", "III"]

    # Its reports are read against version 1: HDND's, without a section IV, is taken.
    assert submit(cli, "HDND", "2024-07-08T10:00")["version"] == 1
    # The sweep climbs version 1's ladder: level 1 the day after the due date (12/07),
    # where version 2's would not start before Monday 15/07.
    fired = ok(cli("sweep", "--now", "2024-07-13T08:00", "--json"))
    assert {f["step"] for f in fired["fired"]} == {"level-1"}
    assert fired["escalations"] == 6

    # Its synthesis has version 1's headings, and no section IV.
    out = tmp_path / "tong-hop.md"
    accept(cli, "HDND", "2024-07-15T09:00")
    ok(cli("synthesize", CYCLE, "--out", out, "--now", "2024-07-22T09:00", "--json"))
    text = out.read_text(encoding="utf-8")
    assert "NHỮNG NHIỆM VỤ TRỌNG TÂM TRONG THỜI GIAN TỚI" in text
    assert "CHUYỂN ĐỔI SỐ" not in text.upper()

    # The next cycle is opened under version 2: 10 working days, section IV required.
    opened = ok(
        cli("cycle", "open", "QD238", "2024-H2", "--letter-no", "5-CV/BTGTU",
            "--now", "2025-01-03T08:00", "--json")
    )  # fmt: skip
    assert opened["cycle"]["provide_due"] == "2025-01-17"  # 10 working days from 03/01/2025
    assert ok(cli("cycle", "show", "QD238/2024-H2", "--json"))["cycle"]["program_version"] == 2
    refused = fails_cleanly(
        cli, "submit", REPORTS / "HDND.md", "--cycle", "QD238/2024-H2", "--body", "HDND",
        "--now", "2025-01-06T10:00", code=1,
    )  # fmt: skip
    assert "IV" in refused


def test_the_same_file_twice_makes_one_version_and_one_audit_record(
    open_cycle: Cli, tmp_path: Path, data_dir: Path
) -> None:
    cli = open_cycle
    path = _version_2(tmp_path)
    ok(cli("program", "update", path, "--now", "2024-07-05", "--json"))
    before = _rows(data_dir)
    again = ok(cli("program", "update", path, "--now", "2024-07-06", "--json"))
    assert (again["version"], again["created"], again["changed"]) == (2, False, [])
    assert _rows(data_dir) == before
    said = cli("program", "update", path, "--now", "2024-07-06")
    assert said.out.strip() == "Chương trình QD238: không có gì thay đổi (vẫn là phiên bản 2)"
    audit = ok(cli("audit", "--json"))
    records = audit["items"] if isinstance(audit, dict) else audit
    [record] = [r for r in records if r["action"] == "program.updated"]
    assert record["text"] == (
        "chương trình QD238: phiên bản 2 cho các kỳ mở sau "
        "(provide_working_days, outline, escalation)"
    )


def test_the_seed_file_itself_changes_nothing(open_cycle: Cli, data_dir: Path) -> None:
    before = _rows(data_dir)
    result = ok(open_cycle("program", "update", SEED_PROGRAM, "--now", "2024-07-05", "--json"))
    assert (result["version"], result["created"]) == (1, False)
    assert _rows(data_dir) == before


def test_title_and_a_new_body_change_in_place_without_a_new_version(
    open_cycle: Cli, tmp_path: Path
) -> None:
    cli = open_cycle
    data = yaml.safe_load(SEED_PROGRAM.read_text(encoding="utf-8"))
    path = _updated(tmp_path, bodies=[*data["bodies"], "DU-PHUTUC"], legal_basis="Quyết định mới")
    result = ok(cli("program", "update", path, "--now", "2024-07-05", "--json"))
    assert (result["version"], result["created"]) == (1, False)
    assert (result["changed"], result["added_bodies"]) == (["legal_basis"], ["DU-PHUTUC"])
    [listed] = ok(cli("program", "list", "--json"))
    assert (listed["bodies"], listed["legal_basis"]) == (8, "Quyết định mới")
    tasks = ok(cli("tasks", "list", "--cycle", CYCLE, "--json"))["items"]
    assert len(tasks) == 7  # the open cycle's bodies are those it was opened for


def test_bad_updates_are_one_line_and_change_nothing(open_cycle: Cli, tmp_path: Path) -> None:
    cli = open_cycle
    data = yaml.safe_load(SEED_PROGRAM.read_text(encoding="utf-8"))
    cases = {
        "unknown program: NOPE": _updated(tmp_path, code="NOPE"),
        "its coordinator cannot change": _updated(tmp_path, coordinator="UBND",
                                                 bodies=["HDND", "TAND"]),
        "cannot be removed by an update": _updated(tmp_path, bodies=data["bodies"][:-1],
                                                  outline=V2_OUTLINE),
        "reports by half, not quarter": _updated(tmp_path, period="quarter"),
        "unknown body code(s): MTTQ": _updated(tmp_path, bodies=[*data["bodies"], "MTTQ"],
                                              outline=V2_OUTLINE),
    }  # fmt: skip
    for words, path in cases.items():
        said_in_english(cli, "program", "update", path, "--now", "2024-07-05", words=words)
