"""A coordinator manages its own body's accounts on the web (``/accounts``), through the
service calls the CLI makes: add, disable, reset a password, issue and revoke tokens.

The fixture's accounts: ``ubndc`` coordinates for UBND, whose clerk is ``ubnd``;
``khoa`` coordinates for BTGTU; ``hdnd`` (HDND) and ``lanhdao`` (viewer) too.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.web.conftest import PASSWORD, Web, csrf_of, login

NEW_PASSWORD = "mat-khau-moi-456"


def audit(action: str) -> list[dict[str, Any]]:
    from sqlmodel import select

    from models import AuditRecord
    from services import db

    with db.reading() as session:
        rows = session.exec(select(AuditRecord).where(AuditRecord.action == action)).all()
        return [{"actor": r.actor, **(r.detail or {})} for r in rows]


def post(client: Any, path: str, lang: str = "", **data: str) -> Any:
    token = csrf_of(client.get(f"/accounts{lang}").text)
    return client.post(path + lang, data={"csrf_token": token, **data})


def users() -> dict[str, dict[str, Any]]:
    from services.accounts import list_users

    return {u["username"]: u for u in list_users()}


def test_a_coordinator_adds_an_account_of_its_own_body(web: Web, browser_login: Any) -> None:
    client = browser_login("ubndc")
    page = client.get("/accounts")
    assert page.status_code == 200
    assert 'href="/accounts"' in page.text  # in the coordinator's menu
    assert 'data-user="ubnd"' in page.text and 'data-user="ubndc"' in page.text
    assert 'data-user="khoa"' not in page.text  # another body's account
    # the form says the service's minimum (services.accounts.MIN_PASSWORD) and the browser
    # enforces it before posting
    assert "(ít nhất 8 ký tự)" in page.text and 'minlength="8"' in page.text
    added = post(client, "/accounts", username="Thu.UBND", display_name="Võ Thị Thu",
                 role="agency", password=NEW_PASSWORD, password_repeat=NEW_PASSWORD)  # fmt: skip
    assert added.status_code == 303 and added.headers["location"] == "/accounts#user-thu.ubnd"
    made = users()["thu.ubnd"]
    assert (made["body"], made["role"], made["display_name"]) == ("UBND", "agency", "Võ Thị Thu")
    assert audit("user.created")[-1] == {"actor": "ubndc", "username": "thu.ubnd",
                                         "body": "UBND", "role": "agency"}  # fmt: skip
    shown = client.get("/accounts").text
    assert "Đã thêm tài khoản." in shown and 'data-user="thu.ubnd"' in shown
    assert "(at least 8 characters)" in client.get("/accounts?lang=en").text  # and in English
    from fastapi.testclient import TestClient

    with TestClient(web.client.app, follow_redirects=False) as fresh:
        assert login(fresh, "thu.ubnd", NEW_PASSWORD).status_code == 303


INVALID = r'<(?:input|select)\b[^>]*\bname="(\w+)"[^>]*aria-invalid="true"'  # a marked field


@pytest.mark.parametrize(
    ("fields", "status", "vi", "en", "marked"),
    [
        ({"password_repeat": "khac-mat-khau-1"}, 400, "Hai lần nhập mật khẩu không khớp nhau.",
         "the two passwords differ", "password"),
        ({"password": "x7q#2", "password_repeat": "x7q#2"}, 400, "Mật khẩu cần ít nhất 8 ký tự.",
         "a password needs at least 8 characters", "password"),
        ({"username": "ubnd"}, 409, "Tài khoản ubnd đã có.",
         "user ubnd already exists", "username"),
        # "password" in the words: the username is still the field marked
        ({"username": "Password!"}, 400, "Tên đăng nhập password! không hợp lệ",
         "invalid username password!", "username"),
        ({"username": "Thu Võ"}, 400, "Tên đăng nhập thu võ không hợp lệ",
         "invalid username thu võ: 2–64 characters", "username"),
        ({"role": "viewer"}, 400, "chỉ cấp được vai trò coordinator, agency",
         "a coordinator gives only the roles", "role"),
        ({"display_name": "Võ\x07Thu"}, 400, "ký tự điều khiển", "control character",
         "display_name"),
    ],
)  # fmt: skip
def test_a_refused_account_keeps_what_was_typed_but_never_the_password(
    web: Web,
    browser_login: Any,
    fields: dict[str, str],
    status: int,
    vi: str,
    en: str,
    marked: str,
) -> None:
    client = browser_login("ubndc")
    before = users()
    typed = {"username": "thu", "display_name": "Võ Thị Thu", "role": "coordinator",
             "password": NEW_PASSWORD, "password_repeat": NEW_PASSWORD} | fields  # fmt: skip
    for lang, words in (("", vi), ("?lang=en", en)):
        refused = post(client, "/accounts", lang, **typed)
        assert refused.status_code == status
        error = refused.text.split('id="add-error"', 1)[1].split("</p>", 1)[0]
        assert words in error.replace("&#39;", "'")
        form = refused.text.split('action="/accounts" class="card narrow"', 1)[1]
        invalid = re.findall(INVALID, form)
        assert invalid == [marked]  # the field the refusal is about, and only it
        assert f'value="{typed["username"]}"' in form
        assert 'value="Võ Thị Thu"' in form or "display_name" in fields
        assert 'value="coordinator" selected' in form or fields.get("role") == "viewer"
        assert typed["password"] not in refused.text and typed["password_repeat"] not in form
    assert users() == before  # nothing was made


def test_disable_and_reset_end_sessions_and_tokens_as_the_cli_does(
    web: Web, browser_login: Any
) -> None:
    coordinator, clerk = browser_login("ubndc"), browser_login("ubnd")
    assert clerk.get("/agency").status_code == 200
    assert web.api("GET", "/api/me", "ubnd").status_code == 200

    differ = post(coordinator, "/accounts/ubnd/password", password=NEW_PASSWORD,
                  password_repeat=NEW_PASSWORD + "x")  # fmt: skip
    assert differ.status_code == 400
    error = differ.text.split('id="pw-ubnd-error"', 1)[1].split("</p>", 1)[0]
    assert "Hai lần nhập mật khẩu không khớp nhau." in error and NEW_PASSWORD not in differ.text
    assert clerk.get("/agency").status_code == 200  # nothing changed

    reset = post(coordinator, "/accounts/ubnd/password", password=NEW_PASSWORD,
                 password_repeat=NEW_PASSWORD)  # fmt: skip
    assert reset.status_code == 303
    assert clerk.get("/agency").status_code == 303  # its session ended: to the login page
    assert audit("user.password_reset")[-1]["actor"] == "ubndc"
    from services import accounts, clock

    assert accounts.authenticate("ubnd", PASSWORD, now=clock.now()) is None
    assert accounts.authenticate("ubnd", NEW_PASSWORD, now=clock.now()) is not None

    disabled = post(coordinator, "/accounts/ubnd/disable")
    assert disabled.status_code == 303
    assert users()["ubnd"]["active"] is False
    assert web.api("GET", "/api/me", "ubnd").status_code == 401  # its token stopped at once
    assert audit("user.disabled")[-1]["actor"] == "ubndc"
    again = post(coordinator, "/accounts/ubnd/disable")
    assert again.status_code == 409
    assert "Tài khoản ubnd đã bị khóa từ trước." in again.text
    shown = coordinator.get("/accounts").text
    block = shown.split('data-user="ubnd"', 1)[1].split("</article>", 1)[0]
    assert "đã khóa" in block and "/accounts/ubnd/disable" not in block

    mine = post(coordinator, "/accounts/ubndc/disable")
    assert mine.status_code == 400 and "Không thể tự khóa tài khoản của mình" in mine.text
    assert users()["ubndc"]["active"] is True


def test_a_token_secret_is_shown_once_and_revoking_stops_it(web: Web, browser_login: Any) -> None:
    from sqlmodel import select

    from models import ApiToken
    from services import db

    coordinator = browser_login("ubndc")
    empty = post(coordinator, "/accounts/ubnd/tokens", token_name="  ")
    assert empty.status_code == 400
    assert "Tên mã truy cập cần từ 1 đến 64 ký tự." in empty.text.split('id="tk-ubnd-error"', 1)[1]
    issued = post(coordinator, "/accounts/ubnd/tokens", token_name="báo cáo tự động")
    assert issued.status_code == 200 and "chỉ hiển thị một lần" in issued.text
    secret = issued.text.split('id="new-token" class="secret" readonly value="', 1)[1]
    secret = secret.split('"', 1)[0]
    assert len(secret) >= 43
    me = web.client.get("/api/me", headers={"Authorization": f"Bearer {secret}"})
    assert me.status_code == 200 and me.json()["username"] == "ubnd"
    assert secret not in coordinator.get("/accounts").text  # never again
    with db.reading() as session:
        row = session.exec(select(ApiToken).where(ApiToken.name == "báo cáo tự động")).one()
        assert secret not in row.token_hash
    assert audit("token.issued")[-1]["actor"] == "ubndc"

    revoked = post(coordinator, f"/accounts/tokens/{row.id}/revoke")
    assert revoked.status_code == 303
    me = web.client.get("/api/me", headers={"Authorization": f"Bearer {secret}"})
    assert me.status_code == 401
    again = post(coordinator, f"/accounts/tokens/{row.id}/revoke")
    assert again.status_code == 409
    assert f"Mã truy cập {row.id} đã bị thu hồi từ trước." in again.text
    assert audit("token.revoked")[-1] == {"actor": "ubndc", "token_id": row.id}


@pytest.mark.parametrize("username", ["ubnd", "lanhdao"])
def test_only_coordinators_have_an_accounts_page(
    web: Web, browser_login: Any, username: str
) -> None:
    client = browser_login(username)
    assert 'href="/accounts"' not in client.get("/").text
    assert client.get("/accounts").status_code == 403
    token = csrf_of(client.get("/").text)
    refused = client.post("/accounts", data={"csrf_token": token, "username": "x1",
                                             "role": "agency", "password": NEW_PASSWORD,
                                             "password_repeat": NEW_PASSWORD})  # fmt: skip
    assert refused.status_code == 403 and "x1" not in users()


def test_a_coordinator_never_touches_another_bodys_accounts(web: Web, browser_login: Any) -> None:
    """khoa (BTGTU) against UBND's accounts and token: 403 each, audited, unchanged."""
    from sqlmodel import select

    from models import ApiToken, User
    from services import db

    with db.reading() as session:
        ubnd_token = session.exec(
            select(ApiToken.id).join(User, User.id == ApiToken.user_id)
            .where(User.username == "ubnd")
        ).first()  # fmt: skip
    client = browser_login("khoa")
    denied = len(audit("access.denied"))
    attempts = [
        ("/accounts/ubnd/disable", {}),
        ("/accounts/ubnd/password", {"password": NEW_PASSWORD, "password_repeat": NEW_PASSWORD}),
        ("/accounts/ubnd/tokens", {"token_name": "x"}),
        (f"/accounts/tokens/{ubnd_token}/revoke", {}),
    ]
    for path, data in attempts:
        assert post(client, path, **data).status_code == 403, path
    assert len(audit("access.denied")) == denied + len(attempts)
    assert post(client, "/accounts/ghost/disable").status_code == 404
    assert users()["ubnd"]["active"] is True
    assert web.api("GET", "/api/me", "ubnd").status_code == 200
    no_csrf = client.post("/accounts/khoa/tokens", data={"token_name": "x"})
    assert no_csrf.status_code == 403


def test_resetting_ones_own_password_logs_this_session_out(web: Web, browser_login: Any) -> None:
    client = browser_login("ubndc")
    reset = post(client, "/accounts/ubndc/password", password=NEW_PASSWORD,
                 password_repeat=NEW_PASSWORD)  # fmt: skip
    assert reset.status_code == 303 and reset.headers["location"] == "/login?next=/accounts"
    assert client.get("/accounts").status_code == 303  # the session ended with the old password
    assert login(client, "ubndc", NEW_PASSWORD).status_code == 303
    assert client.get("/accounts").status_code == 200
