"""Reads the web layer needs that the CLI does not: scoped to a principal and paginated.

The CLI reads everything (one operator, one machine); the web serves many
users over hundreds of thousands of tasks, so every list here is cut to what
the principal may see (:mod:`web.access`) and to one page, in SQL. The four
buckets come from ``services.dashboard``'s column expressions and
``rules.tasks.bucket_of``: there is one definition of on time, late, pending
and overdue, and this module only applies it.
"""

from __future__ import annotations

from datetime import datetime
from functools import cached_property
from typing import Any

from sqlalchemy import and_, bindparam, func, or_, select, union

from models import (
    Attachment,
    Cycle,
    Escalation,
    Extension,
    Program,
    Submission,
    Task,
)
from rules.errors import NotFound
from rules.org import predecessors
from rules.specs import LEVELS
from rules.tasks import Status
from rules.timezone import local_date
from services import clock, dashboard, db
from services.accounts import Principal
from services.calendars import announced_through
from services.dashboard import TASK_BODY, TASK_COLUMNS, TASKS, B, C, P, Page, Scope, T, task_row
from services.intake import versions as versions
from services.intake import versions_in
from services.scorecard import seen_by
from services.succession import in_force
from services.versions import V, join_terms
from web import access
from web.access import AGENCY, COORDINATOR, TaskOwner


def task_scope(who: Principal) -> Scope | None:
    """The task rows ``who`` may see summarised (None: all): an agency its own body's;
    a coordinator those too, and every task of the cycles of the programs its body
    coordinates. Expressed on the task table's own columns, so the dashboards count
    and page tasks from task indexes without joining each row to its program."""
    if who.role == AGENCY:
        return Scope(who.body_id)
    if who.role == COORDINATOR:
        return Scope(who.body_id, coordinated_cycles(who.body_id))
    return None  # viewer: leadership dashboards see every body's summary


def sees_whole(who: Principal, cycle_id: int, coordinator: int | None = None) -> bool:
    """:func:`web.access.sees_whole_cycle` for ``cycle_id``: the cycles above it are
    looked up only when they decide (a coordinator of another body)."""
    if coordinator is None:
        coordinator = cycle_owner(cycle_id)[0]
    return access.sees_whole_cycle(who, coordinator, lambda: cycle_overseers(cycle_id))


class CycleSight:
    """What ``who`` may see of one cycle, each fact read at most once per request: the
    cycle's coordinator and ref (read at once), then, only when they decide, whether
    ``who``'s body has a task in it and whether ``who`` sees it whole (the recursive
    lookup of the cycles above). A route builds one (``web.guard.cycle_sight``) and
    passes ``whole`` to the task table, the buckets and the report."""

    def __init__(self, who: Principal, cycle_id: int) -> None:
        self.who, self.cycle_id = who, cycle_id
        self.coordinator, self.ref = cycle_owner(cycle_id)

    @cached_property
    def whole(self) -> bool:
        """Every row of the cycle, and its report once closed (:func:`sees_whole`)."""
        return sees_whole(self.who, self.cycle_id, self.coordinator)

    @cached_property
    def readable(self) -> bool:
        """The cycle page at all (:func:`web.access.can_read_cycle`): the costlier facts
        asked only when they decide, a body's own task before the cycles above."""
        return (
            access.can_read_cycle(self.who, self.coordinator, has_own_task=False)
            or has_task_in_cycle(self.who.body_id, self.cycle_id)
            or self.whole
        )


def cycle_scope(who: Principal, cycle_id: int | None, *, whole: bool | None = None) -> Scope | None:
    """:func:`task_scope`, except in one cycle ``who`` oversees from a cycle above it
    (:func:`web.access.oversees`): there every task, the cycle filter being the scope.
    ``whole``: :func:`sees_whole` for ``cycle_id``, when the caller knows it already
    (:class:`CycleSight`)."""
    scope = task_scope(who)
    if cycle_id is None or scope is None or who.role != COORDINATOR:
        return scope
    if whole is None:
        whole = sees_whole(who, cycle_id)
    return None if whole else scope


def coordinated_cycles(body_id: int) -> Any:
    """A query of the ids of the cycles of the programs ``body_id`` coordinates (never
    correlated with the query it is used in, whatever that query reads)."""
    cycle, program = Cycle.__table__.alias("coordinated"), Program.__table__.alias("coordinating")  # type: ignore[attr-defined]
    return (
        select(cycle.c.id)
        .select_from(cycle.join(program, program.c.id == cycle.c.program_id))
        .where(program.c.coordinator_id == body_id)
        .correlate(None)
    )


