"""`tasks list`, `dashboard` and `cycle show` print one page and the total it was cut from.

At national size a list is 50,000 overdue tasks long: every list command shows
``--limit`` rows (50 by default) from ``--offset``, says how many there are and
where the next page starts, and ``--json`` gives ``{"items", "total", "limit",
"offset"}``. The queries behind them read covering indexes (checked here with
SQLite's EXPLAIN QUERY PLAN), so a page costs the same whatever the list's length.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest

from rules.timezone import parse_moment
from tests import pg
from tests.steps import CYCLE, SEED_PROGRAM, ok, printed, submit

Cli = Callable[..., Any]
LATE = "2024-07-17T08:00"  # five days after the cycle's due date (12/07/2024)


@pytest.fixture
def two_cycles(open_cycle: Cli) -> Cli:
    """QD238/2024-H1 (due 12/07/2024) and QD238/2024-H2 (due 14/01/2025), both open;
    HDND sent its first report on time. At 20/01/2025 every other task is overdue."""
    submit(open_cycle, "HDND", "2024-07-08T10:00")
    ok(
        open_cycle(
            "cycle", "open", "QD238", "2024-H2", "--letter-no", "12-CV/BTGTU",
            "--letter-date", "2025-01-03", "--now", "2025-01-03T08:00", "--json",
        )
    )  # fmt: skip
    return open_cycle


def tasks(cli: Cli, *args: str, now: str = LATE) -> dict[str, Any]:
    return ok(cli("tasks", "list", *args, "--now", now, "--json"))


def test_tasks_list_shows_one_page_and_its_total(open_cycle: Cli) -> None:
    everything = tasks(open_cycle, "--overdue")
    assert (everything["total"], everything["limit"], everything["offset"]) == (7, 50, 0)
    order = [r["task"] for r in everything["items"]]
    assert len(order) == 7

    first = tasks(open_cycle, "--overdue", "--limit", "3")
    assert (first["total"], first["limit"], first["offset"]) == (7, 3, 0)
    second = tasks(open_cycle, "--overdue", "--limit", "3", "--offset", "3")
    last = tasks(open_cycle, "--overdue", "--limit", "3", "--offset", "6")
    pages = [[r["task"] for r in p["items"]] for p in (first, second, last)]
    assert pages == [order[:3], order[3:6], order[6:]]  # the same order, cut in three
    beyond = tasks(open_cycle, "--overdue", "--offset", "100")
    assert (beyond["items"], beyond["total"], beyond["offset"]) == ([], 7, 100)


def test_tasks_list_says_where_the_next_page_starts(open_cycle: Cli) -> None:
    def human(*args: str) -> str:
        return printed(open_cycle("tasks", "list", "--overdue", *args, "--now", LATE))

    assert "3/7 nhiệm vụ quá hạn (1–3); trang sau: --offset 3" in human("--limit", "3")
    assert "3/7 nhiệm vụ quá hạn (4–6); trang sau: --offset 6" in human(
        "--limit", "3", "--offset", "3"
    )
    tail = human("--limit", "3", "--offset", "6")
    assert "1/7 nhiệm vụ quá hạn (7–7)" in tail and "trang sau" not in tail
    assert "7/7 nhiệm vụ quá hạn" in human()
    assert "0/7 nhiệm vụ quá hạn ở --offset 70" in human("--offset", "70")
    english = human("--limit", "3", "--offset", "3", "--lang", "en")
    assert "3 of 7 overdue tasks (4–6); --offset 6 for the next page" in english
    assert "0 of 7 overdue tasks at --offset 70" in human("--offset", "70", "--lang", "en")


def test_tasks_list_puts_overdue_first_across_pages(two_cycles: Cli) -> None:
    now = "2025-01-20T08:00"
    whole = tasks(two_cycles, now=now)
    assert whole["total"] == 14
    buckets = [r["bucket"] for r in whole["items"]]
    assert buckets == ["overdue"] * 13 + ["done_on_time"]  # HDND's H1 report, last
    # Most overdue first: H1's deadline (12/07/2024) before H2's (14/01/2025), then by code.
    assert [r["cycle"] for r in whole["items"][:13]] == ["QD238/2024-H1"] * 6 + [
        "QD238/2024-H2"
    ] * 7
    h1 = [r["body"] for r in whole["items"][:6]]
    assert h1 == sorted(h1)
    paged = [
        r["task"]
        for offset in range(0, 14, 4)
        for r in tasks(two_cycles, "--limit", "4", "--offset", str(offset), now=now)["items"]
    ]
    assert paged == [r["task"] for r in whole["items"]]
    one_body = tasks(two_cycles, "--body", "TAND", now=now)
    assert [r["cycle"] for r in one_body["items"]] == ["QD238/2024-H1", "QD238/2024-H2"]
    one_cycle = tasks(two_cycles, "--cycle", "QD238/2024-H2", "--limit", "2", now=now)
    assert (len(one_cycle["items"]), one_cycle["total"]) == (2, 7)


@pytest.mark.parametrize("command", [["tasks", "list"], ["dashboard"], ["cycle", "show", CYCLE]])
@pytest.mark.parametrize(
    ("option", "message"),
    [
        (["--limit", "0"], "argument --limit: must be from 1 to 1000: 0"),
        (["--limit", "-5"], "argument --limit: must not be negative: -5"),
        (["--limit", "1001"], "argument --limit: must be from 1 to 1000: 1001"),
        (["--limit", "99999999999"], "argument --limit: too large: 99999999999"),
        (["--limit", "many"], "argument --limit: not a whole number: 'many'"),
        (["--offset", "-1"], "argument --offset: must not be negative: -1"),
    ],
)
def test_a_bad_page_is_one_usage_line(
    open_cycle: Cli, command: list[str], option: list[str], message: str
) -> None:
    result = open_cycle(*command, *option, "--now", LATE, "--lang", "en")
    assert result.code == 2
    assert result.out == ""
    assert result.err.count("\n") == 1 and message in result.err
    assert "Traceback" not in result.err


def test_dashboard_pages_each_of_its_lists(two_cycles: Cli) -> None:
    now = "2025-01-20T08:00"
    full = ok(two_cycles("dashboard", "--now", now, "--json"))
    assert full["overdue"]["total"] == 13
    # Grouped by body: a body late in both cycles has its two tasks together, oldest first.
    tand = next(g for g in full["overdue"]["items"] if g["body"] == "TAND")
    assert [i["cycle"] for i in tand["items"]] == ["QD238/2024-H1", "QD238/2024-H2"]
    assert [g["body"] for g in full["overdue"]["items"]][0] == "SO-TP"  # H1, first by code
    hdnd = next(g for g in full["overdue"]["items"] if g["body"] == "HDND")
    assert [i["cycle"] for i in hdnd["items"]] == ["QD238/2024-H2"]
    assert [c["ref"] for c in full["cycles"]["items"]] == ["QD238/2024-H2", "QD238/2024-H1"]
    assert (full["cycles"]["total"], full["bodies"]["total"]) == (2, 7)

    page = ok(two_cycles("dashboard", "--limit", "4", "--now", now, "--json"))
    assert [sum(len(g["items"]) for g in page["overdue"]["items"])] == [4]
    assert (page["overdue"]["total"], page["overdue"]["limit"], page["overdue"]["offset"]) == (
        13, 4, 0
    )  # fmt: skip
    assert [b["body"] for b in page["bodies"]["items"]] == ["HDND", "SO-TP", "SO-TTTT", "SO-VHTTDL"]
    assert page["bodies"]["total"] == 7
    assert len(page["cycles"]["items"]) == 2

    flat = [i["task"] for g in full["overdue"]["items"] for i in g["items"]]
    pages = [
        ok(two_cycles("dashboard", "--limit", "4", "--offset", str(o), "--now", now, "--json"))
        for o in (0, 4, 8, 12)
    ]
    paged = [i["task"] for p in pages for g in p["overdue"]["items"] for i in g["items"]]
    # Each task on exactly one page; a page groups its own tasks, so a body's less
    # overdue task (its H2 one) comes on a later page, in that page's group.
    assert sorted(paged) == sorted(flat) and len(set(paged)) == 13
    assert [g["body"] for g in pages[0]["overdue"]["items"]] == [
        "SO-TP",
        "SO-TTTT",
        "SO-VHTTDL",
        "TAND",
    ]
    assert [b["body"] for p in pages for b in p["bodies"]["items"]] == [
        "HDND", "SO-TP", "SO-TTTT", "SO-VHTTDL", "TAND", "UBND", "VKSND",
    ]  # fmt: skip
    assert pages[1]["cycles"] == {"items": [], "total": 2, "limit": 4, "offset": 4}

    whole = two_cycles("dashboard", "--now", now)  # seven groups, thirteen tasks
    assert "13/13 nhiệm vụ quá hạn\n" in whole.out
    human = two_cycles("dashboard", "--limit", "4", "--offset", "4", "--now", now)
    assert human.code == 0
    assert "4/13 nhiệm vụ quá hạn (5–8); trang sau: --offset 8" in human.out
    assert "0/2 kỳ đang mở ở --offset 4" in human.out
    assert "3/7 cơ quan (5–7)" in human.out
    only = ok(two_cycles("dashboard", "--body", "TAND", "--now", now, "--json"))
    assert [g["body"] for g in only["overdue"]["items"]] == ["TAND"]
    assert only["overdue"]["total"] == 2


def test_cycle_show_pages_its_tasks(open_cycle: Cli) -> None:
    submit(open_cycle, "TAND", "2024-07-08T10:00")
    detail = ok(open_cycle("cycle", "show", CYCLE, "--limit", "2", "--now", LATE, "--json"))
    assert (detail["tasks"]["total"], detail["tasks"]["limit"]) == (7, 2)
    assert [t["bucket"] for t in detail["tasks"]["items"]] == ["overdue", "overdue"]
    tail = ok(open_cycle("cycle", "show", CYCLE, "--offset", "6", "--now", LATE, "--json"))
    assert [(t["body"], t["bucket"]) for t in tail["tasks"]["items"]] == [("TAND", "done_on_time")]
    assert tail["progress"]["total"] == 7  # the progress counts the whole cycle
    human = open_cycle("cycle", "show", CYCLE, "--limit", "2", "--now", LATE)
    assert "2/7 nhiệm vụ (1–2); trang sau: --offset 2" in human.out


# -- the queries' plans -------------------------------------------------------------------


def plans_of(run: Callable[[], Any]) -> list[str]:
    """EXPLAIN QUERY PLAN of every statement on the task table ``run`` sends to SQLite."""
    from sqlalchemy import event

    from services import db

    seen: list[tuple[str, Any]] = []

    def grab(_conn: Any, _cursor: Any, statement: str, params: Any, *_: Any) -> None:
        if "FROM task" in statement:
            seen.append((statement, params))

    event.listen(db.engine(), "before_cursor_execute", grab)
    try:
        run()
    finally:
        event.remove(db.engine(), "before_cursor_execute", grab)
    raw = db.engine().raw_connection()
    try:
        return [
            " | ".join(row[-1] for row in raw.cursor().execute("EXPLAIN QUERY PLAN " + s, p))
            for s, p in seen
        ]
    finally:
        raw.close()


def test_the_dashboard_reads_covering_indexes(open_cycle: Cli) -> None:
    """No statistics (phoihop never runs ANALYZE): the plans are those a national
    database gets. The overdue count and the page's candidates come from
    ix_task_waiting_due alone; a cycle's buckets from ix_task_cycle_buckets alone."""
    from services import dashboard

    now: datetime = parse_moment(LATE)
    overdue = plans_of(lambda: dashboard.overdue(now, limit=50))
    assert len(overdue) == 2, overdue  # the page, then its total
    assert all("COVERING INDEX ix_task_waiting_due" in plan for plan in overdue), overdue
    assert "SCAN task" not in " ".join(overdue)
    progress = plans_of(lambda: dashboard.cycle_progress(now))
    counted = [plan for plan in progress if "ix_task_cycle_buckets" in plan]
    assert len(counted) == 1, progress  # the tasks grouped in the index's own order
    assert all("COVERING INDEX ix_task_cycle_buckets" in plan for plan in counted), progress
    assert not any("TEMP B-TREE FOR GROUP BY" in plan for plan in counted), progress
    late = [plan for plan in progress if "ix_task_waiting_due" in plan]
    assert len(late) == 1, progress  # and the overdue ones: one range of the overdue index
    assert "COVERING INDEX ix_task_waiting_due (cycle_open=? AND status=? AND due_at<?)" in late[0]


