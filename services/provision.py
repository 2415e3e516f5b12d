"""Information provision: a body sends a version of its report (and its data forms).

One path for every face: the CLI, the API and the pages call :func:`submit` with
the report as pasted text or as the file the body sent (Word, text, Markdown;
``source``), optional attachments, and the data forms as filled Excel templates
(``forms``) or as values typed on the web (``form_values``). Files are read and
checked before the transaction (it holds the process's writer lock); the
version, its source file, its form values, the task's summary and the audit
record are then one transaction.
"""

from __future__ import annotations

import hashlib
import mimetypes
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Connection, and_, bindparam, exists, insert, select, update

from models import (
    Attachment,
    Body,
    Cycle,
    FormEntry,
    Program,
    ProgramForm,
    Submission,
    SubmissionSource,
    Task,
)
from rules.errors import NotFound, UserError
from rules.outline import read_report
from rules.reading import lines_of_text
from rules.tasks import Status, check_submit, is_on_time
from rules.text import clean
from services import db, versions
from services.cycles import task_id_of

MAX_REPORT_BYTES = 2 * 1024 * 1024  # the report's text (pasted, a text file, a Word file's)
MAX_SOURCE_BYTES = 10 * 1024 * 1024  # the file as sent (a Word report, an Excel form)
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
MAX_ATTACHMENTS = 5  # per version
MAX_FORM_FILES = 10  # filled Excel templates per version

SOURCE_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "txt": "text/plain; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
}


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
    source: dict[str, Any] | None = None  # the file as sent: type, name, size, sha256
    forms: list[str] = field(default_factory=list)  # forms whose values the version carries
    header: dict[str, Any] | None = None  # issuer, number, date… read from the top

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
            "source": self.source,
            "forms": self.forms,
            "header": self.header,
        }


@dataclass(frozen=True)
class Target:
    """What a submission is read against and who may send it, read before the
    transaction (the files are read outside it): :func:`target_of`. The web reads it
    once for its permission check (web.guard.submission) and hands it to
    :func:`submit`, so a submission reads the task before its transaction once."""

    task_id: int
    body: str
    program: str
    program_id: int
    period: str
    outline: list[dict[str, Any]]
    forms: list[dict[str, Any]]
    status: str
    cycle_open: bool
    reporter_id: int  # the reporting body
    coordinator_id: int  # the body that coordinates the program


def target_of(
    task_id: int | None = None, cycle: str | None = None, body: str | None = None
) -> Target:
    """The task a submission is for, by id or by cycle and body (the CLI); NotFound
    for an unknown one. Whether it may take a version is :func:`submit`'s check."""
    from services.forms import stored_forms

    if task_id is None:  # named by cycle and body (the CLI)
        with db.reading() as session:
            task_id = task_id_of(session, task_id=None, cycle=cycle, body=body)
    with db.rows() as conn:
        row = conn.execute(_TARGET, {"task_id": task_id}).first()
        if row is None:
            raise NotFound(f"unknown task: {task_id}")
        (tid, status, cycle_status, period, program_id, program, outline, body_code, reporter,
         coordinator, has_forms) = row  # fmt: skip
        forms = stored_forms(conn, program_id) if has_forms else []
    return Target(tid, body_code, program, program_id, period, outline, forms, status,
                  cycle_status == "open", reporter, coordinator)  # fmt: skip


