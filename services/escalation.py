"""The sweep: fire every reminder and escalation rung that is due, exactly once.

One sweep is one transaction. Each rung that fires leaves an escalation row
(unique per task, epoch and step), its outbox notification and an audit
record. Firing uses INSERT … ON CONFLICT DO NOTHING, and only rows actually
inserted get notifications, so two sweeps at the same moment — in one process
or two — never duplicate anything.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, bindparam, insert, update
from sqlmodel import Session, select

from models import Body, Cycle, Escalation, Notification, Program, Task
from rules.calendar import WorkCalendar
from rules.escalation import Policy, Rung
from rules.messages import TaskContext, urging_message
from rules.tasks import OPEN
from rules.timezone import end_of_day, local_date
from services import db
from services.calendars import load_calendar
from services.events import DomainEvent


@dataclass
class SweepResult:
    now: datetime
    examined: int = 0
    reminders: int = 0
    escalations: int = 0
    fired: list[dict[str, Any]] = field(default_factory=list)
    events: list[DomainEvent] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "now": self.now,
            "examined": self.examined,
            "reminders": self.reminders,
            "escalations": self.escalations,
            "fired": self.fired,
        }


def _insert_ignoring_duplicates(session: Session, table: Any, rows: list[dict[str, Any]]) -> Any:
    """INSERT … ON CONFLICT DO NOTHING RETURNING id, on SQLite and PostgreSQL."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    stmt = insert(table).on_conflict_do_nothing().returning(table.id, table.task_id, table.step)
    return session.execute(stmt, rows).all() if rows else []


def _display_name(name: str) -> str:
    """Quote a display name with address specials, so "Sở Văn hóa, Thể thao…" stays whole."""
    if any(ch in name for ch in ',;:<>@()[]"\\'):
        return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return name


def _recipients(roles: tuple[str, ...], body: Any, coordinator: Any, program: Any) -> list[str]:
    """Addresses for the roles a rung notifies, as ``Name <email>``; unknown emails skipped."""
    people = {
        "focal": (body.focal_name, body.focal_email),
        "head": (body.head_name, body.head_email),
        "coordinator_focal": (coordinator.focal_name, coordinator.focal_email),
        "coordinator_head": (coordinator.head_name, coordinator.head_email),
        "coordinator_leadership": (
            program.leadership_name or coordinator.head_name,
            program.leadership_email or coordinator.head_email,
        ),
    }
    result: list[str] = []
    for role in roles:
        name, email = people[role]
        if email:
            address = f"{_display_name(name)} <{email}>" if name else email
            if address not in result:
                result.append(address)
    return result


@dataclass(frozen=True)
class _Firing:
    """One rung about to fire for one task, with the message it sends."""

    task: Task
    cycle: Cycle
    body: Body
    rung: Rung
    subject: str
    text: str
    recipients: list[str]


def sweep(*, now: datetime, actor: str = "sweep") -> SweepResult:
    """Fire what is due at ``now`` for every waiting task of every open cycle.

    Three steps in one transaction: find the waiting tasks near or past their
    deadline, plan the rungs due for each (pure rules), then record what this
    transaction actually inserted (escalations, outbox, audit, task level).
    """
    calendar = load_calendar()
    result = SweepResult(now=now)
    with db.transaction() as session:
        programs = {p.id: p for p in session.exec(select(Program)).all()}
        if not programs:
            return result
        policies = {pid: Policy.from_data(p.escalation) for pid, p in programs.items()}
        rows, fired_steps = _waiting_tasks(session, policies, now, calendar)
        result.examined = len(rows)
        firings = _plan(session, programs, policies, rows, fired_steps, now, calendar)
        if firings:
            _record(session, firings, now, actor, result)
    return result


def _waiting_tasks(
    session: Session, policies: dict[int, Policy], now: datetime, calendar: WorkCalendar
) -> tuple[list[tuple[Task, Cycle, Body]], dict[int, set[str]]]:
    """Tasks waiting on their body whose deadline is past or within the reminder window,
    with the steps already fired in their current epoch."""
    horizon = max(policy.max_reminder_days for policy in policies.values())
    horizon_at = end_of_day(calendar.add_working_days(local_date(now), horizon))
    waiting = and_(
        Cycle.status == "open",
        Task.status.in_([s.value for s in OPEN]),
        Task.due_at <= horizon_at,
    )
    rows = session.exec(
        select(Task, Cycle, Body)
        .join(Cycle, Cycle.id == Task.cycle_id)
        .join(Body, Body.id == Task.body_id)
        .where(waiting)
    ).all()
    fired_steps: dict[int, set[str]] = defaultdict(set)
    if rows:
        fired_query = (
            select(Escalation.task_id, Escalation.step)
            .join(Task, and_(Task.id == Escalation.task_id, Task.ladder_epoch == Escalation.epoch))
            .join(Cycle, Cycle.id == Task.cycle_id)
            .where(waiting)
        )
        for task_id, step in session.exec(fired_query).all():
            fired_steps[task_id].add(step)
    return [(t, c, b) for t, c, b in rows], fired_steps


