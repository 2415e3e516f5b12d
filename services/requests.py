"""Opening an ad-hoc request (báo cáo đột xuất): a cycle with no regular period.

A request is a cycle of its coordinator's ad-hoc program (``DX-BTGTU``, made with
its first request), so submitting, reviewing, extending, the sweep, the synthesis,
the dashboards, the scorecards and the task pages treat it as any cycle. What a
program's file states for a regular cycle the request states itself: its bodies
(the program's bodies are every body it ever asked, a request's tasks only those it
names), and its outline and ladder, kept as the program's version the cycle is
opened under (services.versions). The deadlines are :func:`rules.adhoc.deadlines`'.
One transaction: the program (first time), the version, the cycle, its tasks, the
request notices and the audit record; any refusal leaves the database as it was.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, insert
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from models import Body, Cycle, Program, ProgramBody
from rules import adhoc
from rules.errors import Conflict, NotFound, UserError
from rules.text import clean
from rules.timezone import local_date
from services import db, notices, succession, versions
from services.calendars import load_calendar
from services.cycles import CycleOpened, insert_cycle
from services.registry import body_by_code

MAX_SUBJECT = 500


@dataclass(frozen=True)
class Request:
    """What a coordinator asks, as the CLI and the API pass it (checked here)."""

    coordinator: str
    subject: str
    letter_no: str
    bodies: Sequence[str]
    due: date | None = None
    within: int | None = None
    letter_date: date | None = None
    outline: list[dict[str, Any]] | None = None  # None: one section, rules.adhoc's
    escalation: dict[str, Any] | None = None  # None: the default ladder
    review_working_days: int = adhoc.REVIEW_WORKING_DAYS
    synthesis_working_days: int = adhoc.SYNTHESIS_WORKING_DAYS


def _checked(request: Request) -> tuple[str, str, list[str], adhoc.RequestTerms]:
    subject = " ".join(clean(request.subject or "", "the subject").split())
    if not subject:
        raise UserError("an ad-hoc request needs a subject")
    if len(subject) > MAX_SUBJECT:
        raise UserError(f"the subject is longer than {MAX_SUBJECT} characters")
    letter_no = clean(request.letter_no or "", "the letter number").strip()
    if not letter_no:
        raise UserError("an ad-hoc request needs the number of its letter")
    codes = [c.strip() for c in request.bodies if c and c.strip()]
    if not codes:
        raise UserError("an ad-hoc request needs at least one body")
    twice = sorted({c for c in codes if codes.count(c) > 1})
    if twice:
        raise UserError(f"body(ies) listed twice: {', '.join(twice)}")
    if request.coordinator in codes:
        raise UserError("the coordinator cannot also be a reporting body")
    terms = adhoc.request_terms(request.outline, request.escalation)
    return subject, letter_no, codes, terms


def open_request(request: Request, *, now: datetime, actor: str) -> CycleOpened:
    """Open an ad-hoc request: all or nothing, audited; the same letter twice is refused."""
    subject, letter_no, codes, terms = _checked(request)
    today = local_date(now)
    letter_date = request.letter_date or today
    calendar = load_calendar()
    dates = adhoc.deadlines(
        letter_date, today, calendar, due=request.due, within=request.within,
        review=request.review_working_days, synthesis=request.synthesis_working_days,
    )  # fmt: skip
    with db.transaction() as session:
        coordinator = body_by_code(session, request.coordinator)
        if not coordinator.exists_on(letter_date):
            raise UserError(
                f"coordinator {coordinator.code} did not exist on {letter_date.isoformat()}"
            )
        bodies = _bodies(session, codes, letter_date)
        program = _program(session, coordinator, now=now, actor=actor)
        _check_letter(session, program, letter_no)
        _take_part(session, program, [bodies[c] for c in codes])
        # its period ends at its letter (AdhocPeriod.cutoff reads no cut-off day) and it
        # feeds no program above, so it keeps no margin
        stated = versions.terms_of(
            terms, cutoff_start_day=1, provide=dates.provide_working_days,
            review=request.review_working_days, synthesis=request.synthesis_working_days,
            margin=0,
        )  # fmt: skip
        version, _ = versions.settle(session, program, stated, now=now)
        taken = list(
            session.connection()
            .execute(select(Cycle.period).where(Cycle.program_id == program.id))
            .scalars()
        )
        period = adhoc.AdhocPeriod(adhoc.next_spec(letter_date.year, taken), subject, letter_date)
        cycle, tasks = insert_cycle(
            session, program, version, period, letter_no=letter_no, letter_date=letter_date,
            now=now, dates=(dates.provide_due, dates.review_due, dates.synthesis_due),
            parent=None, calendar=calendar, actor=actor, bodies=[bodies[c] for c in codes],
            mergers=succession.in_force(session.connection(), today),
            subject=subject,
        )  # fmt: skip
        db.audit(
            session, at=now, actor=actor, action="cycle.opened", cycle_id=cycle.id,
            program=program.code, period=period.spec, adhoc=True, subject=subject,
            letter_no=letter_no, letter_date=letter_date, provide_due=dates.provide_due,
            requested_due=request.due,
            working_days=request.within, program_version=version.version, bodies=codes,
            tasks=tasks,
        )  # fmt: skip
        notices.opened(session, cycle, program, now=now)  # every body hears of the request
    return CycleOpened(cycle, program.code, tasks)


def _bodies(session: Session, codes: list[str], day: date) -> dict[str, int]:
    """The requested bodies' ids; unknown ones, or ones that did not exist on ``day``,
    are one line."""
    rows = {
        b.code: b
        for b in session.exec(select(Body).where(Body.code.in_(codes))).all()  # type: ignore[attr-defined]
    }
    missing = [c for c in codes if c not in rows]
    if missing:
        raise NotFound(f"unknown body code(s): {', '.join(missing)}")
    gone = [c for c in codes if not rows[c].exists_on(day)]
    if gone:
        raise UserError(f"body(ies) {', '.join(gone)} did not exist on {day.isoformat()}")
    return {c: rows[c].id for c in codes}


def _program(session: Session, coordinator: Body, *, now: datetime, actor: str) -> Program:
    """The coordinator's ad-hoc program, made (and audited) with its first request."""
    code = adhoc.program_code(coordinator.code)
    program = session.exec(select(Program).where(Program.code == code)).first()
    if program is not None:
        if program.period_kind != adhoc.KIND:
            raise Conflict(
                f"program {code} is a regular program; ad-hoc requests of {coordinator.code} "
                "need that code free"
            )
        return program
    # No terms here: each request's are a version of it (versions.settle, by the caller).
    program = Program(
        code=code, title=adhoc.TITLE, coordinator_id=coordinator.id, period_kind=adhoc.KIND,
        created_at=now,
    )  # fmt: skip
    session.add(program)
    try:
        session.flush()
    except IntegrityError:  # another request of the same coordinator made it meanwhile
        raise Conflict(
            f"program {code} was being made by another request at the same moment; try again"
        ) from None
    db.audit(session, at=now, actor=actor, action="program.created", code=code, adhoc=True)
    return program


def _check_letter(session: Session, program: Program, letter_no: str) -> None:
    """A letter asks once: the same letter again is the same request (never a second)."""
    period = session.exec(
        select(Cycle.period).where(Cycle.program_id == program.id, Cycle.letter_no == letter_no)
    ).first()
    if period is not None:
        raise Conflict(
            f"letter {letter_no} already opened the ad-hoc request {program.code}/{period}"
        )


def _take_part(session: Session, program: Program, body_ids: list[int]) -> None:
    """The requested bodies among the program's, each once, in the order first asked."""
    conn = session.connection()
    member = ProgramBody.__table__.c  # type: ignore[attr-defined]
    known = set(
        conn.execute(select(member.body_id).where(member.program_id == program.id)).scalars()
    )
    new = [b for b in body_ids if b not in known]
    if not new:
        return
    start = conn.execute(
        select(func.coalesce(func.max(member.position), -1)).where(member.program_id == program.id)
    ).scalar_one()
    conn.execute(
        insert(ProgramBody.__table__),  # type: ignore[attr-defined]
        [
            {"program_id": program.id, "body_id": b, "position": start + 1 + i}
            for i, b in enumerate(new)
        ],
    )