def _read_forms(
    target: Target, forms: list[Upload], form_values: dict[str, dict[str, Any]] | None
) -> list[dict[str, Any]]:
    """The form entries to store: from the workbooks, then from the web's fields."""
    from rules.forms import FormRejected, check, values_digest
    from services.forms import read_workbook

    if (forms or form_values) and not target.forms:
        raise UserError(f"program {target.program} declares no data form")
    if len(forms) > MAX_FORM_FILES:
        raise UserError(f"at most {MAX_FORM_FILES} form workbooks per version")
    entries: dict[str, dict[str, Any]] = {}
    problems: list[str] = []
    for upload in forms:
        if len(upload.data) > MAX_SOURCE_BYTES:
            raise UserError(
                f"{upload.filename}: the file is larger than {MAX_SOURCE_BYTES // 2**20} MiB"
            )
        try:
            found = read_workbook(
                upload.filename, upload.data, target.forms, program=target.program,
                body=target.body, period=target.period,
            )  # fmt: skip
        except FormRejected as exc:
            problems.extend(exc.problems)
            continue
        digest = hashlib.sha256(upload.data).hexdigest()
        for code, values in found.items():
            if code in entries:
                raise UserError(f"form {code} is given twice")
            entries[code] = {"form_code": code, "values": values, "source_name": upload.filename,
                             "source_sha256": digest, "source_data": upload.data}  # fmt: skip
    declared = {f["code"]: f for f in target.forms}
    for code, fields in (form_values or {}).items():
        form = declared.get(code)
        if form is None:
            raise UserError(f"program {target.program} has no form {code}")
        if code in entries or not any(str(v).strip() for v in fields.values()):
            continue  # a workbook wins over the web fields; an untouched web form is none
        raw = {key: (value, "") for key, value in fields.items()}
        try:
            values = check(form, raw, {key: key for key in fields}, code)
        except FormRejected as exc:
            problems.extend(exc.problems)
            continue
        entries[code] = {"form_code": code, "values": values, "source_name": None,
                         "source_sha256": None, "source_data": None}  # fmt: skip
    if problems:
        raise FormRejected(problems)
    for entry in entries.values():
        entry["sha256"] = values_digest(entry["values"])
    return list(entries.values())


