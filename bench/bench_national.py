"""National scale: a million open tasks, one 50,000-body cycle at its deadline (issue "Speed").

A national cycle reaches every commune, province and department: ~50,000 tasks.
Twenty programs run at once, so ~1,000,000 tasks are open. This script builds
that database on SQLite **and** PostgreSQL and measures, each next to a raw-SQL
baseline doing the same writes in the same run on a fresh copy of the same data:

- the first sweep at the deadline (fires 50,000 level-1 rungs) and a second
  sweep at the same moment (fires nothing);
- opening one more cycle of 50,000 bodies;
- ``phoihop bodies import FILE.csv`` of 50,000 bodies (subprocess: wall time
  and peak RSS) into an empty database;
- ``phoihop dashboard`` and ``phoihop tasks list --overdue`` (subprocesses,
  start-up included) over the million tasks with 50,000 overdue;
- the web face (uvicorn on loopback): the dashboard page p95, the page p99
  while a 50,000-rung sweep runs with 8 clients submitting, and submissions/s.

**The data, and why it is fair.** ``--tasks N`` open tasks (default 1,000,000)
are ``B = min(50,000, N/20)`` reporting bodies (up to 34 provinces, a commune
for every 15th body, departments) times ``N/B`` open cycles, one per program,
every body in every program. Exactly one cycle, the national one (program
QD238, due Friday 12/07/2024), is past its deadline: its reminder 2 working
days before was sent by the sweep of 10/07 (its escalation row, outbox row —
delivered — and audit records are there, ``rungs_done`` 1) and its level-1
rung has been due since 13/07 00:00. At ``now`` = Monday 15/07/2024 08:00
(level 2 comes due on 17/07) every one of its B tasks is therefore inside the
escalation window, as at a real national deadline: the first sweep writes B
escalation rows, B outbox notifications, B audit records and B task updates.
The other cycles are due from 24/07 on; their ``next_rung_at`` (the reminder,
2 working days before) is in the future, so they cost the sweep nothing but an
index range, and the 50,000 overdue tasks the dashboards show are the national
cycle's among the million. Rows are written in bulk (``executemany`` on SQLite,
``COPY`` on PostgreSQL), not through the services, but column for column as
the application writes them: due instants from ``services.calendars``,
``next_rung_at`` from ``rules.escalation.Policy.next_at``, messages from
``rules.messages``, JSON as SQLAlchemy serialises it; the script refuses to run
if a table has a column it does not fill, and on SQLite checks that its rows
are stored with the same types and formats as the rows ``open_cycle`` writes.
PostgreSQL tables are VACUUMed and ANALYZEd after the load: autovacuum does
both on a database that grew to this size (since PostgreSQL 13 it vacuums a
table after inserts too), so a real server's rows are hinted and its
visibility map set, which index-only scans need; SQLite is left as the
application leaves it (it never runs ANALYZE).

**Baselines** (see ``BASELINES`` for the exact wording printed with the
figures): the sweep's due tasks selected and the same four row sets written in
one transaction with ``executemany`` (SQLite) or ``COPY`` (PostgreSQL); one
cycle and B task rows with ``executemany``; B body rows and their audit rows
with ``executemany``; for the CLI, a ``python -c`` that runs the same queries
with the bare driver and prints every row; for the web, ``GET /api/health`` on
the same server with the same clients.

``--scale`` runs 10k, 100k and 1M tasks (B = 500, 5,000, 50,000) and prints how
each figure grows. ``--quick`` is 100k. The targets are stated for 1M tasks and
50,000 bodies; at a smaller scale a verdict is only indicative.

**The work pool** (``--only pool``, PostgreSQL only, not in the default parts):
a Prefect server whose database is PostgreSQL (a second database in the same
cluster, scheduler off so the only runs are the benchmark's), the deployments
registered with ``phoihop deploy``, and ``phoihop worker`` processes polling
every second, all pointed at a fresh copy of the template. It measures (a) the
sweep at the deadline through the pool, one worker sweeping in one flow run
against four workers taking one shard run each (wall time by the server's
clock, from the sweep run's creation to the end of its last shard; every rung
checked once), (b) a flow run's own overhead: a sweep run that fires nothing,
from its creation to Completed minus its ``fire-due-rungs`` task, median of 5,
with a worker already polling, and (c) the relay after Prefect was down: the
server is stopped, the national sweep writes its B audit records meanwhile (a
relay tried then is refused and moves nothing), the server is started again and
the relay runs (in this process, POSTing exactly what ``flows.relay`` POSTs, so
the order it hands events over is recorded): seconds until Prefect stores all
B, in audit order, none twice. The outage lasts as long as the sweep, not ten
minutes: what is measured, a backlog of B records relayed once Prefect is back,
does not depend on how long it was away.

PostgreSQL 15 is started for the run as the ``postgres`` user (``bench/_pg.py``)
with ``fsync=off`` (said in the output): commits there cost less than on a
durable server. Its other settings are the defaults; ``--pg-set KEY=VALUE``
changes one for a run (what a tuning for 24 GB did: bench/README.md). Benchmarks
report; they never fail on a missed target.

Run: ``.venv/bin/python bench/bench_national.py [--backend sqlite|postgresql|both]
[--tasks N | --quick | --scale] [--json]`` (1M on both backends: ~10 minutes on 2 cores,
``--scale`` ~13, ``--quick`` ~2); the pool: ``--backend postgresql --only pool``.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import csv
import json
import math
import multiprocessing
import os
import platform
import pstats
import re
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

import _data  # bench/ is sys.path[0] when run as a script
import _pg

# -- the scenario ------------------------------------------------------------------------

NOW_ISO = "2024-07-15T08:00"  # Monday, Hà Nội time
NOW = _data.local(NOW_ISO)
TODAY = date(2024, 7, 15)
WARM_AT = _data.local("2024-07-01T08:00")  # a sweep then fires nothing: warms caches only
NATIONAL_DUE = date(2024, 7, 12)  # Friday: level 1 due from 13/07 00:00, level 2 from 17/07
NATIONAL_LETTER = date(2024, 7, 1)
REMINDED_AT = _data.local("2024-07-10T08:00")  # the sweep that sent the 2-day reminder
DELIVERED_AT = _data.local("2024-07-10T08:01")
ORG_AT = _data.local("2024-01-02T08:00")
COORDINATOR = "BTGTW"
NATIONAL = "QD238"
OPEN_PROGRAM = "CT01"  # monthly: open_cycle is timed on its next periods
KIND_ORDER = ("month", "quarter", "half", "year", "nine_months")
OPEN_PERIOD_OF = {
    "month": "2024-06",
    "quarter": "2024-Q2",
    "half": "2024-H1",
    "year": "2023",
    "nine_months": "2023-9M",
}
APP_OPEN_PERIODS = ("2024-07", "2024-08", "2024-09")
RAW_OPEN_PERIODS = ("2024-10", "2024-11", "2024-12")
LEADERSHIP = ("Thường trực Ban Bí thư", "thuongtruc@btgtw.example")
PASSWORD = "bench-password-1"
SECRET_KEY = "bench-national-" + "k" * 48  # every web worker must sign with the same key
FULL_TASKS = 1_000_000
NATIONAL_BODIES = 50_000
CYCLES = 20
MAX_AGENCIES = 1_000  # agency accounts with API tokens (the submitters)
SUBMITTERS = 8
CLIENT_PROCESSES = 2  # submitters run in processes, so the page prober owns its GIL
SUBMISSIONS = 2_000
PG_WORKERS = 4
SCALES = (10_000, 100_000, 1_000_000)
PHOIHOP = Path(sys.executable).parent / "phoihop"
REPORT = (
    "# I. Kết quả thực hiện\n"
    "Cơ quan đã triển khai đầy đủ các nội dung phối hợp trong kỳ.\n\n"
    "# II. Nhiệm vụ thời gian tới\n"
    "Tiếp tục nâng cao chất lượng thông tin, báo cáo đúng hạn.\n"
)

BASELINES = {
    "sweep.first": "raw SQL in one transaction: select the due tasks (next_rung_at <= now) with "
    "body/cycle/program, build the same messages in Python, write the escalation, outbox and "
    "audit rows and update the tasks' ladder state (executemany on SQLite; COPY and "
    "UPDATE … FROM a COPYed temp table on PostgreSQL); no guard, ladder worked out once",
    "open.cycle": "raw SQL in one transaction: read the program's bodies, insert one cycle row, "
    "executemany the task rows (same values), an opening notice per body (COPY on PostgreSQL), "
    "the opening's record and one audit row",
    "import.wall": "in-process: read the same CSV with csv, executemany the body rows and one "
    "audit row each, one transaction (no interpreter start, no validation)",
    "cli.dashboard": "python -c with the bare driver: the dashboard's overdue, per-cycle and "
    "per-body queries, the rows the command prints printed (its page of each list and the "
    "totals, or every row if it does not page); interpreter start included",
    "cli.tasks": "python -c with the bare driver: the overdue query, the rows the command "
    "prints printed (a page and the total, or every row); interpreter start included",
    "web.dashboard": "GET /api/health p95 on the same server, same client",
    "web.page_during_sweep": "GET /api/health p95 on the same server, idle",
    "web.submit": "GET /api/health from the same client processes/threads, requests/s",
    "web.submit_1w": "GET /api/health from the same client processes/threads, requests/s",
    "pool.sweep_4w": "the same sweep through the same pool with 1 worker and one flow run "
    "(pool.sweep_1w), on a fresh copy",
}


def log(message: str) -> None:
    """Progress goes to stderr, so ``--json`` leaves one document on stdout."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


@dataclass(frozen=True)
class Scale:
    """B reporting bodies (the national cycle's tasks) in each of ``cycles`` open cycles."""

    bodies: int
    cycles: int

    @property
    def tasks(self) -> int:
        return self.bodies * self.cycles

    @property
    def agencies(self) -> int:
        return min(MAX_AGENCIES, self.bodies)

    @property
    def label(self) -> str:
        n = self.tasks
        return f"{n // 1_000_000}M" if n % 1_000_000 == 0 else f"{n // 1000}k"


