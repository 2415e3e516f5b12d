"""Rows written through services.bulk read back exactly as the ORM writes them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import func, select

from models import AuditRecord
from services import bulk, db

AT = datetime(2024, 7, 12, 16, 59, 59, 123456, tzinfo=UTC)
DETAIL = {"body": "SO-VHTTDL", "name": "Sở Văn hóa, Thể thao và Du lịch", "skipped": ["level-1"]}


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    if request.param == "postgresql":
        request.getfixturevalue("pg_url")
    return request.param


def test_bulk_rows_match_orm_rows(backend: str) -> None:
    with db.transaction() as session:
        db.audit(session, at=AT, actor="orm", action="x.y", **DETAIL)
    with db.transaction() as session:
        table = AuditRecord.__table__
        columns = ("at", "actor", "action", "cycle_id", "task_id", "detail")
        bulk.insert(session.connection(), table, columns, [(AT, "bulk", "x.y", None, None, DETAIL)])
    with db.reading() as session:
        rows = session.exec(select(AuditRecord).order_by(AuditRecord.id)).all()
        same_instant = session.exec(select(func.count()).where(AuditRecord.at == AT)).one()
    assert [(r.at, r.detail) for r in rows] == [(AT, DETAIL), (AT, DETAIL)]
    assert same_instant == 2  # stored in the same form, so equal in SQL, not only in Python


def test_reserved_ids_are_fresh_and_updates_apply(backend: str) -> None:
    with db.transaction() as session:
        db.audit(session, at=AT, actor="orm", action="x.y")
    with db.transaction() as session:
        conn = session.connection()
        ids = bulk.reserve_ids(conn, AuditRecord.__table__, 3)
        taken = session.exec(select(func.max(AuditRecord.id))).one()
        assert len(set(ids)) == 3 and min(ids) > taken
        bulk.insert(
            conn, AuditRecord.__table__, ("id", "at", "actor", "action", "detail"),
            [(i, AT, "bulk", "x.y", {}) for i in ids],
        )  # fmt: skip
        bulk.update(conn, AuditRecord.__table__, "id", ("actor = {}",), [("done", ids[0])])
    with db.reading() as session:
        actors = session.exec(select(AuditRecord.actor).order_by(AuditRecord.id)).all()
    assert actors == ["orm", "done", "bulk", "bulk"]


def test_a_bulk_job_gives_the_collector_back_even_when_it_fails() -> None:
    """A sweep or opening that raises must not leave the process without its garbage
    collector (a long-running server would then grow without bound)."""
    import gc

    assert gc.isenabled()
    with pytest.raises(RuntimeError), bulk.collector_paused():
        assert not gc.isenabled()
        with bulk.collector_paused():  # a job inside a job: the outer one resumes it
            pass
        assert not gc.isenabled()
        raise RuntimeError("the batch failed")
    assert gc.isenabled()
