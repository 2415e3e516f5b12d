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


def test_uses_waiting_for_the_writer_are_written_together(
    web: Web, now: Callable[[str], None]
) -> None:
    """While the writer is busy (a queue of submissions), every token's use still lands,
    each at its latest moment, in one write when the writer gets to them."""
    import threading

    from services import accounts

    writes: list[dict[int, object]] = []
    real = accounts.record_token_uses
    busy = threading.Event()
    web.client.app.state.writer.submit(busy.wait)
    web.client.app.state.token_uses._flush = lambda uses: (writes.append(dict(uses)), real(uses))
    now("2024-07-10T09:00")
    web.api("GET", "/api/me", "khoa")
    web.api("GET", "/api/me", "ubnd")
    now("2024-07-10T09:01:30")
    web.api("GET", "/api/me", "khoa")  # a minute later: its newer use replaces the queued one
    busy.set()
    settle(web)
    assert last_used("khoa") == local("2024-07-10T09:01:30")
    assert last_used("ubnd") == local("2024-07-10T09:00")
    assert len(writes) == 1 and len(writes[0]) == 2
