"""Urging letters and leadership summaries: numbered, rendered and sent after a sweep.

The sweep records, for each formal rung it fires, a ``document`` row in state
``to_render`` (services.escalation), and for each rung that reaches the
coordinator's leadership it marks the row for the leadership's summary. This
module does the rest, outside the sweep's write batches, in small transactions
of its own (:func:`render_pending`):

1. **summaries**: the marked rows of one sweep (same moment) and one cycle get
   one summary document addressed to the leadership (its ``key`` makes it once);
2. **numbering**: a letter's row is moved from ``to_render`` to ``numbered`` by a
   conditional UPDATE (so two renderers never number it twice) and gets the next
   công văn number of the coordinator's register, in the same transaction;
3. **rendering**, with no transaction open: the words (rules.letters), the form
   of the coordinator's regime (rules.documents), the .docx (services.issuing);
4. **storing**: the bytes, their digest, the Markdown and the signer, state
   ``rendered``; a body's letter is attached to the message its rung already
   put in the outbox, a summary gets a message of its own to the leadership.

A row left ``numbered`` by a renderer that stopped is rendered by the next one,
with the number it already has. Until a letter is rendered (or for at most
:data:`services.notify.LETTER_PATIENCE`), delivery holds back the message it
belongs to, so the letter goes with it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import defer

from models import (
    Body,
    Cycle,
    Document,
    Extension,
    Notification,
    OutboxAttachment,
    Program,
    RegisterEntry,
    Review,
    Task,
)
from rules import letters as words
from rules import numbering
from rules.documents import compose, leadership_short, paper_markdown
from rules.errors import NotFound
from rules.escalation import Policy
from rules.messages import addresses
from rules.tasks import Status
from rules.timezone import days_late, local_date
from services import db, issuing, versions

BATCH = 20  # letters numbered per transaction; rendering one takes ~50 ms, outside it
D = Document.__table__.c


@dataclass
class Rendered:
    summaries: int = 0
    rendered: int = 0
    failed: int = 0
    letters: list[str] = field(default_factory=list)  # numbers and symbols, in order

    def as_dict(self) -> dict[str, Any]:
        return {
            "summaries": self.summaries,
            "rendered": self.rendered,
            "failed": self.failed,
            "letters": self.letters,
        }


def render_pending(*, now: datetime, actor: str = "letters", batch: int = BATCH) -> Rendered:
    """Number, render and send every letter the sweeps asked for (see the module text)."""
    done = Rendered()
    done.summaries = _make_summaries(now)
    for kind in ("urging", "summary"):  # a summary cites the letters: they come first
        while True:
            ids = _number(kind, now, actor, batch)
            if not ids:
                break
            for document_id in ids:
                try:
                    symbol = _render_one(document_id, now)
                except Exception as exc:  # a broken template, a missing body: keep going
                    _failed(document_id, now, f"{type(exc).__name__}: {exc}")
                    done.failed += 1
                else:
                    if symbol:
                        done.rendered += 1
                        done.letters.append(symbol)
            if len(ids) < batch:
                break
    return done


# -- 1. summaries ------------------------------------------------------------------------


def _make_summaries(now: datetime) -> int:
    """One summary document per (cycle, sweep) among the rows marked for leadership."""
    with db.reading() as session:
        groups = session.execute(
            select(D.cycle_id, D.sweep_at, D.issuer_id, func.max(D.new_due))
            .where(D.kind == "urging", D.to_leadership.is_(True), D.summary_id.is_(None))
            .group_by(D.cycle_id, D.sweep_at, D.issuer_id)
        ).all()
    made = 0
    for cycle_id, sweep_at, issuer_id, new_due in groups:
        key = f"summary:{cycle_id}:{sweep_at.isoformat()}"
        try:
            with db.transaction() as session:
                summary = Document(key=key, kind="summary", state="to_render", cycle_id=cycle_id,
                                   issuer_id=issuer_id, sweep_at=sweep_at, new_due=new_due,
                                   created_at=now)  # fmt: skip
                session.add(summary)
                session.flush()
                session.execute(
                    update(Document)
                    .where(
                        Document.kind == "urging",
                        Document.cycle_id == cycle_id,
                        Document.sweep_at == sweep_at,
                        Document.to_leadership.is_(True),
                        Document.summary_id.is_(None),
                    )  # fmt: skip
                    .values(summary_id=summary.id)
                    .execution_options(synchronize_session=False)
                )
                made += 1
        except IntegrityError:  # another renderer made it meanwhile
            continue
    return made


# -- 2. numbering ------------------------------------------------------------------------


def _number(kind: str, now: datetime, actor: str, batch: int) -> list[int]:
    """Claim up to ``batch`` rows still to render and number them; also return the rows
    left ``numbered`` by a renderer that stopped before storing them."""
    with db.transaction() as session:
        stale = session.execute(
            select(D.id).where(D.kind == kind, D.state == "numbered").order_by(D.id).limit(batch)
        ).scalars().all()  # fmt: skip
        waiting = session.execute(
            select(D.id).where(D.kind == kind, D.state == "to_render").order_by(D.id).limit(batch)
        ).scalars().all()  # fmt: skip
        claimed = []
        for document_id in waiting:
            moved = session.execute(
                update(Document)
                .where(Document.id == document_id, Document.state == "to_render")
                .values(state="numbered")
                .execution_options(synchronize_session=False)
            ).rowcount
            if moved != 1:
                continue  # another renderer has it
            document = session.get(Document, document_id)
            coordinator = session.get(Body, document.issuer_id)
            issuer = issuing.issuer_of(session, coordinator)
            day = local_date(now)
            drawn = issuing.allocate(session, issuer, coordinator.id, numbering.LETTER, day,
                                     now=now, actor=actor, document_id=document_id)  # fmt: skip
            document.number, document.symbol, document.issued_on = drawn.number, drawn.symbol, day
            document.regime = issuer.kind
            session.add(document)
            claimed.append(document_id)
    return [*stale, *claimed]


def _failed(document_id: int, now: datetime, error: str) -> None:
    with db.transaction() as session:
        session.execute(
            update(Document)
            .where(Document.id == document_id)
            .values(state="failed", error=error[:500], rendered_at=now)
            .execution_options(synchronize_session=False)
        )
        db.audit(session, at=now, actor="letters", action="letter.failed",
                 document=document_id, error=error[:500])  # fmt: skip


# -- 3. and 4. rendering and storing ---------------------------------------------------------


def _request(cycle: Cycle, program: Program, coordinator: Body) -> words.Request:
    return words.Request(coordinator.name, program.title, cycle.period_label, cycle.letter_no,
                         cycle.letter_date, program.legal_basis)  # fmt: skip


def _render_one(document_id: int, now: datetime) -> str | None:
    with db.reading() as session:
        document = session.get(Document, document_id)
        if document is None or document.state != "numbered":
            return None
        cycle = session.get(Cycle, document.cycle_id)
        program = session.get(Program, cycle.program_id)
        coordinator = session.get(Body, document.issuer_id)
        issuer = issuing.issuer_of(session, coordinator)
        holder, head_title = issuing.signer(session, coordinator, document.issued_on)
        leadership = leadership_short(program.leadership_name) or issuer.parent_name
        board = issuer.kind == numbering.PARTY and issuer.masthead_name.casefold().startswith(
            "ban "
        )
        recipients: list[str] = []
        message = ("", "")
        if document.kind == "urging":
            letter = _urging(session, document, cycle, program, coordinator, leadership, board)
        else:
            letter, recipients, message = _summary(session, document, cycle, program,
                                                   coordinator, leadership, board)  # fmt: skip
    paper = compose(kind="letter", issuer=issuer, symbol_text=document.symbol,
                    day=document.issued_on, summary=letter.subject, body=letter.body,
                    holder=holder, head_title=head_title, copies=letter.copies,
                    to=letter.to)  # fmt: skip
    data, used = issuing.render(paper)
    markdown = paper_markdown(paper)
    filename = letter_filename(document.kind, document.symbol, cycle.period)
    with db.transaction() as session:
        stored = session.execute(
            update(Document)
            .where(Document.id == document_id, Document.state == "numbered")
            .values(
                state="rendered",
                data=data,
                sha256=issuing.sha256(data),
                markdown=markdown,
                markdown_sha256=issuing.sha256(markdown.encode()),
                filename=filename,
                content_type=issuing.DOCX,
                signer_name=paper.signature.name or None,
                signer_title=paper.signature.title,
                template=used.label,
                rendered_at=now,
                facts={"to": list(letter.to), "subject": paper.summary},
            )  # fmt: skip
            .execution_options(synchronize_session=False)
        ).rowcount
        if stored != 1:
            return None
        if document.kind == "urging":
            notification = session.execute(
                select(Notification.id).where(Notification.escalation_id == document.escalation_id)
            ).scalar()
        else:
            subject, text = message
            row = Notification(created_at=now, recipients=recipients, subject=subject, body=text)
            session.add(row)
            session.flush()
            notification = row.id
        if notification is not None:
            session.add(OutboxAttachment(notification_id=notification, document_id=document_id))
        db.audit(session, at=now, actor="letters", action=f"letter.{document.kind}",
                 cycle_id=cycle.id, task_id=document.task_id, document=document_id,
                 number=document.symbol, level=document.level, to=list(letter.to))  # fmt: skip
    return document.symbol


def letter_filename(kind: str, symbol: str | None, period: str) -> str:
    """``cong-van-don-doc-312-CV-BTGTU.docx``: the number in the name, no slashes."""
    stem = "cong-van-don-doc" if kind == "urging" else "bao-cao-lanh-dao"
    return f"{stem}-{(symbol or period).replace('/', '-')}.docx"


def _urging(
    session: Any,
    document: Document,
    cycle: Cycle,
    program: Program,
    coordinator: Body,
    leadership: str | None,
    board: bool,
) -> words.Letter:
    task = session.get(Task, document.task_id)
    body = session.get(Body, task.body_id)
    returned = None
    if task.status == Status.RETURNED.value:
        returned = session.execute(
            select(Review).where(Review.task_id == task.id, Review.decision == "returned")
            .order_by(Review.id.desc())
        ).scalars().first()  # fmt: skip
    terms = versions.of_cycle(session, cycle)  # the outline and ladder it was opened with
    sections = ()
    if task.versions == 0:
        sections = tuple(f"{s['code']}. {s['title']}" for s in terms.outline
                         if s.get("required", True))  # fmt: skip
    levels = [r.level for r in Policy.from_data(terms.escalation).rungs if r.kind != "reminder"]
    contact = coordinator.focal_name
    if contact and coordinator.focal_email:
        contact = f"{contact}, {coordinator.focal_email}"
    return words.urging(
        words.Urging(
            request=_request(cycle, program, coordinator),
            body_name=body.name,
            head_title=body.head_title,
            missed_due=document.due_date or task.due_date,
            new_due=document.new_due or task.due_date,
            level=document.level or 0,
            last_level=bool(levels) and document.level == max(levels),
            days_late=days_late(task.due_at, document.sweep_at or document.created_at),
            missing_sections=sections,
            returned_on=local_date(returned.reviewed_at) if returned else None,
            returned_comment=returned.comment if returned else None,
            contact=contact,
            leadership=leadership,
            coordinator_is_board=board,
        )
    )


def _summary(
    session: Any,
    document: Document,
    cycle: Cycle,
    program: Program,
    coordinator: Body,
    leadership: str | None,
    board: bool,
) -> tuple[words.Letter, list[str], tuple[str, str]]:
    tasks = session.execute(
        select(Task.status, Task.versions, Task.last_on_time, Task.id).where(
            Task.cycle_id == cycle.id
        )
    ).all()
    extended = session.execute(
        select(func.count(func.distinct(Extension.task_id)))
        .join(Task, Task.id == Extension.task_id)
        .where(Task.cycle_id == cycle.id)
    ).scalar_one()
    listed = session.execute(
        select(Body.name, Task.due_at, Document.level, Document.symbol)
        .join(Task, Task.id == Document.task_id)
        .join(Body, Body.id == Task.body_id)
        .where(Document.summary_id == document.id)
        .order_by(Document.id)
    ).all()
    sent = [t for t in tasks if t.versions > 0]
    facts = words.Summary(
        request=_request(cycle, program, coordinator),
        leadership=leadership or "Lãnh đạo",
        day=local_date(document.sweep_at),
        asked=len(tasks),
        on_time=sum(1 for t in sent if t.last_on_time),
        late_sent=sum(1 for t in sent if t.last_on_time is False),
        missing=len(tasks) - len(sent),
        extended=extended,
        late=tuple(
            words.Late(name, days_late(due_at, document.sweep_at), level or 0, symbol)
            for name, due_at, level, symbol in listed
        ),
        new_due=document.new_due,
        coordinator_is_board=board,
    )
    to = (
        program.leadership_name or coordinator.head_name,
        program.leadership_email or coordinator.head_email,
    )
    people = {"coordinator_leadership": to}
    recipients = list(addresses(["coordinator_leadership"], people))
    return words.summary(facts), recipients, words.summary_message(facts, document.symbol)


# -- reading -----------------------------------------------------------------------------


def list_letters(cycle_ref: str | None = None, *, body_id: int | None = None) -> list[dict]:
    """The urging letters and summaries, newest first: of one cycle, or of one late body."""
    from services.cycles import resolve_cycle

    with db.reading() as session:
        late = Body.__table__.alias("late")
        query = (
            select(Document, Cycle.period, Program.code, late.c.code, late.c.name)
            .join(Cycle, Cycle.id == Document.cycle_id)
            .join(Program, Program.id == Cycle.program_id)
            .outerjoin(Task, Task.id == Document.task_id)
            .outerjoin(late, late.c.id == Task.body_id)
            .where(Document.kind.in_(("urging", "summary")), Document.state != "listed")
            .order_by(Document.id.desc())
            # the list, not the files: a national cycle holds ~50,000 letters of ~20 KB
            .options(defer(Document.data), defer(Document.markdown), defer(Document.facts))
        )
        if cycle_ref:
            cycle, _ = resolve_cycle(session, cycle_ref)
            query = query.where(Document.cycle_id == cycle.id)
        if body_id is not None:
            query = query.where(Task.body_id == body_id)
        return [_letter_dict(d, f"{code}/{period}", body, name)
                for d, period, code, body, name in session.execute(query).all()]  # fmt: skip


def _letter_dict(d: Document, ref: str, body: str | None, name: str | None) -> dict[str, Any]:
    return {
        "id": d.id,
        "kind": d.kind,
        "state": d.state,
        "cycle": d.cycle_id,
        "ref": ref,
        "body": body,
        "body_name": name,
        "level": d.level,
        "number": d.symbol,
        "issued_on": d.issued_on,
        "due_date": d.due_date,
        "new_due": d.new_due,
        "signer": d.signer_name,
        "filename": d.filename,
        "sha256": d.sha256,
        "error": d.error,
    }


@dataclass(frozen=True)
class LetterFile:
    filename: str
    data: bytes
    cycle_id: int
    body_id: int | None  # the late body (None for a summary)


def letter_file(document_id: int) -> LetterFile:
    """A rendered letter's stored .docx; refused while it waits to be rendered."""
    with db.reading() as session:
        row = session.execute(
            select(Document, Task.body_id)
            .outerjoin(Task, Task.id == Document.task_id)
            .where(Document.id == document_id, Document.kind.in_(("urging", "summary")))
        ).first()
        if row is None:
            raise NotFound(f"unknown letter: {document_id}")
        document, body_id = row
        if document.data is None:
            raise NotFound(f"letter {document_id} is not rendered yet ({document.state})")
        return LetterFile(document.filename or f"letter-{document_id}.docx", document.data,
                          document.cycle_id, body_id)  # fmt: skip


def numbers_used() -> int:
    """How many numbers the register holds (for the demo's summary)."""
    with db.reading() as session:
        return session.execute(select(func.count()).select_from(RegisterEntry)).scalar_one()
