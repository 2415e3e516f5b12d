"""The roll-up across levels: cycles opened under a cycle above, and what flows up.

A commune board's cycle is opened under the province board's (services.cycles
opens it, its dates worked back). This module holds what follows from that link:

- :func:`feed_parent`: when the child is synthesized, its consolidated report
  becomes its coordinator's next version in the cycle above, through the same
  path a person's submit takes (services.provision), judged on time or late
  against the deadline in force there, and linked to the child cycle; its
  summed data forms go with it as the coordinator's figures (:func:`summed_forms`);
- :func:`trace_parent_closed`: a parent closing while a child is still open
  leaves an audit record in the child, which ``cycle show`` and the tree show;
- :func:`follow_extension`: an extension of the coordinator's deadline above
  moves the child's deadlines or keeps them, as the child's program says;
- :func:`links` and :func:`tree`: what ``cycle show`` and ``cycle tree`` read.

A return from the parent is an ordinary return of the coordinator's task there:
it reopens that task, never the child cycle, which stays as it closed.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from models import AuditRecord, Body, Cycle, Program, Task
from rules.deadlines import staggered_deadlines
from rules.errors import UserError
from rules.rollup import contribution
from rules.tasks import OPEN, Buckets, bucket_of
from services import db, versions

C, P, T, B, A = (m.__table__.c for m in (Cycle, Program, Task, Body, AuditRecord))
logger = logging.getLogger(__name__)

# Audit actions that leave a note on a cycle of the tree (shown by cycle show and tree,
# in the audit history's words: rules.history.describe).
NOTES = ("cycle.adopted", "cycle.parent_closed", "cycle.fed", "cycle.not_fed",
         "cycle.parent_extended", "cycle.deadlines_moved")  # fmt: skip


def feed_parent(
    cycle_id: int, markdown: str, *, now: datetime, actor: str
) -> dict[str, Any] | None:
    """Send a just synthesized child cycle's report up as its coordinator's submission.

    None for a cycle with no parent. The version is written by
    :func:`services.provision.submit` (one transaction, with its audit record);
    when the parent refuses it (closed already, the task accepted, the report not
    on its outline) the refusal is recorded in the child as ``cycle.not_fed`` so
    the coordinator sees why, and the child's synthesis stands.
    """
    from services import provision

    with db.reading() as session:
        conn = session.connection()
        row = conn.execute(
            select(C.parent_cycle_id, P.coordinator_id, P.code, C.period)
            .select_from(Cycle.__table__.join(Program.__table__, P.id == C.program_id))
            .where(C.id == cycle_id)
        ).first()
        if row is None or row[0] is None:
            return None
        parent_id, coordinator_id, code, period = row
        parent = conn.execute(
            select(P.code, C.period, versions.V.outline, T.id)  # the parent's own outline
            .select_from(
                versions.join_terms(Cycle.__table__, C)
                .join(Program.__table__, P.id == C.program_id)
                .join(Task.__table__, (T.cycle_id == C.id) & (T.body_id == coordinator_id))
            )
            .where(C.id == parent_id)
        ).first()
    if parent is None:  # the coordinator has no task above any more: nothing to feed
        return None
    parent_code, parent_period, outline, task_id = parent
    parent_ref = f"{parent_code}/{parent_period}"
    try:
        text = contribution(markdown, outline)
        figures = summed_forms(cycle_id, parent_code)
        sent = provision.submit(
            text, now=now, actor=actor, task_id=task_id, from_cycle_id=cycle_id,
            form_values=figures or None,
        )  # fmt: skip
    except UserError as exc:
        with db.transaction() as session:
            db.audit(
                session, at=now, actor=actor, action="cycle.not_fed", cycle_id=cycle_id,
                task_id=task_id, parent=parent_ref, reason=str(exc),
            )  # fmt: skip
        return {"parent": parent_ref, "task": task_id, "fed": False, "reason": str(exc)}
    with db.transaction() as session:  # the child's own trace of what it sent up
        db.audit(
            session, at=now, actor=actor, action="cycle.fed", cycle_id=cycle_id,
            task_id=task_id, parent=parent_ref, version=sent.version, on_time=sent.on_time,
            child=f"{code}/{period}",
        )  # fmt: skip
    return {
        "parent": parent_ref,
        "task": task_id,
        "fed": True,
        "version": sent.version,
        "on_time": sent.on_time,
        "due_at": sent.due_at,
        "forms": sent.forms,
    }


def feed_unfed(*, now: datetime, actor: str = "rollup") -> list[dict[str, Any]]:
    """Send up what a synthesis closed but did not get to send: the child cycles closed
    with neither ``cycle.fed`` nor ``cycle.not_fed`` recorded (the process died, or the
    database failed, between the child's closing and its submission above). The sweep
    runs this; a report already standing above is a repeat, never a second version."""
    from models import Synthesis

    S = Synthesis.__table__.c
    traced = (
        select(A.id)
        .where(A.cycle_id == C.id, A.action.in_(("cycle.fed", "cycle.not_fed")))
        .exists()
    )
    with db.reading() as session:
        waiting = (
            session.connection()
            .execute(
                select(C.id, S.markdown)
                .select_from(Cycle.__table__.join(Synthesis.__table__, S.cycle_id == C.id))
                .where(C.parent_cycle_id.is_not(None), C.status == "synthesized", ~traced)
                .order_by(C.id)
            )
            .all()
        )
    fed = []
    for cycle_id, markdown in waiting:
        try:
            result = feed_parent(cycle_id, markdown, now=now, actor=actor)
        except Exception:  # noqa: BLE001 - still unfed: the next sweep tries again
            logger.exception("cycle %s: its report could not be sent up yet", cycle_id)
            continue
        if result is not None:
            fed.append(result | {"cycle": cycle_id})
    return fed


def summed_forms(cycle_id: int, parent_program: str) -> dict[str, dict[str, Any]]:
    """The child cycle's summed figures (services.forms.cycle_totals) for each data form
    the program above declares under the same code, as the values its coordinator
    sends there: the numeric indicators the two forms share (rates are recomputed
    from their parts above, texts are not summed). A form whose required indicators
    the sums cannot fill is left out, as a body would leave it: never a guess."""
    from rules.forms import FormRejected, check
    from services.forms import cycle_totals, stored_forms

    with db.reading() as session:
        conn = session.connection()
        program_id = conn.execute(select(P.id).where(P.code == parent_program)).scalar_one()
        above = {f["code"]: f for f in stored_forms(conn, program_id)}
    if not above:
        return {}
    figures: dict[str, dict[str, Any]] = {}
    for form in cycle_totals(cycle_id).forms:
        declared = above.get(form.code)
        if declared is None:
            continue
        values = {
            c.key: int(c.total) if c.type == "integer" else float(c.total)
            for c in form.cells
            if c.reported
            and c.total is not None
            and c.type in ("integer", "decimal")
            and not c.derived
        }
        try:
            check(declared, {k: (v, "") for k, v in values.items()}, {}, form.code)
        except FormRejected:
            continue
        if values:
            figures[form.code] = values
    return figures


def trace_parent_closed(
    session: Session, cycle: Cycle, ref: str, *, now: datetime, actor: str
) -> list[int]:
    """Inside the parent's synthesis: an audit record in each child still open, saying
    the cycle above closed first (its report can no longer reach it by itself)."""
    open_children = list(
        session.connection()
        .execute(select(C.id).where(C.parent_cycle_id == cycle.id, C.status == "open"))
        .scalars()
    )
    db.audit_many(
        session,
        [
            {"at": now, "actor": actor, "action": "cycle.parent_closed", "cycle_id": cid,
             "task_id": None, "detail": {"parent": ref, "parent_cycle_id": cycle.id}}
            for cid in open_children
        ],
    )  # fmt: skip
    return open_children


def _notes(conn: Any, cycle_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    notes: dict[int, list[dict[str, Any]]] = {}
    if not cycle_ids:
        return notes
    rows = conn.execute(
        select(A.cycle_id, A.at, A.action, A.detail)
        .where(A.cycle_id.in_(cycle_ids), A.action.in_(NOTES))
        .order_by(A.id)
    )
    for cid, at, action, detail in rows:
        notes.setdefault(cid, []).append({"at": at, "action": action, **(detail or {})})
    return notes


def links(cycle_id: int) -> dict[str, Any]:
    """For ``cycle show``: the cycle above (and the coordinator's task there), the child
    cycle each task's body coordinates below (task id → child ref), and the notes."""
    with db.reading() as session:
        conn = session.connection()
        parent_id = conn.execute(select(C.parent_cycle_id).where(C.id == cycle_id)).scalar()
        parent = None
        if parent_id is not None:
            row = conn.execute(
                select(P.code, C.period, T.id)
                .select_from(
                    Cycle.__table__.join(Program.__table__, P.id == C.program_id).join(
                        Task.__table__, T.cycle_id == C.id
                    )
                )
                .where(
                    C.id == parent_id,
                    T.body_id
                    == select(P.coordinator_id)
                    .select_from(Cycle.__table__.join(Program.__table__, P.id == C.program_id))
                    .where(C.id == cycle_id)
                    .scalar_subquery(),
                )
            ).first()
            if row is not None:
                parent = {"ref": f"{row[0]}/{row[1]}", "cycle": parent_id, "task": row[2]}
        children = {
            task_id: {"ref": f"{code}/{period}", "cycle": cid, "status": status}
            for task_id, cid, code, period, status in conn.execute(
                select(T.id, C.id, P.code, C.period, C.status)
                .select_from(
                    Cycle.__table__.join(Program.__table__, P.id == C.program_id).join(
                        Task.__table__,
                        (T.cycle_id == C.parent_cycle_id) & (T.body_id == P.coordinator_id),
                    )
                )
                .where(C.parent_cycle_id == cycle_id)
            )
        }
        notes = _notes(conn, [cycle_id]).get(cycle_id, [])
    return {"parent": parent, "children": children, "notes": notes}


def tree(ref: str, now: datetime, *, below: bool = False) -> dict[str, Any]:
    """The whole tree ``ref`` belongs to, from its top cycle down, depth first; with
    ``below``, only ``ref`` and the cycles under it (what a board of that level may
    read: the dashboards' drill-down and ``GET /api/cycles/{id}/tree``).

    Each cycle: its ref, coordinator and level (its coordinator's), due dates, status, four
    buckets at ``now`` (its own tasks, and ``buckets_all_levels`` with every cycle
    below it), its parent and its coordinator's task there (status, due date,
    bucket), and the notes the roll-up left on it. A cycle's figures depend only on
    the cycles under it, so a subtree's are the whole tree's."""
    from services.cycles import resolve_cycle
    from services.dashboard import buckets_dict, cycle_buckets

    with db.reading() as session:
        asked, _ = resolve_cycle(session, ref)
        conn = session.connection()
        top = asked.id
        seen = {top}
        while (
            not below
            and (up := conn.execute(select(C.parent_cycle_id).where(C.id == top)).scalar())
            is not None
        ):
            if up in seen:  # never expected: a loop would be a corrupt link
                break
            seen.add(up)
            top = up
        columns = (C.id, C.parent_cycle_id, P.code, C.period, C.period_label, C.status,
                   C.provide_due, C.review_due, C.synthesis_due, B.code, B.name, B.id,
                   B.level)  # fmt: skip
        joined = Cycle.__table__.join(Program.__table__, P.id == C.program_id).join(
            Body.__table__, B.id == P.coordinator_id
        )
        rows = list(conn.execute(select(*columns).select_from(joined).where(C.id == top)))
        # A subtree's top keeps its parent (its ref, its coordinator's task there).
        above_top = [] if rows[0][1] is None or not below else list(
            conn.execute(select(*columns).select_from(joined).where(C.id == rows[0][1]))
        )  # fmt: skip
        level = [top]
        while level:
            found = list(
                conn.execute(
                    select(*columns).select_from(joined).where(C.parent_cycle_id.in_(level))
                )
            )
            found = [r for r in found if r[0] not in {x[0] for x in rows}]
            rows += found
            level = [r[0] for r in found]
        ids = [r[0] for r in rows]
        by_id = {r[0]: r for r in above_top + rows}
        buckets = cycle_buckets(conn, now, ids)
        parent_tasks = {
            (cid, body): (tid, status, due_date, due_at, on_time)
            for tid, cid, body, status, due_date, due_at, on_time in conn.execute(
                select(
                    T.id, T.cycle_id, T.body_id, T.status, T.due_date, T.due_at, T.last_on_time
                ).where(  # fmt: skip
                    T.cycle_id.in_(list(by_id)),
                    T.body_id.in_({r[11] for r in rows if r[1] is not None}),
                )
            )
        }
        notes = _notes(conn, ids)
    children: dict[int | None, list[Any]] = {}
    for r in rows:
        children.setdefault(r[1] if r[0] != top else None, []).append(r)
    out: list[dict[str, Any]] = []

    def walk(row: Any, depth: int) -> None:
        (cid, parent_id, code, period, label, status, provide, review, synthesis,
         coordinator, coordinator_name, coordinator_id, level) = row  # fmt: skip
        above = by_id.get(parent_id) if cid != top or below else None
        task = parent_tasks.get((parent_id, coordinator_id)) if above else None
        out.append(
            {
                "id": cid,
                "ref": f"{code}/{period}",
                "program": code,
                "period": period,
                "period_label": label,
                "depth": depth,
                "parent": f"{above[2]}/{above[3]}" if above else None,
                "coordinator": {"code": coordinator, "name": coordinator_name},
                "level": level,  # its coordinator's: province, commune…
                "provide_due": provide,
                "review_due": review,
                "synthesis_due": synthesis,
                "status": status,
                "buckets": buckets_dict(buckets[cid]),
                "task_in_parent": None
                if task is None
                else {
                    "task": task[0],
                    "status": task[1],
                    "due_date": task[2],
                    "bucket": bucket_of(
                        task[1], task[4], task[3], now, cycle_open=above[5] == "open"
                    ),  # fmt: skip
                },
                "notes": notes.get(cid, []),
            }
        )
        for child in sorted(children.get(cid, []), key=lambda r: (r[2], r[3])):
            walk(child, depth + 1)

    walk(by_id[top], 0)
    # Summed up the tree: a province's tasks with those of every level below it.
    below: dict[int, Buckets] = {}
    for node in reversed(out):  # depth first, so every child comes before its parent
        own = buckets[node["id"]]
        total = [own.done_on_time, own.done_late, own.pending, own.overdue]
        for child in children.get(node["id"], []):
            sub = below[child[0]]
            parts = (sub.done_on_time, sub.done_late, sub.pending, sub.overdue)
            total = [a + b for a, b in zip(total, parts, strict=True)]
        below[node["id"]] = Buckets(*total)
        node["buckets_all_levels"] = buckets_dict(below[node["id"]])
    return {"ref": ref, "root": out[0]["ref"], "cycles": out}


def follow_extension(
    session: Session,
    task: Task,
    cycle: Cycle,
    *,
    new_due: Any,
    reason: str,
    calendar: Any,
    now: datetime,
    actor: str,
) -> dict[str, Any] | None:
    """Inside an extension of ``task`` above: what happens to the cycle its body runs below.

    The child program's ``parent_extension`` policy decides. ``keep`` (the default):
    the child's issued deadlines stay, and the child records that the deadline above
    moved. ``follow``: its dates are worked back again from the new deadline, only
    ever later, and each of its bodies still waiting on the cycle's own deadline gets
    an ordinary extension (:func:`services.review.grant_extension`: audited, its
    ladder restarted, the body told); a body with a later deadline of its own keeps
    it. None when the body runs no open cycle.
    """
    from services.review import grant_extension

    row = session.exec(
        select(Cycle, Program)
        .join(Program, Program.id == Cycle.program_id)
        .where(Cycle.parent_cycle_id == cycle.id, Program.coordinator_id == task.body_id)
    ).first()
    if row is None or row[0].status != "open":
        return None
    child, program = row
    terms = versions.of_cycle(session, child)  # the working days it was opened with
    ref = f"{program.code}/{child.period}"
    if program.parent_extension != "follow":
        db.audit(
            session, at=now, actor=actor, action="cycle.parent_extended", cycle_id=child.id,
            policy="keep", parent_due=new_due, parent_task_id=task.id,
        )  # fmt: skip
        return {"ref": ref, "policy": "keep", "moved": False, "extended": []}
    _, synthesis_due, review_due, provide_due = staggered_deadlines(
        new_due,
        (terms.margin_working_days, terms.synthesis_working_days, terms.review_working_days),
        calendar,
    )  # fmt: skip
    old = (child.provide_due, child.review_due, child.synthesis_due)
    new = tuple(max(a, b) for a, b in zip(old, (provide_due, review_due, synthesis_due),
                                         strict=True))  # fmt: skip
    if new == old:
        return {"ref": ref, "policy": "follow", "moved": False, "extended": []}
    child.provide_due, child.review_due, child.synthesis_due = new
    session.add(child)
    db.audit(
        session, at=now, actor=actor, action="cycle.deadlines_moved", cycle_id=child.id,
        reason=reason, parent_due=new_due, parent_task_id=task.id,
        old={"provide_due": old[0], "review_due": old[1], "synthesis_due": old[2]},
        new={"provide_due": new[0], "review_due": new[1], "synthesis_due": new[2]},
    )  # fmt: skip
    waiting = session.exec(
        select(Task, Body)
        .join(Body, Body.id == Task.body_id)
        .where(
            Task.cycle_id == child.id,
            Task.status.in_([s.value for s in OPEN]),
            Task.due_date == old[0],
            Task.due_date < new[0],
        )
        .order_by(Task.id)
    ).all()
    why = f"Theo gia hạn của kỳ cấp trên: {reason}"
    extended = []
    for waiting_task, body in waiting:
        grant_extension(
            session, waiting_task, child, program, body, new[0], calendar, reason=why, now=now,
            actor=actor, requested_due=new[0], parent_task_id=task.id,
        )  # fmt: skip
        extended.append(body.code)
    return {"ref": ref, "policy": "follow", "moved": True, "provide_due": new[0],
            "extended": extended}  # fmt: skip