def tasks_page(
    who: Principal,
    now: datetime,
    *,
    cycle_id: int | None = None,
    body: str | None = None,
    status: str | None = None,
    overdue_only: bool = False,
    text: str | None = None,
    limit: int | None = 100,
    offset: int = 0,
    whole: bool | None = None,
) -> Page:
    """Tasks ``who`` may see, filtered (``text``: in the body's name or code, diacritics
    aside); most overdue first (earliest deadline), then body code, then id. ``whole``:
    as :func:`cycle_scope` takes it."""
    return dashboard.tasks_page(
        now, scope=cycle_scope(who, cycle_id, whole=whole), cycle_id=cycle_id, body=body,
        status=status,
        overdue_only=overdue_only, text=text, limit=limit, offset=offset,
    )  # fmt: skip


# -- the review queue: reports waiting for their coordinator --------------------------------

QueueKey = tuple[datetime, str, int]


def queue_key(task_id: int) -> QueueKey | None:
    """Where a task stands in its cycle's order (the cycle table's: deadline, body code,
    id), read before a decision changes its deadline."""
    query = select(T.due_at, B.code, T.id).select_from(TASK_BODY).where(T.id == task_id)
    with db.reading() as session:
        row = session.connection().execute(query).first()
    return None if row is None else (row[0], row[1], row[2])


def queue_place(task: dict[str, Any]) -> QueueKey:
    """The same place, of a task :func:`task_detail` has already read."""
    return task["due_at"], task["body"], task["task"]


def task_brief(task_id: int) -> tuple[int, str]:
    """A task's cycle id and its body's name (what a notice about it says)."""
    query = select(T.cycle_id, B.name).select_from(TASK_BODY).where(T.id == task_id)
    with db.reading() as session:
        row = session.connection().execute(query).first()
    if row is None:
        raise NotFound(f"unknown task: {task_id}")
    return row[0], row[1]


def next_waiting(
    who: Principal, cycle_id: int, *, after: QueueKey | None = None, skip: int | None = None
) -> dict[str, Any] | None:
    """The next report of the cycle waiting for review (status submitted), in the cycle
    table's order after ``after`` (wrapping to the first), never ``skip``; with the
    number waiting besides ``skip``. None: nothing waits."""
    conditions = [T.cycle_id == cycle_id, T.status == Status.SUBMITTED.value]
    scope = task_scope(who)
    if scope is not None:
        conditions.append(scope.condition())
    if skip is not None:
        conditions.append(T.id != skip)
    waiting = (
        select(T.id, B.code, B.name).select_from(TASK_BODY).where(*conditions)
        .order_by(T.due_at, B.code, T.id).limit(1)
    )  # fmt: skip
    with db.reading() as session:
        conn = session.connection()
        found = None
        if after is not None:
            due, code, task_id = after
            later = or_(
                T.due_at > due,
                and_(T.due_at == due, or_(B.code > code, and_(B.code == code, T.id > task_id))),
            )
            found = conn.execute(waiting.where(later)).first()
        if found is None:
            found = conn.execute(waiting).first()
        if found is None:
            return None
        count = select(func.count()).select_from(Task.__table__).where(*conditions)
        total = conn.execute(count).scalar_one()
    return {"task": found[0], "body": found[1], "body_name": found[2], "waiting": total}


def cycle_bodies(cycle_id: int, limit: int) -> list[tuple[str, str]]:
    """(code, name) of the cycle's bodies by code, at most ``limit`` (a filter's list)."""
    query = (
        select(B.code, B.name).select_from(TASK_BODY).where(T.cycle_id == cycle_id)
        .order_by(B.code).limit(limit)
    )  # fmt: skip
    with db.reading() as session:
        return [(r[0], r[1]) for r in session.connection().execute(query)]


def overdue_page(who: Principal, now: datetime, *, limit: int = 100, offset: int = 0) -> Page:
    """The dashboard's first list: overdue tasks, most overdue first, one page."""
    return dashboard.overdue(now, scope=task_scope(who), limit=limit, offset=offset)


def visible_cycles(who: Principal) -> Any:
    """A query of the ids of the cycles whose rows ``who`` may see (None: every cycle).

    Two indexed lookups (its own tasks; the cycles of programs it coordinates)
    instead of a scan over every task.
    """
    if who.role not in (AGENCY, COORDINATOR):
        return None
    own = select(T.cycle_id).where(T.body_id == who.body_id)
    if who.role == AGENCY:
        return own
    coordinated = (
        select(C.id)
        .select_from(Cycle.__table__.join(Program.__table__, P.id == C.program_id))  # type: ignore[attr-defined]
        .where(P.coordinator_id == who.body_id)
    )
    return union(own, coordinated)


