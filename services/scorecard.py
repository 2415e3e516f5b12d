"""Compliance scorecards across cycles: per body, per program, over everything, and
the trend per period.

Set-based, like the dashboards: every figure comes from GROUP BY queries over the
task table (joined to its cycle), never from a row per task. The counts are read
at three grains: per cycle (summed into the programs, the periods and the total),
per body (each body's row, and the order, worst first), and per body and period
for the bodies of the page shown only (their trends), so a page costs what the
bodies and cycles cost, not every (body, period). The four buckets are
:func:`services.dashboard.bucket_columns`, the same SQL the dashboard's
compliance list uses, so the two never disagree.

Working days late need the calendar, which SQL does not know: the late tasks are
grouped by (key, due date, the local day the report came — or today, or the
day the cycle closed, for one never sent), and each distinct pair is counted
once on the calendar (:class:`rules.scorecard.LateDays`).

**Mergers.** The figures follow a body across its successor links
(services.succession): once a merger has taken effect, a predecessor's tasks
count under the body at the end of its chain (A → B → C: under C), and a
scorecard of ``--body C`` covers A's and B's cycles too. The counts are still
read per task's own body and then summed into the successor
(:func:`rules.scorecard.fold`), so the fold costs nothing in SQL; each row says
which predecessors it includes (``predecessors``, ``from_predecessors``) so a
reader sees where the history came from. A task handed over in an open cycle
is labelled with the body it came from too.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, and_, case, func, literal, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

from models import Body, Cycle, Escalation, Extension, Handover, Program, Task
from rules import scorecard as rules
from rules.errors import NotFound
from rules.org import predecessors
from rules.tasks import DONE, OPEN
from rules.timezone import local_date
from services import db
from services.calendars import load_calendar
from services.dashboard import Scope, bucket_columns
from services.succession import InForce, in_force

T, C, P, B = (m.__table__.c for m in (Task, Cycle, Program, Body))
E, X, H = Escalation.__table__.c, Extension.__table__.c, Handover.__table__.c
TASK_CYCLE = Task.__table__.join(Cycle.__table__, C.id == T.cycle_id)
_OPEN = [s.value for s in OPEN]
_DONE = [s.value for s in DONE]


class local_day(FunctionElement[date]):  # noqa: N801 (a SQL function)
    """The Asia/Ho_Chi_Minh calendar day of a UTC timestamp column (UTC+7, no DST)."""

    type = Date()
    inherit_cache = True


@compiles(local_day, "sqlite")
def _local_day_sqlite(element: Any, compiler: Any, **kw: Any) -> str:
    return f"date({compiler.process(element.clauses, **kw)}, '+7 hours')"


@compiles(local_day)
def _local_day_default(element: Any, compiler: Any, **kw: Any) -> str:
    return f"CAST(timezone('Asia/Ho_Chi_Minh', {compiler.process(element.clauses, **kw)}) AS DATE)"


@dataclass(frozen=True)
class Filters:
    """What a scorecard covers: a program, a body, cycles whose period ends between
    ``start`` and ``end`` (inclusive), as the reader's ``scope`` allows."""

    program: str | None = None
    body: str | None = None
    start: date | None = None
    end: date | None = None

    @classmethod
    def parse(
        cls, program: str | None, body: str | None, start: str | None, end: str | None
    ) -> Filters:
        """From the CLI's or the page's text; a bad period is one UserError line."""
        first, last = rules.bound(start, upper=False), rules.bound(end, upper=True)
        rules.check_range(first, last)
        program, body = ((text or "").strip() or None for text in (program, body))
        return cls(program, body, first, last)

    def as_dict(self) -> dict[str, Any]:
        return {"program": self.program, "body": self.body, "from": self.start, "to": self.end}


def _late_conditions(now: datetime) -> tuple[ColumnElement[bool], ColumnElement[Any]]:
    """Which tasks are late (sent late; or due, or in a closed cycle, and never sent)
    and the local day their lateness runs to."""
    done_late = and_(T.status.in_(_DONE), T.last_on_time.isnot(True))
    unsent = and_(T.status.in_(_OPEN), or_(T.due_at < now, T.cycle_open.is_(False)))
    came = case(
        (done_late, local_day(T.last_submitted_at)),
        (T.cycle_open.is_(False), local_day(C.synthesized_at)),
        else_=literal(local_date(now), Date),
    )
    return or_(done_late, unsent), came


Counts = list[int]  # rules.scorecard's plain counts (ON_TIME … EXTENSIONS)


