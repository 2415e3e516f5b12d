"""Who is asking: signed session cookies for pages, bearer tokens for the API, CSRF, refusals.

- **Sessions**: server-side. The cookie holds ``{session token, CSRF token}``
  signed with itsdangerous (HMAC over the application's secret) and
  timestamped by :mod:`services.clock` (so a simulated clock ages it too); it
  expires after :data:`SESSION_MAX_AGE` whatever the browser does. It is
  ``HttpOnly`` and ``SameSite=Lax`` (``Secure`` over HTTPS). Each request
  looks the token's session up together with its account (one query), so
  logging out, disabling the user or resetting the password ends the session
  at once, for every copy of the cookie.
- **CSRF**: every form carries the session's random CSRF token (before login,
  the token of a signed pre-session cookie); a POST whose token does not match
  is refused. Lax cookies already stop cross-site POSTs; the token is the
  second lock.
- **API**: ``Authorization: Bearer <token>`` only (no cookies, so no CSRF
  surface); tokens are looked up by their SHA-256.
- **Refusals**: :func:`deny` audits ``access.denied`` (user, path, reason)
  and raises a 403 that says nothing about what was refused.
"""

from __future__ import annotations

import hmac
import os
import secrets
from pathlib import Path
from typing import Any

from fastapi import Request
from itsdangerous import BadSignature, TimestampSigner, URLSafeTimedSerializer

from services import accounts, clock, settings
from services.accounts import Principal

SESSION_COOKIE = "phoihop_session"
PRESESSION_COOKIE = "phoihop_pre"
SESSION_MAX_AGE = int(accounts.SESSION_LIFETIME.total_seconds())  # one working day
MAX_SESSION_TOKEN = 256
SECRET_FILE = "secret.key"


class AuthError(Exception):
    """Not authenticated (401 for the API, a redirect to the login page for pages)."""

    def __init__(self, message: str = "authentication required") -> None:
        super().__init__(message)
        self.message = message


class Forbidden(Exception):
    """Authenticated but not allowed: a 403 that names nothing of what was asked.

    ``csrf`` says the refusal is a stale or forged form (the page says to reload it).
    """

    def __init__(self, *, csrf: bool = False) -> None:
        super().__init__("forbidden")
        self.csrf = csrf


def secret_key() -> str:
    """``PHOIHOP_SECRET_KEY``, else ``secret.key`` in the data directory (created 0600)."""
    explicit = settings.current().secret_key
    if explicit is not None:
        return explicit.get_secret_value()
    path: Path = settings.data_dir() / SECRET_FILE
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process won the race: use its key
        return path.read_text(encoding="ascii").strip()
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key + "\n")
    return key


class _ClockedSigner(TimestampSigner):
    """itsdangerous's timestamps from :func:`services.clock.now`, not ``time.time``,
    so a simulated clock (``PHOIHOP_NOW``) also ages and expires sessions."""

    def get_timestamp(self) -> int:
        return int(clock.now().timestamp())


class Signer:
    """Signs and checks the session and pre-session cookies with the app's secret."""

    def __init__(self, secret: str) -> None:
        self._session = URLSafeTimedSerializer(
            secret, salt="phoihop.session", signer=_ClockedSigner
        )
        self._pre = URLSafeTimedSerializer(secret, salt="phoihop.presession", signer=_ClockedSigner)

    def session_cookie(self, session_token: str) -> str:
        return self._session.dumps({"t": session_token, "c": secrets.token_urlsafe(24)})

    def read_session(self, value: str | None) -> dict[str, Any] | None:
        if not value or len(value) > 4096:
            return None
        try:
            data = self._session.loads(value, max_age=SESSION_MAX_AGE)
        except BadSignature:  # also SignatureExpired
            return None
        return data if isinstance(data, dict) else None

    def presession_cookie(self) -> str:
        return self._pre.dumps(secrets.token_urlsafe(24))

    def read_presession(self, value: str | None) -> str | None:
        if not value or len(value) > 1024:
            return None
        try:
            nonce = self._pre.loads(value, max_age=SESSION_MAX_AGE)
        except BadSignature:
            return None
        return nonce if isinstance(nonce, str) else None


def signer(request: Request) -> Signer:
    return request.app.state.signer


def session_principal(request: Request) -> Principal | None:
    """The logged-in user of a page request, or None; cached on the request."""
    if hasattr(request.state, "principal"):
        return request.state.principal
    data = signer(request).read_session(request.cookies.get(SESSION_COOKIE)) or {}
    principal = None
    token = data.get("t")
    if isinstance(token, str) and 0 < len(token) <= MAX_SESSION_TOKEN:
        principal = accounts.principal_for_session(token, now=clock.now())
        if principal is not None:
            request.state.csrf = str(data.get("c", ""))
            request.state.session_token = token
    request.state.principal = principal
    return principal


def end_session(request: Request) -> None:
    """Log out the request's session on the server (audited), if it has a live one."""
    if session_principal(request) is not None:
        accounts.end_session(request.state.session_token, now=clock.now())


def csrf_token(request: Request) -> str:
    """The token forms on this page must carry (session's, else the pre-session nonce)."""
    if session_principal(request) is not None:
        return request.state.csrf
    existing = signer(request).read_presession(request.cookies.get(PRESESSION_COOKIE))
    if existing:
        return existing
    cookie = signer(request).presession_cookie()
    request.state.new_presession = cookie  # set on the response by the page renderer
    return signer(request).read_presession(cookie) or ""


def check_csrf(request: Request, submitted: object) -> None:
    """Refuse a POST whose form token is missing or wrong (audited, 403)."""
    expected = ""
    if session_principal(request) is not None:
        expected = request.state.csrf
    else:
        expected = signer(request).read_presession(request.cookies.get(PRESESSION_COOKIE)) or ""
    if not (
        isinstance(submitted, str)
        and expected
        and hmac.compare_digest(submitted.encode(), expected.encode())
    ):
        deny(request, session_principal(request), "csrf token missing or invalid", csrf=True)


def bearer_principal(request: Request) -> Principal:
    """The API caller, from its bearer token; 401 otherwise (with WWW-Authenticate)."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or len(token) > 256:
        raise AuthError("a bearer token is required (Authorization: Bearer <token>)")
    # Its last use is queued, folded with others': the request does not wait for it.
    principal = accounts.principal_for_token(
        token, now=clock.now(), record_use=request.app.state.token_uses.add
    )
    if principal is None:
        raise AuthError("invalid, revoked or disabled token")
    request.state.principal = principal
    return principal


def deny(
    request: Request,
    principal: Principal | None,
    reason: str,
    *,
    csrf: bool = False,
) -> None:
    """Audit the refusal and raise the 403 (``reason`` goes to the audit log only)."""
    accounts.record_denial(
        principal, path=request.url.path, reason=reason, now=clock.now(), method=request.method
    )
    raise Forbidden(csrf=csrf)


def require(request: Request, principal: Principal | None, allowed: bool, reason: str) -> None:
    """Go on if ``allowed``; otherwise refuse (audited) with ``reason`` in the log only."""
    if not allowed:
        deny(request, principal, reason)


def set_session(response: Any, request: Request, session_token: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        signer(request).session_cookie(session_token),
        max_age=SESSION_MAX_AGE,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/",
    )


def clear_session(response: Any) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax")


def set_presession(response: Any, request: Request) -> None:
    cookie = getattr(request.state, "new_presession", None)
    if cookie:
        response.set_cookie(
            PRESESSION_COOKIE,
            cookie,
            max_age=SESSION_MAX_AGE,
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
            path="/",
        )
