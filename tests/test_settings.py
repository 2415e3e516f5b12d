"""One validated settings object: a bad value is one line naming the variable, and
nothing is written; unexpected failures are one line plus a log file."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.steps import CYCLE

Cli = Callable[..., Any]
ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("variable", "value", "line"),
    [
        (
            "PHOIHOP_SMTP_PORT",
            "abc",
            "PHOIHOP_SMTP_PORT='abc' is not valid: expected a port number from 1 to 65535",
        ),
        (
            "PHOIHOP_SMTP_STARTTLS",
            "maybe",
            "PHOIHOP_SMTP_STARTTLS='maybe' is not valid: expected 1 or 0 (true or false)",
        ),
        (
            "PHOIHOP_NOW",
            "next tuesday",
            "PHOIHOP_NOW='next tuesday' is not valid: "
            "expected an ISO date or date-time, e.g. 2024-07-15T08:00",
        ),
        (
            "PHOIHOP_DATABASE_URL",
            "mysql://db/phoihop",
            "PHOIHOP_DATABASE_URL='mysql://db/phoihop' is not valid: "
            "expected a sqlite:// or postgresql:// URL, not mysql://",
        ),
    ],
)
def test_a_bad_setting_is_one_line_and_nothing_is_written(
    open_cycle: Cli, monkeypatch: pytest.MonkeyPatch, variable: str, value: str, line: str
) -> None:
    """The sweep after the deadline would escalate every body; with a bad setting it
    must not escalate one (the old code committed 7 escalations, then a traceback)."""
    cli = open_cycle
    monkeypatch.setenv("PHOIHOP_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv(variable, value)
    argv = ["sweep"] if variable == "PHOIHOP_NOW" else ["sweep", "--now", "2024-07-20T08:00"]
    result = cli(*argv, "--lang", "en")  # the service's words; Vietnamese: test_cli_language
    assert (result.code, result.out, result.err) == (1, "", f"phoihop: error: {line}\n")
    monkeypatch.delenv(variable)
    monkeypatch.delenv("PHOIHOP_SMTP_HOST")
    tasks = cli("tasks", "list", "--cycle", CYCLE, "--json").json()["items"]
    assert [t["escalation_level"] for t in tasks] == [0] * 7


def test_a_password_setting_is_never_echoed(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    from services import settings

    monkeypatch.setenv("PHOIHOP_SMTP_PASSWORD", "bí-mật-lắm")
    assert "bí-mật-lắm" not in repr(settings.current())
    assert settings.current().smtp_password.get_secret_value() == "bí-mật-lắm"


def test_settings_are_built_on_demand_never_at_import() -> None:
    code = (
        "import services.settings as s, services.db, services.clock, services.notify, cli\n"
        "assert not s._cache, s._cache\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, timeout=60)


def test_settings_follow_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from services import settings

    monkeypatch.setenv("PHOIHOP_DATA_DIR", str(tmp_path / "a"))
    assert settings.data_dir() == tmp_path / "a"
    monkeypatch.setenv("PHOIHOP_DATA_DIR", str(tmp_path / "b"))
    assert settings.database_url() == f"sqlite:///{tmp_path / 'b' / 'phoihop.db'}"


def test_an_id_too_large_for_the_database_is_a_usage_line(open_cycle: Cli) -> None:
    result = open_cycle("review", "accept", "--task", "99999999999999999999999", "--lang", "en")
    assert result.code == 2
    assert result.err.count("\n") == 1
    assert "too large" in result.err and "Traceback" not in result.err


def test_a_database_failure_while_opening_a_cycle_is_one_line_and_a_log(
    demo_org: Cli, data_dir: Path
) -> None:
    with sqlite3.connect(data_dir / "phoihop.db") as conn:  # the database itself refuses
        conn.execute(
            "CREATE TRIGGER no_tasks BEFORE INSERT ON task "
            "BEGIN SELECT RAISE(ABORT, 'disk quota exceeded'); END"
        )
    result = demo_org("cycle", "open", "QD238", "2024-H1", "--now", "2024-07-03T08:00",
                      "--lang", "en")  # fmt: skip
    assert result.code == 70
    assert result.err.count("\n") == 1
    assert result.err.startswith(
        "phoihop: error: the database refused the operation (disk quota exceeded); "
        "nothing was changed. Details: "
    )
    log = Path(result.err.rstrip().rsplit("Details: ", 1)[1])
    assert log.parent == data_dir / "logs"
    assert "Traceback (most recent call last)" in log.read_text(encoding="utf-8")
    assert demo_org("cycle", "list", "--json").json() == []  # the cycle row rolled back too


def test_a_bug_is_one_line_naming_its_log(
    open_cycle: Cli, monkeypatch: pytest.MonkeyPatch, data_dir: Path
) -> None:
    import services.dashboard

    def broken(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError("the dashboard fell over")

    monkeypatch.setattr(services.dashboard, "cycle_progress", broken)
    result = open_cycle("dashboard", "--lang", "en")
    assert result.code == 70
    assert result.err.startswith("phoihop: error: unexpected RuntimeError: the dashboard fell")
    assert result.err.count("\n") == 1
    assert len(list((data_dir / "logs").iterdir())) == 1
