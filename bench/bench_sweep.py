"""The escalation sweep over 50,000 open tasks, 5% overdue (issue 3, "Speed": under 1 s).

Data: 10 open half-year cycles x 5,000 bodies, every task ``pending``. In each
cycle every 20th body's task was due on Monday 15/07/2024 (2,500 overdue in
all); the others are due 15/08/2024, beyond the 2-working-day reminder window.
The sweep runs at 08:00 on Tuesday 16/07/2024: the deadline has passed, level 2
(end of the 2nd working day after) has not, so exactly level 1 fires for each of
the 2,500 overdue tasks — 2,500 escalation rows, 2,500 outbox notifications,
2,500 audit records and 2,500 task updates, in batches of 1,000 tasks. The tasks
are as ``open_cycle`` leaves them (no sweep has run since: ``rungs_done`` 0,
``next_rung_at`` the reminder's moment), so the reminder 2 working days before,
due since 11/07, is caught up: skipped, nothing sent, as the sweep does after a
pause (named in the audit record, and also recorded as an escalation row marked
skipped where the schema has that column).

Measured, on a fresh copy of the same database each repetition:

- first sweep at ``now`` (fires level 1 for the 2,500; target < 1 s);
- a second sweep at the same moment (fires nothing: it must find that out
  cheaply).

Baselines (raw sqlite3, same copy): the minimal work — select the due ids
through ``ix_task_next_rung_at`` and ``executemany`` 2,500 escalation rows — and
the full write set the sweep leaves (fired and skipped escalation rows,
notification, audit, the task's ladder state), in one transaction, without
SQLAlchemy.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import sys
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import _data  # bench/ is sys.path[0] when run as a script

BODIES = 5_000
CYCLES = 10
OVERDUE_EVERY = 20  # 1 in 20 = 5%
REPEAT = 3
TARGET = 1.0  # seconds
OVERDUE_DUE = date(2024, 7, 15)  # Monday
LATER_DUE = date(2024, 8, 15)  # outside the reminder window at NOW
NOW = _data.local("2024-07-16T08:00")


def build_template() -> Path:
    """Register the org, bulk-insert the 50,000 tasks; returns the database file."""
    _data.register_org(BODIES)
    tasks = [
        ("pending", OVERDUE_DUE if i % OVERDUE_EVERY == 0 else LATER_DUE) for i in range(BODIES)
    ]
    plans = [
        _data.CyclePlan(period, "open", LATER_DUE, tasks)
        for period in _data.half_periods(CYCLES, last_year=2024)
    ]
    written = _data.insert_cycles(plans, opened_at=_data.local("2024-07-03T08:00"))
    print(f"tasks: {written:,} open, {written // OVERDUE_EVERY:,} overdue at {NOW.isoformat()}")
    return _data.db_path()


def fresh_copy(template: Path, scratch: Path, n: int) -> Path:
    """A new data directory holding a copy of the template; the app now points at it."""
    directory = scratch / f"run{n}"
    _data.copy_database(template, directory)
    _data.use_data_dir(directory)
    from services import db

    db.engine()  # engine creation and schema check are per process, not per sweep
    return directory


def time_sweeps(template: Path, scratch: Path) -> tuple[_data.Timing, _data.Timing]:
    """First and second sweep at NOW, each repetition on its own fresh copy."""
    from services.escalation import sweep

    first, second = [], []
    for n in range(REPEAT):
        fresh_copy(template, scratch, n)
        t1 = _data.measure(lambda: check(sweep(now=NOW), expect=2_500), repeat=1)
        t2 = _data.measure(lambda: check(sweep(now=NOW), expect=0), repeat=1)
        first += t1.samples
        second += t2.samples
    return _data.Timing(first), _data.Timing(second)


def check(result: Any, *, expect: int) -> None:
    """Warn (never fail) when a sweep fired another number of rungs than planned."""
    fired = result.escalations + result.reminders
    if fired != expect:
        print(f"  warning: sweep fired {fired}, expected {expect}")


OVERDUE_SQL = """
SELECT t.id, t.ladder_epoch, t.due_at, t.cycle_id FROM task t
WHERE t.next_rung_at <= ? ORDER BY t.id
"""
LEVEL_2_AT = _data.local("2024-07-18T00:00:00")  # end of 17/07 (2nd working day after), + 1 s


def raw_minimal(conn: sqlite3.Connection) -> None:
    """Select the overdue ids, insert one escalation row each: the least the sweep must do."""
    now = _data.sql_time(NOW)
    flag, zero = (", skipped", ", 0") if _data.has_column("escalation", "skipped") else ("", "")
    conn.execute("BEGIN IMMEDIATE")
    rows = conn.execute(OVERDUE_SQL, (now,)).fetchall()
    conn.executemany(
        "INSERT INTO escalation (task_id, epoch, step, kind, level, due_at, fired_at,"
        f" recipients, message{flag}) VALUES (?, ?, 'level-1', 'escalation', 1, ?, ?, ?, ?{zero})",
        [(tid, epoch, due_at, now, '["focal"]', "overdue") for tid, epoch, due_at, _ in rows],
    )
    conn.execute("COMMIT")


def raw_full(conn: sqlite3.Connection) -> None:
    """The sweep's whole write set by hand: skipped reminder and fired level-1 rows,
    notification, audit, the task's ladder state (rungs, next rung, level, count)."""
    now = _data.sql_time(NOW)
    conn.execute("BEGIN IMMEDIATE")
    rows = conn.execute(OVERDUE_SQL, (now,)).fetchall()
    skipped_rows = _data.has_column("escalation", "skipped")  # else skips are only audited
    flag, zero = (", skipped", ", 0") if skipped_rows else ("", "")
    for tid, epoch, due_at, cycle_id in rows:
        recipients = json.dumps([f"Focal <focal{tid}@xa.example>"])
        if skipped_rows:
            conn.execute(
                "INSERT INTO escalation (task_id, epoch, step, kind, level, due_at, fired_at,"
                " recipients, message, skipped) VALUES (?, ?, 'reminder-2', 'reminder', 0, ?, ?,"
                " '[]', '', 1) ON CONFLICT DO NOTHING",
                (tid, epoch, due_at, now),
            )
        cur = conn.execute(
            "INSERT INTO escalation (task_id, epoch, step, kind, level, due_at, fired_at,"
            f" recipients, message{flag}) VALUES (?, ?, 'level-1', 'escalation', 1, ?, ?, ?,"
            f" ?{zero}) ON CONFLICT DO NOTHING",
            (tid, epoch, due_at, now, recipients, "Đề nghị gửi báo cáo"),
        )
        conn.execute(
            "INSERT INTO notification (escalation_id, created_at, recipients, subject, body,"
            " status, attempts) VALUES (?, ?, ?, 'Đôn đốc', 'Đề nghị gửi báo cáo', 'pending', 0)",
            (cur.lastrowid, now, recipients),
        )
        conn.execute(
            "INSERT INTO auditrecord (at, actor, action, cycle_id, task_id, detail)"
            " VALUES (?, 'sweep', 'task.escalated', ?, ?, ?)",
            (now, cycle_id, tid, json.dumps({"step": "level-1", "skipped": ["reminder-2"]})),
        )
    conn.executemany(
        "UPDATE task SET rungs_done = 2, next_rung_at = ?, escalation_level = 1,"
        " escalations = escalations + 1 WHERE id = ?",
        [(_data.sql_time(LEVEL_2_AT), r[0]) for r in rows],
    )
    conn.execute("COMMIT")


