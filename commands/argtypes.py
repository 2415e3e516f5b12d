"""argparse converters: a bad value becomes one usage error line, never a traceback."""

from __future__ import annotations

import argparse
from datetime import date, datetime


def iso_date(text: str) -> date:
    """A calendar date written YYYY-MM-DD (2024-02-30 is refused)."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a valid date (YYYY-MM-DD): {text!r}") from None


MAX_INT = 2**31 - 1  # the largest id (and count) a database integer column holds everywhere


def non_negative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must not be negative: {value}")
    if value > MAX_INT:
        raise argparse.ArgumentTypeError(f"too large: {text} (at most {MAX_INT})")
    return value


def record_id(text: str) -> int:
    """The id of a stored row: a whole number from 1 to :data:`MAX_INT`."""
    value = non_negative_int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"an id is at least 1, not {value}")
    return value


MAX_PAGE = 1000  # rows a list command prints at once: more is a job for --offset or --json


def page_size(text: str) -> int:
    """How many rows a list shows (``--limit``): 1 to :data:`MAX_PAGE`, so one
    command never prints (or reads) a national table at once."""
    value = non_negative_int(text)
    if not 1 <= value <= MAX_PAGE:
        raise argparse.ArgumentTypeError(f"must be from 1 to {MAX_PAGE}: {value}")
    return value


def seconds(text: str) -> int:
    """An interval in whole seconds, at least one."""
    value = non_negative_int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1 second: {value}")
    return value


def moment(text: str) -> datetime:
    """An ISO date or date-time; naive values are local (Asia/Ho_Chi_Minh) time."""
    from rules.timezone import parse_moment

    try:
        return parse_moment(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
