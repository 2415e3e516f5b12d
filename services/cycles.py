"""Opening a cycle (the *request* stage) and finding cycles and tasks."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import exists, func, insert, literal, or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from models import Body, Cycle, Program, ProgramBody, ProgramVersion, Succession, Task
from rules import adhoc
from rules.deadlines import MovedDate, WorkedBack, worked_back, working_day_for
from rules.errors import Conflict, NotFound, UserError
from rules.periods import CutoffRule, parse_period
from rules.tasks import Status
from rules.text import clean
from rules.timezone import local_date
from services import bulk, db, notices, succession, versions
from services.calendars import load_calendar
from services.escalation import first_rung_at
from services.registry import body_by_code, program_by_code


@dataclass
class ChildOpened:
    """A cycle of a feeding program, opened (or adopted) under a cycle above it."""

    cycle: Cycle
    program_code: str
    parent_ref: str
    coordinator: str
    tasks: int
    dates: WorkedBack | None  # None: adopted, it was open already with its own dates
    depth: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "ref": f"{self.program_code}/{self.cycle.period}",
            "id": self.cycle.id,
            "parent": self.parent_ref,
            "coordinator": self.coordinator,
            "depth": self.depth,
            "tasks": self.tasks,
            "provide_due": self.cycle.provide_due,
            "review_due": self.cycle.review_due,
            "synthesis_due": self.cycle.synthesis_due,
            "worked_back": self.dates.as_dict() if self.dates else None,
            "adopted": self.dates is None,
        }


@dataclass
class CycleOpened:
    cycle: Cycle
    program_code: str
    tasks: int
    children: list[ChildOpened] = field(default_factory=list)
    moved: MovedDate | None = None  # the due typed from the letter fell on a day off

    def as_dict(self) -> dict[str, Any]:
        return {
            "cycle": cycle_dict(self.cycle, self.program_code),
            "tasks": self.tasks,
            "children": [c.as_dict() for c in self.children],
            "due_moved": self.moved.as_dict() if self.moved else None,
        }


def cycle_dict(cycle: Cycle, program_code: str) -> dict[str, Any]:
    """A cycle as the CLI's and the API's JSON show it; ``provisional`` when one of its
    due dates falls in a year whose civil-service schedule is not announced yet."""
    return {
        "id": cycle.id,
        "ref": f"{program_code}/{cycle.period}",
        "program": program_code,
        "period": cycle.period,
        "period_label": cycle.period_label,
        "cutoff_start": cycle.cutoff_start,
        "cutoff_end": cycle.cutoff_end,
        "letter_no": cycle.letter_no,
        "letter_date": cycle.letter_date,
        "opened_at": cycle.opened_at,
        "provide_due": cycle.provide_due,
        "review_due": cycle.review_due,
        "synthesis_due": cycle.synthesis_due,
        "provisional": load_calendar().provisional(cycle.synthesis_due),
        "status": cycle.status,
        "parent_cycle_id": cycle.parent_cycle_id,
        "subject": cycle.subject,
    }


def open_cycle(
    program_code: str,
    period_spec: str,
    *,
    letter_no: str | None,
    letter_date: date | None,
    now: datetime,
    actor: str,
    due: date | None = None,
) -> CycleOpened:
    """Open one cycle of a program for a period, and the cycles below it: all or nothing.

    Due dates are counted in working days from the letter's date (the first
    day is not counted); an explicit ``due`` from the letter wins, moved to a
    working day if needed. Every body of the cycle that coordinates a program
    feeding this one gets that program's cycle for the same period, at any
    depth, in the same transaction (:func:`_open_children`).
    """
    period = parse_period(period_spec)
    letter_no = clean(letter_no, "the letter number").strip() or None if letter_no else None
    today = local_date(now)
    letter_date = letter_date or today
    if letter_date > today:
        raise UserError(f"the letter date {letter_date.isoformat()} is in the future")
    calendar = load_calendar()
    with bulk.collector_paused(), db.transaction() as session:
        program = program_by_code(session, program_code)
        if program.period_kind == adhoc.KIND:
            raise UserError(
                f"program {program.code} holds ad-hoc requests: open one with phoihop request open"
            )
        if session.exec(
            select(Cycle.id).where(Cycle.program_id == program.id, Cycle.period == period.spec)
        ).first():
            raise Conflict(f"a cycle of {program.code} for {period.spec} is already open")
        if period.kind != program.period_kind:
            raise UserError(
                f"program {program.code} reports by {program.period_kind}, not {period.kind}"
            )
        terms = versions.latest(session, program.id)  # the version this cycle keeps
        moved = None
        if due is not None:
            if due < letter_date:
                raise UserError("the due date is before the letter date")
            provide_due, moved = working_day_for(due, calendar)
        else:
            provide_due = calendar.due_date(letter_date, terms.provide_working_days)
        review_due = calendar.due_date(provide_due, terms.review_working_days)
        synthesis_due = calendar.due_date(review_due, terms.synthesis_working_days)
        _check_bodies(session, program, letter_date)
        mergers = succession.in_force(session.connection(), today)  # once, for every level
        cycle, tasks = insert_cycle(
            session, program, terms, period, letter_no=letter_no, letter_date=letter_date,
            now=now, dates=(provide_due, review_due, synthesis_due), parent=None,
            calendar=calendar, actor=actor, mergers=mergers,
        )  # fmt: skip
        db.audit(
            session,
            at=now,
            actor=actor,
            action="cycle.opened",
            cycle_id=cycle.id,
            program=program.code,
            period=period.spec,
            letter_no=letter_no,
            letter_date=letter_date,
            provide_due=provide_due,
            # How the deadline was reached, so a later calendar can be checked against it.
            requested_due=due,
            working_days=None if due is not None else terms.provide_working_days,
            program_version=terms.version,
            tasks=tasks,
        )
        notices.opened(session, cycle, program, now=now)  # every body hears of the request
        children = _open_children(session, cycle, program, period, now=now, actor=actor,
                                  calendar=calendar, mergers=mergers)  # fmt: skip
    return CycleOpened(cycle, program.code, tasks, children, moved)


def _check_bodies(session: Session, program: Program, day: date, *, child: bool = False) -> None:
    """Refuse to open ``program`` on ``day`` if its coordinator or a body did not exist
    (a ``child`` program, opened under another, is named in the line). A body merged
    into another by then is not missing: its successor takes its task (insert_cycle)."""
    merged = exists().where(Succession.predecessor_id == Body.id, Succession.effective_on <= day)
    gone = list(
        session.connection()
        .execute(
            select(Body.code)
            .join(ProgramBody, ProgramBody.body_id == Body.id)
            .where(ProgramBody.program_id == program.id, _absent_on(day), ~merged)
            .order_by(ProgramBody.position)
            .limit(20)
        )
        .scalars()
    )
    coordinator = session.get(Body, program.coordinator_id)
    if coordinator is not None and not coordinator.exists_on(day):
        gone = [f"{coordinator.code} (the coordinator)", *gone]
    if gone:
        raise UserError(
            (f"program {program.code}: " if child else "")
            + f"body(ies) {', '.join(gone)} did not exist on {day.isoformat()}; "
            "update the program or the organisation file"
        )


def insert_cycle(
    session: Session,
    program: Program,
    terms: ProgramVersion,
    period: Any,
    *,
    letter_no: str | None,
    letter_date: date,
    now: datetime,
    dates: tuple[date, date, date],
    parent: Cycle | None,
    calendar: Any,
    actor: str,
    mergers: succession.InForce,
    bodies: list[int] | None = None,
    subject: str | None = None,
) -> tuple[Cycle, int]:
    """Insert the cycle under ``terms`` and, in one INSERT … SELECT, a task for each of
    its program's bodies (only ``bodies``, ids, when given: an ad-hoc request's); no
    task passes through Python. Returns the cycle and its task count.

    A body merged into another by now still belongs to the program; its new task is
    handed over to its successor here (services.succession, audited), so the opening
    notices reach the body that answers for it; ``mergers`` are those in force, read
    once by the opening for all its cycles.

    ``period`` is a :class:`rules.periods.Period`, or anything with its ``spec``,
    ``label_vi`` and ``cutoff`` (an ad-hoc request's, :class:`rules.adhoc.AdhocPeriod`).
    """
    provide_due, review_due, synthesis_due = dates
    cutoff_start, cutoff_end = period.cutoff(CutoffRule(terms.cutoff_start_day))
    cycle = Cycle(
        program_id=program.id,
        program_version_id=terms.id,
        subject=subject,
        period=period.spec,
        period_label=period.label_vi,
        cutoff_start=cutoff_start,
        cutoff_end=cutoff_end,
        letter_no=letter_no,
        letter_date=letter_date,
        opened_at=now,
        provide_due=provide_due,
        review_due=review_due,
        synthesis_due=synthesis_due,
        parent_cycle_id=parent.id if parent is not None else None,
    )
    session.add(cycle)
    try:
        session.flush()
    except IntegrityError:  # another process opened it between our check and insert
        raise Conflict(f"a cycle of {program.code} for {period.spec} is already open") from None
    conn = session.connection()
    member = ProgramBody.__table__.c
    task = Task.__table__
    instant = task.c.due_at.type
    values = {
        "cycle_id": literal(cycle.id),
        "body_id": member.body_id,
        "status": literal(Status.PENDING.value),
        "due_date": literal(provide_due, task.c.due_date.type),
        "due_at": literal(calendar.deadline_of(provide_due), instant),
        "ladder_epoch": literal(0),
        "rungs_done": literal(0),
        "next_rung_at": literal(first_rung_at(terms, provide_due, calendar), instant),
        "escalation_level": literal(0),
        "escalations": literal(0),
        "cycle_open": literal(True),
        "versions": literal(0),
        "returns": literal(0),
    }
    members = select(*values.values()).where(member.program_id == program.id)
    if bodies is not None:
        members = members.where(member.body_id.in_(bodies))
    conn.execute(insert(task).from_select(list(values), members.order_by(member.position)))
    tasks = conn.execute(  # psycopg reports no rowcount for INSERT … SELECT
        select(func.count()).select_from(task).where(task.c.cycle_id == cycle.id)
    ).scalar_one()
    cycle.task_count = tasks  # written with the flush that follows (rules: services.dashboard)
    if mergers.successor:
        succession.hand_over(session, now=now, actor=actor, cycle_id=cycle.id, links=mergers)
    return cycle, tasks


def _open_children(
    session: Session,
    top: Cycle,
    top_program: Program,
    period: Any,
    *,
    now: datetime,
    actor: str,
    calendar: Any,
    mergers: succession.InForce,
) -> list[ChildOpened]:
    """Open, level by level, the cycles of the programs feeding each cycle just opened.

    A program feeds the cycle above when its coordinator has a task there; its
    cycle is for the same period, its deadlines worked back from that task's due
    date (:func:`rules.deadlines.worked_back`). A cycle of it already open on its
    own for the period is adopted as it is (issued deadlines never move by
    themselves); one already under another cycle is a conflict. The unique
    (program, period) key keeps a repeated or concurrent opening from making a
    child twice. Any refusal undoes the whole opening.
    """
    opened: list[ChildOpened] = []
    level: list[tuple[Cycle, Program]] = [(top, top_program)]
    seen = {top_program.id}
    depth = 0
    today = local_date(now)
    while level:
        depth += 1
        below: list[tuple[Cycle, Program]] = []
        for above, above_program in level:
            parent_ref = f"{above_program.code}/{above.period}"
            rows = session.exec(
                select(Program, Task, Body)
                .join(
                    Task,
                    (Task.body_id == Program.coordinator_id) & (Task.cycle_id == above.id),
                )
                .join(Body, Body.id == Program.coordinator_id)
                .where(Program.feeds_program_id == above_program.id)
                .order_by(Task.id)
            ).all()
            current = versions.latest_of(session, {program.id for program, _, _ in rows})
            for program, task, coordinator in rows:
                if program.id in seen:
                    raise UserError(f"program {program.code} feeds itself through {parent_ref}")
                seen.add(program.id)
                existing = session.exec(
                    select(Cycle).where(Cycle.program_id == program.id, Cycle.period == period.spec)
                ).first()
                if existing is not None:
                    opened.append(
                        _adopt(
                            session,
                            existing,
                            program,
                            above,
                            parent_ref,
                            coordinator,
                            depth,
                            now=now,
                            actor=actor,
                        )  # fmt: skip
                    )
                    below.append((existing, program))
                    continue
                terms = current[program.id]  # the version this child cycle keeps
                dates = worked_back(
                    task.due_date, today, provide=terms.provide_working_days,
                    review=terms.review_working_days, synthesis=terms.synthesis_working_days,
                    margin=terms.margin_working_days, calendar=calendar, program=program.code,
                )  # fmt: skip
                _check_bodies(session, program, above.letter_date, child=True)
                cycle, tasks = insert_cycle(
                    session, program, terms, period, letter_no=None,
                    letter_date=above.letter_date,
                    now=now, dates=(dates.provide_due, dates.review_due, dates.synthesis_due),
                    parent=above, calendar=calendar, actor=actor, mergers=mergers,
                )  # fmt: skip
                db.audit(
                    session, at=now, actor=actor, action="cycle.opened", cycle_id=cycle.id,
                    program=program.code, period=period.spec, letter_no=None,
                    letter_date=above.letter_date,
                    provide_due=dates.provide_due, requested_due=None,
                    working_days=None, tasks=tasks, parent=parent_ref,
                    parent_cycle_id=above.id, parent_task_id=task.id,
                    worked_back=dates.as_dict(),
                )  # fmt: skip
                notices.opened(session, cycle, program, now=now)
                opened.append(
                    ChildOpened(
                        cycle, program.code, parent_ref, coordinator.code, tasks, dates, depth
                    )  # fmt: skip
                )
                below.append((cycle, program))
        level = below
    return opened


def _adopt(
    session: Session,
    cycle: Cycle,
    program: Program,
    above: Cycle,
    parent_ref: str,
    coordinator: Body,
    depth: int,
    *,
    now: datetime,
    actor: str,
) -> ChildOpened:
    """A feeding program's cycle that was open before the cycle above: linked under it,
    with the dates it was issued with, and audited."""
    ref = f"{program.code}/{cycle.period}"
    if cycle.parent_cycle_id not in (None, above.id):
        raise Conflict(f"cycle {ref} already belongs under another cycle")
    if cycle.parent_cycle_id is None:
        cycle.parent_cycle_id = above.id
        session.add(cycle)
        session.flush()
        db.audit(
            session, at=now, actor=actor, action="cycle.adopted", cycle_id=cycle.id,
            program=program.code, period=cycle.period, parent=parent_ref,
            parent_cycle_id=above.id,
        )  # fmt: skip
    return ChildOpened(
        cycle, program.code, parent_ref, coordinator.code, cycle.task_count, None, depth
    )


def _absent_on(day: date) -> Any:
    """SQL: the body did not exist on ``day`` (open-ended dates mean always)."""
    return or_(Body.valid_from > day, Body.valid_to < day)


def resolve_cycle(session: Session, ref: str) -> tuple[Cycle, Program]:
    """A cycle by id (``12``) or by program and period (``QD238/2024-H1``)."""
    ref = ref.strip()
    if ref.isdigit():
        row = session.exec(select(Cycle, Program).join(Program).where(Cycle.id == int(ref))).first()
    elif "/" in ref:
        program_code, _, spec = ref.partition("/")
        spec = adhoc.parse_spec(spec) or parse_period(spec).spec  # DX-BTGTU/2024-001 too
        row = session.exec(
            select(Cycle, Program)
            .join(Program)
            .where(Program.code == program_code, Cycle.period == spec)
        ).first()
    else:
        raise UserError(f"a cycle is named by its id or PROGRAM/PERIOD, not {ref!r}")
    if row is None:
        raise NotFound(f"unknown cycle: {ref}")
    return row[0], row[1]


def resolve_task(
    session: Session,
    *,
    task_id: int | None = None,
    cycle: str | None = None,
    body: str | None = None,
    lock: bool = False,
) -> tuple[Task, Cycle, Program, Body]:
    """A task by id, or by cycle and body code; ``lock`` holds its row until commit."""
    task_id = task_id_of(session, task_id=task_id, cycle=cycle, body=body)
    query = (
        select(Task, Cycle, Program, Body)
        .join(Cycle, Cycle.id == Task.cycle_id)
        .join(Program, Program.id == Cycle.program_id)
        .join(Body, Body.id == Task.body_id)
        .where(Task.id == task_id)
    )
    row = session.exec(query.with_for_update(of=Task) if lock else query).first()
    if row is None:
        raise NotFound(f"unknown task: {task_id}")
    return row[0], row[1], row[2], row[3]


def task_id_of(
    session: Session, *, task_id: int | None, cycle: str | None, body: str | None
) -> int:
    """The task named by its id, or by its cycle and its body's code."""
    if task_id is not None:
        return task_id
    if not (cycle and body):
        raise UserError("name the task by --task ID, or by --cycle and --body")
    c, p = resolve_cycle(session, cycle)
    b = body_by_code(session, body)
    task_id = session.exec(
        select(Task.id).where(Task.cycle_id == c.id, Task.body_id == b.id)
    ).first()
    if task_id is None:
        raise NotFound(f"body {b.code} has no task in cycle {p.code}/{c.period}")
    return task_id


def list_cycles(only: Any = None) -> list[dict[str, Any]]:
    """Every cycle with its task count, newest first; ``only``: a query of the cycle
    ids to keep (the web's per-user visibility), applied in SQL."""

    query = (
        select(Cycle, Program.code)
        .join(Program, Program.id == Cycle.program_id)
        .order_by(Cycle.opened_at.desc())
    )
    if only is not None:
        query = query.where(Cycle.id.in_(only))
    with db.reading() as session:
        rows = session.exec(query).all()
        return [cycle_dict(c, code) | {"tasks": c.task_count} for c, code in rows]
