"""The reporting-cycle engine end to end, through the ``phoihop`` command line."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from models import (
    AuditRecord,
    Body,
    Cycle,
    Escalation,
    Extension,
    Notification,
    Review,
    Submission,
    Synthesis,
    Task,
)
from services import db
from tests.steps import CYCLE, REPORTS, ok, submit

Cli = Callable[..., Any]  # the conftest's ``cli`` runner


def sweep(cli: Cli, now: str) -> dict[str, Any]:
    return ok(cli("sweep", "--now", now, "--json"))


def task_row(cli: Cli, body: str, now: str) -> dict[str, Any]:
    page = ok(cli("tasks", "list", "--cycle", CYCLE, "--body", body, "--now", now, "--json"))
    assert page["total"] == len(page["items"]) == 1
    return page["items"][0]


def escalations(body: str) -> list[tuple[int, str]]:
    """(epoch, step) of every rung fired for ``body``'s task, in firing order."""
    with db.reading() as session:
        rows = session.exec(
            select(Escalation.epoch, Escalation.step)
            .join(Task, Task.id == Escalation.task_id)
            .join(Body, Body.id == Task.body_id)
            .where(Body.code == body)
            .order_by(Escalation.id)
        ).all()
    return [(epoch, step) for epoch, step in rows]


def skipped_rungs(body: str) -> list[str]:
    """The rungs the audit log says were skipped for ``body``'s task (catch-up)."""
    with db.reading() as session:
        details = session.exec(
            select(AuditRecord.detail)
            .where(AuditRecord.action.in_(("task.escalated", "task.reminded")))
            .order_by(AuditRecord.id)
        ).all()
    return [step for d in details if d["body"] == body for step in d["skipped"]]


def local_report(tmp_path: Path, name: str, extra: str) -> Path:
    path = tmp_path / name
    path.write_text(
        "## I. Đánh giá tình hình và kết quả thực hiện Quyết định số 238\n\n"
        f"Viện Kiểm sát nhân dân tỉnh: {extra}\n\n"
        "## II. Những nhiệm vụ trọng tâm trong thời gian tới\n\nTiếp tục phối hợp.\n",
        encoding="utf-8",
    )
    return path


# -- request ---------------------------------------------------------------------------


def test_open_cycle_counts_due_dates_in_working_days(open_cycle: Cli) -> None:
    detail = ok(open_cycle("cycle", "show", CYCLE, "--now", "2024-07-03T09:00", "--json"))
    cycle = detail["cycle"]
    # Letter of Wednesday 03/07/2024 + 7 working days = Friday 12/07 (the weekend skipped).
    assert (cycle["provide_due"], cycle["review_due"], cycle["synthesis_due"]) == (
        "2024-07-12",
        "2024-07-17",
        "2024-07-19",
    )
    assert (cycle["cutoff_start"], cycle["cutoff_end"]) == ("2023-12-15", "2024-06-14")
    assert cycle["period_label"] == "6 tháng đầu năm 2024"
    assert cycle["letter_no"] == "310-CV/BTGTU"
    assert [t["body"] for t in detail["tasks"]["items"]] == [
        "HDND", "SO-TP", "SO-TTTT", "SO-VHTTDL", "TAND", "UBND", "VKSND"
    ]  # fmt: skip
    assert (detail["tasks"]["total"], detail["tasks"]["limit"], detail["tasks"]["offset"]) == (
        7, 50, 0
    )  # fmt: skip
    assert {(t["status"], t["due_date"], t["bucket"]) for t in detail["tasks"]["items"]} == {
        ("pending", "2024-07-12", "pending")
    }
    with db.reading() as session:
        due_ats = {t.due_at for t in session.exec(select(Task)).all()}
    assert due_ats == {datetime(2024, 7, 12, 16, 59, 59, tzinfo=UTC)}  # 23:59:59 +07


def test_open_cycle_counts_across_tet(demo_org: Cli) -> None:
    opened = ok(
        demo_org(
            "cycle", "open", "QD238", "2023-H2", "--letter-date", "2024-02-02",
            "--now", "2024-02-02T08:00", "--json",
        )
    )  # fmt: skip
    # 05, 06, 07 then Tết (08–14/02) then 15, 16, 19, 20: the 7th working day is 20/02.
    assert opened["cycle"]["provide_due"] == "2024-02-20"
    assert opened["tasks"] == 7


def test_open_cycle_with_the_letters_own_due_date_on_a_holiday(demo_org: Cli) -> None:
    opened = ok(
        demo_org(
            "cycle", "open", "QD238", "2024-H1", "--letter-date", "2024-07-03",
            "--due", "2024-09-02", "--now", "2024-07-03T08:00", "--json",
        )
    )  # fmt: skip
    # 02/09 (National Day) and 03/09 are off in 2024: the deadline moves to 04/09.
    assert opened["cycle"]["provide_due"] == "2024-09-04"


# -- provision -------------------------------------------------------------------------


