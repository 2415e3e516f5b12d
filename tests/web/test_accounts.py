"""Accounts and tokens: hashing, the service, and the ``users``/``tokens`` commands."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest

from tests.steps import DEMO_DATA


@pytest.fixture
def bodies(cli: Any) -> Any:
    assert cli("bodies", "import", DEMO_DATA / "bodies.csv", "--now", "2024-07-01").code == 0
    return cli


def run_with_stdin(cli: Any, monkeypatch: pytest.MonkeyPatch, text: str, *args: str) -> Any:
    monkeypatch.setattr("sys.stdin", io.StringIO(text))
    return cli(*args)


def test_password_hash_is_salted_scrypt_and_verifies() -> None:
    from services.accounts import hash_password, verify_password

    first, second = hash_password("mật-khẩu-dài"), hash_password("mật-khẩu-dài")
    assert first.startswith("scrypt$n=16384,r=8,p=1$") and first != second
    assert verify_password("mật-khẩu-dài", first)
    assert not verify_password("mật-khẩu-dai", first)
    assert not verify_password("x", "garbage")
    assert not verify_password("x", "scrypt$n=1$$")


def test_users_add_list_disable_reset(bodies: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    added = run_with_stdin(
        bodies, monkeypatch, "mat-khau-123\n",
        "users", "add", "Khoa", "--body", "BTGTU", "--role", "coordinator",
        "--name", "Lê Minh Khoa", "--password-stdin", "--json",
    )  # fmt: skip
    assert added.code == 0, added.err
    user = added.json()
    assert user["username"] == "khoa" and user["display_name"] == "Lê Minh Khoa"
    assert "password" not in added.out and "mat-khau-123" not in added.out
    listed = bodies("users", "list", "--json").json()
    assert [(u["username"], u["role"], u["body"], u["active"]) for u in listed] == [
        ("khoa", "coordinator", "BTGTU", True)
    ]
    assert bodies("users", "disable", "khoa").code == 0
    assert bodies("users", "list", "--json").json()[0]["active"] is False
    again = bodies("users", "disable", "khoa")
    assert again.code == 1 and again.err.count("\n") == 1
    reset = run_with_stdin(
        bodies, monkeypatch, "mat-khau-moi-1\n", "users", "reset-password", "khoa"
    )
    assert reset.code == 0
    from services import accounts, clock

    assert accounts.authenticate("khoa", "mat-khau-moi-1", now=clock.now()) is None  # disabled


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (
            ["users", "add", "a b", "--body", "UBND", "--role", "agency"],
            "mat-khau-123\n",
            "username",
        ),
        (
            ["users", "add", "an", "--body", "NOPE", "--role", "agency"],
            "mat-khau-123\n",
            "unknown body",
        ),
        (["users", "add", "an", "--body", "UBND", "--role", "agency"], "short\n", "8 characters"),
        (["users", "add", "an", "--body", "UBND", "--role", "agency"], "", "no password"),
        (["users", "disable", "ghost"], "", "unknown user"),
        (["users", "reset-password", "ghost"], "mat-khau-123\n", "unknown user"),
        (["tokens", "issue", "ghost"], "", "unknown user"),
        (["tokens", "revoke", "42"], "", "unknown token"),
    ],
)
def test_bad_input_is_one_error_line(
    bodies: Any, monkeypatch: pytest.MonkeyPatch, args: list[str], stdin: str, message: str
) -> None:
    result = run_with_stdin(bodies, monkeypatch, stdin, *args, "--lang", "en")
    assert result.code == 1
    assert result.err.count("\n") == 1 and message in result.err


def test_bad_role_is_a_usage_error(bodies: Any) -> None:
    result = bodies("users", "add", "an", "--body", "UBND", "--role", "admin")
    assert result.code == 2 and result.err.count("\n") == 1


def test_duplicate_user_is_refused(bodies: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    args = ("users", "add", "an", "--body", "UBND", "--role", "agency")
    assert run_with_stdin(bodies, monkeypatch, "mat-khau-123\n", *args).code == 0
    again = run_with_stdin(bodies, monkeypatch, "mat-khau-123\n", *args)
    assert (again.code, again.err) == (1, "phoihop: lỗi: Tài khoản an đã có.\n")


def test_tokens_issue_once_list_and_revoke(bodies: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from sqlmodel import select

    from models import ApiToken, AuditRecord
    from services import accounts, clock, db

    args = ("users", "add", "an", "--body", "UBND", "--role", "agency")
    run_with_stdin(bodies, monkeypatch, "mat-khau-123\n", *args)
    issued = bodies("tokens", "issue", "an", "--name", "báo cáo", "--json").json()
    token = issued["token"]
    assert len(token) >= 43
    human = bodies("tokens", "issue", "an")
    assert "Mã chỉ hiện một lần này; hãy cất giữ cẩn thận." in human.out
    listed = bodies("tokens", "list", "--json").json()
    assert [t["name"] for t in listed] == ["báo cáo", "api"]
    assert token not in json.dumps(listed)
    with db.reading() as session:
        stored = session.exec(select(ApiToken.token_hash)).all()
        actions = session.exec(select(AuditRecord.action)).all()
    assert token not in stored and accounts.token_hash(token) in stored
    assert {"user.created", "token.issued"} <= set(actions)
    assert accounts.principal_for_token(token, now=clock.now()) is not None
    assert bodies("tokens", "revoke", str(issued["id"])).code == 0
    assert accounts.principal_for_token(token, now=clock.now()) is None
    assert bodies("tokens", "revoke", str(issued["id"])).code == 1


def test_authenticate_audits_both_outcomes(bodies: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from sqlmodel import select

    from models import AuditRecord
    from services import accounts, clock, db

    args = ("users", "add", "an", "--body", "UBND", "--role", "agency")
    run_with_stdin(bodies, monkeypatch, "mat-khau-123\n", *args)
    who = accounts.authenticate("AN", "mat-khau-123", now=clock.now())
    assert who is not None and who.body_code == "UBND" and who.role == "agency"
    assert accounts.authenticate("an", "wrong-password", now=clock.now()) is None
    with db.reading() as session:
        actions = session.exec(select(AuditRecord.action)).all()
    assert actions.count("user.login") == 1 and actions.count("user.login_failed") == 1


def test_wrong_passwords_lock_the_account_name_for_a_while(
    bodies: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import UTC, datetime, timedelta

    from sqlmodel import select

    from models import AuditRecord
    from rules.lockout import LOCKOUT, MAX_FAILURES
    from services import accounts, db

    args = ("users", "add", "an", "--body", "UBND", "--role", "agency")
    assert run_with_stdin(bodies, monkeypatch, "mat-khau-123\n", *args).code == 0
    t0 = datetime(2024, 7, 10, 2, 0, tzinfo=UTC)

    def at(minutes: float) -> datetime:
        return t0 + timedelta(minutes=minutes)

    for i in range(MAX_FAILURES - 1):
        assert accounts.authenticate("an", "sai-mat-khau", now=at(i)) is None
    assert accounts.authenticate("an", "mat-khau-123", now=at(4.5)) is not None  # count restarts
    for i in range(MAX_FAILURES):
        assert accounts.authenticate("an", "sai-mat-khau", now=at(5 + i)) is None
    last = at(5 + MAX_FAILURES - 1)
    with pytest.raises(accounts.LoginLocked) as locked:  # even the right password
        accounts.authenticate("an", "mat-khau-123", now=last + timedelta(minutes=1))
    assert locked.value.until == last + LOCKOUT
    assert accounts.authenticate("an", "mat-khau-123", now=last + LOCKOUT) is not None
    with db.reading() as session:
        refused = session.exec(
            select(AuditRecord).where(AuditRecord.action == "user.login_locked")
        ).one()
    assert refused.actor == "an" and refused.detail["until"] == (last + LOCKOUT).isoformat()


def test_unknown_account_names_lock_the_same_way(bodies: Any) -> None:
    """Otherwise the lock would tell which account names exist."""
    from rules.lockout import MAX_FAILURES
    from services import accounts, clock

    for _ in range(MAX_FAILURES):
        assert accounts.authenticate("khong-co", "mat-khau-123", now=clock.now()) is None
    with pytest.raises(accounts.LoginLocked):
        accounts.authenticate("khong-co", "mat-khau-123", now=clock.now())


def test_the_throttle_forgets_names_nobody_tried_for_a_while(bodies: Any) -> None:
    """Any well-formed name gets a throttle row (so a lock never tells which accounts
    exist): rows older than the rule looks back are deleted as later attempts come, so
    guessing on random names cannot grow the table without end."""
    from datetime import UTC, datetime, timedelta

    from sqlmodel import select

    from models import LoginThrottle
    from rules.lockout import LOOKBACK
    from services import accounts, db

    t0 = datetime(2024, 7, 10, 2, 0, tzinfo=UTC)
    for n in range(30):
        assert accounts.authenticate(f"khong-co-{n}", "sai", now=t0) is None
    accounts.authenticate("gan-day", "sai", now=t0 + LOOKBACK - timedelta(minutes=5))
    accounts.authenticate("sau-nay", "sai", now=t0 + LOOKBACK + timedelta(minutes=1))
    with db.reading() as session:
        names = set(session.exec(select(LoginThrottle.username)).all())
    assert names == {"gan-day", "sau-nay"}
