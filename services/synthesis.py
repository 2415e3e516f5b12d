"""Synthesis: compile the accepted reports into one and close the cycle."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, select

from models import Body, Cycle, Program, ProgramBody, Submission, Synthesis, Task
from rules.errors import Conflict, NotFound
from rules.report import (
    BodyReport,
    ReportHeader,
    blocker_rows,
    category_counts,
    check_closing,
    render_markdown,
    summary_rows,
)
from rules.tasks import Status
from services import db
from services.cycles import resolve_cycle


@dataclass
class Synthesized:
    cycle_id: int
    ref: str
    markdown: str
    summary: list[dict[str, Any]]
    left_out: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "cycle": self.cycle_id,
            "ref": self.ref,
            "summary": self.summary,
            "left_out": self.left_out,
        }


@dataclass
class Draft:
    """The report a cycle would be closed with now, and who still holds it up."""

    cycle_id: int
    ref: str
    status: str
    markdown: str
    blockers: list[dict[str, Any]]

    def as_dict(self) -> dict[str, Any]:
        return {
            "cycle": self.cycle_id,
            "ref": self.ref,
            "status": self.status,
            "markdown": self.markdown,
            "blockers": self.blockers,
        }


def _collect(
    session: Session, cycle: Cycle, program: Program, created_at: datetime
) -> tuple[ReportHeader, list[BodyReport]]:
    """What the report says, read from the cycle's tasks and immutable submissions.

    Once a cycle is synthesized nothing in it can change, so reading this again
    later (for the Word file) gives the same report.
    """
    coordinator = session.get(Body, program.coordinator_id)
    if coordinator is None:
        raise NotFound("the program's coordinator body is missing")
    rows = session.exec(
        select(Task, Body)
        .join(Body, Body.id == Task.body_id)
        .join(
            ProgramBody,
            (ProgramBody.body_id == Body.id) & (ProgramBody.program_id == program.id),
        )
        .where(Task.cycle_id == cycle.id)
        .order_by(ProgramBody.position)
    ).all()
    task_ids = [t.id for t, _ in rows]
    firsts = {
        s.task_id: s
        for s in session.exec(
            select(Submission).where(Submission.task_id.in_(task_ids), Submission.version == 1)
        ).all()
    }
    accepted = {
        s.task_id: s
        for s in session.exec(
            select(Submission)
            .join(Task, (Task.id == Submission.task_id) & (Task.versions == Submission.version))
            .where(Task.cycle_id == cycle.id, Task.status == Status.ACCEPTED.value)
        ).all()
    }
    bodies = [
        BodyReport(
            code=body.code,
            name=body.name,
            status=task.status,
            versions=task.versions,
            returns=task.returns,
            first_submitted_at=firsts[task.id].submitted_at if task.id in firsts else None,
            first_on_time=firsts[task.id].on_time if task.id in firsts else None,
            accepted_sections=accepted[task.id].sections if task.id in accepted else None,
            task_id=task.id,
            due_at=task.due_at,
        )
        for task, body in rows
    ]
    header = ReportHeader(
        coordinator=coordinator.name,
        program_title=program.title,
        legal_basis=program.legal_basis,
        period_label=cycle.period_label,
        cutoff_start=cycle.cutoff_start,
        cutoff_end=cycle.cutoff_end,
        letter_no=cycle.letter_no,
        letter_date=cycle.letter_date,
        created_at=created_at,
        signer_title=coordinator.head_title,
        signer_name=coordinator.head_name,
    )
    return header, bodies


def synthesize(
    cycle_ref: str, *, now: datetime, actor: str, leave_out: Sequence[str] = ()
) -> Synthesized:
    """Build the consolidated report, store it with the cycle and close the cycle.

    Refused (:class:`rules.report.ClosingBlocked`, naming the tasks) while a
    report waits for review or a body is within its deadline, unless those
    bodies are in ``leave_out``: then the report and the audit log name them.
    """
    leave_out = sorted({code.strip() for code in leave_out if code.strip()})
    with db.transaction() as session:
        cycle, program = resolve_cycle(session, cycle_ref)
        if cycle.status != "open":
            raise Conflict(f"cycle {program.code}/{cycle.period} was already synthesized")
        header, bodies = _collect(session, cycle, program, now)
        left = {row["body"]: row for row in blocker_rows(bodies, now) if row["body"] in leave_out}
        bodies = check_closing(bodies, now, leave_out)
        markdown = render_markdown(header, bodies)
        summary = summary_rows(bodies)
        session.add(
            Synthesis(
                cycle_id=cycle.id,
                created_at=now,
                created_by=actor,
                markdown=markdown,
                summary=summary,
            )
        )
        cycle.status = "synthesized"
        cycle.synthesized_at = now
        session.add(cycle)
        session.execute(  # its tasks leave the sweep's and the overdue lists' index ranges
            update(Task)
            .where(Task.cycle_id == cycle.id)
            .values(cycle_open=False, next_rung_at=None)
            .execution_options(synchronize_session=False)
        )
        counts = category_counts(bodies)
        db.audit(
            session,
            at=now,
            actor=actor,
            action="cycle.synthesized",
            cycle_id=cycle.id,
            counts=counts,
            left_out=[
                {"body": code, "task": row["task"], "reason": row["reason"]}
                for code, row in left.items()
            ],
        )
    ref = f"{program.code}/{cycle.period}"
    return Synthesized(cycle.id, ref, markdown, summary, leave_out)


def draft(cycle_ref: str, *, now: datetime) -> Draft:
    """The report as it would read if the cycle closed at ``now`` (nothing is written),
    with the bodies that hold it up; a closed cycle shows the report it closed with."""
    with db.reading() as session:
        cycle, program = resolve_cycle(session, cycle_ref)
        ref = f"{program.code}/{cycle.period}"
        if cycle.status != "open":
            stored = session.exec(select(Synthesis).where(Synthesis.cycle_id == cycle.id)).one()
            return Draft(cycle.id, ref, cycle.status, stored.markdown, [])
        header, bodies = _collect(session, cycle, program, now)
    return Draft(
        cycle.id, ref, cycle.status, render_markdown(header, bodies), blocker_rows(bodies, now)
    )


def _closed(session: Session, cycle_ref: str) -> tuple[Cycle, Program, Synthesis]:
    cycle, program = resolve_cycle(session, cycle_ref)
    row = session.exec(select(Synthesis).where(Synthesis.cycle_id == cycle.id)).first()
    if row is None:
        raise NotFound(f"cycle {program.code}/{cycle.period} has not been synthesized yet")
    return cycle, program, row


def word_report(cycle_ref: str) -> bytes:
    """The consolidated report as a .docx officials can open and edit in Word."""
    from services.report_docx import render_docx

    with db.reading() as session:
        cycle, program, row = _closed(session, cycle_ref)
        header, bodies = _collect(session, cycle, program, row.created_at)
    left_out = {r["body"] for r in row.summary if r["category"] == "left_out"}
    bodies = [replace(b, left_out=b.code in left_out) for b in bodies]
    return render_docx(header, bodies)


def stored_report(cycle_ref: str) -> Synthesized:
    """The report a cycle was closed with."""
    with db.reading() as session:
        cycle, program, row = _closed(session, cycle_ref)
        return Synthesized(cycle.id, f"{program.code}/{cycle.period}", row.markdown, row.summary)
