"""Review: the coordinator accepts a submission, returns it, or extends a deadline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, select

from models import Body, Cycle, Extension, Program, Review, Submission, Task
from rules.calendar import WorkCalendar
from rules.deadlines import MovedDate, working_day_for
from rules.errors import UserError
from rules.tasks import (
    Status,
    check_extend,
    check_new_due_date,
    check_review,
    check_version_read,
)
from rules.text import clean
from rules.timezone import local_date
from services import db, notices, rollup, versions
from services.calendars import load_calendar
from services.cycles import resolve_task
from services.escalation import first_rung_at


@dataclass
class Reviewed:
    task_id: int
    body: str
    decision: str  # accepted | returned | extended
    version: int | None
    due_date: date
    comment: str | None = None
    below: dict[str, Any] | None = None  # an extension: what it did to the cycle below
    moved: MovedDate | None = None  # the typed due date fell on a day off: moved, and why

    def as_dict(self) -> dict[str, Any]:
        return {
            "task": self.task_id,
            "body": self.body,
            "decision": self.decision,
            "version": self.version,
            "due_date": self.due_date,
            "comment": self.comment,
            "below": self.below,
            "due_moved": self.moved.as_dict() if self.moved else None,
        }


def _latest_submission(session: Session, task: Task, seen: int | None = None) -> Submission:
    """The version a review decides on: the latest. ``seen``: the version the reviewer
    read (a confirmation page names it); a newer one sent since is a Conflict, so a
    decision never lands on a text nobody read."""
    submission = session.exec(
        select(Submission).where(Submission.task_id == task.id).order_by(Submission.version.desc())
    ).first()
    assert submission is not None, "a submitted task always has a submission"
    check_version_read(submission.version, seen)
    return submission


def accept(*, now: datetime, actor: str, version: int | None = None, **task_ref: Any) -> Reviewed:
    """Accept the latest version (``version``: the one the reviewer read, checked to be
    it); the task is then done for good."""
    with db.transaction() as session:
        task, cycle, program, body = resolve_task(session, lock=True, **task_ref)
        check_review(task.status, cycle.status == "open")
        submission = _latest_submission(session, task, version)
        session.add(
            Review(
                task_id=task.id,
                submission_id=submission.id,
                decision="accepted",
                reviewed_at=now,
                reviewer=actor,
            )
        )
        task.status = Status.ACCEPTED.value
        task.accepted_at = now
        session.add(task)
        db.audit(
            session,
            at=now,
            actor=actor,
            action="task.accepted",
            cycle_id=cycle.id,
            task_id=task.id,
            body=body.code,
            version=submission.version,
        )
        notices.accepted(session, task, cycle, program, body, version=submission.version, now=now)
    return Reviewed(task.id, body.code, "accepted", submission.version, task.due_date, None)


def return_for_revision(
    *, comment: str, new_due: date, now: datetime, actor: str, version: int | None = None,
    **task_ref: Any,
) -> Reviewed:  # fmt: skip
    """Return the latest version with a comment and a new due date (yêu cầu bổ sung)."""
    comment = clean(comment, "the comment").strip()
    if not comment:
        raise UserError("a return needs a comment saying what to supplement")
    check_new_due_date(new_due, local_date(now))
    calendar = load_calendar()
    with db.transaction() as session:
        task, cycle, program, body = resolve_task(session, lock=True, **task_ref)
        check_review(task.status, cycle.status == "open")
        submission = _latest_submission(session, task, version)
        due_date, moved = working_day_for(new_due, calendar)
        session.add(
            Review(
                task_id=task.id,
                submission_id=submission.id,
                decision="returned",
                comment=comment,
                new_due_date=due_date,
                reviewed_at=now,
                reviewer=actor,
            )
        )
        task.status = Status.RETURNED.value
        task.returns += 1
        _reschedule(
            session, task, cycle.id, body.code, due_date, calendar, action="task.returned",
            actor=actor, now=now, version=submission.version, comment=comment,
            requested_due=new_due,
        )  # fmt: skip
        notices.returned(session, task, cycle, program, body, version=submission.version,
                         comment=comment, new_due=due_date, now=now)  # fmt: skip
    return Reviewed(
        task.id, body.code, "returned", submission.version, due_date, comment, moved=moved
    )


def extend(*, new_due: date, reason: str, now: datetime, actor: str, **task_ref: Any) -> Reviewed:
    """Grant an extension (gia hạn) with a reason; the urging ladder starts over."""
    reason = clean(reason, "the reason").strip()
    if not reason:
        raise UserError("an extension needs a reason")
    check_new_due_date(new_due, local_date(now))
    calendar = load_calendar()
    with db.transaction() as session:
        task, cycle, program, body = resolve_task(session, lock=True, **task_ref)
        due_date, moved = working_day_for(new_due, calendar)
        check_extend(task.status, cycle.status == "open", task.due_date, due_date)
        grant_extension(session, task, cycle, program, body, due_date, calendar, reason=reason,
                        now=now, actor=actor, requested_due=new_due)  # fmt: skip
        # The cycle this body runs below, if any, as its program's policy says.
        below = rollup.follow_extension(session, task, cycle, new_due=due_date, reason=reason,
                                        calendar=calendar, now=now, actor=actor)  # fmt: skip
    return Reviewed(task.id, body.code, "extended", None, due_date, reason, below, moved)


def grant_extension(
    session: Session,
    task: Task,
    cycle: Cycle,
    program: Program,
    body: Body,
    due_date: date,
    calendar: WorkCalendar,
    *,
    reason: str,
    now: datetime,
    actor: str,
    **detail: Any,
) -> None:
    """The three steps of an extension, inside the caller's transaction: the extension
    recorded, the task rescheduled (its ladder restarted, ``task.extended`` audited with
    ``detail``) and its body told. Written once for both extensions there are: one a
    coordinator grants (:func:`extend`) and one that follows an extension of the cycle
    above (:func:`services.rollup.follow_extension`); the checks are each caller's."""
    old_due = task.due_date
    session.add(
        Extension(
            task_id=task.id,
            old_due_date=old_due,
            new_due_date=due_date,
            reason=reason,
            granted_at=now,
            granted_by=actor,
        )
    )
    _reschedule(
        session, task, cycle.id, body.code, due_date, calendar, action="task.extended",
        actor=actor, now=now, reason=reason, **detail,
    )  # fmt: skip
    notices.extended(session, task, cycle, program, body, old_due=old_due, new_due=due_date,
                     reason=reason, now=now)  # fmt: skip


