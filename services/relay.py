"""Domain events reach Prefect from the audit log, in order, none lost, none twice.

Every state change already writes an audit record in its own transaction, so
the audit log *is* the stream of domain events. :func:`relay` reads it after
a stored watermark (:class:`models.EventCursor`), turns the domain records
(``cycle.*``, ``task.*``) into Prefect events and hands them to ``emit`` a
batch at a time; only when a batch is accepted does the watermark move. While
Prefect is down nothing moves, and the next run starts where this one stopped.

Each event's id is derived from its audit record's id, so a batch emitted
twice (accepted, but the watermark's commit failed) is one event in Prefect.

On PostgreSQL an id can be visible before a smaller one commits, or be used
up by a rolled-back transaction. The relay stops before such a hole and steps
over it only once it has stayed open for :data:`GAP_PATIENCE` (database time).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update

from models import AuditRecord, EventCursor
from services import db

CURSOR = "prefect"
BATCH = 500
GAP_PATIENCE = timedelta(seconds=30)
DOMAIN_PREFIXES = ("cycle.", "task.")
_NAMESPACE = uuid.UUID("6b1d6c2e-8f4e-4c71-9a55-2f1f0f5e7a10")  # phoihop's audit records

Emit = Callable[[list[dict[str, Any]]], None]


@dataclass
class Relayed:
    emitted: int = 0
    read: int = 0
    batches: int = 0
    last_audit_id: int = 0
    waiting_on_gap: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "emitted": self.emitted,
            "read": self.read,
            "batches": self.batches,
            "last_audit_id": self.last_audit_id,
            "waiting_on_gap": self.waiting_on_gap,
        }


def event_of(record: Any) -> dict[str, Any]:
    """A Prefect event (its JSON form) for one domain audit record."""
    audit_id, at, actor, action, cycle_id, task_id, detail = record
    if task_id is not None:
        resource = {"prefect.resource.id": f"phoihop.task.{task_id}"}
    elif cycle_id is not None:
        resource = {"prefect.resource.id": f"phoihop.cycle.{cycle_id}"}
    else:
        resource = {"prefect.resource.id": "phoihop"}
    related = []
    if task_id is not None and cycle_id is not None:
        related.append({"prefect.resource.id": f"phoihop.cycle.{cycle_id}",
                        "prefect.resource.role": "cycle"})  # fmt: skip
    return {
        "id": str(uuid.uuid5(_NAMESPACE, str(audit_id))),
        "occurred": at.isoformat(),
        "event": f"phoihop.{action}",
        "resource": resource,
        "related": related,
        "payload": dict(detail or {}) | {"actor": actor, "audit_id": audit_id},
    }


def relay(emit: Emit, *, batch: int = BATCH, most: int | None = None) -> Relayed:
    """Emit the domain records after the watermark, ``batch`` at a time (at most
    ``most`` records read in this run); the watermark follows each accepted batch."""
    done = Relayed()
    while most is None or done.read < most:
        with db.reading() as session:
            cursor = session.get(EventCursor, CURSOR)
            last = cursor.last_audit_id if cursor else 0
            gap_since = cursor.gap_since if cursor else None
            a = AuditRecord.__table__.c
            rows = (
                session.connection()
                .execute(
                    select(a.id, a.at, a.actor, a.action, a.cycle_id, a.task_id, a.detail)
                    .where(a.id > last)
                    .order_by(a.id)
                    .limit(batch)
                )
                .all()
            )
            database_now = session.connection().execute(select(func.current_timestamp())).scalar()
        done.last_audit_id = last
        if not rows:
            return done
        ready = _contiguous(rows, last)
        if not ready:
            if not _patient(gap_since, database_now):
                done.waiting_on_gap = True
                _mark_gap(last, gap_since, database_now)
                return done
            ready = _contiguous(rows, rows[0][0] - 1)  # the hole stayed: step over it
        events = [event_of(r) for r in ready if r[3].startswith(DOMAIN_PREFIXES)]
        if events:
            emit(events)  # raises if Prefect did not take them: the watermark stays
        if not _advance(last, ready[-1][0]):
            return done  # another relay moved it: let that one go on
        done.read += len(ready)
        done.emitted += len(events)
        done.batches += 1
        done.last_audit_id = ready[-1][0]
    return done


def _contiguous(rows: Sequence[Any], last: int) -> list[Any]:
    """The rows that follow ``last`` without a hole."""
    ready = []
    for row in rows:
        if row[0] != last + 1:
            break
        ready.append(row)
        last = row[0]
    return ready


def _patient(gap_since: datetime | None, database_now: Any) -> bool:
    """Whether the hole after the watermark has been open long enough to step over."""
    if gap_since is None or not isinstance(database_now, datetime):
        return False
    from rules.timezone import as_utc

    return as_utc(database_now) - as_utc(gap_since) >= GAP_PATIENCE


def _mark_gap(last: int, gap_since: datetime | None, database_now: Any) -> None:
    if gap_since is not None:
        return
    from rules.timezone import as_utc

    with db.transaction() as session:
        _cursor(session, last)
        session.execute(
            update(EventCursor)
            .where(EventCursor.name == CURSOR, EventCursor.last_audit_id == last)
            .values(gap_since=as_utc(database_now))
        )


def _advance(last: int, to: int) -> bool:
    """Move the watermark from ``last`` to ``to``; False if it is no longer at ``last``."""
    from services import clock

    with db.transaction() as session:
        _cursor(session, last)
        moved = session.execute(
            update(EventCursor)
            .where(EventCursor.name == CURSOR, EventCursor.last_audit_id == last)
            .values(last_audit_id=to, gap_since=None, updated_at=clock.now())
        ).rowcount
    return moved == 1


def _cursor(session: Any, last: int) -> None:
    """Create the watermark row on first use (a fresh database starts from the top)."""
    from services import clock

    if last == 0:
        db.ensure_cursor(session, CURSOR, clock.now())


def backlog() -> dict[str, int]:
    """How far behind the relay is (for `phoihop events status` and the tests)."""
    with db.reading() as session:
        cursor = session.get(EventCursor, CURSOR)
        newest = session.exec(select(func.max(AuditRecord.id))).one()[0] or 0
    last = cursor.last_audit_id if cursor else 0
    return {"last_audit_id": last, "newest_audit_id": newest, "behind": newest - last}
