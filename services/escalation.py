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
   left alone. Escalation rows, their outbox messages, audit rows (naming the
   rungs skipped) and the tasks' new ladder state go in set-based
   (:mod:`services.bulk`), without an ORM object per row.

A **formal** rung (``formal`` in the program's ladder, by default every level
from the second) also needs a numbered urging letter to the late body's head,
and a rung that notifies the coordinator's leadership puts the body on the
leadership's summary instead of copying it the body's message. The sweep only
*records* them: one ``document`` row per such rung, in state ``to_render``
(or ``listed`` when it is only on the summary), in the same batch, set-based.
Numbering and rendering the .docx files is a separate step
(:func:`services.letters.render_pending`, run after the sweep), so a sweep
never renders a document while it holds the write lock.

Two sweeps at the same moment, in one process or two, never duplicate
anything: the guard admits each task's step once, and the unique
task/epoch/step key on escalations refuses a second row if anything slipped.
That is also what makes a **sharded** sweep safe: on several machines the
sweep splits into parts by task id (``shard=(k, n)``), each planned and written
by its own process, and a part swept twice (a retried shard run) fires nothing
the second time.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from models import (
    AuditRecord,
    Body,
    Cycle,
    Document,
    Escalation,
    Notification,
    Program,
    ProgramVersion,
    Task,
)
from rules.calendar import WorkCalendar
from rules.escalation import Policy, Step
from rules.messages import TaskContext, addresses, salutation, urging_text
from rules.tasks import OPEN
from rules.timezone import local_date
from services import bulk, db
from services.calendars import load_calendar

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


@dataclass(slots=True)
class _Plan:
    """What the sweep means to do to one task, and the state it expects to find.

    Not frozen: a national sweep makes 50,000 of them, and a frozen dataclass's
    ``__init__`` sets each field through ``object.__setattr__`` (~0.1 s of the plan)."""

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
    recipients: bulk.Encoded | None = None  # JSON list, written once in the plan
    detail: dict[str, Any] | None = None  # the audit record's, for the fired rung
    letter: str | None = None  # a document row to record: "to_render" or "listed"
    leadership: bool = False  # on the leadership's summary of this sweep
    issuer_id: int | None = None  # the coordinator, who issues the letter
    new_due: date | None = None  # the deadline the letter sets


@dataclass(frozen=True)
class _Sender:
    """A program's coordinator as its messages need it, read once per sweep."""

    program_title: str
    coordinator_name: str
    people: dict[str, tuple[str | None, str | None]]
    coordinator_id: int = 0
    contact: str | None = None  # the coordinator's focal contact, in the message

    @classmethod
    def of(cls, program: Program, coordinator: Body) -> _Sender:
        contact = coordinator.focal_name or None
        if contact and coordinator.focal_email:
            contact = f"{contact} ({coordinator.focal_email})"
        return cls(
            program.title,
            coordinator.name,
            {
                "coordinator_focal": (coordinator.focal_name, coordinator.focal_email),
                "coordinator_head": (coordinator.head_name, coordinator.head_email),
                "coordinator_leadership": (
                    program.leadership_name or coordinator.head_name,
                    program.leadership_email or coordinator.head_email,
                ),
            },
            coordinator.id,
            contact,
        )


def letter_days(terms: ProgramVersion) -> int:
    """Working days a formal urging letter gives (escalation.letter_working_days)."""
    return int((terms.escalation or {}).get("letter_working_days") or 3)


def first_rung_at(terms: ProgramVersion, due_date: date, calendar: WorkCalendar) -> datetime | None:
    """``next_rung_at`` of a task that starts a ladder (opened, returned, extended), by
    the ladder of the version its cycle was opened under (services.versions)."""
    return Policy.from_data(terms.escalation).next_at(due_date, 0, calendar)


Shard = tuple[int, int]
"""``(k, n)``: the tasks whose id is ``k`` modulo ``n`` (0 <= k < n), one of n disjoint parts."""


def sweep(
    *, now: datetime, actor: str = "sweep", batch: int = BATCH, shard: Shard | None = None
) -> SweepResult:
    """Fire what is due at ``now``: plan, then write in batches (see the module text).

    With ``shard=(k, n)`` only the due tasks whose id is ``k`` modulo ``n`` are
    planned, so n sweeps in n processes (flows.escalation's shard runs, one per
    worker) split one sweep between them. Shards need not be disjoint to be
    safe: the batch guard admits each task's step once, whoever plans it.
    """
    calendar = load_calendar()
    with bulk.collector_paused():
        plans = _plan(now, calendar, shard)
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
    C.program_id, C.program_version_id, C.period_label, C.letter_no, C.letter_date,
    B.code, B.name, B.focal_name, B.focal_email, B.head_name, B.head_email,
)  # fmt: skip


