"""``phoihop backup`` and ``restore``: a snapshot taken while the WAL holds committed writes
restores every row; foreign, truncated and existing files are refused in one line; an older
backup comes back upgraded; PostgreSQL goes through pg_dump and pg_restore."""

from __future__ import annotations

import itertools
import os
import random
import shutil
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, inspect, text

from services import schema
from services.relay import relay
from tests import pg
from tests.steps import CYCLE, REPORTS, SEED_PROGRAM, ok, submit
from tests.test_forms_in import filled
from tests.test_migrations import assert_kept_row_for_row, load_v01, rows_of

Cli = Callable[..., Any]
Rows = dict[str, list[tuple[Any, ...]]]


def _one_line_error(result: Any, *fragments: str) -> None:
    """A refusal run with --lang en: the service's own words are what is checked."""
    assert result.code == 1, result.out
    assert result.err.startswith("phoihop: error: "), result.err
    assert result.err.count("\n") == 1, result.err
    assert "Traceback" not in result.err
    for fragment in fragments:
        assert fragment in result.err, result.err


def _count(path: Path, table: str) -> int:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]


def _accounts(monkeypatch: pytest.MonkeyPatch) -> None:
    """An account, a token, a web session and a failed login: the web face's tables."""
    from sqlmodel import select

    from models import LoginThrottle, User, WebSession
    from services import accounts, clock, db

    monkeypatch.setattr(accounts, "SCRYPT_N", 2**10)  # test-cheap; the hash records its cost
    now = clock.now()
    accounts.create_user(
        "khoa",
        body="BTGTU",
        role="coordinator",
        password="mat-khau-123",
        display_name="Lê Minh Khoa",
        now=now,
        actor="test",
    )
    accounts.issue_token("khoa", name="script", now=now, actor="test")
    with db.transaction() as session:  # what a login and a wrong password leave behind
        user = session.exec(select(User).where(User.username == "khoa")).one()
        assert user.id is not None
        session.add(WebSession(user_id=user.id, token_hash="5e" * 32, created_at=now))
        session.add(LoginThrottle(username="khoa", failures=[now.isoformat()], updated_at=now))
        db.audit(session, at=now, actor="khoa", action="user.login")