def test_submit_then_resubmit_before_review_keeps_both_versions(
    open_cycle: Cli, tmp_path: Path
) -> None:
    first = submit(open_cycle, "VKSND", "2024-07-08T10:00", REPORTS / "VKSND-v1.md")
    assert (first["version"], first["on_time"], first["sections"]) == (1, True, ["I", "II"])
    second_file = local_report(tmp_path, "v2.md", "bổ sung số liệu 12 vụ án.")
    second = submit(open_cycle, "VKSND", "2024-07-09T15:30", second_file)
    assert (second["version"], second["on_time"]) == (2, True)

    original = (REPORTS / "VKSND-v1.md").read_text(encoding="utf-8")
    with db.reading() as session:
        rows = session.exec(select(Submission).order_by(Submission.version)).all()
        task = session.get(Task, rows[0].task_id)
    assert [(s.version, s.submitted_at) for s in rows] == [
        (1, datetime(2024, 7, 8, 3, 0, tzinfo=UTC)),
        (2, datetime(2024, 7, 9, 8, 30, tzinfo=UTC)),
    ]
    assert rows[0].content == original  # version 1 untouched
    assert rows[0].sha256 == hashlib.sha256(original.encode()).hexdigest()
    assert "12 vụ án" in rows[1].content
    assert rows[1].sections[0]["text"] == "Viện Kiểm sát nhân dân tỉnh: bổ sung số liệu 12 vụ án."
    assert (task.status, task.versions) == ("submitted", 2)


def test_submission_after_the_deadline_is_late(open_cycle: Cli) -> None:
    assert submit(open_cycle, "TAND", "2024-07-12T23:59:59")["on_time"] is True
    late = submit(open_cycle, "UBND", "2024-07-13T00:00:01")
    assert late["on_time"] is False
    row = task_row(open_cycle, "UBND", "2024-07-13T08:00")
    assert (row["status"], row["bucket"]) == ("submitted", "done_late")


def test_submit_with_attachment(open_cycle: Cli, tmp_path: Path) -> None:
    attachment = tmp_path / "Phụ lục số liệu.xlsx"
    attachment.write_bytes(b"PK\x03\x04 data")
    result = ok(
        open_cycle(
            "submit", REPORTS / "HDND.md", "--cycle", CYCLE, "--body", "HDND",
            "--attach", attachment, "--now", "2024-07-08T10:00", "--json",
        )
    )  # fmt: skip
    assert result["attachments"] == ["Phụ lục số liệu.xlsx"]


# -- review ----------------------------------------------------------------------------


def test_accept_is_final(open_cycle: Cli) -> None:
    submit(open_cycle, "HDND", "2024-07-08T10:00")
    accepted = ok(
        open_cycle(
            "review", "accept", "--cycle", CYCLE, "--body", "HDND",
            "--now", "2024-07-15T09:00", "--json",
        )
    )  # fmt: skip
    assert (accepted["decision"], accepted["version"]) == ("accepted", 1)
    assert task_row(open_cycle, "HDND", "2024-07-15T09:00")["status"] == "accepted"
    again = open_cycle("submit", REPORTS / "HDND.md", "--cycle", CYCLE, "--body", "HDND",
                       "--now", "2024-07-15T10:00")  # fmt: skip
    assert (again.code, again.err) == (
        1, "phoihop: lỗi: Báo cáo của nhiệm vụ này đã được tiếp nhận; không cần gửi thêm.\n"
    )  # fmt: skip


def test_return_sets_new_due_date_and_restarts_the_ladder(open_cycle: Cli) -> None:
    sweep(open_cycle, "2024-07-10T08:00")  # reminder-2 for everyone
    sweep(open_cycle, "2024-07-13T08:00")  # level-1 for everyone still waiting
    assert escalations("VKSND") == [(0, "reminder-2"), (0, "level-1")]
    submit(open_cycle, "VKSND", "2024-07-15T08:00", REPORTS / "VKSND-v1.md")

    returned = ok(
        open_cycle(
            "review", "return", "--cycle", CYCLE, "--body", "VKSND",
            "--comment", "Đề nghị bổ sung số liệu cụ thể về các vụ án",
            "--due", "2024-07-20", "--now", "2024-07-15T09:20", "--json",
        )
    )  # fmt: skip
    # Saturday 20/07 is not a working day: the new deadline is Monday 22/07.
    assert (returned["decision"], returned["due_date"]) == ("returned", "2024-07-22")
    row = task_row(open_cycle, "VKSND", "2024-07-15T09:20")
    assert (row["status"], row["due_date"], row["escalation_level"], row["returns"]) == (
        "returned",
        "2024-07-22",
        0,
        1,
    )
    with db.reading() as session:
        task = session.exec(select(Task).join(Body).where(Body.code == "VKSND")).one()
        review = session.exec(select(Review)).one()
    assert task.ladder_epoch == 1
    assert task.due_at == datetime(2024, 7, 22, 16, 59, 59, tzinfo=UTC)
    assert (review.decision, review.comment, review.new_due_date) == (
        "returned",
        "Đề nghị bổ sung số liệu cụ thể về các vụ án",
        date(2024, 7, 22),
    )

    # The new epoch's ladder starts from the beginning; the old rows stay.
    sweep(open_cycle, "2024-07-17T08:00")
    assert escalations("VKSND") == [(0, "reminder-2"), (0, "level-1")]
    sweep(open_cycle, "2024-07-18T08:00")
    sweep(open_cycle, "2024-07-23T08:00")
    assert escalations("VKSND") == [
        (0, "reminder-2"),
        (0, "level-1"),
        (1, "reminder-2"),
        (1, "level-1"),
    ]
    assert task_row(open_cycle, "VKSND", "2024-07-23T08:00")["escalation_level"] == 1
    # Meanwhile a body that never sent climbed its one ladder.
    assert escalations("SO-VHTTDL")[-1] == (0, "level-3")