def _tallies(
    conn: Any, now: datetime, keys: list[ColumnElement[Any]], where: list[ColumnElement[bool]],
    late_days: rules.LateDays,
) -> dict[tuple[Any, ...], Counts]:  # fmt: skip
    """The counts per value of ``keys`` over the tasks ``where`` selects: four grouped
    queries (buckets and counters, late days, extensions, top level)."""
    n = len(keys)
    counts = (
        select(*keys, *bucket_columns(now), func.sum(T.returns), func.sum(T.escalations))
        .select_from(TASK_CYCLE)
        .where(*where)
        .group_by(*keys)
    )
    result: dict[tuple[Any, ...], Counts] = {}
    for row in conn.execute(counts).tuples():
        on_time, late, pending, overdue, returns, escalations = row[n:]
        result[row[:n]] = [on_time, late, pending, overdue, 0, 0, 0, returns or 0,
                           escalations or 0, 0, 0]  # fmt: skip
    is_late, came = _late_conditions(now)
    late_rows = (
        select(*keys, T.due_date, came, func.count())
        .select_from(TASK_CYCLE)
        .where(*where, is_late)
        .group_by(*keys, T.due_date, came)
    )
    for row in conn.execute(late_rows).tuples():
        due, day, tasks = row[n:]
        rules.add_late(result[row[:n]], late_days(due, day) if day is not None else 0, tasks)
    extensions = (
        select(*keys, func.count(X.id))
        .select_from(TASK_CYCLE.join(Extension.__table__, X.task_id == T.id))
        .where(*where)
        .group_by(*keys)
    )
    for row in conn.execute(extensions).tuples():
        result[row[:n]][rules.EXTENSIONS] = row[n]
    levels = (
        select(*keys, func.max(E.level))
        .select_from(TASK_CYCLE.join(Escalation.__table__, E.task_id == T.id))
        .where(*where, E.kind == "escalation")
        .group_by(*keys)
    )
    for row in conn.execute(levels).tuples():
        result[row[:n]][rules.TOP_LEVEL] = row[n] or 0
    return result


