"""User accounts, web sessions and API tokens: create, disable, reset, authenticate.

Passwords are hashed with scrypt (memory-hard, in the standard library) and a
per-user random salt, in a self-describing string
``scrypt$n=16384,r=8,p=1$<salt b64>$<hash b64>`` so the cost can be raised
later without breaking stored hashes. Tokens are ``secrets.token_urlsafe(32)``
and only their SHA-256 is stored; the token itself is shown once, at issue.
Web sessions work the same way: the browser's cookie carries a random token,
the database its SHA-256 in a :class:`~models.WebSession` row that logging out,
disabling the user or resetting the password ends, so a copied cookie dies
with it. Every change is one transaction with its audit record, like every
other service; refused access is audited here too (``access.denied``).

Login throttling (:mod:`rules.lockout`) counts an attempt *before* its
password is checked, in a write transaction that holds the name's
:class:`~models.LoginThrottle` row: parallel guesses queue on that row, so no
more than :data:`rules.lockout.MAX_FAILURES` of them ever reach a password check.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, delete, or_, update
from sqlmodel import Session, select

from models import ApiToken, Body, LoginThrottle, User, WebSession
from rules import lockout
from rules.errors import Conflict, NotFound, UserError
from rules.roles import ROLES
from rules.text import clean
from services import db
from services.registry import body_by_code

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
MIN_PASSWORD = 8
MAX_PASSWORD = 1024  # scrypt on megabytes of "password" is a denial of service
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
# last_used_at is bookkeeping, not a trail: refresh it at most this often so a
# busy token does not turn every read into a write.
LAST_USED_GRANULARITY = timedelta(minutes=1)
# A web session lasts one working day from login, whatever the browser does.
SESSION_LIFETIME = timedelta(hours=8)


@dataclass(frozen=True)
class Principal:
    """Who is acting, with the body and role every access decision needs."""

    user_id: int
    username: str
    display_name: str
    role: str
    body_id: int
    body_code: str
    body_name: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "username": self.username,
            "display_name": self.display_name,
            "role": self.role,
            "body": self.body_code,
            "body_name": self.body_name,
        }


# -- password hashing -----------------------------------------------------------------


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_password(password: str) -> str:
    """A salted scrypt hash in a self-describing format."""
    check_password_strength(password)
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32
    )
    return f"scrypt$n={SCRYPT_N},r={SCRYPT_R},p={SCRYPT_P}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, stored: str) -> bool:
    """Whether ``password`` matches ``stored``; constant-time compare, never raises."""
    try:
        scheme, params, salt_b64, digest_b64 = stored.split("$")
        if scheme != "scrypt" or len(password) > MAX_PASSWORD:
            return False
        cost = dict(item.split("=") for item in params.split(","))
        expected = base64.b64decode(digest_b64)
        actual = hashlib.scrypt(
            password.encode("utf-8"),
            salt=base64.b64decode(salt_b64),
            n=int(cost["n"]),
            r=int(cost["r"]),
            p=int(cost["p"]),
            dklen=len(expected),
        )
    except (ValueError, KeyError, UnicodeEncodeError):
        return False
    return hmac.compare_digest(actual, expected)


def check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise UserError(f"a password needs at least {MIN_PASSWORD} characters", field="password")
    if len(password) > MAX_PASSWORD:
        raise UserError(f"a password has at most {MAX_PASSWORD} characters", field="password")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


# -- users --------------------------------------------------------------------------------


def _check_username(username: str) -> str:
    username = username.strip().lower()
    if not _USERNAME.match(username):
        raise UserError(
            f"invalid username {username!r}: 2–64 characters of a-z, 0-9, '.', '_', '-'",
            field="username",
        )
    return username


def _user(session: Session, username: str) -> User:
    user = session.exec(select(User).where(User.username == username.strip().lower())).first()
    if user is None:
        raise NotFound(f"unknown user: {username}")
    return user


def user_dict(user: User, body_code: str) -> dict[str, Any]:
    return {
        "id": user.id,
        "username": user.username,
        "display_name": user.display_name,
        "body": body_code,
        "role": user.role,
        "active": user.active,
        "created_at": user.created_at,
    }


def create_user(
    username: str,
    *,
    body: str,
    role: str,
    password: str,
    display_name: str | None,
    now: datetime,
    actor: str,
) -> dict[str, Any]:
    """Create an account for one body in one role."""
    username = _check_username(username)
    if role not in ROLES:
        raise UserError(f"unknown role {role!r}; use {', '.join(ROLES)}", field="role")
    name = clean(display_name or username, "the name", field="display_name").strip() or username
    password_hash = hash_password(password)
    with db.transaction() as session:
        body_row = body_by_code(session, body)
        if session.exec(select(User.id).where(User.username == username)).first():
            raise Conflict(f"user {username} already exists", field="username")
        user = User(
            username=username,
            display_name=name,
            body_id=body_row.id,
            role=role,
            password_hash=password_hash,
            created_at=now,
        )
        session.add(user)
        session.flush()
        db.audit(
            session,
            at=now,
            actor=actor,
            action="user.created",
            username=username,
            body=body_row.code,
            role=role,
        )
        return user_dict(user, body_row.code)


def list_users(body_id: int | None = None) -> list[dict[str, Any]]:
    """Every account (the CLI), or one body's (a coordinator's page on the web)."""
    query = select(User, Body.code).join(Body, Body.id == User.body_id)
    if body_id is not None:
        query = query.where(User.body_id == body_id)
    with db.reading() as session:
        rows = session.exec(query.order_by(User.username)).all()
        return [user_dict(u, code) for u, code in rows]


def body_of_user(username: str) -> int:
    """The body an account works for (what the web asks before acting on it)."""
    with db.reading() as session:
        return _user(session, username).body_id


def body_of_token(token_id: int) -> int:
    """The body of the account a token belongs to; NotFound for an unknown token."""
    with db.reading() as session:
        body_id = session.exec(
            select(User.body_id).join(ApiToken, ApiToken.user_id == User.id)
            .where(ApiToken.id == token_id)
        ).first()  # fmt: skip
    if body_id is None:
        raise NotFound(f"unknown token: {token_id}")
    return body_id


def _end_sessions(session: Session, user_id: int | None, now: datetime) -> int:
    """End every open web session of a user, in the caller's transaction; how many."""
    result = session.execute(
        update(WebSession)
        .where(WebSession.user_id == user_id, WebSession.ended_at.is_(None))
        .values(ended_at=now)
    )
    return int(result.rowcount or 0)