def test_extension_moves_due_date_and_restarts_the_ladder(open_cycle: Cli) -> None:
    sweep(open_cycle, "2024-07-13T08:00")
    assert escalations("SO-TP") == [(0, "level-1")]
    assert skipped_rungs("SO-TP") == ["reminder-2"]  # no sweep ran on 10–12/07
    extended = ok(
        open_cycle(
            "extend", "--cycle", CYCLE, "--body", "SO-TP", "--due", "2024-07-19",
            "--reason", "Chờ tổng hợp số liệu từ các huyện", "--now", "2024-07-13T09:00",
            "--json",
        )
    )  # fmt: skip
    assert (extended["decision"], extended["due_date"], extended["comment"]) == (
        "extended",
        "2024-07-19",
        "Chờ tổng hợp số liệu từ các huyện",
    )
    row = task_row(open_cycle, "SO-TP", "2024-07-15T08:00")
    assert (row["status"], row["bucket"], row["escalation_level"]) == ("pending", "pending", 0)
    with db.reading() as session:
        ext = session.exec(select(Extension)).one()
    assert (ext.old_due_date, ext.new_due_date, ext.reason) == (
        date(2024, 7, 12),
        date(2024, 7, 19),
        "Chờ tổng hợp số liệu từ các huyện",
    )

    fired = sweep(open_cycle, "2024-07-17T08:00")
    # Others reach level 2; SO-TP only gets its new reminder (2 working days before 19/07).
    by_body = {f["body"]: f["step"] for f in fired["fired"]}
    assert by_body["SO-TP"] == "reminder-2"
    assert by_body["SO-VHTTDL"] == "level-2"
    sweep(open_cycle, "2024-07-20T08:00")
    assert escalations("SO-TP") == [(0, "level-1"), (1, "reminder-2"), (1, "level-1")]

    # An extension must move the date later.
    again = open_cycle(
        "extend", "--cycle", CYCLE, "--body", "SO-TP", "--due", "2024-07-22",
        "--reason", "Lần hai", "--now", "2024-07-22T08:00",
    )  # fmt: skip
    assert again.code == 0, again.err
    same = open_cycle(
        "extend", "--cycle", CYCLE, "--body", "SO-TP", "--due", "2024-07-22",
        "--reason", "Lần ba", "--now", "2024-07-22T08:00",
    )  # fmt: skip
    assert same.code == 1 and "Hạn mới phải sau hạn hiện tại (22/07/2024)." in same.err


# -- a whole cycle ---------------------------------------------------------------------


def drive_cycle(cli: Cli, tmp_path: Path) -> None:
    """Every outcome a body can have, up to (not including) synthesis."""
    submit(cli, "HDND", "2024-07-08T10:00")  # on time, accepted
    sweep(cli, "2024-07-10T08:00")
    submit(cli, "UBND", "2024-07-11T09:00")  # on time, never reviewed
    submit(cli, "VKSND", "2024-07-12T16:30", REPORTS / "VKSND-v1.md")  # returned, resubmits
    submit(cli, "SO-TTTT", "2024-07-10T14:00")  # returned, does not resubmit
    sweep(cli, "2024-07-13T08:00")
    review = ("review", "--cycle", CYCLE, "--as", "BTGTU", "--json")
    ok(cli(*review[:1], "accept", *review[1:], "--body", "HDND", "--now", "2024-07-15T09:00"))
    for body in ("VKSND", "SO-TTTT"):
        ok(
            cli(
                *review[:1], "return", *review[1:], "--body", body, "--comment",
                "Đề nghị bổ sung số liệu", "--due", "2024-07-19", "--now", "2024-07-15T09:20",
            )
        )  # fmt: skip
    submit(cli, "TAND", "2024-07-16T10:00")  # late, accepted
    ok(
        cli(
            "extend", "--cycle", CYCLE, "--body", "SO-TP", "--due", "2024-07-26",
            "--reason", "Chờ số liệu", "--now", "2024-07-16T11:00", "--json",
        )
    )  # fmt: skip
    sweep(cli, "2024-07-17T08:00")
    submit(cli, "VKSND", "2024-07-18T09:00", REPORTS / "VKSND-v2.md")
    for body in ("TAND", "VKSND"):
        ok(cli(*review[:1], "accept", *review[1:], "--body", body, "--now", "2024-07-19T10:00"))
    sweep(cli, "2024-07-20T08:00")


