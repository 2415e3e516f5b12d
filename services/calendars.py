"""The working-day calendar with the operator's overrides file applied.

This is the edge that reads ``PHOIHOP_CALENDAR_OVERRIDES`` (or
``calendar-overrides.yaml`` in the data directory); the calendar rules
themselves do no I/O. A calendar is built once per file version (path and
modification time), so editing the file takes effect without a restart.
"""

from __future__ import annotations

from pathlib import Path

from rules.calendar import WorkCalendar, default_calendar
from rules.errors import UserError
from rules.overrides import parse_overrides
from services.settings import calendar_overrides_path

_cache: dict[tuple[Path, int], WorkCalendar] = {}


def load_calendar() -> WorkCalendar:
    """The calendar commands and flows count on: the package's plus the overrides.

    A configured overrides file that is missing, unreadable or malformed is a
    UserError (a deadline silently computed without it would be wrong).
    """
    path = calendar_overrides_path()
    if path is None:
        return default_calendar()
    try:
        mtime = path.stat().st_mtime_ns
    except FileNotFoundError:
        raise UserError(f"calendar overrides file not found: {path}") from None
    except OSError as exc:
        raise UserError(f"cannot read calendar overrides {path}: {exc.strerror}") from None
    key = (path, mtime)
    calendar = _cache.get(key)
    if calendar is None:
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise UserError(f"calendar overrides {path}: not UTF-8 text") from None
        except OSError as exc:
            raise UserError(f"cannot read calendar overrides {path}: {exc.strerror}") from None
        calendar = WorkCalendar(parse_overrides(text, source=str(path)))
        _cache.clear()
        _cache[key] = calendar
    return calendar
