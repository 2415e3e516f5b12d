"""Where phoihop keeps its state, read from the environment in one place.

- ``PHOIHOP_DATA_DIR``: data directory (default ``$XDG_DATA_HOME/phoihop`` or
  ``~/.local/share/phoihop``); holds the SQLite database and Prefect's home.
- ``PHOIHOP_DATABASE_URL``: any SQLAlchemy URL; default SQLite in the data dir.
- ``PHOIHOP_CALENDAR_OVERRIDES``: the operator's calendar overrides (YAML);
  default ``calendar-overrides.yaml`` in the data dir, if it exists.
"""

from __future__ import annotations

import os
from pathlib import Path


def data_dir() -> Path:
    explicit = os.environ.get("PHOIHOP_DATA_DIR")
    if explicit:
        return Path(explicit).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "phoihop"


def database_url() -> str:
    explicit = os.environ.get("PHOIHOP_DATABASE_URL")
    if explicit:
        return explicit
    return f"sqlite:///{data_dir() / 'phoihop.db'}"


def calendar_overrides_path() -> Path | None:
    """The overrides file to apply, or None when there is none."""
    explicit = os.environ.get("PHOIHOP_CALENDAR_OVERRIDES")
    if explicit:
        return Path(explicit).expanduser()
    default = data_dir() / "calendar-overrides.yaml"
    return default if default.exists() else None