def cycle_progress(
    who: Principal,
    now: datetime,
    *,
    open_only: bool = True,
    cycle_id: int | None = None,
    limit: int | None = None,
    offset: int = 0,
    whole: bool | None = None,
) -> list[dict[str, Any]]:
    """The four buckets per cycle, counted over the tasks ``who`` may see (``whole``: as
    :func:`cycle_scope` takes it)."""
    return dashboard.cycle_progress(
        now, scope=cycle_scope(who, cycle_id, whole=whole), open_only=open_only,
        cycle_id=cycle_id, limit=limit, offset=offset,
    )  # fmt: skip


def cycle_progress_page(who: Principal, now: datetime, *, limit: int, offset: int = 0) -> Page:
    """The open cycles ``who`` may see, newest deadline first, one page with its total."""
    return dashboard.cycle_progress_page(now, scope=task_scope(who), limit=limit, offset=offset)


def body_compliance_page(
    who: Principal, now: datetime, *, limit: int = 50, offset: int = 0
) -> Page:
    """Per body across cycles (as ``who`` sees them): buckets and on-time rate, one page."""
    return dashboard.body_compliance(now, scope=task_scope(who), limit=limit, offset=offset)


# -- one task -------------------------------------------------------------------------------


def task_owner(task_id: int) -> TaskOwner:
    """Who reports and who coordinates a task, and who coordinates the cycles above its
    cycle; NotFound for an unknown id."""
    with db.rows() as conn:
        row = conn.execute(_OWNER, {"task_id": task_id}).first()
        if row is None:
            raise NotFound(f"unknown task: {task_id}")
        above = _coordinators_from(conn, row[2]) if row[2] is not None else frozenset()
    return TaskOwner(row[0], row[1], above)


# Built once: every task route asks it (a submission reads its own: web.guard.submission).
_OWNER = (
    select(T.body_id, P.coordinator_id, C.parent_cycle_id)
    .select_from(TASKS)
    .where(T.id == bindparam("task_id"))
)


def cycle_overseers(cycle_id: int) -> frozenset[int]:
    """The coordinator bodies of every cycle above ``cycle_id`` in its roll-up tree."""
    with db.reading() as session:
        conn = session.connection()
        parent = conn.execute(select(C.parent_cycle_id).where(C.id == cycle_id)).scalar()
        return _coordinators_from(conn, parent) if parent is not None else frozenset()


def _coordinators_from(conn: Any, cycle_id: int) -> frozenset[int]:
    """The coordinators of ``cycle_id`` and of every cycle above it: one recursive query
    (UNION, not UNION ALL, so even a corrupt loop of links ends)."""
    up = select(C.id.label("id"), C.parent_cycle_id.label("up")).where(C.id == cycle_id)
    up = up.cte("above", recursive=True)
    up = up.union(
        select(C.id, C.parent_cycle_id).select_from(Cycle.__table__).where(C.id == up.c.up)
    )
    query = (
        select(P.coordinator_id)
        .select_from(Cycle.__table__.join(Program.__table__, P.id == C.program_id))  # type: ignore[attr-defined]
        .where(C.id.in_(select(up.c.id)))
    )
    return frozenset(conn.execute(query).scalars())


def cycle_owner(cycle_id: int) -> tuple[int, str]:
    """A cycle's coordinator body id and its ``PROGRAM/PERIOD`` ref; NotFound if unknown."""
    query = (
        select(P.coordinator_id, P.code, C.period)
        .select_from(Cycle.__table__.join(Program.__table__, P.id == C.program_id))  # type: ignore[attr-defined]
        .where(C.id == cycle_id)
    )
    with db.reading() as session:
        row = session.connection().execute(query).first()
    if row is None:
        raise NotFound(f"unknown cycle: {cycle_id}")
    return row[0], f"{row[1]}/{row[2]}"


