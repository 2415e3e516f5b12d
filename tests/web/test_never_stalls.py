"""A write waiting for SQLite's lock never stalls the web face's other requests.

Another connection (a sweep batch, a CLI command) holds the write lock; an
agency's submission arrives and must wait for it. Meanwhile pages and API
reads answer at once, because the write waits on the writer thread, not on
the event loop. Released, the submission lands.
"""

from __future__ import annotations

import socket
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.web.conftest import report_text


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def served(accounts_made: dict[str, str]) -> Iterator[str]:
    """The app on a real uvicorn server (one event loop, as in production)."""
    import uvicorn

    from web.app import create_app

    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    started = threading.Event()
    for _ in range(600):  # up to a minute on a busy machine
        if server.started:
            started.set()
            break
        time.sleep(0.1)
    assert started.is_set(), "uvicorn did not start"
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=30)


def test_reads_answer_while_a_submission_waits_for_the_lock(
    served: str, accounts_made: dict[str, str], data_dir: Path
) -> None:
    tokens = {name: {"Authorization": f"Bearer {t}"} for name, t in accounts_made.items()}
    with httpx.Client(base_url=served, timeout=30) as client:
        task = client.get("/api/tasks?cycle=1&body=UBND", headers=tokens["ubnd"]).json()
        task_id = task["items"][0]["task"]

    holder = sqlite3.connect(data_dir / "phoihop.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # as a long sweep batch would
    outcome: dict[str, Any] = {}

    def submit() -> None:
        with httpx.Client(base_url=served, timeout=120) as client:
            outcome["response"] = client.post(
                f"/api/tasks/{task_id}/submissions",
                headers=tokens["ubnd"],
                json={"text": report_text()},
            )

    writer = threading.Thread(target=submit)
    writer.start()
    try:
        time.sleep(0.2)  # let the submission reach the lock (not a wait for an outcome)
        with httpx.Client(base_url=served, timeout=10) as client:
            for path, who in (("/api/health", None), ("/api/tasks", "khoa"), ("/api/me", "hdnd")):
                started = time.monotonic()
                answer = client.get(path, headers=tokens[who] if who else None)
                assert answer.status_code == 200, (path, answer.text)
                assert time.monotonic() - started < 5, f"{path} waited for the write lock"
        assert "response" not in outcome, "the submission cannot have landed: the lock is held"
    finally:
        holder.execute("COMMIT")
        holder.close()
        writer.join(timeout=120)
    assert outcome["response"].status_code == 201, outcome["response"].text
