"""Schema revisions: a 0.1 database is refused, then upgraded in place row for row;
the models and the migrations never disagree; every revision starts from the one
before it with data in it, on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import MetaData, create_engine, insert, select, text

from services import schema

V01_SQL = Path(__file__).resolve().parent / "data" / "phoihop-0.1.sql"
Cli = Callable[..., Any]


def load_v01(data_dir: Path) -> Path:
    """The committed 0.1 database, restored as ``phoihop.db`` in ``data_dir``."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / "phoihop.db"
    with sqlite3.connect(path) as conn:
        conn.executescript(V01_SQL.read_text(encoding="utf-8"))
    return path


def rows_of(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in primary-key order, with its column names first."""
    with sqlite3.connect(path) as conn:
        tables = [
            name
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name"
            )
        ]
        result = {}
        for table in tables:
            cursor = conn.execute(f'SELECT * FROM "{table}" ORDER BY 1')
            columns = tuple(d[0] for d in cursor.description)
            result[table] = [columns, *cursor.fetchall()]
    return result


def test_commands_refuse_a_01_database_with_one_line_and_write_nothing(
    data_dir: Path, cli: Cli
) -> None:
    path = load_v01(data_dir)
    before = rows_of(path)
    for argv in (["sweep"], ["cycle", "list"], ["bodies", "import", "demo/data/bodies.csv"]):
        result = cli(*argv, "--now", "2025-02-01")
        assert result.code == 1
        assert result.err == (
            "phoihop: lỗi: Cơ sở dữ liệu đang ở phiên bản 0001 (do phoihop 0.1 tạo); "
            "hãy chạy `phoihop db upgrade`.\n"
        )
        assert "Traceback" not in result.err
    assert rows_of(path) == before


# The only values a migration rewrites on purpose, and how (everything else is kept as it was).
MEANT: dict[tuple[str, str], Any] = {
    # 0006: the rule gets the start it always implied (the day the program was registered).
    ("program", "schedule"): lambda rule: f"DTSTART:20240703T000000\nRRULE:{rule}",
}


def _meant(table: str, columns: tuple[str, ...], row: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(MEANT.get((table, c), lambda v: v)(v) for c, v in zip(columns, row, strict=True))


# A program's terms: 0009 copied them into its version 1, 0011 dropped the program row's copy.
TERMS = (
    "cutoff_start_day", "provide_working_days", "review_working_days",
    "synthesis_working_days", "margin_working_days", "outline", "escalation",
)  # fmt: skip
MOVED = {"program": ("programversion", "program_id", TERMS)}


def _moved(
    before: dict[str, list[tuple[Any, ...]]], after: dict[str, list[tuple[Any, ...]]], table: str
) -> None:
    """The moved columns of every ``table`` row are its version 1's, value for value."""
    target, key, names = MOVED[table]
    columns, *rows = before[table]
    moved = [c for c in columns if c in names]
    assert moved, f"{table}: no moved column in the 0.1 data"
    got_columns, *got_rows = after[target]
    versions = {
        r[got_columns.index(key)]: r for r in got_rows if r[got_columns.index("version")] == 1
    }
    assert set(versions) == {r[columns.index("id")] for r in rows}, target

    def value(column: str, v: Any) -> Any:
        return json.loads(v) if column in ("outline", "escalation") else v

    for row in rows:
        kept = versions[row[columns.index("id")]]
        assert [value(c, kept[got_columns.index(c)]) for c in moved] == [
            value(c, row[columns.index(c)]) for c in moved
        ], f"{table} {row[0]}"


def assert_kept_row_for_row(
    before: dict[str, list[tuple[Any, ...]]], after: dict[str, list[tuple[Any, ...]]]
) -> None:
    """Every row of ``before`` (a 0.1 database) is in ``after`` (it upgraded), each value
    as it was, rewritten as :data:`MEANT` says or in the table :data:`MOVED` says."""
    for table, (columns, *rows) in before.items():
        kept = after[table][0]
        gone = set(MOVED[table][2]) if table in MOVED else set()
        assert set(columns) - gone <= set(kept), f"{table} lost a column"
        assert not gone & set(kept), f"{table} still has its moved columns"
        stays = tuple(c for c in columns if c not in gone)
        index = [kept.index(c) for c in stays]
        expected = [
            _meant(table, stays, tuple(v for c, v in zip(columns, row, strict=True) if c in stays))
            for row in rows
        ]
        assert [tuple(r[i] for i in index) for r in after[table][1:]] == expected, table
        if gone:
            _moved(before, after, table)


def test_db_upgrade_keeps_every_row_of_a_01_database(data_dir: Path, cli: Cli) -> None:
    path = load_v01(data_dir)
    before = rows_of(path)
    assert sum(len(rows) - 1 for rows in before.values()) > 150
    assert all(len(rows) > 1 for rows in before.values()), "every 0.1 table holds data"

    status = cli("db", "status", "--json").json()
    assert status["current_revision"] == "0001"
    assert status["version_table"] is False
    assert status["up_to_date"] is False
    assert status["pending_revisions"] == list(schema.revisions()[1:])

    upgraded = cli("db", "upgrade", "--json")
    assert upgraded.code == 0, upgraded.err
    assert upgraded.json()["to_revision"] == schema.head()

    assert_kept_row_for_row(before, rows_of(path))
    assert cli("db", "status", "--json").json()["up_to_date"] is True
    # …and the database works: the 0.1 cycles are there, the accounts can still be listed.
    cycles = cli("cycle", "list", "--json").json()
    assert [c["ref"] for c in cycles] == ["QD238/2024-H2", "QD238/2024-H1"]
    assert cli("users", "list", "--json").code == 0


def test_db_upgrade_and_init_are_idempotent(data_dir: Path, cli: Cli) -> None:
    created = cli("init", "--json")
    assert created.code == 0, created.err
    assert created.json()["from_revision"] is None
    assert created.json()["to_revision"] == schema.head()
    again = cli("db", "upgrade")
    assert again.code == 0
    assert f"Cơ sở dữ liệu đã sẵn sàng, phiên bản {schema.head()}" in again.out
    status = cli("db", "status", "--json").json()
    assert status | {"database": None, "data_dir": None} == {
        "database": None,
        "data_dir": None,
        "current_revision": schema.head(),
        "head_revision": schema.head(),
        "up_to_date": True,
        "pending_revisions": [],
        "version_table": True,
    }


def test_init_upgrades_a_01_database(data_dir: Path, cli: Cli) -> None:
    load_v01(data_dir)
    result = cli("init")
    assert result.code == 0, result.err
    assert f"Đã nâng cấp cơ sở dữ liệu từ phiên bản 0001 lên {schema.head()}" in result.out


def test_a_database_from_a_newer_phoihop_is_refused(data_dir: Path, cli: Cli) -> None:
    assert cli("init").code == 0
    with sqlite3.connect(data_dir / "phoihop.db") as conn:
        conn.execute(f"UPDATE {schema.VERSION_TABLE} SET version_num = '0999'")
    for argv in (["cycle", "list"], ["db", "upgrade"]):
        result = cli(*argv)
        assert result.code == 1
        assert "phiên bản 0999, phiên bản phoihop này không biết" in result.err
        assert result.err.count("\n") == 1


def test_revision_files_form_one_line_of_history() -> None:
    """The file-name convention the fast check relies on matches Alembic's own graph."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(schema.alembic_config())
    assert script.get_heads() == [schema.head()]
    walked = [rev.revision for rev in script.walk_revisions("base", "heads")]
    assert list(reversed(walked)) == list(schema.revisions())
    for rev in script.walk_revisions():
        assert "models." not in Path(rev.path).read_text(encoding="utf-8"), rev.path


def _differences(url: str) -> list[Any]:
    """What autogenerate would write after migrating ``url`` from nothing to head."""
    from alembic import command
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext
    from sqlmodel import SQLModel

    import models  # noqa: F401

    engine = create_engine(url)
    with engine.begin() as conn:
        command.upgrade(schema.alembic_config(conn), "head")
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn,
            opts={
                "version_table": schema.VERSION_TABLE,
                "compare_type": True,
                "include_object": lambda obj, name, type_, *_: (
                    type_ != "table" or name in SQLModel.metadata.tables
                ),
            },
        )
        diff = compare_metadata(context, SQLModel.metadata)
    engine.dispose()
    return diff


def test_models_and_migrations_agree_on_sqlite(tmp_path: Path) -> None:
    assert _differences(f"sqlite:///{tmp_path / 'm.db'}") == []


def test_models_and_migrations_agree_on_postgresql(pg_url: str) -> None:
    assert _differences(pg_url) == []


def _copy_v01_rows(source: Path, target_url: str) -> dict[str, int]:
    """Every row of the 0.1 database into ``target_url`` (already at revision 0001)."""
    src = create_engine(f"sqlite:///{source}")
    dst = create_engine(target_url)
    meta = MetaData()
    meta.reflect(src)
    counts = {}
    with src.connect() as read, dst.begin() as write:
        target = MetaData()
        target.reflect(write)
        for table in meta.sorted_tables:
            rows = [dict(r._mapping) for r in read.execute(select(table))]
            counts[table.name] = len(rows)
            if rows:
                write.execute(insert(target.tables[table.name]), rows)
        if dst.dialect.name == "postgresql":  # ids were given: move the sequences past them
            for table in meta.sorted_tables:
                if "id" in table.c:
                    write.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "
                            f'COALESCE((SELECT MAX(id) FROM "{table.name}"), 1))'
                        )
                    )
    src.dispose()
    dst.dispose()
    return counts


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_each_revision_upgrades_the_one_before_it_with_data(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """0.1's data at revision 0001, then one revision at a time to head, rows counted;
    the programs' terms read at head are the ones their rows held before 0011, and a
    downgrade below 0011 gives the rows those values back."""
    from alembic import command
    from sqlmodel import Session

    from services import versions

    v01 = load_v01(tmp_path / "v01")
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'walk.db'}"
    else:
        url = request.getfixturevalue("pg_url")
    engine = create_engine(url)
    with engine.begin() as conn:
        command.upgrade(schema.alembic_config(conn), schema.BASELINE)
    counts = _copy_v01_rows(v01, url)
    held: dict[int, tuple[Any, ...]] = {}
    for revision in schema.revisions()[1:]:
        if revision == "0011":
            with engine.connect() as conn:
                held = _row_terms(conn)
        with engine.begin() as conn:
            command.upgrade(schema.alembic_config(conn), revision)
        with engine.connect() as conn:
            assert schema.read_state(conn).current == revision
            for table, n in counts.items():
                got = conn.execute(text(f'SELECT COUNT(*) FROM "{table}"')).scalar_one()
                assert got == n, f"{table} after {revision}"
    assert len(held) == counts["program"] > 0
    with Session(engine) as session:  # at head: the terms as every reader gets them
        current = versions.latest_of(session)
    assert {p: tuple(getattr(v, t) for t in TERMS) for p, v in current.items()} == held
    [terms] = current.values()  # 0.1's program: its outline and ladder as they were
    assert [s["code"] for s in terms.outline] == ["I", "II", "III"]
    assert [r["after_working_days"] for r in terms.escalation["ladder"]] == [0, 2, 5]
    with engine.begin() as conn:
        command.downgrade(schema.alembic_config(conn), "0010")
    with engine.connect() as conn:
        assert _row_terms(conn) == held
    engine.dispose()


def _row_terms(conn: Any) -> dict[int, tuple[Any, ...]]:
    """Each program row's own copy of its terms (before 0011), by program id."""
    from sqlalchemy import JSON, Integer, column, table

    program = table(
        "program", column("id"),
        *(column(t, JSON if t in ("outline", "escalation") else Integer) for t in TERMS),
    )  # fmt: skip
    return {row[0]: tuple(row[1:]) for row in conn.execute(select(*program.c))}


def test_0003_gives_old_tasks_their_ladder_state(data_dir: Path, cli: Cli) -> None:
    """0.1's second cycle had levels 1 and 2 fired for six bodies (due 15/01/2025); after
    the upgrade the sweep knows they are used up and fires level 3 when it is due, once."""
    load_v01(data_dir)
    assert cli("db", "upgrade").code == 0
    early = cli("sweep", "--now", "2025-01-21T08:00", "--json").json()
    assert (early["examined"], early["escalations"], early["reminders"]) == (6, 0, 0)
    assert cli("sweep", "--now", "2025-01-22T08:00", "--json").json()["examined"] == 0
    due = cli("sweep", "--now", "2025-01-23T08:00", "--json").json()
    assert {(f["step"], tuple(f["skipped"])) for f in due["fired"]} == {("level-3", ())}
    assert due["escalations"] == 6
    tasks = cli("tasks", "list", "--cycle", "QD238/2024-H2", "--json").json()["items"]
    assert sorted(t["escalation_level"] for t in tasks) == [0] + [3] * 6  # HDND had sent
    closed = cli("tasks", "list", "--cycle", "QD238/2024-H1", "--overdue", "--json").json()
    assert (closed["items"], closed["total"]) == ([], 0)  # the synthesized 0.1 cycle stays out


def test_0006_gives_a_01_schedule_its_start(data_dir: Path, cli: Cli) -> None:
    load_v01(data_dir)
    assert cli("db", "upgrade").code == 0
    [program] = cli("program", "list", "--json").json()
    assert program["schedule"] == (
        "DTSTART:20240703T000000\n"
        "RRULE:FREQ=YEARLY;BYMONTH=1,7;BYMONTHDAY=3;BYHOUR=8;BYMINUTE=0;BYSECOND=0"
    )  # the program was registered on 03/07/2024 (local time)


def test_0009_keeps_old_cycles_on_the_terms_they_were_opened_with(
    data_dir: Path, cli: Cli, tmp_path: Path
) -> None:
    """0.1's two cycles get their program's version 1; an update after the upgrade makes
    version 2 and neither old cycle's outline or ladder moves."""
    import yaml

    from tests.steps import SEED_PROGRAM

    load_v01(data_dir)
    assert cli("db", "upgrade").code == 0
    shown = cli("program", "show", "QD238", "--json").json()
    [v1] = shown["versions"]
    assert (v1["version"], v1["cycles"], v1["valid_from"]) == (1, 2, "2024-07-03")
    old = cli("cycle", "show", "QD238/2024-H2", "--json").json()["cycle"]
    assert (old["program_version"], old["outline"]) == (1, v1["outline"])

    data = yaml.safe_load(SEED_PROGRAM.read_text(encoding="utf-8"))
    data["outline"] = [*v1["outline"], {"code": "IV", "title": "Chuyển đổi số"}]
    data["escalation"] = {"ladder": [{"after_working_days": 9, "notify": ["head"]}]}
    data.pop("forms")
    path = tmp_path / "qd238.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    updated = cli("program", "update", path, "--now", "2025-01-10", "--json")
    assert updated.code == 0, updated.err
    assert updated.json()["version"] == 2
    again = cli("cycle", "show", "QD238/2024-H2", "--json").json()["cycle"]
    assert (again["program_version"], again["outline"]) == (1, v1["outline"])
    # Its ladder is still version 1's: level 3 on 23/01/2025, as 0.1 planned it.
    due = cli("sweep", "--now", "2025-01-23T08:00", "--json").json()
    assert {f["step"] for f in due["fired"]} == {"level-3"}


def test_0010_lets_an_upgraded_database_record_mergers(data_dir: Path, cli: Cli) -> None:
    """A 0.1 database upgraded to 0010 takes a merger: SO-TTTT's waiting task in the open
    0.1 cycle closes as handed over to SO-TP's, which carries on; a second run adds nothing."""
    load_v01(data_dir)
    assert cli("db", "upgrade").code == 0
    argv = ("bodies", "merge", "SO-TTTT", "--into", "SO-TP", "--on", "2025-01-20",
            "--now", "2025-01-20T09:00", "--json")  # fmt: skip
    merged = cli(*argv)
    assert merged.code == 0, merged.err
    [handed] = merged.json()["handed_over"]
    assert (handed["period"], handed["from"], handed["to"], handed["moved"]) == (
        "2024-H2", "SO-TTTT", "SO-TP", False)  # fmt: skip
    again = cli(*argv).json()
    assert (again["recorded"], again["handed_over"]) == ([], [])
    tasks = cli("tasks", "list", "--cycle", "QD238/2024-H2", "--json").json()["items"]
    assert {t["body"]: t["status"] for t in tasks}["SO-TTTT"] == "handed_over"


def test_0012_gives_each_old_cycle_its_task_count_and_the_dashboard_adds_up(
    data_dir: Path, cli: Cli
) -> None:
    """A 0.1 database upgraded: each cycle's ``task_count`` is the number of its tasks,
    so the dashboard's progress of the open cycle (one submitted, six overdue) still
    adds up to its seven tasks, and a report sent afterwards moves one task out of the
    overdue bucket into a done one."""
    path = load_v01(data_dir)
    assert cli("db", "upgrade").code == 0
    with sqlite3.connect(path) as conn:
        stored = dict(conn.execute("SELECT id, task_count FROM cycle"))
        counted = dict(conn.execute("SELECT cycle_id, COUNT(*) FROM task GROUP BY cycle_id"))
    assert stored == counted == {1: 7, 2: 7}

    def progress() -> tuple[int, ...]:
        [cycle] = cli("dashboard", "--json", "--now", "2025-01-20T09:00").json()["cycles"]["items"]
        return tuple(cycle[k] for k in ("done_on_time", "done_late", "pending", "overdue", "total"))

    assert progress() == (1, 0, 0, 6, 7)
    report = data_dir / "bao-cao.md"
    report.write_text("I. Kết quả\nĐã triển khai.\nII. Nhiệm vụ\nTiếp tục.\n", encoding="utf-8")
    sent = cli("submit", str(report), "--cycle", "QD238/2024-H2", "--body", "SO-TP",
               "--now", "2025-01-20T09:00")  # fmt: skip
    assert sent.code == 0, sent.err
    assert progress() == (1, 1, 0, 5, 7)


def test_0011_reads_the_terms_from_the_newest_version_and_a_downgrade_puts_them_back(
    data_dir: Path, cli: Cli, tmp_path: Path
) -> None:
    """After the upgrade ``program list`` and ``program show`` give the terms 0.1's
    program row held; after an update they give version 2's, and going back to 0010
    fills the row's columns from version 2 (the newest), not version 1."""
    import yaml
    from alembic import command

    from tests.steps import SEED_PROGRAM

    path = load_v01(data_dir)
    with sqlite3.connect(path) as conn:
        conn.row_factory = sqlite3.Row
        row = dict(conn.execute("SELECT * FROM program WHERE code = 'QD238'").fetchone())
    assert cli("db", "upgrade").code == 0
    [listed] = cli("program", "list", "--json").json()
    assert (listed["version"], listed["outline"], listed["escalation"]) == (
        1, json.loads(row["outline"]), json.loads(row["escalation"]),
    )  # fmt: skip
    assert listed["working_days"] == {
        "provide": row["provide_working_days"], "review": row["review_working_days"],
        "synthesis": row["synthesis_working_days"], "margin": 1,
    }  # fmt: skip
    shown = cli("program", "show", "QD238", "--json").json()
    assert {key: shown[key] for key in listed} == listed

    data = yaml.safe_load(SEED_PROGRAM.read_text(encoding="utf-8"))
    data["outline"] = [*listed["outline"], {"code": "IV", "title": "Chuyển đổi số"}]
    data["escalation"] = {"ladder": [{"after_working_days": 9, "notify": ["head"]}]}
    data["working_days"] = {"provide": 12, "review": 4, "synthesis": 3, "margin": 2}
    data["cutoff_start_day"] = 20
    data.pop("forms")
    update = tmp_path / "qd238.yaml"
    update.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert cli("program", "update", update, "--now", "2025-01-10", "--json").json()["version"] == 2
    [now] = cli("program", "list", "--json").json()
    assert now["version"] == 2
    assert [s["code"] for s in now["outline"]] == ["I", "II", "III", "IV"]
    assert [r["after_working_days"] for r in now["escalation"]["ladder"]] == [9]
    assert now["working_days"] == {"provide": 12, "review": 4, "synthesis": 3, "margin": 2}

    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        command.downgrade(schema.alembic_config(conn), "0010")
    engine.dispose()
    with sqlite3.connect(path) as conn:
        conn.row_factory = sqlite3.Row
        back = dict(conn.execute("SELECT * FROM program WHERE code = 'QD238'").fetchone())
    assert {name: back[name] for name in TERMS[:5]} == {
        "cutoff_start_day": 20, "provide_working_days": 12, "review_working_days": 4,
        "synthesis_working_days": 3, "margin_working_days": 2,
    }  # fmt: skip
    assert (json.loads(back["outline"]), json.loads(back["escalation"])) == (
        now["outline"], now["escalation"],
    )  # fmt: skip
    assert cli("db", "upgrade").code == 0  # and up again: the same terms, from version 2
    assert cli("program", "list", "--json").json() == [now]


def test_0011_gives_a_program_with_no_version_its_version_1_from_its_row(
    data_dir: Path, cli: Cli
) -> None:
    """A program row that has no version (none should: 0009 and every add make one)
    does not lose its terms: 0011 makes its version 1 from the row, as 0009 did."""
    from alembic import command

    path = load_v01(data_dir)
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        command.stamp(schema.alembic_config(conn), schema.BASELINE)  # 0.1 kept no version
        command.upgrade(schema.alembic_config(conn), "0010")
    outline = [{"code": "I", "title": "Kết quả thực hiện", "required": True}]
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO program (code, title, coordinator_id, period_kind, cutoff_start_day,"
                " provide_working_days, review_working_days, synthesis_working_days,"
                " margin_working_days, outline, escalation, created_at)"
                " SELECT 'QD99', 'Chương trình chưa có phiên bản', coordinator_id, 'half', 10,"
                " 9, 4, 3, 2, :outline, escalation, '2024-07-03 01:00:00.000000'"
                " FROM program WHERE code = 'QD238'"
            ),
            {"outline": json.dumps(outline, ensure_ascii=False)},
        )
        conn.execute(
            text(
                "INSERT INTO programbody (program_id, body_id, position)"
                " SELECT (SELECT id FROM program WHERE code = 'QD99'), body_id, position"
                " FROM programbody"
                " WHERE program_id = (SELECT id FROM program WHERE code = 'QD238')"
            )
        )
    engine.dispose()
    assert cli("db", "upgrade").code == 0
    listed = {p["code"]: p for p in cli("program", "list", "--json").json()}
    assert (listed["QD99"]["version"], listed["QD99"]["outline"]) == (1, outline)
    assert listed["QD99"]["working_days"] == {"provide": 9, "review": 4, "synthesis": 3,
                                              "margin": 2}  # fmt: skip
    assert listed["QD99"]["escalation"] == listed["QD238"]["escalation"]
    [v1] = cli("program", "show", "QD99", "--json").json()["versions"]
    assert (v1["version"], v1["valid_from"], v1["cutoff_start_day"]) == (1, "2024-07-03", 10)