def scale_for(tasks: int, bodies: int | None = None) -> Scale:
    """Twenty cycles of ``tasks/20`` bodies, at most 50,000 (the national size)."""
    if bodies is None:
        bodies = max(1, min(NATIONAL_BODIES, tasks // CYCLES))
    return Scale(bodies, max(2, round(tasks / bodies)))


# -- the organisation ----------------------------------------------------------------------


@dataclass(frozen=True)
class BodyRow:
    code: str
    name: str
    level: str
    parent: str | None
    head_name: str
    head_title: str
    head_email: str
    focal_name: str
    focal_email: str


def organisation(n: int) -> list[BodyRow]:
    """The coordinator, then ``n`` reporting bodies: up to 34 provinces, then under each
    province in turn a commune (every 15th) or a department (the rest)."""
    bodies = [
        BodyRow(
            COORDINATOR, "Ban Tuyên giáo và Dân vận Trung ương", "central", None,
            "Trưởng ban", "Trưởng ban", "truongban@btgtw.example",
            "Vụ Tổng hợp", "tonghop@btgtw.example",
        )
    ]  # fmt: skip
    provinces = min(34, n)
    for p in range(1, provinces + 1):
        code = f"T{p:02d}"
        bodies.append(
            BodyRow(
                code, f"Ủy ban nhân dân tỉnh số {p}", "province", COORDINATOR,
                f"Chủ tịch UBND tỉnh số {p}", "Chủ tịch", f"chutich.{code.lower()}@tinh.example",
                f"Văn phòng UBND tỉnh số {p}", f"vanphong.{code.lower()}@tinh.example",
            )
        )  # fmt: skip
    for i in range(n - provinces):
        p = i % provinces + 1
        if i % 15 == 0:
            code = f"T{p:02d}-X{i:05d}"
            bodies.append(
                BodyRow(
                    code, f"Ủy ban nhân dân xã số {i}, tỉnh số {p}", "commune", f"T{p:02d}",
                    f"Chủ tịch UBND xã số {i}", "Chủ tịch", f"chutich.{code.lower()}@xa.example",
                    f"Văn phòng UBND xã số {i}", f"vanphong.{code.lower()}@xa.example",
                )
            )  # fmt: skip
        else:
            code = f"T{p:02d}-S{i:05d}"
            bodies.append(
                BodyRow(
                    code, f"Sở, ban, ngành số {i} thuộc tỉnh số {p}", "province", f"T{p:02d}",
                    f"Giám đốc đơn vị số {i}", "Giám đốc", f"giamdoc.{code.lower()}@so.example",
                    f"Chuyên viên đầu mối đơn vị số {i}", f"daumoi.{code.lower()}@so.example",
                )
            )  # fmt: skip
    return bodies


def write_csv(bodies: Sequence[BodyRow], path: Path) -> None:
    """The organisation as the operator's CSV for ``phoihop bodies import``."""
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(
            ["code", "name", "level", "parent", "head_name", "head_title", "head_email",
             "focal_name", "focal_email", "valid_from", "valid_to"]
        )  # fmt: skip
        for b in bodies:
            out.writerow(
                [b.code, b.name, b.level, b.parent or "", b.head_name, b.head_title,
                 b.head_email, b.focal_name, b.focal_email, "", ""]
            )  # fmt: skip


@dataclass(frozen=True)
class ProgramPlan:
    """One program and its one open cycle (the cycle's id is the program's)."""

    id: int
    code: str
    kind: str
    title: str
    period: str
    letter: date
    due: date
    opened_at: datetime


def program_plans(scale: Scale, calendar: Any) -> list[ProgramPlan]:
    """The national program (due 12/07) and ``cycles - 1`` others due from 24/07 on."""
    plans = [
        ProgramPlan(
            1, NATIONAL, "half", "Báo cáo kết quả thực hiện Quy chế phối hợp (toàn quốc)",
            "2024-H1", NATIONAL_LETTER, NATIONAL_DUE, _data.local("2024-07-01T08:10"),
        )
    ]  # fmt: skip
    for k in range(1, scale.cycles):
        kind = KIND_ORDER[(k - 1) % len(KIND_ORDER)]
        due = calendar.next_working_day(date(2024, 7, 24) + timedelta(days=3 * ((k - 1) % 100)))
        letter = date(2024, 7, 1) + timedelta(days=(k - 1) % 14)
        plans.append(
            ProgramPlan(
                k + 1, f"CT{k:02d}", kind, f"Báo cáo chuyên đề số {k} (toàn quốc)",
                OPEN_PERIOD_OF[kind], letter, due, _data.local(f"{letter.isoformat()}T08:10"),
            )
        )  # fmt: skip
    return plans


def task_id(scale: Scale, cycle_index: int, body_index: int) -> int:
    """Task ids are dense: cycle by cycle, body by body (the national cycle first)."""
    return cycle_index * scale.bodies + body_index + 1


# -- bulk rows, exactly as the application stores them --------------------------------------

COLUMNS: dict[str, tuple[str, ...]] = {
    "body": ("id", "code", "name", "level", "parent_code", "head_name", "head_title",
             "head_email", "focal_name", "focal_email", "valid_from", "valid_to", "updated_at"),
    "program": ("id", "code", "title", "legal_basis", "coordinator_id", "period_kind",
                "schedule", "leadership_name", "leadership_email", "created_at"),
    "programbody": ("program_id", "body_id", "position"),
    "programversion": ("id", "program_id", "version", "valid_from", "cutoff_start_day",
                       "provide_working_days", "review_working_days", "synthesis_working_days",
                       "margin_working_days", "outline", "escalation", "created_at"),
    "cycle": ("id", "program_id", "period", "period_label", "cutoff_start", "cutoff_end",
              "letter_no", "letter_date", "opened_at", "provide_due", "review_due",
              "synthesis_due", "status", "synthesized_at", "program_version_id", "task_count"),
    "task": ("id", "cycle_id", "body_id", "status", "due_date", "due_at", "ladder_epoch",
             "rungs_done", "next_rung_at", "escalation_level", "escalations", "cycle_open",
             "versions", "returns", "last_submitted_at", "last_on_time", "accepted_at"),
    "escalation": ("id", "task_id", "epoch", "step", "kind", "level", "due_at", "fired_at",
                   "recipients", "message", "skipped"),
    "notification": ("id", "escalation_id", "created_at", "recipients", "subject", "body",
                     "status", "attempts", "claimed_at", "next_attempt_at", "sent_at", "error"),
    "auditrecord": ("at", "actor", "action", "cycle_id", "task_id", "detail"),
    "user": ("username", "display_name", "body_id", "role", "password_hash", "active",
             "created_at"),
}  # fmt: skip
SERIAL_TABLES = ("body", "program", "programversion", "cycle", "task", "escalation",
                 "notification")  # fmt: skip


@dataclass(frozen=True)
class Layout:
    """How the builder's tuples (in ``COLUMNS`` order) map onto the table as the models
    define it now: builder columns the table no longer has are dropped, columns the
    builder does not know are filled with their model default (or NULL if nullable)."""

    columns: tuple[str, ...]
    keep: tuple[int, ...] | None  # None: the builder's tuples fit as they are
    extra: tuple[Any, ...]  # model defaults, in Python values


_LAYOUTS: dict[str, Layout] = {}


def layout(table: str) -> Layout:
    """The schema moves while other work lands; the rows must still be what it stores."""
    if table in _LAYOUTS:
        return _LAYOUTS[table]
    from sqlmodel import SQLModel

    import models  # noqa: F401  (registers the tables)

    meta = SQLModel.metadata.tables[table].columns
    built = COLUMNS[table]
    keep = tuple(i for i, c in enumerate(built) if c in meta)
    extra_names, extra = [], []
    for column in meta:
        if column.name in built or (column.name == "id" and column.primary_key):
            continue
        default = column.default
        if default is not None and default.is_scalar:
            extra.append(default.arg)
        elif column.nullable:
            extra.append(None)
        else:
            raise SystemExit(
                f"bench_national: {table}.{column.name} has no default and is not filled; "
                "add it to COLUMNS and the row builders"
            )
        extra_names.append(column.name)
    dropped = [c for c in built if c not in meta]
    if dropped or extra_names:
        log(f"  schema: {table} without {dropped or '—'}, with defaults for {extra_names or '—'}")
    columns = tuple(built[i] for i in keep) + tuple(extra_names)
    fits = len(keep) == len(built) and not extra
    _LAYOUTS[table] = Layout(columns, None if fits else keep, tuple(extra))
    return _LAYOUTS[table]


def fitted(table: str, rows: Iterable[Sequence[Any]], f: Format) -> Iterable[Sequence[Any]]:
    """``rows`` reshaped to the table's current layout (see :func:`layout`)."""
    shape = layout(table)
    if shape.keep is None:
        return rows
    extra = tuple(_stored(v, f) for v in shape.extra)
    keep = shape.keep
    return (tuple(row[i] for i in keep) + extra for row in rows)


def _stored(value: Any, f: Format) -> Any:
    if isinstance(value, bool):
        return f.flag(value)
    if isinstance(value, datetime):
        return f.ts(value)
    if isinstance(value, date):
        return f.day(value)
    if isinstance(value, dict | list):
        return f.json(value)
    return value


class Format(Protocol):
    """How one backend stores Python values, the way SQLAlchemy binds them there."""

    def ts(self, value: datetime) -> Any: ...
    def day(self, value: date) -> Any: ...
    def flag(self, value: bool) -> Any: ...
    def json(self, value: Any) -> str: ...


class SQLiteFormat:
    """Naive UTC text with microseconds, ISO dates, 0/1, ``json.dumps`` (SQLAlchemy's)."""

    def ts(self, value: datetime) -> Any:
        return _data.sql_time(value)

    def day(self, value: date) -> Any:
        return value.isoformat()

    def flag(self, value: bool) -> Any:
        return int(value)

    def json(self, value: Any) -> str:
        return json.dumps(value)


class PgFormat:
    """Typed values (psycopg adapts them; aware datetimes for timestamptz), JSON text."""

    def ts(self, value: datetime) -> Any:
        return value

    def day(self, value: date) -> Any:
        return value

    def flag(self, value: bool) -> Any:
        return value

    def json(self, value: Any) -> str:
        return json.dumps(value)


class Writer(Protocol):
    fmt: Format

    def write(self, table: str, rows: Iterable[Sequence[Any]]) -> int: ...


class SQLiteWriter:
    """``executemany`` into one open transaction of a plain sqlite3 connection."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.fmt: Format = SQLiteFormat()

    def write(self, table: str, rows: Iterable[Sequence[Any]]) -> int:
        columns = layout(table).columns
        names = ", ".join(f'"{c}"' for c in columns)
        marks = ", ".join("?" for _ in columns)
        sql = f'INSERT INTO "{table}" ({names}) VALUES ({marks})'
        return self.conn.executemany(sql, fitted(table, rows, self.fmt)).rowcount


class PgWriter:
    """``COPY … FROM STDIN`` through psycopg, in the connection's transaction."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn
        self.fmt: Format = PgFormat()

    def write(self, table: str, rows: Iterable[Sequence[Any]]) -> int:
        names = ", ".join(f'"{c}"' for c in layout(table).columns)
        n = 0
        with self.conn.cursor() as cur, cur.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
            for row in fitted(table, rows, self.fmt):
                copy.write_row(row)
                n += 1
        return n


@dataclass(frozen=True)
class Facts:
    """What the scenario fixes, worked out once with the application's rules."""

    national_due_at: datetime
    level1_at: datetime
    level2_at: datetime
    days_late: int
    open_letter_no: str = "999-CV/BTGTW"


def scenario_facts() -> Facts:
    from rules.escalation import Policy
    from rules.specs import EscalationSpec
    from rules.timezone import days_late
    from services.calendars import load_calendar

    calendar = load_calendar()
    policy = Policy.from_data(EscalationSpec().model_dump())
    due_at = calendar.deadline_of(NATIONAL_DUE)
    level1 = policy.next_at(NATIONAL_DUE, 1, calendar)
    level2 = policy.next_at(NATIONAL_DUE, 2, calendar)
    assert level1 is not None and level2 is not None
    assert level1 <= NOW < level2, "the scenario needs level 1 due and level 2 not yet"
    return Facts(due_at, level1, level2, days_late(due_at, NOW))


def write_dataset(w: Writer, scale: Scale) -> dict[str, int]:
    """Every row of the organisation, the open cycles and the national cycle's history."""
    from rules.escalation import Policy
    from rules.messages import TaskContext, addresses, urging_message
    from rules.periods import CutoffRule, parse_period
    from rules.specs import EscalationSpec, OutlineSection
    from services.calendars import load_calendar

    f, calendar = w.fmt, load_calendar()
    bodies = organisation(scale.bodies)
    ids = {b.code: i + 1 for i, b in enumerate(bodies)}
    reporting = bodies[1:]
    coordinator = bodies[0]
    written: Counter[str] = Counter()
    audits: list[tuple[Any, ...]] = []
    org_at = f.ts(ORG_AT)

    written["body"] += w.write(
        "body",
        ((ids[b.code], b.code, b.name, b.level, b.parent, b.head_name, b.head_title,
          b.head_email, b.focal_name, b.focal_email, None, None, org_at) for b in bodies),
    )  # fmt: skip
    audits += [
        (org_at, "bench", "body.created", None, None, f.json({"code": b.code})) for b in bodies
    ]

    escalation = EscalationSpec().model_dump()
    outline = [
        OutlineSection(code="I", title="Kết quả thực hiện").model_dump(),
        OutlineSection(code="II", title="Nhiệm vụ thời gian tới").model_dump(),
    ]
    policy = Policy.from_data(escalation)
    programs = program_plans(scale, calendar)
    written["program"] += w.write(
        "program",
        ((p.id, p.code, p.title, "Quyết định số 238-QĐ/TW", ids[COORDINATOR], p.kind, None,
          LEADERSHIP[0], LEADERSHIP[1], org_at) for p in programs),
    )  # fmt: skip
    # Version 1 of each, as program add writes it: the only place its terms are kept.
    written["programversion"] += w.write(
        "programversion",
        ((p.id, p.id, 1, f.day(ORG_AT.date()), 15, 7, 3, 2, 1, f.json(outline), f.json(escalation),
          org_at) for p in programs),
    )  # fmt: skip
    audits += [(org_at, "bench", "program.created", None, None, f.json({"code": p.code}))
               for p in programs]  # fmt: skip
    written["programbody"] += w.write(
        "programbody",
        ((p.id, ids[b.code], pos) for p in programs for pos, b in enumerate(reporting)),
    )

    cycle_rows = []
    for p in programs:
        period = parse_period(p.period)
        cutoff_start, cutoff_end = period.cutoff(CutoffRule(15))
        review_due = calendar.due_date(p.due, 3)
        letter_no = f"{p.id}-CV/{COORDINATOR}"
        cycle_rows.append(
            (p.id, p.id, period.spec, period.label_vi, f.day(cutoff_start), f.day(cutoff_end),
             letter_no, f.day(p.letter), f.ts(p.opened_at), f.day(p.due), f.day(review_due),
             f.day(calendar.due_date(review_due, 2)), "open", None, p.id, len(reporting))
        )  # fmt: skip
        detail = {"program": p.code, "period": period.spec, "letter_no": letter_no,
                  "letter_date": p.letter.isoformat(), "provide_due": p.due.isoformat(),
                  "tasks": len(reporting)}  # fmt: skip
        audits.append((f.ts(p.opened_at), "bench", "cycle.opened", p.id, None, f.json(detail)))
    written["cycle"] += w.write("cycle", cycle_rows)

    def tasks() -> Iterator[tuple[Any, ...]]:
        for c, p in enumerate(programs):
            done = 1 if c == 0 else 0  # the national cycle's reminder went out on 10/07
            next_at = policy.next_at(p.due, done, calendar)
            assert next_at is not None
            due, due_at = f.day(p.due), f.ts(calendar.deadline_of(p.due))
            nxt, yes = f.ts(next_at), f.flag(True)
            for j, b in enumerate(reporting):
                yield (task_id(scale, c, j), p.id, ids[b.code], "pending", due, due_at, 0, done,
                       nxt, 0, 0, yes, 0, 0, None, None, None)  # fmt: skip

    written["task"] += w.write("task", tasks())

    # The national cycle's history: the sweep of 10/07 sent the reminder 2 working days
    # before (escalation row, outbox row, audit record); the outbox delivered it.
    national = programs[0]
    rung = policy.rungs[0]
    assert rung.step == "reminder-2"
    due_at = calendar.deadline_of(national.due)
    period_label = parse_period(national.period).label_vi
    reminded, delivered, no = f.ts(REMINDED_AT), f.ts(DELIVERED_AT), f.flag(False)
    escalations, notifications, sent = [], [], []
    for j, b in enumerate(reporting):
        context = TaskContext(
            program_title=national.title, period_label=period_label,
            letter_no=f"{national.id}-CV/{COORDINATOR}", letter_date=national.letter,
            body_name=b.name, coordinator_name=coordinator.name, due_date=national.due,
            due_at=due_at,
        )  # fmt: skip
        subject, text = urging_message(rung, context, REMINDED_AT)
        recipients = list(addresses(rung.notify, {"focal": (b.focal_name, b.focal_email)}))
        tid, eid = task_id(scale, 0, j), j + 1
        to = f.json(recipients)
        escalations.append((eid, tid, 0, rung.step, rung.kind, rung.level, f.ts(due_at),
                            reminded, to, text, no))  # fmt: skip
        notifications.append((eid, eid, reminded, to, subject, text, "sent", 1, reminded, None,
                              delivered, None))  # fmt: skip
        detail = {"body": b.code, "step": rung.step, "level": rung.level, "epoch": 0,
                  "recipients": recipients, "due_date": national.due.isoformat(), "skipped": []}  # fmt: skip  # noqa: E501
        audits.append((reminded, "sweep", "task.reminded", national.id, tid, f.json(detail)))
        sent.append({"notification": eid, "recipients": recipients, "error": None,
                     "attempts": 1, "next_attempt_at": None})  # fmt: skip
    audits += [(delivered, "notifier", "notification.sent", None, None, f.json(d)) for d in sent]
    written["escalation"] += w.write("escalation", escalations)
    written["notification"] += w.write("notification", notifications)
    written["auditrecord"] += w.write("auditrecord", audits)
    return dict(written)


# -- backends: a template database, fresh copies, raw connections ------------------------


@dataclass
class Copy:
    """One database the application (in-process or as a subprocess) can be pointed at."""

    backend: str
    tag: str
    data_dir: Path
    url: str | None  # PHOIHOP_DATABASE_URL; None: SQLite in data_dir
    target: str  # SQLite file, or a libpq DSN

    @property
    def env(self) -> dict[str, str]:
        env = {"PHOIHOP_DATA_DIR": str(self.data_dir)}
        if self.url:
            env["PHOIHOP_DATABASE_URL"] = self.url
        return env


def activate(copy: Copy) -> None:
    """Point the in-process application at ``copy`` (the settings follow the environment)."""
    for key in ("PHOIHOP_DATABASE_URL", "PHOIHOP_NOW", "PREFECT_API_URL", "PHOIHOP_SMTP_HOST",
                "PHOIHOP_CALENDAR_OVERRIDES"):  # fmt: skip
        os.environ.pop(key, None)
    os.environ.update(copy.env)


def subprocess_env(copy: Copy, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    for key in ("PHOIHOP_DATABASE_URL", "PHOIHOP_NOW", "PREFECT_API_URL", "PHOIHOP_SMTP_HOST"):
        env.pop(key, None)
    return env | copy.env | extra


def dispose_engine(copy: Copy) -> None:
    """Close the in-process application's pooled connections to ``copy``."""
    from services import db

    activate(copy)
    db.raw_engine().dispose()


class Backend:
    """What differs between SQLite and PostgreSQL for the benchmark."""

    name = "?"

    def __init__(self, scratch: Path) -> None:
        self.scratch = scratch

    def start(self) -> None:
        """Start what the backend needs (a server), once per run."""

    def stop(self) -> None:
        """Stop it again; safe to call twice."""

    def note(self) -> str:
        return ""

    def new(self, tag: str) -> Copy:
        raise NotImplementedError

    def copy(self, template: Copy, tag: str) -> Copy:
        raise NotImplementedError

    def release(self, copy: Copy) -> None:
        raise NotImplementedError

    def connect(self, copy: Copy) -> Any:
        raise NotImplementedError

    def writer(self, conn: Any) -> Writer:
        raise NotImplementedError

    def finish_template(self, copy: Copy) -> None:
        """After the bulk load, before copies are made."""


class SQLiteBackend(Backend):
    name = "sqlite"

    def note(self) -> str:
        return "SQLite: WAL, synchronous=NORMAL (the application's pragmas)"

    def new(self, tag: str) -> Copy:
        directory = self.scratch / f"sqlite-{tag}"
        shutil.rmtree(directory, ignore_errors=True)
        directory.mkdir(parents=True)
        return Copy(self.name, tag, directory, None, str(directory / "phoihop.db"))

    def copy(self, template: Copy, tag: str) -> Copy:
        copy = self.new(tag)
        _data.copy_database(Path(template.target), copy.data_dir)
        return copy

    def release(self, copy: Copy) -> None:
        with contextlib.suppress(Exception):
            dispose_engine(copy)
        shutil.rmtree(copy.data_dir, ignore_errors=True)

    def connect(self, copy: Copy) -> sqlite3.Connection:
        return _data.raw_connect(Path(copy.target))

    def writer(self, conn: Any) -> Writer:
        return SQLiteWriter(conn)


class PostgresBackend(Backend):
    name = "postgresql"

    def __init__(self, scratch: Path, settings: dict[str, str] | None = None) -> None:
        super().__init__(scratch)
        self.cluster: _pg.Cluster | None = None
        self.settings = {"max_connections": "200", **(settings or {})}

    def start(self) -> None:
        log(f"starting PostgreSQL 15 (fsync=off, {self._settings()}) …")
        self.cluster = _pg.Cluster(fsync=False, settings=self.settings).start()

    def stop(self) -> None:
        if self.cluster is not None:
            self.cluster.stop()
            self.cluster = None

    def note(self) -> str:
        return (
            "PostgreSQL 15 on loopback, started for this run, fsync=off (a benchmark-only "
            "setting: commits are cheaper than on a durable server), "
            f"{self._settings()}, other settings default; "
            "tables VACUUMed and ANALYZEd after the bulk load (as autovacuum leaves them)"
        )

    def _settings(self) -> str:
        return ", ".join(f"{k}={v}" for k, v in self.settings.items())

    def _database(self, tag: str) -> str:
        return re.sub(r"[^a-z0-9_]", "_", tag.lower())

    def _copy_for(self, tag: str) -> Copy:
        assert self.cluster is not None
        name = self._database(tag)
        directory = self.scratch / f"pg-{tag}"
        shutil.rmtree(directory, ignore_errors=True)
        directory.mkdir(parents=True)
        return Copy(self.name, tag, directory, self.cluster.url(name), self.cluster.dsn(name))

    def new(self, tag: str) -> Copy:
        assert self.cluster is not None
        copy = self._copy_for(tag)
        self.cluster.drop_database(self._database(tag))
        self.cluster.create_database(self._database(tag))
        return copy

    def copy(self, template: Copy, tag: str) -> Copy:
        assert self.cluster is not None
        dispose_engine(template)  # CREATE DATABASE … TEMPLATE needs nobody connected to it
        copy = self._copy_for(tag)
        self.cluster.drop_database(self._database(tag))
        self.cluster.create_database(self._database(tag), template=self._database(template.tag))
        return copy

    def release(self, copy: Copy) -> None:
        with contextlib.suppress(Exception):
            dispose_engine(copy)
        if self.cluster is not None:
            self.cluster.drop_database(self._database(copy.tag))
        shutil.rmtree(copy.data_dir, ignore_errors=True)

    def connect(self, copy: Copy) -> Any:
        import psycopg

        return psycopg.connect(copy.target)

    def writer(self, conn: Any) -> Writer:
        return PgWriter(conn)

    def finish_template(self, copy: Copy) -> None:
        with self.connect(copy) as conn:
            for table in SERIAL_TABLES:
                conn.execute(
                    f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'),"  # type: ignore[arg-type]
                    f' (SELECT coalesce(max(id), 1) FROM "{table}"))'
                )
            conn.commit()
            conn.autocommit = True
            conn.execute("VACUUM ANALYZE")


# -- the template ------------------------------------------------------------------------------


@dataclass
class Template:
    copy: Copy
    tokens: list[str]  # agency i's API token (agency i reports as reporting body i)
    seconds: float
    rows: dict[str, int]


def build_template(backend: Backend, scale: Scale) -> Template:
    """Schema through the application, rows in bulk, accounts and tokens through the service."""
    from services import accounts, db

    started = time.perf_counter()
    copy = backend.new(f"t{scale.label}")
    activate(copy)
    db.engine()  # an empty database is created at the schema's newest revision
    conn = backend.connect(copy)
    try:
        if backend.name == "sqlite":
            conn.execute("BEGIN")
        rows = write_dataset(backend.writer(conn), scale)
        conn.execute("COMMIT") if backend.name == "sqlite" else conn.commit()
    finally:
        conn.close()
    log(f"  bulk rows written in {time.perf_counter() - started:.1f} s: {rows}")
    accounts.create_user(
        "coord", body=COORDINATOR, role="coordinator", password=PASSWORD,
        display_name="Vụ Tổng hợp", now=ORG_AT, actor="bench",
    )  # fmt: skip
    bodies = organisation(scale.agencies)[1:]
    password_hash = accounts.hash_password(PASSWORD)  # one scrypt for all: it is slow on purpose
    conn = backend.connect(copy)
    try:
        if backend.name == "sqlite":
            conn.execute("BEGIN")
        w = backend.writer(conn)
        f = w.fmt
        body_ids = {b.code: i + 2 for i, b in enumerate(bodies)}  # ids follow organisation()
        w.write(
            "user",
            ((f"agency{i}", b.focal_name, body_ids[b.code], "agency", password_hash,
              f.flag(True), f.ts(ORG_AT)) for i, b in enumerate(bodies)),
        )  # fmt: skip
        w.write(
            "auditrecord",
            ((f.ts(ORG_AT), "bench", "user.created", None, None,
              f.json({"username": f"agency{i}", "body": b.code, "role": "agency"}))
             for i, b in enumerate(bodies)),
        )  # fmt: skip
        conn.execute("COMMIT") if backend.name == "sqlite" else conn.commit()
    finally:
        conn.close()
    # The first token through the real command, the others through the same service.
    issued = subprocess.run(
        [str(PHOIHOP), "tokens", "issue", "agency0", "--name", "bench", "--json", "--as",
         "bench", "--now", "2024-07-01T08:00"],
        env=subprocess_env(copy), capture_output=True, text=True, check=True,
    )  # fmt: skip
    tokens = [json.loads(issued.stdout)["token"]]
    tokens += [
        accounts.issue_token(f"agency{i}", name="bench", now=WARM_AT, actor="bench")["token"]
        for i in range(1, scale.agencies)
    ]
    backend.finish_template(copy)
    dispose_engine(copy)
    seconds = time.perf_counter() - started
    log(f"  template {copy.tag}: {scale.tasks:,} tasks ready in {seconds:.1f} s")
    return Template(copy, tokens, seconds, rows)


# -- figures ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """``value < limit`` (or ``≥`` with ``at_least``), and ``≤ ratio × baseline`` if given."""

    limit: float
    at_least: bool = False
    ratio: float | None = None

    def text(self, unit: str) -> str:
        shown = f"{'≥' if self.at_least else '<'} {fmt_value(self.limit, unit)}"
        return shown + (f", ≤ {self.ratio:g}× baseline" if self.ratio else "")

    def met(self, value: float, baseline: float | None) -> bool:
        ok = value >= self.limit if self.at_least else value < self.limit
        if self.ratio is not None:
            ok = ok and baseline is not None and value <= self.ratio * baseline
        return ok


@dataclass
class Figure:
    key: str
    what: str
    backend: str
    value: float | None
    unit: str  # "s", "MB", "/s"
    baseline: float | None = None
    target: Target | None = None
    note: str = ""

    @property
    def verdict(self) -> str:
        if self.value is None:
            return "n/a"
        if self.target is None:
            return "info"
        return "PASS" if self.target.met(self.value, self.baseline) else "FAIL"

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "what": self.what,
            "backend": self.backend,
            "value": self.value,
            "unit": self.unit,
            "baseline": self.baseline,
            "baseline_is": BASELINES.get(self.key),
            "target": self.target.text(self.unit) if self.target else None,
            "verdict": self.verdict,
            "note": self.note,
        }


def fmt_value(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "s":
        return _data.fmt_seconds(value)
    if unit == "MB":
        return f"{value:.0f} MB"
    if unit == "×":
        return f"{value:.2f}×"
    return f"{value:,.0f}/s"


def percentile(samples: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (``q`` in 0..1): defined for any number of samples."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


@contextlib.contextmanager
def profiled(profile_dir: Path | None, name: str) -> Iterator[None]:
    """cProfile the block into ``profile_dir/name.prof`` and list the top of it on stderr."""
    if profile_dir is None:
        yield
        return
    profile = cProfile.Profile()
    profile.enable()
    try:
        yield
    finally:
        profile.disable()
        profile_dir.mkdir(parents=True, exist_ok=True)
        path = profile_dir / f"{name}.prof"
        profile.dump_stats(path)
        print(f"\n--- profile {name} ({path}) ---", file=sys.stderr)
        pstats.Stats(profile, stream=sys.stderr).sort_stats("cumulative").print_stats(18)


def table_counts(backend: Backend, copy: Copy) -> dict[str, int]:
    """The row counts the sweep changes: fired rows, outbox, audit, tasks at level 1."""
    conn = backend.connect(copy)
    try:
        result = {
            table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("escalation", "notification", "auditrecord")
        }
        result["task_level1"] = conn.execute(
            "SELECT count(*) FROM task WHERE escalation_level = 1 AND rungs_done = 2"
        ).fetchone()[0]
        return result
    finally:
        conn.close()


def delta(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    return {k: after[k] - before[k] for k in before}


# -- the sweep ---------------------------------------------------------------------------------


def app_first_sweep(backend: Backend, copy: Copy, scale: Scale, profile: Path | None) -> float:
    """``services.escalation.sweep(now)`` on a fresh copy, after a warm-up that fires nothing."""
    from services import db
    from services.calendars import load_calendar
    from services.escalation import sweep

    activate(copy)
    db.engine()
    load_calendar()
    warm = sweep(now=WARM_AT)  # compiles the plan query, loads the calendar years
    assert warm.examined == 0, warm.as_dict()
    start = time.perf_counter()
    with profiled(profile, f"{backend.name}-{scale.label}-sweep-first"):
        result = sweep(now=NOW)
    seconds = time.perf_counter() - start
    if result.escalations != scale.bodies or result.reminders or result.skipped:
        log(f"  warning: first sweep fired {result.as_dict() | {'fired': '…'}}")
    return seconds


def app_second_sweep(copy: Copy) -> float:
    """The same moment again, 5 times: nothing is due any more (median)."""
    from services.escalation import sweep

    activate(copy)
    samples = []
    for _ in range(5):
        start = time.perf_counter()
        result = sweep(now=NOW)
        samples.append(time.perf_counter() - start)
        if result.examined:
            log(f"  warning: second sweep examined {result.examined}")
    return statistics.median(samples)


RAW_DUE_SQL = """
SELECT t.id, t.cycle_id, t.due_date, t.due_at, t.ladder_epoch, b.code, b.name, b.focal_name,
       b.focal_email, c.period_label, c.letter_no, c.letter_date, g.title, k.name
FROM task t JOIN cycle c ON c.id = t.cycle_id JOIN program g ON g.id = c.program_id
JOIN body b ON b.id = t.body_id JOIN body k ON k.id = g.coordinator_id
WHERE t.next_rung_at <= {p} ORDER BY t.id
"""


def fired_columns() -> list[str]:
    """The escalation columns a fired rung fills (``skipped`` only where the schema has it)."""
    base = ["id", "task_id", "epoch", "step", "kind", "level", "due_at", "fired_at",
            "recipients", "message"]  # fmt: skip
    return base + (["skipped"] if "skipped" in layout("escalation").columns else [])


def _dmy(value: Any) -> str:
    """dd/mm/yyyy of a date as the driver returns it (SQLite: ISO text)."""
    if isinstance(value, str):
        return f"{value[8:10]}/{value[5:7]}/{value[:4]}"
    return str(value.strftime("%d/%m/%Y"))


def _iso_day(value: Any) -> str:
    return value if isinstance(value, str) else str(value.isoformat())


def raw_sweep_rows(due: list[Any], now: Any, level2: Any, days_late: int, f: Format) -> Any:
    """The four row sets of a level-1 sweep over ``due``, built without the application."""
    escalations, notifications, audits, updates = [], [], [], []
    skipped = (f.flag(False),) if "skipped" in layout("escalation").columns else ()
    for i, (tid, cycle_id, due_date, due_at, epoch, code, name, focal, focal_email, label,
            letter_no, letter_date, title, coordinator) in enumerate(due):  # fmt: skip
        topic = f"{title} ({label})"
        subject = f"Đôn đốc (lần 1) gửi báo cáo: {topic}"
        text = (
            f"Kính gửi: {name}.\n\nTheo Công văn số {letter_no} ngày {_dmy(letter_date)} của "
            f"{coordinator}, hạn gửi báo cáo {topic} là ngày {_dmy(due_date)}. Đến nay quý cơ "
            f"quan chưa gửi báo cáo (quá hạn {days_late} ngày). Đề nghị khẩn trương hoàn thành "
            f"và gửi về {coordinator}."
        )
        recipients = [f"{focal} <{focal_email}>"]
        to = f.json(recipients)
        escalations.append((i, tid, epoch, "level-1", "escalation", 1, due_at, now, to, text)
                           + skipped)  # fmt: skip
        notifications.append((i, now, to, subject, text, "pending", 0))
        detail = {"body": code, "step": "level-1", "level": 1, "epoch": epoch,
                  "recipients": recipients, "due_date": _iso_day(due_date), "skipped": []}  # fmt: skip  # noqa: E501
        audits.append((now, "sweep", "task.escalated", cycle_id, tid, f.json(detail)))
        updates.append((tid, level2))
    return escalations, notifications, audits, updates


def raw_sweep_sqlite(conn: sqlite3.Connection, facts: Facts) -> None:
    f = SQLiteFormat()
    now, level2 = f.ts(NOW), f.ts(facts.level2_at)
    conn.execute("BEGIN IMMEDIATE")
    due = conn.execute(RAW_DUE_SQL.format(p="?"), (now,)).fetchall()
    (first,) = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM escalation").fetchone()
    esc, notes, audits, updates = raw_sweep_rows(due, now, level2, facts.days_late, f)
    columns = fired_columns()
    conn.executemany(
        f"INSERT INTO escalation ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
        [(first + r[0], *r[1:]) for r in esc],
    )
    conn.executemany(
        "INSERT INTO notification (escalation_id, created_at, recipients, subject, body, status,"
        " attempts) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(first + r[0], *r[1:]) for r in notes],
    )
    conn.executemany(
        "INSERT INTO auditrecord (at, actor, action, cycle_id, task_id, detail)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        audits,
    )
    conn.executemany(
        "UPDATE task SET rungs_done = 2, next_rung_at = ?, escalation_level = 1,"
        " escalations = escalations + 1 WHERE id = ?",
        [(nxt, tid) for tid, nxt in updates],
    )
    conn.execute("COMMIT")


def raw_sweep_pg(conn: Any, facts: Facts) -> None:
    f = PgFormat()
    with conn.cursor() as cur:
        due = cur.execute(RAW_DUE_SQL.format(p="%s"), (NOW,)).fetchall()
        ids = [
            r[0]
            for r in cur.execute(
                "SELECT nextval(pg_get_serial_sequence('escalation', 'id'))"
                " FROM generate_series(1, %s)",
                (len(due),),
            )
        ]
        esc, notes, audits, updates = raw_sweep_rows(due, NOW, facts.level2_at, facts.days_late, f)
        copies = [
            (f"escalation ({', '.join(fired_columns())})", [(ids[r[0]], *r[1:]) for r in esc]),
            ("notification (escalation_id, created_at, recipients, subject, body, status,"
             " attempts)", [(ids[r[0]], *r[1:]) for r in notes]),
            ("auditrecord (at, actor, action, cycle_id, task_id, detail)", audits),
        ]  # fmt: skip
        for into, rows in copies:
            with cur.copy(f"COPY {into} FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        cur.execute("CREATE TEMP TABLE fired (id integer, next timestamptz) ON COMMIT DROP")
        with cur.copy("COPY fired (id, next) FROM STDIN") as copy:
            for row in updates:
                copy.write_row(row)
        cur.execute(
            "UPDATE task SET rungs_done = 2, next_rung_at = fired.next, escalation_level = 1,"
            " escalations = task.escalations + 1 FROM fired WHERE task.id = fired.id"
        )
    conn.commit()


# -- opening a cycle ---------------------------------------------------------------------------


def app_open_cycles(copy: Copy, scale: Scale, repeat: int, profile: Path | None, tag: str) -> float:
    """``services.cycles.open_cycle`` for the next periods of a monthly program (median)."""
    from services.cycles import open_cycle

    activate(copy)
    samples = []
    for n, period in enumerate(APP_OPEN_PERIODS[:repeat]):
        start = time.perf_counter()
        with profiled(profile if n == 0 else None, f"{tag}-open-cycle"):
            opened = open_cycle(
                OPEN_PROGRAM, period, letter_no="999-CV/BTGTW", letter_date=TODAY, now=NOW,
                actor="bench",
            )  # fmt: skip
        samples.append(time.perf_counter() - start)
        if opened.tasks != scale.bodies:
            log(f"  warning: open_cycle reported {opened.tasks} tasks, not {scale.bodies}")
    return statistics.median(samples)


def raw_open_cycles(backend: Backend, copy: Copy, repeat: int) -> float:
    """What ``open_cycle`` writes, by hand: one cycle row, the task rows, an opening
    notice per body (focal contact and head, the same words), the opening's record and
    one audit row; the same values, one transaction."""
    from rules.escalation import Policy
    from rules.periods import CutoffRule, parse_period
    from rules.specs import EscalationSpec
    from services.calendars import load_calendar

    calendar = load_calendar()
    due = calendar.due_date(TODAY, 7)
    review = calendar.due_date(due, 3)
    next_at = Policy.from_data(EscalationSpec().model_dump()).next_at(due, 0, calendar)
    assert next_at is not None
    sqlite = backend.name == "sqlite"
    f: Format = SQLiteFormat() if sqlite else PgFormat()
    p = "?" if sqlite else "%s"
    conn = backend.connect(copy)
    samples = []
    try:
        (program_id,) = conn.execute(
            f"SELECT id FROM program WHERE code = {p}", (OPEN_PROGRAM,)
        ).fetchone()
        (version_id,) = conn.execute(
            f"SELECT id FROM programversion WHERE program_id = {p} ORDER BY version DESC LIMIT 1",
            (program_id,),
        ).fetchone()
        for period_spec in RAW_OPEN_PERIODS[:repeat]:
            period = parse_period(period_spec)
            start_day, end_day = period.cutoff(CutoffRule(15))
            start = time.perf_counter()
            if sqlite:
                conn.execute("BEGIN IMMEDIATE")
            bodies = conn.execute(
                "SELECT b.id, b.name, b.focal_name, b.focal_email, b.head_name, b.head_email"
                f" FROM programbody pb JOIN body b ON b.id = pb.body_id WHERE pb.program_id = {p}"
                " ORDER BY pb.position",
                (program_id,),
            ).fetchall()
            title, coordinator, contact_name, contact_email, coordinator_id = conn.execute(
                "SELECT g.title, k.name, k.focal_name, k.focal_email, k.id FROM program g"
                f" JOIN body k ON k.id = g.coordinator_id WHERE g.id = {p}",
                (program_id,),
            ).fetchone()
            cycle_id = conn.execute(
                "INSERT INTO cycle (program_id, period, period_label, cutoff_start, cutoff_end,"
                " letter_no, letter_date, opened_at, provide_due, review_due, synthesis_due,"
                f" program_version_id, task_count, status) VALUES ({', '.join([p] * 13)}, 'open')"
                " RETURNING id",
                (program_id, period.spec, period.label_vi, f.day(start_day), f.day(end_day),
                 "999-CV/BTGTW", f.day(TODAY), f.ts(NOW), f.day(due), f.day(review),
                 f.day(calendar.due_date(review, 2)), version_id, len(bodies)),
            ).fetchone()[0]  # fmt: skip
            values = (f.day(due), f.ts(calendar.deadline_of(due)), f.ts(next_at), f.flag(True))
            sql = (
                "INSERT INTO task (cycle_id, body_id, status, due_date, due_at, ladder_epoch,"
                " rungs_done, next_rung_at, escalation_level, escalations, cycle_open, versions,"
                f" returns) VALUES ({p}, {p}, 'pending', {p}, {p}, 0, 0, {p}, 0, 0, {p}, 0, 0)"
            )
            rows = [(cycle_id, b[0], values[0], values[1], values[2], values[3]) for b in bodies]
            if sqlite:
                conn.executemany(sql, rows)
            else:
                conn.cursor().executemany(sql, rows)
            topic = f"{title} {period.label_vi}"
            words = (
                f"Thực hiện Công văn số 999-CV/BTGTW ngày {_dmy(TODAY)} của {coordinator}, đề"
                f" nghị quý cơ quan báo cáo {topic} và gửi về {coordinator} trước ngày"
                f" {_dmy(due)}. Đầu mối liên hệ: {contact_name} ({contact_email})."
            )
            notices = [
                (f.ts(NOW), f.json([f"{focal} <{focal_email}>", f"{head} <{head_email}>"]),
                 f"Đề nghị báo cáo {topic}", f"Kính gửi: {name}.\n\n{words}", "pending", 0)
                for _, name, focal, focal_email, head, head_email in bodies
            ]  # fmt: skip
            into = "notification (created_at, recipients, subject, body, status, attempts)"
            if sqlite:
                conn.executemany(f"INSERT INTO {into} VALUES (?, ?, ?, ?, ?, ?)", notices)
            else:
                with conn.cursor().copy(f"COPY {into} FROM STDIN") as copy:
                    for row in notices:
                        copy.write_row(row)
            conn.execute(
                "INSERT INTO document (key, kind, state, cycle_id, issuer_id, to_leadership,"
                f" created_at, facts) VALUES ({p}, 'opening', 'listed', {p}, {p}, {p}, {p}, {p})",
                (f"opening:{cycle_id}", cycle_id, coordinator_id, f.flag(False), f.ts(NOW),
                 f.json({"first_notification": 0, "last_notification": 0})),
            )  # fmt: skip
            conn.execute(
                "INSERT INTO auditrecord (at, actor, action, cycle_id, task_id, detail)"
                f" VALUES ({p}, 'bench', 'cycle.opened', {p}, NULL, {p})",
                (f.ts(NOW), cycle_id, f.json({"period": period.spec, "tasks": len(rows)})),
            )
            conn.execute("COMMIT") if sqlite else conn.commit()
            samples.append(time.perf_counter() - start)
    finally:
        conn.close()
    return statistics.median(samples)


def storage_check(backend: Backend, copy: Copy, scale: Scale) -> str:
    """SQLite keeps what it is given: the bulk rows must be stored with the same types and
    formats as the rows the application wrote (``open_cycle``'s tasks)."""
    if backend.name != "sqlite":
        return "PostgreSQL columns are typed: formats cannot differ"
    columns = COLUMNS["task"]
    shaped = ("due_date", "due_at", "next_rung_at", "status")  # text whose length is its format
    probe = ", ".join(
        f"typeof({c}) || ':' || " + (f"length({c})" if c in shaped else "''") for c in columns
    )
    conn = backend.connect(copy)
    try:
        bulk = conn.execute(f"SELECT {probe} FROM task WHERE id = ?", (task_id(scale, 1, 0),))
        bulk_row = bulk.fetchone()
        app = conn.execute(f"SELECT {probe} FROM task ORDER BY id DESC LIMIT 1").fetchone()
    finally:
        conn.close()
    different = [f"{c} {x}/{y}" for c, x, y in zip(columns, bulk_row, app, strict=True) if x != y]
    if different:
        return f"task rows: bulk and open_cycle storage DIFFER: {different}"
    return "task rows: the bulk rows are stored like open_cycle's (types, formats)"


# -- the CLI -----------------------------------------------------------------------------------

RAW_CLI = r"""
import sys
backend, target, command, now, page = sys.argv[1:6]
page = int(page)  # the CLI's page size, 0 when it prints every row
if backend == "sqlite":
    import sqlite3
    conn, p, true = sqlite3.connect(target), "?", "1"
else:
    import psycopg
    conn, p, true = psycopg.connect(target), "%s", "true"
write = sys.stdout.write
def dump(sql, params=()):
    for row in conn.execute(sql, params).fetchall():
        write("\t".join(map(str, row)) + "\n")
cut = f" LIMIT {page}" if page else ""
joins = (" FROM task t JOIN cycle c ON c.id = t.cycle_id JOIN program g ON g.id = c.program_id"
         " JOIN body b ON b.id = t.body_id")
waiting = "t.status IN ('pending', 'returned')"
late = f"t.cycle_open = {true} AND {waiting} AND t.due_at < {p}"
if page:
    dump(f"SELECT count(*) FROM task t WHERE {late}", (now,))
dump("SELECT t.id, g.code, c.period, b.code, b.name, t.status, t.due_date, t.due_at,"
     f" t.escalation_level{joins} WHERE {late} ORDER BY t.due_at, b.code, t.id{cut}", (now,))
if command == "dashboard":
    done = "t.status IN ('submitted', 'accepted')"
    buckets = (f"SUM(CASE WHEN {done} AND t.last_on_time = {true} THEN 1 ELSE 0 END),"
               f" SUM(CASE WHEN {done} AND NOT coalesce(t.last_on_time = {true}, false)"
               " THEN 1 ELSE 0 END),"
               f" SUM(CASE WHEN {waiting} AND t.due_at >= {p} THEN 1 ELSE 0 END),"
               f" SUM(CASE WHEN {waiting} AND t.due_at < {p} THEN 1 ELSE 0 END)")
    # each open cycle's progress as the application counts it: the tasks no longer
    # pending, grouped; the pending ones are its task_count less those; its overdue ones
    cycles = conn.execute("SELECT c.id, g.code, c.period, c.task_count FROM cycle c JOIN"
                          " program g ON g.id = c.program_id WHERE c.status = 'open'"
                          " ORDER BY c.provide_due DESC, c.id").fetchall()
    for row in cycles:
        write("\t".join(map(str, row)) + "\n")
    ids = ", ".join(str(row[0]) for row in cycles)
    dump("SELECT t.cycle_id, t.status, t.last_on_time, count(*) FROM task t"
         f" WHERE t.cycle_id IN ({ids}) AND t.status IN ('submitted', 'accepted', 'returned',"
         " 'handed_over') GROUP BY t.cycle_id, t.status, t.last_on_time")
    dump(f"SELECT t.cycle_id, count(*) FROM task t WHERE {late} GROUP BY t.cycle_id", (now,))
    listed = ""
    if page:
        dump("SELECT count(*) FROM body b WHERE EXISTS (SELECT 1 FROM task t"
             " WHERE t.body_id = b.id)")
        listed = (" WHERE t.body_id IN (SELECT id FROM body ORDER BY code LIMIT"
                  f" {page})")
    dump("SELECT b.code, b.name, " + buckets + ", SUM(t.returns), SUM(t.escalations)" + joins
         + listed + " GROUP BY b.id, b.code, b.name ORDER BY b.code", (now, now))
"""


def wall_clock(argv: list[str], env: dict[str, str], *, max_repeat: int = 3) -> float:
    """Median wall-clock of a subprocess (stdout discarded); one run if it takes > 5 s."""
    samples: list[float] = []
    while len(samples) < max_repeat:
        start = time.perf_counter()
        done = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        samples.append(time.perf_counter() - start)
        if done.returncode != 0:
            command = " ".join(argv[:4])
            log(f"  warning: {command} … exited {done.returncode}: {done.stderr[-400:]!r}")
        if samples[-1] > 5:
            break
    return statistics.median(samples)


def app_cli(copy: Copy) -> dict[str, float]:
    env = subprocess_env(copy)
    return {
        "cli.dashboard": wall_clock([str(PHOIHOP), "dashboard", "--now", NOW_ISO], env),
        "cli.tasks": wall_clock(
            [str(PHOIHOP), "tasks", "list", "--overdue", "--now", NOW_ISO], env
        ),  # noqa: E501
    }


def raw_cli(backend: Backend, copy: Copy) -> dict[str, float]:
    now = _data.sql_time(NOW) if backend.name == "sqlite" else NOW.isoformat()
    env = subprocess_env(copy)
    argv = [sys.executable, "-c", RAW_CLI, backend.name, copy.target]
    page = str(cli_page())
    return {
        "cli.dashboard": wall_clock([*argv, "dashboard", now, page], env),
        "cli.tasks": wall_clock([*argv, "tasks", now, page], env),
    }


def cli_page() -> int:
    """How many rows of each list the CLI prints by default: 0 (every row) until it pages.
    The baseline prints what the command prints: the count and one page, or all rows."""
    import commands.cycles

    return int(getattr(commands.cycles, "DEFAULT_PAGE", 0))


# -- importing the organisation ----------------------------------------------------------------


def app_import(backend: Backend, csv_path: Path, scale: Scale) -> tuple[float, float]:
    """``phoihop bodies import FILE.csv`` into an empty database: wall seconds, peak RSS MB."""
    from services import db

    copy = backend.new(f"imp{scale.label}")
    try:
        activate(copy)
        db.engine()  # the schema exists before: the command's time is the import's
        dispose_engine(copy)
        errors = copy.data_dir / "import.err"
        argv = [str(PHOIHOP), "bodies", "import", str(csv_path), "--as", "bench"]
        # The child's peak RSS as the kernel counts it includes the image it was forked
        # from before exec (this benchmark: hundreds of MB). GNU time forks it from its
        # own small image and reports the child's own peak in KiB.
        peak = copy.data_dir / "import.peak"
        timer = ["/usr/bin/time", "-f", "%M", "-o", str(peak)] if TIME_BIN.exists() else []
        with errors.open("wb") as err:
            start = time.perf_counter()
            proc = subprocess.Popen(
                [*timer, *argv], env=subprocess_env(copy), stdout=subprocess.DEVNULL, stderr=err
            )
            _, status, usage = os.wait4(proc.pid, 0)
            seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        peak_mb = int(peak.read_text().split()[-1]) / 1024 if timer else usage.ru_maxrss / 1024
        if proc.returncode != 0:
            log(f"  warning: bodies import exited {proc.returncode}: {errors.read_text()[-400:]}")
        conn = backend.connect(copy)
        try:
            (n,) = conn.execute("SELECT count(*) FROM body").fetchone()
        finally:
            conn.close()
        if n != scale.bodies + 1:
            log(f"  warning: bodies import left {n} bodies, expected {scale.bodies + 1}")
        return seconds, peak_mb
    finally:
        backend.release(copy)


def raw_import(backend: Backend, csv_path: Path, scale: Scale) -> float:
    from services import db

    copy = backend.new(f"impraw{scale.label}")
    try:
        activate(copy)
        db.engine()
        dispose_engine(copy)
        sqlite = backend.name == "sqlite"
        f: Format = SQLiteFormat() if sqlite else PgFormat()
        p = "?" if sqlite else "%s"
        conn = backend.connect(copy)
        try:
            start = time.perf_counter()
            with csv_path.open(encoding="utf-8", newline="") as src:
                rows = list(csv.DictReader(src))
            at = f.ts(NOW)
            bodies = [
                (r["code"], r["name"], r["level"], r["parent"] or None, r["head_name"] or None,
                 r["head_title"] or None, r["head_email"] or None, r["focal_name"] or None,
                 r["focal_email"] or None, None, None, at)
                for r in rows
            ]  # fmt: skip
            audits = [(at, f.json({"code": r["code"]})) for r in rows]
            cur = conn if sqlite else conn.cursor()
            if sqlite:
                conn.execute("BEGIN IMMEDIATE")
            cur.executemany(
                "INSERT INTO body (code, name, level, parent_code, head_name, head_title,"
                " head_email, focal_name, focal_email, valid_from, valid_to, updated_at)"
                f" VALUES ({', '.join([p] * 12)})",
                bodies,
            )
            cur.executemany(
                "INSERT INTO auditrecord (at, actor, action, detail)"
                f" VALUES ({p}, 'bench', 'body.created', {p})",
                audits,
            )
            conn.execute("COMMIT") if sqlite else conn.commit()
            return time.perf_counter() - start
        finally:
            conn.close()
    finally:
        backend.release(copy)


# -- the web face ------------------------------------------------------------------------------


def _client_process(spec: dict[str, Any], results: Any) -> None:
    """In a child process: ``threads`` HTTP clients, each on its share of ``jobs``.

    ``kind`` is ``submit`` (POST a new version) or ``health``; the run stops after
    ``count`` requests per thread, or when ``stop_file`` appears. Puts one dict:
    per request (monotonic start, seconds, status).
    """
    import httpx

    threads, jobs = spec["threads"], spec["jobs"]
    while time.monotonic() < spec["start_at"]:
        time.sleep(0.005)

    def run(t: int) -> list[tuple[float, float, int]]:
        mine = jobs[t::threads] or jobs
        done: list[tuple[float, float, int]] = []
        stop = Path(spec["stop_file"]) if spec.get("stop_file") else None
        with httpx.Client(base_url=spec["base"], timeout=120) as client:
            n = 0
            while True:
                if spec.get("count") is not None and n >= spec["count"]:
                    break
                if stop is not None and n % 4 == 0 and stop.exists():
                    break
                tid, token = mine[n % len(mine)]
                t0 = time.monotonic()
                try:
                    if spec["kind"] == "health":
                        status = client.get("/api/health").status_code
                    else:
                        status = client.post(
                            f"/api/tasks/{tid}/submissions",
                            json={"text": REPORT + f"\n{spec['tag']} {spec['proc']}-{t}-{n}.\n"},
                            headers={"Authorization": f"Bearer {token}"},
                        ).status_code
                except httpx.HTTPError:
                    status = 0
                done.append((t0, time.monotonic() - t0, status))
                n += 1
        return done

    with ThreadPoolExecutor(threads) as pool:
        parts = list(pool.map(run, range(threads)))
    results.put([r for part in parts for r in part])


@dataclass
class Load:
    """Client processes started together; ``join`` returns every request they made."""

    procs: list[Any]
    queue: Any
    start_at: float

    def join(self) -> list[tuple[float, float, int]]:
        out: list[tuple[float, float, int]] = []
        for _ in self.procs:
            out += self.queue.get(timeout=1800)
        for p in self.procs:
            p.join(timeout=30)
        return out


def start_load(base: str, kind: str, jobs: list[tuple[int, str]], *, clients: int,
               count_each: int | None = None, stop_file: Path | None = None,
               tag: str = "") -> Load:  # fmt: skip
    """``clients`` client threads in CLIENT_PROCESSES processes, starting together."""
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    start_at = time.monotonic() + 3.0  # spawning and importing httpx take ~1 s
    per = max(1, clients // CLIENT_PROCESSES)
    procs = []
    for i in range(CLIENT_PROCESSES):
        spec = {
            "base": base, "kind": kind, "jobs": jobs[i::CLIENT_PROCESSES] or jobs,
            "threads": per, "count": count_each, "stop_file": str(stop_file) if stop_file else None,
            "start_at": start_at, "tag": tag, "proc": i,
        }  # fmt: skip
        p = ctx.Process(target=_client_process, args=(spec, queue), daemon=True)
        p.start()
        procs.append(p)
    return Load(procs, queue, start_at)


class Server:
    """What ``phoihop serve --web-workers N`` runs (deployments.web_processes), on a free
    port of loopback and pointed at ``copy``: ``workers`` uvicorn processes sharing one
    listening socket, every one of them ready before the first request."""

    def __init__(self, copy: Copy, workers: int) -> None:
        from deployments.web_processes import WebProcesses

        env = subprocess_env(copy, PHOIHOP_NOW=NOW_ISO, PHOIHOP_SECRET_KEY=SECRET_KEY)
        self.web = WebProcesses("127.0.0.1", 0, workers, env=env)
        self.web.start()  # a failed start leaves no process to skew the figures after it
        self.base = f"http://127.0.0.1:{self.web.port}"

    def stop(self) -> None:
        self.web.stop(grace=5)


TIME_BIN = Path("/usr/bin/time")
LIVE: list[subprocess.Popen[Any]] = []  # servers and sweeps to kill on the way out


def kill_group(proc: subprocess.Popen[Any]) -> None:
    """SIGTERM the process group, SIGKILL after 10 s."""
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
    if proc in LIVE:
        LIVE.remove(proc)


def login(client: Any) -> None:
    page = client.get("/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert csrf, "no CSRF token on the login page"
    done = client.post(
        "/login", data={"username": "coord", "password": PASSWORD, "csrf_token": csrf.group(1)}
    )
    assert done.status_code == 303, done.text[:300]


def timed_gets(client: Any, path: str, n: int) -> list[float]:
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        response = client.get(path)
        samples.append(time.perf_counter() - start)
        assert response.status_code == 200, (path, response.status_code)
    return samples


def throughput(base: str, kind: str, jobs: list[tuple[int, str]], total: int) -> tuple[float, int]:
    """Requests/s of ``total`` requests from SUBMITTERS clients; and the failures."""
    per = max(1, total // SUBMITTERS)
    load = start_load(base, kind, jobs, clients=SUBMITTERS, count_each=per, tag=f"tp-{time.time()}")
    done = load.join()
    ends = max(t0 + dt for t0, dt, _ in done)
    expected = 201 if kind == "submit" else 200
    return len(done) / (ends - load.start_at), sum(1 for *_, s in done if s != expected)


def measure_web(backend: Backend, template: Template, scale: Scale) -> list[Figure]:
    """Dashboard p95, page p99 during a sweep under submissions, submissions/s."""
    import httpx

    name = backend.name
    figures: list[Figure] = []
    copy = backend.copy(template.copy, f"web{scale.label}")
    workers = PG_WORKERS if name == "postgresql" else 1
    # Submitters during the sweep send the national cycle's reports (they race the sweep for
    # those tasks), from at most 2% of its bodies, so the sweep still has ~all rungs to fire.
    racing = template.tokens[: max(SUBMITTERS, scale.bodies // 50)]
    national = [(task_id(scale, 0, i), tok) for i, tok in enumerate(racing)]
    on_time = [(task_id(scale, 1, i), tok) for i, tok in enumerate(template.tokens)]
    server = Server(copy, workers)
    how = f"{workers} uvicorn process{'es' if workers > 1 else ''}"
    try:
        with httpx.Client(base_url=server.base, timeout=120) as client:
            login(client)
            timed_gets(client, "/api/health", 20)
            timed_gets(client, "/", 3)
            health = percentile(timed_gets(client, "/api/health", 200), 0.95)
            page = timed_gets(client, "/", 40)
            shown = re.search(r'data-total="(\d+)"', client.get("/").text)
            overdue = int(shown.group(1)) if shown else -1
        if overdue != scale.bodies:
            log(f"  warning: the dashboard shows {overdue} overdue, expected {scale.bodies}")
        figures.append(
            Figure("web.dashboard", f"web dashboard GET / p95 ({overdue:,} overdue; {how})",
                   name, percentile(page, 0.95), "s", health, Target(0.200))
        )  # fmt: skip

        # A sweep of B rungs (`phoihop sweep`, its own process) while 8 clients submit.
        stop = copy.data_dir / "stop-load"
        load = start_load(server.base, "submit", national, clients=SUBMITTERS, stop_file=stop,
                          tag="sweep")  # fmt: skip
        probes: list[tuple[float, float]] = []
        probing = threading.Event()

        def probe() -> None:
            with httpx.Client(base_url=server.base, timeout=120) as c:
                login(c)
                while time.monotonic() < load.start_at:
                    time.sleep(0.005)
                while not probing.is_set():
                    t0 = time.monotonic()
                    status = c.get("/").status_code
                    probes.append((t0, time.monotonic() - t0))
                    if status != 200:
                        log(f"  warning: GET / answered {status} during the sweep")

        prober = threading.Thread(target=probe, daemon=True)
        prober.start()
        while time.monotonic() < load.start_at + 1.0:
            time.sleep(0.01)
        env = subprocess_env(copy, PHOIHOP_NOW=NOW_ISO)
        sweep_start = time.monotonic()
        sweep = subprocess.Popen([str(PHOIHOP), "sweep", "--json"], env=env,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 start_new_session=True)  # fmt: skip
        LIVE.append(sweep)
        out, err = sweep.communicate()
        sweep_end = time.monotonic()
        LIVE.remove(sweep)
        stop.touch()
        done = load.join()
        probing.set()
        prober.join(timeout=120)
        fired = json.loads(out)["escalations"] if sweep.returncode == 0 else -1
        if sweep.returncode != 0:
            log(f"  warning: phoihop sweep exited {sweep.returncode}: {err[-400:]!r}")
        during = [dt for t0, dt in probes if sweep_start <= t0 <= sweep_end]
        window = sweep_end - sweep_start
        subs = [s for t0, _, s in done if sweep_start <= t0 <= sweep_end]
        failed = sum(1 for s in subs if s != 201)
        note = (f"sweep took {window:.1f} s under load and fired {fired:,}; "
                f"{len(subs) / window:.0f} submissions/s meanwhile ({failed} failed); "
                f"{len(during)} page samples")  # fmt: skip
        figures.append(
            Figure("web.page_during_sweep",
                   f"web GET / p99 during a {scale.bodies:,}-rung sweep, {SUBMITTERS} submitters",
                   name, percentile(during, 0.99) if during else None, "s", health,
                   Target(0.500), note)
        )  # fmt: skip
        log(f"  {note}")

        rate, failed = throughput(server.base, "submit", on_time, SUBMISSIONS)
        health_rate, _ = throughput(server.base, "health", on_time, SUBMISSIONS)
        target = Target(1000, at_least=True) if name == "postgresql" else Target(300, at_least=True)
        figures.append(
            Figure("web.submit", f"API submissions, {SUBMITTERS} clients ({how})", name, rate,
                   "/s", health_rate, target, f"{failed} failed of {SUBMISSIONS:,}")
        )  # fmt: skip
    finally:
        server.stop()
    if workers > 1:  # what `phoihop serve` runs by default on SQLite, or with --web-workers 1
        server = Server(copy, 1)
        try:
            rate, failed = throughput(server.base, "submit", on_time, SUBMISSIONS)
            health_rate, _ = throughput(server.base, "health", on_time, SUBMISSIONS)
            figures.append(
                Figure("web.submit_1w", f"API submissions, {SUBMITTERS} clients (1 process)",
                       name, rate, "/s", health_rate, None, f"{failed} failed of {SUBMISSIONS:,}")
            )  # fmt: skip
        finally:
            server.stop()
    backend.release(copy)
    return figures


# -- the work pool: Prefect server on PostgreSQL, process workers (--only pool) ---------------

POOL_DB = "pool"  # the database every worker is pointed at; recreated from the template per run
POOL_QUERY_SECONDS = "1"  # workers poll every second (Prefect's default is 10)
FINAL_STATES = {"COMPLETED", "FAILED", "CANCELLED", "CRASHED"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def prefect_api(url: str, path: str, body: Any = None) -> Any:
    """One call to the Prefect API (urllib: the benchmark needs no Prefect client);
    a 429/502/503 (the server busy) is asked again."""
    import urllib.error
    import urllib.request

    data = None if body is None else json.dumps(body).encode()
    for attempt in range(8):
        method = "GET" if body is None else "POST"
        headers = {"Content-Type": "application/json"}
        request = urllib.request.Request(url + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                text = response.read()
                return json.loads(text) if text else None
        except urllib.error.HTTPError as exc:
            if exc.code not in (429, 502, 503) or attempt == 7:
                raise RuntimeError(f"{path}: HTTP {exc.code} {exc.read()[:300]!r}") from None
        time.sleep(0.25 * 2**attempt)
    raise AssertionError("unreachable")


def prefect_healthy(url: str) -> bool:
    try:
        prefect_api(url, "/health")
        return True
    except (OSError, RuntimeError):
        return False


def until(check: Callable[[], Any], what: str, timeout: float = 600) -> Any:
    """Poll ``check`` (every 0.2 s) until it returns something true."""
    deadline = time.monotonic() + timeout
    while not (value := check()):
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.2)
    return value


def server_time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


class PrefectPool:
    """A Prefect server whose database is PostgreSQL (the benchmark's cluster), the work
    pool's deployments, and process workers pointed at the :data:`POOL_DB` database.

    The server's scheduler is off, so the only flow runs are the benchmark's.
    """

    def __init__(self, backend: PostgresBackend, copy: Copy) -> None:
        assert backend.cluster is not None
        self.backend, self.copy = backend, copy
        self.cluster = backend.cluster
        self.home = backend.scratch / "prefect-server"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/api"
        self.server: subprocess.Popen[Any] | None = None
        self.workers: list[subprocess.Popen[Any]] = []
        self.cluster.drop_database("prefect_bench")
        self.cluster.create_database("prefect_bench")

    def env(self, **extra: str) -> dict[str, str]:
        return subprocess_env(self.copy, PREFECT_API_URL=self.url, DO_NOT_TRACK="1",
                              PREFECT_SERVER_ANALYTICS_ENABLED="false", **extra)  # fmt: skip

    def start_server(self) -> float:
        """Start (or restart) the server; seconds until it answers /health."""
        db_url = self.cluster.url("prefect_bench").replace("+psycopg", "+asyncpg")
        env = self.env(PREFECT_HOME=str(self.home), PREFECT_API_DATABASE_CONNECTION_URL=db_url,
                       PREFECT_SERVER_SERVICES_SCHEDULER_ENABLED="false",
                       # the events carry 2024's simulated moments: past the 7-day retention,
                       # the vacuum Prefect runs at start-up would delete them on arrival
                       PREFECT_SERVER_EVENTS_RETENTION_PERIOD="P4000D")  # fmt: skip
        self.home.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        with (self.home / "server.log").open("ab") as out:
            self.server = subprocess.Popen(
                [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1",
                 "--port", str(self.port)], env=env, stdout=out, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True,
            )  # fmt: skip
        LIVE.append(self.server)
        until(lambda: prefect_healthy(self.url), "the Prefect server", 180)
        return time.perf_counter() - started

    def stop_server(self) -> None:
        if self.server is not None:
            kill_group(self.server)
            self.server = None

    def deploy(self) -> None:
        done = subprocess.run([str(PHOIHOP), "deploy", "--json"], env=self.env(),
                              capture_output=True, text=True, cwd=self.backend.scratch)  # fmt: skip
        if done.returncode:
            raise RuntimeError(f"phoihop deploy: {done.stderr[-500:]}")
        self.ids = {
            d["name"].split("/")[1]: d["id"] for d in json.loads(done.stdout)["deployments"]
        }

    def add_workers(self, total: int) -> None:
        """Start workers until ``total`` run, and wait until Prefect counts them online."""
        while len(self.workers) < total:
            n = len(self.workers) + 1
            home = self.backend.scratch / f"worker-{n}"
            home.mkdir(parents=True, exist_ok=True)
            env = self.env(PHOIHOP_DATA_DIR=str(home / "data"),
                           PREFECT_WORKER_QUERY_SECONDS=POOL_QUERY_SECONDS)  # fmt: skip
            with (home / "worker.log").open("ab") as out:
                proc = subprocess.Popen(
                    [str(PHOIHOP), "worker", "--name", f"bench-w{n}"], env=env, cwd=home,
                    stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                    start_new_session=True,
                )  # fmt: skip
            self.workers.append(proc)
            LIVE.append(proc)
        online = {"workers": {"status": {"any_": ["ONLINE"]}}}
        until(lambda: len(prefect_api(self.url, "/work_pools/phoihop/workers/filter", online))
              >= total, f"{total} workers online", 300)  # fmt: skip

    def stop_workers(self) -> None:
        for proc in self.workers:
            with contextlib.suppress(ProcessLookupError):
                proc.send_signal(signal.SIGTERM)  # the worker's own handler: finish, then stop
        for proc in self.workers:
            kill_group(proc)
        self.workers = []

    def run(self, deployment: str, parameters: dict[str, Any]) -> dict[str, Any]:
        path = f"/deployments/{self.ids[deployment]}/create_flow_run"
        return prefect_api(self.url, path, {"parameters": parameters})

    def final(self, run_id: str, timeout: float = 900) -> dict[str, Any]:
        def done() -> dict[str, Any] | None:
            run = prefect_api(self.url, f"/flow_runs/{run_id}")
            return run if run["state_type"] in FINAL_STATES else None

        return until(done, f"flow run {run_id}", timeout)

    def runs_of(self, deployment: str) -> list[dict[str, Any]]:
        body = {"flow_runs": {"deployment_id": {"any_": [self.ids[deployment]]}}, "limit": 200}
        return prefect_api(self.url, "/flow_runs/filter", body)

    def task_seconds(self, run_id: str, prefix: str) -> float:
        body = {"flow_runs": {"id": {"any_": [run_id]}}, "limit": 50}
        runs = prefect_api(self.url, "/task_runs/filter", body)
        return sum(t["total_run_time"] for t in runs if t["name"].startswith(prefix))


def fresh_pool_database(backend: PostgresBackend, template: Template) -> Copy:
    """The :data:`POOL_DB` database, a fresh copy of the template (the workers' URL)."""
    return backend.copy(template.copy, POOL_DB)


def fired_rows(backend: Backend, copy: Copy) -> dict[str, int]:
    conn = backend.connect(copy)
    try:
        one = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
        return {
            "escalations": one("SELECT count(*) FROM escalation WHERE fired_at = "
                               f"'{NOW.isoformat()}'::timestamptz"),
            "tasks": one("SELECT count(DISTINCT task_id) FROM escalation WHERE fired_at = "
                         f"'{NOW.isoformat()}'::timestamptz"),
            "messages": one("SELECT count(*) FROM notification WHERE created_at = "
                            f"'{NOW.isoformat()}'::timestamptz AND escalation_id IS NOT NULL"),
        }  # fmt: skip
    finally:
        conn.close()


def pool_sweep(pool: PrefectPool, backend: Backend, copy: Copy, shards: int,
               scale: Scale) -> tuple[float, float, str]:  # fmt: skip
    """One sweep at NOW through the pool: (wall seconds from the sweep run's creation to
    the end of its last shard, by the server's clock; seconds inside fire-due-rungs
    summed over the runs; a check line)."""
    seen = {r["id"] for r in pool.runs_of("escalation-sweep-shard")}
    parameters = {"now": NOW.isoformat(), "shards": shards}
    if shards > 1:
        parameters["shard_above"] = 0  # sharded at any size, so small scales measure it too
    parent = pool.run("escalation-sweep", parameters)
    ended = pool.final(parent["id"])
    if ended["state_type"] != "COMPLETED":
        raise RuntimeError(f"the sweep run ended {ended['state_type']}")
    runs = [ended]
    if shards > 1:

        def shards_done() -> list[dict[str, Any]] | None:
            mine = [r for r in pool.runs_of("escalation-sweep-shard") if r["id"] not in seen]
            return mine if len(mine) == shards and all(
                r["state_type"] in FINAL_STATES for r in mine) else None  # fmt: skip

        runs = until(shards_done, "the shard runs", 900)
        if {r["state_type"] for r in runs} != {"COMPLETED"}:
            raise RuntimeError(f"shard runs ended {[r['state_type'] for r in runs]}")
    wall = (max(server_time(r["end_time"]) for r in runs)
            - server_time(parent["created"])).total_seconds()  # fmt: skip
    inside = sum(pool.task_seconds(r["id"], "fire-due-rungs") for r in runs)
    rows = fired_rows(backend, copy)
    once = rows["escalations"] == rows["tasks"] == rows["messages"] == scale.bodies
    workers = Counter(r["labels"].get("prefect.worker.name") for r in runs)
    check = (f"pool sweep, {shards} shard run(s): rows {rows}, every rung once: "
             f"{'yes' if once else 'NO'}; runs per worker {dict(workers)}")  # fmt: skip
    return wall, inside, check


def pool_overhead(pool: PrefectPool, repeat: int = 5) -> tuple[float, dict[str, float]]:
    """A sweep run that fires nothing, ``repeat`` times: creation to Completed minus the
    sweep task's own time (medians, and where the rest goes)."""
    overheads, pickups, runnings = [], [], []
    for _ in range(repeat):
        created = pool.run("escalation-sweep", {"now": NOW.isoformat(), "shards": 1})
        run = pool.final(created["id"])
        if run["state_type"] != "COMPLETED":
            raise RuntimeError(f"the sweep run ended {run['state_type']}")
        total = (server_time(run["end_time"]) - server_time(created["created"])).total_seconds()
        swept = pool.task_seconds(run["id"], "fire-due-rungs")
        overheads.append(total - swept)
        pickups.append((server_time(run["start_time"]) - server_time(created["created"]))
                       .total_seconds())  # fmt: skip
        runnings.append(run["total_run_time"] - swept)
    return statistics.median(overheads), {
        "created_to_running": statistics.median(pickups),
        "running_minus_sweep": statistics.median(runnings),
    }


def pool_relay(pool: PrefectPool, backend: Backend, copy: Copy) -> tuple[float, int, str]:
    """Prefect down while a national sweep writes its audit records, then up again: how
    long until Prefect holds every one of them as an event, and whether the relay
    handed them over in order. (Seconds, events, a check line.)"""
    from deployments.pool import RELAY_MOST
    from services import relay

    conn = backend.connect(copy)
    try:  # start the watermark after the template's history, as migration 0005 does
        conn.execute("DELETE FROM eventcursor WHERE name = 'prefect'")
        conn.execute("INSERT INTO eventcursor (name, last_audit_id, updated_at) SELECT "
                     "'prefect', coalesce(max(id), 0), now() FROM auditrecord")  # fmt: skip
        conn.commit()
    finally:
        conn.close()
    pool.stop_workers()
    pool.stop_server()
    activate(copy)
    from services.escalation import sweep

    accumulated = sweep(now=NOW).escalations  # while Prefect is down: audit records pile up
    emitted: list[int] = []
    escalated = 0

    def emit(events: list[dict[str, Any]]) -> None:
        nonlocal escalated
        prefect_api(pool.url, "/events", events)  # what flows.relay POSTs
        emitted.extend(e["payload"]["audit_id"] for e in events)
        escalated += sum(e["event"] == "phoihop.task.escalated" for e in events)

    refused = "no"
    try:
        relay.relay(emit)
    except (OSError, RuntimeError):
        refused = "yes"
    behind = relay.backlog()["behind"]
    pool.start_server()
    body = {"filter": {"event": {"name": ["phoihop.task.escalated"]},
                       "occurred": {"since": "2024-07-01T00:00:00Z",
                                    "until": "2024-08-01T00:00:00Z"}}}  # fmt: skip

    def stored() -> int:
        counts = prefect_api(pool.url, "/events/count-by/event", body)
        return next((c["count"] for c in counts if c["value"] == "phoihop.task.escalated"), 0)

    # Run by run, as the relay-events deployment does (RELAY_MOST records each, the next
    # run once Prefect has stored the last), here back to back instead of every 30 s.
    started = time.perf_counter()
    runs = 0
    while relay.backlog()["behind"]:
        if not relay.relay(emit, most=RELAY_MOST).read:
            raise RuntimeError("a relay run moved nothing (a hole in the audit ids?)")
        runs += 1
        until(lambda: stored() >= escalated, f"{escalated} events stored by Prefect", 300)
    relayed = time.perf_counter() - started
    seconds = relayed
    in_order = emitted == sorted(emitted) and len(emitted) == len(set(emitted))
    check = (
        f"relay after Prefect was down: {accumulated} escalations written meanwhile, a relay "
        f"while down refused: {refused} (backlog {behind} records), relayed {len(emitted)} "
        f"events in {runs} runs of at most {RELAY_MOST:,} records, {relayed:.1f} s, Prefect "
        f"stored {stored()} escalations, in audit order and none "
        f"twice: {'yes' if in_order else 'NO'}, backlog after: {relay.backlog()['behind']}"
    )
    dispose_engine(copy)
    return seconds, len(emitted), check


def pool_figures(backend: Backend, template: Template, scale: Scale, checks: list[str]
                 ) -> list[Figure]:  # fmt: skip
    """(a) the sweep through the pool, 1 worker vs 4 shards on 4 workers; (b) a flow run's
    own overhead; (c) the relay after Prefect was down."""
    assert isinstance(backend, PostgresBackend)
    b = scale.bodies
    copy = fresh_pool_database(backend, template)
    pool = PrefectPool(backend, copy)
    try:
        log(f"  pool: Prefect server on PostgreSQL healthy in {pool.start_server():.1f} s")
        pool.deploy()
        pool.add_workers(1)
        one, one_inside, line = pool_sweep(pool, backend, copy, 1, scale)
        checks.append(line)
        log(f"  pool: 1 worker, one run: {one:.1f} s ({one_inside:.1f} s sweeping)")
        overhead, parts = pool_overhead(pool)
        log(f"  pool: flow-run overhead {overhead:.2f} s {parts}")
        copy = fresh_pool_database(backend, template)
        pool.add_workers(PG_WORKERS)
        four, four_inside, line = pool_sweep(pool, backend, copy, PG_WORKERS, scale)
        checks.append(line)
        log(f"  pool: {PG_WORKERS} workers, {PG_WORKERS} shards: {four:.1f} s "
            f"({four_inside:.1f} s sweeping, summed)")  # fmt: skip
        copy = fresh_pool_database(backend, template)
        relay_s, events, line = pool_relay(pool, backend, copy)
        checks.append(line)
        log(f"  pool: {line}")
    finally:
        pool.stop_workers()
        pool.stop_server()
        backend.release(copy)
    note = (
        f"workers poll every {POOL_QUERY_SECONDS} s (Prefect's default 10 s adds ~5 s on "
        "average); Prefect's scheduler off; server timestamps, creation to last end"
    )
    return [
        Figure("pool.sweep_1w", f"pool sweep, 1 worker, one run: {b:,} rungs of "
               f"{scale.tasks:,}", backend.name, one, "s", None, None,
               f"{one_inside:.1f} s of it in fire-due-rungs; " + note),
        Figure("pool.sweep_4w", f"pool sweep, {PG_WORKERS} workers × 1 shard each", backend.name,
               four, "s", one, None, f"{four_inside:.1f} s in fire-due-rungs, summed"),
        Figure("pool.speedup", f"{PG_WORKERS} workers vs 1 worker (wall)", backend.name,
               one / four if four else None, "×", None, Target(2.5, at_least=True),
               f"{os.cpu_count()} cores for PostgreSQL, Prefect, {PG_WORKERS} workers and "
               "their flow runs"),
        Figure("pool.overhead", "flow-run overhead, sweep firing nothing (median of 5)",
               backend.name, overhead, "s", None, Target(1.0),
               f"creation→Running {parts['created_to_running']:.2f} s, Running minus sweep "
               f"{parts['running_minus_sweep']:.2f} s; {note}"),
        Figure("pool.relay", f"relay after Prefect was down: {events:,} events stored",
               backend.name, relay_s, "s", None, None,
               "Prefect stopped while a national sweep wrote its records, then started"),
    ]  # fmt: skip


# -- one backend at one scale ----------------------------------------------------------------


@dataclass
class Options:
    parts: set[str]
    repeat: int
    profile: Path | None


def guarded(backend: str, keys: list[str], part: Callable[[], list[Figure]]) -> list[Figure]:
    """Run one part; if it breaks (the code under test changes while this runs), report the
    part's figures as not measured and go on with the next part."""
    try:
        return part()
    except Exception as exc:  # a benchmark reports; one broken part must not lose the rest
        import traceback

        traceback.print_exc(file=sys.stderr)
        log(f"  {backend}: part failed: {type(exc).__name__}: {exc}")
        reason = f"not measured: {type(exc).__name__}: {str(exc)[:160]}"
        return [Figure(k, k, backend, None, "s", note=reason) for k in keys]


def core_figures(backend: Backend, template: Template, scale: Scale, opts: Options, facts: Facts,
                 checks: list[str]) -> list[Figure]:  # fmt: skip
    """The sweeps, opening a cycle and the CLI: the application on fresh copies of the
    template, then the baselines on other fresh copies."""
    name = backend.name
    tag = f"{name}-{scale.label}"
    b = scale.bodies
    figures: list[Figure] = []
    # The application on one fresh copy ...
    firsts = []
    for n in range(opts.repeat):
        app = backend.copy(template.copy, f"app{scale.label}{n}")
        before = table_counts(backend, app)
        firsts.append(app_first_sweep(backend, app, scale, opts.profile if n == 0 else None))
        app_rows = delta(before, table_counts(backend, app))
        if n < opts.repeat - 1:
            backend.release(app)
    second = app_second_sweep(app)
    log(f"  app sweep: first {firsts} s, second {second * 1000:.1f} ms; rows {app_rows}")
    app_open = app_open_cycles(app, scale, 3, opts.profile, tag) if "open" in opts.parts else None  # noqa: E501
    if app_open is not None:
        checks.append(storage_check(backend, app, scale))
    app_cli_s = app_cli(app) if "cli" in opts.parts else {}
    backend.release(app)
    # ... and the baselines on another.
    raw_firsts = []
    for n in range(opts.repeat):
        raw = backend.copy(template.copy, f"raw{scale.label}{n}")
        before = table_counts(backend, raw)
        conn = backend.connect(raw)
        start = time.perf_counter()
        try:
            (raw_sweep_sqlite if name == "sqlite" else raw_sweep_pg)(conn, facts)
            raw_firsts.append(time.perf_counter() - start)
        finally:
            conn.close()
        raw_rows = delta(before, table_counts(backend, raw))
        if n < opts.repeat - 1:
            backend.release(raw)
    raw_first = statistics.median(raw_firsts)
    checks.append(
        f"sweep rows written: app {app_rows}, baseline {raw_rows}"
        + ("" if app_rows == raw_rows else "  <-- DIFFER")
    )
    raw_open = raw_open_cycles(backend, raw, 3) if "open" in opts.parts else None
    raw_cli_s = raw_cli(backend, raw) if "cli" in opts.parts else {}
    backend.release(raw)
    sweep_target = Target(2.0, ratio=3.0) if name == "postgresql" else Target(2.0)
    figures += [
        Figure("sweep.first", f"first sweep: {b:,} rungs due of {scale.tasks:,} open", name,
               statistics.median(firsts), "s", raw_first, sweep_target,
               f"medians of {len(firsts)}, each on a fresh copy" if len(firsts) > 1 else ""),
        Figure("sweep.second", f"second sweep, same moment (fires 0), {scale.tasks:,} tasks",
               name, second, "s", None, Target(0.050), "median of 5"),
    ]  # fmt: skip
    if app_open is not None:
        figures.append(
            Figure("open.cycle", f"open a cycle of {b:,} bodies", name, app_open, "s",
                   raw_open, Target(2.0, ratio=3.0), "median of 3")
        )  # fmt: skip
    if app_cli_s:
        figures += [
            Figure("cli.dashboard", f"phoihop dashboard ({b:,} overdue of {scale.tasks:,})",
                   name, app_cli_s["cli.dashboard"], "s", raw_cli_s["cli.dashboard"],
                   Target(1.0)),
            Figure("cli.tasks", "phoihop tasks list --overdue", name, app_cli_s["cli.tasks"],
                   "s", raw_cli_s["cli.tasks"], Target(1.0)),
        ]  # fmt: skip
    return figures


def import_figures(backend: Backend, scale: Scale, scratch: Path) -> list[Figure]:
    """``phoihop bodies import`` of the organisation's CSV, and its baseline."""
    name = backend.name
    b = scale.bodies
    figures: list[Figure] = []
    csv_path = scratch / f"bodies-{scale.label}.csv"
    if not csv_path.exists():
        write_csv(organisation(b), csv_path)
    log(f"  phoihop bodies import ({b + 1:,} bodies) …")
    seconds, rss = app_import(backend, csv_path, scale)
    raw_seconds = raw_import(backend, csv_path, scale)
    figures += [
        Figure("import.wall", f"phoihop bodies import, {b + 1:,} bodies (wall)", name,
               seconds, "s", raw_seconds, Target(10.0)),
        Figure("import.rss", "phoihop bodies import, peak RSS", name, rss, "MB", None,
               Target(300.0)),
    ]  # fmt: skip
    log(f"  import: {seconds:.1f} s, {rss:.0f} MB (baseline {raw_seconds:.2f} s)")
    return figures


def run_backend(backend: Backend, scale: Scale, opts: Options, scratch: Path) -> list[Figure]:
    name = backend.name
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    log(f"{name}: {scale.tasks:,} tasks ({scale.cycles} cycles × {scale.bodies:,} bodies); "
        f"load average {load}")  # fmt: skip
    RUN_CHECKS.setdefault(scale.label, {})[name] = [f"load average at start: {load}"]
    facts = scenario_facts()
    template = build_template(backend, scale)
    checks: list[str] = []
    figures: list[Figure] = []
    if opts.parts & {"sweep", "open", "cli"}:
        keys = ["sweep.first", "sweep.second", "open.cycle", "cli.dashboard", "cli.tasks"]
        figures += guarded(
            name, keys, lambda: core_figures(backend, template, scale, opts, facts, checks)
        )
    if "import" in opts.parts:
        figures += guarded(name, ["import.wall", "import.rss"],
                           lambda: import_figures(backend, scale, scratch))  # fmt: skip
    if "web" in opts.parts:
        log("  web …")
        figures += guarded(name, ["web.dashboard", "web.page_during_sweep", "web.submit"],
                           lambda: measure_web(backend, template, scale))  # fmt: skip
    if "pool" in opts.parts and name == "postgresql":
        log("  pool (Prefect server on PostgreSQL, process workers) …")
        keys = ["pool.sweep_1w", "pool.sweep_4w", "pool.speedup", "pool.overhead", "pool.relay"]
        figures += guarded(name, keys, lambda: pool_figures(backend, template, scale, checks))
    backend.release(template.copy)
    for line in checks:
        log(f"  check: {line}")
    RUN_CHECKS[scale.label][name] += checks
    return figures


RUN_CHECKS: dict[str, dict[str, list[str]]] = {}  # scale -> backend -> fairness checks
ORDER = ["sweep.first", "sweep.second", "open.cycle", "import.wall", "import.rss",
         "cli.dashboard", "cli.tasks", "web.dashboard", "web.page_during_sweep", "web.submit",
         "web.submit_1w", "pool.sweep_1w", "pool.sweep_4w", "pool.speedup", "pool.overhead",
         "pool.relay"]  # fmt: skip


# -- output ---------------------------------------------------------------------------------


def print_table(title: str, figures: Sequence[Figure], out: Any) -> None:
    rows = [
        (f.what, f.backend, fmt_value(f.value, f.unit), fmt_value(f.baseline, f.unit),
         f.target.text(f.unit) if f.target else "—", f.verdict)
        for f in figures
    ]  # fmt: skip
    header = ("what", "backend", "measured", "baseline", "target", "verdict")
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    print(f"\n{title}", file=out)
    line = "  ".join(h.ljust(w) if i in (0, 1, 4) else h.rjust(w)
                     for i, (h, w) in enumerate(zip(header, widths, strict=True)))  # fmt: skip
    print(line, file=out)
    print("-" * len(line), file=out)
    for r in rows:
        cells = zip(r, widths, strict=True)
        print("  ".join(str(c).ljust(w) if i in (0, 1, 4) else str(c).rjust(w)
                        for i, (c, w) in enumerate(cells)), file=out)  # fmt: skip
    notes = [f"  {f.backend} {f.key}: {f.note}" for f in figures if f.note]
    if notes:
        print("about these figures:", *notes, sep="\n", file=out)


def growth(runs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each figure at every scale, and the factor from one scale to the next."""
    keyed: dict[tuple[str, str], dict[str, Any]] = {}
    for run in runs:
        for f in run["figures"]:
            fresh = {"key": f.key, "backend": f.backend, "unit": f.unit, "values": {}}
            entry = keyed.setdefault((f.key, f.backend), fresh)
            entry["values"][run["tasks"]] = f.value
    result = []
    for entry in keyed.values():
        values = entry["values"]
        sizes = sorted(values)
        entry["factors"] = {
            f"{a}->{b}": (values[b] / values[a] if values[a] and values[b] else None)
            for a, b in zip(sizes, sizes[1:], strict=False)
        }
        entry["values"] = {str(k): v for k, v in values.items()}
        result.append(entry)
    return result


def print_growth(rows: list[dict[str, Any]], sizes: list[int], out: Any) -> None:
    print("\ngrowth with the number of open tasks (B = tasks/20 bodies; the national cycle, "
          "the overdue list and the import grow with B)", file=out)  # fmt: skip
    heads = [f"{n // 1000}k" if n < 1_000_000 else f"{n // 1_000_000}M" for n in sizes]
    factors = [f"×{a}→{b}" for a, b in zip(heads, heads[1:], strict=False)]
    print(f"{'figure':<22} {'backend':<11} " + " ".join(f"{h:>10}" for h in heads + factors),
          file=out)  # fmt: skip
    for r in rows:
        vals = [fmt_value(r["values"].get(str(n)), r["unit"]) for n in sizes]
        facs = [r["factors"].get(f"{a}->{b}") for a, b in zip(sizes, sizes[1:], strict=False)]
        shown = [f"{x:.1f}" if x is not None else "—" for x in facs]
        print(f"{r['key']:<22} {r['backend']:<11} " + " ".join(f"{v:>10}" for v in vals + shown),
              file=out)  # fmt: skip


def machine() -> dict[str, Any]:
    import sqlalchemy

    return {
        "cpus": os.cpu_count(),
        "load_average_at_end": os.getloadavg(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "sqlalchemy": sqlalchemy.__version__,
        "platform": platform.platform(),
    }


def code_under_test() -> dict[str, Any]:
    """The commit measured, and the application files changed on top of it: the figures
    belong to that working tree, which other work may be changing."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=_data.REPO, capture_output=True, text=True)
        return done.stdout.rstrip("\n") if done.returncode == 0 else ""

    changed = [
        line[3:]
        for line in git("status", "--porcelain", "--", *APP_DIRS).splitlines()
        if line.strip()
    ]
    return {"commit": git("rev-parse", "--short", "HEAD") or "unknown", "uncommitted": changed}


APP_DIRS = ("services", "web", "models", "commands", "rules", "migrations", "cli.py")


def pg_setting(text: str) -> tuple[str, str]:
    """``--pg-set``'s value: ``KEY=VALUE``, both non-empty."""
    key, _, value = text.partition("=")
    if not (key.strip() and value.strip()):
        raise argparse.ArgumentTypeError(f"KEY=VALUE, not {text!r}")
    return key.strip(), value.strip()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--tasks", type=int, default=FULL_TASKS, help="open tasks (default 1M)")
    parser.add_argument("--bodies", type=int, help="bodies per cycle (default tasks/20, ≤ 50,000)")
    parser.add_argument("--quick", action="store_true", help="100,000 tasks: a fast check")
    parser.add_argument("--scale", action="store_true", help="10k, 100k and 1M, and the growth")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.add_argument("--repeat", type=int, default=1, help="first sweeps, each on a fresh copy")
    parser.add_argument("--pg-set", action="append", default=[], type=pg_setting,
                        metavar="KEY=VALUE", help="a PostgreSQL setting (repeatable)")  # fmt: skip
    parser.add_argument(
        "--only",
        default="sweep,open,cli,import,web",
        help="comma-separated parts: sweep,open,cli,import,web, and pool "
        "(PostgreSQL only, not by default: a Prefect server and workers)",
    )
    parser.add_argument("--profile", type=Path, metavar="DIR",
                        help="cProfile the in-process sweep and open_cycle into DIR")  # fmt: skip
    args = parser.parse_args(argv)
    sizes = list(SCALES) if args.scale else [100_000 if args.quick else args.tasks]
    parts = {p.strip() for p in args.only.split(",") if p.strip()}
    opts = Options(parts, max(1, args.repeat), args.profile)

    for table in COLUMNS:
        layout(table)  # refuses a schema it cannot fill, before anything starts
    scratch = Path(tempfile.mkdtemp(prefix="phoihop-bench-national-"))
    for key in ("PHOIHOP_DATABASE_URL", "PREFECT_API_URL", "PHOIHOP_NOW", "PHOIHOP_SMTP_HOST"):
        os.environ.pop(key, None)
    os.environ["PHOIHOP_DATA_DIR"] = str(scratch / "unused")  # never the user's data
    names = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    backends: list[Backend] = []
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # finally-blocks clean up
    runs: list[dict[str, Any]] = []
    out = sys.stderr if args.json else sys.stdout
    try:
        for n in names:
            if n == "postgresql" and _pg.binaries() is None:
                log("PostgreSQL binaries not found: skipping postgresql")
                continue
            backend: Backend = (
                SQLiteBackend(scratch)
                if n == "sqlite"
                else PostgresBackend(scratch, dict(args.pg_set))
            )
            backend.start()
            backends.append(backend)
        for size in sizes:
            scale = scale_for(size, args.bodies)
            figures: list[Figure] = []
            started = time.perf_counter()
            for backend in backends:
                figures += run_backend(backend, scale, opts, scratch)
            figures.sort(key=lambda f: (ORDER.index(f.key), names.index(f.backend)))
            runs.append({"tasks": scale.tasks, "bodies": scale.bodies, "cycles": scale.cycles,
                         "seconds": time.perf_counter() - started, "figures": figures})  # fmt: skip
            print_table(
                f"phoihop at national scale: {scale.tasks:,} open tasks, {scale.cycles} cycles × "
                f"{scale.bodies:,} bodies, now {NOW_ISO} (targets are for 1M / 50,000)",
                figures,
                out,
            )
    finally:
        for proc in list(LIVE):
            kill_group(proc)
        for backend in backends:
            backend.stop()
        shutil.rmtree(scratch, ignore_errors=True)
    notes = [b.note() for b in backends]
    notes.append(
        "web: uvicorn serving web.app:create_app on 127.0.0.1; clients are httpx in "
        f"{CLIENT_PROCESSES} processes on the same 2-core machine (they compete with the server)"
    )
    if any(b.name == "postgresql" for b in backends):
        notes.append(
            f"web on PostgreSQL: {PG_WORKERS} uvicorn processes sharing one listening socket, "
            f"as `phoihop serve --web-workers {PG_WORKERS}` runs them (deployments.web_processes; "
            "not uvicorn's own --workers, which leaves TCP_NODELAY off and adds ~44 ms per "
            "keep-alive request, Kludex/uvicorn#3149); web.submit_1w is the same with 1 process"
        )
    code = code_under_test()
    changed = ", ".join(code["uncommitted"]) or "none"
    notes.append(f"code under test: commit {code['commit']}, uncommitted changes: {changed}")
    print("\nbaselines:", file=out)
    for key, text in BASELINES.items():
        print(f"  {key}: {text}", file=out)
    print("notes:", *[f"  {n}" for n in notes], sep="\n", file=out)
    for label, per in RUN_CHECKS.items():
        for name, lines in per.items():
            for line in lines:
                print(f"check {label} {name}: {line}", file=out)
    grown = growth(runs) if len(runs) > 1 else []
    if grown:
        print_growth(grown, [r["tasks"] for r in runs], out)
    if args.json:
        document = {
            "benchmark": "bench_national",
            "now": NOW.isoformat(),
            "machine": machine(),
            "code": code,
            "notes": notes,
            "baselines": BASELINES,
            "checks": RUN_CHECKS,
            "runs": [r | {"figures": [f.as_dict() for f in r["figures"]]} for r in runs],
            "growth": grown,
        }
        print(json.dumps(document, ensure_ascii=False, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
