"""Web fixtures: the demo organisation with one open cycle, an account per role, a client.

Accounts (password ``mat-khau-123`` for all):

- ``khoa``  coordinator of BTGTU, which coordinates program QD238;
- ``ubnd``  agency of UBND (takes part in QD238);
- ``hdnd``  agency of HDND (takes part in QD238);
- ``ubndc`` coordinator of UBND, a body that coordinates nothing here;
- ``lanhdao`` viewer of TU-BT (leadership).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Starlette's TestClient warns that it wants httpx2; httpx is what is installed."""
    for item in items:
        item.add_marker(pytest.mark.filterwarnings("ignore:Using `httpx`"))


PASSWORD = "mat-khau-123"
USERS = {
    "khoa": ("BTGTU", "coordinator", "Lê Minh Khoa"),
    "ubnd": ("UBND", "agency", "Đoàn Thị Ngọc Ánh"),
    "hdnd": ("HDND", "agency", "Phạm Quốc Bảo"),
    "ubndc": ("UBND", "coordinator", "Trần Ngọc Tam"),
    "lanhdao": ("TU-BT", "viewer", "Thường trực Tỉnh ủy"),
}
# 10/07/2024 09:00, two days before the cycle's due date (12/07/2024).
BEFORE_DUE = "2024-07-10T09:00"
AFTER_DUE = "2024-07-17T09:00"


@dataclass
class Web:
    """The app under test, the API tokens by username and the demo's task ids by body."""

    client: Any
    tokens: dict[str, str]
    tasks: dict[str, int]
    cycle_id: int

    def h(self, username: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[username]}"}

    def api(self, method: str, path: str, username: str | None = None, **kw: Any) -> Any:
        headers = kw.pop("headers", {}) | (self.h(username) if username else {})
        return self.client.request(method, path, headers=headers, **kw)


def report_text(extra: str = "") -> str:
    return (
        "# I. Đánh giá tình hình và kết quả thực hiện Quyết định số 238\n"
        f"Năm 2024, Ủy ban nhân dân tỉnh đã phối hợp chặt chẽ. {extra}\n\n"
        "# II. Những nhiệm vụ trọng tâm trong thời gian tới\n"
        "Tiếp tục đẩy mạnh công tác phối hợp, nâng cao chất lượng thông tin.\n"
    )


@pytest.fixture
def now(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], None]:
    """Set the simulated clock the app reads (``PHOIHOP_NOW``)."""

    def set_now(moment: str) -> None:
        monkeypatch.setenv("PHOIHOP_NOW", moment)

    set_now(BEFORE_DUE)
    return set_now


@pytest.fixture
def demo_cycle() -> int:
    """The demo organisation and program, and QD238/2024-H1 opened from letter 310-CV/BTGTU
    of 03/07/2024 (due 12/07/2024), through the services (no CLI parsing: faster)."""
    from datetime import date

    from services import loaders, registry
    from services.cycles import open_cycle
    from tests.steps import DEMO_DATA, SEED_PROGRAM
    from tests.web.conftest import local

    registry.import_bodies(
        loaders.load_bodies(str(DEMO_DATA / "bodies.csv")), now=local("2024-07-01T08:00"), actor="t"
    )
    registry.add_program(
        loaders.load_program(str(SEED_PROGRAM)),
        now=local("2024-07-01T08:00"),
        actor="t",
    )
    opened = open_cycle(
        "QD238",
        "2024-H1",
        letter_no="310-CV/BTGTU",
        letter_date=date(2024, 7, 3),
        now=local("2024-07-03T08:00"),
        actor="t",
    )
    assert opened.cycle.id is not None
    return opened.cycle.id


def local(moment: str) -> Any:
    from rules.timezone import parse_moment

    return parse_moment(moment)


@pytest.fixture
def accounts_made(
    demo_cycle: int, now: Callable[[str], None], monkeypatch: pytest.MonkeyPatch
) -> dict[str, str]:
    """The five accounts and a token each; returns the tokens.

    scrypt's cost is lowered for tests (the hash format records it, so
    verification follows); production hashes keep the full cost.
    """
    from services import accounts, clock

    monkeypatch.setattr(accounts, "SCRYPT_N", 2**10)

    tokens = {}
    for username, (body, role, name) in USERS.items():
        accounts.create_user(
            username,
            body=body,
            role=role,
            password=PASSWORD,
            display_name=name,
            now=clock.now(),
            actor="test",
        )
        tokens[username] = accounts.issue_token(
            username, name="test", now=clock.now(), actor="test"
        )["token"]
    return tokens


@pytest.fixture
def web(accounts_made: dict[str, str]) -> Iterator[Web]:
    from fastapi.testclient import TestClient

    from services.clock import now as clock_now
    from services.dashboard import list_tasks
    from web.app import create_app

    tasks = {r["body"]: r["task"] for r in list_tasks(clock_now(), cycle="QD238/2024-H1")}
    with TestClient(create_app(), follow_redirects=False) as client:
        yield Web(client, accounts_made, tasks, cycle_id=1)


CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    match = CSRF.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def login(client: Any, username: str, password: str = PASSWORD) -> Any:
    """Log in through the form like a browser; returns the POST response."""
    page = client.get("/login")
    token = csrf_of(page.text)
    return client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token, "next": "/"},
    )


@pytest.fixture
def browser_login(web: Web) -> Callable[[str], Any]:
    """A fresh client logged in as ``username`` (its own cookie jar)."""
    from fastapi.testclient import TestClient

    clients: list[Any] = []

    def make(username: str) -> Any:
        client = TestClient(web.client.app, follow_redirects=False)
        clients.append(client)
        response = login(client, username)
        assert response.status_code == 303, response.text
        return client

    yield make  # type: ignore[misc]
    for client in clients:
        client.close()
