"""The JSON API under ``/api/``: bearer-token auth, the same services as the CLI.

Every endpoint names the principal it acts for, checks :mod:`web.access`
before touching anything, and calls one service (one transaction, one audit
record). Lists are scoped to what the caller may see and paginated.

The token check and the frequent short writes (submit, review) are ``async
def`` and run on the event loop: a plain ``def`` costs a hand-off to the
thread pool for the dependency and another for the endpoint, which measured
as half of a submission's time; the writes queue on the process's writer
lock (:func:`services.db.transaction`) and take a few milliseconds. Long work (synthesis,
multipart uploads) and reads stay in the thread pool.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Path, Query, Request, UploadFile
from fastapi.responses import PlainTextResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from rules.errors import NotFound
from rules.tasks import Status
from services import clock
from services.accounts import Principal
from services.provision import Upload
from web import access, downloads, guard, queries, uploads
from web.auth import bearer_principal
from web.schemas import (
    BodyOut,
    BodyStatsPage,
    CycleDetailOut,
    CycleIn,
    CycleListItem,
    CycleOpenedOut,
    CycleStats,
    CycleTreeOut,
    DraftOut,
    ErrorOut,
    ExtensionIn,
    ExtensionOut,
    HealthOut,
    LetterOut,
    MeOut,
    OverduePage,
    ProgramOut,
    RequestIn,
    ReviewIn,
    ReviewOut,
    ScorecardOut,
    SubmissionIn,
    SubmissionOut,
    SubmittedOut,
    SynthesisIn,
    SynthesizedOut,
    TaskDetailOut,
    TaskPage,
    VersionOut,
    clean_text,
)
from web.schemas_forms import CycleTotalsOut, DiffOut, FormValuesOut
from web.writes import writer

_bearer = HTTPBearer(auto_error=False, description="an API token from `phoihop tokens issue`")


async def caller(
    request: Request,
    _credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)] = None,
) -> Principal:
    return bearer_principal(request)


Caller = Annotated[Principal, Depends(caller)]
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]
Version = Annotated[int, Path(ge=1, le=100_000)]
Limit = Annotated[int, Query(ge=1, le=500)]
Offset = Annotated[int, Query(ge=0, le=10_000_000)]
Code = Annotated[str | None, Query(max_length=64)]
TaskStatus = Status

_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorOut} for code in (400, 401, 403, 404, 409, 413, 422)
}
router = APIRouter(prefix="/api", responses=_ERRORS)
public = APIRouter(prefix="/api")


@public.get("/health", tags=["meta"], response_model=HealthOut)
def health() -> dict[str, str]:
    """Liveness: answers without a token and without touching the database."""
    return {"status": "ok"}


@router.get("/me", tags=["meta"], response_model=MeOut)
def me(who: Caller) -> dict[str, Any]:
    """The account the token belongs to."""
    return who.as_dict()


# -- reference data ---------------------------------------------------------------------


@router.get("/bodies", tags=["reference"], response_model=list[BodyOut])
def bodies(who: Caller) -> list[dict[str, Any]]:
    """The organisation tree (reference data every role may read)."""
    from services.registry import body_dict, list_bodies

    return [body_dict(b) for b in list_bodies()]


@router.get("/programs", tags=["reference"], response_model=list[ProgramOut])
def programs(who: Caller) -> list[dict[str, Any]]:
    """Programs: title, legal basis, coordinator, period, outline, deadlines in working days."""
    from services.registry import program_dicts

    return program_dicts()


# -- cycles -----------------------------------------------------------------------------


@router.get("/cycles", tags=["cycles"], response_model=list[CycleListItem])
def cycles(who: Caller) -> list[dict[str, Any]]:
    """Cycles the caller takes part in or coordinates (viewers: all), newest first."""
    return queries.cycles_for(who)


@router.post("/cycles", status_code=201, tags=["cycles"], response_model=CycleOpenedOut)
def open_cycle(body: CycleIn, request: Request, who: Caller) -> dict[str, Any]:
    """Open a cycle (coordinator of the program): every participating body gets a task."""
    from services.cycles import open_cycle as run

    guard.managed_program(request, who, body.program)
    opened = writer(request).call(
        run,
        body.program,
        body.period,
        letter_no=body.letter_no,
        letter_date=body.letter_date,
        due=body.due,
        now=clock.now(),
        actor=who.username,
    )
    return opened.as_dict()


@router.post("/requests", status_code=201, tags=["cycles"], response_model=CycleOpenedOut)
def open_request(body: RequestIn, request: Request, who: Caller) -> dict[str, Any]:
    """Open an ad-hoc request (báo cáo đột xuất) as its coordinator: a cycle
    ``DX-COORDINATOR/YYYY-NNN`` with a task for each body named (services.requests)."""
    from services.requests import Request as Asked
    from services.requests import open_request as run

    guard.coordinating(request, who, body.coordinator)
    asked = Asked(
        coordinator=body.coordinator, subject=body.subject, letter_no=body.letter_no,
        bodies=body.bodies, due=body.due, within=body.within_working_days,
        letter_date=body.letter_date,
        outline=[s.model_dump() for s in body.outline] if body.outline else None,
        escalation=body.escalation.model_dump() if body.escalation else None,
        review_working_days=body.review_working_days,
        synthesis_working_days=body.synthesis_working_days,
    )  # fmt: skip
    opened = writer(request).call(run, asked, now=clock.now(), actor=who.username)
    return opened.as_dict()


@router.get("/cycles/{cycle_id}", tags=["cycles"], response_model=CycleDetailOut)
def cycle(cycle_id: Id, request: Request, who: Caller) -> dict[str, Any]:
    """A cycle: its dates, letter, outline and progress in the four buckets (as visible)."""
    from services.dashboard import cycle_info

    sight = guard.cycle_sight(request, who, cycle_id)
    info = cycle_info(str(cycle_id))
    progress = queries.cycle_progress(
        who, clock.now(), open_only=False, cycle_id=cycle_id, whole=sight.whole
    )  # fmt: skip
    return {"cycle": info, "progress": progress[0] if progress else None}


@router.get("/cycles/{cycle_id}/tree", tags=["cycles"], response_model=CycleTreeOut)
def cycle_tree(cycle_id: Id, request: Request, who: Caller) -> dict[str, Any]:
    """The cycle and every cycle under it in the roll-up, with each one's four buckets and
    those summed with every level below (``phoihop cycle tree --json``, from this cycle
    down): for whoever sees the cycle whole (its coordinator, a board above, a viewer)."""
    from services.rollup import tree

    guard.whole_cycle(request, who, cycle_id)
    return tree(str(cycle_id), clock.now(), below=True)


@router.post("/cycles/{cycle_id}/synthesize", tags=["cycles"], response_model=SynthesizedOut)
def synthesize(
    cycle_id: Id, request: Request, who: Caller, body: SynthesisIn | None = None
) -> dict[str, Any]:
    """Compile the consolidated report and close the cycle (its coordinator only).

    409, with ``blockers``, while a report waits for review or a body is within its
    deadline; name those bodies in ``leave_out`` to close without them on purpose.
    """
    from services.synthesis import synthesize as run

    guard.managed_cycle(request, who, cycle_id)
    leave_out = body.leave_out if body else []
    done = writer(request).call(
        run, str(cycle_id), now=clock.now(), actor=who.username, leave_out=leave_out
    )
    return done.as_dict()


@router.get("/cycles/{cycle_id}/draft", tags=["cycles"], response_model=DraftOut)
def draft(cycle_id: Id, request: Request, who: Caller) -> dict[str, Any]:
    """The report as it would read if the cycle closed now, and who holds it up."""
    from services.synthesis import draft as build

    guard.managed_cycle(request, who, cycle_id)
    return build(str(cycle_id), now=clock.now()).as_dict()


@router.get(
    "/cycles/{cycle_id}/report",
    tags=["cycles"],
    response_class=PlainTextResponse,
    responses={200: {"content": {"text/markdown": {}, downloads.DOCX: {}}}},
)
def report(
    cycle_id: Id, request: Request, who: Caller, format: Literal["md", "docx"] = "md"
) -> Response:
    """The consolidated report of a closed cycle, Markdown or Word (``?format=docx``):
    its coordinator, and leadership (viewers) for every cycle; 404 while it is open."""
    ref = guard.report_cycle(request, who, cycle_id)
    return downloads.consolidated_report(cycle_id, ref, format)


@router.get(
    "/cycles/{cycle_id}/draft.docx",
    tags=["cycles"],
    response_class=Response,
    responses={200: {"content": {downloads.DOCX: {}}}},
)
def draft_docx(cycle_id: Id, request: Request, who: Caller) -> Response:
    """The report as it would close now, as Word, marked DỰ THẢO with a blank number."""
    from services.synthesis import draft_docx as build

    guard.managed_cycle(request, who, cycle_id)
    data, filename = build(str(cycle_id), now=clock.now())
    return downloads.download(data, filename, downloads.DOCX)


@router.get("/cycles/{cycle_id}/letters", tags=["cycles"], response_model=list[LetterOut])
def letters(cycle_id: Id, request: Request, who: Caller) -> list[dict[str, Any]]:
    """The cycle's urging letters and summaries: all for its coordinator, a body's own
    letters for that body."""
    from services.letters import list_letters

    coordinator = guard.readable_cycle(request, who, cycle_id)
    mine = None if access.can_manage_cycle(who, coordinator) else who.body_id
    return list_letters(str(cycle_id), body_id=mine)


@router.get(
    "/letters/{letter_id}",
    tags=["cycles"],
    response_class=Response,
    responses={200: {"content": {downloads.DOCX: {}}}},
)
def letter(letter_id: Id, request: Request, who: Caller) -> Response:
    """One letter's .docx, as issued."""
    from web.pages import letter_access

    found = letter_access(request, who, letter_id)
    return downloads.download(found.data, found.filename, downloads.DOCX)