def _reschedule(
    session: Session,
    task: Task,
    cycle_id: int,
    body_code: str,
    due_date: date,
    calendar: WorkCalendar,
    *,
    action: str,
    actor: str,
    now: datetime,
    **detail: Any,
) -> None:
    """Give a task a new deadline: a new epoch, so the urging ladder restarts. Audited."""
    old_due = task.due_date
    task.due_date = due_date
    task.due_at = calendar.deadline_of(due_date)
    task.ladder_epoch += 1
    task.rungs_done = 0
    cycle = session.get(Cycle, cycle_id)
    assert cycle is not None
    task.next_rung_at = first_rung_at(versions.of_cycle(session, cycle), due_date, calendar)
    task.escalation_level = 0
    session.add(task)
    db.audit(session, at=now, actor=actor, action=action, cycle_id=cycle_id, task_id=task.id,
             body=body_code, **detail, old_due=old_due, new_due=due_date)  # fmt: skip


DECISIONS = ("accept", "return", "extend")


def decide(
    decision: str,
    task_ref: dict[str, Any],
    *,
    comment: str | None,
    new_due: date | None,
    now: datetime,
    actor: str,
    version: int | None = None,
) -> Reviewed:
    """One entry for the three coordinator decisions (comment = reason for an extension);
    ``version``, for accept and return: the version the reviewer read."""
    if decision == "accept":
        return accept(now=now, actor=actor, version=version, **task_ref)
    if decision not in DECISIONS:
        raise UserError(f"unknown decision {decision!r}; use {', '.join(DECISIONS)}")
    if new_due is None:
        raise UserError(f"a {decision} needs a new due date")
    if decision == "return":
        return return_for_revision(
            comment=comment or "", new_due=new_due, now=now, actor=actor, version=version,
            **task_ref,
        )  # fmt: skip
    return extend(new_due=new_due, reason=comment or "", now=now, actor=actor, **task_ref)
