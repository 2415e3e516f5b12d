"""Programs' RRules, stored with an explicit start.

An RRule without DTSTART means whatever the reader picks: Prefect anchors it
at 2020-01-01, ``dateutil`` at the moment it is parsed. So a program's rule is
stored with its own ``DTSTART`` (local Vietnam time, written without a time
zone because the schedule carries ``Asia/Ho_Chi_Minh``): the day the program
was registered, at midnight, unless the operator gave one.
"""

from __future__ import annotations

from datetime import date

from dateutil.rrule import rrulestr


def has_start(rule: str) -> bool:
    return any(line.strip().upper().startswith("DTSTART") for line in rule.splitlines())


def anchored(rule: str, start: date) -> str:
    """``rule`` with ``DTSTART`` at the start of ``start`` unless it already has one."""
    rule = rule.strip()
    if has_start(rule):
        return rule
    body = (
        rule
        if rule.upper().startswith(("RRULE:", "EXRULE:", "RDATE", "EXDATE"))
        else (f"RRULE:{rule}")
    )
    return f"DTSTART:{start:%Y%m%d}T000000\n{body}"


def check(rule: str) -> None:
    """Raise ValueError if ``rule`` is not an RRule (with or without DTSTART)."""
    try:
        rrulestr(rule, dtstart=None)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"not an RRule: {exc}") from None
