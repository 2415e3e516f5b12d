"""Mergers: successor links between bodies, and the open tasks handed over to successors.

**Recording a merger** (``phoihop bodies merge``, or the bodies file's
``merged_into``/``merged_on`` columns) adds one :class:`models.Succession` per
predecessor, audited ``body.merged``. It is refused, database unchanged, when
the successor does not exist on the date the merger takes effect, when the
predecessor only starts on or after that date, when the links would form a
loop of any length (``rules.org.check_successions``, the same check as the
tree's parents), or when the predecessor already has another successor. The
same link recorded again is left unchanged, so a bodies file can be imported
any number of times. A link is never removed by leaving it out of a file.

**Handing tasks over.** Once a merger is in effect (its date has come, local
time), the predecessor's tasks that wait on it — pending or returned, in open
cycles — go to the body at the end of its chain of successors (A → B → C: to
C). A task whose report is in (submitted or accepted) stays where it is: the
coordinator reviews what the predecessor sent; if that review returns it, the
next run hands it over. Each handover is one :class:`models.Handover` row and
one ``task.handed_over`` audit record (who, when, from, to), in the
transaction of the merger or of the sweep that found it due; a run that finds
nothing new writes nothing, and the row's unique key keeps a task from leaving
the same body twice.

What happens to a task depends on the successor:

- **It has no task of its own in that cycle:** the task itself moves to the
  successor, with its versions, deadline and ladder. Its ``body_id`` is the one
  value that changes; the handover row keeps the body it came from, so the
  history still reads "sent by A, handed to C on …". The successor's accounts
  see it as their own.
- **It already has one** (``uq_task_cycle_body`` allows one task per body per
  cycle; e.g. both merged provinces were asked, or the successor took part
  already): nothing is merged and nothing overwritten. The predecessor's task
  stays with the predecessor and its history, closed with the status
  ``handed_over`` (no more reminders; out of the four buckets, as it is neither
  done nor waiting), its handover row pointing to the successor's task
  (``into_task_id``), which carries on and answers for both.

The scorecard follows the same links (services.scorecard): a successor's figures
include its predecessors' tasks, labelled with the body they came from.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, select
from sqlmodel import Session

from models import Body, Cycle, Handover, Succession, Task
from rules.errors import Conflict, NotFound, UserError
from rules.org import check_successions, final_successor
from rules.tasks import OPEN, Status
from rules.timezone import local_date
from services import db

S, B, T = Succession.__table__.c, Body.__table__.c, Task.__table__.c
_OPEN = [s.value for s in OPEN]


@dataclass(frozen=True)
class Link:
    """A merger as the operator states it: ``predecessor``'s work goes to ``successor``
    from ``effective_on``, under ``decision`` (its reference text, optional)."""

    predecessor: str
    successor: str
    effective_on: date
    decision: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"predecessor": self.predecessor, "successor": self.successor,
                "effective_on": self.effective_on, "decision": self.decision}  # fmt: skip


@dataclass
class MergeResult:
    recorded: list[Link] = field(default_factory=list)
    unchanged: list[Link] = field(default_factory=list)
    handed_over: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "recorded": [link.as_dict() for link in self.recorded],
            "unchanged": [link.as_dict() for link in self.unchanged],
            "handed_over": self.handed_over,
        }


def merge(links: Sequence[Link], *, now: datetime, actor: str) -> MergeResult:
    """Record ``links`` and hand over what they put in effect, in one transaction."""
    if not links:
        raise UserError("name at least one body to merge")
    with db.transaction() as session:
        result = record(session, links, now=now, actor=actor)
        result.handed_over = hand_over(session, now=now, actor=actor)
    return result


def hand_over_due(*, now: datetime, actor: str = "sweep") -> list[dict[str, Any]]:
    """The handovers of mergers whose day has come since the last run (the sweep's step;
    see the module note). Idempotent: nothing new, nothing written. The mergers in
    force are read first, without the write lock: a sweep on a database with none (or
    none with waiting tasks left) never takes it for this step."""
    with db.reading() as session:
        links = in_force(session.connection(), local_date(now))
    if not links.successor:
        return []
    with db.transaction() as session:
        return hand_over(session, now=now, actor=actor, links=links)


def record(session: Session, links: Sequence[Link], *, now: datetime, actor: str) -> MergeResult:
    """Add the successor links ``links`` asks for (checked as the module note says) in
    ``session``'s transaction, each audited; the ones already recorded are unchanged."""
    conn = session.connection()
    codes = {code for link in links for code in (link.predecessor, link.successor)}
    found = session.execute(select(Body).where(Body.code.in_(codes))).scalars()
    bodies = {b.code: b for b in found}
    missing = sorted(codes - set(bodies))
    if missing:
        raise NotFound(f"unknown body code(s): {', '.join(missing)}")
    stored = {row.predecessor: row for row in conn.execute(_links())}
    result = MergeResult()
    asked: dict[str, str] = {}
    for link in links:
        if link.predecessor in asked:
            continue
        asked[link.predecessor] = link.successor
        before = stored.get(link.predecessor)
        if before is not None:
            if (before.successor, before.effective_on) == (link.successor, link.effective_on):
                if link.decision in (None, before.decision):  # no decision named: the same
                    result.unchanged.append(link)
                    continue
                raise Conflict(
                    f"the merger of {link.predecessor} into {before.successor} on "
                    f"{before.effective_on.isoformat()} is recorded under another decision "
                    f"({before.decision or 'none named'}); a recorded merger is not changed"
                )
            raise Conflict(
                f"body {link.predecessor} already merged into {before.successor} on "
                f"{before.effective_on.isoformat()}: a body has one successor"
            )
        _check_dates(bodies[link.predecessor], bodies[link.successor], link.effective_on)
        result.recorded.append(link)
    check_successions({code: row.successor for code, row in stored.items()} | asked)
    for link in result.recorded:
        session.add(
            Succession(
                predecessor_id=bodies[link.predecessor].id,
                successor_id=bodies[link.successor].id,
                effective_on=link.effective_on,
                decision=link.decision,
                recorded_at=now,
                recorded_by=actor,
            )
        )
        db.audit(session, at=now, actor=actor, action="body.merged", **link.as_dict())
    session.flush()
    return result


