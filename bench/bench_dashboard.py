"""Dashboard queries over 200,000 tasks (issue 3, "Speed": overdue query under 100 ms).

Data: 40 half-year cycles (2005-H1 … 2024-H2) x 5,000 bodies = 200,000 tasks.

- 35 old cycles are synthesized: 98% accepted, 2% never sent (``pending`` in a
  closed cycle — they must not show as overdue);
- 4 open cycles are past their deadline: 60% accepted, 10% submitted, 30%
  pending, i.e. 6,000 overdue tasks (3% of all);
- 1 open cycle is not due yet: all 5,000 pending within the deadline.

``now`` is 01/03/2025 08:00. Measured: ``services.dashboard.overdue(now)`` (the
overdue query behind ``phoihop dashboard``, returning all 6,000 items, and the
first screenful with ``limit=50``), ``cycle_progress(now)`` (the four buckets per
open cycle), and for information ``list_tasks(now, overdue_only=True)`` and
``body_compliance(now)``, the other queries ``tasks list``/``dashboard`` run.

Baseline in the same run: the same overdue and progress queries written by hand
and run with plain sqlite3 (rows fetched, nothing built from them). The
query plan of the overdue query is printed, so a missed target can be traced.
"""

from __future__ import annotations

import sqlite3
import sys
from datetime import date
from typing import Any

import _data  # bench/ is sys.path[0] when run as a script

BODIES = 5_000
CLOSED, OPEN_LATE, OPEN_CURRENT = 35, 4, 1
REPEAT = 7
TARGET_OVERDUE = 0.100  # seconds
NOW = _data.local("2025-03-01T08:00")


def statuses(shares: list[tuple[str, int]]) -> list[str]:
    """Per-body task statuses: ``shares`` are (status, percent), spread evenly over bodies."""
    pattern = [status for status, percent in shares for _ in range(percent)]
    assert len(pattern) == 100
    return [pattern[(i * 37) % 100] for i in range(BODIES)]  # 37 is coprime with 100


def plans() -> list[_data.CyclePlan]:
    """40 cycles: closed, open and late, open and current (see the module docstring)."""
    periods = _data.half_periods(CLOSED + OPEN_LATE + OPEN_CURRENT, last_year=2024)
    result = []
    for n, period in enumerate(periods):
        year, half = int(period[:4]), int(period[-1])
        due = date(year + (half == 2), 1 if half == 2 else 7, 12)  # ~a week after the period
        if n < CLOSED:
            status, mix = "synthesized", statuses([("accepted", 98), ("pending", 2)])
        elif n < CLOSED + OPEN_LATE:
            shares = [("accepted", 60), ("submitted", 10), ("pending", 30)]
            status, mix = "open", statuses(shares)
        else:
            due, status, mix = date(2025, 3, 14), "open", statuses([("pending", 100)])
        result.append(_data.CyclePlan(period, status, due, [(s, due) for s in mix]))
    return result


OVERDUE_SQL = """
SELECT t.id, b.code, b.name, p.code, c.period, t.due_date, t.due_at, t.escalation_level, t.status
FROM task t JOIN cycle c ON c.id = t.cycle_id JOIN program p ON p.id = c.program_id
JOIN body b ON b.id = t.body_id
WHERE c.status = 'open' AND t.status IN ('pending', 'returned') AND t.due_at < ?
ORDER BY b.code, t.due_at
"""

# Each open cycle's progress as the application counts it (services.dashboard): the
# cycles with their task_count, their tasks no longer pending grouped, the overdue ones.
PROGRESS_CYCLES = """
SELECT c.id, p.code, c.period, c.period_label, c.provide_due, c.status, c.task_count
FROM cycle c JOIN program p ON p.id = c.program_id
WHERE c.status = 'open' ORDER BY c.provide_due DESC, c.id
"""
PROGRESS_MOVED = """
SELECT t.cycle_id, t.status, t.last_on_time, count(*) FROM task t
WHERE t.cycle_id IN ({ids}) AND t.status IN ('submitted', 'accepted', 'returned', 'handed_over')
GROUP BY t.cycle_id, t.status, t.last_on_time
"""
PROGRESS_OVERDUE = """
SELECT t.cycle_id, count(*) FROM task t
WHERE t.cycle_open = 1 AND t.status IN ('pending', 'returned') AND t.due_at < ?
GROUP BY t.cycle_id
"""