def focal_contacts(body_id: int | None, limit: int = 3) -> list[dict[str, Any]]:
    """Whom a refused user should ask: the focal contact (else the head) of each other
    body coordinating a program ``body_id`` takes part in (else of every coordinating
    body). It depends on the user only, never on what was refused."""
    from models import Body, ProgramBody

    B = Body.__table__.c  # type: ignore[attr-defined]
    PB = ProgramBody.__table__.c  # type: ignore[attr-defined]
    coordinators = select(P.coordinator_id)
    if body_id is not None:
        mine = select(PB.program_id).where(PB.body_id == body_id)
        coordinators = coordinators.where(P.id.in_(mine), P.coordinator_id != body_id)
    query = select(B.name, B.focal_name, B.focal_email, B.head_name, B.head_email)
    query = query.where(B.id.in_(coordinators)).order_by(B.code).limit(limit)
    with db.reading() as session:
        rows = session.connection().execute(query).all()
        if not rows and body_id is not None:
            return focal_contacts(None, limit)
    return [
        {"body": r.name, "name": r.focal_name or r.head_name,
         "email": r.focal_email or r.head_email}
        for r in rows
    ]  # fmt: skip


def program_coordinator(code: str) -> int:
    with db.reading() as session:
        row = session.connection().execute(select(P.coordinator_id).where(P.code == code)).first()
    if row is None:
        raise NotFound(f"unknown program: {code}")
    return int(row[0])


def has_task_in_cycle(body_id: int, cycle_id: int) -> bool:
    with db.reading() as session:
        return (
            session.connection()
            .execute(select(T.id).where(T.cycle_id == cycle_id, T.body_id == body_id))
            .first()
            is not None
        )


def task_detail(task_id: int, now: datetime) -> dict[str, Any]:
    """One task with its cycle, outline, every version, reviews, extensions and escalations."""
    with db.reading() as session:
        conn = session.connection()
        row = conn.execute(
            select(*TASK_COLUMNS, P.title, V.outline, C.letter_no, C.letter_date)
            .select_from(join_terms(TASKS, C))  # the outline its cycle was opened with
            .where(T.id == task_id)
        ).first()
        if row is None:
            raise NotFound(f"unknown task: {task_id}")
        versions = versions_in(conn, task_id, with_text=True)
        x, e = Extension.__table__.c, Escalation.__table__.c  # type: ignore[attr-defined]
        extensions = [
            {
                "old_due_date": ext.old_due_date,
                "new_due_date": ext.new_due_date,
                "reason": ext.reason,
                "granted_at": ext.granted_at,
                "granted_by": ext.granted_by,
            }
            for ext in conn.execute(
                select(Extension.__table__).where(x.task_id == task_id).order_by(x.granted_at)  # type: ignore[attr-defined]
            )
        ]
        escalations = [
            {
                "step": esc.step,
                "kind": esc.kind,
                "level": esc.level,
                "fired_at": esc.fired_at,
                "recipients": esc.recipients,
                "message": esc.message,
            }
            for esc in conn.execute(
                select(Escalation.__table__)  # type: ignore[attr-defined]
                .where(e.task_id == task_id)
                .order_by(e.fired_at)
            )
        ]
    summary = task_row(row, now, announced_through()) | {
        "due_at": row.due_at,  # with body and task, its place in the review queue (queue_place)
        "program_title": row.title,
        "outline": row.outline,
        "letter_no": row.letter_no,
        "letter_date": row.letter_date,
    }
    return {
        "task": summary,
        "versions": versions,
        "extensions": extensions,
        "escalations": escalations,
    }


def attachment(task_id: int, version: int, attachment_id: int) -> tuple[str, str, bytes]:
    """One attachment's (filename, content type, bytes), checked to belong to the task."""
    s, a = Submission.__table__.c, Attachment.__table__.c  # type: ignore[attr-defined]
    query = (
        select(a.filename, a.content_type, a.data)
        .join(Submission.__table__, s.id == a.submission_id)  # type: ignore[attr-defined]
        .where(a.id == attachment_id, s.task_id == task_id, s.version == version)
    )
    with db.reading() as session:
        row = session.connection().execute(query).first()
    if row is None:
        raise NotFound(f"unknown attachment {attachment_id} of task {task_id} v{version}")
    return row[0], row[1], bytes(row[2])


def cycles_for(who: Principal) -> list[dict[str, Any]]:
    """The cycles ``who`` may see, newest first, via the CLI's listing."""
    from services.cycles import list_cycles

    return list_cycles(only=visible_cycles(who))


# -- scorecards ------------------------------------------------------------------------------


