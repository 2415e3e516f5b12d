"""A notice for every step a person waits for, written to the outbox.

- a **return** (its comment and new deadline) → the body's focal contact;
- an **acceptance** → the body's focal contact;
- an **extension** (to when, why) → the body's focal contact;
- the **opening** of a cycle → every body (focal contact and head), citing the
  request letter by number and date, or with the letter attached once it is
  stored (:func:`attach_request`);
- **submissions** → the coordinator's focal contact, one digest per sweep
  (:func:`submission_digest`), never one message per report.

The first four are written inside the transaction of the change they tell
about (services.review, services.cycles), so a notice exists exactly when its
change does. The opening notices of a national cycle are 50,000 rows: they go
in set-based (services.bulk), as the tasks do.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select, text, update
from sqlmodel import Session

from models import (
    AuditRecord,
    Body,
    Cycle,
    Document,
    EventCursor,
    Notification,
    OutboxAttachment,
    Program,
    Submission,
    Task,
)
from rules import messages
from rules.errors import Conflict
from rules.messages import Notice, TaskContext, addresses, salutation
from rules.tasks import Status
from rules.text import clean
from services import bulk, db

DIGEST_CURSOR = "submission-digest"  # an EventCursor row: the last audit id digested
_OUTBOX = ("id", "created_at", "recipients", "subject", "body", "status", "attempts")


def _contact(coordinator: Body) -> str | None:
    if coordinator.focal_name and coordinator.focal_email:
        return f"{coordinator.focal_name} ({coordinator.focal_email})"
    return coordinator.focal_name or coordinator.focal_email


def context(
    program: Program, cycle: Cycle, body: Body, coordinator: Body, due_date: date, due_at: datetime
) -> TaskContext:
    return TaskContext(
        program_title=program.title,
        period_label=cycle.period_label,
        letter_no=cycle.letter_no,
        letter_date=cycle.letter_date,
        body_name=body.name,
        coordinator_name=coordinator.name,
        due_date=due_date,
        due_at=due_at,
        contact=_contact(coordinator),
    )


def _write(session: Session, now: datetime, to: list[str], body_name: str, notice: Notice) -> None:
    session.add(
        Notification(
            created_at=now,
            recipients=to,
            subject=notice.subject,
            body=salutation(body_name) + notice.text,
        )  # fmt: skip
    )


def _focal(body: Body) -> list[str]:
    return list(addresses(["focal"], {"focal": (body.focal_name, body.focal_email)}))


def _parts(session: Session, task: Task, cycle: Cycle, program: Program, body: Body) -> Any:
    coordinator = session.get(Body, program.coordinator_id)
    return context(program, cycle, body, coordinator, task.due_date, task.due_at)


def returned(session: Session, task: Task, cycle: Cycle, program: Program, body: Body, *,
             version: int, comment: str, new_due: date, now: datetime) -> None:  # fmt: skip
    """The return, its comment and its new deadline, to the body's focal contact."""
    ctx = _parts(session, task, cycle, program, body)
    _write(session, now, _focal(body), body.name,
           messages.return_notice(ctx, version, comment, new_due))  # fmt: skip


def accepted(session: Session, task: Task, cycle: Cycle, program: Program, body: Body, *,
             version: int, now: datetime) -> None:  # fmt: skip
    ctx = _parts(session, task, cycle, program, body)
    _write(session, now, _focal(body), body.name, messages.acceptance_notice(ctx, version))


def extended(session: Session, task: Task, cycle: Cycle, program: Program, body: Body, *,
             old_due: date, new_due: date, reason: str, now: datetime) -> None:  # fmt: skip
    ctx = _parts(session, task, cycle, program, body)
    _write(session, now, _focal(body), body.name,
           messages.extension_notice(ctx, old_due, new_due, reason))  # fmt: skip


