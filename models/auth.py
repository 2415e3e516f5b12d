"""Accounts for the web face: who may log in, for which body, in which role.

Secrets are never stored: a password is kept as a salted scrypt hash and an
API token as the SHA-256 of the random token (a token has 256 bits of entropy,
so a fast hash is enough; a password has far fewer, so it gets a slow one).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column
from sqlmodel import Field, SQLModel

from models.types import JSONType, UTCDateTime


class User(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(unique=True, index=True, max_length=64)
    display_name: str
    body_id: int = Field(foreign_key="body.id", index=True)
    role: str = Field(max_length=16)  # coordinator | agency | viewer
    password_hash: str
    active: bool = True
    created_at: datetime = Field(sa_type=UTCDateTime)


class ApiToken(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    name: str = Field(max_length=64)
    token_hash: str = Field(unique=True, index=True, max_length=64)
    created_at: datetime = Field(sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class WebSession(SQLModel, table=True):
    """A logged-in browser. The cookie carries a random id; only its SHA-256 is kept.

    Logging out ends the row, so a copy of the cookie stops working at once,
    not when its signature expires.
    """

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    token_hash: str = Field(unique=True, index=True, max_length=64)
    created_at: datetime = Field(sa_type=UTCDateTime)
    ended_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class LoginThrottle(SQLModel, table=True):
    """Recent wrong-password attempts of one account name (see :mod:`rules.lockout`).

    An attempt is counted here *before* its password is checked, in a
    transaction that holds the row, so parallel guesses cannot all slip in
    under the limit; a correct password clears the list.
    """

    username: str = Field(primary_key=True, max_length=64)
    failures: list[str] = Field(sa_column=Column(JSONType, nullable=False))  # ISO instants
    updated_at: datetime = Field(sa_type=UTCDateTime)