def disable_user(username: str, *, now: datetime, actor: str) -> dict[str, Any]:
    """Disable an account: its sessions end and its tokens stop working at once."""
    with db.transaction() as session:
        user = _user(session, username)
        if not user.active:
            raise Conflict(f"user {user.username} is already disabled")
        user.active = False
        session.add(user)
        ended = _end_sessions(session, user.id, now)
        db.audit(
            session,
            at=now,
            actor=actor,
            action="user.disabled",
            username=user.username,
            sessions_ended=ended,
        )
        body = session.get(Body, user.body_id)
        return user_dict(user, body.code if body else "")


def reset_password(username: str, *, password: str, now: datetime, actor: str) -> dict[str, Any]:
    """Set a new password: whoever had the old one is logged out, and a lock on the
    account name is lifted (the owner can log in with the new password at once)."""
    password_hash = hash_password(password)
    with db.transaction() as session:
        user = _user(session, username)
        user.password_hash = password_hash
        session.add(user)
        ended = _end_sessions(session, user.id, now)
        session.execute(delete(LoginThrottle).where(LoginThrottle.username == user.username))
        db.audit(
            session,
            at=now,
            actor=actor,
            action="user.password_reset",
            username=user.username,
            sessions_ended=ended,
        )
        body = session.get(Body, user.body_id)
        return user_dict(user, body.code if body else "")