def opened(session: Session, cycle: Cycle, program: Program, *, now: datetime) -> int:
    """One notice per body of the newly opened cycle, set-based; returns how many."""
    conn = session.connection()
    coordinator = session.get(Body, program.coordinator_id)
    t, b = Task.__table__.c, Body.__table__.c
    rows = conn.execute(
        select(
            b.name, b.focal_name, b.focal_email, b.head_name, b.head_email, t.due_date, t.due_at
        )  # fmt: skip
        .select_from(Task.__table__.join(Body.__table__, b.id == t.body_id))
        .where(t.cycle_id == cycle.id, t.status != Status.HANDED_OVER.value)
        .order_by(t.id)
    ).all()
    if not rows:
        return 0
    ids = bulk.reserve_ids(conn, Notification.__table__, len(rows))
    texts: dict[date, Notice] = {}
    outbox = []
    for nid, (name, focal_name, focal_email, head_name, head_email, due_date, due_at) in zip(
        ids, rows, strict=True
    ):
        notice = texts.get(due_date)
        if notice is None:
            ctx = context(program, cycle, coordinator, coordinator, due_date, due_at)
            notice = texts[due_date] = messages.opening_notice(ctx, attached=False)
        to = list(addresses(["focal", "head"], {"focal": (focal_name, focal_email),
                                                "head": (head_name, head_email)}))  # fmt: skip
        outbox.append((nid, now, bulk.encoded(to), notice.subject, salutation(name) + notice.text,
                       "pending", 0))  # fmt: skip
    bulk.insert(conn, Notification.__table__, _OUTBOX, outbox)
    session.add(
        Document(
            key=f"opening:{cycle.id}",
            kind="opening",
            state="listed",
            cycle_id=cycle.id,
            issuer_id=coordinator.id,
            created_at=now,
            facts={"first_notification": ids[0], "last_notification": ids[-1]},
        )  # fmt: skip
    )
    return len(rows)


@dataclass(frozen=True)
class Attached:
    cycle: str
    filename: str
    notices: int  # pending opening notices that now carry it

    def as_dict(self) -> dict[str, Any]:
        return {"cycle": self.cycle, "filename": self.filename, "notices": self.notices}


def attach_request(cycle_ref: str, filename: str, data: bytes, *, now: datetime,
                   actor: str) -> Attached:  # fmt: skip
    """Store the request letter a cycle was opened from and attach it to the opening
    notices not sent yet (the ones already sent cited its number and date)."""
    import unicodedata

    from services.cycles import resolve_cycle
    from services.issuing import sha256

    name = unicodedata.normalize("NFC", clean(filename, "the file name").strip()) or "cong-van.pdf"
    name = name.replace("/", "_").replace("\\", "_")
    with db.transaction() as session:
        cycle, program = resolve_cycle(session, cycle_ref)
        opening = session.exec(
            select(Document).where(Document.key == f"opening:{cycle.id}")
        ).scalars().first()  # fmt: skip
        kind = _content_type(name)
        document = session.exec(
            select(Document).where(Document.key == f"request:{cycle.id}")
        ).scalars().first()  # fmt: skip
        if document is None:
            document = Document(key=f"request:{cycle.id}", kind="request", state="rendered",
                                cycle_id=cycle.id, issuer_id=program.coordinator_id,
                                symbol=cycle.letter_no, issued_on=cycle.letter_date,
                                filename=name, content_type=kind, data=data,
                                sha256=sha256(data), created_at=now, rendered_at=now)  # fmt: skip
            session.add(document)
            session.flush()
        elif document.sha256 != sha256(data):
            # Notices already went out with that file: it stays what they carried.
            raise Conflict(
                f"{program.code}/{cycle.period} already has its request letter "
                f"({document.filename}, sha256 {document.sha256[:12]}); it is kept as sent"
            )
        count = 0
        if opening is not None and opening.facts:
            first, last = opening.facts["first_notification"], opening.facts["last_notification"]
            pending = session.exec(
                select(Notification.id).where(
                    Notification.id >= first, Notification.id <= last,
                    Notification.created_at == opening.created_at,
                    Notification.escalation_id.is_(None),
                    Notification.status == "pending", Notification.attempts == 0,
                )
            ).scalars().all()  # fmt: skip
            have = set(session.exec(
                select(OutboxAttachment.notification_id).where(
                    OutboxAttachment.document_id == document.id)
            ).scalars().all())  # fmt: skip
            links = [(nid, document.id) for nid in pending if nid not in have]
            bulk.insert(session.connection(), OutboxAttachment.__table__,
                        ("notification_id", "document_id"), links)  # fmt: skip
            count = len(links)
        db.audit(session, at=now, actor=actor, action="cycle.request_letter", cycle_id=cycle.id,
                 filename=name, sha256=document.sha256, notices=count)  # fmt: skip
    return Attached(f"{program.code}/{cycle.period}", name, count)


