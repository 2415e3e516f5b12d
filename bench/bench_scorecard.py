"""Compliance scorecard over 200,000 tasks, against a raw-SQL baseline in the same run.

Data: bench_dashboard's 40 half-year cycles x 5,000 bodies, with one accepted task
in ten made late by 1 to 9 days (so working days late are counted from many
distinct submission days).

Measured: ``services.scorecard.scorecard(now, limit=50)`` (a page of bodies, as the
web page and the CLI ask: every total, the 50 worst bodies and their trends),
``scorecard(now)`` (every body's trend, as the downloads ask), with a program
filter, and with one body. Baseline: the scorecard's main grouped query
(four buckets, returns and escalations per body and period) written by hand and
run with plain sqlite3, rows fetched and nothing built from them.
"""

from __future__ import annotations

import sys

import _data  # bench/ is sys.path[0] when run as a script
import bench_dashboard as base

REPEAT = 5

LATE_SQL = """
UPDATE task SET last_on_time = 0,
  last_submitted_at = datetime(last_submitted_at, '+' || (1 + id % 9) || ' days')
WHERE status = 'accepted' AND id % 10 = 3
"""

RAW_SQL = """
SELECT t.body_id, c.period,
  SUM(t.status IN ('submitted', 'accepted') AND t.last_on_time IS 1),
  SUM(t.status IN ('submitted', 'accepted') AND t.last_on_time IS NOT 1),
  SUM(t.status IN ('pending', 'returned') AND t.due_at >= :now AND t.cycle_open = 1),
  SUM(t.status IN ('pending', 'returned') AND (t.due_at < :now OR t.cycle_open = 0)),
  SUM(t.returns), SUM(t.escalations)
FROM task t JOIN cycle c ON c.id = t.cycle_id
GROUP BY t.body_id, c.period
"""


def main() -> int:
    directory = _data.fresh_data_dir("phoihop-bench-scorecard-")
    print(f"data: {directory}  tasks: 40 cycles x {base.BODIES:,} bodies  repeat: {REPEAT}")
    _data.register_org(base.BODIES)
    written = _data.insert_cycles(base.plans(), opened_at=_data.local("2005-07-03T08:00"))
    conn = _data.raw_connect()
    with conn:
        late = conn.execute(LATE_SQL).rowcount
    print(f"tasks: {written:,}; made late: {late:,}")

    from services.scorecard import Filters, scorecard

    now = base.NOW
    data = scorecard(now)  # warm: engine, calendar
    total = data["total"]
    print(
        f"bodies: {len(data['bodies']):,}; periods: {len(data['periods'])}; "
        f"on-time rate {total['on_time_rate']:.1%}; "
        f"days late mean {total['days_late_mean']}, worst {total['days_late_worst']}"
    )
    body = data["bodies"][0]["body"]
    program = data["programs"][0]["program"]
    rows = [
        _data.Row(
            "scorecard(now, limit=50) — a page (the web page, the CLI)",
            _data.measure(lambda: scorecard(now, limit=50), repeat=REPEAT),
        ),
        _data.Row(
            f"scorecard(now) — {written:,} tasks, every body's trend (the downloads)",
            _data.measure(lambda: scorecard(now), repeat=REPEAT),
        ),
        _data.Row(
            f"scorecard(now, program={program}, limit=50)",
            _data.measure(
                lambda: scorecard(now, Filters(program=program), limit=50), repeat=REPEAT
            ),
        ),
        _data.Row(
            f"scorecard(now, body={body})",
            _data.measure(lambda: scorecard(now, Filters(body=body)), repeat=REPEAT),
        ),
        _data.Row(
            "baseline: raw sqlite3 GROUP BY body, period",
            _data.measure(
                lambda: conn.execute(RAW_SQL, {"now": _data.sql_time(now)}).fetchall(),
                repeat=REPEAT,
            ),
        ),
    ]
    conn.close()
    _data.print_table(f"compliance scorecard over {written:,} tasks (SQLite)", rows)
    print(f"scorecard / raw grouped query (median): "
          f"{rows[0].timing.median / rows[4].timing.median:.1f}x (a page), "
          f"{rows[1].timing.median / rows[4].timing.median:.1f}x (every trend)")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
