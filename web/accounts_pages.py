"""``/accounts``: a coordinator manages its own body's accounts and API tokens on the web.

Each action is the one service call the CLI makes (``phoihop users add|disable|
reset-password``, ``phoihop tokens issue|revoke``: :mod:`services.accounts`), so the
rules, the audit records and the ended sessions are the same; this module only adds
who may ask (:mod:`web.access`: a coordinator, for the accounts of its own body, and
the roles it may give). A refused form shows the page again with the error next to
the form and what was typed kept, never the passwords. A token's secret is shown in
the answer to the form that issued it, and never again (only its hash is stored).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from rules.errors import Conflict, NotFound, UserError
from services import accounts, clock
from services.accounts import Principal
from web import access, auth
from web.pages import coordinator, field, form, said, write
from web.render import page, redirect

router = APIRouter(include_in_schema=False)
Username = Annotated[str, Path(max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")]
TokenId = Annotated[int, Path(ge=1, le=2**31 - 1)]
_NOT_COORDINATOR = "accounts: not a coordinator"  # the audited reason of every page's 403


def _account(request: Request, who: Principal, username: str) -> str:
    """The account's username, once ``who`` may manage it (NotFound for an unknown one)."""
    body_id = accounts.body_of_user(username)
    auth.require(request, who, access.can_manage_account(who, body_id), "account of another body")
    return username.strip().lower()


def _accounts_page(
    request: Request,
    who: Principal,
    status: int = 200,
    *,
    form_error: dict[str, str] | None = None,
    typed: dict[str, str] | None = None,
    issued: dict[str, Any] | None = None,
) -> Response:
    users = accounts.list_users(who.body_id)
    tokens: dict[str, list[dict[str, Any]]] = {}
    for token in accounts.list_tokens(who.body_id):
        tokens.setdefault(token["username"], []).append(token)
    return page(request, "accounts.html", status, users=users, tokens=tokens,
                roles=access.ACCOUNT_ROLES, form_error=form_error or {}, typed=typed or {},
                issued=issued, min_password=accounts.MIN_PASSWORD,
                max_password=accounts.MAX_PASSWORD)  # fmt: skip


async def _refused(
    request: Request, who: Principal, exc: UserError, form_name: str, typed: dict[str, str]
) -> Response:
    """The page again, the error by the form ``form_name``, what was typed kept."""
    error = {"form": form_name, "text": said(request, exc), "field": exc.field or ""}
    status = 409 if isinstance(exc, Conflict) else 400
    return await run_in_threadpool(
        _accounts_page, request, who, status, form_error=error, typed=typed
    )


def _new_password(data: FormData) -> str:
    """The password typed twice (the CLI's prompt asks twice too)."""
    first, second = data.get("password"), data.get("password_repeat")
    first = first if isinstance(first, str) else ""
    if first != (second if isinstance(second, str) else ""):
        raise UserError("the two passwords differ", field="password")
    return first


@router.get("/accounts")
def accounts_page(request: Request) -> Response:
    """The body's accounts with their tokens, and the forms managing them."""
    return _accounts_page(request, coordinator(request, _NOT_COORDINATOR))


@router.post("/accounts")
async def add_account(request: Request) -> Response:
    """A new account of the coordinator's own body (``phoihop users add``)."""
    who = coordinator(request, _NOT_COORDINATOR)
    data = await form(request)
    typed = {name: data.get(name) for name in ("username", "display_name", "role")}
    typed = {k: v[:200] if isinstance(v, str) else "" for k, v in typed.items()}
    try:
        role = field(data, "role", 16)
        if role not in access.ACCOUNT_ROLES:
            raise UserError(
                f"a coordinator gives only the roles {', '.join(access.ACCOUNT_ROLES)}; "
                "a leadership account is made by the operator (phoihop users add)",
                field="role",
            )
        created = await write(
            request,
            accounts.create_user,
            field(data, "username", 64),
            body=who.body_code,
            role=role,
            password=_new_password(data),
            display_name=field(data, "display_name", 200) or None,
            now=clock.now(),
            actor=who.username,
        )
    except NotFound:
        raise
    except UserError as exc:
        return await _refused(request, who, exc, "add", typed)
    return redirect(request, f"/accounts#user-{created['username']}", ok="account_created_msg")


@router.post("/accounts/{username}/disable")
async def disable_account(username: Username, request: Request) -> Response:
    """Disable an account: its sessions and tokens stop at once (``phoihop users disable``)."""
    who = coordinator(request, _NOT_COORDINATOR)
    await form(request)
    name = _account(request, who, username)
    try:
        if name == who.username:
            raise UserError(
                "you cannot disable your own account; ask another coordinator or the operator"
            )
        await write(request, accounts.disable_user, name, now=clock.now(), actor=who.username)
    except NotFound:
        raise
    except UserError as exc:
        return await _refused(request, who, exc, f"disable:{name}", {})
    return redirect(request, f"/accounts#user-{name}", ok="account_disabled_msg")


@router.post("/accounts/{username}/password")
async def reset_password(username: Username, request: Request) -> Response:
    """A new password: whoever had the old one is logged out (``phoihop users reset-password``);
    resetting one's own ends this session too, so the answer is the login page."""
    who = coordinator(request, _NOT_COORDINATOR)
    data = await form(request)
    name = _account(request, who, username)
    try:
        await write(request, accounts.reset_password, name, password=_new_password(data),
                    now=clock.now(), actor=who.username)  # fmt: skip
    except NotFound:
        raise
    except UserError as exc:
        return await _refused(request, who, exc, f"password:{name}", {})
    target = "/login?next=/accounts" if name == who.username else f"/accounts#user-{name}"
    return redirect(request, target, ok="password_reset_msg")


@router.post("/accounts/{username}/tokens")
async def issue_token(username: Username, request: Request) -> Response:
    """A new API token (``phoihop tokens issue``): its secret is in this answer only."""
    who = coordinator(request, _NOT_COORDINATOR)
    data = await form(request)
    name = _account(request, who, username)
    typed = {"token_name": v[:200] if isinstance(v := data.get("token_name"), str) else ""}
    try:
        issued = await write(request, accounts.issue_token, name,
                             name=field(data, "token_name", 200), now=clock.now(),
                             actor=who.username)  # fmt: skip
    except NotFound:
        raise
    except UserError as exc:
        return await _refused(request, who, exc, f"token:{name}", typed)
    return await run_in_threadpool(_accounts_page, request, who, issued=issued)


@router.post("/accounts/tokens/{token_id}/revoke")
async def revoke_token(token_id: TokenId, request: Request) -> Response:
    """Revoke a token of one of the body's accounts (``phoihop tokens revoke``)."""
    who = coordinator(request, _NOT_COORDINATOR)
    await form(request)
    owner = accounts.body_of_token(token_id)
    auth.require(request, who, access.can_manage_account(who, owner), "token of another body")
    try:
        await write(request, accounts.revoke_token, token_id, now=clock.now(), actor=who.username)
    except NotFound:
        raise
    except UserError as exc:
        return await _refused(request, who, exc, f"revoke:{token_id}", {})
    return redirect(request, "/accounts#tokens", ok="token_revoked_msg")