def _check_dates(predecessor: Body, successor: Body, on: date) -> None:
    if predecessor.code == successor.code:
        return  # check_successions says it in its words
    if not successor.exists_on(on):
        raise UserError(
            f"body {successor.code} does not exist on {on.isoformat()}: it cannot take over "
            f"from {predecessor.code}"
        )
    if predecessor.valid_from is not None and predecessor.valid_from >= on:
        raise UserError(
            f"body {predecessor.code} only starts on {predecessor.valid_from.isoformat()}: it "
            f"cannot merge on {on.isoformat()}"
        )


@dataclass(frozen=True)
class InForce:
    """The successor links in effect on a day, by body id, with what labels them."""

    successor: dict[int, int]  # predecessor id → successor id
    rows: dict[int, dict[str, Any]]  # predecessor id → its link, as JSON shows it
    succession_id: dict[int, int]

    def final(self, body_id: int) -> int:
        return final_successor(self.successor, body_id)


def in_force(conn: Any, day: date) -> InForce:
    """The links whose merger has taken effect by ``day`` (a few thousand rows at most:
    2025's reorganisation merged 63 provinces into 34 and abolished ~700 districts)."""
    rows = conn.execute(_links().where(S.effective_on <= day)).all()
    return InForce(
        {r.predecessor_id: r.successor_id for r in rows},
        {
            r.predecessor_id: {
                "body": r.predecessor,
                "name": r.predecessor_name,
                "successor": r.successor,
                "effective_on": r.effective_on,
                "decision": r.decision,
            }
            for r in rows
        },  # fmt: skip
        {r.predecessor_id: r.id for r in rows},
    )


