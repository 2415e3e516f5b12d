"""The sweep: fire every reminder and escalation rung that is due, exactly once.

It costs what it fires. Each waiting task carries ``next_rung_at``, the moment
its next rung comes due (kept right by every transition); the sweep reads only
the tasks whose moment has come, through that index, so a sweep that fires
nothing reads no rows.

Two phases, so no write holds SQLite's lock while it computes:

1. **Plan**, in a read-only transaction: for each due task, the ladder's step
   (:meth:`rules.escalation.Policy.step`: the latest due rung fires, earlier
   ones due with it are skipped) and the message it sends, in words.
2. **Write**, in short batches of :data:`BATCH` tasks, each one transaction:
   the batch's tasks are read again (locked on PostgreSQL, skipping rows
   another transaction holds) and only those still in the planned state are
   written — a body that submitted, or a task another sweep already moved, is
   left alone. Escalation rows (``INSERT … ON CONFLICT DO NOTHING`` on the
   unique task/epoch/step key), outbox rows for the escalations this batch
   actually inserted, audit rows and the tasks' new ladder state go in
   set-based, without an ORM object per row.

Two sweeps at the same moment, in one process or two, never duplicate
anything: the guard and the unique key each ensure it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.engine import Connection

from models import AuditRecord, Body, Cycle, Escalation, Notification, Program, Task
from rules.calendar import WorkCalendar
from rules.escalation import Policy, Rung, Step
from rules.messages import TaskContext, addresses, urging_message
from rules.tasks import OPEN
from services import db
from services.calendars import load_calendar
from services.events import DomainEvent

BATCH = 1000  # tasks per write transaction: well under 50 ms on SQLite (bench/)
FIRED_SHOWN = 100  # fired rungs listed in a result; the counts cover them all
_WAITING = [s.value for s in OPEN]
T, C, B, P = (m.__table__.c for m in (Task, Cycle, Body, Program))


@dataclass
class SweepResult:
    now: datetime
    examined: int = 0
    reminders: int = 0
    escalations: int = 0
    skipped: int = 0
    batches: int = 0
    fired: list[dict[str, Any]] = field(default_factory=list)  # the first FIRED_SHOWN
    events: list[DomainEvent] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "now": self.now,
            "examined": self.examined,
            "reminders": self.reminders,
            "escalations": self.escalations,
            "skipped": self.skipped,
            "fired": self.fired,
            "fired_shown": len(self.fired),
        }


@dataclass(frozen=True)
class _Plan:
    """What the sweep means to do to one task, and the state it expects to find."""

    task_id: int
    cycle_id: int
    body: str
    epoch: int
    done: int
    level: int
    due_date: date
    due_at: datetime
    step: Step
    subject: str = ""
    text: str = ""
    recipients: tuple[str, ...] = ()


def first_rung_at(program: Program, due_date: date, calendar: WorkCalendar) -> datetime | None:
    """``next_rung_at`` of a task that starts a ladder (opened, returned, extended)."""
    return Policy.from_data(program.escalation).next_at(due_date, 0, calendar)


def sweep(*, now: datetime, actor: str = "sweep", batch: int = BATCH) -> SweepResult:
    """Fire what is due at ``now``: plan, then write in batches (see the module text)."""
    calendar = load_calendar()
    plans = _plan(now, calendar)
    result = SweepResult(now=now, examined=len(plans))
    for chunk in _chunks(plans, batch):
        with db.transaction() as session:
            _write(session.connection(), chunk, now, actor, result)
        result.batches += 1
    return result


def _chunks(items: Sequence[_Plan], size: int) -> Iterator[Sequence[_Plan]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


_DUE_COLUMNS = (
    T.id, T.cycle_id, T.due_date, T.due_at, T.ladder_epoch, T.rungs_done, T.escalation_level,
    C.program_id, C.period_label, C.letter_no, C.letter_date,
    B.code, B.name, B.focal_name, B.focal_email, B.head_name, B.head_email,
)  # fmt: skip


def _plan(now: datetime, calendar: WorkCalendar) -> list[_Plan]:
    """The due tasks and what to do to each, read without taking the write lock."""
    with db.reading() as session:
        conn = session.connection()
        rows = conn.execute(
            select(*_DUE_COLUMNS)
            .select_from(
                Task.__table__.join(Cycle.__table__, C.id == T.cycle_id).join(
                    Body.__table__, B.id == T.body_id
                )
            )
            .where(T.next_rung_at <= now)
            .order_by(T.id)
        ).all()
        if not rows:
            return []
        programs = {p.id: p for p in session.exec(select(Program)).scalars()}
        coordinators = {
            b.id: b
            for b in session.exec(
                select(Body).where(Body.id.in_({p.coordinator_id for p in programs.values()}))
            ).scalars()
        }
    policies = {pid: Policy.from_data(p.escalation) for pid, p in programs.items()}
    steps: dict[tuple[int, date, datetime, int], Step] = {}
    plans = []
    for (task_id, cycle_id, due_date, due_at, epoch, done, level, program_id, period_label,
         letter_no, letter_date, code, name, focal_name, focal_email, head_name,
         head_email) in rows:  # fmt: skip
        key = (program_id, due_date, due_at, done)
        step = steps.get(key)
        if step is None:
            step = steps[key] = policies[program_id].step(due_date, due_at, done, now, calendar)
        plan = _Plan(task_id, cycle_id, code, epoch, done, level, due_date, due_at, step)
        if step.fire is not None:
            program = programs[program_id]
            coordinator = coordinators[program.coordinator_id]
            context = TaskContext(
                program_title=program.title,
                period_label=period_label,
                letter_no=letter_no,
                letter_date=letter_date,
                body_name=name,
                coordinator_name=coordinator.name,
                due_date=due_date,
                due_at=due_at,
            )
            subject, text = urging_message(step.fire, context, now)
            people = {
                "focal": (focal_name, focal_email),
                "head": (head_name, head_email),
                "coordinator_focal": (coordinator.focal_name, coordinator.focal_email),
                "coordinator_head": (coordinator.head_name, coordinator.head_email),
                "coordinator_leadership": (
                    program.leadership_name or coordinator.head_name,
                    program.leadership_email or coordinator.head_email,
                ),
            }
            recipients = addresses(step.fire.notify, people)
            plan = _Plan(task_id, cycle_id, code, epoch, done, level, due_date, due_at, step,
                         subject, text, recipients)  # fmt: skip
        plans.append(plan)
    return plans


def _guard(conn: Connection, chunk: Sequence[_Plan]) -> list[_Plan]:
    """The planned tasks still in the state the plan expects, held until commit."""
    query = select(T.id, T.ladder_epoch, T.rungs_done).where(
        T.id.in_([p.task_id for p in chunk]), T.status.in_(_WAITING), T.cycle_open.is_(True)
    )
    if conn.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    found = {tid: (epoch, done) for tid, epoch, done in conn.execute(query)}
    return [p for p in chunk if found.get(p.task_id) == (p.epoch, p.done)]


def _insert_ignoring_duplicates(conn: Connection, rows: list[dict[str, Any]]) -> list[Any]:
    """INSERT … ON CONFLICT DO NOTHING RETURNING, on SQLite and PostgreSQL."""
    if not rows:
        return []
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    table = Escalation.__table__
    statement = (
        dialect_insert(table)
        .on_conflict_do_nothing()
        .returning(table.c.id, table.c.task_id, table.c.step, sort_by_parameter_order=True)
    )
    return conn.execute(statement, rows).all()


def _rung_row(plan: _Plan, rung: Rung, now: datetime, fired: bool) -> dict[str, Any]:
    return {
        "task_id": plan.task_id,
        "epoch": plan.epoch,
        "step": rung.step,
        "kind": rung.kind,
        "level": rung.level,
        "due_at": plan.due_at,
        "fired_at": now,
        "recipients": list(plan.recipients) if fired else [],
        "message": plan.text if fired else "",
        "skipped": not fired,
    }


def _write(
    conn: Connection, chunk: Sequence[_Plan], now: datetime, actor: str, result: SweepResult
) -> None:
    """One batch: guard, escalation rows, outbox, audit, tasks' ladder state."""
    kept = _guard(conn, chunk)
    if not kept:
        return
    rungs = []
    for plan in kept:
        rungs += [_rung_row(plan, r, now, False) for r in plan.step.skipped]
        if plan.step.fire is not None:
            rungs.append(_rung_row(plan, plan.step.fire, now, True))
    inserted = {
        (task_id, step): eid for eid, task_id, step in _insert_ignoring_duplicates(conn, rungs)
    }
    notifications, audits, tasks = [], [], []
    for plan in kept:
        fire = plan.step.fire
        level, fired_escalations = plan.level, 0
        skipped = [r.step for r in plan.step.skipped]
        result.skipped += len(skipped)
        if fire is not None and (plan.task_id, fire.step) in inserted:
            notifications.append(
                {
                    "escalation_id": inserted[(plan.task_id, fire.step)],
                    "created_at": now,
                    "recipients": list(plan.recipients),
                    "subject": plan.subject,
                    "body": plan.text,
                    "status": "pending",
                    "attempts": 0,
                }
            )
            action = "task.reminded" if fire.kind == "reminder" else "task.escalated"
            detail = {
                "body": plan.body,
                "step": fire.step,
                "level": fire.level,
                "epoch": plan.epoch,
                "recipients": list(plan.recipients),
                "due_date": plan.due_date.isoformat(),
                "skipped": skipped,
            }
            audits.append(
                {"at": now, "actor": actor, "action": action, "cycle_id": plan.cycle_id,
                 "task_id": plan.task_id, "detail": detail}
            )  # fmt: skip
            if len(result.fired) < FIRED_SHOWN:
                result.fired.append({"task": plan.task_id, "cycle": plan.cycle_id} | detail)
            result.events.append(DomainEvent(action, f"phoihop.task.{plan.task_id}", detail))
            if fire.kind == "reminder":
                result.reminders += 1
            else:
                result.escalations += 1
                level, fired_escalations = max(level, fire.level), 1
        elif skipped:  # past the deadline with only reminders left: nothing to send
            audits.append(
                {"at": now, "actor": actor, "action": "task.rungs_skipped",
                 "cycle_id": plan.cycle_id, "task_id": plan.task_id,
                 "detail": {"body": plan.body, "epoch": plan.epoch, "skipped": skipped}}
            )  # fmt: skip
        tasks.append(
            {"tid": plan.task_id, "done": plan.step.done, "next": plan.step.next_at,
             "lvl": level, "more": fired_escalations}
        )  # fmt: skip
    if notifications:
        conn.execute(insert(Notification), notifications)
    if audits:
        conn.execute(insert(AuditRecord), audits)
    table = Task.__table__
    conn.execute(
        update(table)
        .where(table.c.id == bindparam("tid"))
        .values(
            rungs_done=bindparam("done"),
            next_rung_at=bindparam("next", type_=table.c.next_rung_at.type),
            escalation_level=bindparam("lvl"),
            escalations=table.c.escalations + bindparam("more"),
        ),
        tasks,
    )