def test_synthesis_summarises_and_closes_the_cycle(open_cycle: Cli, tmp_path: Path) -> None:
    drive_cycle(open_cycle, tmp_path)
    out = tmp_path / "tong-hop.md"
    # UBND's report waits for review and SO-TP's extension runs to 26/07: no closing yet.
    refused = open_cycle("synthesize", CYCLE, "--out", out, "--now", "2024-07-22T09:00")
    assert refused.code == 1
    assert refused.err == (
        "phoihop: lỗi: Chưa thể khóa kỳ: nhiệm vụ 2 (UBND) đã gửi, chờ xem xét; nhiệm vụ 6 "
        "(SO-TP) còn trong hạn (đến 26/07/2024). Hãy xem xét, chờ, hoặc chủ động không đưa các "
        "cơ quan này vào tổng hợp. Dùng --leave-out SO-TP,UBND để khóa kỳ không có các cơ quan "
        "này.\n"
    )
    english = open_cycle("synthesize", CYCLE, "--now", "2024-07-22T09:00", "--lang", "en")
    assert english.err == (
        "phoihop: error: the cycle cannot be closed yet: task 2 (UBND) waits for review; "
        "task 6 (SO-TP) is within its deadline (26/07/2024). Review them, wait for them, "
        "or leave them out on purpose (--leave-out SO-TP,UBND)\n"
    )
    assert not out.exists()
    assert ok(open_cycle("cycle", "list", "--json"))[0]["status"] == "open"
    result = ok(
        open_cycle("synthesize", CYCLE, "--out", out, "--as", "BTGTU", "--leave-out",
                   "UBND,SO-TP", "--now", "2024-07-22T09:00", "--json")
    )  # fmt: skip
    assert result["left_out"] == ["SO-TP", "UBND"]
    assert {r["body"]: r["category"] for r in result["summary"]} == {
        "HDND": "on_time",
        "UBND": "left_out",
        "VKSND": "after_revision",
        "TAND": "late",
        "SO-TTTT": "returned",  # its new deadline passed without a report: it does not block
        "SO-TP": "left_out",
        "SO-VHTTDL": "missing",
    }
    assert [r["body"] for r in result["summary"]] == [
        "HDND", "UBND", "VKSND", "TAND", "SO-TTTT", "SO-TP", "SO-VHTTDL"
    ]  # the program's order  # fmt: skip
    vksnd = next(r for r in result["summary"] if r["body"] == "VKSND")
    assert (vksnd["versions"], vksnd["returns"], vksnd["first_submitted"]) == (2, 1, "2024-07-12")
    markdown = out.read_text(encoding="utf-8")
    assert markdown == result["markdown"]
    # Only accepted versions are compiled: VKSND's second version, not its first.
    v2 = (REPORTS / "VKSND-v2.md").read_text(encoding="utf-8")
    assert "12 vụ án hình sự" in v2 and "12 vụ án hình sự" in markdown
    assert "Viện Kiểm sát nhân dân tỉnh đã phối hợp cung cấp thông tin.\n" not in markdown
    # left out on purpose: named in the progress section and in the annex, no content
    assert "- Không đưa vào tổng hợp: 2 cơ quan (Ủy ban nhân dân tỉnh, Sở Tư pháp)." in markdown
    assert "| Ủy ban nhân dân tỉnh |" in markdown and "| Không đưa vào tổng hợp |" in markdown
    assert (
        "không chờ các cơ quan sau (theo quyết định của cơ quan chủ trì): "
        "Ủy ban nhân dân tỉnh; Sở Tư pháp." in markdown
    )

    cycles = ok(open_cycle("cycle", "list", "--now", "2024-07-22T09:05", "--json"))
    assert [(c["ref"], c["status"], c["tasks"]) for c in cycles] == [(CYCLE, "synthesized", 7)]
    stored = ok(open_cycle("cycle", "report", CYCLE, "--now", "2024-07-22T09:05", "--json"))
    assert stored["markdown"] == markdown

    closed = open_cycle("submit", REPORTS / "SO-TP.md", "--cycle", CYCLE, "--body", "SO-TP",
                        "--now", "2024-07-22T10:00", "--lang", "en")  # fmt: skip
    assert closed.code == 1
    assert closed.err.strip() == (
        "phoihop: error: the cycle is closed (already synthesized); submissions are not accepted"
    )
    twice = open_cycle("synthesize", CYCLE, "--now", "2024-07-22T10:00")
    assert twice.code == 1 and f"Kỳ báo cáo {CYCLE} đã được tổng hợp." in twice.err
    # A closed cycle is not swept any more.
    assert sweep(open_cycle, "2024-08-30T08:00")["examined"] == 0