def test_the_dashboard_pages_and_scopes(two_cycles: Cli) -> None:
    pages_and_scopes(two_cycles)


@pytest.mark.skipif(pg.binaries() is None, reason="PostgreSQL binaries not installed")
def test_the_dashboard_pages_and_scopes_on_postgresql(pg_url: str, two_cycles: Cli) -> None:
    pages_and_scopes(two_cycles)


def pages_and_scopes(two_cycles: Cli) -> None:
    """Pages and counts (the same on SQLite and PostgreSQL), and the two kinds of
    scope: a body's own tasks, and every task of the cycles its body coordinates."""
    from services import dashboard, db
    from services.registry import body_by_code
    from web.queries import coordinated_cycles

    now = "2025-01-20T08:00"
    page = ok(two_cycles("dashboard", "--limit", "4", "--offset", "4", "--now", now, "--json"))
    assert (page["overdue"]["total"], page["cycles"]["total"], page["bodies"]["total"]) == (
        13,
        2,
        7,
    )
    assert sum(len(g["items"]) for g in page["overdue"]["items"]) == 4
    assert [b["body"] for b in page["bodies"]["items"]] == ["TAND", "UBND", "VKSND"]
    whole = ok(two_cycles("dashboard", "--now", now, "--json"))
    buckets = [
        (c["ref"], c["done_on_time"], c["done_late"], c["pending"], c["overdue"])
        for c in whole["cycles"]["items"]
    ]
    assert buckets == [("QD238/2024-H2", 0, 0, 0, 7), ("QD238/2024-H1", 1, 0, 0, 6)]
    listed = tasks(two_cycles, "--limit", "5", "--offset", "10", now=now)
    assert [r["bucket"] for r in listed["items"]] == ["overdue"] * 3 + ["done_on_time"]

    moment = parse_moment(now)
    with db.reading() as session:
        ubnd, btgtu = (body_by_code(session, code).id for code in ("UBND", "BTGTU"))
    own = dashboard.Scope(ubnd)
    assert [c["total"] for c in dashboard.cycle_progress(moment, scope=own)] == [1, 1]
    assert dashboard.overdue(moment, scope=own, limit=10).total == 2
    assert [b["body"] for b in dashboard.body_compliance(moment, scope=own, limit=10).rows] == [
        "UBND"
    ]
    coordinator = dashboard.Scope(btgtu, coordinated_cycles(btgtu))
    assert [c["total"] for c in dashboard.cycle_progress(moment, scope=coordinator)] == [7, 7]
    assert dashboard.overdue(moment, scope=coordinator, limit=2).total == 13
    assert dashboard.body_compliance(moment, scope=coordinator, limit=2).total == 7
    nothing = dashboard.Scope(ubnd, coordinated_cycles(ubnd))  # coordinates no program
    assert dashboard.cycle_progress_page(moment, scope=nothing, limit=5).total == 2
    assert dashboard.body_compliance(moment, scope=nothing, limit=5).total == 1


def test_the_compliance_total_follows_new_tasks(demo_org: Cli, tmp_path: Any) -> None:
    """The pager's body total is kept between refreshes; bodies that get their first
    task (a new program's cycle) are counted at the next refresh, not later."""
    from services import dashboard

    ok(demo_org("cycle", "open", "QD238", "2024-H1", "--now", "2024-07-03T08:00", "--json"))
    now = parse_moment(LATE)
    assert dashboard.body_compliance(now, limit=2).total == 7
    assert dashboard.body_compliance(now, limit=2).total == 7  # kept: no new task
    program = SEED_PROGRAM.read_text(encoding="utf-8")
    other = tmp_path / "p2.yaml"
    widened = program.replace("code: QD238", "code: QD99").replace(
        "SO-VHTTDL]", "SO-VHTTDL, TU-BT]"
    )
    other.write_text(widened, encoding="utf-8")
    ok(demo_org("program", "add", other, "--now", "2024-07-03T09:00", "--json"))
    ok(demo_org("cycle", "open", "QD99", "2024-H1", "--now", "2024-07-03T09:00", "--json"))
    assert dashboard.body_compliance(now, limit=2).total == 8
