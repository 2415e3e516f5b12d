"""The ``phoihop`` script leaves quickly (cli.run) without losing what a command did or said."""

from __future__ import annotations

import atexit
import io
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import cli
from tests.steps import phoihop_command

ROOT = Path(__file__).resolve().parents[1]
BODIES = ROOT / "tests" / "data" / "rollup-bodies.csv"


def phoihop(*args: str) -> subprocess.CompletedProcess[str]:
    """``phoihop ARGS`` in a subprocess, as users run it."""
    return subprocess.run(
        [*phoihop_command(), *args], cwd=ROOT, env=os.environ.copy(), capture_output=True,
        text=True, encoding="utf-8", timeout=120,
    )  # fmt: skip


def test_what_one_command_writes_the_next_one_reads() -> None:
    imported = phoihop("bodies", "import", str(BODIES))
    assert imported.returncode == 0, imported.stderr
    listed = phoihop("bodies", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    names = {body["code"]: body["name"] for body in json.loads(listed.stdout)}
    assert names["DU-PT"] == "Đảng ủy xã Phú Túc"
    assert len(names) == len(BODIES.read_text(encoding="utf-8").splitlines()) - 1


def test_exit_codes_and_their_one_line_survive_the_quick_exit() -> None:
    refused = phoihop("tasks", "show")
    assert refused.returncode == 2
    assert refused.stderr.count("\n") == 1 and ": lỗi: " in refused.stderr
    missing = phoihop("bodies", "import", "/nonexistent/bodies.csv")
    assert missing.returncode == 1
    assert missing.stderr.count("\n") == 1 and missing.stderr.startswith("phoihop: lỗi: ")
    helped = phoihop("--help")
    assert helped.returncode == 0 and "--lang en" in helped.stdout


class Left(Exception):
    def __init__(self, code: int) -> None:
        self.code = code


@pytest.fixture
def leaving(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """cli.run with its ways out recorded instead of taken (os._exit, and the exit
    handlers, which are pytest's own here): what run did, in order."""
    steps: list[str] = []

    def exit_now(code: int) -> None:
        steps.append(f"exit {code}")
        raise Left(code)

    from services import db

    monkeypatch.setattr(os, "_exit", exit_now)
    monkeypatch.setattr(atexit, "_run_exitfuncs", lambda: steps.append("exit handlers"))
    monkeypatch.setattr(db, "disconnect", lambda: steps.append("disconnect"))
    return steps


@pytest.fixture
def alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """No other thread, whatever an earlier test left running (Prefect's event loop)."""
    monkeypatch.setattr(threading, "active_count", lambda: 1)


@pytest.mark.parametrize(
    ("outcome", "code", "said"),
    [(None, 0, ""), (3, 3, ""), ("phoihop: một dòng", 1, "phoihop: một dòng\n")],
)
def test_run_exits_as_the_interpreter_would(
    monkeypatch: pytest.MonkeyPatch, capsys, leaving: list[str], alone, outcome, code: int,
    said: str,
) -> None:  # fmt: skip
    def main() -> None:
        raise SystemExit(outcome)

    monkeypatch.setattr(cli, "main", main)
    with pytest.raises(Left):
        cli.run()
    assert leaving == ["disconnect", "exit handlers", f"exit {code}"]
    assert capsys.readouterr().err == said


class Unwritable(io.StringIO):
    def __init__(self, error: OSError) -> None:
        super().__init__()
        self.error = error

    def flush(self) -> None:
        raise self.error


@pytest.mark.parametrize(
    ("error", "code", "said"),
    [
        (BrokenPipeError(32, "Broken pipe"), 120, ""),  # `| head` left: no words, not 0
        (OSError(28, "No space left on device"), 1,
         "phoihop: lỗi: không ghi được kết quả (No space left on device)\n"),
    ],
)  # fmt: skip
def test_output_that_cannot_be_written_is_not_a_success(
    monkeypatch: pytest.MonkeyPatch, capsys, leaving: list[str], alone, error: OSError,
    code: int, said: str,
) -> None:  # fmt: skip
    monkeypatch.setattr(cli, "main", lambda: 0)
    monkeypatch.setattr(sys, "stdout", Unwritable(error))
    with pytest.raises(Left):
        cli.run()
    assert leaving[-1] == f"exit {code}"
    assert capsys.readouterr().err == said


def test_run_waits_for_a_thread_still_working(monkeypatch: pytest.MonkeyPatch, leaving) -> None:
    release = threading.Event()
    worker = threading.Thread(target=release.wait)
    worker.start()
    monkeypatch.setattr(cli, "main", lambda: 0)
    try:
        with pytest.raises(SystemExit) as stop:
            cli.run()
    finally:
        release.set()
        worker.join()
    assert stop.value.code == 0
    assert leaving == []  # the ordinary exit, which joins the thread