def test_every_state_change_is_audited(open_cycle: Cli, tmp_path: Path) -> None:
    drive_cycle(open_cycle, tmp_path)
    ok(open_cycle("synthesize", CYCLE, "--leave-out", "UBND,SO-TP", "--now", "2024-07-22T09:00",
                  "--json"))  # fmt: skip
    with db.reading() as session:
        actions = Counter(session.exec(select(AuditRecord.action)).all())
        count = {
            model: len(session.exec(select(model)).all())
            for model in (Body, Cycle, Submission, Review, Extension, Escalation, Synthesis)
        }
        reviews = Counter(session.exec(select(Review.decision)).all())
        kinds = Counter(session.exec(select(Escalation.kind)).all())
        records = session.exec(select(AuditRecord).where(AuditRecord.action == "task.returned"))
        returned = [(r.actor, r.detail["body"], r.detail["new_due"]) for r in records]
    # demo/data/bodies.csv: ten of the province, eleven of the demo's three communes
    assert actions["body.created"] == count[Body] == 21
    assert actions["program.created"] == 1
    assert actions["cycle.opened"] == count[Cycle] == 1
    assert actions["task.submitted"] == count[Submission] == 6
    assert actions["task.accepted"] == reviews["accepted"] == 3
    assert actions["task.returned"] == reviews["returned"] == 2
    assert actions["task.extended"] == count[Extension] == 1
    assert actions["task.reminded"] == kinds["reminder"]
    assert actions["task.escalated"] == kinds["escalation"]
    assert actions["task.reminded"] + actions["task.escalated"] == count[Escalation] > 0
    assert actions["cycle.synthesized"] == count[Synthesis] == 1
    with db.reading() as session:
        closed = session.exec(
            select(AuditRecord).where(AuditRecord.action == "cycle.synthesized")
        ).one()
    assert closed.detail["left_out"] == [  # in the program's order
        {"body": "UBND", "task": 2, "reason": "awaiting_review"},
        {"body": "SO-TP", "task": 6, "reason": "within_deadline"},
    ]
    assert sorted(returned) == [
        ("BTGTU", "SO-TTTT", "2024-07-19"),
        ("BTGTU", "VKSND", "2024-07-19"),
    ]


# -- what people watch -----------------------------------------------------------------


def test_cycle_show_has_the_history(open_cycle: Cli, tmp_path: Path) -> None:
    drive_cycle(open_cycle, tmp_path)
    detail = ok(open_cycle("cycle", "show", CYCLE, "--now", "2024-07-22T08:00", "--json"))
    tasks = detail["tasks"]["items"]
    history = {t["body"]: [(h["kind"], h["step"]) for h in t["history"]] for t in tasks}
    assert history["VKSND"] == [
        ("reminder", "reminder-2"), ("returned", "v1"), ("reminder", "reminder-2"),
        ("accepted", "v2"),
    ]  # fmt: skip
    assert history["SO-TP"][:3] == [
        ("reminder", "reminder-2"), ("escalation", "level-1"), ("extended", None),
    ]  # fmt: skip
    extension = next(h for t in tasks if t["body"] == "SO-TP" for h in t["history"]
                     if h["kind"] == "extended")  # fmt: skip
    assert (extension["old_due_date"], extension["new_due_date"]) == ("2024-07-12", "2024-07-26")
    assert [step for _, step in history["SO-VHTTDL"]] == [
        "reminder-2", "level-1", "level-2", "level-3",
    ]  # fmt: skip
    progress = detail["progress"]
    assert (progress["done_on_time"], progress["done_late"]) == (3, 1)  # HDND, UBND, VKSND; TAND
    assert (progress["pending"], progress["overdue"], progress["total"]) == (1, 2, 7)

    human = open_cycle("cycle", "show", CYCLE, "--now", "2024-07-22T08:00")
    assert human.code == 0
    assert "Chờ số liệu" in human.out and "Sở Văn hóa, Thể thao và Du lịch" in human.out


def test_tasks_list_overdue_for_one_body(open_cycle: Cli) -> None:
    submit(open_cycle, "HDND", "2024-07-08T10:00")
    sweep(open_cycle, "2024-07-17T08:00")
    now = "2024-07-17T08:00"
    rows = ok(open_cycle("tasks", "list", "--overdue", "--body", "TAND", "--now", now, "--json"))
    assert [
        (r["body"], r["bucket"], r["days_overdue"], r["escalation_level"]) for r in rows["items"]
    ] == [("TAND", "overdue", 5, 2)]
    none = ok(open_cycle("tasks", "list", "--overdue", "--body", "HDND", "--now", now, "--json"))
    assert none == {"items": [], "total": 0, "limit": 50, "offset": 0}
    overdue = ok(open_cycle("tasks", "list", "--overdue", "--now", now, "--json"))["items"]
    assert len(overdue) == 6 and "HDND" not in {r["body"] for r in overdue}
    everything = ok(open_cycle("tasks", "list", "--now", now, "--json"))["items"]
    assert [r["bucket"] for r in everything][-1] == "done_on_time"  # overdue first
    assert {r["bucket"] for r in everything[:6]} == {"overdue"}


