"""Opening a cycle for 5,000 bodies (issue 3, "Speed": under 1 s on SQLite).

Measured: ``services.cycles.open_cycle`` for one half-year period of a program
in which 5,000 registered bodies take part — the program lookup, duplicate
check, deadline arithmetic, loading the 5,000 bodies, the cycle row, 5,000 task
rows and the audit record, in one transaction. Each repetition opens a new
period of the same program, so the task table grows by 5,000 rows per run.

Baseline in the same run: plain ``sqlite3`` inserting one cycle row and
``executemany`` of 5,000 task rows in one transaction on the same database — the
least work that leaves the same rows behind. The gap is the application's
overhead (ORM, validation, calendar, audit).
"""

from __future__ import annotations

import sys
from datetime import date

import _data  # bench/ is sys.path[0] when run as a script

BODIES = 5_000
REPEAT = 5
TARGET = 1.0  # seconds
LETTER_DATE = date(2024, 7, 3)


def time_open_cycle(periods: list[str]) -> _data.Timing:
    """Open one cycle per period through the application, timing each call."""
    from services.cycles import open_cycle

    now = _data.local("2024-07-03T08:10")
    queue = iter(periods)

    def run() -> None:
        opened = open_cycle(
            _data.PROGRAM,
            next(queue),
            letter_no="310-CV/BENCH",
            letter_date=LETTER_DATE,
            now=now,
            actor="bench",
        )
        assert opened.tasks == BODIES

    return _data.measure(run, repeat=len(periods))


def time_raw_baseline(periods: list[str]) -> _data.Timing:
    """One cycle row plus ``executemany`` of 5,000 task rows, one transaction, raw sqlite3."""
    conn = _data.raw_connect()
    (program_id,) = conn.execute(
        "SELECT id FROM program WHERE code = ?", (_data.PROGRAM,)
    ).fetchone()
    body_ids = [
        r[0]
        for r in conn.execute(
            "SELECT body_id FROM programbody WHERE program_id = ? ORDER BY position", (program_id,)
        )
    ]
    version_id = conn.execute(  # the version the application's opening keeps
        "SELECT id FROM programversion WHERE program_id = ? ORDER BY version DESC LIMIT 1",
        (program_id,),
    ).fetchone()[0]
    due = "2024-07-12"
    due_at = "2024-07-12 16:59:59.000000"
    first_rung = "2024-07-09 17:00:00.000000"  # the reminder 2 working days before, 00:00 local
    opened = "2024-07-03 01:10:00.000000"
    queue = iter(periods)

    def run() -> None:
        conn.execute("BEGIN IMMEDIATE")
        cur = conn.execute(
            "INSERT INTO cycle (program_id, program_version_id, period, period_label,"
            " cutoff_start, cutoff_end, letter_no, letter_date, opened_at, provide_due,"
            " review_due, synthesis_due, status, task_count)"
            " VALUES (?, ?, ?, 'x', '2023-12-15', '2024-06-14', 'raw', '2024-07-03', ?, ?, ?, ?,"
            " 'open', ?)",
            (program_id, version_id, next(queue), opened, due, due, due, len(body_ids)),
        )
        cycle_id = cur.lastrowid
        conn.executemany(
            "INSERT INTO task (cycle_id, body_id, status, due_date, due_at, ladder_epoch,"
            " rungs_done, next_rung_at, escalation_level, escalations, cycle_open, versions,"
            " returns) VALUES (?, ?, 'pending', ?, ?, 0, 0, ?, 0, 0, 1, 0, 0)",
            [(cycle_id, body_id, due, due_at, first_rung) for body_id in body_ids],
        )
        conn.execute("COMMIT")

    try:
        return _data.measure(run, repeat=len(periods))
    finally:
        conn.close()


def main() -> int:
    directory = _data.fresh_data_dir("phoihop-bench-open-")
    print(f"data: {directory}  bodies: {BODIES:,}  repeat: {REPEAT}")
    _data.register_org(BODIES)  # not timed
    periods = _data.half_periods(2 * REPEAT, last_year=2024)
    app = time_open_cycle(periods[:REPEAT])
    raw = time_raw_baseline(periods[REPEAT:])
    _data.print_table(
        "open a cycle for 5,000 bodies (SQLite)",
        [
            _data.Row("services.cycles.open_cycle (5,000 tasks)", app, TARGET),
            _data.Row("baseline: raw sqlite3 executemany 5,000 tasks", raw),
        ],
    )
    print(f"app / baseline (median): {app.median / raw.median:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
