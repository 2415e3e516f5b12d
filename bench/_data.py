"""Shared helpers for the benchmarks: a fresh data directory, synthetic data, timing, tables.

Nothing here imports ``services`` or ``models`` at module level: a benchmark
must call :func:`fresh_data_dir` first, so the application sees the temporary
database when it is first imported and creates its engine.

Data is built two ways:

- through the application (``import_bodies``, ``add_program``), for the
  reference data a cycle is opened from — slow but exactly what a user does;
- with bulk SQLAlchemy Core ``insert(Cycle)`` / ``insert(Task)`` for the large
  task tables, with the same column values ``open_cycle`` writes (status,
  due date, due instant from the calendar, counters at zero, the ladder state:
  ``rungs_done`` 0 and ``next_rung_at`` the first rung's moment), so the rows
  are valid for the application while costing seconds instead of minutes.
"""

from __future__ import annotations

import atexit
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
PROGRAM = "BENCH"
COORDINATOR = "COORD"

if str(REPO) not in sys.path:  # `python bench/x.py` puts bench/ first, not the repo
    sys.path.insert(0, str(REPO))


# -- environment ---------------------------------------------------------------------


def fresh_data_dir(prefix: str = "phoihop-bench-") -> Path:
    """Point phoihop at a new empty data directory (SQLite, in-process, no Prefect API).

    The directory is removed when the benchmark exits, unless PHOIHOP_BENCH_KEEP is set.
    """
    directory = Path(tempfile.mkdtemp(prefix=prefix))
    if not os.environ.get("PHOIHOP_BENCH_KEEP"):  # set it to keep the database for a look
        atexit.register(shutil.rmtree, directory, ignore_errors=True)
    use_data_dir(directory)
    return directory


def use_data_dir(directory: Path) -> None:
    """Make ``directory`` the data directory the application reads from now on."""
    os.environ["PHOIHOP_DATA_DIR"] = str(directory)
    for key in ("PHOIHOP_DATABASE_URL", "PREFECT_API_URL", "PHOIHOP_NOW", "PHOIHOP_SMTP_HOST"):
        os.environ.pop(key, None)


def db_path() -> Path:
    """The SQLite file of the current data directory."""
    return Path(os.environ["PHOIHOP_DATA_DIR"]) / "phoihop.db"


def local(text: str) -> datetime:
    """An aware UTC datetime from a local (Asia/Ho_Chi_Minh) ISO date-time."""
    return datetime.fromisoformat(text).replace(tzinfo=VN_TZ).astimezone(UTC)


# -- reference data through the application --------------------------------------------


def body_code(i: int) -> str:
    return f"B{i:05d}"


def body_specs(n: int) -> list[Any]:
    """``n`` reporting bodies (communes under one province) plus the coordinator."""
    from rules.specs import BodySpec

    specs = [
        BodySpec(
            code=COORDINATOR,
            name="Ban Tuyên giáo Tỉnh ủy",
            level="province",
            head_name="Trưởng ban",
            head_email="truongban@coord.example",
            focal_name="Chuyên viên tổng hợp",
            focal_email="focal@coord.example",
        )
    ]
    specs.extend(
        BodySpec(
            code=body_code(i),
            name=f"Ủy ban nhân dân xã số {i}",
            level="commune",
            parent=COORDINATOR,
            head_name=f"Chủ tịch xã {i}",
            head_email=f"head{i}@xa.example",
            focal_name=f"Văn phòng xã {i}",
            focal_email=f"focal{i}@xa.example",
        )
        for i in range(n)
    )
    return specs


