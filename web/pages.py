"""The server-rendered pages at ``/``: login, dashboard, cycles, a body's tasks, one task.

Pages work without JavaScript: links and forms only, every POST answered
with a redirect (post/redirect/get) carrying a one-shot message. Each page
asks :mod:`web.access` before showing anything, and shows a principal only
what its role allows (action forms appear only for those who may use them).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from rules.errors import Conflict, NotFound, UserError
from rules.tasks import STATUSES, check_review, check_version_read
from rules.text import clean
from rules.timezone import local_date
from services import accounts, clock
from services.accounts import Principal
from services.dashboard import task_histories
from services.provision import MAX_ATTACHMENTS, MAX_FORM_FILES, MAX_REPORT_BYTES
from web import access, auth, downloads, guard, queries, uploads
from web.i18n import Translator
from web.render import lang_of, page, redirect
from web.schemas import EARLIEST, LATEST, clean_text
from web.writes import writer

router = APIRouter(include_in_schema=False)
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]
PageNo = Annotated[int, Query(ge=1, le=100_000)]
OVERDUE_PER_PAGE = 100
CYCLES_PER_PAGE = 20
BODIES_PER_PAGE = 50
TASKS_PER_PAGE = 100
MAX_FORM_FIELDS = 1000  # cells typed into a task page's data forms
DASHBOARD_REFRESH_SECONDS = 60  # the dashboard's in-place update (web/static/refresh.js)


def user(request: Request) -> Principal:
    principal = auth.session_principal(request)
    if principal is None:
        raise auth.AuthError()
    return principal


def coordinator(request: Request, reason: str) -> Principal:
    """The logged-in user, once a coordinator (the accounts and ad-hoc request pages);
    anyone else gets the audited 403 with ``reason``."""
    who = user(request)
    auth.require(request, who, who.role == access.COORDINATOR, reason)
    return who


MAX_LEAVE_OUT = 60_000  # bodies a closing may leave out: a national cycle's, and more


async def form(request: Request, max_fields: int = 20) -> FormData:
    """The posted form, bounded (a report may be pasted, so text fields up to its limit),
    with its CSRF token checked."""
    data = await request.form(
        max_files=MAX_ATTACHMENTS + 1 + MAX_FORM_FILES, max_fields=max_fields,
        max_part_size=MAX_REPORT_BYTES * 4 + 1024,
    )  # fmt: skip
    auth.check_csrf(request, data.get("csrf_token"))
    return data


def field(data: FormData, name: str, limit: int = 4000) -> str:
    value = data.get(name)
    if not isinstance(value, str):
        return ""
    if len(value) > limit:
        raise UserError(f"{name}: at most {limit} characters", field=name)
    return clean(value, field=name).strip()  # a refusal names the field, which the page marks


def day_field(data: FormData, name: str) -> date | None:
    text = field(data, name, 32)
    if not text:
        return None
    try:
        value = date.fromisoformat(text)
    except ValueError:
        raise UserError(f"not a valid date (YYYY-MM-DD): {text!r}") from None
    if not EARLIEST <= value <= LATEST:
        raise UserError(f"the date {text} is out of range")
    return value


def said(request: Request, exc: Exception) -> str:
    """A service's error in the user's language (rules.error_text), for a page's own text."""
    from rules.error_text import for_user

    lang = lang_of(request)
    text, english = for_user(str(exc), lang, Translator(lang)("bad_request"))
    return f"{text} ({english})" if english else text


