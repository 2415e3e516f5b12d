"""Mergers replayed on the simulated clock: successor links, tasks handed over with
their audit, the successor's scorecard carrying its predecessors' history.

QD238/2024-H1 (due 12/07/2024) as in test_scorecard: the information department
(SO-TTTT) sends late on Saturday 20/07 (6 working days). QD238/2024-H2 is opened on
03/01/2025 (due 14/01/2025); SO-TTTT never sends it. SO-TTTT ends on 28/02/2025 and
merges into the new Science and Technology department (SO-KHCN) from 01/03/2025, as
the 2025 reorganisation did; the bodies file that says so is imported on 20/02/2025.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from models import AuditRecord, Handover, Succession
from services import db
from tests import pg
from tests.steps import DEMO_DATA, Cli, ok
from tests.test_bad_input import fails_cleanly
from tests.test_scorecard import H1, H2, first_half, send

DECISION = "Quyết định số 512/QĐ-UBND ngày 27/02/2025"


def merged_file(tmp_path: Path) -> Path:
    """The demo's bodies file as an operator would edit it for the merger: the new
    department, and SO-TTTT's row pointing to it from 01/03/2025."""
    rows = list(csv.DictReader(io.StringIO((DEMO_DATA / "bodies.csv").read_text("utf-8"))))
    fields = [*rows[0], "merged_into", "merged_on", "merger_decision"]
    for row in rows:
        if row["code"] == "SO-TTTT":
            row |= {"merged_into": "SO-KHCN", "merged_on": "2025-03-01",
                    "merger_decision": DECISION}  # fmt: skip
    rows.append({"code": "SO-KHCN", "name": "Sở Khoa học và Công nghệ", "level": "province",
                 "parent": "UBND", "head_name": "Nguyễn Văn Hiếu", "head_title": "Giám đốc Sở",
                 "focal_email": "vanphong@skhcn.bentre.example", "valid_from": "2025-03-01",
                 "kind": "state", "symbol": "SKHCN"})  # fmt: skip
    out = io.StringIO()
    writer = csv.DictWriter(out, fields)
    writer.writeheader()
    writer.writerows(rows)
    path = tmp_path / "bodies-2025.csv"
    path.write_text(out.getvalue(), "utf-8")
    return path


@pytest.fixture
def two_cycles(open_cycle: Cli) -> Cli:
    """H1 sent (SO-TTTT late), accepted and closed; H2 open, SO-TTTT not sent."""
    cli = first_half(open_cycle)
    for body in ("HDND", "UBND", "TAND", "SO-TTTT", "SO-TP"):
        ok(cli("review", "accept", "--cycle", H1, "--body", body, "--now", "2024-07-31T09:00",
               "--json"))  # fmt: skip
    ok(cli("synthesize", H1, "--now", "2024-07-31T10:00", "--json"))
    ok(cli("cycle", "open", "QD238", "2024-H2", "--letter-no", "15-CV/BTGTU",
           "--letter-date", "2025-01-03", "--now", "2025-01-03T08:00", "--json"))  # fmt: skip
    for body in ("HDND", "UBND", "TAND", "SO-VHTTDL", "SO-TP", "VKSND"):
        send(cli, H2, body, "2025-01-10T09:00")
    return cli


def count(model: Any, *where: Any) -> int:
    with db.reading() as session:
        return session.execute(select(func.count()).select_from(model).where(*where)).scalar_one()


def tasks_of(cli: Cli, cycle: str) -> dict[str, dict[str, Any]]:
    items = ok(cli("tasks", "list", "--cycle", cycle, "--json"))["items"]
    return {t["body"]: t for t in items}


