"""Synthesis: compile the accepted reports into one official report and close the cycle.

The report is **issued** at synthesis, in one transaction: its number is drawn
from the coordinator's register (or the one the office entered, ``number``),
it is signed by whoever held the coordinator's office that day, rendered into
the coordinator's regime's template (services.issuing), and its .docx bytes
and Markdown are stored with their SHA-256. Every later download is that file:
a change of head, of a body's name or of a template never changes a report
already issued.

Before closing, :func:`draft` (Markdown, for the preview) and
:func:`draft_docx` (Word) render the report as it would close now, marked
``DỰ THẢO`` and with the number left blank for the clerk (``Số      -BC/BTGTU``).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, select

from models import (
    Body,
    Cycle,
    Document,
    Extension,
    Program,
    ProgramBody,
    RegisterEntry,
    Review,
    Submission,
    Synthesis,
    Task,
)
from rules import numbering
from rules.documents import Paper, Table, compose, leadership_short, official_date, paper_markdown
from rules.errors import Conflict, NotFound
from rules.report import (
    BodyReport,
    Extended,
    ReportHeader,
    Returned,
    blocker_rows,
    build,
    category_counts,
    check_closing,
    own_number,
    summary_rows,
)
from rules.tasks import Status
from rules.text import clean
from rules.timezone import local_date
from services import db, issuing, rollup, versions
from services.cycles import resolve_cycle


@dataclass
class Synthesized:
    cycle_id: int
    ref: str
    markdown: str
    summary: list[dict[str, Any]]
    left_out: list[str] = field(default_factory=list)
    symbol: str | None = None
    docx_sha256: str | None = None
    markdown_sha256: str | None = None
    # The roll-up (services.rollup): the report's submission to the cycle above, and
    # the cycles below still open, each told that this one closed first.
    fed: dict[str, Any] | None = None
    children_open: list[int] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "cycle": self.cycle_id,
            "ref": self.ref,
            "fed": self.fed,
            "children_open": self.children_open,
            "summary": self.summary,
            "left_out": self.left_out,
            "number": self.symbol,
            "docx_sha256": self.docx_sha256,
            "markdown_sha256": self.markdown_sha256,
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


def annex_tables(session: Session, cycle: Cycle, program: Program) -> list[Table]:
    """The cycle's summed data forms (services.forms.cycle_totals), one annex table each,
    after the status table: every indicator, its total over the accepted bodies, and
    the bodies that gave no value. None when the program declares no forms."""
    from rules.forms import number_vi
    from services.forms import cycle_totals

    tables = []
    for form in cycle_totals(cycle.id).forms:
        names = form.bodies
        rows = tuple(
            (
                c.key,
                c.name,
                c.unit or "",
                number_vi(c.total, c.type) if c.total is not None else "—",
                ", ".join(names.get(code, code) for code in c.missing),
            )
            for c in form.cells
        )
        tables.append(
            Table(
                f"BIỂU {form.code}: {form.title}".upper(),
                ("Mã", "Chỉ tiêu", "Đơn vị", "Tổng cộng", "Cơ quan chưa có số liệu"),
                rows,
                (1.6, 5.6, 2.0, 2.6, 4.7),
                f"Số liệu cộng từ báo cáo đã tiếp nhận của {len(form.values)}/{len(names)} "
                "cơ quan.",
            )
        )
    return tables


def _collect(
    session: Session, cycle: Cycle, program: Program, created_at: datetime
) -> tuple[ReportHeader, list[BodyReport]]:
    """What the report says, read from the cycle's tasks and immutable submissions."""
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
    extensions: dict[int, list[Extended]] = {}
    for e in session.exec(
        select(Extension).where(Extension.task_id.in_(task_ids)).order_by(Extension.id)
    ).all():
        extensions.setdefault(e.task_id, []).append(Extended(e.new_due_date, e.reason))
    returned: dict[int, list[Returned]] = {}
    for r in session.exec(
        select(Review)
        .where(Review.task_id.in_(task_ids), Review.decision == "returned")
        .order_by(Review.id)
    ).all():
        returned.setdefault(r.task_id, []).append(
            Returned(local_date(r.reviewed_at), r.comment or "", r.new_due_date)
        )
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
            last_submitted_at=task.last_submitted_at,
            extensions=tuple(extensions.get(task.id, ())),
            returned=tuple(returned.get(task.id, ())),
            own_number=own_number(accepted[task.id].content) if task.id in accepted else None,
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
        outline=tuple(versions.of_cycle(session, cycle).outline),  # as it was opened
        provide_due=cycle.provide_due,
    )
    return header, bodies


