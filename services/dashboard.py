"""What leaders watch: tasks and overdue items, cycle progress in four buckets,
compliance by body, and each task's history.

Read-only and plain SQL through SQLAlchemy Core: these queries run on every
dashboard refresh, over hundreds of thousands of tasks. Every function takes an
optional ``scope`` — a SQL condition on the task rows a reader may see — so the
CLI (which sees everything) and the web (which sees what a role allows) ask the
same questions of the same code. Lists are paginated by ``limit``/``offset``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, and_, case, func, select
from sqlalchemy.sql import ColumnElement

from models import Body, Cycle, Escalation, Program, Task
from rules.tasks import DONE, OPEN, Buckets, bucket_of
from rules.timezone import days_late
from services import db

T, C, P, B = (m.__table__.c for m in (Task, Cycle, Program, Body))
TASKS = (
    Task.__table__.join(Cycle.__table__, C.id == T.cycle_id)
    .join(Program.__table__, P.id == C.program_id)
    .join(Body.__table__, B.id == T.body_id)
)
_OPEN = [s.value for s in OPEN]
_DONE = [s.value for s in DONE]

Scope = ColumnElement[bool] | None


@dataclass(frozen=True)
class Page:
    """One page of rows and the total they were cut from."""

    rows: list[dict[str, Any]]
    total: int
    limit: int | None
    offset: int

    def as_dict(self) -> dict[str, Any]:
        return {"items": self.rows, "total": self.total, "limit": self.limit, "offset": self.offset}


def _scoped(query: Any, scope: Scope) -> Any:
    return query if scope is None else query.where(scope)


def bucket_columns(now: datetime) -> list[ColumnElement[Any]]:
    """SUM(CASE …) columns counting the four buckets at ``now``."""
    done = T.status.in_(_DONE)
    waiting = T.status.in_(_OPEN)

    def count(cond: ColumnElement[bool], name: str) -> ColumnElement[Any]:
        return func.coalesce(func.sum(case((cond, 1), else_=0)), 0).cast(Integer).label(name)

    return [
        count(and_(done, T.last_on_time.is_(True)), "done_on_time"),
        count(and_(done, T.last_on_time.isnot(True)), "done_late"),
        count(and_(waiting, T.due_at >= now), "pending"),
        count(and_(waiting, T.due_at < now), "overdue"),
    ]


def buckets_dict(buckets: Buckets) -> dict[str, Any]:
    rate = buckets.on_time_rate
    return {
        "done_on_time": buckets.done_on_time,
        "done_late": buckets.done_late,
        "pending": buckets.pending,
        "overdue": buckets.overdue,
        "total": buckets.total,
        "on_time_rate": None if rate is None else round(rate, 4),
    }


def overdue_condition(now: datetime) -> ColumnElement[bool]:
    """Waiting on the body, past the deadline, in a cycle still open: one range of
    ``ix_task_waiting_due`` (tasks of closed cycles are outside it)."""
    return and_(T.cycle_open.is_(True), T.status.in_(_OPEN), T.due_at < now)


TASK_COLUMNS = (
    T.id, T.cycle_id, P.code.label("program"), C.period, C.period_label,
    C.status.label("cycle_status"), B.code.label("body"), B.name.label("body_name"), T.status,
    T.due_date, T.due_at, T.escalation_level, T.versions, T.returns, T.last_submitted_at,
    T.last_on_time,
)  # fmt: skip


def task_row(r: Any, now: datetime) -> dict[str, Any]:
    """One row of :data:`TASK_COLUMNS` (extra trailing columns ignored) as JSON-ready data.

    Unpacked by position: named access on SQLAlchemy rows costs more than the
    rest of this function on a dashboard of thousands of rows.
    """
    (task_id, cycle_id, program, period, period_label, cycle_status, body, body_name, status,
     due_date, due_at, level, versions, returns, submitted_at, on_time, *_) = r  # fmt: skip
    bucket = bucket_of(status, on_time, due_at, now)
    return {
        "task": task_id,
        "cycle_id": cycle_id,
        "cycle": f"{program}/{period}",
        "period_label": period_label,
        "cycle_status": cycle_status,
        "body": body,
        "body_name": body_name,
        "status": status,
        "due_date": due_date,
        "days_overdue": days_late(due_at, now) if bucket == "overdue" else 0,
        "escalation_level": level,
        "versions": versions,
        "returns": returns,
        "last_submitted_at": submitted_at,
        "bucket": bucket,
    }


def tasks_page(
    now: datetime,
    *,
    scope: Scope = None,
    cycle_id: int | None = None,
    body: str | None = None,
    status: str | None = None,
    overdue_only: bool = False,
    limit: int | None = None,
    offset: int = 0,
) -> Page:
    """Tasks with their bucket, filtered; earliest deadline (most overdue) first."""
    conditions: list[ColumnElement[bool]] = []
    if cycle_id is not None:
        conditions.append(T.cycle_id == cycle_id)
    if body:
        conditions.append(B.code == body)
    if status:
        conditions.append(T.status == status)
    if overdue_only:
        conditions.append(overdue_condition(now))
    rows_query = _scoped(select(*TASK_COLUMNS).select_from(TASKS), scope).where(*conditions)
    count_query = _scoped(select(func.count()).select_from(TASKS), scope).where(*conditions)
    rows_query = rows_query.order_by(T.due_at, B.code, T.id).offset(offset)
    if limit is not None:
        rows_query = rows_query.limit(limit)
    with db.reading() as session:
        conn = session.connection()
        rows = conn.execute(rows_query).all()
        total = conn.execute(count_query).scalar_one() if limit is not None else len(rows)
    return Page([task_row(r, now) for r in rows], total, limit, offset)


def overdue(
    now: datetime, *, scope: Scope = None, body: str | None = None, limit: int | None = None,
    offset: int = 0,
) -> Page:  # fmt: skip
    """The dashboard's first list: overdue tasks of open cycles, most overdue first."""
    return tasks_page(now, scope=scope, body=body, overdue_only=True, limit=limit, offset=offset)


