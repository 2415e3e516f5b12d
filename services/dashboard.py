"""What leaders watch: tasks and overdue items, cycle progress in four buckets,
compliance by body, and each task's history.

Read-only and plain SQL through SQLAlchemy Core: these queries run on every
dashboard refresh, over a million tasks at national size. Every function takes
an optional :class:`Scope` — the task rows a reader may see — so the CLI (which
sees everything) and the web (which sees what a role allows) ask the same
questions of the same code. Every list is one page (``limit``/``offset``) cut in
SQL, and every total is a SQL count: nothing reads all the rows of a list.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, and_, case, func, or_, select
from sqlalchemy.sql import ColumnElement

from models import Body, Cycle, Escalation, Program, Task
from rules.tasks import DONE, OPEN, Buckets, Status, bucket_of
from rules.timezone import days_late
from services import db, versions
from services.calendars import announced_through

T, C, P, B = (m.__table__.c for m in (Task, Cycle, Program, Body))
TASKS = (
    Task.__table__.join(Cycle.__table__, C.id == T.cycle_id)
    .join(Program.__table__, P.id == C.program_id)
    .join(Body.__table__, B.id == T.body_id)
)
TASK_BODY = Task.__table__.join(Body.__table__, B.id == T.body_id)
NAMED = Body.__table__.alias("named_body")  # a body named in a filter: never correlated
_OPEN = [s.value for s in OPEN]
_DONE = [s.value for s in DONE]
_ANSWERED = [s.value for s in Status if s is not Status.PENDING]  # counted; pending: the rest


@dataclass(frozen=True)
class Scope:
    """The task rows a reader may see: its own body's, and every task of the cycles
    ``cycles`` selects (a query of cycle ids — the cycles of the programs its body
    coordinates; None: no others). ``scope=None`` means every row.

    Kept in its two parts rather than as one SQL condition, so each count picks
    its cheapest read: a cycle seen whole is counted from the covering index
    like an unscoped one, and only the rest is filtered by body.
    """

    body_id: int
    cycles: Any = None

    def condition(self) -> ColumnElement[bool]:
        """The scope as a condition on the task table's own columns (no join needed)."""
        own = T.body_id == self.body_id
        return own if self.cycles is None else or_(T.cycle_id.in_(self.cycles), own)


@dataclass(frozen=True)
class Page:
    """One page of rows and the total they were cut from."""

    rows: list[dict[str, Any]]
    total: int
    limit: int | None
    offset: int

    def as_dict(self) -> dict[str, Any]:
        return {"items": self.rows, "total": self.total, "limit": self.limit, "offset": self.offset}


def bucket_columns(
    now: datetime, within: ColumnElement[bool] | None = None
) -> list[ColumnElement[Any]]:
    """SUM(CASE …) columns counting the four buckets at ``now`` (only rows ``within``):
    the one SQL form of :func:`rules.tasks.bucket_of`, for the compliance lists and
    the scorecards alike. A waiting task of a closed cycle is overdue (never sent)."""
    done = T.status.in_(_DONE)
    waiting = T.status.in_(_OPEN)
    past = or_(T.due_at < now, T.cycle_open.is_(False))

    def count(cond: ColumnElement[bool], name: str) -> ColumnElement[Any]:
        cond = cond if within is None else and_(within, cond)
        return func.coalesce(func.sum(case((cond, 1), else_=0)), 0).cast(Integer).label(name)

    return [
        count(and_(done, T.last_on_time.is_(True)), "done_on_time"),
        count(and_(done, T.last_on_time.isnot(True)), "done_late"),
        count(and_(waiting, T.due_at >= now, T.cycle_open.is_(True)), "pending"),
        count(and_(waiting, past), "overdue"),
    ]


def buckets_dict(buckets: Buckets) -> dict[str, Any]:
    return {
        "done_on_time": buckets.done_on_time,
        "done_late": buckets.done_late,
        "pending": buckets.pending,
        "overdue": buckets.overdue,
        "total": buckets.total,
        "on_time_rate": buckets.rate_figure,
    }


def overdue_condition(now: datetime) -> ColumnElement[bool]:
    """Waiting on the body, past the deadline, in a cycle still open: one range of
    ``ix_task_waiting_due`` (tasks of closed cycles are outside it)."""
    return and_(T.cycle_open.is_(True), T.status.in_(_OPEN), T.due_at < now)