def test_dashboard(open_cycle: Cli) -> None:
    submit(open_cycle, "HDND", "2024-07-08T10:00")  # done on time
    submit(open_cycle, "VKSND", "2024-07-12T16:30", REPORTS / "VKSND-v1.md")
    submit(open_cycle, "TAND", "2024-07-16T10:00")  # done late
    ok(
        open_cycle(
            "extend", "--cycle", CYCLE, "--body", "SO-TP", "--due", "2024-07-24",
            "--reason", "Chờ số liệu", "--now", "2024-07-15T08:00", "--json",
        )
    )  # fmt: skip
    ok(
        open_cycle(
            "review", "return", "--cycle", CYCLE, "--body", "VKSND", "--comment", "Bổ sung",
            "--due", "2024-07-16", "--now", "2024-07-15T09:00", "--json",
        )
    )  # fmt: skip
    sweep(open_cycle, "2024-07-17T08:00")
    data = ok(open_cycle("dashboard", "--now", "2024-07-17T08:00", "--json"))

    groups = [(g["body"], [(i["days_overdue"], i["escalation_level"]) for i in g["items"]])
              for g in data["overdue"]["items"]]  # fmt: skip
    # Most overdue first; VKSND's returned task is only 1 day past its new deadline.
    assert groups == [
        ("SO-TTTT", [(5, 2)]),
        ("SO-VHTTDL", [(5, 2)]),
        ("UBND", [(5, 2)]),
        ("VKSND", [(1, 1)]),
    ]
    assert (data["overdue"]["total"], data["overdue"]["limit"], data["overdue"]["offset"]) == (
        4, 50, 0
    )  # fmt: skip
    assert data["overdue"]["items"][0]["name"] == "Sở Thông tin và Truyền thông"
    assert [
        {k: c[k] for k in ("ref", "done_on_time", "done_late", "pending", "overdue", "total")}
        for c in data["cycles"]["items"]
    ] == [{"ref": CYCLE, "done_on_time": 1, "done_late": 1, "pending": 1, "overdue": 4, "total": 7}]
    assert data["cycles"]["total"] == 1
    bodies = {b["body"]: b for b in data["bodies"]["items"]}
    assert data["bodies"]["total"] == len(bodies) == 7
    assert bodies["HDND"]["on_time_rate"] == 1.0
    assert bodies["TAND"]["on_time_rate"] == 0.0
    assert bodies["SO-TP"]["on_time_rate"] is None
    assert bodies["VKSND"]["revision_rounds"] == 1
    assert bodies["UBND"]["escalations"] == 1  # level 2; level 1, due with it, was skipped

    only = ok(open_cycle("dashboard", "--body", "VKSND", "--now", "2024-07-17T08:00", "--json"))
    assert [g["body"] for g in only["overdue"]["items"]] == ["VKSND"]
    assert only["overdue"]["total"] == 1
    human = open_cycle("dashboard", "--now", "2024-07-17T08:00")
    assert human.code == 0 and "Sở Văn hóa, Thể thao và Du lịch" in human.out
    assert "4/4 nhiệm vụ quá hạn" in human.out and "7/7 cơ quan" in human.out
    english = open_cycle("dashboard", "--now", "2024-07-17T08:00", "--lang", "en").out
    assert "4 of 4 overdue tasks" in english and "7 of 7 bodies" in english


def test_outbox_list(open_cycle: Cli) -> None:
    submit(open_cycle, "HDND", "2024-07-08T10:00")
    fired = sweep(open_cycle, "2024-07-20T08:00")  # a late sweep: levels 1, 2 and 3 all due
    # One message per body per sweep: only level 3 goes out, levels 1 and 2 are skipped.
    assert (fired["reminders"], fired["escalations"], fired["skipped"], fired["delivery"]) == (
        0,
        6,
        18,
        {"sent": 0, "failed": 0},
    )
    rows = ok(open_cycle("outbox", "list", "--status", "pending", "--now", "2024-07-20T08:00",
                         "--json"))  # fmt: skip
    urging = [r for r in rows if r["subject"].startswith("Đôn đốc")]
    assert len(urging) == 6
    vhttdl = [r for r in urging if "Sở Văn hóa, Thể thao và Du lịch" in r["body"]]
    assert [r["subject"].split(":")[0] for r in vhttdl] == ["Đôn đốc gửi báo cáo (lần 3)"]
    # the head gets the body's message and its letter; leadership gets its own summary
    assert [r["recipients"] for r in vhttdl] == [
        ["Phan Thanh Tùng <giamdoc@svhttdl.bentre.example>"]
    ]
    assert "Công văn số 310-CV/BTGTU ngày 03/7/2024" in vhttdl[0]["body"]
    assert "quá hạn 8 ngày" in vhttdl[0]["body"]
    summaries = [r for r in rows if r["subject"].startswith("Tình hình gửi báo cáo")]
    assert [r["recipients"] for r in summaries] == [
        ["Thường trực Tỉnh ủy Bến Tre <thuongtruc@tinhuy.bentre.example>"]
    ]
    assert ok(open_cycle("outbox", "list", "--status", "sent", "--now", "2024-07-20T08:00",
                         "--json")) == []  # fmt: skip
    with db.reading() as session:  # + 7 opening notices and the coordinator's digest
        assert len(session.exec(select(Notification)).all()) == 6 + 1 + 7 + 1


# -- the demo --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_outcome(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    from demo.run import run

    return run(tmp_path_factory.mktemp("demo") / "demo", as_json=True)