def list_tasks(
    now: datetime,
    *,
    cycle: str | None = None,
    body: str | None = None,
    status: str | None = None,
    overdue_only: bool = False,
) -> list[dict[str, Any]]:
    """Every task matching the CLI's filters (cycle and body by name); overdue first."""
    cycle_id = named_filters(cycle, body)
    rows = tasks_page(
        now, cycle_id=cycle_id, body=body, status=status, overdue_only=overdue_only
    ).rows
    return overdue_first(rows)


def named_filters(cycle: str | None, body: str | None) -> int | None:
    """The id of the cycle named in a filter; an unknown cycle or body is NotFound,
    so a typo is an error line rather than an empty list."""
    from services.cycles import resolve_cycle
    from services.registry import body_by_code

    with db.reading() as session:
        if body:
            body_by_code(session, body)
        return resolve_cycle(session, cycle)[0].id if cycle else None


def overdue_first(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Overdue tasks first, most days overdue at the top; the rest keep their order."""
    return sorted(rows, key=lambda r: (r["bucket"] != "overdue", -r["days_overdue"]))


def cycle_progress(
    now: datetime, *, scope: Scope = None, open_only: bool = True, cycle_id: int | None = None
) -> list[dict[str, Any]]:
    """The four buckets for each cycle, over the tasks in ``scope``."""
    query = (
        select(
            C.id, P.code, C.period, C.period_label, C.provide_due, C.status, *bucket_columns(now)
        )  # fmt: skip
        .select_from(TASKS)
        .group_by(C.id, P.code, C.period, C.period_label, C.provide_due, C.status)
        .order_by(C.provide_due.desc(), C.id)
    )
    if open_only:
        query = query.where(C.status == "open")
    if cycle_id is not None:
        query = query.where(C.id == cycle_id)
    with db.reading() as session:
        rows = session.connection().execute(_scoped(query, scope)).all()
    return [
        {
            "cycle": cid,
            "ref": f"{code}/{period}",
            "period_label": label,
            "provide_due": due,
            "status": status,
        }  # fmt: skip
        | buckets_dict(Buckets(*counts))
        for cid, code, period, label, due, status, *counts in rows
    ]


def body_compliance(
    now: datetime, *, scope: Scope = None, limit: int | None = None, offset: int = 0
) -> Page:
    """Per body across all cycles: buckets, on-time rate, escalations and revision rounds.

    The page's bodies are chosen first (an indexed existence probe per body),
    then only their tasks are aggregated: a refresh never groups every task.
    """
    listed = Body.__table__.alias("listed")
    visible = _scoped(select(T.id).select_from(TASKS), scope).where(T.body_id == listed.c.id)
    bodies = select(listed.c.id).where(visible.exists()).order_by(listed.c.code).offset(offset)
    if limit is not None:
        bodies = bodies.limit(limit)
    with db.reading() as session:
        conn = session.connection()
        ids = list(conn.execute(bodies).scalars())
        total = (
            conn.execute(
                select(func.count()).select_from(
                    select(listed.c.id).where(visible.exists()).subquery()
                )
            ).scalar_one()
            if limit is not None
            else len(ids)
        )
        if not ids:
            return Page([], total, limit, offset)
        aggregate = (
            select(
                B.id,
                B.code,
                B.name,
                *bucket_columns(now),
                func.sum(T.returns),
                func.sum(T.escalations),
            )  # fmt: skip
            .select_from(TASKS)
            .where(T.body_id.in_(ids))
            .group_by(B.id, B.code, B.name)
            .order_by(B.code)
        )
        rows = conn.execute(_scoped(aggregate, scope)).all()
    items = [
        {"body": code, "name": name}
        | buckets_dict(Buckets(*counts[:4]))
        | {"revision_rounds": int(counts[4] or 0), "escalations": int(counts[5] or 0)}
        for _bid, code, name, *counts in rows
    ]
    return Page(items, total, limit, offset)


def task_histories(task_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """Each task's events in time order: escalation steps, reviews and extensions.

    ``kind`` is reminder, escalation, accepted, returned or extended; ``step`` the
    ladder step or ``vN`` for the version reviewed.
    """
    from models import Extension, Review, Submission

    if not task_ids:
        return {}
    e, r, x, s = (m.__table__.c for m in (Escalation, Review, Extension, Submission))
    history: dict[int, list[dict[str, Any]]] = {}

    def add(task_id: int, **event: Any) -> None:
        history.setdefault(task_id, []).append(
            {"comment": None, "level": None, "old_due_date": None, "new_due_date": None} | event
        )

    with db.reading() as session:
        conn = session.connection()
        for tid, at, step, kind, level in conn.execute(
            select(e.task_id, e.fired_at, e.step, e.kind, e.level).where(e.task_id.in_(task_ids))
        ):
            add(tid, at=at, kind=kind, step=step, level=level)
        for tid, at, decision, comment, new_due, version in conn.execute(
            select(r.task_id, r.reviewed_at, r.decision, r.comment, r.new_due_date, s.version)
            .join(Submission.__table__, s.id == r.submission_id)
            .where(r.task_id.in_(task_ids))
        ):
            add(
                tid, at=at, kind=decision, step=f"v{version}", comment=comment, new_due_date=new_due
            )
        for tid, at, old, new, reason in conn.execute(
            select(x.task_id, x.granted_at, x.old_due_date, x.new_due_date, x.reason).where(
                x.task_id.in_(task_ids)
            )
        ):
            add(
                tid,
                at=at,
                kind="extended",
                step=None,
                comment=reason,
                old_due_date=old,
                new_due_date=new,
            )
    for events in history.values():
        events.sort(key=lambda h: h["at"])
    return history


def cycle_info(ref: str) -> dict[str, Any]:
    """A cycle's dates and letter with its program's title, legal basis and outline."""
    from services.cycles import cycle_dict, resolve_cycle

    with db.reading() as session:
        cycle, program = resolve_cycle(session, ref)
        return cycle_dict(cycle, program.code) | {
            "program_title": program.title,
            "legal_basis": program.legal_basis,
            "outline": program.outline,
        }


def cycle_detail(ref: str, now: datetime) -> dict[str, Any]:
    """A cycle with every task and its history (escalations, reviews, extensions)."""
    info = cycle_info(ref)
    tasks = overdue_first(tasks_page(now, cycle_id=info["id"]).rows)
    histories = task_histories([row["task"] for row in tasks])
    for row in tasks:
        row["history"] = histories.get(row["task"], [])
    progress = next(iter(cycle_progress(now, open_only=False, cycle_id=info["id"])), None)
    return {"cycle": info, "progress": progress, "tasks": tasks}