TASK_COLUMNS = (
    T.id, T.cycle_id, P.code.label("program"), C.period, C.period_label,
    C.status.label("cycle_status"), B.code.label("body"), B.name.label("body_name"), T.status,
    T.due_date, T.due_at, T.escalation_level, T.versions, T.returns, T.last_submitted_at,
    T.last_on_time,
)  # fmt: skip


def task_row(r: Any, now: datetime, announced_through: int | None = None) -> dict[str, Any]:
    """One row of :data:`TASK_COLUMNS` (extra trailing columns ignored) as JSON-ready data.

    Unpacked by position: named access on SQLAlchemy rows costs more than the
    rest of this function on a dashboard of thousands of rows. ``provisional``:
    the due date lies after ``announced_through``, the last year whose schedule
    is known (read once per page from the calendar).
    """
    (task_id, cycle_id, program, period, period_label, cycle_status, body, body_name, status,
     due_date, due_at, level, versions, returns, submitted_at, on_time, *_) = r  # fmt: skip
    bucket = bucket_of(status, on_time, due_at, now, cycle_open=cycle_status == "open")
    return {
        "task": task_id,
        "cycle_id": cycle_id,
        "cycle": f"{program}/{period}",
        "period_label": period_label,
        "cycle_status": cycle_status,
        "body": body,
        "body_name": body_name,
        "status": status,
        "due_date": due_date,
        "provisional": announced_through is not None and due_date.year > announced_through,
        "days_overdue": days_late(due_at, now) if bucket == "overdue" else 0,
        "escalation_level": level,
        "versions": versions,
        "returns": returns,
        "last_submitted_at": submitted_at,
        "bucket": bucket,
    }


def _task_conditions(
    now: datetime,
    *,
    scope: Scope | None,
    cycle_id: int | None,
    body: str | None,
    status: str | None,
    overdue_only: bool,
    text: str | None = None,
) -> list[ColumnElement[bool]]:
    """The filters as conditions on the task table alone, so the count and the page's
    ids are read from task indexes without joining every matching row. ``text``: the
    body's name or code contains it, diacritics and case aside (services.search)."""
    conditions = [] if scope is None else [scope.condition()]
    if cycle_id is not None:
        conditions.append(T.cycle_id == cycle_id)
    if body:
        conditions.append(
            T.body_id == select(NAMED.c.id).where(NAMED.c.code == body).scalar_subquery()
        )
    if status:
        conditions.append(T.status == status)
    if overdue_only:
        conditions.append(overdue_condition(now))
    if text and text.strip():
        from services.search import matches

        named = select(NAMED.c.id).where(matches(text, NAMED.c.name, NAMED.c.code))
        conditions.append(T.body_id.in_(named))
    return conditions


def task_order(now: datetime, *, overdue_first: bool) -> list[ColumnElement[Any]]:
    """Earliest deadline (most overdue) first, then body code and id; ``overdue_first``
    puts the overdue bucket ahead of everything else (what ``tasks list`` shows)."""
    order: list[ColumnElement[Any]] = [T.due_at, B.code, T.id]
    if overdue_first:
        late = and_(T.status.in_(_OPEN), T.due_at < now)
        order.insert(0, case((late, 0), else_=1))
    return order