def _content_type(name: str) -> str:
    import mimetypes

    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def submission_digest(*, now: datetime) -> int:
    """One message per coordinator listing the submissions since the last digest (audit
    records ``task.submitted``); returns how many messages. A digest running at the
    same time as another finds the watermark moved and writes nothing."""
    a = AuditRecord.__table__.c
    with db.transaction() as session:
        db.ensure_cursor(session, DIGEST_CURSOR, now)  # the first digest starts from 0
        cursor_id = session.get(EventCursor, DIGEST_CURSOR).last_audit_id
        if session.get_bind().dialect.name == "postgresql":
            # Ids are drawn when a row is inserted and committed in any order: a lower id
            # can become visible after a higher one. SHARE mode waits for the transactions
            # writing audit rows to end and holds new ones off until this one commits, so
            # no record below the watermark can appear after it has moved past.
            session.execute(text("LOCK TABLE auditrecord IN SHARE MODE"))
        newest = session.execute(select(a.id).order_by(a.id.desc()).limit(1)).scalar() or 0
        moved = session.execute(
            update(EventCursor)
            .where(EventCursor.name == DIGEST_CURSOR, EventCursor.last_audit_id == cursor_id)
            .values(last_audit_id=newest, updated_at=now)
            .execution_options(synchronize_session=False)
        ).rowcount
        if moved != 1:
            return 0
        found = session.execute(  # one join from the audit range: no list of ids in SQL
            select(Submission.version, Submission.submitted_at, Submission.on_time,
                   Body.name, Program.code, Cycle.period, Program.coordinator_id)
            .select_from(AuditRecord)
            .join(Task, Task.id == AuditRecord.task_id)
            .join(Submission, (Submission.task_id == Task.id)
                  & (Submission.version == Task.versions))
            .join(Body, Body.id == Task.body_id)
            .join(Cycle, Cycle.id == Task.cycle_id)
            .join(Program, Program.id == Cycle.program_id)
            .where(AuditRecord.id > cursor_id, AuditRecord.id <= newest,
                   AuditRecord.action == "task.submitted", Cycle.status == "open")
            .order_by(Submission.submitted_at)
        ).all()  # fmt: skip
        seen: set[tuple[str, str, int]] = set()
        by_coordinator: dict[int, list[messages.Received]] = {}
        for version, at, on_time, name, code, period, coordinator_id in found:
            if (f"{code}/{period}", name, version) in seen:
                continue  # two audit records of one version (a resubmission twice)
            seen.add((f"{code}/{period}", name, version))
            by_coordinator.setdefault(coordinator_id, []).append(
                messages.Received(f"{code}/{period}", name, version, at, on_time)
            )
        written = 0
        for coordinator_id, received in by_coordinator.items():
            coordinator = session.get(Body, coordinator_id)
            to = list(addresses(["focal", "head"], {
                "focal": (coordinator.focal_name, coordinator.focal_email),
                "head": (None, None)}))  # fmt: skip
            notice = messages.submissions_digest(coordinator.name, received)
            session.add(Notification(created_at=now, recipients=to, subject=notice.subject,
                                     body=notice.text))  # fmt: skip
            written += 1
    return written


def prepare_outbox(*, now: datetime) -> dict[str, Any]:
    """What the outbox needs before it is delivered: the urging letters and summaries
    the sweeps asked for, numbered and rendered (services.letters), and the
    coordinators' digest of new submissions. Run by every delivery (so a letter
    always goes with its message, whoever delivers) and after each sweep flow."""
    from services.letters import render_pending

    rendered = render_pending(now=now)
    return rendered.as_dict() | {"digests": submission_digest(now=now)}
