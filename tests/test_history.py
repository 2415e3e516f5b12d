"""`phoihop audit`: the audit log read back as a history, in words, a page at a time."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from rules.history import describe
from tests.steps import CYCLE, REPORTS, accept, ok, submit
from tests.test_bad_input import fails_cleanly

Cli = Callable[..., Any]


def _busy_week(cli: Cli) -> None:
    """HDND on time and accepted, VKSND returned, SO-TP extended, a sweep after the deadline."""
    submit(cli, "HDND", "2024-07-08T10:00")
    accept(cli, "HDND", "2024-07-09T09:00")
    submit(cli, "VKSND", "2024-07-09T10:00", REPORTS / "VKSND-v1.md")
    ok(cli("review", "return", "--cycle", CYCLE, "--body", "VKSND", "--comment",
           "Bổ sung số liệu", "--due", "2024-07-19", "--now", "2024-07-10T09:00",
           "--json"))  # fmt: skip
    ok(cli("extend", "--cycle", CYCLE, "--body", "SO-TP", "--due", "2024-07-17", "--reason",
           "Chờ số liệu", "--now", "2024-07-11T09:00", "--json"))  # fmt: skip
    ok(cli("sweep", "--now", "2024-07-13T08:00", "--json"))


def test_a_cycles_history_reads_newest_first_in_vietnamese(open_cycle: Cli) -> None:
    _busy_week(open_cycle)
    page = ok(open_cycle("audit", "--cycle", CYCLE, "--limit", "200", "--json"))
    items = page["items"]
    assert page["total"] == len(items) and [i["id"] for i in items] == sorted(
        (i["id"] for i in items), reverse=True
    )
    said = [(i["body"], i["text"]) for i in items]
    assert ("VKSND", "trả lại bản 1, hạn mới 19/07/2024 — Bổ sung số liệu") in said
    assert ("SO-TP", "gia hạn 12/07/2024 → 17/07/2024 — Chờ số liệu") in said
    assert ("HDND", "gửi bản 1 (đúng hạn)") in said and ("HDND", "tiếp nhận bản 1") in said
    assert ("TAND", "đôn đốc lần 1") in said
    opened = items[-1]  # the oldest record of the cycle: its opening
    assert opened["action"] == "cycle.opened" and opened["cycle"] == CYCLE
    assert (
        opened["text"] == "mở kỳ báo cáo QD238/2024-H1 theo Công văn số 310-CV/BTGTU: "
        "7 nhiệm vụ, hạn 12/07/2024"
    )
    # The table says the same, with the local time of each change.
    shown = open_cycle("audit", "--cycle", CYCLE, "--body", "VKSND", "--now", "2024-07-13")
    assert shown.code == 0, shown.err
    assert "10/07/2024 09:00" in shown.out and "trả lại bản 1" in shown.out
    assert "đôn đốc lần 1" not in shown.out  # VKSND was not late: only its own records


def test_filters_and_pages(open_cycle: Cli) -> None:
    _busy_week(open_cycle)
    everything = ok(open_cycle("audit", "--cycle", CYCLE, "--limit", "200", "--json"))
    vksnd = next(i for i in everything["items"] if i["body"] == "VKSND")
    task = ok(open_cycle("tasks", "list", "--cycle", CYCLE, "--body", "VKSND", "--json"))
    [one] = task["items"]
    by_task = ok(open_cycle("audit", "--task", str(one["task"]), "--json"))
    assert {i["body"] for i in by_task["items"]} == {"VKSND"}
    assert vksnd["id"] in {i["id"] for i in by_task["items"]}
    since = ok(open_cycle("audit", "--cycle", CYCLE, "--since", "2024-07-11", "--json"))
    assert {i["action"] for i in since["items"]} >= {"task.extended", "task.escalated"}
    assert "task.returned" not in {i["action"] for i in since["items"]}  # 10/07
    first = ok(open_cycle("audit", "--cycle", CYCLE, "--limit", "3", "--json"))
    second = ok(open_cycle("audit", "--cycle", CYCLE, "--limit", "3", "--offset", "3", "--json"))
    assert [i["id"] for i in first["items"] + second["items"]] == [
        i["id"] for i in everything["items"][:6]
    ]
    assert first["total"] == everything["total"]


def test_english_words_and_a_spreadsheet(open_cycle: Cli, tmp_path: Path) -> None:
    _busy_week(open_cycle)
    en = ok(open_cycle("audit", "--cycle", CYCLE, "--body", "SO-TP", "--lang", "en", "--json"))
    assert "extended 12/07/2024 → 17/07/2024 — Chờ số liệu" in {i["text"] for i in en["items"]}
    out = tmp_path / "lich-su.csv"
    assert open_cycle("audit", "--cycle", CYCLE, "--csv", out).code == 0
    text = out.read_bytes().decode("utf-8")
    assert text.startswith("\ufeff#,Thời điểm (UTC+7),Người thực hiện,Kỳ,Cơ quan,Nội dung,Mã")
    assert "gia hạn 12/07/2024 → 17/07/2024 — Chờ số liệu" in text


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (("--cycle", "QD238/2023-H1"), "Không có kỳ báo cáo QD238/2023-H1."),
        (("--body", "NO-SUCH"), "NO-SUCH"),
        (("--task", "999"), "Không có nhiệm vụ 999."),
        (("--since", "15/07/2024"), "--since"),
    ],
)
def test_a_name_that_matches_nothing_is_one_line(
    open_cycle: Cli, argv: tuple[str, ...], said: str
) -> None:
    assert said in fails_cleanly(open_cycle, "audit", *argv)


def test_every_action_is_worded_and_an_unknown_one_is_kept() -> None:
    assert describe("task.reminded", {"step": "reminder-2"}) == "nhắc hạn (trước 2 ngày làm việc)"
    assert describe("task.submitted", {"version": 2, "on_time": False}) == "gửi bản 2 (trễ hạn)"
    assert describe("cycle.synthesized", {"number": "01-BC/BTGTU", "left_out": ["TAND"]}) == (
        "tổng hợp và khóa kỳ, báo cáo số 01-BC/BTGTU; không chờ: TAND"
    )
    assert describe("letter.urging", {"number": "02-CV/BTGTU", "level": 3}, "en") == (
        "urging letter 02-CV/BTGTU (level 3)"
    )
    assert describe("user.login", {"username": "khoa"}) == "đăng nhập"
    assert (
        describe("cycle.rolled_up", {"child": 4, "parent": 1}) == "cycle.rolled_up (child, parent)"
    )


def test_an_earlier_version_is_kept_and_shown_as_it_was(open_cycle: Cli) -> None:
    _busy_week(open_cycle)  # VKSND's version 1 was returned
    submit(open_cycle, "VKSND", "2024-07-15T10:00", REPORTS / "VKSND-v2.md")
    listed = ok(open_cycle("tasks", "versions", "--cycle", CYCLE, "--body", "VKSND", "--json"))
    assert [(v["version"], v["source_name"]) for v in listed["versions"]] == [
        (1, "VKSND-v1.md"), (2, "VKSND-v2.md"),
    ]  # fmt: skip
    first = open_cycle("tasks", "versions", "--cycle", CYCLE, "--body", "VKSND", "--version", "1")
    assert first.code == 0, first.err
    v1 = (REPORTS / "VKSND-v1.md").read_text(encoding="utf-8")
    v2 = (REPORTS / "VKSND-v2.md").read_text(encoding="utf-8")
    only_in_v1 = next(line for line in v1.splitlines() if line.strip() and line not in v2)
    assert only_in_v1.strip() in first.out and "bản 1" in first.out
    line = fails_cleanly(open_cycle, "tasks", "versions", "--task", str(listed["task"]),
                         "--version", "3")  # fmt: skip
    assert line == f"phoihop: lỗi: Nhiệm vụ {listed['task']} không có bản 3."


def test_the_roll_up_steps_are_worded() -> None:
    fed = {"parent": "QD238/2024-H1", "version": 1, "on_time": False}
    assert describe("cycle.fed", fed) == "đã gửi báo cáo lên kỳ QD238/2024-H1, bản 1 (trễ hạn)"
    assert describe("cycle.parent_closed", {"parent": "QD238/2024-H1"}) == (
        "kỳ cấp trên QD238/2024-H1 đã khóa trước"
    )
    moved = {"new": {"provide_due": "2024-07-11"}, "parent_due": "2024-07-17"}
    assert describe("cycle.deadlines_moved", moved) == (
        "dời hạn theo gia hạn của cấp trên: hạn gửi 11/07/2024"
    )
    assert describe("task.rungs_skipped", {"skipped": ["reminder-2", "level-1"]}) == (
        "bỏ qua: nhắc hạn (trước 2 ngày làm việc), đôn đốc lần 1"
    )


def test_an_extension_above_is_worded_with_its_dates_in_both_languages() -> None:
    """The notes ``cycle show`` and ``cycle tree`` print come from here: an extension
    followed below names each deadline old → new, one kept names whose deadline moved."""
    moved = {
        "parent_due": "2024-07-19",
        "old": {"provide_due": "2024-07-09", "review_due": "2024-07-10",
                "synthesis_due": "2024-07-11"},
        "new": {"provide_due": "2024-07-16", "review_due": "2024-07-17",
                "synthesis_due": "2024-07-18"},
    }  # fmt: skip
    assert describe("cycle.deadlines_moved", moved) == (
        "dời hạn theo gia hạn của cấp trên: hạn gửi 09/07/2024 → 16/07/2024, "
        "hạn tổng hợp 11/07/2024 → 18/07/2024"
    )
    assert describe("cycle.deadlines_moved", moved, "en") == (
        "deadlines moved after an extension above: sending due 09/07/2024 → 16/07/2024, "
        "synthesis due 11/07/2024 → 18/07/2024"
    )
    kept = {"policy": "keep", "parent_due": "2024-07-17"}
    assert describe("cycle.parent_extended", kept) == (
        "cấp trên gia hạn cho cơ quan chủ trì đến 17/07/2024; giữ nguyên hạn của kỳ"
    )
    assert describe("cycle.parent_extended", kept, "en") == (
        "the coordinator's deadline above extended to 17/07/2024; this cycle's deadlines kept"
    )
    adopted = {"parent": "QD238/2024-H1"}
    assert describe("cycle.adopted", adopted) == (
        "kỳ đã mở trước, gắn vào kỳ cấp trên QD238/2024-H1"
    )
    assert describe("cycle.adopted", adopted, "en") == (
        "opened earlier, linked under QD238/2024-H1"
    )
