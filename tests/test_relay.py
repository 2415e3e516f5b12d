"""Domain events reach Prefect from the audit log: in order, none lost while Prefect is
down, none twice, history's holes waited for and then stepped over."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import insert, update
from sqlmodel import select

from models import AuditRecord, EventCursor
from services import db, relay
from tests.steps import submit

Cli = Callable[..., Any]


class Prefect:
    """A stand-in for Prefect's events API: takes batches, or refuses while down."""

    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []
        self.down = False

    def __call__(self, events: list[dict[str, Any]]) -> None:
        if self.down:
            raise ConnectionError("Prefect is down")
        self.events.extend(events)


def audit_ids() -> list[int]:
    with db.reading() as session:
        return list(session.exec(select(AuditRecord.id).order_by(AuditRecord.id)).all())


def test_domain_records_become_events_in_order(open_cycle: Cli) -> None:
    submit(open_cycle, "HDND", "2024-07-08T10:00")
    assert open_cycle("sweep", "--now", "2024-07-13T08:00").code == 0
    prefect = Prefect()
    done = relay.relay(prefect, batch=3)
    names = [e["event"] for e in prefect.events]
    assert names[:2] == ["phoihop.cycle.opened", "phoihop.task.submitted"]
    assert names[2:] == ["phoihop.task.escalated"] * 6
    assert all(not n.startswith(("phoihop.body.", "phoihop.program.")) for n in names)
    assert [e["payload"]["audit_id"] for e in prefect.events] == sorted(
        e["payload"]["audit_id"] for e in prefect.events
    )
    escalated = prefect.events[-1]
    assert escalated["resource"]["prefect.resource.id"].startswith("phoihop.task.")
    assert escalated["related"][0]["prefect.resource.id"] == "phoihop.cycle.1"
    assert escalated["payload"]["step"] == "level-1"
    assert done.last_audit_id == audit_ids()[-1] and done.batches >= 6
    assert relay.relay(prefect).emitted == 0  # caught up: nothing twice
    assert relay.backlog()["behind"] == 0


def test_nothing_is_lost_while_prefect_is_down(open_cycle: Cli) -> None:
    prefect = Prefect()
    relay.relay(prefect)
    seen = len(prefect.events)
    prefect.down = True
    for moment in ("2024-07-08T10:00", "2024-07-09T10:00"):
        submit(open_cycle, "HDND" if moment.endswith("08T10:00") else "UBND", moment)
    assert open_cycle("sweep", "--now", "2024-07-13T08:00").code == 0
    for _ in range(3):  # relay runs while Prefect is down: each fails, the watermark stays
        with pytest.raises(ConnectionError):
            relay.relay(prefect, batch=2)
    assert relay.backlog()["behind"] > 0
    prefect.down = False
    relay.relay(prefect, batch=2)
    names = [e["event"] for e in prefect.events[seen:]]
    assert names == ["phoihop.task.submitted"] * 2 + ["phoihop.task.escalated"] * 5
    ids = [e["id"] for e in prefect.events]
    assert len(ids) == len(set(ids))


def test_a_batch_emitted_twice_keeps_its_event_ids(open_cycle: Cli) -> None:
    """Prefect took a batch, but the watermark's commit failed: the next run sends the
    same events with the same ids, so Prefect keeps one of each."""
    first, second = Prefect(), Prefect()
    relay.relay(first)
    with db.transaction() as session:
        session.execute(update(EventCursor).values(last_audit_id=0))
    relay.relay(second)
    assert [e["id"] for e in second.events] == [e["id"] for e in first.events]


def test_a_hole_is_waited_for_then_stepped_over(open_cycle: Cli) -> None:
    prefect = Prefect()
    relay.relay(prefect)
    last = audit_ids()[-1]
    with db.transaction() as session:  # id last+1 is held by a transaction not yet committed
        session.execute(
            insert(AuditRecord),
            [{"id": last + 2, "at": db_now(), "actor": "t", "action": "task.accepted",
              "cycle_id": 1, "task_id": 1, "detail": {}}],
        )  # fmt: skip
    waiting = relay.relay(prefect)
    assert (waiting.emitted, waiting.waiting_on_gap, waiting.last_audit_id) == (0, True, last)
    with db.transaction() as session:  # …and it never commits: a rolled-back id
        session.execute(
            update(EventCursor).values(gap_since=db_now() - relay.GAP_PATIENCE - timedelta(1))
        )
    stepped = relay.relay(prefect)
    assert (stepped.emitted, stepped.last_audit_id) == (1, last + 2)
    assert prefect.events[-1]["event"] == "phoihop.task.accepted"


def db_now() -> Any:
    from services import clock

    return clock.now()