def test_a_merger_hands_the_open_task_over_on_its_day_with_an_audit_record(
    two_cycles: Cli, tmp_path: Path
) -> None:
    cli = two_cycles
    imported = ok(cli("bodies", "import", merged_file(tmp_path), "--now", "2025-02-20T09:00",
                      "--as", "Văn phòng UBND", "--json"))  # fmt: skip
    assert imported["created"] == ["SO-KHCN"]
    assert imported["merged"] == [{"predecessor": "SO-TTTT", "successor": "SO-KHCN",
                                   "effective_on": "2025-03-01", "decision": DECISION}]  # fmt: skip
    assert imported["handed_over"] == []  # its day has not come
    task = tasks_of(cli, H2)["SO-TTTT"]["task"]
    assert ok(cli("sweep", "--now", "2025-02-27T08:00", "--json"))["handed_over"] == []
    assert "SO-TTTT" in tasks_of(cli, H2)

    swept = ok(cli("sweep", "--now", "2025-03-03T08:00", "--json"))  # Monday after 01/03
    assert swept["handed_over"] == [{
        "task": task, "cycle": 2, "period": "2024-H2", "from": "SO-TTTT", "to": "SO-KHCN",
        "moved": True, "into_task": None, "effective_on": "2025-03-01", "decision": DECISION,
    }]  # fmt: skip
    h2 = tasks_of(cli, H2)
    assert "SO-TTTT" not in h2 and h2["SO-KHCN"]["task"] == task  # the same task, its deadline
    assert h2["SO-KHCN"]["due_date"] == "2025-01-14"
    with db.reading() as session:
        audit = session.execute(
            select(AuditRecord).where(AuditRecord.action == "task.handed_over")
        ).scalar_one()
        handover = session.execute(select(Handover)).scalar_one()
    assert (audit.actor, audit.task_id, audit.detail["from"], audit.detail["to"]) == (
        "sweep", task, "SO-TTTT", "SO-KHCN")  # fmt: skip
    assert audit.at.isoformat() == "2025-03-03T01:00:00+00:00"  # 08:00 in Hà Nội
    assert (handover.task_id, handover.into_task_id, handover.actor) == (task, None, "sweep")
    history = ok(cli("audit", "--task", task, "--json"))["items"]
    assert "bàn giao từ SO-TTTT sang SO-KHCN" in [r["text"] for r in history]

    # Again: the sweep, the merger and the file find nothing new and write nothing.
    assert ok(cli("sweep", "--now", "2025-03-04T08:00", "--json"))["handed_over"] == []
    again = ok(cli("bodies", "merge", "SO-TTTT", "--into", "SO-KHCN", "--on", "2025-03-01",
                   "--decision", DECISION, "--now", "2025-03-04T09:00", "--json"))  # fmt: skip
    assert (len(again["recorded"]), len(again["unchanged"]), again["handed_over"]) == (0, 1, [])
    reimported = ok(cli("bodies", "import", merged_file(tmp_path), "--now", "2025-03-04T09:00",
                        "--json"))  # fmt: skip
    assert (reimported["merged"], reimported["handed_over"]) == ([], [])
    assert (count(Succession), count(Handover)) == (1, 1)
    assert count(AuditRecord, AuditRecord.action == "task.handed_over") == 1

    # The successor sends it; the ladder now urges the successor.
    sent = ok(cli("submit", DEMO_DATA / "reports" / "SO-TTTT.md", "--cycle", H2, "--body",
                  "SO-KHCN", "--now", "2025-03-05T10:00", "--json"))  # fmt: skip
    assert sent["on_time"] is False
    listed = cli("bodies", "mergers", "--now", "2025-03-05T10:00").out
    assert "SO-TTTT" in listed and "SO-KHCN" in listed and "01/03/2025" in listed