def scorecard(
    who: Principal, now: datetime, filters: Any, *, limit: int | None = None, offset: int = 0
) -> dict[str, Any]:
    """The compliance scorecard over the tasks ``who`` may see (``services.scorecard``),
    one page of bodies (``limit`` None: all, for the downloads)."""
    from services.scorecard import scorecard as compute

    return compute(now, filters, scope=task_scope(who), limit=limit, offset=offset)


def scorecard_visible(who: Principal, program: str | None, body: str | None) -> bool:
    """Whether ``who`` may ask for a scorecard of ``program`` and ``body``: some task of
    theirs lies in its scope (a viewer: always). An unknown name is NotFound first,
    so a typo is a 404 and another body's figures a 403."""
    from services.registry import body_by_code

    conditions = []
    with db.reading() as session:
        conn = session.connection()
        if program:
            program_id = conn.execute(select(P.id).where(P.code == program.strip())).scalar()
            if program_id is None:
                raise NotFound(f"unknown program: {program}")
            conditions.append(C.program_id == program_id)
        links = in_force(conn, local_date(clock.now()))  # a successor's inherited tasks too
        if body:
            chosen = body_by_code(session, body).id
            conditions.append(T.body_id.in_([chosen, *predecessors(links.successor, chosen)]))
        scope = task_scope(who)
        if scope is None or not conditions:
            return True
        probe = (
            select(T.id)
            .select_from(Task.__table__.join(Cycle.__table__, C.id == T.cycle_id))
            .where(seen_by(scope, links), *conditions)
            .limit(1)
        )
        return conn.execute(probe).first() is not None


# -- the roll-up on the dashboard ----------------------------------------------------------


DRILL_ROWS = 20  # cycles below listed per cycle on the dashboard (a province has ~100)


def drill_down(
    who: Principal, now: datetime, cycle_ids: list[int], *, every: bool = False
) -> list[dict[str, Any]]:
    """For each of ``cycle_ids`` (the dashboard's page of cycles) that has cycles below it
    and that ``who`` sees whole: the cycle, the cycles right under it (its coordinator's
    task here, its own four buckets), worst first (most overdue, then most late) and at
    most :data:`DRILL_ROWS` of them unless ``every`` (the downloads): ``more`` says how
    many are left out (the cycle's page lists every board's task); and the levels below,
    summed (``buckets_all_levels``: all of them).

    The figures are :func:`services.rollup.tree`'s, as ``phoihop cycle tree`` and
    ``GET /api/cycles/{id}/tree`` show them. A cycle already inside a tree read for this
    page is taken from it, not read again (a viewer's page lists several levels)."""
    from services.rollup import tree

    if not cycle_ids:
        return []
    query = (
        select(C.id, P.coordinator_id)
        .select_from(Cycle.__table__.join(Program.__table__, P.id == C.program_id))  # type: ignore[attr-defined]
        .where(C.id.in_(cycle_ids))
        .where(C.id.in_(select(C.parent_cycle_id).where(C.parent_cycle_id.in_(cycle_ids))))
    )
    with db.reading() as session:
        parents = dict(session.connection().execute(query).all())
    nodes: dict[int, dict[str, Any]] = {}
    kids: dict[int, list[dict[str, Any]]] = {}
    drilled = []
    for cycle_id in cycle_ids:
        coordinator = parents.get(cycle_id)
        if coordinator is None:
            continue
        if not sees_whole(who, cycle_id, coordinator):
            continue  # e.g. a commune board's own task in the province's cycle
        if cycle_id not in nodes:
            found = tree(str(cycle_id), now, below=True)["cycles"]
            by_ref = {n["ref"]: n for n in found}
            for node in found:
                nodes[node["id"]] = node
                above = by_ref.get(node["parent"] or "")
                if above is not None and node is not found[0]:
                    kids.setdefault(above["id"], []).append(node)
        root = nodes[cycle_id]
        below = {n["level"] for n in _under(root["id"], kids)}
        worst = sorted(kids.get(cycle_id, []), key=_worst_first)
        rows = len(worst) if every else DRILL_ROWS
        drilled.append({"cycle": root, "children": worst[:rows], "more": len(worst[rows:]),
                        "levels_below": [lv for lv in LEVELS if lv in below]})  # fmt: skip
    return drilled


def _worst_first(node: dict[str, Any]) -> tuple[int, int, str]:
    b = node["buckets_all_levels"]
    return -b["overdue"], -b["done_late"], node["ref"]


def _under(cycle_id: int, kids: dict[int, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    out, stack = [], list(kids.get(cycle_id, []))
    while stack:
        node = stack.pop()
        out.append(node)
        stack += kids.get(node["id"], [])
    return out
