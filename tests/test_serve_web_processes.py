"""On PostgreSQL ``serve`` runs the web face as several processes on one socket; they
answer, they share the work, and they go when ``serve`` goes (SIGTERM or ``kill -9``)."""

from __future__ import annotations

import signal
import urllib.request
from pathlib import Path

import pytest

from tests.serving import Serve, alive, children, clean_env, cmdline, free_port, seed, wait_for

pytestmark = [pytest.mark.prefect_server, pytest.mark.slow, pytest.mark.timeout(600)]


def web_children(pid: int) -> list[int]:
    return [p for p in children(pid) if "from web.app import create_app" in " ".join(cmdline(p))]


def test_several_web_processes_answer_and_die_with_serve(pg_url: str, tmp_path: Path) -> None:
    env = clean_env(tmp_path) | {"PHOIHOP_DATABASE_URL": pg_url}
    seed(env)
    port = free_port()
    with Serve(env, "--web-workers", "2", "--port", str(port),
               "--prefect-port", str(free_port())) as served:  # fmt: skip
        started = served.ready()
        assert started["web"] == f"http://127.0.0.1:{port}/"
        workers = web_children(served.pid)
        assert len(workers) == 2
        for _ in range(20):  # keep-alive or not, every request is answered
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=30) as r:
                assert r.status == 200
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=30) as page:
            assert "Đăng nhập" in page.read().decode("utf-8")
        served.signal(signal.SIGKILL)  # serve dies without a word: the kernel tells them
        wait_for(lambda: not any(alive(p) for p in workers), "the web processes to go")


def test_one_sigterm_stops_serve_and_its_web_processes_within_10_s(
    pg_url: str, tmp_path: Path
) -> None:
    import time

    env = clean_env(tmp_path) | {"PHOIHOP_DATABASE_URL": pg_url}
    seed(env)
    with Serve(env, "--web-workers", "2", "--port", str(free_port()),
               "--prefect-port", str(free_port())) as served:  # fmt: skip
        served.ready()
        workers = web_children(served.pid)
        assert len(workers) == 2
        sent = served.signal(signal.SIGTERM)
        assert served.exit_code() == 0, served.output[-3000:]
        assert time.monotonic() - sent < 10
        assert not any(alive(p) for p in workers)
        assert "Traceback" not in served.output
