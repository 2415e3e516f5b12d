"""The roll-up across levels, replayed on the simulated clock through the CLI.

A province board's program (QD238P) is fed by two commune boards' programs
(Phú Túc, Tân Thạch), and itself feeds a central program (TW238) for the depth
test. Opening the parent opens the children in the same transaction, their
deadlines worked back on the working-day calendar; a child's synthesis becomes
its coordinator's submission above; escalation runs at both levels.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tests.steps import Cli, ok

BODIES = (Path(__file__).parent / "data" / "rollup-bodies.csv").read_text(encoding="utf-8")

OUTLINE = """\
outline:
  - {code: I, title: Đánh giá tình hình và kết quả thực hiện Quyết định số 238}
  - {code: II, title: Những nhiệm vụ trọng tâm trong thời gian tới}
"""


def program(code: str, coordinator: str, bodies: list[str], provide: int, *,
            feeds: str | None = None, margin: int = 1, review: int = 1,
            synthesis: int = 1, parent_extension: str | None = None) -> str:  # fmt: skip
    lines = [
        f"code: {code}",
        "title: Báo cáo kết quả thực hiện Quy chế phối hợp theo Quyết định số 238-QĐ/TW",
        f"coordinator: {coordinator}",
        f"bodies: [{', '.join(bodies)}]",
        "period: half",
        "working_days: {"
        f"provide: {provide}, review: {review}, synthesis: {synthesis}, margin: {margin}" + "}",
    ]
    if feeds:
        lines.append(f"feeds: {feeds}")
    if parent_extension:
        lines.append(f"parent_extension: {parent_extension}")
    return "\n".join(lines) + "\n" + OUTLINE


REPORT = """\
## I. Đánh giá tình hình và kết quả thực hiện Quyết định số 238

{name} đã phối hợp tuyên truyền Quyết định 238 tại địa bàn.

## II. Những nhiệm vụ trọng tâm trong thời gian tới

Tiếp tục cung cấp thông tin kịp thời.
"""

PARENT = "QD238P/2024-H1"
PT, TT = "XA-PT/2024-H1", "XA-TT/2024-H1"


@pytest.fixture
def org(cli: Cli, tmp_path: Path) -> Cli:
    """The bodies, the central, province and commune programs (not opened)."""
    return register(cli, tmp_path)


def register(cli: Cli, tmp_path: Path, tt_policy: str | None = None) -> Cli:
    """Register the organisation; ``tt_policy``: Tân Thạch's ``parent_extension``."""
    (tmp_path / "bodies.csv").write_text(BODIES, encoding="utf-8")
    ok(cli("bodies", "import", tmp_path / "bodies.csv", "--now", "2024-07-01", "--json"))
    files = {
        "tw": program("TW238", "BTGTW", ["BTGTU"], 10),
        "p": program(
            "QD238P", "BTGTU", ["UBND", "DU-PT", "DU-TT"], 7, feeds="TW238", review=3, synthesis=2
        ),  # fmt: skip
        "pt": program("XA-PT", "DU-PT", ["HDND-PT", "UBND-PT"], 4, feeds="QD238P"),
        "tt": program(
            "XA-TT", "DU-TT", ["UBND-TT", "MTTQ-TT"], 4, feeds="QD238P", parent_extension=tt_policy
        ),  # fmt: skip
    }
    for name, text in files.items():
        (tmp_path / f"{name}.yaml").write_text(text, encoding="utf-8")
        ok(cli("program", "add", tmp_path / f"{name}.yaml", "--now", "2024-07-01", "--json"))
    return cli


def open_parent(cli: Cli) -> dict[str, Any]:
    return ok(cli("cycle", "open", "QD238P", "2024-H1", "--letter-no", "310-CV/BTGTU",
                  "--letter-date", "2024-07-03", "--now", "2024-07-03T08:00",
                  "--json"))  # fmt: skip


def send(cli: Cli, tmp_path: Path, cycle: str, body: str, now: str) -> dict[str, Any]:
    path = tmp_path / f"{body}.md"
    path.write_text(REPORT.format(name=body), encoding="utf-8")
    return ok(cli("submit", path, "--cycle", cycle, "--body", body, "--now", now, "--json"))


def accept(cli: Cli, cycle: str, body: str, now: str) -> dict[str, Any]:
    return ok(cli("review", "accept", "--cycle", cycle, "--body", body, "--now", now, "--json"))


def task(cli: Cli, cycle: str, body: str, now: str) -> dict[str, Any]:
    page = ok(cli("tasks", "list", "--cycle", cycle, "--body", body, "--now", now, "--json"))
    return page["items"][0]


def cycles(cli: Cli) -> dict[str, dict[str, Any]]:
    return {c["ref"]: c for c in ok(cli("cycle", "list", "--json"))}