# -- tasks ------------------------------------------------------------------------------


@router.get("/tasks", tags=["tasks"], response_model=TaskPage)
def tasks(
    who: Caller,
    cycle: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    body: Code = None,
    status: TaskStatus | None = None,
    overdue: bool = False,
    q: Annotated[
        str | None,
        Query(max_length=64, description="in the body's name or code, diacritics and case aside"),
    ] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Tasks the caller may see, by deadline then body code; filter by cycle, body,
    status, overdue, text (``q``)."""
    page = queries.tasks_page(
        who,
        clock.now(),
        cycle_id=cycle,
        body=body,
        status=status,
        overdue_only=overdue,
        text=clean_text(q) if q else None,
        limit=limit,
        offset=offset,
    )
    return page.as_dict()


def _owner(request: Request, who: Principal, task_id: int) -> access.TaskOwner:
    return guard.task(request, who, task_id, access.can_read_task, "task of another body")


@router.get("/tasks/{task_id}", tags=["tasks"], response_model=TaskDetailOut)
def task(task_id: Id, request: Request, who: Caller) -> dict[str, Any]:
    """One task: status, due date, bucket, outline, reviews, extensions, escalations."""
    _owner(request, who, task_id)
    detail = queries.task_detail(task_id, clock.now())
    for version in detail["versions"]:
        version.pop("content")
        version.pop("sections")
    return detail


@router.get("/tasks/{task_id}/submissions", tags=["submissions"], response_model=list[VersionOut])
def submissions(task_id: Id, request: Request, who: Caller) -> list[dict[str, Any]]:
    """Every version sent for the task, newest first, without the text (see one version)."""
    _owner(request, who, task_id)
    return queries.versions(task_id)


@router.get(
    "/tasks/{task_id}/submissions/{version}", tags=["submissions"], response_model=SubmissionOut
)
def submission(task_id: Id, version: Version, request: Request, who: Caller) -> dict[str, Any]:
    """One version with its text, its sections and the list of attachments."""
    _owner(request, who, task_id)
    found = queries.versions(task_id, with_text=True, version=version)
    if not found:
        raise NotFound(f"task {task_id} has no version {version}")
    return found[0]


@router.get(
    "/tasks/{task_id}/submissions/{version}/attachments/{attachment_id}",
    tags=["submissions"],
    response_class=Response,
    responses={200: {"content": {"application/octet-stream": {}}}},
)
def attachment(
    task_id: Id, version: Version, attachment_id: Id, request: Request, who: Caller
) -> Response:
    """Download an attachment (served as a download, never rendered inline)."""
    _owner(request, who, task_id)
    filename, _content_type, data = queries.attachment(task_id, version, attachment_id)
    return downloads.attachment(filename, data)


def _submit(
    request: Request,
    who: Principal,
    task_id: int,
    text: str | None,
    uploads: list[Upload],
    source: Upload | None = None,
    forms: list[Upload] | None = None,
) -> dict[str, Any]:
    """On the writer (web.writes): the permission check, then the one service call."""
    from services.provision import submit

    to = guard.submission(request, who, task_id)
    done = submit(
        text, source=source, forms=forms, to=to, attachments=uploads, now=clock.now(),
        actor=who.username,
    )  # fmt: skip
    return done.as_dict()


@router.post(
    "/tasks/{task_id}/submissions",
    status_code=201,
    tags=["submissions"],
    response_model=SubmittedOut,
)
async def submit_json(
    task_id: Id, body: SubmissionIn, request: Request, who: Caller
) -> dict[str, Any]:
    """Submit (or resubmit) the body's report as JSON; attachments base64-encoded."""
    files = uploads.base64_attachments(body.attachments)
    return await writer(request).run(_submit, request, who, task_id, body.text, files)


@router.post(
    "/tasks/{task_id}/submissions/upload",
    status_code=201,
    tags=["submissions"],
    response_model=SubmittedOut,
)
async def submit_upload(
    task_id: Id,
    request: Request,
    who: Caller,
    report: Annotated[
        UploadFile, File(description="the report as written: Word (.docx), UTF-8 text or Markdown")
    ],
    attachments: Annotated[list[UploadFile] | None, File()] = None,
    forms: Annotated[
        list[UploadFile] | None, File(description="filled data-form templates (.xlsx)")
    ] = None,
) -> dict[str, Any]:
    """Submit (or resubmit) as multipart/form-data: the report file as the body wrote it
    (kept as the version's source), optional attachments and filled data forms."""
    source = await uploads.report_source(report)
    files = await uploads.attachment_files(attachments or [])
    workbooks = await uploads.form_files(forms or [])
    return await writer(request).run(_submit, request, who, task_id, None, files, source, workbooks)


_XLSX_RESPONSE = {200: {"content": {uploads.XLSX: {}}}}


@router.get(
    "/tasks/{task_id}/submissions/{version}/source",
    tags=["submissions"],
    response_class=Response,
    responses={200: {"content": {"application/octet-stream": {}}}},
)
def submission_source(task_id: Id, version: Version, request: Request, who: Caller) -> Response:
    """The report file as the body sent it (404 for a report typed or pasted)."""
    from services.intake import source_file

    _owner(request, who, task_id)
    filename, content_type, data = source_file(task_id, version)
    return downloads.download(data, filename, content_type)


@router.get(
    "/tasks/{task_id}/submissions/{version}/diff", tags=["submissions"], response_model=DiffOut
)
def submission_diff(task_id: Id, version: Version, request: Request, who: Caller) -> dict[str, Any]:
    """The version against the one before it, section by section (unified diff lines)."""
    from services.intake import compare

    _owner(request, who, task_id)
    return compare(task_id=task_id, version=version)


@router.get(
    "/tasks/{task_id}/submissions/{version}/forms",
    tags=["submissions"],
    response_model=list[FormValuesOut],
)
def submission_forms(
    task_id: Id, version: Version, request: Request, who: Caller
) -> list[dict[str, Any]]:
    """The data-form values the version carries, cell by cell."""
    from services.forms import version_forms

    _owner(request, who, task_id)
    found = queries.versions(task_id, version=version)
    if not found:
        raise NotFound(f"task {task_id} has no version {version}")
    return version_forms(task_id, version)


@router.get(
    "/tasks/{task_id}/forms/{code}/template",
    tags=["submissions"],
    response_class=Response,
    responses=_XLSX_RESPONSE,
)
def form_template(
    task_id: Id,
    code: Annotated[str, Path(max_length=32, pattern=r"^[A-Za-z0-9][A-Za-z0-9_\-]*$")],
    request: Request,
    who: Caller,
) -> Response:
    """A data form's Excel template, made out to the task's body and period."""
    from services.forms import task_template

    _owner(request, who, task_id)
    filename, data = task_template(task_id, code)
    return downloads.download(data, filename, uploads.XLSX)


@router.get(
    "/cycles/{cycle_id}/totals",
    tags=["cycles"],
    response_model=CycleTotalsOut,
    responses=_XLSX_RESPONSE,
)
def cycle_totals(
    cycle_id: Id, request: Request, who: Caller, format: Literal["json", "xlsx"] = "json"
) -> Any:
    """The cycle's data forms summed over its accepted bodies, with the bodies missing per
    indicator (``?format=xlsx``: bodies × indicators and a Tổng cộng row); its coordinator."""
    from services.exports import totals_xlsx
    from services.forms import cycle_totals as totals_of

    ref = guard.managed_cycle(request, who, cycle_id)
    totals = totals_of(cycle_id)
    if format == "json":
        return totals.as_dict()
    data = totals_xlsx(totals.forms, ref=totals.ref, program_title=totals.program_title,
                       period_label=totals.period_label)  # fmt: skip
    return downloads.download(data, f"so-lieu-{ref.replace('/', '-')}.xlsx", uploads.XLSX)


def _decide(
    request: Request,
    who: Principal,
    task_id: int,
    decision: str,
    comment: str | None,
    new_due: date | None,
    version: int | None = None,
) -> dict[str, Any]:
    """A coordinator decision (accept, return, extend) on a task of its cycles."""
    from services.review import decide

    guard.task(request, who, task_id, access.can_review, "review outside the coordinator's cycles")
    done = decide(
        decision,
        {"task_id": task_id},
        comment=comment,
        new_due=new_due,
        now=clock.now(),
        actor=who.username,
        version=version,
    )
    return done.as_dict()


@router.post("/tasks/{task_id}/review", tags=["reviews"], response_model=ReviewOut)
async def review(task_id: Id, body: ReviewIn, request: Request, who: Caller) -> dict[str, Any]:
    """Accept the latest version, or return it with a comment and a new due date."""
    return await writer(request).run(
        _decide, request, who, task_id, body.decision, body.comment, body.new_due_date,
        body.version,
    )  # fmt: skip


@router.post("/tasks/{task_id}/extensions", tags=["reviews"], response_model=ExtensionOut)
async def extend(task_id: Id, body: ExtensionIn, request: Request, who: Caller) -> dict[str, Any]:
    """Grant an extension with a reason; the urging ladder starts over."""
    return await writer(request).run(
        _decide, request, who, task_id, "extend", body.reason, body.new_due_date
    )


# -- dashboards -------------------------------------------------------------------------


@router.get("/dashboard/overdue", tags=["dashboard"], response_model=OverduePage)
def overdue(who: Caller, limit: Limit = 100, offset: Offset = 0) -> dict[str, Any]:
    """Overdue tasks (body, cycle, days overdue, escalation level), most overdue first."""
    return queries.overdue_page(who, clock.now(), limit=limit, offset=offset).as_dict()


@router.get("/stats/cycles", tags=["dashboard"], response_model=list[CycleStats])
def stats_cycles(
    who: Caller, include_closed: bool = False, limit: Limit = 100, offset: Offset = 0
) -> list[dict[str, Any]]:
    """The four buckets (on time, late, pending, overdue) per cycle, as the caller sees it;
    newest deadline first, ``limit`` cycles from ``offset`` (years of closed cycles
    are counted a page at a time)."""
    return queries.cycle_progress(
        who, clock.now(), open_only=not include_closed, limit=limit, offset=offset
    )


@router.get("/stats/bodies", tags=["dashboard"], response_model=BodyStatsPage)
def stats_bodies(who: Caller, limit: Limit = 100, offset: Offset = 0) -> dict[str, Any]:
    """The four buckets and on-time rate per body across cycles, as the caller sees it."""
    return queries.body_compliance_page(who, clock.now(), limit=limit, offset=offset).as_dict()


_PERIOD = "a period (2024-H1, 2024-Q3, 2024-07, 2024) or a date YYYY-MM-DD"


@router.get("/scorecard", tags=["dashboard"], response_model=ScorecardOut)
def scorecard(
    request: Request,
    who: Caller,
    program: Code = None,
    body: Code = None,
    start: Annotated[str | None, Query(alias="from", max_length=16, description=_PERIOD)] = None,
    end: Annotated[str | None, Query(alias="to", max_length=16, description=_PERIOD)] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Compliance across cycles, as the caller may see it: per body (worst first), per
    program and in total, with each body's trend per period. ``from``/``to`` keep the
    cycles whose period ends between them. The on-time rate counts a body that never
    sent as not on time and leaves out tasks not yet due (see ``rate_note``). An
    unknown program or body is a 404; another body's figures are a 403. ``bodies``
    and ``trends`` are one page (``limit``, ``offset``); the totals count every body."""
    from services.scorecard import Filters

    filters = Filters.parse(program, body, start, end)
    guard.scorecard(request, who, filters.program, filters.body)
    return queries.scorecard(who, clock.now(), filters, limit=limit, offset=offset)