def _due(now: datetime, shard: Shard | None) -> list[Any]:
    """The plan's filter: a range of ix_task_next_rung_at, and the shard's part of it."""
    where = [T.next_rung_at <= now]
    if shard is not None:
        k, n = shard
        if not (n >= 1 and 0 <= k < n):
            raise ValueError(f"not a shard: {k} of {n} (0 <= k < n)")
        if n > 1:
            where.append(T.id % n == k)  # evaluated on the range's rows, not an index of its own
    return where


def count_due(now: datetime, shard: Shard | None = None) -> int:
    """How many tasks a sweep at ``now`` would plan (an index range count): what the
    scheduled sweep looks at to decide whether to split itself into shards."""
    query = select(func.count()).select_from(Task.__table__).where(*_due(now, shard))
    with db.reading() as session:
        return session.connection().execute(query).scalar_one()


def _plan(now: datetime, calendar: WorkCalendar, shard: Shard | None = None) -> list[_Plan]:
    """The due tasks (of ``shard``) and what to do to each, read without the write lock."""
    with db.reading() as session:
        conn = session.connection()
        rows = conn.execute(
            select(*_DUE_COLUMNS)
            .select_from(
                Task.__table__.join(Cycle.__table__, C.id == T.cycle_id).join(
                    Body.__table__, B.id == T.body_id
                )
            )
            .where(*_due(now, shard))
        ).all()
        rows.sort(key=lambda row: row[0])  # in SQL, ORDER BY id makes SQLite scan the table
        if not rows:
            return []
        programs = {p.id: p for p in session.exec(select(Program)).scalars()}
        # Each cycle's ladder is its own version's: an update changes none already open.
        terms = {
            v.id: v
            for v in session.exec(
                select(ProgramVersion).where(
                    ProgramVersion.id.in_({row.program_version_id for row in rows})
                )
            ).scalars()
        }
        coordinators = {
            b.id: b
            for b in session.exec(
                select(Body).where(Body.id.in_({p.coordinator_id for p in programs.values()}))
            ).scalars()
        }
    policies = {vid: Policy.from_data(v.escalation) for vid, v in terms.items()}
    senders = {pid: _Sender.of(p, coordinators[p.coordinator_id]) for pid, p in programs.items()}
    steps: dict[tuple[int, date, datetime, int], Step] = {}
    texts: dict[tuple[int, int, str, date], tuple[str, str]] = {}
    today = local_date(now)
    new_dues = {vid: calendar.due_date(today, letter_days(v)) for vid, v in terms.items()}
    plans = []
    for (task_id, cycle_id, due_date, due_at, epoch, done, level, program_id, version_id,
         period_label, letter_no, letter_date, code, name, focal_name, focal_email, head_name,
         head_email) in rows:  # fmt: skip
        key = (version_id, due_date, due_at, done)
        step = steps.get(key)
        if step is None:
            step = steps[key] = policies[version_id].step(due_date, due_at, done, now, calendar)
        fire = step.fire
        if fire is None:
            plans.append(_Plan(task_id, cycle_id, code, epoch, done, level, due_date, due_at, step))
            continue
        sender = senders[program_id]
        words = texts.get(text_key := (program_id, cycle_id, fire.step, due_date))
        if words is None:
            context = TaskContext(
                program_title=sender.program_title,
                period_label=period_label,
                letter_no=letter_no,
                letter_date=letter_date,
                body_name="",
                coordinator_name=sender.coordinator_name,
                due_date=due_date,
                due_at=due_at,
                new_due=new_dues[version_id] if fire.kind == "escalation" else None,
                contact=sender.contact,
            )
            words = texts[text_key] = urging_text(fire, context, now)
        people = sender.people | {
            "focal": (focal_name, focal_email),
            "head": (head_name, head_email),
        }
        leadership = "coordinator_leadership" in fire.notify
        notify = (
            [r for r in fire.notify if r != "coordinator_leadership"] if leadership else fire.notify
        )
        recipients = list(addresses(notify, people))
        letter = "to_render" if fire.formal else "listed" if leadership else None
        detail = {"body": code, "step": fire.step, "level": fire.level, "epoch": epoch,
                  "recipients": recipients, "due_date": due_date.isoformat(),
                  "skipped": [r.step for r in step.skipped]}  # fmt: skip
        plans.append(
            _Plan(task_id, cycle_id, code, epoch, done, level, due_date, due_at, step,
                  words[0], salutation(name) + words[1], bulk.encoded(recipients), detail,
                  letter, leadership, sender.coordinator_id, new_dues[version_id])
        )  # fmt: skip
    return plans


