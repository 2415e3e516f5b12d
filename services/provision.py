"""Information provision: a body sends a version of its report."""

from __future__ import annotations

import hashlib
import mimetypes
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy.orm import load_only
from sqlmodel import Session, select

from models import Attachment, Submission
from rules.errors import UserError
from rules.outline import split_sections
from rules.tasks import Status, check_submit, is_on_time
from rules.text import clean
from services import db
from services.cycles import resolve_task

MAX_REPORT_BYTES = 2 * 1024 * 1024
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
MAX_ATTACHMENTS = 5  # per version


@dataclass(frozen=True)
class Upload:
    filename: str
    data: bytes
    content_type: str | None = None


@dataclass
class Submitted:
    task_id: int
    body: str
    version: int
    on_time: bool
    submitted_at: datetime
    due_at: datetime
    sections: list[str]
    attachments: list[str]
    repeated: bool = False  # identical to the standing version: nothing new was recorded

    def as_dict(self) -> dict[str, Any]:
        return {
            "task": self.task_id,
            "body": self.body,
            "version": self.version,
            "on_time": self.on_time,
            "submitted_at": self.submitted_at,
            "due_at": self.due_at,
            "sections": self.sections,
            "attachments": self.attachments,
            "repeated": self.repeated,
        }


_LATEST_FIELDS = (
    Submission.id, Submission.version, Submission.on_time, Submission.submitted_at,
    Submission.due_at, Submission.sha256,
)  # fmt: skip


def submit(
    text: str,
    *,
    now: datetime,
    actor: str,
    task_id: int | None = None,
    cycle: str | None = None,
    body: str | None = None,
    attachments: list[Upload] | None = None,
) -> Submitted:
    """Record a new version of the body's report; earlier versions stay as they were."""
    text = clean(text, "the report")
    attachments = [
        replace(u, filename=clean(u.filename, "an attachment's file name").strip())
        for u in attachments or []
    ]
    if len(attachments) > MAX_ATTACHMENTS:
        raise UserError(f"at most {MAX_ATTACHMENTS} attachments per version")
    encoded = text.encode("utf-8")
    if len(encoded) > MAX_REPORT_BYTES:
        raise UserError(f"the report is larger than {MAX_REPORT_BYTES // 1024} KiB")
    for upload in attachments:
        if len(upload.data) > MAX_ATTACHMENT_BYTES:
            raise UserError(
                f"attachment {upload.filename} is larger than {MAX_ATTACHMENT_BYTES // 2**20} MiB"
            )
    # Hashed once, before the transaction: it holds the process's writer lock.
    digest = hashlib.sha256(encoded).hexdigest()
    hashes = [hashlib.sha256(u.data).hexdigest() for u in attachments]
    named = sorted((u.filename, h) for u, h in zip(attachments, hashes, strict=True))
    with db.transaction() as session:
        task, cycle_row, program, body_row = resolve_task(
            session, task_id=task_id, cycle=cycle, body=body, lock=True
        )
        check_submit(task.status, cycle_row.status == "open")
        sections = split_sections(text, program.outline)
        latest = session.exec(
            select(Submission)
            .options(load_only(*_LATEST_FIELDS))  # not the stored report text
            .where(Submission.task_id == task.id)
            .order_by(Submission.version.desc())
            .limit(1)
        ).first()
        if latest and task.status == Status.SUBMITTED and _same(session, latest, digest, named):
            # A retried upload or a double click: the standing version already is this report.
            return Submitted(
                task.id,
                body_row.code,
                latest.version,
                latest.on_time,
                latest.submitted_at,
                latest.due_at,
                [s.code for s in sections if s.code],
                [u.filename for u in attachments],
                repeated=True,
            )
        version = (latest.version if latest else 0) + 1
        on_time = is_on_time(now, task.due_at)
        submission = Submission(
            task_id=task.id,
            version=version,
            submitted_at=now,
            submitted_by=actor,
            due_at=task.due_at,
            on_time=on_time,
            content=text,
            sections=[s.as_dict() for s in sections],
            sha256=digest,
        )
        session.add(submission)
        session.flush()
        for upload, sha256 in zip(attachments, hashes, strict=True):
            session.add(
                Attachment(
                    submission_id=submission.id,
                    filename=upload.filename,
                    content_type=upload.content_type
                    or mimetypes.guess_type(upload.filename)[0]
                    or "application/octet-stream",
                    size=len(upload.data),
                    sha256=sha256,
                    data=upload.data,
                )
            )
        previous = task.status
        task.status = Status.SUBMITTED.value
        task.next_rung_at = None  # the report is in: nothing more to urge
        task.versions = version
        task.last_submitted_at = now
        task.last_on_time = on_time
        session.add(task)
        db.audit(
            session,
            at=now,
            actor=actor,
            action="task.submitted",
            cycle_id=cycle_row.id,
            task_id=task.id,
            body=body_row.code,
            version=version,
            on_time=on_time,
            previous_status=previous,
        )
    return Submitted(
        task.id,
        body_row.code,
        version,
        on_time,
        now,
        task.due_at,
        [s.code for s in sections if s.code],
        [u.filename for u in attachments],
    )


def _same(session: Session, latest: Submission, digest: str, named: list[Any]) -> bool:
    """Whether a new upload (text digest, sorted (file name, digest) of its attachments)
    repeats the latest version exactly."""
    if latest.sha256 != digest:
        return False
    stored = session.exec(
        select(Attachment.filename, Attachment.sha256).where(Attachment.submission_id == latest.id)
    ).all()
    return sorted(stored) == named