# -- tokens -------------------------------------------------------------------------------


def issue_token(username: str, *, name: str, now: datetime, actor: str) -> dict[str, Any]:
    """A new API token for an active user; the clear token is returned only here."""
    name = clean(name, "the token name").strip()
    if not name or len(name) > 64:
        raise UserError("a token name needs 1–64 characters")
    token = secrets.token_urlsafe(32)
    with db.transaction() as session:
        user = _user(session, username)
        if not user.active:
            raise Conflict(f"user {user.username} is disabled")
        row = ApiToken(user_id=user.id, name=name, token_hash=token_hash(token), created_at=now)
        session.add(row)
        session.flush()
        db.audit(
            session,
            at=now,
            actor=actor,
            action="token.issued",
            username=user.username,
            token_id=row.id,
            name=name,
        )
        return {"id": row.id, "username": user.username, "name": name, "token": token}


def revoke_token(token_id: int, *, now: datetime, actor: str) -> dict[str, Any]:
    with db.transaction() as session:
        row = session.get(ApiToken, token_id)
        if row is None:
            raise NotFound(f"unknown token: {token_id}")
        if row.revoked_at is not None:
            raise Conflict(f"token {token_id} is already revoked")
        row.revoked_at = now
        session.add(row)
        db.audit(session, at=now, actor=actor, action="token.revoked", token_id=token_id)
        return {"id": row.id, "name": row.name, "revoked_at": now}


def list_tokens(body_id: int | None = None) -> list[dict[str, Any]]:
    """Every token (the CLI), or those of one body's accounts; never the secrets."""
    query = select(ApiToken, User.username).join(User, User.id == ApiToken.user_id)
    if body_id is not None:
        query = query.where(User.body_id == body_id)
    with db.reading() as session:
        rows = session.exec(query.order_by(ApiToken.id)).all()
        return [
            {
                "id": t.id,
                "username": username,
                "name": t.name,
                "created_at": t.created_at,
                "revoked_at": t.revoked_at,
                "last_used_at": t.last_used_at,
            }
            for t, username in rows
        ]


# -- authentication -------------------------------------------------------------------


def _principal(user: User, body: Body) -> Principal:
    assert user.id is not None and body.id is not None
    return Principal(
        user.id, user.username, user.display_name, user.role, body.id, body.code, body.name
    )


class LoginLocked(UserError):
    """Too many wrong passwords for this account name lately (see :mod:`rules.lockout`)."""

    def __init__(self, until: datetime) -> None:
        super().__init__(f"login locked until {until.isoformat()}")
        self.until = until


@dataclass(frozen=True)
class Login:
    """A successful web login: who, and the session token for the browser's cookie."""

    principal: Principal
    session_token: str  # shown to the browser only; the database keeps its SHA-256


def _held_failures(session: Session, username: str, now: datetime) -> list[datetime]:
    """The counted failures of ``username``, its throttle row held until the transaction ends.

    One upsert creates the row if missing and, being an update when it exists,
    locks it on PostgreSQL, so a parallel attempt on the same name waits here
    until this one has counted itself (SQLite has one writer at a time anyway).
    """
    table = LoginThrottle.__table__
    insert = db.upsert(session.connection())
    stmt = insert(table).values(username=username, failures=[], updated_at=now)
    stmt = stmt.on_conflict_do_update(
        index_elements=[table.c.username], set_={"updated_at": stmt.excluded.updated_at}
    ).returning(table.c.failures)
    stored = session.execute(stmt).scalar_one()
    return sorted(datetime.fromisoformat(moment) for moment in stored)


STALE_BATCH = 100  # throttle rows forgotten per attempt: the table stays small, a step each


