"""Issued deadlines against today's calendar: which would move, and extending them.

When the calendar's data changes (the shipped decisions with a new phoihop, or
the operator's overrides file), nothing already issued moves by itself: a body
was told a date. :func:`moved` lists the open tasks whose deadline today's
calendar would put elsewhere (rules.recount), reading how each was reached from
its audit records (the opening's counted working days or requested date, a
return's or extension's requested date); :func:`extend_moved` lets the
coordinator extend those that would move later, each as an ordinary extension.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from models import AuditRecord, Body, Cycle, Program, Task
from rules.recount import Basis, Moved, recount
from rules.tasks import OPEN
from services import db
from services.calendars import load_calendar

_RESCHEDULED = ("task.returned", "task.extended")


def moved(*, cycle: str | None = None) -> list[dict[str, Any]]:
    """Open tasks (of ``cycle``, or of every open cycle) whose deadline would move."""
    from services.cycles import resolve_cycle

    calendar = load_calendar()
    t, c, b, p, a = (m.__table__.c for m in (Task, Cycle, Body, Program, AuditRecord))
    with db.reading() as session:
        conn = session.connection()
        cycle_id = resolve_cycle(session, cycle)[0].id if cycle else None
        query = (
            select(t.id, t.cycle_id, t.due_date, t.ladder_epoch, b.code, p.code, c.period)
            .select_from(
                Task.__table__.join(Cycle.__table__, c.id == t.cycle_id)
                .join(Program.__table__, p.id == c.program_id)
                .join(Body.__table__, b.id == t.body_id)
            )
            .where(t.cycle_open.is_(True), t.status.in_([s.value for s in OPEN]))
        )
        if cycle_id is not None:
            query = query.where(t.cycle_id == cycle_id)
        tasks = conn.execute(query.order_by(t.cycle_id, b.code)).all()
        cycle_ids = sorted({row[1] for row in tasks})
        openings = {
            cid: detail
            for cid, detail in conn.execute(
                select(a.cycle_id, a.detail).where(
                    a.action == "cycle.opened", a.cycle_id.in_(cycle_ids)
                )
            )
        }
        rescheduled = [row[0] for row in tasks if row[3] > 0]
        requested: dict[int, date | None] = {}
        for tid, detail in conn.execute(
            select(a.task_id, a.detail)
            .where(a.action.in_(_RESCHEDULED), a.task_id.in_(rescheduled))
            .order_by(a.id)
        ):
            requested[tid] = _day(detail.get("requested_due"))  # the latest one wins
    found: list[dict[str, Any]] = []
    cache: dict[tuple[date, Basis], Moved | None] = {}
    for tid, cid, due, epoch, body, program, period in tasks:
        if epoch > 0:
            basis = Basis(requested=requested.get(tid))
        else:
            opening = openings.get(cid) or {}
            basis = Basis(
                start=_day(opening.get("letter_date")) if opening.get("working_days") else None,
                working_days=opening.get("working_days"),
                requested=_day(opening.get("requested_due")),
            )
        key = (due, basis)
        if key not in cache:
            cache[key] = recount(due, basis, calendar)
        change = cache[key]
        if change is not None:
            found.append(
                {"task": tid, "cycle": f"{program}/{period}", "body": body,
                 "issued_due": change.issued, "computed_due": change.computed,
                 "later": change.computed > change.issued, "why": change.why}
            )  # fmt: skip
    return found


def extend_moved(*, now: datetime, actor: str, cycle: str | None = None) -> list[dict[str, Any]]:
    """Extend every task :func:`moved` would put later, to its new date (one extension,
    audited, each); the rest are left as issued and listed."""
    from services.review import extend

    done = []
    for row in moved(cycle=cycle):
        if row["later"]:
            extend(
                new_due=row["computed_due"],
                reason=f"Điều chỉnh theo lịch nghỉ mới: {row['why']}",
                now=now,
                actor=actor,
                task_id=row["task"],
            )
        done.append(row | {"extended": row["later"]})
    return done


def _day(text: Any) -> date | None:
    return date.fromisoformat(text) if isinstance(text, str) and text else None