def _paper(
    session: Session,
    cycle: Cycle,
    program: Program,
    header: ReportHeader,
    bodies: Sequence[BodyReport],
    *,
    number: int | None,
    draft: bool,
    extra_tables: Sequence[Table] = (),
) -> Paper:
    """The report in the coordinator's regime, signed by the holder of its office on
    the report's date, copied to the level above, its leaders and the bodies."""
    coordinator = session.get(Body, program.coordinator_id)
    issuer = issuing.issuer_of(session, coordinator)
    day = local_date(header.created_at)
    holder, head_title = issuing.signer(session, coordinator, day)
    content = build(header, bodies, [*annex_tables(session, cycle, program), *extra_tables])
    text = numbering.symbol(issuer.kind, number, numbering.REPORT, issuer.symbol)
    above = leadership_short(program.leadership_name) or issuer.parent_name
    copies = [f"{above} (để b/c)"] if above else []
    if issuer.kind == numbering.PARTY and issuer.masthead_name.casefold().startswith("ban "):
        copies.append("Lãnh đạo Ban")
    copies += [b.name for b in bodies]
    return compose(
        kind="report",
        issuer=issuer,
        symbol_text=text,
        day=day,
        summary=content.summary,
        body=content.blocks,
        holder=holder,
        head_title=head_title,
        copies=copies,
        annex=content.annex,
        annex_note=f"(Kèm theo Báo cáo số {text.strip()} ngày {official_date(day)} "
        f"của {coordinator.name})",
        draft=draft,
    )


def synthesize(
    cycle_ref: str,
    *,
    now: datetime,
    actor: str,
    leave_out: Sequence[str] = (),
    number: str | None = None,
    extra_tables: Sequence[Table] = (),
) -> Synthesized:
    """Issue the consolidated report, store it frozen with the cycle and close the cycle.

    Refused (:class:`rules.report.ClosingBlocked`, naming the tasks) while a
    report waits for review or a body is within its deadline, unless those
    bodies are in ``leave_out``: then the report and the audit log name them.
    ``number``: the number the office gave it in its own system (else drawn
    from the register). ``extra_tables`` join the annex (the summed data forms).
    A cycle opened under one above feeds it: the report becomes its coordinator's
    submission there (:func:`services.rollup.feed_parent`).
    """
    leave_out = sorted({code.strip() for code in leave_out if code.strip()})
    entered = numbering.parse_entered(clean(number, "the number")) if number else None
    with db.reading() as session:  # the template is checked before anything is written
        cycle, program = resolve_cycle(session, cycle_ref)
        coordinator = session.get(Body, program.coordinator_id)
        issuing.template(issuing.regime_of(coordinator), "report")
    with db.transaction() as session:
        cycle, program = resolve_cycle(session, cycle_ref)
        if cycle.status != "open":
            raise Conflict(f"cycle {program.code}/{cycle.period} was already synthesized")
        header, bodies = _collect(session, cycle, program, now)
        left = {row["body"]: row for row in blocker_rows(bodies, now) if row["body"] in leave_out}
        bodies = check_closing(bodies, now, leave_out)
        coordinator = session.get(Body, program.coordinator_id)
        issuer = issuing.issuer_of(session, coordinator)
        day = local_date(now)
        drawn = issuing.allocate(
            session, issuer, coordinator.id, numbering.REPORT, day, now=now, actor=actor,
            entered=entered,
        )  # fmt: skip
        paper = _paper(session, cycle, program, header, bodies, number=drawn.number,
                       draft=False, extra_tables=extra_tables)  # fmt: skip
        data, used = issuing.render(paper)
        markdown = paper_markdown(paper)
        md_digest, docx_digest = issuing.sha256(markdown.encode()), issuing.sha256(data)
        document = Document(
            key=f"report:{cycle.id}", kind="report", state="rendered", cycle_id=cycle.id,
            issuer_id=coordinator.id, regime=issuer.kind, number=drawn.number,
            symbol=drawn.symbol, issued_on=day, signer_name=paper.signature.name or None,
            signer_title=paper.signature.title, template=used.label,
            filename=report_filename(program.code, cycle.period, drawn.symbol),
            content_type=issuing.DOCX, data=data, sha256=docx_digest, markdown=markdown,
            markdown_sha256=md_digest, created_at=now, rendered_at=now,
        )  # fmt: skip
        session.add(document)
        session.flush()
        session.execute(
            update(RegisterEntry)
            .where(
                RegisterEntry.issuer_id == coordinator.id,
                RegisterEntry.symbol == drawn.symbol,
                RegisterEntry.document_id.is_(None),
            )  # fmt: skip
            .values(document_id=document.id)
            .execution_options(synchronize_session=False)
        )
        summary = summary_rows(bodies)
        session.add(
            Synthesis(
                cycle_id=cycle.id, created_at=now, created_by=actor, markdown=markdown,
                summary=summary, document_id=document.id, markdown_sha256=md_digest,
                docx_sha256=docx_digest,
            )
        )  # fmt: skip
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
            number=drawn.symbol,
            number_entered=drawn.entered,
            docx_sha256=docx_digest,
            markdown_sha256=md_digest,
        )
        ref = f"{program.code}/{cycle.period}"
        children_open = rollup.trace_parent_closed(session, cycle, ref, now=now, actor=actor)
    # Its own audited transaction, right after: a parent that refuses the report (closed
    # first, the task accepted) never undoes this cycle's synthesis.
    try:
        fed = rollup.feed_parent(cycle.id, markdown, now=now, actor=actor)
    except Exception:  # noqa: BLE001 - the cycle is closed: the next sweep sends it up
        logging.getLogger(__name__).exception("cycle %s: sending its report up failed", ref)
        fed = {"fed": False, "parent": "cấp trên", "reason": "lần quét sau sẽ gửi lại"}
    return Synthesized(cycle.id, ref, markdown, summary, leave_out, drawn.symbol, docx_digest,
                       md_digest, fed, children_open)  # fmt: skip