def step(outcome: dict[str, Any], first_word: str) -> list[dict[str, Any]]:
    return [s for s in outcome["steps"] if s["argv"][0] == first_word]


def test_demo_runs_the_whole_cycle(demo_outcome: dict[str, Any]) -> None:
    assert all(s["exit"] == 0 for s in demo_outcome["steps"])
    opened = step(demo_outcome, "cycle")[0]["result"]
    assert opened["tasks"] == 10  # the seven provincial bodies and three commune boards
    assert [(c["ref"], c["tasks"], c["provide_due"]) for c in opened["children"]] == [
        ("XA238-PHUTUC/2024-H1", 3, "2024-07-09"),
        ("XA238-TANTHACH/2024-H1", 2, "2024-07-09"),
        ("XA238-ANKHANH/2024-H1", 3, "2024-07-09"),
    ]
    province = next(s for s in step(demo_outcome, "synthesize") if s["argv"][1] == CYCLE)
    summary = {r["body"]: r["category"] for r in province["result"]["summary"]}
    assert summary == {
        "HDND": "on_time",
        "UBND": "on_time",
        "VKSND": "after_revision",
        "TAND": "late",
        "SO-TTTT": "on_time",
        "SO-TP": "on_time",
        "SO-VHTTDL": "missing",
        "DU-PHUTUC": "on_time",
        "DU-TANTHACH": "on_time",
        "DU-ANKHANH": "late",
    }
    dashboard = step(demo_outcome, "dashboard")[0]["result"]
    assert [
        (g["body"], [i["escalation_level"] for i in g["items"]])
        for g in dashboard["overdue"]["items"]
    ] == [("SO-VHTTDL", [3])]
    fired = [
        (s["at"][:10], f["step"])
        for s in step(demo_outcome, "sweep")
        for f in s["result"]["fired"]
        if f["body"] == "SO-VHTTDL"
    ]
    assert fired == [
        ("2024-07-10", "reminder-2"),
        ("2024-07-13", "level-1"),
        ("2024-07-17", "level-2"),
        ("2024-07-20", "level-3"),
    ]
    assert "Sở Văn hóa, Thể thao và Du lịch" in province["result"]["markdown"]


def test_demo_runs_the_communes_under_the_province(demo_outcome: dict[str, Any]) -> None:
    """Two levels: each commune board's synthesis is its report to the province; An
    Khánh's People's Committee is late, so its board is, and both ladders climb."""
    fed = {
        s["argv"][1]: s["result"]["fed"]
        for s in step(demo_outcome, "synthesize")
        if s["argv"][1] != CYCLE
    }
    assert {ref: (f["parent"], f["version"], f["on_time"]) for ref, f in fed.items()} == {
        "XA238-PHUTUC/2024-H1": (CYCLE, 1, True),
        "XA238-TANTHACH/2024-H1": (CYCLE, 1, True),
        "XA238-ANKHANH/2024-H1": (CYCLE, 1, False),
    }

    def fired(body: str) -> list[tuple[str, str]]:
        return [
            (s["at"][:10], f["step"])
            for s in step(demo_outcome, "sweep")
            for f in s["result"]["fired"]
            if f["body"] == body
        ]

    # The province's ladder urges the late commune board; the commune's, its late body.
    assert fired("DU-ANKHANH") == [
        ("2024-07-10", "reminder-2"),
        ("2024-07-13", "level-1"),
        ("2024-07-17", "level-2"),
    ]
    assert fired("UBND-ANKHANH") == [("2024-07-10", "level-1"), ("2024-07-13", "level-2")]
    tree = step(demo_outcome, "cycle")[-1]["result"]
    assert [(c["ref"], c["parent"], c["status"]) for c in tree["cycles"]] == [
        (CYCLE, None, "synthesized"),
        ("XA238-ANKHANH/2024-H1", CYCLE, "synthesized"),
        ("XA238-PHUTUC/2024-H1", CYCLE, "synthesized"),
        ("XA238-TANTHACH/2024-H1", CYCLE, "synthesized"),
    ]
    buckets = {c["ref"]: c["buckets"] for c in tree["cycles"]}
    assert (buckets[CYCLE]["done_on_time"], buckets[CYCLE]["done_late"]) == (7, 2)
    assert buckets[CYCLE]["overdue"] == 1  # Sở Văn hóa, Thể thao và Du lịch
    assert buckets["XA238-ANKHANH/2024-H1"]["done_late"] == 1
    assert tree["cycles"][1]["task_in_parent"]["bucket"] == "done_late"


def test_demo_refuses_a_used_directory(demo_outcome: dict[str, Any]) -> None:
    from demo.run import run
    from rules.errors import UserError

    with pytest.raises(UserError, match="already holds a database"):
        run(Path(demo_outcome["data_dir"]), as_json=True)


