"""The working-day calendar: the package's, the official decisions, the operator's.

Three layers, the later winning: the ``holidays`` package; the official
decisions phoihop ships (``official-calendar.yaml`` next to this module, with
their reference numbers, for what the package lags behind on); and the
operator's overrides file (``PHOIHOP_CALENDAR_OVERRIDES``, or
``calendar-overrides.yaml`` in the data directory). This is the edge that reads
the files; the calendar rules themselves do no I/O. A calendar is built once
per version of the operator's file (path and modification time), so editing
it takes effect without a restart.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from rules.calendar import WorkCalendar
from rules.errors import UserError
from rules.overrides import CalendarOverrides, parse_overrides
from services.settings import calendar_overrides_path

OFFICIAL = Path(__file__).resolve().parent / "official-calendar.yaml"
_cache: dict[tuple[Path | None, int], WorkCalendar] = {}


@cache
def official() -> CalendarOverrides:
    """The decisions phoihop ships (read once: they change with phoihop, not at run time)."""
    return parse_overrides(OFFICIAL.read_text(encoding="utf-8"), source=OFFICIAL.name)


def load_calendar() -> WorkCalendar:
    """The calendar commands and flows count on: the package's, the official
    decisions, and the operator's overrides on top.

    A configured overrides file that is missing, unreadable or malformed is a
    UserError (a deadline silently computed without it would be wrong).
    """
    key, layers = _layers()
    calendar = _cache.get(key)
    if calendar is None:
        calendar = WorkCalendar(layers)
        _cache.clear()
        _cache[key] = calendar
    return calendar


def announced_through() -> int | None:
    """The last year whose civil-service schedule is announced (the overrides say it),
    read without building the calendar: a list that only marks provisional deadlines
    does not pay for the holidays package (~70 ms, its import of every country)."""
    return _layers()[1].announced_through


_layered: dict[tuple[Path | None, int], CalendarOverrides] = {}


def _layers() -> tuple[tuple[Path | None, int], CalendarOverrides]:
    """The official decisions with the operator's file on top, and the key they are
    kept under (the file's path and modification time)."""
    path = calendar_overrides_path()
    if path is None:
        key: tuple[Path | None, int] = (None, 0)
    else:
        try:
            key = (path, path.stat().st_mtime_ns)
        except FileNotFoundError:
            raise UserError(f"calendar overrides file not found: {path}") from None
        except OSError as exc:
            raise UserError(f"cannot read calendar overrides {path}: {exc.strerror}") from None
    layers = _layered.get(key)
    if layers is None:
        layers = official()
        if path is not None:
            layers = _operator(path).under(layers)
        _layered.clear()
        _layered[key] = layers
    return key, layers


def _operator(path: Path) -> CalendarOverrides:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise UserError(f"calendar overrides {path}: not UTF-8 text") from None
    except OSError as exc:
        raise UserError(f"cannot read calendar overrides {path}: {exc.strerror}") from None
    return parse_overrides(text, source=str(path))