async def write(request: Request, change: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Run one state-changing service call on the writer (web.writes), off the event loop."""
    return await writer(request).run(change, *args, **kwargs)


def safe_next(target: str | None) -> str:
    """Only local paths: a login link can never send the user to another site."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


# -- login ------------------------------------------------------------------------------


@router.get("/login")
def login_form(request: Request, next: Annotated[str, Query(max_length=2000)] = "/") -> Response:
    return page(request, "login.html", next=safe_next(next), failed=False, locked_until=None)


@router.post("/login")
async def login(request: Request) -> Response:
    data = await form(request)
    target = safe_next(field(data, "next", 2000))
    username = field(data, "username", 64)
    password = data.get("password")
    logged_in, locked_until = None, None
    if isinstance(password, str) and username:
        try:  # scrypt takes tens of milliseconds: keep it off the event loop
            logged_in = await run_in_threadpool(
                accounts.log_in, username, password, now=clock.now()
            )
        except accounts.LoginLocked as locked:
            locked_until = locked.until
    if logged_in is None:
        failed = locked_until is None
        return page(request, "login.html", status=401 if failed else 429, next=target,
                    failed=failed, locked_until=locked_until)  # fmt: skip
    response = redirect(request, target)
    auth.set_session(response, request, logged_in.session_token)
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    """End the session on the server, not only in this browser: a copied cookie dies too."""
    await form(request)
    await run_in_threadpool(auth.end_session, request)
    response = redirect(request, "/login")
    auth.clear_session(response)
    return response


# -- dashboard --------------------------------------------------------------------------


@router.get("/")
def dashboard(
    request: Request, opage: PageNo = 1, cpage: PageNo = 1, bpage: PageNo = 1
) -> Response:
    """Overdue first, then open cycles' four buckets with a bar chart (and, for a cycle
    with cycles below it, each of those and the levels summed), then on-time rates.

    Each list is one page cut in SQL (``opage``, ``cpage``, ``bpage``) and every total
    is a SQL count: the page costs the same with 50 or 50,000 overdue tasks.
    """
    who = user(request)
    now = clock.now()
    overdue = queries.overdue_page(
        who, now, limit=OVERDUE_PER_PAGE, offset=(opage - 1) * OVERDUE_PER_PAGE
    )
    progress = queries.cycle_progress_page(
        who, now, limit=CYCLES_PER_PAGE, offset=(cpage - 1) * CYCLES_PER_PAGE
    )
    compliance = queries.body_compliance_page(
        who, now, limit=BODIES_PER_PAGE, offset=(bpage - 1) * BODIES_PER_PAGE
    )
    return page(
        request,
        "dashboard.html",
        overdue=overdue,
        opage=opage,
        progress=progress,
        cpage=cpage,
        compliance=compliance,
        bpage=bpage,
        drill=queries.drill_down(who, now, [p["cycle"] for p in progress.rows]),
        now=now,
        refresh_seconds=DASHBOARD_REFRESH_SECONDS,
    )


# -- a body's tasks ---------------------------------------------------------------------


@router.get("/agency")
def agency(
    request: Request, pageno: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1
) -> Response:
    """My body's tasks: open ones first (overdue, then by deadline), then the history."""
    who = user(request)
    now = clock.now()
    mine = queries.tasks_page(
        who,
        now,
        body=who.body_code,
        limit=TASKS_PER_PAGE,
        offset=(pageno - 1) * TASKS_PER_PAGE,
    )
    waiting = [r for r in mine.rows if r["status"] in ("pending", "returned")]
    others = [r for r in mine.rows if r["status"] not in ("pending", "returned")]
    return page(request, "agency.html", waiting=waiting, others=others, mine=mine, pageno=pageno)


@router.get("/agency.{fmt}")
def agency_export(fmt: Literal["xlsx", "csv"], request: Request) -> Response:
    """Every task of my body (every page of /agency), open ones first."""
    from services.exports import task_sheet

    who = user(request)
    mine = queries.tasks_page(who, clock.now(), body=who.body_code, limit=None)
    return downloads.sheets(fmt, [task_sheet(mine.rows)], f"nhiem-vu-{who.body_code}")


# -- cycles -----------------------------------------------------------------------------


def _coordinated_programs(who: Principal) -> list[tuple[str, str]]:
    """(code, title) of the programs ``who`` may open cycles of: its body coordinates them."""
    from services.registry import list_programs

    if who.role != access.COORDINATOR:
        return []
    return [
        (p.code, p.title) for p, coordinator, _n in list_programs() if coordinator == who.body_code
    ]


@router.get("/cycles")
def cycles(request: Request) -> Response:
    """The cycles ``who`` may see; for a coordinator, the form opening a new one."""
    who = user(request)
    return page(
        request,
        "cycles.html",
        cycles=queries.cycles_for(who),
        programs=_coordinated_programs(who),
        today=local_date(clock.now()),
    )


@router.get("/cycles.{fmt}")
def cycles_export(fmt: Literal["xlsx", "csv"], request: Request) -> Response:
    """The cycles ``who`` may see, as the cycles page lists them."""
    from services.exports import cycle_sheet

    who = user(request)
    return downloads.sheets(fmt, [cycle_sheet(queries.cycles_for(who))], "ky-bao-cao")


@router.post("/cycles")
async def open_cycle(request: Request) -> Response:
    """Open a cycle of a program the coordinator's body coordinates (as ``POST /api/cycles``)."""
    from services.cycles import open_cycle as run

    who = user(request)
    data = await form(request)
    auth.require(request, who, who.role == access.COORDINATOR, "open cycle: not a coordinator")
    program = field(data, "program", 64)
    if not program:
        return redirect(request, "/cycles", error="choose a program")
    guard.managed_program(request, who, program)
    try:
        period = field(data, "period", 16)
        if not period:
            raise UserError("a cycle needs a period, e.g. 2024-H1")
        opened = await write(
            request,
            run,
            program,
            period,
            letter_no=field(data, "letter_no", 64) or None,
            letter_date=day_field(data, "letter_date"),
            due=day_field(data, "due"),
            now=clock.now(),
            actor=who.username,
        )
    except NotFound:
        raise
    except UserError as exc:
        return redirect(request, "/cycles", error=str(exc))
    return redirect(request, f"/cycles/{opened.cycle.id}", ok="cycle_opened_msg",
                    notes=_moved_notes(request, opened.moved))  # fmt: skip


BODY_CHOICES = 300  # a cycle with more bodies filters by a typed code, not a list
SearchText = Annotated[str | None, Query(max_length=64)]
BodyCode = Annotated[str | None, Query(max_length=64)]
OverdueBox = Annotated[str | None, Query(max_length=8)]
StatusName = Annotated[str | None, Query(max_length=16)]


def _task_filter(
    status: str | None, body: str | None, overdue: str | None, q: str | None
) -> dict[str, Any]:
    """The cycle page's filter as typed (kept in the URL), known statuses only."""
    return {
        "status": status if status in STATUSES else "",
        "body": clean_text(body or "").strip(),
        "overdue": "1" if overdue in ("1", "on", "true") else "",
        "q": clean_text(q or "").strip(),
    }


def _filtered_tasks(
    sight: queries.CycleSight, chosen: dict[str, Any], *, limit: int | None, offset: int = 0
) -> queries.Page:
    """The cycle's tasks as the filter chooses them, in the table's stable order."""
    return queries.tasks_page(
        sight.who,
        clock.now(),
        cycle_id=sight.cycle_id,
        whole=sight.whole,
        status=chosen["status"] or None,
        body=chosen["body"] or None,
        overdue_only=bool(chosen["overdue"]),
        text=chosen["q"] or None,
        limit=limit,
        offset=offset,
    )


@router.get("/cycles/{cycle_id}")
def cycle(
    cycle_id: Id,
    request: Request,
    pageno: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1,
    status: StatusName = None,
    body: BodyCode = None,
    overdue: OverdueBox = None,
    q: SearchText = None,
) -> Response:
    """Every task of the cycle the principal may see, filtered (status, body, overdue,
    text in the body's name or code), with history; a report waiting for review links
    to its task page, where it is read and decided on."""
    from services.dashboard import cycle_info

    who = user(request)
    sight = guard.cycle_sight(request, who, cycle_id)  # the cycles above: looked up once
    now = clock.now()
    info = cycle_info(str(cycle_id))
    chosen = _task_filter(status, body, overdue, q)
    offset = (pageno - 1) * TASKS_PER_PAGE
    tasks = _filtered_tasks(sight, chosen, limit=TASKS_PER_PAGE, offset=offset)
    whole = sight.whole
    progress = queries.cycle_progress(
        who, now, open_only=False, cycle_id=cycle_id, whole=whole
    )  # fmt: skip
    manages = access.can_manage_cycle(who, sight.coordinator)
    consolidated = None
    if info["status"] != "open" and whole:
        from services.synthesis import stored_report

        consolidated = stored_report(str(cycle_id)).markdown
    from services.letters import list_letters

    letters = list_letters(str(cycle_id), body_id=None if manages else who.body_id)
    from services.rollup import links

    listed = whole  # the others see their own row only
    choices = queries.cycle_bodies(cycle_id, BODY_CHOICES + 1) if listed else []
    return page(
        request,
        "cycle.html",
        cycle=info,
        rollup=links(cycle_id),  # the cycle above, and each coordinator's cycle below
        tasks=tasks,
        history=task_histories([r["task"] for r in tasks.rows]),
        progress=progress[0] if progress else None,
        manages=manages,
        pageno=pageno,
        chosen=chosen,
        filtered=any(chosen.values()),
        query=urlencode({k: v for k, v in chosen.items() if v}),
        body_choices=choices if len(choices) <= BODY_CHOICES else None,
        statuses=STATUSES,
        today=local_date(now),
        letters=letters,
        consolidated=consolidated,
    )


@router.get("/cycles/{cycle_id}/tasks.{fmt}")
def cycle_tasks_export(
    cycle_id: Id,
    fmt: Literal["xlsx", "csv"],
    request: Request,
    status: StatusName = None,
    body: BodyCode = None,
    overdue: OverdueBox = None,
    q: SearchText = None,
) -> Response:
    """The cycle's tasks as the page's filter chooses them (every page), in its order."""
    from services.exports import task_sheet

    who = user(request)
    sight = guard.cycle_sight(request, who, cycle_id)
    rows = _filtered_tasks(sight, _task_filter(status, body, overdue, q), limit=None)
    name = f"nhiem-vu-{sight.ref.replace('/', '-')}"
    return downloads.sheets(fmt, [task_sheet(rows.rows)], name)


@router.get("/cycles/{cycle_id}/synthesize")
def synthesize_preview(cycle_id: Id, request: Request) -> Response:
    """The report as it would close now, who holds it up, and the confirmation step."""
    return _closing_page(request, cycle_id)


def _closing_page(
    request: Request,
    cycle_id: int,
    error: str | None = None,
    chosen: list[str] | None = None,
    status: int = 200,
) -> Response:
    from services.synthesis import draft

    who = user(request)
    guard.managed_cycle(request, who, cycle_id)
    built = draft(str(cycle_id), now=clock.now())
    if built.status != "open":
        return redirect(request, f"/cycles/{cycle_id}", ok="cycle_closed")
    return page(
        request, "synthesize.html", status, draft=built.as_dict(), error=error, chosen=chosen or []
    )


@router.post("/cycles/{cycle_id}/synthesize")
async def synthesize(cycle_id: Id, request: Request) -> Response:
    """Close the cycle, once confirmed; bodies ticked "leave out" are closed without."""
    from rules.report import ClosingBlocked
    from services.synthesis import synthesize as run

    who = user(request)
    # One "leave out" box per blocking body: a national cycle can list thousands, and
    # the form's default cap of 20 fields refused closing with more than 17 of them.
    data = await form(request, max_fields=20 + MAX_LEAVE_OUT)
    guard.managed_cycle(request, who, cycle_id)
    chosen = [clean_text(v) for v in data.getlist("leave_out") if isinstance(v, str)]
    if field(data, "confirm", 8) != "yes":
        t = Translator(lang_of(request))
        return await run_in_threadpool(
            _closing_page, request, cycle_id, t("closing_unconfirmed"), chosen, 400
        )
    try:
        await write(
            request, run, str(cycle_id), now=clock.now(), actor=who.username, leave_out=chosen
        )
    except ClosingBlocked as exc:  # someone moved since the preview: show it again
        return await run_in_threadpool(
            _closing_page, request, cycle_id, said(request, exc), chosen, 409
        )
    except Conflict as exc:  # e.g. closed meanwhile
        return redirect(request, f"/cycles/{cycle_id}", error=str(exc))
    except UserError as exc:  # a leave-out that no longer holds it up
        return await run_in_threadpool(
            _closing_page, request, cycle_id, said(request, exc), chosen, 400
        )
    return redirect(request, f"/cycles/{cycle_id}", ok="synthesized_msg")


@router.get("/cycles/{cycle_id}/report.{fmt}")
def report(cycle_id: Id, fmt: Literal["md", "docx"], request: Request) -> Response:
    """The consolidated report, as Markdown or as the Word file officials edit (its
    coordinator, and leadership)."""
    who = user(request)
    ref = guard.report_cycle(request, who, cycle_id)
    return downloads.consolidated_report(cycle_id, ref, fmt)


@router.get("/cycles/{cycle_id}/draft.docx")
def draft_report(cycle_id: Id, request: Request) -> Response:
    """The report as it would close now, in Word, marked DỰ THẢO (its coordinator only)."""
    from services.synthesis import draft_docx

    who = user(request)
    guard.managed_cycle(request, who, cycle_id)
    data, filename = draft_docx(str(cycle_id), now=clock.now())
    return downloads.download(data, filename, downloads.DOCX)


@router.get("/cycles/{cycle_id}/letters/{letter_id}.docx")
def letter(cycle_id: Id, letter_id: Id, request: Request) -> Response:
    """An urging letter or a summary: its cycle's coordinator, or the late body its own."""
    found = letter_access(request, user(request), letter_id)
    if found.cycle_id != cycle_id:
        raise NotFound(f"unknown letter: {letter_id}")
    return downloads.download(found.data, found.filename, downloads.DOCX)


def letter_access(request: Request, who: Principal, letter_id: int) -> Any:
    """The stored letter, once ``who`` may read it (pages and API alike)."""
    from services.letters import letter_file

    found = letter_file(letter_id)
    coordinator, _ref = queries.cycle_owner(found.cycle_id)
    allowed = access.can_manage_cycle(who, coordinator) or (
        found.body_id is not None and who.body_id == found.body_id
    )
    auth.require(request, who, allowed, "letter of another body")
    return found


# -- one task ---------------------------------------------------------------------------


def _task_access(request: Request, who: Principal, task_id: int) -> access.TaskOwner:
    return guard.task(request, who, task_id, access.can_read_task, "task of another body")


@router.get("/tasks/{task_id}")
def task(task_id: Id, request: Request) -> Response:
    """The task: outline to fill, submit form (its body), review forms (its coordinator),
    every version with the reviewer's comments, extensions and escalations."""
    return _task_page(request, task_id)


def _task_page(
    request: Request,
    task_id: int,
    status: int = 200,
    typed: dict[str, str] | None = None,
    form_error: dict[str, str] | None = None,
) -> Response:
    """The task page; after a refused form, with what was typed kept and the error
    (``form_error``: the form's name and the message) next to the field."""
    from web import drafts

    who = user(request)
    owner = _task_access(request, who, task_id)
    now = clock.now()
    detail = queries.task_detail(task_id, now)
    kept = drafts.take(request) if typed is None else None
    if kept:  # typed before the session expired: back into its form
        typed, form_error = kept[1], {"form": kept[0], "text": Translator(lang_of(request))(
            "draft_restored")}  # fmt: skip
    can_review = access.can_review(who, owner)
    queue = None
    if can_review and detail["task"]["cycle_status"] == "open":
        after = queries.queue_place(detail["task"])
        queue = queries.next_waiting(who, detail["task"]["cycle_id"], after=after, skip=task_id)
    response = page(
        request,
        "task.html",
        status,
        typed=typed or {},
        form_error=form_error or {},
        detail=detail,
        t_=detail["task"],
        can_submit=access.can_submit(who, owner),
        can_review=can_review,
        queue=queue,
        latest=detail["versions"][0]["version"] if detail["versions"] else None,
        today=local_date(now),
        **_sent_as(task_id),
    )
    if kept:
        response.delete_cookie(drafts.COOKIE, path="/")
    return response


def _sent_as(task_id: int) -> dict[str, Any]:
    """What the task page shows of how each version was sent: its original file and
    header, its sections as formatted blocks, its form values; the program's forms."""
    from rules.reading import blocks
    from services.forms import task_forms
    from services.intake import version_sources

    by_version, forms = task_forms(task_id)
    return {
        "sources": version_sources(task_id),
        "version_forms": by_version,
        "forms": forms,
        "blocks": blocks,
    }


def _back(data: FormData, task_id: int) -> str:
    target = field(data, "back", 300)
    return safe_next(target) if target else f"/tasks/{task_id}"


@router.post("/tasks/{task_id}/submit")
async def submit(task_id: Id, request: Request) -> Response:
    """Paste text or upload the report file (Word, text, Markdown), with optional
    attachments and the data forms (filled workbooks, or typed): a new version."""
    from services.provision import submit as run

    who = user(request)
    data = await form(request, max_fields=20 + MAX_FORM_FIELDS)
    to = await run_in_threadpool(guard.submission, request, who, task_id)
    back = f"/tasks/{task_id}"
    try:
        report = data.get("report_file")
        text, source = None, None
        if isinstance(report, UploadFile) and report.filename:
            source = await uploads.report_source(report)
        else:
            text = uploads.pasted_report(data.get("text"))
        files = await uploads.attachment_files(data.getlist("attachments"))
        workbooks = await uploads.form_files(data.getlist("form_files"))
        await write(
            request,
            run,
            text,
            source=source,
            to=to,
            attachments=files,
            forms=workbooks,
            form_values=uploads.form_fields(data),
            now=clock.now(),
            actor=who.username,
        )
    except NotFound:
        raise
    except UserError as exc:  # the page again, with the typed text kept
        typed = {"text": data.get("text") if isinstance(data.get("text"), str) else ""}
        files = any(isinstance(f, UploadFile) and f.filename for _n, f in data.multi_items())
        typed |= {"had_files": "yes" if files else ""}
        typed |= {k: v for k, v in data.multi_items() if k.startswith("form:") and
                  isinstance(v, str)}  # fmt: skip
        error = {"form": "submit", "text": said(request, exc)}
        return await run_in_threadpool(_task_page, request, task_id, 400, typed, error)
    return redirect(request, back, ok="submitted_msg")


def _version_field(data: FormData) -> int | None:
    """The version the reviewer read (a number the page put in the form), if any."""
    text = field(data, "version", 8)
    return int(text) if text.isdigit() and 0 < int(text) <= 100_000 else None


@router.get("/tasks/{task_id}/accept")
def confirm_accept(
    task_id: Id,
    request: Request,
    version: Annotated[int | None, Query(ge=1, le=100_000)] = None,
) -> Response:
    """The confirmation step before accepting: which body, which version (sent when, by
    whom), its sections; the button names both. Works without JavaScript."""
    who = user(request)
    guard.task(request, who, task_id, access.can_review, "review outside the coordinator's cycles")
    detail = queries.task_detail(task_id, clock.now())
    t_ = detail["task"]
    back = f"/tasks/{task_id}"
    try:  # the rules the service applies, so the page says what the accept would
        check_review(t_["status"], t_["cycle_status"] == "open")
        latest = detail["versions"][0]  # newest first; a submitted task has one
        check_version_read(latest["version"], version)
    except UserError as exc:
        return redirect(request, back, error=str(exc))
    return page(request, "accept.html", t_=t_, v=latest)


@router.post("/tasks/{task_id}/review")
async def review(task_id: Id, request: Request) -> Response:
    """Accept (once confirmed on the confirmation page), or return with a comment and a
    new due date (the task's coordinator); then on to the next report waiting."""
    who = user(request)
    data = await form(request)
    decision = field(data, "decision", 16)
    return await _decide(request, who, task_id, data, decision, field(data, "comment"))


@router.post("/tasks/{task_id}/extend")
async def extend(task_id: Id, request: Request) -> Response:
    """Grant an extension with a reason (the task's coordinator)."""
    who = user(request)
    data = await form(request)
    return await _decide(request, who, task_id, data, "extend", field(data, "reason"))


def _moved_notes(request: Request, moved: Any) -> list[str]:
    """A due date the calendar moved, said in the user's words (rules.deadlines)."""
    return [moved.sentence(lang_of(request))] if moved is not None else []


async def _decide(
    request: Request, who: Principal, task_id: int, data: FormData, decision: str, comment: str
) -> Response:
    """A coordinator decision through services.review.decide, as the API makes it."""
    from services.review import decide

    await run_in_threadpool(
        guard.task, request, who, task_id, access.can_review,
        "review outside the coordinator's cycles",
    )  # fmt: skip
    if decision == "accept" and field(data, "confirm", 8) != "yes":  # confirm on its page first
        version = _version_field(data)
        query = f"?version={version}" if version else ""
        return redirect(request, f"/tasks/{task_id}/accept{query}")
    back = _back(data, task_id)
    if decision not in ("accept", "return", "extend"):
        return redirect(request, back, error="choose accept or return")
    # where the task stood in the queue, before a return gives it another deadline
    place = None if decision == "extend" else await run_in_threadpool(queries.queue_key, task_id)
    try:
        done = await write(
            request,
            decide,
            decision,
            {"task_id": task_id},
            comment=comment,
            new_due=day_field(data, "new_due_date"),
            now=clock.now(),
            actor=who.username,
            version=_version_field(data),
        )
    except NotFound:
        raise
    except UserError as exc:  # the task page, where the report is read, with the form kept
        if decision == "accept":  # from the confirmation: nothing typed to keep
            return redirect(request, f"/tasks/{task_id}", error=str(exc))
        typed = {name: field(data, name) for name in ("comment", "reason", "new_due_date")}
        form_name = "extend" if decision == "extend" else "return"
        error = {"form": form_name, "text": said(request, exc)}
        return await run_in_threadpool(_task_page, request, task_id, 400, typed, error)
    notes = _moved_notes(request, done.moved)
    if decision == "extend":
        return redirect(request, back, ok="extended_msg", notes=notes)
    return await run_in_threadpool(_on_to_next, request, who, task_id, done, place, notes)


def _on_to_next(
    request: Request,
    who: Principal,
    task_id: int,
    done: Any,
    place: queries.QueueKey | None,
    notes: list[str],
) -> Response:
    """After an accept or a return: the next report waiting in the cycle (the table's
    order, after this one), or the cycle with a note when none is left."""
    from rules.timezone import vn_date

    t = Translator(lang_of(request))
    cycle_id, body_name = queries.task_brief(task_id)
    if done.decision == "accepted":
        key, params = "accepted_of", {"body": body_name, "version": str(done.version)}
    else:
        key, params = "returned_of", {"body": body_name, "due": vn_date(done.due_date)}
    following = queries.next_waiting(who, cycle_id, after=place, skip=task_id)
    if following is None:
        notes = [*notes, t("queue_empty_note")]
        return redirect(request, f"/cycles/{cycle_id}", ok=key, params=params, notes=notes)
    count = str(following["waiting"])
    notes = [*notes, t("next_waiting_note").format(body=following["body_name"], count=count)]
    return redirect(request, f"/tasks/{following['task']}", ok=key, params=params, notes=notes)


HISTORY_PER_PAGE = 100


def _history(request: Request, *, pageno: int, **which: Any) -> queries.Page:
    """A page of the audit log in words (services.history, as ``phoihop audit`` reads it)."""
    from services.history import history

    found = history(limit=HISTORY_PER_PAGE, offset=(pageno - 1) * HISTORY_PER_PAGE,
                    lang=lang_of(request), **which)  # fmt: skip
    return queries.Page(found["items"], found["total"], found["limit"], found["offset"])


@router.get("/cycles/{cycle_id}/history")
def cycle_history(
    cycle_id: Id,
    request: Request,
    pageno: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1,
) -> Response:
    """The cycle's audit log, readable (its coordinator: it names every body's steps)."""
    who = user(request)
    ref = guard.managed_cycle(request, who, cycle_id)
    rows = _history(request, cycle=str(cycle_id), pageno=pageno)
    return page(request, "history.html", rows=rows, pageno=pageno, title=ref,
                back=f"/cycles/{cycle_id}", download=f"/cycles/{cycle_id}/history")  # fmt: skip


HISTORY_DOWNLOAD = 10_000  # the newest records a history download holds


def _history_download(request: Request, fmt: str, name: str, **which: Any) -> Response:
    """The newest :data:`HISTORY_DOWNLOAD` records of a history page, in the page's
    language (services.history, as ``phoihop audit --xlsx`` writes them)."""
    from services.exports import history_sheet
    from services.history import history

    lang = lang_of(request)
    found = history(limit=HISTORY_DOWNLOAD, lang=lang, **which)
    return downloads.sheets(fmt, [history_sheet(found["items"], en=lang == "en")], name)


@router.get("/cycles/{cycle_id}/history.{fmt}")
def cycle_history_export(cycle_id: Id, fmt: Literal["xlsx", "csv"], request: Request) -> Response:
    """The cycle's history page as a download (its coordinator, as the page)."""
    who = user(request)
    ref = guard.managed_cycle(request, who, cycle_id)
    return _history_download(request, fmt, f"lich-su-{ref.replace('/', '-')}", cycle=str(cycle_id))


@router.get("/tasks/{task_id}/history.{fmt}")
def task_history_export(task_id: Id, fmt: Literal["xlsx", "csv"], request: Request) -> Response:
    """The task's history page as a download (whoever may read the task)."""
    who = user(request)
    _task_access(request, who, task_id)
    return _history_download(request, fmt, f"lich-su-nhiem-vu-{task_id}", task=task_id)


@router.get("/tasks/{task_id}/history")
def task_history(
    task_id: Id, request: Request, pageno: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1
) -> Response:
    """The task's audit log, readable (whoever may read the task)."""
    who = user(request)
    _task_access(request, who, task_id)
    cycle_id, body_name = queries.task_brief(task_id)  # not the versions' texts
    rows = _history(request, task=task_id, pageno=pageno)
    title = f"{body_name} — {queries.cycle_owner(cycle_id)[1]}"
    return page(request, "history.html", rows=rows, pageno=pageno, title=title,
                back=f"/tasks/{task_id}",
                download=f"/tasks/{task_id}/history")  # fmt: skip


@router.get("/tasks/{task_id}/versions/{version}/attachments/{attachment_id}")
def attachment(
    task_id: Id,
    version: Annotated[int, Path(ge=1, le=100_000)],
    attachment_id: Id,
    request: Request,
) -> Response:
    who = user(request)
    _task_access(request, who, task_id)
    filename, _content_type, data = queries.attachment(task_id, version, attachment_id)
    return downloads.attachment(filename, data)


# -- what a version was sent as, its comparison, forms, exports ---------------------------

VersionNo = Annotated[int, Path(ge=1, le=100_000)]
FormCode = Annotated[str, Path(max_length=32, pattern=r"^[A-Za-z0-9][A-Za-z0-9_\-]*$")]


@router.get("/tasks/{task_id}/versions/{version}/source")
def version_source(task_id: Id, version: VersionNo, request: Request) -> Response:
    """The report file as the body sent it (always a download)."""
    from services.intake import source_file

    who = user(request)
    _task_access(request, who, task_id)
    filename, content_type, data = source_file(task_id, version)
    return downloads.download(data, filename, content_type)


@router.get("/tasks/{task_id}/versions/{version}/diff")
def version_diff(task_id: Id, version: VersionNo, request: Request) -> Response:
    """A version against the one before it, section by section."""
    from services.intake import compare

    who = user(request)
    _task_access(request, who, task_id)
    detail = queries.task_detail(task_id, clock.now())
    return page(request, "diff.html", t_=detail["task"], diff=compare(task_id=task_id,
                version=version))  # fmt: skip


@router.get("/tasks/{task_id}/forms/{code}/template.xlsx")
def form_template(task_id: Id, code: FormCode, request: Request) -> Response:
    """The form's Excel template made out to the task's body and period."""
    from services.forms import task_template

    who = user(request)
    _task_access(request, who, task_id)
    filename, data = task_template(task_id, code)
    return downloads.download(data, filename, uploads.XLSX)


@router.get("/tasks/{task_id}/versions/{version}/forms/{code}.xlsx")
def form_workbook(task_id: Id, version: VersionNo, code: FormCode, request: Request) -> Response:
    """The filled workbook a version's figures were read from, as sent."""
    from services.forms import entry_workbook

    who = user(request)
    _task_access(request, who, task_id)
    filename, data = entry_workbook(task_id, version, code)
    return downloads.download(data, filename, uploads.XLSX)


@router.get("/dashboard.{fmt}")
def dashboard_export(fmt: Literal["xlsx", "csv"], request: Request) -> Response:
    """The dashboard's three lists as the user may see them (up to 1,000 rows each)."""
    from services.exports import dashboard_sheets

    who = user(request)
    now = clock.now()
    late = queries.overdue_page(who, now, limit=1000)
    data = {
        "overdue": {"items": _by_body(late.rows)},
        "cycles": queries.cycle_progress_page(who, now, limit=1000).as_dict(),
        "bodies": queries.body_compliance_page(who, now, limit=1000).as_dict(),
    }
    sheets = dashboard_sheets(data)
    cycle_ids = [p["cycle"] for p in data["cycles"]["items"]]
    if drilled := queries.drill_down(who, now, cycle_ids, every=True):
        from services.exports import rollup_sheet

        sheets.append(rollup_sheet(drilled))  # every cycle below, not the page's first 20
    return downloads.sheets(fmt, sheets, f"bang-theo-doi-{local_date(now).isoformat()}")


def _by_body(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    from services.dashboard import by_body

    return by_body(rows)


@router.get("/cycles/{cycle_id}/totals.xlsx")
def cycle_totals_xlsx(cycle_id: Id, request: Request) -> Response:
    """The cycle's data forms summed over its accepted bodies (its coordinator)."""
    from services.exports import totals_xlsx
    from services.forms import cycle_totals

    who = user(request)
    ref = guard.managed_cycle(request, who, cycle_id)
    totals = cycle_totals(cycle_id)
    data = totals_xlsx(totals.forms, ref=totals.ref, program_title=totals.program_title,
                       period_label=totals.period_label)  # fmt: skip
    return downloads.download(data, f"so-lieu-{ref.replace('/', '-')}.xlsx", uploads.XLSX)


# -- compliance scorecards ----------------------------------------------------------------

FilterText = Annotated[str | None, Query(max_length=64)]
PeriodText = Annotated[str | None, Query(max_length=16)]


def _scorecard(
    request: Request, program: str | None, body: str | None, start: str | None, end: str | None,
    limit: int | None = None, offset: int = 0,
) -> dict[str, Any]:  # fmt: skip
    """The scorecard the page (one page of bodies) and its downloads (all) show, once the
    user may see it."""
    from services.scorecard import Filters

    who = user(request)
    filters = Filters.parse(program, body, start, end)
    guard.scorecard(request, who, filters.program, filters.body)
    return queries.scorecard(who, clock.now(), filters, limit=limit, offset=offset)


@router.get("/scorecard")
def scorecard(
    request: Request,
    program: FilterText = None,
    body: FilterText = None,
    start: Annotated[str | None, Query(alias="from", max_length=16)] = None,
    end: Annotated[str | None, Query(alias="to", max_length=16)] = None,
    pageno: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1,
) -> Response:
    """Compliance across cycles with its charts (SVG drawn on the server, no script):
    four buckets per cycle, on-time rate by body (worst first), the trend per period.
    The bodies come a page at a time (``page``); the totals count every body."""
    from services.registry import list_programs

    offset = (pageno - 1) * BODIES_PER_PAGE
    data = _scorecard(request, program, body, start, end, BODIES_PER_PAGE, offset)

    query = {k: v for k, v in (("program", program), ("body", body), ("from", start),
                               ("to", end)) if v}  # fmt: skip
    return page(
        request,
        "scorecard.html",
        data=data,
        form={
            "program": program or "",
            "body": body or "",
            "from": start or "",
            "to": end or "",
        },  # fmt: skip
        programs=[(p.code, p.title) for p, _coordinator, _bodies in list_programs()],
        query=urlencode(query),
        listed={
            "rows": data["bodies"],
            "total": data["bodies_total"],
            "limit": BODIES_PER_PAGE,
            "offset": offset,
        },  # fmt: skip
        pageno=pageno,
    )


@router.get("/scorecard.{fmt}")
def scorecard_export(
    fmt: Literal["xlsx", "csv"],
    request: Request,
    program: FilterText = None,
    body: FilterText = None,
    start: Annotated[str | None, Query(alias="from", max_length=16)] = None,
    end: Annotated[str | None, Query(alias="to", max_length=16)] = None,
) -> Response:
    """The scorecard the page shows, as a workbook or a CSV (UTF-8 with a BOM)."""
    from services.exports import scorecard_sheets

    data = _scorecard(request, program, body, start, end)
    sheets = scorecard_sheets(data)
    day = local_date(data["now"]).isoformat()
    return downloads.sheets(fmt, sheets, f"bang-danh-gia-tuan-thu-{day}")