def test_repeating_the_same_submission_records_nothing_new(open_cycle: Cli) -> None:
    first = submit(open_cycle, "HDND", "2024-07-08T10:00")
    again = submit(open_cycle, "HDND", "2024-07-08T10:05")
    assert (first["version"], again["version"], again["repeated"]) == (1, 1, True)
    with db.reading() as session:
        assert len(session.exec(select(Submission)).all()) == 1
        actions = session.exec(select(AuditRecord.action)).all()
    assert actions.count("task.submitted") == 1


def test_a_body_dissolved_before_the_letter_cannot_be_asked_to_report(demo_org: Cli) -> None:
    # The information department merged away on 28/02/2025 (dated organisation tree).
    refused = demo_org(
        "cycle", "open", "QD238", "2025-H1", "--letter-date", "2025-07-03",
        "--now", "2025-07-03T08:00",
    )  # fmt: skip
    assert refused.code == 1
    assert "SO-TTTT chưa có vào ngày 03/07/2025" in refused.err
    with db.reading() as session:
        assert session.exec(select(Cycle)).all() == []
    # The cycle of a period when it still existed opens as before.
    assert demo_org(
        "cycle", "open", "QD238", "2024-H2", "--letter-date", "2025-01-03",
        "--now", "2025-01-03T08:00",
    ).code == 0  # fmt: skip


def test_more_attachments_than_a_version_allows_are_refused(
    open_cycle: Cli, tmp_path: Path
) -> None:
    from services.provision import MAX_ATTACHMENTS

    files = []
    for i in range(MAX_ATTACHMENTS + 1):
        files += ["--attach", tmp_path / f"phụ-lục-{i}.pdf"]
        (tmp_path / f"phụ-lục-{i}.pdf").write_bytes(b"%PDF")
    result = open_cycle(
        "submit", REPORTS / "HDND.md", "--cycle", CYCLE, "--body", "HDND", *files,
        "--now", "2024-07-08T10:00",
    )  # fmt: skip
    assert result.code == 1
    refusal = f"phoihop: lỗi: Mỗi phiên bản có tối đa {MAX_ATTACHMENTS} tệp đính kèm."
    assert result.err.strip() == refusal


def test_a_resubmission_with_other_attachments_is_a_new_version(
    open_cycle: Cli, tmp_path: Path
) -> None:
    def send(content: bytes, at: str) -> dict[str, Any]:
        (tmp_path / "Phụ lục.pdf").write_bytes(content)
        return ok(
            open_cycle(
                "submit", REPORTS / "HDND.md", "--cycle", CYCLE, "--body", "HDND",
                "--attach", tmp_path / "Phụ lục.pdf", "--now", at, "--json",
            )
        )  # fmt: skip

    first = send(b"%PDF one", "2024-07-08T10:00")
    same = send(b"%PDF one", "2024-07-08T10:05")
    other = send(b"%PDF two", "2024-07-08T10:10")
    assert (first["version"], same["version"], same["repeated"]) == (1, 1, True)
    assert (other["version"], other["repeated"]) == (2, False)


def test_the_demo_cleans_up_unless_asked_to_keep(capsys: pytest.CaptureFixture[str]) -> None:
    """A temporary directory is removed at the end (--keep keeps it); the demo ends with
    what to do next."""
    import shutil

    from demo.run import run

    gone = run()
    assert gone["kept"] is False and not Path(gone["data_dir"]).exists()
    said = capsys.readouterr().out
    assert "đã được xóa" in said and "Các bước tiếp theo" in said and "serve" in said
    kept = run(keep=True, as_json=True)
    try:
        assert kept["kept"] is True and (Path(kept["data_dir"]) / "phoihop.db").exists()
    finally:
        shutil.rmtree(kept["data_dir"])


def test_a_due_date_typed_on_a_day_off_says_it_moved_and_why(open_cycle: Cli) -> None:
    submit(open_cycle, "VKSND", "2024-07-15T08:00", REPORTS / "VKSND-v1.md")
    said = open_cycle(
        "review", "return", "--cycle", CYCLE, "--body", "VKSND", "--comment", "Bổ sung số liệu",
        "--due", "2024-07-21", "--now", "2024-07-15T09:20",
    )  # fmt: skip
    assert said.code == 0, said.err
    assert (
        "Ngày đã nhập 21/07/2024 là ngày nghỉ (Chủ nhật), nên hạn được chuyển sang ngày làm "
        "việc tiếp theo: 22/07/2024."
    ) in said.out
    extended = open_cycle(
        "extend", "--cycle", CYCLE, "--body", "TAND", "--reason", "Chờ số liệu",
        "--due", "2024-09-02", "--now", "2024-07-15T09:30", "--lang", "en", "--json",
    )  # fmt: skip
    moved = ok(extended)["due_moved"]
    assert (moved["typed"], moved["moved_to"]) == ("2024-09-02", "2024-09-04")
    assert moved["reasons"] == ["Quốc khánh"] and moved["days_off"][1]["date"] == "2024-09-03"
    plain = open_cycle(
        "extend", "--cycle", CYCLE, "--body", "HDND", "--reason", "Chờ số liệu",
        "--due", "2024-07-30", "--now", "2024-07-15T09:40", "--json",
    )  # fmt: skip
    assert ok(plain)["due_moved"] is None  # a working day is not moved
