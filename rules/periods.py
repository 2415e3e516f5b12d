"""Reporting periods and their data cut-off windows (Decree 09/2019/NĐ-CP).

A report covers a period — a month (``2024-07``), a quarter (``2024-Q3``), a
half-year (``2024-H1``/``2024-H2``), nine months (``2024-9M``) or a year
(``2024``) — but its figures are those of the *data cut-off window*
(thời gian chốt số liệu), by default the 15th of the month before the period
to the 14th of its last month (Decree 09/2019/NĐ-CP, art. 12). Plain Python.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from rules.errors import UserError

PERIOD_KINDS: tuple[str, ...] = ("month", "quarter", "half", "nine_months", "year")

# kind -> (months per period, number of periods per year)
_SHAPE: dict[str, tuple[int, int]] = {
    "month": (1, 12),
    "quarter": (3, 4),
    "half": (6, 2),
    "nine_months": (9, 1),
    "year": (12, 1),
}
_ROMAN = ("I", "II", "III", "IV")
_KIND_SYNONYMS: dict[str, str] = {
    "month": "month",
    "monthly": "month",
    "quarter": "quarter",
    "quarterly": "quarter",
    "half": "half",
    "half-year": "half",
    "half_year": "half",
    "halfyear": "half",
    "semi-annual": "half",
    "semiannual": "half",
    "nine_months": "nine_months",
    "nine-months": "nine_months",
    "9m": "nine_months",
    "year": "year",
    "yearly": "year",
    "annual": "year",
}
_SPEC = re.compile(r"(?P<year>[1-9]\d{3})(?:-(?:(?P<month>\d{1,2})|(?P<tag>Q[1-4]|H[12]|9M)))?")
ACCEPTED_FORMS = "YYYY-MM, YYYY-Q1..Q4, YYYY-H1, YYYY-H2, YYYY-9M or YYYY"


@dataclass(frozen=True)
class CutoffRule:
    """A data cut-off window: ``start_day`` of the month before the period's first
    month to ``start_day - 1`` of its last month.

    Decree 09/2019 uses 15 (15th → 14th); some regimes use 16 (16th → 15th).
    ``start_day == 1`` means the calendar period itself. Limited to 1–28 so the
    day exists in every month.
    """

    start_day: int = 15

    def __post_init__(self) -> None:
        if not 1 <= self.start_day <= 28:
            raise UserError(f"cut-off start day must be between 1 and 28: {self.start_day}")


DECREE_09 = CutoffRule(start_day=15)


def _month_shift(year: int, month: int, delta: int) -> tuple[int, int]:
    serial = year * 12 + (month - 1) + delta
    return serial // 12, serial % 12 + 1


@dataclass(frozen=True)
class Period:
    """One reporting period: ``kind`` in :data:`PERIOD_KINDS`, ``year`` and ``index``
    (month 1–12, quarter 1–4, half 1–2, otherwise 1)."""

    kind: str
    year: int
    index: int = 1

    def __post_init__(self) -> None:
        if self.kind not in _SHAPE:
            raise UserError(f"unknown period kind {self.kind!r}")
        if not 1 <= self.index <= _SHAPE[self.kind][1]:
            raise UserError(f"no {self.kind} number {self.index} in a year")
        if not 2 <= self.year <= 9998:
            raise UserError(f"year out of range: {self.year}")

    @property
    def first_month(self) -> int:
        return (self.index - 1) * _SHAPE[self.kind][0] + 1

    @property
    def last_month(self) -> int:
        return self.first_month + _SHAPE[self.kind][0] - 1

    @property
    def spec(self) -> str:
        """The canonical written form, which :func:`parse_period` reads back."""
        suffix = {
            "month": f"-{self.index:02d}",
            "quarter": f"-Q{self.index}",
            "half": f"-H{self.index}",
            "nine_months": "-9M",
            "year": "",
        }[self.kind]
        return f"{self.year}{suffix}"

    @property
    def start(self) -> date:
        """First calendar day of the period."""
        return date(self.year, self.first_month, 1)

    @property
    def end(self) -> date:
        """Last calendar day of the period (29/2 in leap years)."""
        year, month = _month_shift(self.year, self.last_month, 1)
        return date(year, month, 1) - timedelta(days=1)

    @property
    def label_vi(self) -> str:
        """The period as Vietnamese officials write it in a report's title."""
        if self.kind == "month":
            return f"tháng {self.index} năm {self.year}"
        if self.kind == "quarter":
            return f"quý {_ROMAN[self.index - 1]} năm {self.year}"
        if self.kind == "half":
            part = "đầu" if self.index == 1 else "cuối"
            return f"6 tháng {part} năm {self.year}"
        if self.kind == "nine_months":
            return f"9 tháng năm {self.year}"
        return f"năm {self.year}"

    def previous(self) -> Period:
        """The period of the same kind just before this one."""
        if self.index > 1:
            return Period(self.kind, self.year, self.index - 1)
        return Period(self.kind, self.year - 1, _SHAPE[self.kind][1])

    def cutoff(self, rule: CutoffRule = DECREE_09) -> tuple[date, date]:
        """The data cut-off window (first day, last day), both inclusive.

        Decree 09/2019: from ``rule.start_day`` of the month before the first
        month to the day before ``rule.start_day`` of the last month (month
        2024-07: 15/6 → 14/7; 2024-H1: 15/12/2023 → 14/6/2024). ``start_day``
        1 gives the calendar period.
        """
        if rule.start_day == 1:
            return self.start, self.end
        year, month = _month_shift(self.year, self.first_month, -1)
        return (
            date(year, month, rule.start_day),
            date(self.year, self.last_month, rule.start_day - 1),
        )


def parse_period(spec: str) -> Period:
    """Read ``2024-07``, ``2024-Q3``, ``2024-H1``, ``2024-H2``, ``2024-9M`` or ``2024``.

    Case-insensitive; anything else is a UserError listing the accepted forms.
    """
    match = _SPEC.fullmatch(spec.strip().upper())
    if match is None:
        raise UserError(f"not a reporting period: {spec!r} (use {ACCEPTED_FORMS})")
    year = int(match["year"])
    if match["month"] is not None:
        month = int(match["month"])
        if not 1 <= month <= 12:
            raise UserError(f"not a reporting period: {spec!r} (month must be 01–12)")
        return Period("month", year, month)
    tag = match["tag"]
    if tag is None:
        return Period("year", year)
    if tag == "9M":
        return Period("nine_months", year)
    return Period("quarter" if tag[0] == "Q" else "half", year, int(tag[1]))


def parse_kind(text: str) -> str:
    """A period kind: month, quarter, half (half-year, semi-annual), nine_months, year."""
    kind = _KIND_SYNONYMS.get(text.strip().lower())
    if kind is None:
        raise UserError(f"not a period kind: {text!r} (use {', '.join(PERIOD_KINDS)})")
    return kind


def period_of(kind: str, day: date) -> Period:
    """The period of ``kind`` whose year and index contain ``day``.

    Nine months is Jan–Sep of ``day``'s year even when ``day`` falls after September.
    """
    kind = parse_kind(kind)
    months, _ = _SHAPE[kind]
    index = 1 if kind == "nine_months" else (day.month - 1) // months + 1
    return Period(kind, day.year, index)


def latest_ended_period(kind: str, today: date) -> Period:
    """The most recent period of ``kind`` that ended before ``today``.

    What a recurring cycle reports on when it opens: on 03/7/2024 the latest
    ended half-year is 2024-H1, the latest ended month 2024-06.
    """
    period = period_of(kind, today)
    while period.end >= today:
        period = period.previous()
    return period