def submit(
    text: str | None = None,
    *,
    now: datetime,
    actor: str,
    task_id: int | None = None,
    cycle: str | None = None,
    body: str | None = None,
    attachments: list[Upload] | None = None,
    source: Upload | None = None,
    forms: list[Upload] | None = None,
    form_values: dict[str, dict[str, Any]] | None = None,
    from_cycle_id: int | None = None,
    to: Target | None = None,
) -> Submitted:
    """Record a new version of the body's report; earlier versions stay as they were.

    The report is ``text`` (pasted) or ``source``, the file as sent (kept, with its
    digest, as the version's source). ``forms``: filled Excel templates;
    ``form_values``: form code → cell key → typed value (the web form). A form the
    version does not send again keeps the previous version's values (a return about
    the text does not lose the figures). ``from_cycle_id``: the cycle whose
    consolidated report this version is (a coordinator's report fed up a level by
    services.rollup, through this same path). ``to``: the task as :func:`target_of` read
    it, when the caller already has it (the web, after its permission check).

    The busiest write of the web face (an agency's click), so the transaction is a
    handful of plain statements: the task read and locked with what the check
    needs, the version inserted, the task's summary updated, the audit record added.
    """
    from services.intake import read_report_file

    if to is not None and (task_id, cycle, body) != (None, None, None):
        raise TypeError("submit: name the task by to= or by task_id/cycle/body, not both")
    target = to or target_of(task_id, cycle, body)
    check_submit(target.status, target.cycle_open)
    head: list[str] = []
    if source is not None:
        source = replace(source, filename=clean(source.filename, "the report's file name").strip())
        if len(source.data) > MAX_SOURCE_BYTES:
            raise UserError(
                f"{source.filename}: the file is larger than {MAX_SOURCE_BYTES // 2**20} MiB"
            )
        extracted = read_report_file(source.filename, source.data)
        kind, lines, head = extracted.kind, extracted.lines, extracted.head
        text = clean(extracted.text, f"the report {source.filename}")
        lines = lines if kind == "docx" else lines_of_text(text)
    else:
        text = clean(text or "", "the report")
        kind, lines = "pasted", lines_of_text(text)
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
    reading = read_report(lines, target.outline, head)
    sections = reading.sections
    header = reading.header.as_dict()
    entries = _read_forms(
        target, [replace(f, filename=clean(f.filename, "a form's file name")) for f in forms or []],
        form_values,
    )  # fmt: skip
    # Hashed once, before the transaction: it holds the process's writer lock.
    digest = hashlib.sha256(encoded).hexdigest()
    hashes = [hashlib.sha256(u.data).hexdigest() for u in attachments]
    named = sorted((u.filename, h) for u, h in zip(attachments, hashes, strict=True))
    kept = None
    if source is not None:
        kept = {"type": kind, "name": source.filename, "size": len(source.data),
                "sha256": hashlib.sha256(source.data).hexdigest()}  # fmt: skip
    with db.transaction() as session:
        conn = session.connection()
        row = conn.execute(_LOCKED_TASK, {"task_id": target.task_id}).first()
        if row is None:
            raise NotFound(f"unknown task: {target.task_id}")
        (tid, status, due_at, versions, cycle_id, cycle_status, body_code) = row[: len(_TASK)]
        check_submit(status, cycle_status == "open")
        codes = [s.code for s in sections if s.code]
        files = [u.filename for u in attachments]
        latest = None
        if versions:
            latest = _Latest(*row[len(_TASK) :])
            if latest.id is None:
                # The lock was waited for: on PostgreSQL (READ COMMITTED) the task row is
                # read again as the other submission left it, but the joined version is
                # still the statement's snapshot, which lacks the new one.
                latest = _Latest(*conn.execute(_STANDING, {"task_id": tid, "n": versions}).one())
        carried = _carried(conn, latest, entries, target.forms)
        _require_forms(target, entries + carried)
        form_codes = sorted(e["form_code"] for e in entries + carried)
        if (
            status == Status.SUBMITTED
            and latest is not None
            and _same(conn, latest, digest, kept and kept["sha256"], named, entries + carried)
        ):
            # A retried upload or a double click: the standing version already is this.
            _, version, on_time, submitted_at, standing_due, *_ = latest
            return Submitted(tid, body_code, version, on_time, submitted_at, standing_due,
                             codes, files, repeated=True, source=kept, forms=form_codes,
                             header=header)  # fmt: skip
        version = versions + 1
        on_time = is_on_time(now, due_at)
        submission_id = conn.execute(
            _NEW_VERSION,
            {"task_id": tid, "version": version, "submitted_at": now, "submitted_by": actor,
             "due_at": due_at, "on_time": on_time, "content": text,
             "sections": [s.as_dict() for s in sections], "sha256": digest,
             "source_type": kind, "source_name": kept and kept["name"],
             "source_size": kept and kept["size"], "source_sha256": kept and kept["sha256"],
             "header": header, "from_cycle_id": from_cycle_id},
        ).scalar_one()  # fmt: skip
        if source is not None:
            conn.execute(
                insert(SubmissionSource.__table__),
                {"submission_id": submission_id, "data": source.data,
                 "content_type": SOURCE_TYPES.get(kind, "application/octet-stream")},
            )  # fmt: skip
        if entries or carried:
            conn.execute(
                insert(FormEntry.__table__),
                [{"submission_id": submission_id, "carried_from": None} | e for e in entries]
                + [{"submission_id": submission_id} | e for e in carried],
            )
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
            _SUMMARY, {"task_id": tid, "to_version": version, "at": now, "on_time": on_time}
        )
        detail = {"body": body_code, "version": version, "on_time": on_time,
                  "previous_status": status, "source": kind}  # fmt: skip
        if form_codes:
            detail["forms"] = form_codes
        if from_cycle_id is not None:
            detail["from_cycle"] = from_cycle_id
        db.audit_many(
            session,
            [{"at": now, "actor": actor, "action": "task.submitted", "cycle_id": cycle_id,
              "task_id": tid, "detail": detail}],
        )  # fmt: skip
    return Submitted(tid, body_code, version, on_time, now, due_at, codes, files, source=kept,
                     forms=form_codes, header=header)  # fmt: skip


def _carried(
    conn: Connection,
    latest: Any,
    entries: list[dict[str, Any]],
    forms: list[dict[str, Any]],
) -> list[dict[str, Any]]:
    """The previous version's form values this one keeps: the forms it does not send."""
    if latest is None or not forms:
        return []
    sent = {e["form_code"] for e in entries}
    e = FormEntry.__table__.c
    rows = conn.execute(
        select(e.form_code, e["values"], e.sha256, e.source_name, e.source_sha256, e.carried_from)
        .where(e.submission_id == latest.id)
        .order_by(e.id)
    ).all()
    declared = {f["code"] for f in forms}
    return [
        {"form_code": r.form_code, "values": r[1], "sha256": r.sha256,
         "source_name": r.source_name, "source_sha256": r.source_sha256, "source_data": None,
         "carried_from": r.carried_from or latest.version}
        for r in rows
        if r.form_code not in sent and r.form_code in declared
    ]  # fmt: skip


