"""Information provision: a body sends a version of its report."""

from __future__ import annotations

import hashlib
import mimetypes
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from models import Attachment, Body, Cycle, Program, Submission, Task
from rules.errors import NotFound, UserError
from rules.outline import split_sections
from rules.tasks import Status, check_submit, is_on_time
from rules.text import clean
from services import db
from services.cycles import task_id_of

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
    """Record a new version of the body's report; earlier versions stay as they were.

    The busiest write of the web face (an agency's click), so it is a handful of
    plain statements: the task read and locked with what the check needs, the
    version inserted, the task's summary updated, the audit record added.
    """
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
        conn = session.connection()
        wanted = task_id_of(session, task_id=task_id, cycle=cycle, body=body)
        query = select(*_TASK).select_from(_TASKS).where(T.id == wanted)
        row = conn.execute(query.with_for_update(of=Task.__table__)).first()
        if row is None:
            raise NotFound(f"unknown task: {wanted}")
        (tid, status, due_at, versions, cycle_id, cycle_status, outline, body_code) = row
        check_submit(status, cycle_status == "open")
        sections = split_sections(text, outline)
        codes = [s.code for s in sections if s.code]
        files = [u.filename for u in attachments]
        if status == Status.SUBMITTED and versions:
            latest = conn.execute(
                select(*_LATEST).where(S.task_id == tid, S.version == versions)
            ).first()
            if latest and _same(conn, latest, digest, named):
                # A retried upload or a double click: the standing version already is this.
                _, version, on_time, submitted_at, standing_due, _ = latest
                return Submitted(tid, body_code, version, on_time, submitted_at, standing_due,
                                 codes, files, repeated=True)  # fmt: skip
        version = versions + 1
        on_time = is_on_time(now, due_at)
        submission_id = conn.execute(
            insert(Submission.__table__).returning(S.id),
            {"task_id": tid, "version": version, "submitted_at": now, "submitted_by": actor,
             "due_at": due_at, "on_time": on_time, "content": text,
             "sections": [s.as_dict() for s in sections], "sha256": digest},
        ).scalar_one()  # fmt: skip
        if attachments:
            conn.execute(
                insert(Attachment.__table__),
                [
                    {"submission_id": submission_id, "filename": u.filename,
                     "content_type": u.content_type or mimetypes.guess_type(u.filename)[0]
                     or "application/octet-stream",
                     "size": len(u.data), "sha256": sha256, "data": u.data}
                    for u, sha256 in zip(attachments, hashes, strict=True)
                ],
            )  # fmt: skip
        conn.execute(
            update(Task.__table__)
            .where(T.id == tid)
            .values(
                status=Status.SUBMITTED.value,
                next_rung_at=None,
                versions=version,
                last_submitted_at=now,
                last_on_time=on_time,
            )
        )  # fmt: skip  (the report is in: nothing more to urge)
        db.audit_many(
            session,
            [{"at": now, "actor": actor, "action": "task.submitted", "cycle_id": cycle_id,
              "task_id": tid, "detail": {"body": body_code, "version": version,
                                         "on_time": on_time, "previous_status": status}}],
        )  # fmt: skip
    return Submitted(tid, body_code, version, on_time, now, due_at, codes, files)


T, C, P, B, S = (m.__table__.c for m in (Task, Cycle, Program, Body, Submission))
_TASKS = (
    Task.__table__.join(Cycle.__table__, C.id == T.cycle_id)
    .join(Program.__table__, P.id == C.program_id)
    .join(Body.__table__, B.id == T.body_id)
)
_TASK = (T.id, T.status, T.due_at, T.versions, C.id, C.status, P.outline, B.code)
_LATEST = (S.id, S.version, S.on_time, S.submitted_at, S.due_at, S.sha256)


def _same(conn: Connection, latest: Any, digest: str, named: list[Any]) -> bool:
    """Whether a new upload (text digest, sorted (file name, digest) of its attachments)
    repeats the latest version exactly."""
    if latest.sha256 != digest:
        return False
    a = Attachment.__table__.c
    stored = conn.execute(select(a.filename, a.sha256).where(a.submission_id == latest.id)).all()
    return sorted(tuple(r) for r in stored) == named