def time_raw(
    template: Path, scratch: Path, work: Callable[[sqlite3.Connection], None], tag: str
) -> _data.Timing:
    samples = []
    for n in range(REPEAT):
        directory = scratch / f"{tag}{n}"
        _data.copy_database(template, directory)
        conn = _data.raw_connect(directory / "phoihop.db")
        samples += _data.measure(lambda c=conn: work(c), repeat=1).samples
        conn.close()
    return _data.Timing(samples)


def main() -> int:
    directory = _data.fresh_data_dir("phoihop-bench-sweep-")
    print(f"data: {directory}  tasks: {CYCLES} cycles x {BODIES:,} bodies  repeat: {REPEAT}")
    template = build_template()
    scratch = Path(tempfile.mkdtemp(prefix="phoihop-bench-sweep-runs-"))
    try:
        first, second = time_sweeps(template, scratch)
        minimal = time_raw(template, scratch, raw_minimal, "min")
        full = time_raw(template, scratch, raw_full, "full")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    _data.print_table(
        "sweep over 50,000 open tasks, 5% overdue (SQLite)",
        [
            _data.Row("sweep, first run (fires level-1 x 2,500)", first, TARGET),
            _data.Row("sweep, second run at the same moment (fires 0)", second),
            _data.Row("baseline: raw select due + 2,500 escalation rows", minimal),
            _data.Row("baseline: raw full write set (esc+notif+audit+task)", full),
        ],
    )
    print(f"first sweep / minimal baseline (median): {first.median / minimal.median:.1f}x")
    print(f"first sweep / full-write baseline (median): {first.median / full.median:.1f}x")
    print(f"second sweep / first sweep (median): {second.median / first.median:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