def hand_over(
    session: Session,
    *,
    now: datetime,
    actor: str,
    cycle_id: int | None = None,
    links: InForce | None = None,
) -> list[dict[str, Any]]:
    """Hand over, in ``session``'s transaction, the waiting tasks of every body merged
    by today (see the module note for what happens to each); returns one entry each.
    With ``cycle_id``, only that cycle's: a cycle opened after a merger hands its
    predecessors' new tasks over before anyone is told of them. ``links``: the mergers
    in force today, when the caller read them once for several cycles."""
    conn = session.connection()
    if links is None:
        links = in_force(conn, local_date(now))
    if not links.successor:
        return []
    only = [Task.cycle_id == cycle_id] if cycle_id is not None else []
    tasks = (
        session.execute(
            select(Task)
            .where(
                Task.body_id.in_(list(links.successor)),
                Task.status.in_(_OPEN),
                Task.cycle_open.is_(True),
                *only,
            )  # fmt: skip
            .order_by(Task.cycle_id, Task.id)
            .with_for_update(skip_locked=True)  # PostgreSQL: two sweeps never take one task
        )
        .scalars()
        .all()
    )
    if not tasks:
        return []
    targets = {task.id: links.final(task.body_id) for task in tasks}
    held = {
        (cycle_id, body_id): task_id
        for task_id, cycle_id, body_id in conn.execute(
            select(T.id, T.cycle_id, T.body_id).where(
                T.cycle_id.in_({t.cycle_id for t in tasks}),
                T.body_id.in_(set(targets.values())),
            )
        )
    }
    ids = {t.body_id for t in tasks} | set(targets.values())
    codes = dict(conn.execute(select(B.id, B.code).where(B.id.in_(ids))).all())
    refs = dict(
        conn.execute(
            select(Cycle.__table__.c.id, Cycle.__table__.c.period).where(
                Cycle.__table__.c.id.in_({t.cycle_id for t in tasks})
            )
        ).all()
    )
    done = []
    for task in tasks:
        origin, target = task.body_id, targets[task.id]
        into = held.get((task.cycle_id, target))
        if into is None:
            task.body_id = target
            held[(task.cycle_id, target)] = task.id
        else:
            task.status = Status.HANDED_OVER.value
            task.next_rung_at = None
        session.add(
            Handover(
                task_id=task.id, succession_id=links.succession_id[origin], from_body_id=origin,
                to_body_id=target, into_task_id=into, at=now, actor=actor,
            )
        )  # fmt: skip
        link = links.rows[origin]
        # Text already: the entry is also the sweep's and the CLI's answer, not only audit.
        entry = {
            "task": task.id, "cycle": task.cycle_id, "period": refs[task.cycle_id],
            "from": codes[origin], "to": codes[target],
            "moved": into is None, "into_task": into,
            "effective_on": link["effective_on"].isoformat(), "decision": link["decision"],
        }  # fmt: skip
        db.audit(session, at=now, actor=actor, action="task.handed_over",
                 cycle_id=task.cycle_id, task_id=task.id, **entry)  # fmt: skip
        done.append(entry)
    session.flush()
    return done


def successions() -> list[dict[str, Any]]:
    """Every recorded merger, by date then predecessor, as the CLI's JSON shows it."""
    query = _links()
    with db.reading() as session:
        rows = (
            session.connection()
            .execute(query.order_by(S.effective_on, query.selected_columns.predecessor))
            .all()
        )
    return [
        {
            "predecessor": r.predecessor,
            "successor": r.successor,
            "effective_on": r.effective_on,
            "decision": r.decision,
            "recorded_at": r.recorded_at,
            "recorded_by": r.recorded_by,
        }  # fmt: skip
        for r in rows
    ]


def _links() -> Select[Any]:
    """Every recorded successor link with its two bodies' codes (and the predecessor's
    name): the one query :func:`record`, :func:`in_force` and :func:`successions` read,
    each adding its own filter or order."""
    pred, succ = Body.__table__.alias("pred"), Body.__table__.alias("succ")
    return (
        select(
            S.id,
            S.predecessor_id,
            S.successor_id,
            pred.c.code.label("predecessor"),
            pred.c.name.label("predecessor_name"),
            succ.c.code.label("successor"),
            S.effective_on,
            S.decision,
            S.recorded_at,
            S.recorded_by,
        )
        .select_from(Succession.__table__)
        .join(pred, pred.c.id == S.predecessor_id)
        .join(succ, succ.c.id == S.successor_id)
    )