def commune_done(cli: Cli, tmp_path: Path, cycle: str, bodies: list[str], day: str) -> None:
    for body in bodies:
        send(cli, tmp_path, cycle, body, f"{day}T09:00")
        accept(cli, cycle, body, f"{day}T10:00")


# -- fan-out and deadlines worked back ---------------------------------------------------------


def test_opening_the_province_opens_each_commune_under_it(org: Cli) -> None:
    opened = open_parent(org)
    assert opened["cycle"]["provide_due"] == "2024-07-12"
    children = {c["ref"]: c for c in opened["children"]}
    assert set(children) == {PT, TT}
    pt = children[PT]
    assert (pt["parent"], pt["coordinator"], pt["tasks"], pt["depth"]) == (PARENT, "DU-PT", 2, 1)
    # Back from DU-PT's deadline above (Fri 12/07): margin 1, synthesis 1, review 1.
    assert (pt["synthesis_due"], pt["review_due"], pt["provide_due"]) == (
        "2024-07-11", "2024-07-10", "2024-07-09",
    )  # fmt: skip
    assert pt["worked_back"]["working_days_to_provide"] == 4
    assert pt["worked_back"]["tight"] is False
    listed = cycles(org)
    assert listed[PT]["parent_cycle_id"] == listed[PARENT]["id"]
    assert listed[PT]["tasks"] == 2 and listed[PARENT]["tasks"] == 3
    assert task(org, PT, "UBND-PT", "2024-07-03")["due_date"] == "2024-07-09"
    text = org("cycle", "open", "XA-TT", "2024-H1", "--now", "2024-07-03T09:00")
    assert text.code != 0 and text.err.count("\n") == 1
    assert text.err == "phoihop: lỗi: Chương trình XA-TT đã mở kỳ báo cáo 2024-H1.\n"


def test_a_second_opening_makes_no_child_twice(org: Cli) -> None:
    open_parent(org)
    again = org("cycle", "open", "QD238P", "2024-H1", "--letter-date", "2024-07-03",
                "--now", "2024-07-03T08:05")  # fmt: skip
    assert again.code != 0 and "đã mở kỳ báo cáo 2024-H1" in again.err
    assert "Traceback" not in again.err
    assert sorted(cycles(org)) == [PARENT, PT, TT]


def test_opening_is_all_or_nothing(org: Cli, tmp_path: Path) -> None:
    """A commune body that no longer existed on the letter's date refuses the whole
    opening, province included, in one line."""
    gone = BODIES.replace(
        "Trần Thị Bé,be@mttq-tt.example,,", "Trần Thị Bé,be@mttq-tt.example,,2024-06-30"
    )
    (tmp_path / "gone.csv").write_text(gone, encoding="utf-8")
    ok(org("bodies", "import", tmp_path / "gone.csv", "--now", "2024-07-01", "--json"))
    refused = org("cycle", "open", "QD238P", "2024-H1", "--letter-date", "2024-07-03",
                  "--now", "2024-07-03T08:00")  # fmt: skip
    assert refused.code != 0
    assert refused.err.count("\n") == 1 and "MTTQ-TT" in refused.err and "XA-TT" in refused.err
    assert cycles(org) == {}
    assert ok(org("outbox", "list", "--json")) == []


def test_a_deadline_that_leaves_a_commune_no_day_is_refused(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "bodies.csv").write_text(BODIES, encoding="utf-8")
    ok(cli("bodies", "import", tmp_path / "bodies.csv", "--now", "2024-07-01", "--json"))
    for name, text in {
        "p": program("QD238P", "BTGTU", ["UBND", "DU-PT"], 7),
        "pt": program("XA-PT", "DU-PT", ["HDND-PT"], 4, feeds="QD238P", margin=5),
    }.items():
        (tmp_path / f"{name}.yaml").write_text(text, encoding="utf-8")
        ok(cli("program", "add", tmp_path / f"{name}.yaml", "--now", "2024-07-01", "--json"))
    refused = cli("cycle", "open", "QD238P", "2024-H1", "--letter-date", "2024-07-03",
                  "--now", "2024-07-03T08:00")  # fmt: skip
    assert refused.code != 0 and refused.err.count("\n") == 1
    assert "XA-PT" in refused.err and "margin" in refused.err
    assert cycles(cli) == {}