def _forget_stale(session: Session, now: datetime) -> None:
    """Delete throttle rows untouched for longer than the rule looks back: they hold
    nothing :mod:`rules.lockout` still reads, and any well-formed name gets a row (so
    a lock does not tell which accounts exist), so guessing on random names would
    grow the table without end. A row another attempt holds is skipped, never waited
    for (two attempts cleaning each other's rows would deadlock)."""
    table = LoginThrottle.__table__
    stale = (
        select(table.c.username)
        .where(table.c.updated_at < now - lockout.LOOKBACK)
        .limit(STALE_BATCH)
    )
    if session.connection().dialect.name == "postgresql":
        stale = stale.with_for_update(skip_locked=True)
    session.execute(delete(table).where(table.c.username.in_(stale)))


def _set_failures(session: Session, username: str, failures: list[datetime], now: datetime) -> None:
    session.execute(
        update(LoginThrottle)
        .where(LoginThrottle.username == username)
        .values(
            failures=[moment.astimezone(UTC).isoformat() for moment in failures], updated_at=now
        )
    )


def _reserve_attempt(username: str | None, now: datetime) -> tuple[User, Body] | None:
    """Count this attempt as a failure in advance and return the account it names.

    Raises :class:`LoginLocked` (audited as ``user.login_locked``) instead when
    the name is locked. A name that cannot be an account's is not throttled:
    no password can open it, so guessing on it reveals nothing.
    """
    if username is None:
        return None
    with db.transaction() as session:
        failures = _held_failures(session, username, now)
        until = lockout.locked_until(failures, now)
        if until is None:
            _set_failures(session, username, lockout.counted(failures, now), now)
            _forget_stale(session, now)
            return session.exec(
                select(User, Body)
                .join(Body, Body.id == User.body_id)
                .where(User.username == username)
            ).first()
        db.audit(
            session,
            at=now,
            actor=username,
            action="user.login_locked",
            username=username,
            until=until,
        )
    raise LoginLocked(until)


def _attempt(
    username: str, password: str, *, now: datetime, open_session: bool
) -> tuple[Principal, str | None] | None:
    """One throttled, audited login attempt; the principal (and a session token) if right."""
    try:
        wanted: str | None = _check_username(username)
    except UserError:
        wanted = None
    row = _reserve_attempt(wanted, now)
    # Hash even for unknown users so timing does not tell which usernames exist; scrypt
    # runs outside any transaction (it is slow), the attempt already counted.
    stored = row[0].password_hash if row else _DUMMY_HASH
    ok = verify_password(password, stored) and row is not None and row[0].active
    with db.transaction() as session:
        if not (ok and row and wanted):
            db.audit(
                session,
                at=now,
                actor=wanted or "?",
                action="user.login_failed",
                username=(wanted or username[:64]),
            )
            return None
        _set_failures(session, wanted, [], now)  # a right password starts the count afresh
        token, detail = None, {}
        if open_session:
            token = secrets.token_urlsafe(32)
            web_session = WebSession(
                user_id=row[0].id, token_hash=token_hash(token), created_at=now
            )
            session.add(web_session)
            session.flush()
            detail = {"session_id": web_session.id}
        db.audit(session, at=now, actor=wanted, action="user.login", username=wanted, **detail)
    return _principal(*row), token


def authenticate(username: str, password: str, *, now: datetime) -> Principal | None:
    """The principal for a correct password of an active user; each attempt is audited.

    Raises :class:`LoginLocked` (audited as ``user.login_locked``, password
    not even checked) while the account name is locked by :mod:`rules.lockout`.
    """
    outcome = _attempt(username, password, now=now, open_session=False)
    return outcome[0] if outcome else None


def log_in(username: str, password: str, *, now: datetime) -> Login | None:
    """:func:`authenticate`, and on success a new web session, in the login's transaction."""
    outcome = _attempt(username, password, now=now, open_session=True)
    if outcome is None:
        return None
    principal, session_token = outcome
    assert session_token is not None
    return Login(principal, session_token)


