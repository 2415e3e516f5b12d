"""``phoihop serve`` refuses to start, in one line and before any Prefect server starts."""

from __future__ import annotations

import socket
import subprocess
import time
from pathlib import Path

from tests.serving import CLI, ROOT, clean_env, free_port
from tests.test_migrations import load_v01


def test_serve_refuses_a_taken_web_port_before_starting_anything(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [*CLI, "serve", "--port", str(port), "--prefect-port", str(free_port())],
            env=clean_env(tmp_path), cwd=ROOT, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        f"phoihop: lỗi: Không mở được giao diện web ở 127.0.0.1:{port}: Address already in use."
    ]
    assert not (tmp_path / "prefect").exists()  # no Prefect server was started


def test_serve_refuses_a_database_behind_the_schema_head_before_starting_prefect(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    load_v01(data)
    prefect_port = free_port()
    began = time.monotonic()
    done = subprocess.run(
        [*CLI, "serve", "--no-web", "--prefect-port", str(prefect_port)],
        env=clean_env(data), cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    took = time.monotonic() - began
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        "phoihop: lỗi: Cơ sở dữ liệu đang ở phiên bản 0001 (do phoihop 0.1 tạo); "
        "hãy chạy `phoihop db upgrade`."
    ]
    assert not (data / "prefect").exists(), "no Prefect server was started"
    assert took < 30, f"took {took:.1f} s to refuse"


def test_serve_refuses_several_web_processes_on_sqlite(tmp_path: Path) -> None:
    done = subprocess.run(
        [*CLI, "serve", "--web-workers", "2", "--port", str(free_port()),
         "--prefect-port", str(free_port())],
        env=clean_env(tmp_path), cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        "phoihop: lỗi: Nhiều tiến trình web cần PostgreSQL; SQLite chỉ cho một tiến trình ghi."
    ]
    assert not (tmp_path / "prefect").exists()