def test_three_levels_open_at_once_each_worked_back(org: Cli) -> None:
    opened = ok(org("cycle", "open", "TW238", "2024-H1", "--letter-date", "2024-07-03",
                    "--now", "2024-07-03T08:00", "--json"))  # fmt: skip
    assert opened["cycle"]["provide_due"] == "2024-07-17"
    children = {c["ref"]: c for c in opened["children"]}
    assert set(children) == {PARENT, PT, TT}
    p = children[PARENT]
    # Back from BTGTU's deadline in TW238 (Wed 17/07): margin 1, synthesis 2, review 3.
    assert (p["depth"], p["synthesis_due"], p["review_due"], p["provide_due"]) == (
        1, "2024-07-16", "2024-07-12", "2024-07-09",
    )  # fmt: skip
    pt = children[PT]
    # Back from DU-PT's deadline in QD238P (09/07): the communes' bodies get one day.
    assert (pt["depth"], pt["parent"], pt["provide_due"]) == (2, PARENT, "2024-07-04")
    assert pt["worked_back"] == {
        "parent_due": "2024-07-09", "synthesis_due": "2024-07-08", "review_due": "2024-07-05",
        "provide_due": "2024-07-04", "working_days_to_provide": 1, "tight": True,
    }  # fmt: skip
    tree = ok(org("cycle", "tree", TT, "--now", "2024-07-03T09:00", "--json"))
    assert tree["root"] == "TW238/2024-H1"
    assert [(c["ref"], c["depth"], c["parent"]) for c in tree["cycles"]] == [
        ("TW238/2024-H1", 0, None), (PARENT, 1, "TW238/2024-H1"), (PT, 2, PARENT),
        (TT, 2, PARENT),
    ]  # fmt: skip


def test_a_commune_cycle_opened_before_is_adopted_with_its_dates(org: Cli) -> None:
    own = ok(org("cycle", "open", "XA-PT", "2024-H1", "--letter-date", "2024-07-02",
                 "--now", "2024-07-02T08:00", "--json"))  # fmt: skip
    opened = open_parent(org)
    adopted = {c["ref"]: c for c in opened["children"]}[PT]
    assert adopted["adopted"] is True and adopted["worked_back"] is None
    assert adopted["provide_due"] == own["cycle"]["provide_due"] == "2024-07-08"
    assert cycles(org)[PT]["parent_cycle_id"] == opened["cycle"]["id"]
    shown = ok(org("cycle", "show", PT, "--now", "2024-07-03T09:00", "--json"))
    assert [n["action"] for n in shown["notes"]] == ["cycle.adopted"]


# A child process loads everything, says "ready", then waits for the go (a line on stdin)
# so that the openings start at the same moment.
CHILD = """
import sys
import cli
from services import db
db.engine()
print("ready", flush=True)
sys.stdin.readline()
sys.exit(cli.main(sys.argv[1:]))
"""