def scorecard(
    now: datetime,
    filters: Filters | None = None,
    *,
    scope: Scope | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> dict[str, Any]:
    """The scorecard ``filters`` and ``scope`` select, at ``now``: every total is over all
    the bodies, and ``bodies``/``trends`` are one page of them (worst first; ``limit``
    None: all), so a national scorecard is not a million-point answer.

    An unknown program or body is NotFound (one line in the CLI, a 404 on the web).
    """
    from services.registry import body_by_code

    filters = filters or Filters()
    with db.reading() as session:
        conn = session.connection()
        links = in_force(conn, local_date(now))
        where: list[ColumnElement[bool]] = [] if scope is None else [seen_by(scope, links)]
        of_program: list[ColumnElement[bool]] = []
        if filters.program:
            program_id = conn.execute(
                select(P.id).where(P.code == filters.program.strip())
            ).scalar()
            if program_id is None:
                raise NotFound(f"unknown program: {filters.program}")
            of_program.append(C.program_id == program_id)
            where += of_program
        chosen: int | None = None
        if filters.body:  # the body and every body whose work came to it
            chosen = body_by_code(session, filters.body).id
            where.append(T.body_id.in_([chosen, *predecessors(links.successor, chosen)]))
        cycle_rows = conn.execute(
            select(
                C.id,
                P.code,
                P.title,
                C.period,
                C.period_label,
                C.cutoff_end,
                C.provide_due,
                C.status,
            )  # fmt: skip
            .select_from(Cycle.__table__.join(Program.__table__, P.id == C.program_id))
            .where(*of_program)
        ).all()
        cycles = {
            r[0]: {
                "cycle": r[0],
                "program": r[1],
                "program_title": r[2],
                "period": r[3],
                "period_label": r[4],
                "period_end": rules.period_end(r[3], r[5]),
                "provide_due": r[6],
                "status": r[7],
                "ref": f"{r[1]}/{r[3]}",
            }  # fmt: skip
            for r in cycle_rows
        }
        if filters.start or filters.end:
            kept = [
                cid for cid, c in cycles.items()
                if rules.in_range(c["period_end"], filters.start, filters.end)
            ]  # fmt: skip
            cycles = {cid: cycles[cid] for cid in kept}
            where.append(T.cycle_id.in_(kept))

        def owner(body_id: int) -> int:
            """The row a task's body counts in: its last successor (or the chosen body)."""
            return chosen if chosen is not None else links.final(body_id)

        late_days = rules.LateDays(load_calendar())
        per_cycle = _tallies(conn, now, [T.cycle_id], where, late_days)
        own = {k[0]: c for k, c in _tallies(conn, now, [T.body_id], where, late_days).items()}
        per_body = rules.fold(own, owner)
        came_from = _came_from(conn, where, links)
        named = conn.execute(
            select(B.id, B.code, B.name).where(B.id.in_(set(own) | set(per_body)))
        ).all()
        codes = {body_id: code for body_id, code, _ in named}
        names = {body_id: name for body_id, _, name in named}
        ranked = sorted(per_body, key=lambda b: rules.worst_first(
            rules.rate_of(per_body[b]), per_body[b][rules.OVERDUE], codes[b]))  # fmt: skip
        page = ranked[offset : None if limit is None else offset + limit]
        # The trends, per body and period, for the page's bodies (and their predecessors).
        shown = set(page)
        members = [b for b in own if owner(b) in shown]
        only = [] if limit is None else [T.body_id.in_(members)]
        per_body_period = rules.fold(
            _tallies(conn, now, [T.body_id, C.period], where + only, late_days),
            lambda key: (owner(key[0]), key[1]),
        )
        contributed = _contributions(owner, came_from, cycles)
    series: dict[int, list[tuple[str, Counts]]] = defaultdict(list)
    for (body_id, period), counts in per_body_period.items():
        series[body_id].append((period, counts))
    lineage = Lineage(links, contributed, _by_cycle(came_from, links))
    return (
        _assemble(now, filters, cycles, per_cycle, lineage)
        | _bodies(page, per_body, series, codes, names, cycles, per_cycle, lineage)
        | {"bodies_total": len(ranked), "limit": limit, "offset": offset}
    )


def seen_by(scope: Scope, links: InForce) -> ColumnElement[bool]:
    """A reader's scope, widened to its body's predecessors: a successor's accounts
    see the history it inherited (and, as their own, the tasks handed to it)."""
    inherited = predecessors(links.successor, scope.body_id)
    seen = scope.condition()
    return or_(seen, T.body_id.in_(inherited)) if inherited else seen


def _came_from(
    conn: Any, where: list[ColumnElement[bool]], links: InForce
) -> dict[tuple[int, int], set[int]]:
    """(cycle, a task's body) → the merged bodies whose tasks these are: a predecessor's
    own tasks, and the tasks handed over from predecessors (services.succession)."""
    found: dict[tuple[int, int], set[int]] = defaultdict(set)
    if not links.successor:
        return found
    own = (
        select(T.cycle_id, T.body_id)
        .select_from(TASK_CYCLE)
        .where(*where, T.body_id.in_(list(links.successor)))
        .distinct()
    )
    for cycle_id, body_id in conn.execute(own):
        found[(cycle_id, body_id)].add(body_id)
    moved = (
        select(T.cycle_id, T.body_id, H.from_body_id)
        .select_from(TASK_CYCLE.join(Handover.__table__, H.task_id == T.id))
        .where(*where, H.into_task_id.is_(None))
        .distinct()
    )
    for cycle_id, body_id, origin in conn.execute(moved):
        found[(cycle_id, body_id)].add(origin)
    return found


def _contributions(
    owner: Any,
    came_from: dict[tuple[int, int], set[int]],
    cycles: dict[int, dict[str, Any]],
) -> dict[int, dict[str | None, set[int]]]:
    """Per row's body: the predecessors it includes, in all (key None) and per period."""
    result: dict[int, dict[str | None, set[int]]] = defaultdict(lambda: defaultdict(set))
    for (cycle_id, body_id), origins in came_from.items():
        if cycle_id not in cycles:
            continue
        row = owner(body_id)
        preds = {o for o in origins if o != row}
        if preds:
            result[row][None] |= preds
            result[row][cycles[cycle_id]["period"]] |= preds
    return result


@dataclass(frozen=True)
class Lineage:
    """What labels the rows that include a predecessor's history."""

    links: InForce
    contributed: dict[int, dict[str | None, set[int]]]
    by_cycle: dict[int, list[str]]  # cycle → the predecessors whose tasks it holds

    def predecessors(self, body_id: int) -> list[dict[str, Any]]:
        """The predecessors a body's row includes, each with its merger."""
        ids = self.contributed.get(body_id, {}).get(None, set())
        return sorted((self.links.rows[b] for b in ids if b in self.links.rows),
                      key=lambda r: (r["effective_on"], r["body"]))  # fmt: skip

    def in_period(self, body_id: int, period: str) -> list[str]:
        ids = self.contributed.get(body_id, {}).get(period, set())
        return sorted(self.links.rows[b]["body"] for b in ids if b in self.links.rows)

    def in_cycle(self, cycle_id: int) -> list[str]:
        return self.by_cycle.get(cycle_id, [])


def _by_cycle(came_from: dict[tuple[int, int], set[int]], links: InForce) -> dict[int, list[str]]:
    found: dict[int, set[str]] = defaultdict(set)
    for (cycle_id, _body), origins in came_from.items():
        found[cycle_id] |= {links.rows[b]["body"] for b in origins if b in links.rows}
    return {cycle_id: sorted(codes) for cycle_id, codes in found.items()}


def _periods(
    cycles: dict[int, dict[str, Any]], per_cycle: dict[tuple[Any, ...], Counts]
) -> tuple[list[str], dict[str, date], dict[str, str]]:
    """The periods with tasks, oldest first (by the end of the period), and their labels."""
    period_end: dict[str, date] = {}
    period_label: dict[str, str] = {}
    for (cid,) in per_cycle:
        c = cycles[cid]
        end = period_end.get(c["period"])
        period_end[c["period"]] = c["period_end"] if end is None else max(end, c["period_end"])
        period_label.setdefault(c["period"], c["period_label"])
    return sorted(period_end, key=lambda p: (period_end[p], p)), period_end, period_label


def _bodies(
    page: list[int],
    per_body: dict[int, Counts],
    series: dict[int, list[tuple[str, Counts]]],
    codes: dict[int, str],
    names: dict[int, str],
    cycles: dict[int, dict[str, Any]],
    per_cycle: dict[tuple[Any, ...], Counts],
    lineage: Lineage,
) -> dict[str, Any]:
    """The page's bodies (worst first) with their trend, and their series per period."""
    periods, _ends, labels = _periods(cycles, per_cycle)
    rank = {p: n for n, p in enumerate(periods)}
    bodies, trends = [], []
    for body_id in page:
        points = sorted(series.get(body_id, []), key=lambda item: rank[item[0]])
        direction = rules.trend([rules.rate_of(counts) for _period, counts in points])
        head = {"body": codes[body_id], "name": names[body_id]}
        bodies.append(head | rules.figures(per_body[body_id]) | {
            "trend": direction, "predecessors": lineage.predecessors(body_id)})  # fmt: skip
        trends.append(head | {"trend": direction, "series": [
            {"period": p, "period_label": labels[p]} | rules.figures(counts)
            | {"from_predecessors": lineage.in_period(body_id, p)}
            for p, counts in points]})  # fmt: skip
    return {"bodies": bodies, "trends": trends}


def _assemble(
    now: datetime,
    filters: Filters,
    cycles: dict[int, dict[str, Any]],
    per_cycle: dict[tuple[Any, ...], Counts],
    lineage: Lineage,
) -> dict[str, Any]:
    """Sum the cycles into the programs, the periods and the total (rules.scorecard)."""
    figures = rules.figures
    periods, period_end, period_label = _periods(cycles, per_cycle)
    programs: dict[str, Counts] = {}
    titles: dict[str, str] = {}
    by_period: dict[str, Counts] = {}
    everything = rules.new_counts()
    cycle_rows = []
    for (cid,), counts in per_cycle.items():
        c = cycles[cid]
        rules.add_into(programs.setdefault(c["program"], rules.new_counts()), counts)
        titles[c["program"]] = c["program_title"]
        rules.add_into(by_period.setdefault(c["period"], rules.new_counts()), counts)
        rules.add_into(everything, counts)
        cycle_rows.append({k: c[k] for k in ("cycle", "ref", "program", "period",
                           "period_label", "provide_due", "status")} | figures(counts)
                          | {"from_predecessors": lineage.in_cycle(cid)})  # fmt: skip
    cycle_rows.sort(key=lambda c: (period_end[c["period"]], c["ref"]))
    return {
        "now": now,
        "filters": filters.as_dict(),
        "rate_label": rules.RATE_LABEL_VI,
        "rate_note": rules.RATE_NOTE_VI,
        "days_note": rules.DAYS_NOTE_VI,
        "total": figures(everything),
        "programs": [
            {"program": code, "title": titles[code]} | figures(programs[code])
            for code in sorted(programs)
        ],
        "cycles": cycle_rows,
        "periods": [
            {"period": p, "period_label": period_label[p]} | figures(by_period[p]) for p in periods
        ],
    }