def tasks_page(
    now: datetime,
    *,
    scope: Scope | None = None,
    cycle_id: int | None = None,
    body: str | None = None,
    status: str | None = None,
    overdue_only: bool = False,
    overdue_first: bool = False,
    text: str | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> Page:
    """Tasks with their bucket, filtered and ordered by :func:`task_order`, one page.

    The page is cut in SQL: its ids are chosen from the task rows (with the body's
    code to order by), and only those ids are joined to their cycle and program;
    the total is a count over the task table. ``limit=None`` reads every match.
    """
    conditions = _task_conditions(
        now, scope=scope, cycle_id=cycle_id, body=body, status=status, overdue_only=overdue_only,
        text=text,
    )  # fmt: skip
    order = task_order(now, overdue_first=overdue_first and not overdue_only)
    rows_query = select(*TASK_COLUMNS).select_from(TASKS)
    if limit is None:
        rows_query = rows_query.where(*conditions).order_by(*order).offset(offset)
    else:
        ids = (
            select(T.id).select_from(TASK_BODY).where(*conditions)
            .order_by(*order).limit(limit).offset(offset).correlate(None)
        )  # fmt: skip
        rows_query = rows_query.where(T.id.in_(ids)).order_by(*order)
    with db.reading() as session:
        conn = session.connection()
        if limit is not None and conn.dialect.name == "postgresql":
            _sort_whole(conn)
        rows = conn.execute(rows_query).all()
        total = len(rows)
        if limit is not None or offset:
            count = select(func.count()).select_from(Task.__table__).where(*conditions)
            total = conn.execute(count).scalar_one()
    through = announced_through()
    return Page([task_row(r, now, through) for r in rows], total, limit, offset)


def _sort_whole(conn: Any) -> None:
    """Have PostgreSQL cut this transaction's pages from one sort of every match.

    At a national deadline the 50,000 overdue tasks share one deadline. Expecting
    many small groups of equal deadlines, the planner chose to sort "incrementally"
    behind a loop that looks up each task's body one at a time (~130 ms at 50,000),
    where hashing the bodies and keeping the page's top rows takes ~45 ms.
    """
    conn.exec_driver_sql("SET LOCAL enable_incremental_sort = off")


def overdue(
    now: datetime, *, scope: Scope | None = None, body: str | None = None, limit: int | None = None,
    offset: int = 0,
) -> Page:  # fmt: skip
    """The dashboard's first list: overdue tasks of open cycles, most overdue first."""
    return tasks_page(now, scope=scope, body=body, overdue_only=True, limit=limit, offset=offset)


def by_body(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A page of overdue tasks grouped by body, groups in the order their first task
    comes (the most overdue first). The page is cut before it is grouped, so its
    length is what ``limit`` says; a body's less overdue tasks may come on a later
    page, in that page's group."""
    groups: dict[str, dict[str, Any]] = {}
    for row in rows:
        group = groups.setdefault(
            row["body"], {"body": row["body"], "name": row["body_name"], "items": []}
        )
        group["items"].append(row)
    return list(groups.values())


def task_list(
    now: datetime,
    *,
    cycle: str | None = None,
    body: str | None = None,
    status: str | None = None,
    overdue_only: bool = False,
    limit: int | None = None,
    offset: int = 0,
) -> Page:
    """The CLI's ``tasks list``: filters by name (cycle ref, body code), overdue first
    (most overdue at the top), then by deadline; one page and its total."""
    cycle_id = named_filters(cycle, body)
    return tasks_page(
        now, cycle_id=cycle_id, body=body, status=status, overdue_only=overdue_only,
        overdue_first=True, limit=limit, offset=offset,
    )  # fmt: skip


def list_tasks(
    now: datetime,
    *,
    cycle: str | None = None,
    body: str | None = None,
    status: str | None = None,
    overdue_only: bool = False,
) -> list[dict[str, Any]]:
    """Every task :func:`task_list` would page through, in its order (for scripts and
    tests on small data; the CLI and the web always ask for one page)."""
    return task_list(now, cycle=cycle, body=body, status=status, overdue_only=overdue_only).rows


def named_filters(cycle: str | None, body: str | None) -> int | None:
    """The id of the cycle named in a filter; an unknown cycle or body is NotFound,
    so a typo is an error line rather than an empty list."""
    if not (cycle or body):
        return None  # nothing to look up (and services.cycles is not imported)
    from services.cycles import resolve_cycle
    from services.registry import body_by_code

    with db.reading() as session:
        if body:
            body_by_code(session, body)
        return resolve_cycle(session, cycle)[0].id if cycle else None


def _cycle_conditions(
    scope: Scope | None, open_only: bool, cycle_id: int | None
) -> list[ColumnElement[bool]]:
    """Which cycles a progress list shows: those with a task in ``scope`` (open ones
    only, or one): for everyone's tasks the cycle's own count says, for one body's a
    probe per cycle, never a pass over its tasks."""
    if scope is None:
        visible = C.task_count > 0
    else:
        visible = select(T.id).where(T.cycle_id == C.id, T.body_id == scope.body_id).exists()
        if scope.cycles is not None:
            visible = or_(C.id.in_(scope.cycles), visible)
    conditions = [visible]
    if open_only:
        conditions.append(C.status == "open")
    if cycle_id is not None:
        conditions.append(C.id == cycle_id)
    return conditions


def _tally(counts: list[tuple[str, bool | None, int]], past_due: int) -> Buckets:
    """The four buckets of one cycle from its (status, on time, tasks) counts and the
    number of its waiting tasks past their deadline."""
    done = [(on_time, n) for status, on_time, n in counts if status in _DONE]
    waiting = sum(n for status, _on_time, n in counts if status in _OPEN)
    on_time = sum(n for was_on_time, n in done if was_on_time)
    late = sum(n for _, n in done) - on_time
    return Buckets(on_time, late, waiting - past_due, past_due)


def _count_buckets(
    conn: Any, now: datetime, cycle_ids: list[int], body_id: int | None
) -> tuple[dict[int, list[tuple[str, bool | None, int]]], dict[int, int]]:
    """Per cycle: (status, on time, tasks) counts and waiting tasks past their deadline,
    of every task or only ``body_id``'s.

    Every task: the tasks no longer pending, grouped, read from
    ``ix_task_cycle_buckets`` (cycle, status, on time, deadline) alone, no table
    row; the pending ones are the cycle's
    ``task_count`` less those, so a cycle of 50,000 that nobody has answered yet
    costs nothing to count. Then the waiting ones past their deadline: the open
    cycles' are one range of ``ix_task_waiting_due``. One body's: a probe of
    ``uq_task_cycle_body`` per cycle.
    """
    only = [T.cycle_id.in_(cycle_ids)]
    only.append(T.body_id == body_id if body_id is not None else T.status.in_(_ANSWERED))
    grouped = (
        select(T.cycle_id, T.status, T.last_on_time, func.count())
        .where(*only)
        .group_by(T.cycle_id, T.status, T.last_on_time)
    )
    counts: dict[int, list[tuple[str, bool | None, int]]] = {}
    for cid, status, on_time, n in conn.execute(grouped):
        counts.setdefault(cid, []).append((status, on_time, n))
    if body_id is not None:
        late = (
            select(T.cycle_id, func.count())
            .where(*only, T.status.in_(_OPEN), or_(T.due_at < now, T.cycle_open.is_(False)))
            .group_by(T.cycle_id)
        )
        return counts, dict(conn.execute(late).tuples().all())
    shut: list[int] = []
    for cid, tasks, status in conn.execute(
        select(C.id, C.task_count, C.status).where(C.id.in_(cycle_ids))
    ):
        pending = tasks - sum(n for _, _, n in counts.get(cid, []))
        if pending:
            counts.setdefault(cid, []).append((Status.PENDING.value, None, pending))
        if status != "open":
            shut.append(cid)
    # Open cycles' overdue tasks are one range of ix_task_waiting_due (read whole,
    # grouped, and kept for these cycles), so the count costs what is overdue, not
    # every waiting task.
    wanted = set(cycle_ids)
    past_due = {
        cid: n
        for cid, n in conn.execute(
            select(T.cycle_id, func.count()).where(overdue_condition(now)).group_by(T.cycle_id)
        ).tuples()
        if cid in wanted
    }
    # A closed cycle's waiting tasks never sent: every one is overdue, deadline or not.
    for cid in shut:
        waiting = sum(n for status, _, n in counts.get(cid, []) if status in _OPEN)
        if waiting:
            past_due[cid] = waiting
    return counts, past_due


def cycle_buckets(conn: Any, now: datetime, cycle_ids: list[int]) -> dict[int, Buckets]:
    """The four buckets of each of ``cycle_ids`` at ``now``, over all their tasks (the
    roll-up tree's cycles: read from the index as :func:`cycle_progress` reads them)."""
    if not cycle_ids:
        return {}
    counts, past_due = _count_buckets(conn, now, cycle_ids, None)
    return {cid: _tally(counts.get(cid, []), past_due.get(cid, 0)) for cid in cycle_ids}


def cycle_progress(
    now: datetime,
    *,
    scope: Scope | None = None,
    open_only: bool = True,
    cycle_id: int | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """The four buckets for each cycle (newest deadline first), over the tasks in ``scope``.

    The cycles are chosen first (``limit``/``offset`` cut them), then only their
    tasks are counted (:func:`_count_buckets`): the cycles ``scope`` sees whole
    like unscoped ones, the others over the reader's own body's tasks.
    """
    cycles = (
        select(C.id, P.code, C.period, C.period_label, C.provide_due, C.status)
        .select_from(Cycle.__table__.join(Program.__table__, P.id == C.program_id))
        .where(*_cycle_conditions(scope, open_only, cycle_id))
        .order_by(C.provide_due.desc(), C.id)
        .offset(offset)
    )
    if limit is not None:
        cycles = cycles.limit(limit)
    with db.reading() as session:
        conn = session.connection()
        listed = conn.execute(cycles).all()
        ids = [row[0] for row in listed]
        whole = set(ids) if scope is None else set()
        if scope is not None and scope.cycles is not None and ids:
            whole = set(
                conn.execute(select(C.id).where(C.id.in_(ids), C.id.in_(scope.cycles))).scalars()
            )
        counts: dict[int, list[tuple[str, bool | None, int]]] = {}
        past_due: dict[int, int] = {}
        for part, body_id in (
            ([i for i in ids if i in whole], None),
            ([i for i in ids if i not in whole], None if scope is None else scope.body_id),
        ):
            if part:
                part_counts, part_late = _count_buckets(conn, now, part, body_id)
                counts |= part_counts
                past_due |= part_late
    return [
        {
            "cycle": cid,
            "ref": f"{code}/{period}",
            "period_label": label,
            "provide_due": due,
            "status": status,
        }  # fmt: skip
        | buckets_dict(_tally(counts.get(cid, []), past_due.get(cid, 0)))
        for cid, code, period, label, due, status in listed
    ]


def cycle_progress_page(
    now: datetime,
    *,
    scope: Scope | None = None,
    open_only: bool = True,
    limit: int | None = None,
    offset: int = 0,
) -> Page:
    """:func:`cycle_progress` for one page of cycles, with how many there are."""
    rows = cycle_progress(now, scope=scope, open_only=open_only, limit=limit, offset=offset)
    if limit is None and not offset:
        return Page(rows, len(rows), limit, offset)
    count = (
        select(func.count())
        .select_from(Cycle.__table__)
        .where(*_cycle_conditions(scope, open_only, None))
    )
    with db.reading() as session:
        total = session.connection().execute(count).scalar_one()
    return Page(rows, total, limit, offset)


def body_compliance(
    now: datetime, *, scope: Scope | None = None, limit: int | None = None, offset: int = 0
) -> Page:
    """Per body across all cycles: buckets, on-time rate, escalations and revision rounds.

    One grouped query for the page: the page's bodies (by code, those with a task in
    ``scope``: an indexed existence probe per body) are chosen in a subquery and
    only their tasks are aggregated, so a refresh never groups every task; the
    escalations are the tasks' own counters, not a join to the escalation rows.
    A second query counts the bodies the page was cut from. ``scope`` is applied
    inside the sums rather than as a filter: a filter with its two branches would
    invite the planner to read every task of the coordinated cycles by index.
    """
    listed = Body.__table__.alias("listed")
    within = None if scope is None else scope.condition()

    def has_task(*conditions: ColumnElement[bool]) -> ColumnElement[bool]:
        """One indexed probe per body. Written as a scalar subquery, not EXISTS:
        PostgreSQL turns an EXISTS into a semi-join that hashes every task."""
        probe = select(T.id).where(T.body_id == listed.c.id, *conditions).limit(1)
        return probe.scalar_subquery().is_not(None)

    if scope is None:
        visible = has_task()
    elif scope.cycles is None:  # an agency: its own body, if it has tasks
        visible = and_(listed.c.id == scope.body_id, has_task())
    else:
        visible = has_task(scope.condition())
    page = (
        select(listed.c.id, listed.c.code, listed.c.name)
        .where(visible)
        .order_by(listed.c.code)
        .offset(offset)
    )
    if limit is not None:
        page = page.limit(limit)
    bodies = page.subquery("page")

    def total_of(column: Any) -> ColumnElement[Any]:
        counted = column if within is None else case((within, column), else_=0)
        return func.coalesce(func.sum(counted), 0)

    aggregate = (
        select(
            bodies.c.code,
            bodies.c.name,
            *bucket_columns(now, within),
            total_of(T.returns),
            total_of(T.escalations),
        )  # fmt: skip
        .select_from(bodies.join(Task.__table__, T.body_id == bodies.c.id))
        .group_by(bodies.c.id, bodies.c.code, bodies.c.name)
        .order_by(bodies.c.code)
    )
    with db.reading() as session:
        conn = session.connection()
        rows = conn.execute(aggregate).all()
        total = len(rows)
        if limit is not None or offset:
            total = _bodies_with_tasks(
                conn, scope, lambda: select(func.count()).select_from(listed).where(visible)
            )
    items = [
        {"body": code, "name": name}
        | buckets_dict(Buckets(*counts[:4]))
        | {"revision_rounds": int(counts[4]), "escalations": int(counts[5])}
        for code, name, *counts in rows
    ]
    return Page(items, total, limit, offset)


_BODY_TOTALS: dict[tuple[Any, ...], int] = {}


def _bodies_with_tasks(conn: Any, scope: Scope | None, count: Callable[[], Any]) -> int:
    """How many bodies have a task in ``scope``: the compliance pager's total.

    Counting them probes every body (90 ms at 50,000), on every refresh. Tasks
    are only ever added, and only by opening a cycle, so the answer changes only
    when the newest task id does: it is kept per database, scope and newest id.
    """
    from services import settings

    newest = conn.execute(select(func.max(T.id))).scalar()
    scoped = None if scope is None else (scope.body_id, scope.cycles is not None)
    key = (settings.database_url(), scoped, newest)
    total = _BODY_TOTALS.get(key)
    if total is None:
        if len(_BODY_TOTALS) > 1000:
            _BODY_TOTALS.clear()
        total = _BODY_TOTALS[key] = conn.execute(count()).scalar_one()
    return total


def board(
    now: datetime,
    *,
    body: str | None = None,
    all_cycles: bool = False,
    limit: int = 50,
    offset: int = 0,
) -> dict[str, Any]:
    """``phoihop dashboard``: one page (``limit``/``offset``) of each of its three lists,
    each with its total — overdue tasks grouped by body (``body``: only that body's),
    cycle progress (open cycles, or every cycle), and compliance per body."""
    named_filters(None, body)
    late = overdue(now, body=body, limit=limit, offset=offset)
    cycles = cycle_progress_page(now, open_only=not all_cycles, limit=limit, offset=offset)
    return {
        "now": now,
        "overdue": Page(by_body(late.rows), late.total, limit, offset).as_dict(),
        "cycles": cycles.as_dict(),
        "bodies": body_compliance(now, limit=limit, offset=offset).as_dict(),
    }


def task_histories(task_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """Each task's events in time order: escalation steps, reviews and extensions.

    ``kind`` is reminder, escalation, accepted, returned or extended; ``step`` the
    ladder step or ``vN`` for the version reviewed.
    """
    from models import Extension, Review, Submission

    if not task_ids:
        return {}
    e, r, x, s = (m.__table__.c for m in (Escalation, Review, Extension, Submission))
    history: dict[int, list[dict[str, Any]]] = {}

    def add(task_id: int, **event: Any) -> None:
        history.setdefault(task_id, []).append(
            {"comment": None, "level": None, "old_due_date": None, "new_due_date": None} | event
        )

    with db.reading() as session:
        conn = session.connection()
        for tid, at, step, kind, level in conn.execute(
            select(e.task_id, e.fired_at, e.step, e.kind, e.level).where(e.task_id.in_(task_ids))
        ):
            add(tid, at=at, kind=kind, step=step, level=level)
        for tid, at, decision, comment, new_due, version in conn.execute(
            select(r.task_id, r.reviewed_at, r.decision, r.comment, r.new_due_date, s.version)
            .join(Submission.__table__, s.id == r.submission_id)
            .where(r.task_id.in_(task_ids))
        ):
            add(
                tid, at=at, kind=decision, step=f"v{version}", comment=comment, new_due_date=new_due
            )
        for tid, at, old, new, reason in conn.execute(
            select(x.task_id, x.granted_at, x.old_due_date, x.new_due_date, x.reason).where(
                x.task_id.in_(task_ids)
            )
        ):
            add(
                tid,
                at=at,
                kind="extended",
                step=None,
                comment=reason,
                old_due_date=old,
                new_due_date=new,
            )
    for events in history.values():
        events.sort(key=lambda h: h["at"])
    return history


def cycle_info(ref: str) -> dict[str, Any]:
    """A cycle's dates and letter with its program's title, legal basis and outline."""
    from services.cycles import cycle_dict, resolve_cycle

    with db.reading() as session:
        cycle, program = resolve_cycle(session, ref)
        terms = versions.of_cycle(session, cycle)
        return cycle_dict(cycle, program.code) | {
            "program_title": program.title,
            "legal_basis": program.legal_basis,
            "outline": terms.outline,  # the outline it was opened with
            "program_version": terms.version,
        }


def cycle_detail(
    ref: str, now: datetime, *, limit: int | None = None, offset: int = 0
) -> dict[str, Any]:
    """A cycle with one page of its tasks (overdue first) and their history
    (escalations, reviews, extensions); ``limit=None``: every task."""
    info = cycle_info(ref)
    tasks = tasks_page(now, cycle_id=info["id"], overdue_first=True, limit=limit, offset=offset)
    histories = task_histories([row["task"] for row in tasks.rows])
    for row in tasks.rows:
        row["history"] = histories.get(row["task"], [])
    progress = next(iter(cycle_progress(now, open_only=False, cycle_id=info["id"])), None)
    return {"cycle": info, "progress": progress, "tasks": tasks.as_dict()}
