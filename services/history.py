"""A page of the audit log, filtered and worded: `phoihop audit` and the history pages.

The audit log is the record of every state change (written in the change's own
transaction, see :func:`services.db.audit`); this reads it back for people,
newest first, a page at a time with its total, each record in words
(:func:`rules.history.describe`) next to its raw action and detail.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from models import AuditRecord, Body, Cycle, Program, Task
from rules.errors import NotFound
from rules.history import describe
from services import db

A, T, C, P, B = (m.__table__.c for m in (AuditRecord, Task, Cycle, Program, Body))


def history(
    *,
    cycle: str | None = None,
    task: int | None = None,
    body: str | None = None,
    since: datetime | None = None,
    limit: int = 50,
    offset: int = 0,
    lang: str = "vi",
) -> dict[str, Any]:
    """The audit records of a cycle, a task or a body's tasks (all of them when none is
    named) from ``since`` on, newest first: ``{"items", "total", "limit", "offset"}``.
    A name that matches nothing is NotFound, so a typo is never an empty history."""
    from services.cycles import resolve_cycle
    from services.registry import body_by_code

    with db.reading() as session:
        conditions = []
        if cycle:
            conditions.append(A.cycle_id == resolve_cycle(session, cycle)[0].id)
        if task is not None:
            if session.get(Task, task) is None:
                raise NotFound(f"unknown task: {task}")
            conditions.append(A.task_id == task)
        if body:
            body_id = body_by_code(session, body).id
            conditions.append(A.task_id.in_(select(T.id).where(T.body_id == body_id)))
        if since is not None:
            conditions.append(A.at >= since)
        conn = session.connection()
        total = conn.execute(select(func.count()).select_from(AuditRecord).where(*conditions))
        rows = conn.execute(
            select(A.id, A.at, A.actor, A.action, A.detail, P.code, C.period, B.code)
            .select_from(
                AuditRecord.__table__.outerjoin(Cycle.__table__, C.id == A.cycle_id)
                .outerjoin(Program.__table__, P.id == C.program_id)
                .outerjoin(Task.__table__, T.id == A.task_id)
                .outerjoin(Body.__table__, B.id == T.body_id)
            )
            .where(*conditions)
            .order_by(A.id.desc())
            .limit(limit)
            .offset(offset)
        ).all()
        count = total.scalar_one()
    items = [
        {
            "id": record_id,
            "at": at,
            "actor": actor,
            "action": action,
            "cycle": f"{program}/{period}" if program else None,
            "body": code,
            "text": describe(action, detail or {}, lang),
            "detail": detail,
        }
        for record_id, at, actor, action, detail, program, period, code in rows
    ]
    return {"items": items, "total": count, "limit": limit, "offset": offset}