def program_spec(n: int) -> Any:
    """A semi-annual program in which all ``n`` bodies report (default escalation ladder)."""
    from rules.specs import ProgramSpec

    return ProgramSpec.model_validate(
        {
            "code": PROGRAM,
            "title": "Báo cáo kết quả thực hiện Quy chế phối hợp (benchmark)",
            "legal_basis": "Quyết định số 238-QĐ/TW",
            "coordinator": COORDINATOR,
            "bodies": [body_code(i) for i in range(n)],
            "period": "half",
            "working_days": {"provide": 7, "review": 3, "synthesis": 2},
            "outline": [
                {"code": "I", "title": "Kết quả thực hiện"},
                {"code": "II", "title": "Nhiệm vụ thời gian tới"},
            ],
            "leadership": {"name": "Thường trực Tỉnh ủy", "email": "tt@tinhuy.example"},
        }
    )


def register_org(n: int) -> None:
    """Register ``n`` bodies and the benchmark program, as a coordinator would (not timed)."""
    from services.registry import add_program, import_bodies

    now = local("2024-01-02T08:00")
    import_bodies(body_specs(n), now=now, actor="bench")
    add_program(program_spec(n), now=now, actor="bench")


# -- bulk cycles and tasks ----------------------------------------------------------------


@dataclass(frozen=True)
class CyclePlan:
    """One cycle to bulk-insert: its period, status and each body's task state."""

    period: str  # "2024-H1"
    status: str  # open | synthesized
    provide_due: date
    tasks: Sequence[tuple[str, date]]  # per body, in body order: (task status, due date)


def half_periods(count: int, last_year: int = 2024) -> list[str]:
    """``count`` consecutive half-year specs ending with ``{last_year}-H2``, oldest first."""
    halves = [(y, h) for y in range(last_year - count, last_year + 1) for h in (1, 2)]
    return [f"{y}-H{h}" for y, h in halves[-count:]]


def insert_cycles(plans: Iterable[CyclePlan], *, opened_at: datetime) -> int:
    """Bulk-insert cycles and their tasks for the benchmark program; returns tasks written.

    Column values follow ``open_cycle`` (due instant from the calendar, counters
    at zero, ``rungs_done`` 0 and ``next_rung_at`` the moment of the ladder's
    first rung, as ``services.escalation.first_rung_at`` computes it: the state
    of a task no sweep has touched yet); a task in ``submitted``/``accepted``
    state gets one version, an on-time flag and no next rung, as ``submit``
    would leave it. Tasks of a cycle that is not open get ``cycle_open`` False
    and no next rung, as synthesis leaves them: without that the sweep would
    urge closed cycles and the overdue lists would show them.
    """
    from sqlalchemy import insert, select
    from sqlmodel import Session

    from models import Body, Cycle, Program, ProgramBody, Task
    from rules.escalation import Policy
    from rules.periods import CutoffRule, parse_period
    from services import db, versions
    from services.calendars import load_calendar

    calendar = load_calendar()
    written = 0
    with db.engine().begin() as conn:
        program = conn.execute(select(Program).where(Program.code == PROGRAM)).one()
        # The version open_cycle would open them under: its terms.
        terms = versions.latest(Session(bind=conn), program.id)
        body_ids = conn.scalars(
            select(Body.id)
            .join(ProgramBody, ProgramBody.body_id == Body.id)
            .where(ProgramBody.program_id == program.id)
            .order_by(ProgramBody.position)
        ).all()
        for plan in plans:
            period = parse_period(plan.period)
            review_due = calendar.due_date(plan.provide_due, terms.review_working_days)
            cutoff_start, cutoff_end = period.cutoff(CutoffRule(terms.cutoff_start_day))
            cycle_id = conn.execute(
                insert(Cycle).returning(Cycle.id),
                {
                    "program_id": program.id,
                    "program_version_id": terms.id,
                    "period": period.spec,
                    "period_label": period.label_vi,
                    "cutoff_start": cutoff_start,
                    "cutoff_end": cutoff_end,
                    "letter_no": f"{plan.period}-CV/BENCH",
                    "letter_date": plan.provide_due,
                    "opened_at": opened_at,
                    "provide_due": plan.provide_due,
                    "review_due": review_due,
                    "synthesis_due": calendar.due_date(review_due, 2),
                    "status": plan.status,
                    "task_count": len(plan.tasks),
                },
            ).scalar_one()
            policy = Policy.from_data(terms.escalation)
            cycle_open = plan.status == "open"
            deadlines: dict[date, tuple[datetime, datetime | None]] = {}
            rows = []
            for body_id, (status, due) in zip(body_ids, plan.tasks, strict=True):
                if due not in deadlines:
                    deadlines[due] = (calendar.deadline_of(due), policy.next_at(due, 0, calendar))
                due_at, first_rung = deadlines[due]
                done = status in ("submitted", "accepted")
                waiting = cycle_open and status in ("pending", "returned")
                rows.append(
                    {
                        "cycle_id": cycle_id,
                        "body_id": body_id,
                        "status": status,
                        "due_date": due,
                        "due_at": due_at,
                        "ladder_epoch": 0,
                        "rungs_done": 0,
                        "next_rung_at": first_rung if waiting else None,
                        "escalation_level": 0,
                        "escalations": 0,
                        "cycle_open": cycle_open,
                        "versions": 1 if done else 0,
                        "returns": 0,
                        "last_submitted_at": due_at if done else None,
                        "last_on_time": True if done else None,
                        "accepted_at": due_at if status == "accepted" else None,
                    }
                )
            conn.execute(insert(Task), rows)
            written += len(rows)
    return written