def _busy_half_year(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The request letter, signers, submissions (one with an attachment and a data form),
    a review each way, an extension, a sweep, a merger, the synthesis, a program's second
    version, an ad-hoc request, and the web face's accounts: a row in every table."""
    attachment = REPORTS.parent / "bodies.csv"
    ok(cli("signers", "import", REPORTS.parent / "signers.csv", "--json"))  # dated signers
    letter = tmp_path / "310-CV-BTGTU.pdf"  # the request letter, attached to the opening notices
    letter.write_bytes(b"%PDF-1.4 request")
    ok(cli("letters", "request", CYCLE, letter, "--now", "2024-07-03T09:00", "--json"))
    ok(
        cli(
            "submit", REPORTS / "HDND.md", "--cycle", CYCLE, "--body", "HDND",
            "--attach", attachment, "--form", filled(cli, tmp_path, "HDND"),
            "--now", "2024-07-08T10:00", "--json",
        )
    )  # fmt: skip
    submit(cli, "UBND", "2024-07-09T10:00")
    ok(cli("review", "accept", "--cycle", CYCLE, "--body", "HDND", "--now", "2024-07-10", "--json"))
    ok(
        cli(
            "review", "return", "--cycle", CYCLE, "--body", "UBND", "--comment",
            "Bổ sung số liệu", "--due", "2024-07-19", "--now", "2024-07-10T09:00", "--json",
        )
    )  # fmt: skip
    ok(
        cli(
            "extend", "--cycle", CYCLE, "--body", "SO-TP", "--due", "2024-07-17",
            "--reason", "Chờ số liệu", "--now", "2024-07-11T09:00", "--json",
        )
    )  # fmt: skip
    assert ok(cli("sweep", "--now", "2024-07-13T08:00", "--json"))["escalations"] == 4
    merged = ok(
        cli(
            "bodies", "merge", "SO-VHTTDL", "--into", "SO-TP", "--on", "2024-07-15",
            "--now", "2024-07-15T09:00", "--json",
        )
    )  # fmt: skip
    assert len(merged["handed_over"]) == 1  # a merger: SO-VHTTDL's task handed over
    ok(cli("synthesize", CYCLE, "--now", "2024-07-22T09:00", "--json"))
    # QD238's version 2 (programversion), and an ad-hoc request under its own version.
    updated = tmp_path / "qd238-v2.yaml"
    updated.write_text(
        SEED_PROGRAM.read_text(encoding="utf-8").replace("provide: 7", "provide: 10"),
        encoding="utf-8",
    )
    assert ok(cli("program", "update", updated, "--now", "2024-07-23", "--json"))["version"] == 2
    ok(
        cli("request", "open", "--coordinator", "BTGTU", "--subject", "Phòng, chống bão số 3",
            "--letter-no", "123-CV/BTGTU", "--within", "5", "--bodies", "HDND,UBND",
            "--now", "2024-08-01T09:00", "--json")
    )  # fmt: skip
    _accounts(monkeypatch)
    relay(lambda events: None)  # the event relay's watermark: Prefect took everything


def test_a_backup_taken_while_the_wal_is_pinned_restores_every_row(
    data_dir: Path, tmp_path: Path, open_cycle: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli = open_cycle
    live = data_dir / "phoihop.db"
    wal = live.with_name("phoihop.db-wal")
    pin = sqlite3.connect(live, isolation_level=None)
    # The open cycle goes into the main file; then a reader pins the WAL, as a long
    # request of `serve` would, and everything committed after it stays in the WAL.
    assert pin.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0] == 0
    pin.execute("BEGIN")
    pin.execute("SELECT COUNT(*) FROM auditrecord").fetchone()
    _busy_half_year(cli, tmp_path, monkeypatch)
    assert wal.stat().st_size > 0
    plain_copy = tmp_path / "plain-copy.db"
    shutil.copyfile(live, plain_copy)  # what an operator's `cp` would keep
    assert _count(plain_copy, "escalation") == 0 < _count(live, "escalation")

    taken = cli("backup", tmp_path / "nightly.phoihop", "--json")
    assert taken.code == 0, taken.err
    assert wal.stat().st_size > 0, "the WAL was still holding the writes when the backup ran"
    expected = rows_of(live)  # a fresh connection: main file and WAL together
    pin.rollback()
    pin.close()
    info = taken.json()
    assert info["revision"] == schema.head()
    assert info["source_dialect"] == "sqlite"
    assert info["size_bytes"] == (tmp_path / "nightly.phoihop").stat().st_size

    empty = tmp_path / "new-machine"
    monkeypatch.setenv("PHOIHOP_DATA_DIR", str(empty))
    restored = cli("restore", tmp_path / "nightly.phoihop")
    assert restored.code == 0, restored.err
    assert restored.out.startswith("Đã khôi phục ") and restored.out.count("\n") == 1
    assert sorted(p.name for p in empty.iterdir()) == ["phoihop.db"], "no -wal, no -shm"
    got = rows_of(empty / "phoihop.db")
    assert set(got) == set(expected)
    for table in expected:
        assert got[table] == expected[table], table
    compared = {table: len(rows) - 1 for table, rows in expected.items()}
    assert compared["auditrecord"] > _count(plain_copy, "auditrecord")
    assert [table for table, n in compared.items() if not n] == [], "every table holds rows"
    print(f"backup restored: {len(compared)} tables, {sum(compared.values())} rows identical")
    print(f"compared {len(compared)} tables, {sum(compared.values())} rows: {compared}")
    # …and the restored database is a working one.
    assert cli("cycle", "show", CYCLE, "--json").code == 0


def test_restore_refuses_a_database_that_holds_data_unless_forced(
    data_dir: Path, tmp_path: Path, demo_org: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli = demo_org
    backup = tmp_path / "before-cycle.phoihop"
    assert cli("backup", backup).code == 0
    from tests.steps import OPEN_CYCLE_STEP

    ok(cli(*OPEN_CYCLE_STEP, "--json"))
    live = data_dir / "phoihop.db"
    before = rows_of(live)

    refused = cli("restore", backup, "--lang", "en")
    _one_line_error(refused, "is not empty", "--force")
    assert rows_of(live) == before

    forced = cli("restore", backup, "--force", "--json")
    assert forced.code == 0, forced.err
    assert forced.json()["replaced_data"] is True
    assert cli("cycle", "list", "--json").json() == [], "the backup had no cycle"
    assert _count(live, "body") == len(before["body"]) - 1

    # A database that was only created (tables, no rows) loses nothing: no --force needed.
    monkeypatch.setenv("PHOIHOP_DATA_DIR", str(tmp_path / "initialised"))
    assert cli("init").code == 0
    assert cli("restore", backup).code == 0
    assert _count(tmp_path / "initialised" / "phoihop.db", "body") == len(before["body"]) - 1


def test_restore_refuses_a_database_another_process_has_open(
    data_dir: Path, tmp_path: Path, demo_org: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    from services import backup

    cli = demo_org
    assert cli("backup", tmp_path / "b.phoihop").code == 0
    monkeypatch.setattr(backup, "BUSY_SECONDS", 0)  # refuse at once instead of after 5 s
    live = data_dir / "phoihop.db"
    before = rows_of(live)
    with closing(sqlite3.connect(live, isolation_level=None)) as serving:  # `serve`, say
        serving.execute("SELECT COUNT(*) FROM body").fetchone()
        _one_line_error(
            cli("restore", tmp_path / "b.phoihop", "--force", "--lang", "en"), "in use", "serve"
        )
    assert rows_of(live) == before


def _foreign_sqlite(path: Path, _data_dir: Path) -> None:
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute("CREATE TABLE song (title TEXT)")
        conn.execute("INSERT INTO song VALUES ('Bèo dạt mây trôi')")


def _truncated_backup(path: Path, _data_dir: Path) -> None:
    whole = path.with_name("good.phoihop").read_bytes()  # the test's own, good backup
    path.write_bytes(whole[: len(whole) // 2])


NOT_BACKUPS: dict[str, tuple[Callable[[Path, Path], None], str]] = {
    "random bytes": (
        lambda path, _: path.write_bytes(random.Random(7).randbytes(8192)),
        "not a phoihop backup (neither an SQLite file nor a pg_dump archive)",
    ),
    "empty file": (lambda path, _: path.write_bytes(b""), "not a phoihop backup"),
    "SQLite file of something else": (
        _foreign_sqlite,
        "is an SQLite database but not a phoihop backup",
    ),
    "plain copy of phoihop.db": (
        lambda path, data_dir: shutil.copyfile(data_dir / "phoihop.db", path),
        "is an SQLite database but not a phoihop backup",
    ),
    "truncated backup": (_truncated_backup, "is damaged or truncated"),
}


@pytest.mark.parametrize("kind", NOT_BACKUPS)
def test_restore_refuses_a_file_that_is_not_a_phoihop_backup(
    kind: str, data_dir: Path, tmp_path: Path, open_cycle: Cli
) -> None:
    cli = open_cycle
    assert cli("backup", tmp_path / "good.phoihop").code == 0
    make, message = NOT_BACKUPS[kind]
    bad = tmp_path / "suspect.bin"
    make(bad, data_dir)
    before = rows_of(data_dir / "phoihop.db")
    result = cli("restore", bad, "--force", "--lang", "en")  # refused before --force could matter
    _one_line_error(result, str(bad), message)
    assert rows_of(data_dir / "phoihop.db") == before


def test_restore_of_a_missing_file_is_one_line(tmp_path: Path, cli: Cli) -> None:
    _one_line_error(cli("restore", tmp_path / "nowhere.phoihop", "--lang", "en"), "no such file")


def test_an_older_backup_is_restored_and_upgraded_keeping_every_row(
    data_dir: Path, tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = rows_of(load_v01(data_dir))
    taken = cli("backup", tmp_path / "v01.phoihop", "--json")
    assert taken.code == 0, taken.err
    assert taken.json()["revision"] == schema.BASELINE

    target = tmp_path / "upgraded"
    monkeypatch.setenv("PHOIHOP_DATA_DIR", str(target))
    restored = cli("restore", tmp_path / "v01.phoihop", "--json")
    assert restored.code == 0, restored.err
    answer = restored.json()
    assert (answer["from_revision"], answer["to_revision"]) == (schema.BASELINE, schema.head())
    assert answer["upgraded"] is True
    assert cli("db", "status", "--json").json()["up_to_date"] is True

    after = rows_of(target / "phoihop.db")
    assert "phoihop_backup" not in after, "the marker stays in the backup file"
    assert_kept_row_for_row(before, after)
    assert [c["ref"] for c in cli("cycle", "list", "--json").json()] == [
        "QD238/2024-H2",
        "QD238/2024-H1",
    ]


def test_backup_refuses_to_overwrite_a_file_unless_forced(tmp_path: Path, demo_org: Cli) -> None:
    cli = demo_org
    target = tmp_path / "backups" / "phoihop.backup"
    target.parent.mkdir()
    target.write_text("yesterday's backup\n")
    refused = cli("backup", target, "--lang", "en")
    _one_line_error(refused, "already exists", "--force")
    assert target.read_text() == "yesterday's backup\n"
    assert [p.name for p in target.parent.iterdir()] == ["phoihop.backup"], "no partial file"

    forced = cli("backup", target, "--force")
    assert forced.code == 0, forced.err
    assert forced.out.startswith(f"Đã ghi bản sao lưu: {target} (")
    assert f"phiên bản {schema.head()}" in forced.out and forced.out.count("\n") == 1
    assert [p.name for p in target.parent.iterdir()] == ["phoihop.backup"]
    assert target.stat().st_mode & 0o077 == 0, "a backup holds password hashes: private"


def test_backup_of_no_database_is_refused(data_dir: Path, tmp_path: Path, cli: Cli) -> None:
    _one_line_error(cli("backup", tmp_path / "b.phoihop", "--lang", "en"), "nothing to back up")
    assert not (tmp_path / "b.phoihop").exists()
    assert not (data_dir / "phoihop.db").exists(), "backup does not create a database"


def test_missing_pg_dump_and_pg_restore_are_one_line(
    tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    bare = tmp_path / "bin"
    bare.mkdir()
    monkeypatch.setenv("PATH", str(bare))
    monkeypatch.setenv("PHOIHOP_DATABASE_URL", "postgresql+psycopg://phoihop@127.0.0.1:9/none")
    _one_line_error(cli("backup", tmp_path / "pg.dump", "--lang", "en"), "pg_dump is not on PATH")
    assert not (tmp_path / "pg.dump").exists()
    (tmp_path / "pg.dump").write_bytes(b"PGDMP")
    _one_line_error(
        cli("restore", tmp_path / "pg.dump", "--lang", "en"), "pg_restore is not on PATH"
    )


# --- PostgreSQL ---------------------------------------------------------------------------

_targets = itertools.count()


def _pg_rows(url: str) -> Rows:
    """Every row of every table, ordered by the first column, with its column names first."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            result = {}
            for table in sorted(inspect(conn).get_table_names()):
                cursor = conn.execute(text(f'SELECT * FROM "{table}" ORDER BY 1'))
                result[table] = [tuple(cursor.keys()), *map(tuple, cursor.all())]
    finally:
        engine.dispose()
    return result


@pytest.mark.skipif(shutil.which("pg_dump") is None, reason="pg_dump not installed")
def test_postgresql_round_trip_through_pg_dump_and_pg_restore(
    pg_url: str, pg_cluster: str, tmp_path: Path, open_cycle: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli = open_cycle
    assert ok(cli("sweep", "--now", "2024-07-13T08:00", "--json"))["escalations"] == 7
    expected = _pg_rows(pg_url)
    dump = tmp_path / "phoihop.pgdump"
    taken = cli("backup", dump, "--json")
    assert taken.code == 0, taken.err
    assert taken.json()["format"] == "pg_dump-custom"
    assert taken.json()["revision"] == schema.head()
    assert dump.read_bytes().startswith(b"PGDMP")

    target = pg.create_database(pg_cluster, f"phoihop_restore_{os.getpid()}_{next(_targets)}")
    monkeypatch.setenv("PHOIHOP_DATABASE_URL", target)
    restored = cli("restore", dump)
    assert restored.code == 0, restored.err
    got = _pg_rows(target)
    assert set(got) == set(expected)
    for table in expected:
        assert got[table] == expected[table], table

    _one_line_error(cli("restore", dump, "--lang", "en"), "is not empty", "--force")
    assert cli("restore", dump, "--force").code == 0
    assert _pg_rows(target) == expected
    # The sequences came along: new rows get new ids instead of colliding.
    later = ok(cli("sweep", "--now", "2024-07-17T08:00", "--json"))
    assert later["escalations"] == 7


@pytest.mark.skipif(shutil.which("pg_dump") is None, reason="pg_dump not installed")
def test_a_sqlite_backup_is_not_restored_into_postgresql(
    pg_url: str, tmp_path: Path, data_dir: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PHOIHOP_DATABASE_URL")
    load_v01(data_dir)
    assert cli("backup", tmp_path / "lite.phoihop").code == 0
    monkeypatch.setenv("PHOIHOP_DATABASE_URL", pg_url)
    _one_line_error(
        cli("restore", tmp_path / "lite.phoihop", "--lang", "en"),
        "backup of an SQLite database",
        "PostgreSQL",
    )
    assert _pg_rows(pg_url) == {}