def raw_progress(conn: sqlite3.Connection, now: str) -> list[list[tuple[object, ...]]]:
    """The three progress queries, by hand."""
    cycles = conn.execute(PROGRESS_CYCLES).fetchall()
    ids = ", ".join(str(row[0]) for row in cycles)
    moved = conn.execute(PROGRESS_MOVED.format(ids=ids)).fetchall()
    return [cycles, moved, conn.execute(PROGRESS_OVERDUE, (now,)).fetchall()]


def time_app() -> list[_data.Row]:
    """The application's dashboard functions, each repeated REPEAT times."""
    from services import dashboard

    dashboard.overdue(NOW)  # warm: engine, compiled-statement cache, calendar
    n = dashboard.overdue(NOW).total
    progress = dashboard.cycle_progress(NOW)
    print(f"overdue items: {n:,}; open cycles: {len(progress)}")
    return [
        _data.Row(
            f"dashboard.overdue(now) — all {n:,} items",
            _data.measure(lambda: dashboard.overdue(NOW), repeat=REPEAT),
            TARGET_OVERDUE,
        ),
        _data.Row(
            "dashboard.overdue(now, limit=50)",
            _data.measure(lambda: dashboard.overdue(NOW, limit=50), repeat=REPEAT),
            TARGET_OVERDUE,
        ),
        _data.Row(
            "dashboard.cycle_progress(now)",
            _data.measure(lambda: dashboard.cycle_progress(NOW), repeat=REPEAT),
        ),
        _data.Row(
            "dashboard.list_tasks(now, overdue_only=True)",
            _data.measure(lambda: dashboard.list_tasks(NOW, overdue_only=True), repeat=REPEAT),
        ),
        _data.Row(
            "dashboard.body_compliance(now) (all 200,000)",
            _data.measure(lambda: dashboard.body_compliance(NOW), repeat=3),
        ),
    ]


def time_raw(conn: sqlite3.Connection) -> list[_data.Row]:
    """The same overdue and progress queries, by hand, on plain sqlite3."""
    now = _data.sql_time(NOW)
    return [
        _data.Row(
            "baseline: raw sqlite3 overdue query",
            _data.measure(lambda: conn.execute(OVERDUE_SQL, (now,)).fetchall(), repeat=REPEAT),
        ),
        _data.Row(
            "baseline: raw sqlite3 cycle progress query",
            _data.measure(lambda: raw_progress(conn, now), repeat=REPEAT),
        ),
    ]


def captured_overdue_sql() -> tuple[str, tuple[object, ...]]:
    """The SQL and parameters ``dashboard.overdue`` actually sends to SQLite."""
    from sqlalchemy import event

    from services import dashboard, db

    seen: list[tuple[str, tuple[object, ...]]] = []

    def grab(conn: Any, cursor: Any, statement: str, params: Any, *_: Any) -> None:
        if "FROM task" in statement:
            seen.append((statement, tuple(params)))

    event.listen(db.engine(), "before_cursor_execute", grab)
    try:
        dashboard.overdue(NOW)
    finally:
        event.remove(db.engine(), "before_cursor_execute", grab)
    return seen[-1]


def print_plan(conn: sqlite3.Connection) -> None:
    """EXPLAIN QUERY PLAN of the overdue query as the app sends it, to see which index is used."""
    statement, params = captured_overdue_sql()
    print("\nEXPLAIN QUERY PLAN of dashboard.overdue's SQL:")
    for row in conn.execute("EXPLAIN QUERY PLAN " + statement, params):
        print(f"  {row[-1]}")


def main() -> int:
    directory = _data.fresh_data_dir("phoihop-bench-dashboard-")
    cycles = CLOSED + OPEN_LATE + OPEN_CURRENT
    print(f"data: {directory}  tasks: {cycles} cycles x {BODIES:,} bodies  repeat: {REPEAT}")
    _data.register_org(BODIES)
    written = _data.insert_cycles(plans(), opened_at=_data.local("2005-07-03T08:00"))
    conn = _data.raw_connect()
    print(f"tasks: {written:,}")
    rows = time_app() + time_raw(conn)
    print_plan(conn)
    conn.close()
    _data.print_table("dashboard queries over 200,000 tasks (SQLite)", rows)
    app, raw = rows[0].timing.median, rows[5].timing.median
    print(f"overdue(now) / raw overdue query (median): {app / raw:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
