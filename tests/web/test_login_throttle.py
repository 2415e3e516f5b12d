"""Login throttling under concurrency: parallel guesses get exactly MAX_FAILURES password checks.

Each attempt is counted before its password is checked, in one write
transaction, so attempts that race each other cannot all see "not locked yet".
The harness makes the race as wide as it can be without sleeping: every
password check is held until each of the other attempts has either reached
its own check or been answered, then all checks are let go at once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import PASSWORD, Web, csrf_of, login

ATTEMPTS = 40
WAIT = 60  # seconds: only a bound on a hung test, never a wait for something to happen


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    """Run on SQLite and, when its binaries are installed, on a fresh PostgreSQL database.

    Requested before ``web`` so the database URL is set before any account is made.
    """
    if request.param == "postgresql":
        request.getfixturevalue("pg_url")
    return request.param


class HeldChecks:
    """Counts password checks and holds each one until every attempt is accounted for."""

    def __init__(self, real: Callable[[str, str], bool], attempts: int) -> None:
        self.real, self.attempts = real, attempts
        self.checks = self.finished = 0
        self.released = False
        self.cond = threading.Condition()

    def verify(self, password: str, stored: str) -> bool:
        with self.cond:
            self.checks += 1
            self.cond.notify_all()
            assert self.cond.wait_for(lambda: self.released, timeout=WAIT)
        return self.real(password, stored)

    def run(self, attempt: Callable[[int], Any]) -> list[Any]:
        """``attempt(i)`` in ``attempts`` threads started together; their results in order."""
        results: list[Any] = [None] * self.attempts
        start = threading.Barrier(self.attempts)

        def worker(i: int) -> None:
            try:
                start.wait(timeout=WAIT)
                results[i] = attempt(i)
            except Exception as exc:  # noqa: BLE001 - the outcome under test
                results[i] = exc
            finally:
                with self.cond:
                    self.finished += 1
                    self.cond.notify_all()

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(self.attempts)]
        for thread in threads:
            thread.start()
        with self.cond:
            # Every attempt is now either answered or waiting in its password check.
            assert self.cond.wait_for(
                lambda: self.checks + self.finished >= self.attempts, timeout=WAIT
            )
            self.released = True
            self.cond.notify_all()
        for thread in threads:
            thread.join(timeout=WAIT)
        return results


@pytest.fixture
def held(monkeypatch: pytest.MonkeyPatch) -> Iterator[HeldChecks]:
    from services import accounts

    checks = HeldChecks(accounts.verify_password, ATTEMPTS)
    monkeypatch.setattr(accounts, "verify_password", checks.verify)
    yield checks


@pytest.mark.parametrize("username", ["ubnd", "khong-co"])
def test_parallel_wrong_passwords_get_exactly_the_allowed_checks(
    backend: str, web: Web, held: HeldChecks, username: str
) -> None:
    """An existing account and an unknown name lock alike (the lock tells nothing)."""
    from rules.lockout import MAX_FAILURES
    from services import accounts, clock, db

    assert db.engine().dialect.name == backend
    now = clock.now()
    results = held.run(lambda i: accounts.authenticate(username, f"sai-mat-khau-{i}", now=now))
    assert held.checks == MAX_FAILURES
    assert results.count(None) == MAX_FAILURES
    locked = [r for r in results if isinstance(r, accounts.LoginLocked)]
    assert len(locked) == ATTEMPTS - MAX_FAILURES
    with pytest.raises(accounts.LoginLocked):  # even the right password, now
        accounts.authenticate(username, PASSWORD, now=now)


def test_parallel_login_form_posts_get_exactly_the_allowed_checks(
    backend: str, web: Web, held: HeldChecks
) -> None:
    from rules.lockout import MAX_FAILURES

    clients = [TestClient(web.client.app, follow_redirects=False) for _ in range(ATTEMPTS)]
    tokens = [csrf_of(client.get("/login").text) for client in clients]

    def post(i: int) -> int:
        form = {"username": "ubnd", "password": f"sai-{i}-mat-khau", "csrf_token": tokens[i]}
        return clients[i].post("/login", data=form | {"next": "/"}).status_code

    statuses = held.run(post)
    for client in clients:
        client.close()
    assert held.checks == MAX_FAILURES
    assert sorted(statuses) == [401] * MAX_FAILURES + [429] * (ATTEMPTS - MAX_FAILURES)


def test_a_password_reset_lifts_the_lock(web: Web) -> None:
    from rules.lockout import MAX_FAILURES
    from services import accounts, clock

    for _ in range(MAX_FAILURES):
        assert login(web.client, "ubnd", "sai-mat-khau").status_code == 401
    assert login(web.client, "ubnd").status_code == 429
    accounts.reset_password("ubnd", password="mat-khau-moi-456", now=clock.now(), actor="khoa")
    assert login(web.client, "ubnd", "mat-khau-moi-456").status_code == 303


def test_a_correct_password_starts_the_count_afresh(web: Web) -> None:
    from rules.lockout import MAX_FAILURES

    for _ in range(MAX_FAILURES - 1):
        assert login(web.client, "ubnd", "sai-mat-khau").status_code == 401
    assert login(web.client, "ubnd").status_code == 303
    for _ in range(MAX_FAILURES - 1):
        assert login(web.client, "ubnd", "sai-mat-khau").status_code == 401
    assert login(web.client, "ubnd").status_code == 303