def _plan(
    session: Session,
    programs: dict[int, Program],
    policies: dict[int, Policy],
    rows: list[tuple[Task, Cycle, Body]],
    fired_steps: dict[int, set[str]],
    now: datetime,
    calendar: WorkCalendar,
) -> list[_Firing]:
    """The rungs due now for each task, with their recipients and Vietnamese message."""
    coordinator_ids = {p.coordinator_id for p in programs.values()}
    coordinators = {
        b.id: b for b in session.exec(select(Body).where(Body.id.in_(coordinator_ids))).all()
    }
    cache: dict[tuple[int, date, datetime, frozenset[str]], list[Rung]] = {}
    firings: list[_Firing] = []
    for task, cycle, body in rows:
        program = programs[cycle.program_id]
        coordinator = coordinators[program.coordinator_id]
        for rung in _due(policies[program.id], task, fired_steps[task.id], now, calendar, cache):
            ctx = TaskContext(
                program_title=program.title,
                period_label=cycle.period_label,
                letter_no=cycle.letter_no,
                letter_date=cycle.letter_date,
                body_name=body.name,
                coordinator_name=coordinator.name,
                due_date=task.due_date,
                due_at=task.due_at,
            )
            subject, text = urging_message(rung, ctx, now)
            recipients = _recipients(rung.notify, body, coordinator, program)
            firings.append(_Firing(task, cycle, body, rung, subject, text, recipients))
    return firings


def _record(
    session: Session, firings: list[_Firing], now: datetime, actor: str, result: SweepResult
) -> None:
    """Insert the escalations; only those this transaction inserted get the rest."""
    inserted = _insert_ignoring_duplicates(
        session,
        Escalation,
        [
            {
                "task_id": f.task.id,
                "epoch": f.task.ladder_epoch,
                "step": f.rung.step,
                "kind": f.rung.kind,
                "level": f.rung.level,
                "due_at": f.task.due_at,
                "fired_at": now,
                "recipients": f.recipients,
                "message": f.text,
            }
            for f in firings
        ],
    )
    by_key = {(f.task.id, f.rung.step): f for f in firings}
    notifications, audits, levels = [], [], {}
    for escalation_id, task_id, step in inserted:
        f = by_key[(task_id, step)]
        notifications.append(
            {
                "escalation_id": escalation_id,
                "created_at": now,
                "recipients": f.recipients,
                "subject": f.subject,
                "body": f.text,
                "status": "pending",
                "attempts": 0,
            }
        )
        action = "task.reminded" if f.rung.kind == "reminder" else "task.escalated"
        detail = {
            "body": f.body.code,
            "step": step,
            "level": f.rung.level,
            "epoch": f.task.ladder_epoch,
            "recipients": f.recipients,
            "due_date": f.task.due_date.isoformat(),
        }
        audits.append(
            {
                "at": now,
                "actor": actor,
                "action": action,
                "cycle_id": f.cycle.id,
                "task_id": task_id,
                "detail": detail,
            }
        )
        result.fired.append({"task": task_id, "cycle": f.cycle.id} | detail)
        result.events.append(DomainEvent(action, f"phoihop.task.{task_id}", detail))
        if f.rung.kind == "reminder":
            result.reminders += 1
        else:
            result.escalations += 1
            levels[task_id] = max(levels.get(task_id, 0), f.rung.level, f.task.escalation_level)
    _add_notifications(session, notifications)
    if levels:
        session.connection().execute(
            update(Task.__table__)
            .where(Task.__table__.c.id == bindparam("tid"))
            .values(escalation_level=bindparam("lvl")),
            [{"tid": tid, "lvl": lvl} for tid, lvl in levels.items()],
        )
    db.audit_many(session, audits)


def _add_notifications(session: Session, rows: list[dict[str, Any]]) -> None:
    """Outbox rows for escalations this transaction inserted (so never duplicates)."""
    if rows:
        session.execute(insert(Notification), rows)


def _due(
    policy: Policy,
    task: Task,
    fired: set[str],
    now: datetime,
    calendar: WorkCalendar,
    cache: dict[tuple[int, date, datetime, frozenset[str]], list[Rung]],
) -> list[Rung]:
    """Rungs due for one task; thousands of tasks share a due date and ladder state."""
    key = (id(policy), task.due_date, task.due_at, frozenset(fired))
    if key not in cache:
        cache[key] = policy.due_rungs(task.due_date, task.due_at, fired, now, calendar)
    return cache[key]