def test_a_cycle_opened_after_the_merger_asks_the_successor(
    two_cycles: Cli, tmp_path: Path
) -> None:
    """QD238/2025-H1, opened on 10/02/2025 after SO-TTTT merged into SO-TP (01/02/2025)
    and ended (05/02/2025): the opening is not refused for a missing body; SO-TTTT's
    task is closed as handed over in the opening's own transaction (audited, by whoever
    opened the cycle), SO-TP's carries on, and the opening notices go to the bodies that
    answer, none to the department merged away."""
    from models import Notification

    cli = two_cycles
    ok(cli("bodies", "merge", "SO-TTTT", "--into", "SO-TP", "--on", "2025-02-01",
           "--now", "2025-01-20T09:00", "--json"))  # fmt: skip
    rows = list(csv.DictReader(io.StringIO((DEMO_DATA / "bodies.csv").read_text("utf-8"))))
    for row in rows:  # the department's row ends after the merger, before the letter
        if row["code"] == "SO-TTTT":
            row["valid_to"] = "2025-02-05"
    out = io.StringIO()
    writer = csv.DictWriter(out, list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    ended = tmp_path / "bodies-ended.csv"
    ended.write_text(out.getvalue(), "utf-8")
    ok(cli("bodies", "import", ended, "--now", "2025-02-06T09:00", "--json"))
    notices_before = count(Notification)
    opened = ok(cli("cycle", "open", "QD238", "2025-H1", "--letter-no", "88-CV/BTGTU",
                    "--letter-date", "2025-02-10", "--now", "2025-02-10T08:00",
                    "--as", "Ban Tuyên giáo", "--json"))  # fmt: skip
    bodies = tasks_of(cli, opened["cycle"]["ref"])
    assert (bodies["SO-TTTT"]["status"], bodies["SO-TP"]["status"]) == ("handed_over", "pending")
    with db.reading() as session:
        audit = session.execute(
            select(AuditRecord).where(
                AuditRecord.action == "task.handed_over",
                AuditRecord.task_id == bodies["SO-TTTT"]["task"],
            )
        ).scalar_one()
        sent = (
            session.execute(select(Notification.recipients).where(Notification.id > notices_before))
            .scalars()
            .all()
        )
    assert (audit.actor, audit.detail["into_task"]) == ("Ban Tuyên giáo", bodies["SO-TP"]["task"])
    addressed = [a for to in sent for a in to]
    assert any("stp.bentre" in a for a in addressed), addressed
    assert not any("stttt.bentre" in a for a in addressed), addressed
    assert len(sent) == len(bodies) - 1  # one opening notice per body that answers


def test_the_successors_scorecard_includes_its_predecessors_late_history(
    two_cycles: Cli, tmp_path: Path
) -> None:
    cli = two_cycles
    ok(cli("bodies", "import", merged_file(tmp_path), "--now", "2025-02-20T09:00", "--json"))
    before = ok(cli("scorecard", "--body", "SO-TTTT", "--now", "2025-02-27T10:00", "--json"))
    assert before["bodies"][0]["body"] == "SO-TTTT"  # not merged yet: its own row
    ok(cli("sweep", "--now", "2025-03-03T08:00", "--json"))

    card = ok(cli("scorecard", "--body", "SO-KHCN", "--now", "2025-03-10T10:00", "--json"))
    [row] = card["bodies"]
    assert row["body"] == "SO-KHCN"
    named = [(p["body"], p["successor"], p["effective_on"], p["decision"])
             for p in row["predecessors"]]  # fmt: skip
    assert named == [("SO-TTTT", "SO-KHCN", "2025-03-01", DECISION)]
    # H1: SO-TTTT sent 6 working days late; H2: handed over, never sent, still overdue.
    assert (row["total"], row["done_late"], row["overdue"], row["on_time_rate"]) == (2, 1, 1, 0.0)
    assert row["days_late_worst"] > 6
    assert {c["ref"]: c["from_predecessors"] for c in card["cycles"]} == {
        H1: ["SO-TTTT"], H2: ["SO-TTTT"]}  # fmt: skip
    [trend] = card["trends"]
    assert [(s["period"], s["from_predecessors"]) for s in trend["series"]] == [
        ("2024-H1", ["SO-TTTT"]), ("2024-H2", ["SO-TTTT"])]  # fmt: skip

    everyone = ok(cli("scorecard", "--now", "2025-03-10T10:00", "--json"))
    codes = [b["body"] for b in everyone["bodies"]]
    assert "SO-KHCN" in codes and "SO-TTTT" not in codes  # the figures followed the merger
    assert everyone["bodies_total"] == 7 and everyone["total"]["total"] == 14
    khcn = next(b for b in everyone["bodies"] if b["body"] == "SO-KHCN")
    assert khcn["total"] == 2 and khcn["predecessors"][0]["body"] == "SO-TTTT"

    text = cli("scorecard", "--body", "SO-KHCN", "--now", "2025-03-10T10:00").out
    assert "SO-KHCN gồm lịch sử của cơ quan tiền thân SO-TTTT (Sở Thông tin và Truyền" in text
    assert "từ 01/03/2025, " + DECISION in text
    assert "*: gồm nhiệm vụ của cơ quan tiền thân" in text
    english = cli("scorecard", "--body", "SO-KHCN", "--lang", "en", "--now", "2025-03-10").out
    assert "SO-KHCN includes the history of its predecessor SO-TTTT" in english


def test_a_successor_with_its_own_task_carries_on_and_the_predecessors_closes(
    two_cycles: Cli,
) -> None:
    """SO-TTTT merges into SO-TP, which has its own H2 task: nothing is merged into it;
    SO-TTTT's task stays with its history, closed as handed over, pointing to SO-TP's."""
    cli = two_cycles
    h2 = tasks_of(cli, H2)
    merged = ok(cli("bodies", "merge", "SO-TTTT", "--into", "SO-TP", "--on", "2025-01-20",
                    "--now", "2025-01-20T09:00", "--as", "Văn phòng UBND", "--json"))  # fmt: skip
    [handed] = merged["handed_over"]
    assert (handed["task"], handed["moved"], handed["into_task"]) == (
        h2["SO-TTTT"]["task"], False, h2["SO-TP"]["task"])  # fmt: skip
    after = tasks_of(cli, H2)
    assert after["SO-TTTT"]["status"] == "handed_over"
    assert after["SO-TP"] == h2["SO-TP"]  # the successor's task carries on untouched
    english, vi = refusal(cli, "submit", DEMO_DATA / "reports" / "SO-TTTT.md", "--cycle", H2,
                          "--body", "SO-TTTT", "--now", "2025-01-21T09:00")  # fmt: skip
    assert english == "this task was handed over to the body's successor; its task carries on"
    assert vi and vi.startswith("Nhiệm vụ này đã bàn giao cho cơ quan kế nhiệm")
    # Out of the four buckets: H2's seven tasks count six (all sent, none overdue).
    card = ok(cli("scorecard", "--program", "QD238", "--from", "2024-H2", "--now",
                  "2025-01-21T09:00", "--json"))  # fmt: skip
    assert (card["total"]["total"], card["total"]["overdue"]) == (6, 0)
    sweep = ok(cli("sweep", "--now", "2025-01-22T08:00", "--json"))
    assert all(f["body"] != "SO-TTTT" for f in sweep["fired"]) and sweep["handed_over"] == []
    assert count(Handover) == 1
    draft = cli("cycle", "report", H2, "--draft", "--now", "2025-01-22T09:00").out
    assert "Đã sáp nhập, bàn giao cho cơ quan kế nhiệm: 1 cơ quan (Sở Thông tin" in draft
    assert "Chưa gửi" not in draft  # not counted as missing: its successor reports
    text = cli("bodies", "merge", "SO-TTTT", "--into", "SO-TP", "--on", "2025-01-20",
               "--now", "2025-01-22T09:00").out  # fmt: skip
    assert text.startswith("Đã có, không đổi: SO-TTTT → SO-TP từ 20/01/2025")


def test_chains_fold_into_the_last_successor(two_cycles: Cli) -> None:
    """SO-TTTT → SO-TP (15/01/2025) → SO-VHTTDL (01/02/2025): SO-VHTTDL's scorecard
    holds all three bodies' tasks, each predecessor named with its own merger."""
    cli = two_cycles
    said = cli("bodies", "merge", "SO-TTTT", "--into", "SO-TP", "--on", "2025-01-15",
               "--now", "2025-01-10T09:00")  # fmt: skip
    assert (said.code, said.err) == (0, "")
    assert said.out == "Đã ghi nhận sáp nhập: SO-TTTT → SO-TP từ 15/01/2025\n"  # nothing due yet
    ok(cli("bodies", "merge", "SO-TP", "--into", "SO-VHTTDL", "--on", "2025-02-01",
           "--now", "2025-01-10T09:00", "--json"))  # fmt: skip
    [handed] = ok(cli("sweep", "--now", "2025-01-16T08:00", "--json"))["handed_over"]
    assert (handed["from"], handed["to"], handed["moved"]) == ("SO-TTTT", "SO-TP", False)
    between = ok(cli("scorecard", "--now", "2025-01-20T09:00", "--json"))
    assert {b["body"] for b in between["bodies"]} >= {"SO-TP", "SO-VHTTDL"}
    card = ok(cli("scorecard", "--body", "SO-VHTTDL", "--now", "2025-02-03T09:00", "--json"))
    [row] = card["bodies"]
    assert [(p["body"], p["successor"]) for p in row["predecessors"]] == [
        ("SO-TTTT", "SO-TP"), ("SO-TP", "SO-VHTTDL")]  # fmt: skip
    assert row["total"] == 5  # 3 in H1, and H2's SO-TP and SO-VHTTDL (SO-TTTT's: handed over)
    everyone = ok(cli("scorecard", "--now", "2025-02-03T09:00", "--json"))
    assert {"SO-TTTT", "SO-TP"}.isdisjoint(b["body"] for b in everyone["bodies"])
    assert everyone["bodies_total"] == 5


def refusal(cli: Cli, *argv: Any) -> tuple[str, str | None]:
    """A command that must fail in one line with nothing written: its words in English
    (``--lang en``) and in Vietnamese, as the error table gives them to the user."""
    from rules.error_text import localize

    line = fails_cleanly(cli, *argv, "--lang", "en")
    english = line.removeprefix("phoihop: error: ")
    return english, localize(english, "vi")


def test_loops_of_any_length_and_absent_successors_are_refused(
    demo_org: Cli, tmp_path: Path
) -> None:
    cli = demo_org
    ok(cli("bodies", "merge", "UBND", "--into", "HDND", "--on", "2025-07-01", "--json"))
    ok(cli("bodies", "merge", "HDND", "--into", "TAND", "--on", "2025-07-01", "--json"))
    merge = ("bodies", "merge")
    assert refusal(cli, *merge, "TAND", "--into", "UBND", "--on", "2025-07-01") == (
        "the mergers would form a loop: HDND → TAND → UBND → HDND",
        "Các quyết định sáp nhập sẽ bị khép vòng: HDND → TAND → UBND → HDND.",
    )
    _, vi = refusal(cli, *merge, "TAND", "--into", "HDND", "--on", "2025-07-01")
    assert vi == "Các quyết định sáp nhập sẽ bị khép vòng: HDND → TAND → HDND."
    _, vi = refusal(cli, *merge, "VKSND", "--into", "VKSND", "--on", "2025-07-01")
    assert vi == "Cơ quan VKSND không thể sáp nhập vào chính nó."
    # BTGTU ended on 28/02/2025: it cannot take anything over on 01/07/2025.
    english, vi = refusal(cli, *merge, "SO-TP", "--into", "BTGTU", "--on", "2025-07-01")
    assert english.startswith("body BTGTU does not exist on ")
    assert vi == "Cơ quan BTGTU không tồn tại vào ngày 01/07/2025, nên không thể tiếp nhận SO-TP."
    english, vi = refusal(cli, *merge, "UBND", "--into", "TAND", "--on", "2025-08-01")
    assert english.endswith(": a body has one successor")
    assert vi == (
        "Cơ quan UBND đã sáp nhập vào HDND từ ngày 01/07/2025; mỗi cơ quan chỉ có một cơ quan "
        "kế nhiệm."
    )
    # The same merger under another decision is not a second successor: it says what it is.
    english, vi = refusal(cli, *merge, "UBND", "--into", "HDND", "--on", "2025-07-01",
                          "--decision", "Nghị quyết số 202/2025/QH15")  # fmt: skip
    assert english == (
        "the merger of UBND into HDND on 01/07/2025 is recorded under another decision "
        "(none named); a recorded merger is not changed"
    )
    assert vi == (
        "Việc sáp nhập UBND vào HDND từ ngày 01/07/2025 đã được ghi theo một quyết định khác "
        "(không nêu quyết định); không sửa việc sáp nhập đã ghi."
    )
    again = ok(cli("bodies", "merge", "UBND", "--into", "HDND", "--on", "2025-07-01", "--json"))
    assert (again["recorded"], len(again["unchanged"])) == ([], 1)
    assert refusal(cli, *merge, "NOPE", "--into", "TAND", "--on", "2025-08-01") == (
        "unknown body code(s): NOPE", "Không có cơ quan: NOPE."
    )  # fmt: skip
    # A loop closed inside a bodies file is refused like one closed on the command line.
    path = tmp_path / "loop.csv"
    path.write_text(
        "code,name,level,merged_into,merged_on\n"
        "TAND,Tòa án nhân dân tỉnh,province,UBND,2025-07-01\n", "utf-8"
    )  # fmt: skip
    english, _ = refusal(cli, "bodies", "import", path)
    assert english == "the mergers would form a loop: HDND → TAND → UBND → HDND"
    path.write_text("code,name,level,merged_into\nTAND,Tòa án,province,UBND\n", "utf-8")
    english, _ = refusal(cli, "bodies", "import", path)
    assert "give both merged_into and merged_on" in english
    assert len(ok(cli("bodies", "mergers", "--json"))) == 2


@pytest.mark.skipif(pg.binaries() is None, reason="PostgreSQL binaries not installed")
def test_the_same_handover_and_figures_on_postgresql(
    pg_url: str, two_cycles: Cli, tmp_path: Path
) -> None:
    """The hand-over locks its tasks (FOR UPDATE SKIP LOCKED) on PostgreSQL."""
    assert db.engine().dialect.name == "postgresql"
    cli = two_cycles
    ok(cli("bodies", "import", merged_file(tmp_path), "--now", "2025-02-20T09:00", "--json"))
    [handed] = ok(cli("sweep", "--now", "2025-03-03T08:00", "--json"))["handed_over"]
    assert (handed["from"], handed["to"], handed["moved"]) == ("SO-TTTT", "SO-KHCN", True)
    assert ok(cli("sweep", "--now", "2025-03-04T08:00", "--json"))["handed_over"] == []
    card = ok(cli("scorecard", "--body", "SO-KHCN", "--now", "2025-03-10T10:00", "--json"))
    [row] = card["bodies"]
    assert (row["total"], row["done_late"], row["overdue"]) == (2, 1, 1)
    assert [p["body"] for p in row["predecessors"]] == ["SO-TTTT"]
