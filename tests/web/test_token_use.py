"""A token's last use is recorded at most once a minute, by the writer, off the request."""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import select

from models import ApiToken, User
from services import db
from tests.web.conftest import Web, local


def last_used(username: str) -> object:
    with db.reading() as session:
        return session.exec(
            select(ApiToken.last_used_at).join(User).where(User.username == username)
        ).one()


def settle(web: Web) -> None:
    """Wait until the writer has done what was queued before now (it runs in order)."""
    web.client.app.state.writer.call(lambda: None)


def test_last_use_is_recorded_once_a_minute(web: Web, now: Callable[[str], None]) -> None:
    assert last_used("khoa") is None
    now("2024-07-10T09:00")
    assert web.api("GET", "/api/me", "khoa").status_code == 200
    settle(web)
    assert last_used("khoa") == local("2024-07-10T09:00")
    now("2024-07-10T09:00:30")
    web.api("GET", "/api/me", "khoa")
    settle(web)
    assert last_used("khoa") == local("2024-07-10T09:00")  # within the minute: no write
    now("2024-07-10T09:02")
    web.api("GET", "/api/me", "khoa")
    settle(web)
    assert last_used("khoa") == local("2024-07-10T09:02")
    assert last_used("ubnd") is None