def test_concurrent_openings_make_each_cycle_once(org: Cli) -> None:
    """Three processes open the province's cycle at once: one opens it and its two
    communes' (all or nothing), the others are refused, nothing is made twice."""
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    argv = [sys.executable, "-c", CHILD, "cycle", "open", "QD238P", "2024-H1",
            "--letter-date", "2024-07-03", "--now", "2024-07-03T08:00", "--json"]  # fmt: skip
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    runs = [
        subprocess.Popen(
            argv,
            cwd=root,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        for _ in range(3)
    ]
    for run in runs:
        assert run.stdout.readline().strip() == "ready"
    for run in runs:
        run.stdin.write("go\n")
        run.stdin.flush()
    results = [run.communicate(timeout=120) + (run.returncode,) for run in runs]
    assert sorted(code for _, _, code in results) == [0, 1, 1], results
    assert all("đã mở kỳ báo cáo" in err for _, err, code in results if code)
    listed = cycles(org)
    assert sorted(listed) == [PARENT, PT, TT]
    assert [listed[r]["tasks"] for r in (PARENT, PT, TT)] == [3, 2, 2]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (program("X1", "DU-PT", ["HDND-PT"], 4, feeds="NOPE"), "feeds unknown program NOPE"),
        (program("X2", "UBND-TT", ["MTTQ-TT"], 4, feeds="QD238P"),
         "its coordinator UBND-TT is not one of QD238P's bodies"),
        (program("X3", "DU-PT", ["HDND-PT"], 4, feeds="QD238P").replace("period: half",
                                                                         "period: quarter"),
         "a child cycle is for its parent's period"),
        (program("X4", "DU-PT", ["HDND-PT"], 4, feeds="QD238P").replace(
            "  - {code: II, title: Những nhiệm vụ trọng tâm trong thời gian tới}\n", ""),
         "requires II. Những nhiệm vụ trọng tâm trong thời gian tới"),
    ],
)  # fmt: skip
def test_a_feeding_program_that_could_not_open_is_refused(
    org: Cli, tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    before = ok(org("program", "list", "--json"))
    refused = org("program", "add", path, "--now", "2024-07-01", "--lang", "en")
    assert refused.code != 0 and refused.err.count("\n") == 1 and message in refused.err
    assert ok(org("program", "list", "--json")) == before


# -- feeding the parent ---------------------------------------------------------------------


def test_a_commune_synthesis_is_its_boards_submission_above(org: Cli, tmp_path: Path) -> None:
    open_parent(org)
    commune_done(org, tmp_path, PT, ["HDND-PT", "UBND-PT"], "2024-07-08")
    closed = ok(org("synthesize", PT, "--now", "2024-07-10T15:00", "--json"))
    fed = closed["fed"]
    assert (fed["parent"], fed["fed"], fed["version"], fed["on_time"]) == (PARENT, True, 1, True)
    above = task(org, PARENT, "DU-PT", "2024-07-10T15:00")
    assert (above["task"], above["status"], above["versions"]) == (fed["task"], "submitted", 1)
    assert above["bucket"] == "done_on_time"
    from sqlmodel import select

    from models import Submission
    from services import db

    with db.reading() as session:
        version = session.exec(select(Submission).where(Submission.task_id == fed["task"])).one()
    assert version.from_cycle_id == closed["cycle"] and version.on_time
    assert version.submitted_by == "DU-PT" or version.submitted_by  # who closed the commune
    assert "TÌNH HÌNH GỬI BÁO CÁO CỦA CÁC CƠ QUAN" in version.content  # the status annex
    assert "Hội đồng nhân dân xã Phú Túc" in version.content
    assert [s["code"] for s in version.sections] == ["", "I", "II"]
    # The province's cycle page links DU-PT's task to the commune cycle it consolidates.
    shown = ok(org("cycle", "show", PARENT, "--now", "2024-07-10T15:00", "--json"))
    links = {r["body"]: r["child_cycle"] for r in shown["tasks"]["items"]}
    assert links["DU-PT"]["ref"] == PT and links["DU-TT"]["ref"] == TT and links["UBND"] is None
    text = org("cycle", "show", PARENT, "--now", "2024-07-10T15:00")
    assert "DU-PT: tổng hợp từ kỳ cấp dưới XA-PT/2024-H1 (đã tổng hợp)" in text.out
    child = ok(org("cycle", "show", PT, "--now", "2024-07-10T15:00", "--json"))
    assert child["parent"]["ref"] == PARENT and child["parent"]["task"] == fed["task"]
    # Accepted above like any report; the province then closes with it.
    accept(org, PARENT, "DU-PT", "2024-07-11T09:00")


FORM = """\
forms:
  - code: BM01
    title: Số liệu phối hợp tuyên truyền
    indicators:
      - {code: HN, name: Số hội nghị phối hợp, unit: hội nghị, type: integer, min: 0}
      - {code: KN, name: Số kiến nghị tiếp nhận, unit: kiến nghị, type: integer, min: 0}
      - {code: KN_GQ, name: Số kiến nghị đã giải quyết, unit: kiến nghị, type: integer, min: 0}
      - {code: TL_GQ, name: Tỷ lệ giải quyết, type: percentage, numerator: KN_GQ,
         denominator: KN, required: false}
"""


def test_a_communes_summed_figures_go_up_with_its_report(cli: Cli, tmp_path: Path) -> None:
    from demo.forms import fill
    from services.forms import template

    (tmp_path / "bodies.csv").write_text(BODIES, encoding="utf-8")
    ok(cli("bodies", "import", tmp_path / "bodies.csv", "--now", "2024-07-01", "--json"))
    for name, text in {
        "p": program("QD238P", "BTGTU", ["UBND", "DU-PT"], 7) + FORM,
        "pt": program("XA-PT", "DU-PT", ["HDND-PT", "UBND-PT"], 4, feeds="QD238P") + FORM,
    }.items():
        (tmp_path / f"{name}.yaml").write_text(text, encoding="utf-8")
        ok(cli("program", "add", tmp_path / f"{name}.yaml", "--now", "2024-07-01", "--json"))
    open_parent(cli)
    for body, values in {"HDND-PT": {"HN": 4, "KN": 30, "KN_GQ": 24},
                         "UBND-PT": {"HN": 5, "KN": 10, "KN_GQ": 9}}.items():  # fmt: skip
        book = tmp_path / f"{body}.xlsx"
        book.write_bytes(fill(template("XA-PT", body=body, period="2024-H1"), {"BM01": values}))
        report = tmp_path / f"{body}.md"
        report.write_text(REPORT.format(name=body), encoding="utf-8")
        ok(cli("submit", report, "--form", book, "--cycle", PT, "--body", body,
               "--now", "2024-07-05T09:00", "--json"))  # fmt: skip
        accept(cli, PT, body, "2024-07-05T10:00")
    closed = ok(cli("synthesize", PT, "--now", "2024-07-08T09:00", "--json"))
    assert closed["fed"]["forms"] == ["BM01"]
    accept(cli, PARENT, "DU-PT", "2024-07-08T10:00")
    totals = ok(cli("cycle", "totals", PARENT, "--json", "--now", "2024-07-08T10:00"))
    cells = {c["key"]: c for c in totals["forms"][0]["cells"]}
    assert (cells["HN"]["total"], cells["KN"]["total"], cells["KN_GQ"]["total"]) == (9, 40, 33)
    assert cells["HN"]["reported"] == ["DU-PT"] and cells["HN"]["missing"] == ["UBND"]
    assert cells["TL_GQ"]["total"] == 82.5  # recomputed above from the summed parts


def test_a_commune_whose_bodies_sent_no_figures_sends_none_up(cli: Cli, tmp_path: Path) -> None:
    """No figures below is no figures above: never zeros standing for nothing."""
    (tmp_path / "bodies.csv").write_text(BODIES, encoding="utf-8")
    ok(cli("bodies", "import", tmp_path / "bodies.csv", "--now", "2024-07-01", "--json"))
    for name, text in {
        "p": program("QD238P", "BTGTU", ["UBND", "DU-PT"], 7) + FORM,
        "pt": program("XA-PT", "DU-PT", ["HDND-PT"], 4, feeds="QD238P") + FORM,
    }.items():
        (tmp_path / f"{name}.yaml").write_text(text, encoding="utf-8")
        ok(cli("program", "add", tmp_path / f"{name}.yaml", "--now", "2024-07-01", "--json"))
    open_parent(cli)
    send(cli, tmp_path, PT, "HDND-PT", "2024-07-05T09:00")  # its report, no form
    accept(cli, PT, "HDND-PT", "2024-07-05T10:00")
    closed = ok(cli("synthesize", PT, "--now", "2024-07-08T09:00", "--json"))
    assert closed["fed"]["fed"] is True and closed["fed"]["forms"] == []


def test_a_late_commune_report_is_late_above(org: Cli, tmp_path: Path) -> None:
    open_parent(org)
    commune_done(org, tmp_path, TT, ["UBND-TT", "MTTQ-TT"], "2024-07-15")
    closed = ok(org("synthesize", TT, "--now", "2024-07-15T16:00", "--json"))
    assert closed["fed"]["on_time"] is False
    assert task(org, PARENT, "DU-TT", "2024-07-15T16:00")["bucket"] == "done_late"


def test_a_board_left_out_of_a_closed_cycle_above_is_overdue_in_the_tree(org: Cli) -> None:
    """The province closes on 10/07, before its boards' deadline (12/07), leaving them
    out: a commune board's task there can no longer be sent, so the tree counts it
    overdue, as the dashboard does, not pending."""
    open_parent(org)
    waiting = [t["body"] for t in ok(org("tasks", "list", "--cycle", PARENT, "--json"))["items"]]
    ok(org("synthesize", PARENT, "--leave-out", ",".join(waiting), "--now", "2024-07-10T09:00",
           "--json"))  # fmt: skip
    tree = ok(org("cycle", "tree", PARENT, "--now", "2024-07-10T10:00", "--json"))
    below = {n["ref"]: n["task_in_parent"] for n in tree["cycles"] if n["parent"]}
    assert {t["status"] for t in below.values()} == {"pending"}
    assert {t["bucket"] for t in below.values()} == {"overdue"}


def test_a_return_above_reopens_the_boards_task_not_the_commune_cycle(
    org: Cli, tmp_path: Path
) -> None:
    open_parent(org)
    commune_done(org, tmp_path, PT, ["HDND-PT", "UBND-PT"], "2024-07-08")
    ok(org("synthesize", PT, "--now", "2024-07-10T15:00", "--json"))
    ok(org("review", "return", "--cycle", PARENT, "--body", "DU-PT", "--comment",
           "Bổ sung số liệu của từng ấp", "--due", "2024-07-17", "--now", "2024-07-11T09:00",
           "--json"))  # fmt: skip
    above = task(org, PARENT, "DU-PT", "2024-07-11T09:00")
    assert (above["status"], above["due_date"]) == ("returned", "2024-07-17")
    assert cycles(org)[PT]["status"] == "synthesized"  # the commune's cycle stays closed
    again = send(org, tmp_path, PARENT, "DU-PT", "2024-07-12T09:00")  # the board resubmits
    assert (again["version"], again["on_time"]) == (2, True)


def test_a_parent_closing_first_leaves_a_trace_in_its_open_child(org: Cli, tmp_path: Path) -> None:
    open_parent(org)
    send(org, tmp_path, PARENT, "UBND", "2024-07-05T09:00")
    accept(org, PARENT, "UBND", "2024-07-05T10:00")
    commune_done(org, tmp_path, PT, ["HDND-PT", "UBND-PT"], "2024-07-08")
    ok(org("synthesize", PT, "--now", "2024-07-10T15:00", "--json"))
    accept(org, PARENT, "DU-PT", "2024-07-11T09:00")
    closed = ok(org("synthesize", PARENT, "--now", "2024-07-22T09:00", "--json"))
    assert closed["children_open"] == [cycles(org)[TT]["id"]]
    shown = org("cycle", "show", TT, "--now", "2024-07-22T10:00")
    assert "kỳ cấp trên QD238P/2024-H1 đã khóa trước" in shown.out
    # The commune closes later: its report cannot reach the closed cycle, and says so.
    late = ok(org("synthesize", TT, "--now", "2024-07-23T09:00", "--json"))
    assert late["fed"]["fed"] is False and "closed" in late["fed"]["reason"]
    text = org("cycle", "tree", PARENT, "--now", "2024-07-23T09:00")
    assert f"{TT}: chưa gửi được báo cáo lên kỳ QD238P/2024-H1: " in text.out


def test_the_roll_up_on_postgresql(pg_url: str, cli: Cli, tmp_path: Path) -> None:
    """Three levels opened in one transaction, a commune fed up and the tree, on
    PostgreSQL (the tasks of every level inserted set-based there too)."""
    org = register(cli, tmp_path)
    opened = ok(org("cycle", "open", "TW238", "2024-H1", "--letter-date", "2024-07-03",
                    "--now", "2024-07-03T08:00", "--json"))  # fmt: skip
    assert [c["ref"] for c in opened["children"]] == [PARENT, PT, TT]
    again = org("cycle", "open", "TW238", "2024-H1", "--now", "2024-07-03T08:05")
    assert again.code != 0 and sorted(cycles(org)) == sorted(["TW238/2024-H1", PARENT, PT, TT])
    for body in ("HDND-PT", "UBND-PT"):
        send(org, tmp_path, PT, body, "2024-07-04T09:00")
        accept(org, PT, body, "2024-07-04T10:00")
    fed = ok(org("synthesize", PT, "--now", "2024-07-05T09:00", "--json"))["fed"]
    assert (fed["parent"], fed["version"], fed["on_time"]) == (PARENT, 1, True)
    tree = ok(org("cycle", "tree", PT, "--now", "2024-07-05T10:00", "--json"))
    rows = {c["ref"]: c for c in tree["cycles"]}
    assert rows[PT]["task_in_parent"]["bucket"] == "done_on_time"
    assert rows["TW238/2024-H1"]["buckets_all_levels"]["total"] == 1 + 3 + 2 + 2


# -- an extension above -------------------------------------------------------------------------


def test_an_extension_above_keeps_the_communes_deadlines_by_default(org: Cli) -> None:
    open_parent(org)
    extended = ok(org("extend", "--cycle", PARENT, "--body", "DU-PT", "--due", "2024-07-17",
                      "--reason", "Xã chờ số liệu của các ấp", "--now", "2024-07-08T09:00",
                      "--json"))  # fmt: skip
    assert extended["below"] == {"ref": PT, "policy": "keep", "moved": False, "extended": []}
    assert cycles(org)[PT]["provide_due"] == "2024-07-09"  # as issued
    assert task(org, PT, "HDND-PT", "2024-07-08T09:00")["due_date"] == "2024-07-09"
    shown = org("cycle", "show", PT, "--now", "2024-07-08T09:05")
    assert "cấp trên gia hạn cho cơ quan chủ trì đến 17/07/2024; giữ nguyên hạn của kỳ" in (
        shown.out
    )
    english = org("cycle", "show", PT, "--now", "2024-07-08T09:05", "--lang", "en")
    assert (
        "the coordinator's deadline above extended to 17/07/2024; this cycle's deadlines kept"
        in english.out
    )


def test_an_extension_above_moves_a_following_communes_deadlines(cli: Cli, tmp_path: Path) -> None:
    org = register(cli, tmp_path, tt_policy="follow")
    open_parent(org)
    send(org, tmp_path, TT, "MTTQ-TT", "2024-07-05T09:00")  # in already: nothing to move
    text = org("extend", "--cycle", PARENT, "--body", "DU-TT", "--due", "2024-07-19",
               "--reason", "Xã tổ chức đại hội", "--now", "2024-07-08T09:00")  # fmt: skip
    assert text.code == 0, text.err
    assert "↳ XA-TT/2024-H1: các cơ quan nay gửi trước 16/07/2024; đã gia hạn: UBND-TT" in text.out
    # Worked back again from Fri 19/07: synthesis 18/07, review 17/07, the bodies 16/07.
    moved = cycles(org)[TT]
    assert (moved["provide_due"], moved["review_due"], moved["synthesis_due"]) == (
        "2024-07-16", "2024-07-17", "2024-07-18",
    )  # fmt: skip
    waiting = task(org, TT, "UBND-TT", "2024-07-08T09:00")
    assert (waiting["due_date"], waiting["bucket"]) == ("2024-07-16", "pending")
    assert task(org, TT, "MTTQ-TT", "2024-07-08T09:00")["due_date"] == "2024-07-09"
    from sqlmodel import select

    from models import AuditRecord, Extension
    from services import db

    with db.reading() as session:
        granted = session.exec(select(Extension)).all()
        actions = [a.action for a in session.exec(select(AuditRecord)).all()]
    assert sorted((e.old_due_date.isoformat(), e.new_due_date.isoformat()) for e in granted) == [
        ("2024-07-09", "2024-07-16"), ("2024-07-12", "2024-07-19"),
    ]  # fmt: skip
    assert "cycle.deadlines_moved" in actions and actions.count("task.extended") == 2
    # UBND-TT's ladder starts over from its new deadline: nothing fires on 10/07 now.
    swept = ok(org("sweep", "--now", "2024-07-10T08:00", "--json"))
    assert not [f for f in swept["fired"] if f["body"] == "UBND-TT"]
    tree = org("cycle", "tree", PARENT, "--now", "2024-07-10T09:00")
    assert f"{TT}: dời hạn theo gia hạn của cấp trên: hạn gửi 09/07/2024 → 16/07/2024, " in (
        tree.out
    )
    assert "hạn tổng hợp 11/07/2024 → 18/07/2024" in tree.out


# -- escalation at every level, and the tree -----------------------------------------------------


def test_a_late_commune_board_is_urged_by_the_province_and_its_bodies_by_itself(
    org: Cli, tmp_path: Path
) -> None:
    open_parent(org)
    commune_done(org, tmp_path, PT, ["HDND-PT", "UBND-PT"], "2024-07-08")
    ok(org("synthesize", PT, "--now", "2024-07-10T15:00", "--json"))
    send(org, tmp_path, TT, "MTTQ-TT", "2024-07-08T09:00")  # UBND-TT never sends
    for day in ("2024-07-10", "2024-07-13", "2024-07-17", "2024-07-20"):
        ok(org("sweep", "--now", f"{day}T08:00", "--json"))
    own = task(org, TT, "UBND-TT", "2024-07-20T09:00")  # the commune's own ladder
    assert own["bucket"] == "overdue" and own["escalation_level"] >= 2
    board = task(org, PARENT, "DU-TT", "2024-07-20T09:00")  # the province's ladder
    assert board["bucket"] == "overdue" and board["escalation_level"] >= 2
    assert task(org, PARENT, "DU-PT", "2024-07-20T09:00")["escalation_level"] == 0
    urged = [str(m["recipients"]) for m in ok(org("outbox", "list", "--json"))
             if m["escalation"]]  # fmt: skip
    assert any("tanthach.example" in r for r in urged)  # the board's people, by BTGTU
    assert any("ubnd-tt.example" in r for r in urged)  # UBND-TT's, by the commune
    tree = ok(org("cycle", "tree", PARENT, "--now", "2024-07-20T09:00", "--json"))
    rows = {c["ref"]: c for c in tree["cycles"]}
    assert rows[TT]["buckets"] | {"on_time_rate": None} == {
        "done_on_time": 1, "done_late": 0, "pending": 0, "overdue": 1, "total": 2,
        "on_time_rate": None,
    }  # fmt: skip
    assert rows[TT]["task_in_parent"]["bucket"] == "overdue"
    assert rows[PT]["task_in_parent"]["bucket"] == "done_on_time"
    assert rows[PARENT]["buckets"]["overdue"] == 2  # UBND and DU-TT
    # Summed up: the province's three tasks (1 on time, 2 overdue) and the communes' four.
    assert rows[PARENT]["buckets_all_levels"] | {"on_time_rate": None} == {
        "done_on_time": 4, "done_late": 0, "pending": 0, "overdue": 3, "total": 7,
        "on_time_rate": None,
    }  # fmt: skip
    assert rows[TT]["buckets_all_levels"] == rows[TT]["buckets"]


def test_cycle_tree_reads_in_vietnamese(org: Cli) -> None:
    open_parent(org)
    shown = org("cycle", "tree", PT, "--now", "2024-07-03T09:00")
    assert shown.code == 0, shown.err
    out = shown.out
    assert "Cây kỳ báo cáo QD238P/2024-H1" in out
    assert "└─ XA-PT/2024-H1" in out and "└─ XA-TT/2024-H1" in out and "Đảng ủy xã" in out
    assert "Ban Tuyên giáo" in out and "đang mở" in out
    assert "Đang thực hiện, trong hạn" in out
    rows = [line.rstrip() for line in out.splitlines() if line[:1] in "┏┃┡│└"]
    assert rows and all(line[-1] in "┓┃┩│┘" for line in rows), "no column cut off"
    data = ok(org("cycle", "tree", PT, "--now", "2024-07-03T09:00", "--json"))
    first = data["cycles"][1]
    assert set(first) >= {"ref", "coordinator", "provide_due", "review_due", "synthesis_due",
                          "buckets", "status", "parent", "task_in_parent", "depth"}  # fmt: skip
    assert first["coordinator"] == {"code": "DU-PT", "name": "Đảng ủy xã Phú Túc"}
    missing = org("cycle", "tree", "NOPE/2024-H1")
    assert missing.code != 0 and missing.err.count("\n") == 1


# -- rules, pure ------------------------------------------------------------------------------


def test_deadlines_are_worked_back_across_tet() -> None:
    from datetime import date

    from rules.calendar import WorkCalendar
    from rules.deadlines import worked_back

    calendar = WorkCalendar()
    # Parent due Tue 04/02/2025, the first working day after Tết At Ty (27/01–31/01/2025).
    dates = worked_back(date(2025, 2, 4), date(2025, 1, 15), provide=5, review=1, synthesis=1,
                        margin=1, calendar=calendar)  # fmt: skip
    assert (dates.synthesis_due, dates.review_due, dates.provide_due) == (
        date(2025, 2, 3), date(2025, 1, 24), date(2025, 1, 23),
    )  # fmt: skip
    assert dates.working_days_to_provide == 6 and not dates.tight


def test_a_consolidated_report_is_renumbered_on_the_outline() -> None:
    from rules.rollup import contribution

    outline = [{"code": "I", "title": "Đánh giá"}, {"code": "II", "title": "Nhiệm vụ"}]
    report = ("Số 01-BC/ĐU\n\n## I. TÌNH HÌNH TRIỂN KHAI VÀ TIẾP NHẬN BÁO CÁO\n\n"
              "Đã nhận 2/2.\n\n## II. ĐÁNH GIÁ\n\nNội dung.\n\n## III. NHIỆM VỤ\n\n"
              "Tiếp tục.\n\n**Phụ lục**")  # fmt: skip
    assert contribution(report, outline) == (
        "Số 01-BC/ĐU\n\n## I. ĐÁNH GIÁ\n\nĐã nhận 2/2.\n\n\nNội dung.\n\n## II. NHIỆM VỤ\n\n"
        "Tiếp tục.\n\n**Phụ lục**"
    )


# -- the migration ----------------------------------------------------------------------------


def test_0008_upgrades_0007_with_data(tmp_path: Path) -> None:
    from alembic import command
    from sqlalchemy import create_engine

    from services import schema
    from tests.test_migrations import _copy_v01_rows, load_v01

    v01 = load_v01(tmp_path / "v01")
    url = f"sqlite:///{tmp_path / 'walk.db'}"
    engine = create_engine(url)
    with engine.begin() as conn:
        command.upgrade(schema.alembic_config(conn), schema.BASELINE)
    counts = _copy_v01_rows(v01, url)
    with engine.begin() as conn:
        command.upgrade(schema.alembic_config(conn), "0007")
    with engine.begin() as conn:
        command.upgrade(schema.alembic_config(conn), "0008")
    engine.dispose()
    db = sqlite3.connect(tmp_path / "walk.db")
    assert counts["program"] and counts["cycle"] and counts["submission"]
    assert db.execute(
        "SELECT COUNT(*), MIN(margin_working_days), MAX(margin_working_days), "
        "COUNT(feeds_program_id) FROM program"
    ).fetchone() == (  # fmt: skip
        counts["program"],
        1,
        1,
        0,
    )
    assert db.execute("SELECT COUNT(*), COUNT(parent_cycle_id) FROM cycle").fetchone() == (
        counts["cycle"], 0,
    )  # fmt: skip
    assert db.execute("SELECT COUNT(*), COUNT(from_cycle_id) FROM submission").fetchone() == (
        counts["submission"], 0,
    )  # fmt: skip
    db.close()


def test_a_report_the_synthesis_could_not_send_up_goes_with_the_next_sweep(
    org: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The commune closes, then the database fails before its report reaches the province:
    the closing stands, and the next sweep sends the report up, once."""
    from services import provision

    open_parent(org)
    commune_done(org, tmp_path, PT, ["HDND-PT", "UBND-PT"], "2024-07-08")
    real = provision.submit

    def failing(*args: Any, **kwargs: Any) -> Any:
        raise OSError("database connection lost")

    monkeypatch.setattr(provision, "submit", failing)
    closed = ok(org("synthesize", PT, "--now", "2024-07-10T15:00", "--json"))
    assert closed["fed"]["fed"] is False
    assert task(org, PARENT, "DU-PT", "2024-07-10T15:00")["versions"] == 0
    monkeypatch.setattr(provision, "submit", real)
    swept = ok(org("sweep", "--now", "2024-07-10T16:00", "--json"))
    [fed] = swept["fed"]
    assert (fed["parent"], fed["fed"], fed["version"], fed["on_time"]) == (PARENT, True, 1, True)
    above = task(org, PARENT, "DU-PT", "2024-07-10T16:00")
    assert (above["status"], above["versions"]) == ("submitted", 1)
    assert ok(org("sweep", "--now", "2024-07-10T17:00", "--json"))["fed"] == []  # once