def report_filename(program: str, period: str, symbol: str | None) -> str:
    """``bao-cao-tong-hop-QD238-2024-H1-45-BC-BTGTU.docx``: a name Word and mail keep."""
    tail = f"-{symbol.replace('/', '-')}" if symbol else "-du-thao"
    return f"bao-cao-tong-hop-{program}-{period}{tail}.docx"


def _draft_paper(cycle_ref: str, now: datetime) -> tuple[Cycle, Program, Paper, list[dict]]:
    with db.reading() as session:
        cycle, program = resolve_cycle(session, cycle_ref)
        header, bodies = _collect(session, cycle, program, now)
        paper = _paper(session, cycle, program, header, bodies, number=None, draft=True)
    return cycle, program, paper, blocker_rows(bodies, now)


def draft(cycle_ref: str, *, now: datetime) -> Draft:
    """The report as it would read if the cycle closed at ``now`` (nothing is written),
    with the bodies that hold it up; a closed cycle shows the report it closed with."""
    with db.reading() as session:
        cycle, program = resolve_cycle(session, cycle_ref)
        ref = f"{program.code}/{cycle.period}"
        if cycle.status != "open":
            stored = session.exec(select(Synthesis).where(Synthesis.cycle_id == cycle.id)).one()
            return Draft(cycle.id, ref, cycle.status, stored.markdown, [])
    cycle, program, paper, blockers = _draft_paper(cycle_ref, now)
    return Draft(cycle.id, ref, cycle.status, paper_markdown(paper), blockers)


def draft_docx(cycle_ref: str, *, now: datetime) -> tuple[bytes, str]:
    """The Word draft of an open cycle's report (``DỰ THẢO``, the number left blank) and
    its file name; a closed cycle's is the report it was issued with."""
    with db.reading() as session:
        cycle, program = resolve_cycle(session, cycle_ref)
        closed = cycle.status != "open"
    if closed:
        return word_report(cycle_ref), stored_filename(cycle_ref)
    cycle, program, paper, _ = _draft_paper(cycle_ref, now)
    data, _template = issuing.render(paper, title=f"DỰ THẢO — {paper.summary}")
    return data, report_filename(program.code, cycle.period, None)


def _closed(session: Session, cycle_ref: str) -> tuple[Cycle, Program, Synthesis]:
    cycle, program = resolve_cycle(session, cycle_ref)
    row = session.exec(select(Synthesis).where(Synthesis.cycle_id == cycle.id)).first()
    if row is None:
        raise NotFound(f"cycle {program.code}/{cycle.period} has not been synthesized yet")
    return cycle, program, row


def word_report(cycle_ref: str) -> bytes:
    """The consolidated report's .docx exactly as issued (the stored bytes).

    A cycle closed before reports were frozen (no stored file) is rendered from
    its rows with a blank number, as those versions did."""
    with db.reading() as session:
        cycle, program, row = _closed(session, cycle_ref)
        if row.document_id is not None:
            document = session.get(Document, row.document_id)
            if document is not None and document.data is not None:
                return document.data
        header, bodies = _collect(session, cycle, program, row.created_at)
        left_out = {r["body"] for r in row.summary if r["category"] == "left_out"}
        bodies = [replace(b, left_out=b.code in left_out) for b in bodies]
        paper = _paper(session, cycle, program, header, bodies, number=None, draft=False)
    return issuing.render(paper)[0]


def stored_filename(cycle_ref: str) -> str:
    with db.reading() as session:
        cycle, program, row = _closed(session, cycle_ref)
        document = session.get(Document, row.document_id) if row.document_id else None
        return (document.filename if document and document.filename
                else report_filename(program.code, cycle.period, None))  # fmt: skip


def stored_report(cycle_ref: str) -> Synthesized:
    """The report a cycle was closed with."""
    with db.reading() as session:
        cycle, program, row = _closed(session, cycle_ref)
        document = session.get(Document, row.document_id) if row.document_id else None
        return Synthesized(
            cycle.id, f"{program.code}/{cycle.period}", row.markdown, row.summary,
            [r["body"] for r in row.summary if r["category"] == "left_out"],
            document.symbol if document else None, row.docx_sha256, row.markdown_sha256,
        )  # fmt: skip