def has_column(table: str, column: str) -> bool:
    """Whether the models' ``table`` has ``column`` (the schema changes while the raw-SQL
    baselines must keep writing exactly what the application writes)."""
    from sqlmodel import SQLModel

    import models  # noqa: F401  (registers the tables)

    return column in SQLModel.metadata.tables[table].columns


# -- raw sqlite3 ---------------------------------------------------------------------------


def raw_connect(path: Path | None = None) -> sqlite3.Connection:
    """A plain sqlite3 connection with the application's pragmas (WAL, synchronous=NORMAL)."""
    conn = sqlite3.connect(path or db_path(), isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA synchronous=NORMAL")
    return conn


def sql_time(moment: datetime) -> str:
    """A UTC instant as SQLAlchemy stores it in SQLite (naive, microseconds)."""
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


def copy_database(source: Path, directory: Path) -> None:
    """Copy a SQLite database (WAL included) into ``directory/phoihop.db``."""
    directory.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(source)
    dst = sqlite3.connect(directory / "phoihop.db")
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


# -- timing and reporting ------------------------------------------------------------------


@dataclass(frozen=True)
class Timing:
    samples: list[float]  # seconds

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def best(self) -> float:
        return min(self.samples)


def measure(
    run: Callable[[], Any], *, repeat: int = 5, setup: Callable[[], Any] | None = None
) -> Timing:
    """Time ``run`` ``repeat`` times (``time.perf_counter``); ``setup`` runs untimed before each."""
    samples = []
    for _ in range(repeat):
        if setup is not None:
            setup()
        start = time.perf_counter()
        run()
        samples.append(time.perf_counter() - start)
    return Timing(samples)


@dataclass(frozen=True)
class Row:
    """One line of a benchmark's table; ``target`` in seconds, None for information only."""

    what: str
    timing: Timing
    target: float | None = None

    @property
    def verdict(self) -> str:
        if self.target is None:
            return "info"
        return "PASS" if self.timing.median < self.target else "FAIL"


def fmt_seconds(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def print_table(title: str, rows: Sequence[Row]) -> None:
    """Print (what, median, min, target, verdict); a miss is reported, never raised."""
    width = max(len(r.what) for r in rows)
    print(f"\n{title}")
    header = f"{'what':<{width}}  {'median':>10}  {'min':>10}  {'target':>10}  verdict"
    print(header)
    print("-" * len(header))
    for r in rows:
        target = f"< {fmt_seconds(r.target)}" if r.target is not None else "—"
        print(
            f"{r.what:<{width}}  {fmt_seconds(r.timing.median):>10}  "
            f"{fmt_seconds(r.timing.best):>10}  {target:>10}  {r.verdict}"
        )
