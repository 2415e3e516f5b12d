"""The engine on PostgreSQL: the same cycle, and concurrent sweeps that never duplicate.

SQLite is the default and runs every other test; this module proves the
dialect-specific parts (ON CONFLICT DO NOTHING … RETURNING, row locks) on a
real PostgreSQL server.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests import pg
from tests.steps import REPORTS, accept, submit

pytestmark = pytest.mark.skipif(pg.binaries() is None, reason="PostgreSQL binaries not installed")
ROOT = Path(__file__).resolve().parent.parent


def release_once_a_backend_waits(pg_url: str, release: Any) -> Any:
    """A started thread that sets ``release`` once a backend of the test database waits
    for a lock (the second of two transactions meets the first one's row), or after
    ten seconds; join it at the end."""
    import threading

    def watch() -> None:
        import psycopg

        dsn = pg_url.replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(dsn, autocommit=True) as conn:
            for _ in range(400):
                if conn.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                    " AND wait_event_type = 'Lock'"
                ).fetchone()[0]:
                    break
                threading.Event().wait(0.025)
        release.set()

    watcher = threading.Thread(target=watch)
    watcher.start()
    return watcher


def test_a_whole_cycle_on_postgresql(pg_url: str, open_cycle: Callable[..., object]) -> None:
    cli = open_cycle
    opened = cli("cycle", "open", "QD238", "2024-H2", "--letter-date", "2025-01-06", "--now",
                 "2025-01-06T08:00", "--json")  # fmt: skip
    assert opened.json()["tasks"] == 7  # counted, also where the driver gives no rowcount
    assert submit(cli, "HDND", "2024-07-08T10:00")["version"] == 1
    assert submit(cli, "HDND", "2024-07-09T10:00", REPORTS / "UBND.md")["version"] == 2
    assert accept(cli, "HDND", "2024-07-15T09:00")["decision"] == "accepted"
    swept = cli("sweep", "--now", "2024-07-13T08:00", "--json").json()
    assert swept["escalations"] == 6  # every body but the one that submitted
    assert cli("sweep", "--now", "2024-07-13T08:00", "--json").json()["escalations"] == 0
    report = cli("synthesize", "QD238/2024-H1", "--now", "2024-07-22T09:00", "--json").json()
    categories = {row["body"]: row["category"] for row in report["summary"]}
    assert categories["HDND"] == "on_time" and categories["TAND"] == "missing"
    assert "Thường trực Hội đồng nhân dân tỉnh" in report["markdown"]


def test_concurrent_sweeps_on_postgresql_never_duplicate(
    pg_url: str, open_cycle: Callable[..., object]
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    argv = [sys.executable, "-c", "import sys, cli; sys.exit(cli.main(sys.argv[1:]))"]
    for moment in ("2024-07-13T08:00", "2024-07-17T08:00", "2024-07-20T08:00"):
        sweeps = [
            subprocess.Popen(
                [*argv, "sweep", "--now", moment, "--json"],
                cwd=ROOT,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(3)
        ]
        fired = []
        for process in sweeps:
            out, err = process.communicate(timeout=60)
            assert process.returncode == 0, err
            fired.append(json.loads(out)["escalations"])
        assert sum(fired) == 7, f"each task escalates once per level, got {fired} at {moment}"
    outbox = [n for n in open_cycle("outbox", "list", "--json").json() if n["escalation"]]
    assert len(outbox) == 21  # 7 tasks × 3 ladder levels, no duplicates


def test_two_digests_creating_their_watermark_at_once_both_succeed(
    pg_url: str, open_cycle: Callable[..., object]
) -> None:
    """The first digest of a fresh database creates its watermark row. Two at once (two
    sweeps on two machines) used to fail one with a duplicate key; the second now waits
    for the first, finds the watermark moved, and writes nothing."""
    import threading
    from datetime import UTC, datetime

    from models import EventCursor
    from services import db, notices

    now = datetime(2024, 7, 9, 3, 0, tzinfo=UTC)
    submit(open_cycle, "HDND", "2024-07-08T10:00")
    created = threading.Event()
    release = threading.Event()
    first: list[int] = []

    def hold_the_row() -> None:
        with db.transaction() as session:  # the first digest's row, not committed yet
            session.add(EventCursor(name=notices.DIGEST_CURSOR, last_audit_id=0, updated_at=now))
            session.flush()
            created.set()
            release.wait(10)
        first.append(notices.submission_digest(now=now))

    holder = threading.Thread(target=hold_the_row)
    holder.start()
    assert created.wait(10)

    watcher = release_once_a_backend_waits(pg_url, release)
    second = notices.submission_digest(now=now)  # blocks on the row, then goes on
    holder.join(10)
    watcher.join(10)
    assert sorted([second, *first]) == [0, 1]  # one digest message, from whichever ran first


def test_a_submission_committed_after_a_later_one_still_reaches_the_digest(
    pg_url: str, open_cycle: Callable[..., object]
) -> None:
    """Audit ids are drawn at insert and committed in any order. HDND's record is written
    first (the lower id) but commits after UBND's: the digest waits for it instead of
    moving its watermark past it, so the coordinator hears of both."""
    import threading
    from datetime import UTC, datetime

    from sqlalchemy import func
    from sqlmodel import select

    from models import AuditRecord, Body, EventCursor, Notification, Task
    from services import db, notices

    now = datetime(2024, 7, 9, 3, 0, tzinfo=UTC)
    notices.submission_digest(now=now)  # the watermark after the opening
    submit(open_cycle, "HDND", "2024-07-08T10:00")
    with db.reading() as session:
        hdnd = session.exec(
            select(Task.id).join(Body, Body.id == Task.body_id).where(Body.code == "HDND")
        ).one()
    written, release = threading.Event(), threading.Event()

    def slow_writer() -> None:  # HDND's version, its audit record not committed yet
        with db.transaction() as session:
            db.audit(session, at=now, actor="HDND", action="task.submitted", task_id=hdnd,
                     cycle_id=1, body="HDND", version=1)  # fmt: skip
            session.flush()
            written.set()
            release.wait(10)

    with db.transaction() as session:  # forget HDND's first record: only the slow one counts
        cursor = session.get(EventCursor, notices.DIGEST_CURSOR)
        cursor.last_audit_id = session.exec(select(func.max(AuditRecord.id))).one()
    writer = threading.Thread(target=slow_writer)
    writer.start()
    assert written.wait(10)
    submit(open_cycle, "UBND", "2024-07-09T10:00")  # a higher id, committed first

    watcher = release_once_a_backend_waits(pg_url, release)
    assert notices.submission_digest(now=now) == 1
    writer.join(10)
    watcher.join(10)
    with db.reading() as session:
        digest = session.exec(select(Notification).order_by(Notification.id.desc())).first()
    assert "Thường trực Hội đồng nhân dân tỉnh" in digest.body
    assert "Ủy ban nhân dân tỉnh" in digest.body


def test_a_double_click_on_postgresql_records_one_version(
    pg_url: str, open_cycle: Callable[..., object], monkeypatch: pytest.MonkeyPatch
) -> None:
    """HDND sends the same report twice at once. The second submission waits for the
    first one's lock on the task, then finds the version the first wrote standing and
    records nothing (``repeated``): under READ COMMITTED the task row it reads after the
    wait is the new one, while a version joined to it would be from before the wait."""
    import threading
    from datetime import UTC, datetime

    from sqlmodel import select

    from models import Body, Submission, Task
    from services import db, provision

    submit(open_cycle, "HDND", "2024-07-08T10:00")  # version 1
    with db.reading() as session:
        task_id = session.exec(
            select(Task.id).join(Body, Body.id == Task.body_id).where(Body.code == "HDND")
        ).one()
    text = (REPORTS / "UBND.md").read_text(encoding="utf-8")
    now = datetime(2024, 7, 9, 3, 0, tzinfo=UTC)
    paused, release = threading.Event(), threading.Event()
    audit_many = db.audit_many

    def last_write_held(session: Any, rows: Any) -> None:  # the first click, before commit
        if threading.current_thread().name == "first-click":
            paused.set()
            release.wait(10)
        audit_many(session, rows)

    monkeypatch.setattr(db, "audit_many", last_write_held)
    first: list[provision.Submitted] = []
    click = threading.Thread(
        target=lambda: first.append(provision.submit(text, task_id=task_id, now=now, actor="x")),
        name="first-click",
    )
    click.start()
    assert paused.wait(10)

    watcher = release_once_a_backend_waits(pg_url, release)
    second = provision.submit(text, task_id=task_id, now=now, actor="x")
    click.join(10)
    watcher.join(10)
    assert (first[0].version, first[0].repeated) == (2, False)
    assert (second.version, second.repeated) == (2, True)
    with db.reading() as session:
        stored = session.exec(select(Submission.version).where(Submission.task_id == task_id))
        assert sorted(stored.all()) == [1, 2]


def test_versions_and_an_ad_hoc_request_on_postgresql(
    pg_url: str, open_cycle: Callable[..., object], tmp_path: Path
) -> None:
    """A program update and an ad-hoc request's whole life (tests.test_requests) on
    PostgreSQL: the versions joined into every reader, the request's numbering."""
    from tests.test_program_versions import _version_2
    from tests.test_requests import DX, _open, _submit

    cli: Any = open_cycle
    updated = cli("program", "update", _version_2(tmp_path), "--now", "2024-07-05", "--json")
    assert updated.json()["version"] == 2
    assert submit(cli, "HDND", "2024-07-08T10:00")["version"] == 1  # read by version 1
    assert _open(cli, "--within", "5", "--json").json()["cycle"]["ref"] == DX
    assert _submit(cli, tmp_path, "HDND", "2024-08-05T10:00")["on_time"] is True
    swept = cli("sweep", "--now", "2024-08-09T08:00", "--json").json()
    assert {(f["body"], f["step"]) for f in swept["fired"] if f["body"] in ("UBND", "SO-TP")} >= {
        ("UBND", "level-1"), ("SO-TP", "level-1"),
    }  # fmt: skip
    accept_dx = cli("review", "accept", "--cycle", DX, "--body", "HDND", "--now",
                    "2024-08-14T09:00", "--json")  # fmt: skip
    assert accept_dx.code == 0, accept_dx.err
    closed = cli("synthesize", DX, "--now", "2024-08-16T10:00", "--json").json()
    assert "báo cáo đột xuất về tình hình tuyên truyền" in closed["markdown"]


def test_task_search_ignores_diacritics_and_case_on_postgresql(
    pg_url: str, open_cycle: Callable[..., object]
) -> None:
    """The fold is PostgreSQL's translate() there (a registered function on SQLite):
    the same words find the same bodies, on a cluster with no locale."""
    from rules.timezone import parse_moment
    from services.dashboard import tasks_page

    now = parse_moment("2024-07-10T09:00")
    searches = {"toa an": ["TAND"], "UY BAN": ["UBND"], "Sở T": ["SO-TP", "SO-TTTT"], "50%": []}
    for typed, bodies in searches.items():
        assert [r["body"] for r in tasks_page(now, text=typed).rows] == bodies, typed
