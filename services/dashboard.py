"""What leaders watch: overdue items, cycle progress in four buckets, compliance by body.

Read-only and plain SQL through SQLAlchemy Core: these queries run on every
dashboard refresh, over hundreds of thousands of tasks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, and_, case, func, select
from sqlalchemy.sql import ColumnElement

from models import Body, Cycle, Escalation, Program, Task
from rules.tasks import DONE, OPEN, Buckets
from rules.timezone import days_late
from services import db

_OPEN = [s.value for s in OPEN]
_DONE = [s.value for s in DONE]


def _bucket_columns(now: datetime) -> list[ColumnElement[Any]]:
    t = Task.__table__.c
    done = t.status.in_(_DONE)
    waiting = t.status.in_(_OPEN)

    def count(cond: ColumnElement[bool], name: str) -> ColumnElement[Any]:
        return func.coalesce(func.sum(case((cond, 1), else_=0)), 0).cast(Integer).label(name)

    return [
        count(and_(done, t.last_on_time.is_(True)), "done_on_time"),
        count(and_(done, t.last_on_time.isnot(True)), "done_late"),
        count(and_(waiting, t.due_at >= now), "pending"),
        count(and_(waiting, t.due_at < now), "overdue"),
    ]


@dataclass(frozen=True)
class OverdueItem:
    task_id: int
    body: str
    body_name: str
    cycle: str
    due_date: str
    days_overdue: int
    escalation_level: int
    status: str

    def as_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


def overdue(
    now: datetime, *, body: str | None = None, limit: int | None = None
) -> list[OverdueItem]:
    """Waiting tasks of open cycles past their deadline, most overdue first within body."""
    t, c, p, b = (m.__table__.c for m in (Task, Cycle, Program, Body))
    query = (
        select(
            t.id,
            b.code,
            b.name,
            p.code,
            c.period,
            t.due_date,
            t.due_at,
            t.escalation_level,
            t.status,
        )
        .select_from(
            Task.__table__.join(Cycle.__table__, c.id == t.cycle_id)
            .join(Program.__table__, p.id == c.program_id)
            .join(Body.__table__, b.id == t.body_id)
        )
        .where(c.status == "open", t.status.in_(_OPEN), t.due_at < now)
        .order_by(b.code, t.due_at)
    )
    if body:
        query = query.where(b.code == body)
    if limit:
        query = query.limit(limit)
    with db.reading() as session:
        rows = session.connection().execute(query).all()
    from rules.timezone import as_utc

    return [
        OverdueItem(
            tid,
            code,
            name,
            f"{pcode}/{period}",
            due_date.isoformat(),
            days_late(as_utc(due_at), now),
            level,
            status,
        )
        for tid, code, name, pcode, period, due_date, due_at, level, status in rows
    ]


def cycle_progress(
    now: datetime, *, open_only: bool = True, cycle_id: int | None = None
) -> list[dict[str, Any]]:
    """The four buckets for each cycle."""
    t, c, p = Task.__table__.c, Cycle.__table__.c, Program.__table__.c
    query = (
        select(
            c.id, p.code, c.period, c.period_label, c.provide_due, c.status, *_bucket_columns(now)
        )
        .select_from(
            Task.__table__.join(Cycle.__table__, c.id == t.cycle_id).join(
                Program.__table__, p.id == c.program_id
            )
        )
        .group_by(c.id, p.code, c.period, c.period_label, c.provide_due, c.status)
        .order_by(c.provide_due.desc(), c.id)
    )
    if open_only:
        query = query.where(c.status == "open")
    if cycle_id is not None:
        query = query.where(c.id == cycle_id)
    with db.reading() as session:
        rows = session.connection().execute(query).all()
    return [
        {
            "cycle": cid,
            "ref": f"{code}/{period}",
            "period_label": label,
            "provide_due": due,
            "status": status,
        }
        | _buckets_dict(Buckets(*counts))
        for cid, code, period, label, due, status, *counts in rows
    ]


def body_compliance(now: datetime) -> list[dict[str, Any]]:
    """Per body across all cycles: the buckets, on-time rate, escalations and revision rounds."""
    t, b = Task.__table__.c, Body.__table__.c
    e = Escalation.__table__.c
    escalations = (
        select(t.body_id, func.count(e.id).label("n"))
        .select_from(Escalation.__table__.join(Task.__table__, t.id == e.task_id))
        .where(e.kind == "escalation")
        .group_by(t.body_id)
        .subquery()
    )
    query = (
        select(
            b.code,
            b.name,
            *_bucket_columns(now),
            func.sum(t.returns).label("returns"),
            func.coalesce(func.max(escalations.c.n), 0),
        )
        .select_from(
            Task.__table__.join(Body.__table__, b.id == t.body_id).join(
                escalations, escalations.c.body_id == b.id, isouter=True
            )
        )
        .group_by(b.code, b.name)
        .order_by(b.code)
    )
    with db.reading() as session:
        rows = session.connection().execute(query).all()
    return [
        {"body": code, "name": name}
        | _buckets_dict(Buckets(*counts[:4]))
        | {"revision_rounds": int(counts[4] or 0), "escalations": int(counts[5] or 0)}
        for code, name, *counts in rows
    ]


def _buckets_dict(buckets: Buckets) -> dict[str, Any]:
    rate = buckets.on_time_rate
    return {
        "done_on_time": buckets.done_on_time,
        "done_late": buckets.done_late,
        "pending": buckets.pending,
        "overdue": buckets.overdue,
        "total": buckets.total,
        "on_time_rate": None if rate is None else round(rate, 4),
    }


def list_tasks(
    now: datetime,
    *,
    cycle: str | None = None,
    body: str | None = None,
    status: str | None = None,
    overdue_only: bool = False,
) -> list[dict[str, Any]]:
    """Tasks with their bucket, filtered; overdue first, then by due date and body."""
    from rules.tasks import bucket_of
    from services.cycles import resolve_cycle

    t, c, p, b = (m.__table__.c for m in (Task, Cycle, Program, Body))
    query = select(
        t.id,
        p.code,
        c.period,
        c.status,
        b.code,
        b.name,
        t.status,
        t.due_date,
        t.due_at,
        t.escalation_level,
        t.versions,
        t.returns,
        t.last_submitted_at,
        t.last_on_time,
    ).select_from(
        Task.__table__.join(Cycle.__table__, c.id == t.cycle_id)
        .join(Program.__table__, p.id == c.program_id)
        .join(Body.__table__, b.id == t.body_id)
    )
    with db.reading() as session:
        if cycle:
            cycle_row, _program = resolve_cycle(session, cycle)
            query = query.where(c.id == cycle_row.id)
        if body:
            from services.registry import body_by_code

            query = query.where(b.id == body_by_code(session, body).id)
        if status:
            query = query.where(t.status == status)
        if overdue_only:
            query = query.where(t.status.in_(_OPEN), t.due_at < now, c.status == "open")
        rows = session.connection().execute(query.order_by(t.due_at, b.code)).all()
    result = []
    for (
        tid,
        pcode,
        period,
        cstatus,
        bcode,
        bname,
        status_,
        due_date,
        due_at,
        level,
        versions,
        returns,
        submitted_at,
        on_time,
    ) in rows:
        bucket = bucket_of(status_, on_time, due_at, now)
        result.append(
            {
                "task": tid,
                "cycle": f"{pcode}/{period}",
                "cycle_status": cstatus,
                "body": bcode,
                "body_name": bname,
                "status": status_,
                "due_date": due_date,
                "days_overdue": days_late(due_at, now) if bucket == "overdue" else 0,
                "escalation_level": level,
                "versions": versions,
                "returns": returns,
                "last_submitted_at": submitted_at,
                "bucket": bucket,
            }
        )
    result.sort(key=lambda r: (r["bucket"] != "overdue", -r["days_overdue"]))
    return result


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


def cycle_detail(ref: str, now: datetime) -> dict[str, Any]:
    """A cycle with every task and its history (escalations, reviews, extensions)."""
    from services.cycles import cycle_dict, resolve_cycle

    with db.reading() as session:
        cycle, program = resolve_cycle(session, ref)
        info = cycle_dict(cycle, program.code) | {
            "program_title": program.title,
            "legal_basis": program.legal_basis,
            "outline": program.outline,
        }
    tasks = list_tasks(now, cycle=str(cycle.id))
    histories = task_histories([row["task"] for row in tasks])
    for row in tasks:
        row["history"] = histories.get(row["task"], [])
    progress = next(iter(cycle_progress(now, open_only=False, cycle_id=cycle.id)), None)
    return {"cycle": info, "progress": progress, "tasks": tasks}
