"""deployments.web_processes on its own: a free port when asked for port 0, the
environment it is given (not this process's), and a process that cannot start is
one clear line. (Several processes on one socket: tests/test_serve_web_processes.py,
on PostgreSQL, where serve runs them.)"""

from __future__ import annotations

import urllib.request
from pathlib import Path

import pytest

from deployments.web_processes import WebProcesses
from rules.errors import UserError
from tests.serving import alive, clean_env

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]


def test_port_0_serves_the_given_environment(tmp_path: Path) -> None:
    env = clean_env(tmp_path)
    web = WebProcesses("127.0.0.1", 0, 1, env=env)
    try:
        assert web.start(timeout=240)
        assert web.port != 0
        assert all(alive(pid) for pid in web.pids) and len(web.pids) == 1
        with urllib.request.urlopen(f"http://127.0.0.1:{web.port}/login", timeout=30) as r:
            assert "Đăng nhập" in r.read().decode("utf-8")
        assert list(tmp_path.glob("*.db"))  # the database of env's data directory, made
    finally:
        web.stop(grace=5)
    assert not any(alive(pid) for pid in web.pids)


def test_a_start_that_fails_is_one_line_and_leaves_nothing_behind(tmp_path: Path) -> None:
    env = clean_env(tmp_path) | {"PHOIHOP_DATABASE_URL": "nosuchdb://nowhere"}
    web = WebProcesses("127.0.0.1", 0, 2, env=env)
    with pytest.raises(UserError, match="a web process exited at start"):
        web.start(timeout=240)
    assert len(web.pids) == 2 and not any(alive(pid) for pid in web.pids)
    assert web.listener is None  # the port is free again