def end_session(session_token: str, *, now: datetime) -> bool:
    """Log out: end the web session of this token (audited); False if it was not open."""
    with db.transaction() as session:
        row = session.exec(
            select(WebSession, User.username)
            .join(User, User.id == WebSession.user_id)
            .where(WebSession.token_hash == token_hash(session_token))
            .where(WebSession.ended_at.is_(None))
        ).first()
        if row is None:
            return False
        web_session, username = row
        web_session.ended_at = now
        session.add(web_session)
        db.audit(
            session,
            at=now,
            actor=username,
            action="user.logout",
            username=username,
            session_id=web_session.id,
        )
        return True


_DUMMY_HASH = (
    "scrypt$n=16384,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
)


_PRINCIPAL = (
    User.id, User.username, User.display_name, User.role, Body.id, Body.code, Body.name,
)  # fmt: skip
"""What every request needs to know about its caller: plain columns, no ORM entities."""


def principal_for_session(session_token: str, *, now: datetime) -> Principal | None:
    """The principal of a page request's session, in one query: None when the session is
    unknown, ended, older than :data:`SESSION_LIFETIME`, or its user disabled."""
    with db.rows() as conn:
        row = conn.execute(
            _SIGNED_IN, {"digest": token_hash(session_token), "since": now - SESSION_LIFETIME}
        ).first()
    return Principal(*row) if row else None


def principal_for_token(
    token: str, *, now: datetime, record_use: Callable[[int, datetime], Any] | None = None
) -> Principal | None:
    """The principal a bearer token stands for, or None (unknown, revoked, user disabled).

    At most once per :data:`LAST_USED_GRANULARITY` the token's last use is recorded:
    by ``record_use(token_id, now)`` when given (the web queues it on its writer, so
    the event loop never waits on a write), else here and now.
    """
    with db.rows() as conn:
        row = conn.execute(_BEARER, {"digest": token_hash(token)}).first()
    if row is None:
        return None
    token_id, last_used, *who = row
    if last_used is None or now - last_used >= LAST_USED_GRANULARITY:
        (record_use or record_token_use)(token_id, now)
    return Principal(*who)


# Built once: every request runs one of them, and building it per call cost more than
# running it.
_SIGNED_IN = (
    select(*_PRINCIPAL)
    .join(WebSession, WebSession.user_id == User.id)
    .join(Body, Body.id == User.body_id)
    .where(WebSession.token_hash == bindparam("digest"))
    .where(WebSession.ended_at.is_(None))
    .where(WebSession.created_at >= bindparam("since"))
    .where(User.active.is_(True))
)
_BEARER = (
    select(ApiToken.id, ApiToken.last_used_at, *_PRINCIPAL)
    .join(User, User.id == ApiToken.user_id)
    .join(Body, Body.id == User.body_id)
    .where(ApiToken.token_hash == bindparam("digest"))
    .where(ApiToken.revoked_at.is_(None), User.active.is_(True))
)


def record_token_use(token_id: int, now: datetime) -> None:
    """Bookkeeping, not a trail: a token's last use, never moved backwards."""
    record_token_uses({token_id: now})


def record_token_uses(uses: Mapping[int, datetime]) -> None:
    """Several tokens' last uses (token id → when) in one transaction: the web folds
    the uses its writer has not reached yet into one write (web.writes.Folded)."""
    if not uses:
        return
    table = ApiToken.__table__
    moved = (
        update(table)
        .where(table.c.id == bindparam("token"))
        .where(or_(table.c.last_used_at.is_(None), table.c.last_used_at < bindparam("at")))
        .values(last_used_at=bindparam("at"))
    )
    with db.transaction() as session:
        session.connection().execute(moved, [{"token": t, "at": at} for t, at in uses.items()])


def record_denial(
    principal: Principal | None, *, path: str, reason: str, now: datetime, method: str = "GET"
) -> None:
    """Audit a refused attempt (who, where, why) in its own transaction."""
    with db.transaction() as session:
        db.audit(
            session,
            at=now,
            actor=principal.username if principal else "anonymous",
            action="access.denied",
            user=principal.username if principal else None,
            body=principal.body_code if principal else None,
            role=principal.role if principal else None,
            path=path[:512],
            method=method,
            reason=reason,
        )