def _require_forms(target: Target, entries: list[dict[str, Any]]) -> None:
    have = {e["form_code"] for e in entries}
    lacking = [f for f in target.forms if f.get("required") and f["code"] not in have]
    if lacking:
        names = "; ".join(f"{f['code']} ({f['title']})" for f in lacking)
        raise UserError(
            f"the report needs the data form(s) {names}: send the filled template "
            f"(phoihop program form-template {target.program} --form {lacking[0]['code']})"
        )


T, C, P, B, S = (m.__table__.c for m in (Task, Cycle, Program, Body, Submission))
_TASKS = (
    versions.join_terms(Task.__table__.join(Cycle.__table__, C.id == T.cycle_id), C)
    .join(Program.__table__, P.id == C.program_id)
    .join(Body.__table__, B.id == T.body_id)
)  # the task's cycle's own terms: the outline it was opened with (services.versions)
_TASK = (T.id, T.status, T.due_at, T.versions, C.id, C.status, B.code)
_LATEST = (S.id, S.version, S.on_time, S.submitted_at, S.due_at, S.sha256, S.source_sha256)


class _Latest(NamedTuple):
    """The task's standing version, as :data:`_LATEST` reads it (every field None when
    the outer join found none: see :func:`submit`)."""

    id: int | None
    version: int | None
    on_time: bool | None
    submitted_at: datetime | None
    due_at: datetime | None
    sha256: str | None
    source_sha256: str | None


# The busiest write's statements, built once: a statement built per call costs more to
# construct and to key for SQLAlchemy's compiled cache (~1 ms a submission here) than
# SQLite takes to run it. Each takes its values as bound parameters.
_F = ProgramForm.__table__.c
_TARGET = (
    select(
        T.id,
        T.status,
        C.status,
        C.period,
        P.id,
        P.code,
        versions.V.outline,
        B.code,
        T.body_id,
        P.coordinator_id,
        exists().where(_F.program_id == P.id),
    )
    .select_from(_TASKS)
    .where(T.id == bindparam("task_id"))
)
_LOCKED_TASK = (  # the task, locked, with its standing version (none before the first)
    select(*_TASK, *_LATEST)
    .select_from(
        Task.__table__.join(Cycle.__table__, C.id == T.cycle_id)
        .join(Body.__table__, B.id == T.body_id)
        .outerjoin(Submission.__table__, and_(S.task_id == T.id, S.version == T.versions))
    )
    .where(T.id == bindparam("task_id"))
    .with_for_update(of=Task.__table__)
)
_STANDING = select(*_LATEST).where(S.task_id == bindparam("task_id"), S.version == bindparam("n"))
_NEW_VERSION = insert(Submission.__table__).returning(S.id)
_SUMMARY = (
    update(Task.__table__)
    .where(T.id == bindparam("task_id"))
    .values(
        status=Status.SUBMITTED.value,
        next_rung_at=None,  # the report is in: nothing more to urge
        versions=bindparam("to_version"),
        last_submitted_at=bindparam("at"),
        last_on_time=bindparam("on_time"),
    )
)


def _same(
    conn: Connection,
    latest: Any,
    digest: str,
    source_digest: str | None,
    named: list[Any],
    entries: list[dict[str, Any]],
) -> bool:
    """Whether a new upload (text digest, the original file's digest, sorted (file name,
    digest) of its attachments, its forms' values) repeats the latest version exactly: a
    Word file sent again with only its masthead corrected is a new version, not a repeat."""
    if latest.sha256 != digest or latest.source_sha256 != source_digest:
        return False
    a = Attachment.__table__.c
    stored = conn.execute(select(a.filename, a.sha256).where(a.submission_id == latest.id)).all()
    if sorted(tuple(r) for r in stored) != named:
        return False
    e = FormEntry.__table__.c
    forms = conn.execute(select(e.form_code, e.sha256).where(e.submission_id == latest.id)).all()
    return sorted(tuple(r) for r in forms) == sorted((x["form_code"], x["sha256"]) for x in entries)
