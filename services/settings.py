"""Every setting phoihop reads, in one validated object (``PHOIHOP_*`` variables).

:func:`current` builds a :class:`Settings` from the environment on demand (never
at import) and keeps it while the variables stay the same, so a test or the
``--now`` option that changes one is seen at once. The CLI validates it at the
start of every command and of ``serve``: a bad value is one line naming the
variable and what it expects, before anything is written.

- ``PHOIHOP_DATA_DIR``: data directory (default ``$XDG_DATA_HOME/phoihop`` or
  ``~/.local/share/phoihop``); holds the SQLite database, Prefect's home, the secret key;
- ``PHOIHOP_DATABASE_URL``: a SQLite or PostgreSQL SQLAlchemy URL (default SQLite in the
  data directory);
- ``PHOIHOP_CALENDAR_OVERRIDES``: the operator's calendar overrides (default
  ``calendar-overrides.yaml`` in the data directory, if present);
- ``PHOIHOP_NOW``: a simulated current time (ISO; a naive time is Vietnam time);
- ``PHOIHOP_USER``: who is acting, in the audit log;
- ``PHOIHOP_SMTP_HOST``, ``_PORT``, ``_USER``, ``_PASSWORD``, ``_STARTTLS``, ``_FROM``: e-mail;
- ``PHOIHOP_SECRET_KEY``: the web face's signing key (default ``secret.key`` in the data dir);
- ``PHOIHOP_TEMPLATES_DIR``: a folder of the office's own document templates
  (``party-report.docx`` …), each replacing the default of the same name;
- ``PHOIHOP_LANG``: the command line's language, ``vi`` (default) or ``en`` (``--lang``);
- ``PHOIHOP_NOTIFY_URLS``: further channels for the outbox, as apprise URLs
  (``json://…``, ``tgram://…``, ``msteams://…``), besides or instead of e-mail.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from rules.errors import UserError
from rules.timezone import parse_moment

PREFIX = "PHOIHOP_"
BACKENDS = ("sqlite", "postgresql")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=PREFIX, extra="ignore", frozen=True)

    data_dir: Path = Field(default_factory=lambda: _default_data_dir())
    database_url: str | None = None  # None: SQLite in the data directory (see ``database``)
    calendar_overrides: Path | None = None
    now: datetime | None = None
    user: str | None = None
    smtp_host: str | None = None
    smtp_port: int = Field(default=25, ge=1, le=65535)
    smtp_user: str | None = None
    smtp_password: SecretStr | None = None
    smtp_starttls: bool = False
    smtp_from: str = "phoihop <phoihop@localhost>"
    secret_key: SecretStr | None = None
    templates_dir: Path | None = None  # the office's own .docx templates (services.issuing)
    notify_urls: str | None = None  # apprise URLs, space- or comma-separated (services.notify)
    lang: Literal["vi", "en"] = "vi"  # the command line's answers (commands.language)

    @field_validator("*", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: Any) -> Any:
        return None if value == "" else value

    @field_validator("now", mode="before")
    @classmethod
    def _moment(cls, value: Any) -> Any:
        if isinstance(value, str):
            try:
                return parse_moment(value)
            except ValueError:
                raise ValueError("an ISO date or date-time, e.g. 2024-07-15T08:00") from None
        return value

    @field_validator("data_dir")
    @classmethod
    def _expand(cls, value: Path) -> Path:
        return value.expanduser()

    @field_validator("templates_dir")
    @classmethod
    def _folder(cls, value: Path | None) -> Path | None:
        if value is not None and not value.expanduser().is_dir():
            raise ValueError("a folder holding .docx templates")
        return value.expanduser() if value is not None else None

    @property
    def notify_url_list(self) -> list[str]:
        """The apprise URLs of ``PHOIHOP_NOTIFY_URLS``, in order."""
        return [u for u in (self.notify_urls or "").replace(",", " ").split() if u]

    @field_validator("database_url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError

        try:
            backend = make_url(value).get_backend_name()
        except ArgumentError:
            raise ValueError("a SQLAlchemy URL such as sqlite:///…/phoihop.db") from None
        if backend not in BACKENDS:
            raise ValueError(f"a sqlite:// or postgresql:// URL, not {backend}://")
        return value

    @property
    def database(self) -> str:
        """The URL phoihop connects to."""
        return self.database_url or f"sqlite:///{self.data_dir / 'phoihop.db'}"

    @property
    def calendar_overrides_path(self) -> Path | None:
        """The overrides file to apply, or None when there is none."""
        if self.calendar_overrides is not None:
            return self.calendar_overrides.expanduser()
        default = self.data_dir / "calendar-overrides.yaml"
        return default if default.exists() else None


def _default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "phoihop"


_EXPECTS = {
    "smtp_port": "a port number from 1 to 65535",
    "smtp_starttls": "1 or 0 (true or false)",
}
_cache: dict[tuple[str | None, ...], Settings] = {}


def _key() -> tuple[str | None, ...]:
    """The environment the settings depend on (cheap to read on every call)."""
    names = [k for k in os.environ if k.startswith(PREFIX)]
    names.sort()
    return (
        os.environ.get("XDG_DATA_HOME"),
        os.environ.get("HOME"),
        *(f"{k}={os.environ[k]}" for k in names),
    )


def current() -> Settings:
    """The settings of the current environment, validated; a bad value is a UserError."""
    key = _key()
    found = _cache.get(key)
    if found is None:
        try:
            found = Settings()
        except ValidationError as exc:
            raise UserError(_describe(exc)) from None
        _cache.clear()
        _cache[key] = found
    return found


def _describe(exc: ValidationError) -> str:
    """One line naming the variable, its value and what it expects."""
    error = exc.errors()[0]
    field = str(error["loc"][0]) if error["loc"] else "?"
    name = f"{PREFIX}{field.upper()}"
    value = os.environ.get(name, "")
    shown = "***" if "PASSWORD" in name or "SECRET" in name else repr(value)
    expects = _EXPECTS.get(field) or error["msg"].removeprefix("Value error, ")
    return f"{name}={shown} is not valid: expected {expects[0].lower()}{expects[1:]}"


def data_dir() -> Path:
    return current().data_dir


def database_url() -> str:
    return current().database


def calendar_overrides_path() -> Path | None:
    return current().calendar_overrides_path
