"""Server-side sessions: logging out ends the session itself, not just the browser's cookie."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.web.conftest import Web, csrf_of, login


def _log_out(client: Any) -> Any:
    home = client.get("/")
    assert home.status_code == 200
    return client.post("/logout", data={"csrf_token": csrf_of(home.text)})


def test_a_cookie_copied_before_logout_stops_working_at_once(web: Web) -> None:
    from web import auth

    assert login(web.client, "ubnd").status_code == 303
    copied = web.client.cookies.get(auth.SESSION_COOKIE)
    assert copied and web.client.get("/").status_code == 200
    assert _log_out(web.client).status_code == 303

    thief = TestClient(web.client.app, follow_redirects=False)
    thief.cookies.set(auth.SESSION_COOKIE, copied)
    page = thief.get("/cycles")
    assert page.status_code == 303 and page.headers["location"].startswith("/login")
    assert thief.get("/").status_code == 303
    # Nor does the copy carry a CSRF token that still opens anything.
    replay = thief.post("/logout", data={"csrf_token": "x"})
    assert replay.status_code == 403
    thief.close()


def test_logout_is_audited_and_ends_only_that_browser(web: Web, browser_login: Any) -> None:
    from sqlmodel import select

    from models import AuditRecord
    from services import db

    office, phone = browser_login("ubnd"), browser_login("ubnd")
    assert _log_out(office).status_code == 303
    assert office.get("/").status_code == 303
    assert phone.get("/").status_code == 200  # the other browser stays logged in
    with db.reading() as session:
        logouts = session.exec(select(AuditRecord).where(AuditRecord.action == "user.logout")).all()
    assert [(r.actor, r.detail["username"]) for r in logouts] == [("ubnd", "ubnd")]


def test_disable_and_password_reset_end_the_open_sessions(web: Web, browser_login: Any) -> None:
    """The rows are ended, so the sessions stay over whatever happens to the account later."""
    from sqlmodel import select

    from models import User, WebSession
    from services import accounts, clock, db

    reset, disabled, other = browser_login("ubnd"), browser_login("hdnd"), browser_login("khoa")
    accounts.reset_password("ubnd", password="mat-khau-moi-456", now=clock.now(), actor="t")
    accounts.disable_user("hdnd", now=clock.now(), actor="t")
    assert reset.get("/").status_code == 303 and disabled.get("/").status_code == 303
    assert other.get("/").status_code == 200
    with db.reading() as session:
        rows = session.exec(
            select(User.username, WebSession.ended_at).join(User, User.id == WebSession.user_id)
        ).all()
    ended = {name: at is not None for name, at in rows}
    assert ended == {"ubnd": True, "hdnd": True, "khoa": False}