def _guard(conn: Connection, chunk: Sequence[_Plan]) -> list[_Plan]:
    """The planned tasks still in the state the plan expects, held until commit (on
    PostgreSQL each row is locked, and a row another transaction holds is skipped)."""
    ids = [p.task_id for p in chunk]
    waiting = ", ".join(f"'{s}'" for s in _WAITING)
    if conn.dialect.name == "postgresql":
        sql = (
            "SELECT id, ladder_epoch, rungs_done FROM task WHERE id = ANY(%s) "
            f"AND status IN ({waiting}) AND cycle_open FOR UPDATE SKIP LOCKED"
        )
        params: tuple[Any, ...] = (ids,)
    else:  # the transaction already holds SQLite's write lock
        marks = ", ".join("?" for _ in ids)
        sql = (
            f"SELECT id, ladder_epoch, rungs_done FROM task WHERE id IN ({marks}) "
            f"AND status IN ({waiting}) AND cycle_open"
        )
        params = tuple(ids)
    found = {tid: (epoch, done) for tid, epoch, done in conn.exec_driver_sql(sql, params).all()}
    return [p for p in chunk if found.get(p.task_id) == (p.epoch, p.done)]


_ESCALATION = ("id", "task_id", "epoch", "step", "kind", "level", "due_at", "fired_at",
               "recipients", "message")  # fmt: skip
_OUTBOX = ("escalation_id", "created_at", "recipients", "subject", "body", "status", "attempts")
_AUDIT = ("at", "actor", "action", "cycle_id", "task_id", "detail")
_LETTER = ("key", "kind", "state", "cycle_id", "task_id", "escalation_id", "issuer_id", "level",
           "due_date", "new_due", "to_leadership", "sweep_at", "created_at")  # fmt: skip
_LADDER = ("rungs_done = {}", "next_rung_at = {}", "escalation_level = {}",
           "escalations = escalations + {}")  # fmt: skip


def _write(
    conn: Connection, chunk: Sequence[_Plan], now: datetime, actor: str, result: SweepResult
) -> None:
    """One batch: guard, then escalation rows, outbox, audit and the tasks' ladder state,
    each one set-based statement (:mod:`services.bulk`)."""
    kept = _guard(conn, chunk)
    if not kept:
        return
    firing = [p for p in kept if p.step.fire is not None]
    ids = bulk.reserve_ids(conn, Escalation.__table__, len(firing))
    escalations, outbox, audits, ladders, letters = [], [], [], [], []
    for plan, escalation_id in zip(firing, ids, strict=True):
        fire = plan.step.fire
        assert fire is not None
        escalations.append((escalation_id, plan.task_id, plan.epoch, fire.step, fire.kind,
                            fire.level, plan.due_at, now, plan.recipients, plan.text))  # fmt: skip
        outbox.append((escalation_id, now, plan.recipients, plan.subject, plan.text, "pending", 0))
        if plan.letter is not None:  # numbered and rendered later (services.letters)
            letters.append((f"urging:{escalation_id}", "urging", plan.letter, plan.cycle_id,
                            plan.task_id, escalation_id, plan.issuer_id, fire.level,
                            plan.due_date, plan.new_due, plan.leadership, now, now))  # fmt: skip
    for plan in kept:
        fire, skipped = plan.step.fire, plan.step.skipped
        result.skipped += len(skipped)
        level, more = plan.level, 0
        if fire is not None:
            action = "task.reminded" if fire.kind == "reminder" else "task.escalated"
            detail = plan.detail
            assert detail is not None
            if len(result.fired) < FIRED_SHOWN:
                result.fired.append({"task": plan.task_id, "cycle": plan.cycle_id} | detail)
            if fire.kind == "reminder":
                result.reminders += 1
            else:
                result.escalations += 1
                level, more = max(level, fire.level), 1
        else:  # past the deadline with only reminders left: nothing to send, still recorded
            action = "task.rungs_skipped"
            detail = {"body": plan.body, "epoch": plan.epoch, "skipped": [r.step for r in skipped]}
        if fire is not None or skipped:
            audits.append((now, actor, action, plan.cycle_id, plan.task_id, detail))
        ladders.append((plan.step.done, plan.step.next_at, level, more, plan.task_id))
    bulk.insert(conn, Escalation.__table__, _ESCALATION, escalations)
    bulk.insert(conn, Notification.__table__, _OUTBOX, outbox)
    bulk.insert(conn, AuditRecord.__table__, _AUDIT, audits)
    bulk.insert(conn, Document.__table__, _LETTER, letters)
    bulk.update(conn, Task.__table__, "id", _LADDER, ladders)
