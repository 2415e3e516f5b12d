"""``users add|list|disable|reset-password`` and ``tokens issue|list|revoke``: web accounts.

Accounts are managed from the command line on the coordinator's machine: the
web face has no sign-up page, so nobody can give themselves an account.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from commands.argtypes import record_id
from commands.language import english, say
from commands.output import Answer, actor, actor_option, table
from rules.roles import ROLES
from rules.timezone import vn_date


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    users = sub.add_parser("users", help="web accounts").add_subparsers(
        dest="action", metavar="ACTION", required=True
    )
    p = users.add_parser("add", parents=[common], help="create an account for a body")
    p.add_argument("username")
    p.add_argument("--body", required=True, metavar="CODE", help="the body the user works for")
    p.add_argument("--role", required=True, choices=ROLES)
    p.add_argument("--name", help="display name (default: the username)")
    p.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    actor_option(p)
    p.set_defaults(handler=users_add)
    p = users.add_parser("list", parents=[common], help="list accounts")
    p.set_defaults(handler=users_list)
    p = users.add_parser("disable", parents=[common], help="disable an account")
    p.add_argument("username")
    actor_option(p)
    p.set_defaults(handler=users_disable)
    p = users.add_parser("reset-password", parents=[common], help="set a new password")
    p.add_argument("username")
    p.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    actor_option(p)
    p.set_defaults(handler=users_reset_password)

    tokens = sub.add_parser("tokens", help="API tokens").add_subparsers(
        dest="action", metavar="ACTION", required=True
    )
    p = tokens.add_parser("issue", parents=[common], help="issue a token (printed once)")
    p.add_argument("username")
    p.add_argument("--name", default="api", help="what the token is for (default: api)")
    actor_option(p)
    p.set_defaults(handler=tokens_issue)
    p = tokens.add_parser("list", parents=[common], help="list tokens (never the secrets)")
    p.set_defaults(handler=tokens_list)
    p = tokens.add_parser("revoke", parents=[common], help="revoke a token by its id")
    p.add_argument("token_id", type=record_id, metavar="TOKEN_ID")
    actor_option(p)
    p.set_defaults(handler=tokens_revoke)


def _read_password(from_stdin: bool) -> str:
    """From a TTY: prompt twice without echo. Otherwise (or with --password-stdin): stdin."""
    from rules.errors import UserError

    if not from_stdin and sys.stdin.isatty():
        import getpass

        first = getpass.getpass("Mật khẩu / Password: ")
        second = getpass.getpass("Nhập lại / Repeat: ")
        if first != second:
            raise UserError("the two passwords differ")
        return first
    line = sys.stdin.readline()
    password = line.rstrip("\r\n")
    if not password:
        raise UserError("no password on standard input")
    return password


# the pages' words (web.i18n role_*); in English the code itself, as --role takes it
ROLES_VI = {"coordinator": "cơ quan chủ trì", "agency": "cơ quan phối hợp",
            "viewer": "lãnh đạo (chỉ xem)"}  # fmt: skip


def _role(role: str) -> str:
    return role if english() else ROLES_VI.get(role, role)


def _user_line(u: dict[str, Any]) -> str:
    state = "" if u["active"] else say(" (đã khóa)", " (disabled)")
    who = f"{u['username']} — {u['display_name']}"
    return say(f"{who}, {u['body']}, vai trò: {_role(u['role'])}{state}",
               f"{who}, {u['role']} of {u['body']}{state}")  # fmt: skip


def users_add(args: argparse.Namespace) -> Answer:
    from services import accounts, clock

    password = _read_password(args.password_stdin)
    user = accounts.create_user(
        args.username,
        body=args.body,
        role=args.role,
        password=password,
        display_name=args.name,
        now=clock.now(),
        actor=actor(args),
    )
    return Answer(user, lambda c: c.print(say("Đã tạo tài khoản", "Created"), _user_line(user)))


def users_list(args: argparse.Namespace) -> Answer:
    from services import accounts

    rows = accounts.list_users()
    return Answer(
        rows,
        lambda c: c.print(
            table(
                say("Tài khoản", "Accounts"),
                ["Username", "Name", "Body", "Role", "Active", "Created"]
                if english()
                else ["Tên đăng nhập", "Họ tên", "Cơ quan", "Vai trò", "Hoạt động", "Tạo ngày"],
                [
                    [
                        u["username"],
                        u["display_name"],
                        u["body"],
                        _role(u["role"]),
                        say("có", "yes") if u["active"] else say("không", "no"),
                        vn_date(u["created_at"]),
                    ]
                    for u in rows
                ],
            )
        ),
    )


def users_disable(args: argparse.Namespace) -> Answer:
    from services import accounts, clock

    user = accounts.disable_user(args.username, now=clock.now(), actor=actor(args))
    return Answer(
        user,
        lambda c: c.print(say("Đã khóa tài khoản", "Disabled"), _user_line(user)),
    )


def users_reset_password(args: argparse.Namespace) -> Answer:
    from services import accounts, clock

    password = _read_password(args.password_stdin)
    user = accounts.reset_password(
        args.username, password=password, now=clock.now(), actor=actor(args)
    )
    name = user["username"]
    return Answer(user, lambda c: c.print(say(f"Đã đặt mật khẩu mới cho {name}",
                                              f"New password set for {name}")))  # fmt: skip


def tokens_issue(args: argparse.Namespace) -> Answer:
    from services import accounts, clock

    issued = accounts.issue_token(args.username, name=args.name, now=clock.now(), actor=actor(args))

    def render(c: Any) -> None:
        token = f"{issued['id']} ({issued['name']})"
        c.print(say(f"Mã truy cập {token} của {issued['username']}:",
                    f"Token {token} for {issued['username']}:"))  # fmt: skip
        c.print(issued["token"])
        c.print(say("Mã chỉ hiện một lần này; hãy cất giữ cẩn thận.",
                    "It is shown only now; store it safely."))  # fmt: skip

    return Answer(issued, render)


def tokens_list(args: argparse.Namespace) -> Answer:
    from services import accounts

    rows = accounts.list_tokens()
    return Answer(
        rows,
        lambda c: c.print(
            table(
                say("Mã truy cập API", "API tokens"),
                ["ID", "User", "Name", "Created", "Revoked", "Last used"]
                if english()
                else ["ID", "Người dùng", "Tên", "Tạo ngày", "Thu hồi", "Dùng lần cuối"],
                [
                    [
                        t["id"],
                        t["username"],
                        t["name"],
                        vn_date(t["created_at"]),
                        vn_date(t["revoked_at"]),
                        vn_date(t["last_used_at"]),
                    ]
                    for t in rows
                ],
            )
        ),
    )


def tokens_revoke(args: argparse.Namespace) -> Answer:
    from services import accounts, clock

    revoked = accounts.revoke_token(args.token_id, now=clock.now(), actor=actor(args))
    token = f"{revoked['id']} ({revoked['name']})"
    return Answer(revoked, lambda c: c.print(say(f"Đã thu hồi mã truy cập {token}",
                                                 f"Revoked token {token}")))  # fmt: skip
