"""Vietnam's public-sector working-day calendar, and counting deadlines on it.

The base calendar is the ``holidays`` package (country VN, Vietnamese names):
weekends, the Labour Code 2019 art. 112 holidays including the lunar ones (Tết,
Hùng Kings' day), days off in lieu (nghỉ bù) and, for the years it covers, the
Prime Minister's yearly swaps (a weekday off paid back by a worked Saturday,
its ``weekend_workdays``). The operator's :class:`CalendarOverrides` sit on top
of it. Counting follows the Civil Code 2015, arts. 146–148: the first day is
not counted, and a period ending on a non-working day ends on the next working
day. Plain Python, no I/O.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import MAXYEAR, MINYEAR, date, datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING

from rules.errors import UserError
from rules.overrides import CalendarOverrides
from rules.timezone import end_of_day

if TYPE_CHECKING:
    from holidays import HolidayBase

ONE_DAY = timedelta(days=1)
SWAP_FALLBACK_NAME = "Ngày làm việc bù"
WEEKDAYS_VI = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")
WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class DayOff:
    """Why a day is not worked, as a person would say it: the holiday's (or the
    decision's) name, else the weekend day it is ("Chủ nhật")."""

    day: date
    name: str | None  # a named day off; None: a plain weekend day
    reference: str | None = None  # the decision that made it a day off, when known

    def label(self, lang: str = "vi") -> str:
        """The name of the holiday (kept in Vietnamese: it is a proper name), else the
        weekday in ``lang``."""
        if self.name:
            return self.name
        return (WEEKDAYS_EN if lang == "en" else WEEKDAYS_VI)[self.day.weekday()]

    def as_dict(self) -> dict[str, object]:
        return {
            "date": self.day,
            "name": self.name,
            "weekday": WEEKDAYS_EN[self.day.weekday()].lower(),
            "reason": self.label("vi"),
            "reason_en": self.label("en"),
            "reference": self.reference,
        }


class WorkCalendar:
    """Which days Vietnamese state bodies work, and deadline arithmetic on them.

    Non-working days are computed once per year (a frozenset), so
    :meth:`is_working_day` is a set lookup in counting loops.
    """

    def __init__(self, overrides: CalendarOverrides | None = None) -> None:
        import holidays

        self.overrides = overrides or CalendarOverrides()
        self._base: HolidayBase = holidays.VN(language="vi", expand=True)
        self._closed: dict[int, frozenset[date]] = {}

    # -- the calendar ----------------------------------------------------------------

    def _load_base_year(self, year: int) -> None:
        """Populate the package for ``year`` and its neighbours.

        The package records a worked Saturday when it populates the year of the
        weekday it pays for, which can be the next or previous year (Saturday
        27/12/2014 was worked for Friday 2/1/2015 off), hence the neighbours.
        """
        for y in (year - 1, year, year + 1):
            if MINYEAR <= y <= MAXYEAR:
                _ = date(y, 1, 1) in self._base  # expand=True populates the year

    def _non_working(self, year: int) -> frozenset[date]:
        """All days of ``year`` that are not working days, overrides applied."""
        closed = self._closed.get(year)
        if closed is None:
            self._load_base_year(year)
            days: set[date] = set()
            day = date(year, 1, 1)
            while day.year == year:
                if not self._base.is_working_day(day):
                    days.add(day)
                if day == date.max:
                    break
                day += ONE_DAY
            days |= {d for d in self.overrides.days_off if d.year == year}
            days -= {d for d in self.overrides.working_days if d.year == year}
            closed = self._closed[year] = frozenset(days)
        return closed

    @property
    def announced_through(self) -> int | None:
        """The last year whose civil-service schedule is announced (None: not said)."""
        return self.overrides.announced_through

    def provisional(self, d: date) -> bool:
        """Whether ``d`` falls in a year whose schedule is not announced yet: a due date
        counted there may move once the Prime Minister's swaps for that year are out."""
        through = self.overrides.announced_through
        return through is not None and d.year > through

    def reference(self, d: date) -> str | None:
        """The decision that makes ``d`` a day off or a working day, when one is known."""
        return self.overrides.references.get(d)

    def day_off(self, d: date) -> DayOff | None:
        """Why ``d`` is not worked (None: it is a working day): an override's name, else
        the package's holiday name, else its weekend day."""
        if self.is_working_day(d):
            return None
        name = self.overrides.days_off.get(d)
        if name is None:
            self._load_base_year(d.year)
            found = self._base.get(d)
            name = unicodedata.normalize("NFC", found) if found else None
        return DayOff(d, name, self.reference(d))

    def is_working_day(self, d: date) -> bool:
        """True unless ``d`` is a weekend (not swapped to work), a holiday or a day off.

        Overrides win over the package: a listed working day is worked even on
        a Saturday or a holiday; a listed day off is off even on a weekday.
        """
        return d not in self._non_working(d.year)

    # -- counting --------------------------------------------------------------------

    def _step(self, d: date, direction: int) -> date:
        try:
            return d + direction * ONE_DAY
        except OverflowError:
            raise UserError(f"date out of range counting from {d.isoformat()}") from None

    def next_working_day(self, d: date) -> date:
        """``d`` if it is a working day, else the first working day after it.

        Civil Code art. 148(2)/(3)-style rule: a time limit ending on a day off
        ends on the next working day.
        """
        while not self.is_working_day(d):
            d = self._step(d, 1)
        return d

    def add_working_days(self, d: date, n: int) -> date:
        """The ``n``-th working day after ``d`` (before it if ``n`` is negative).

        Civil Code art. 147: the day the period starts from is not counted, so
        ``d`` itself never counts, whether or not it is a working day.
        ``n == 0`` returns :meth:`next_working_day` of ``d`` (a deadline on
        ``d`` itself). Same semantics as the package's ``get_nth_working_day``,
        over the overridden calendar.
        """
        if n == 0:
            return self.next_working_day(d)
        direction = 1 if n > 0 else -1
        remaining = abs(n)
        while remaining:
            d = self._step(d, direction)
            if self.is_working_day(d):
                remaining -= 1
        return d

    def due_date(self, start: date, working_days: int) -> date:
        """The due date of "within ``working_days`` working days from ``start``".

        The start day is not counted (art. 147); the result is always a working
        day. A negative count is a user error, not a backwards count.
        """
        if working_days < 0:
            raise UserError(f"a number of working days must not be negative: {working_days}")
        return self.add_working_days(start, working_days)

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end`` (0 if end <= start).

        The inverse of :meth:`add_working_days` for a working ``end``: the start
        day is not counted (art. 147), the last day is.
        """
        count = 0
        day = start
        while day < end:
            day += ONE_DAY
            if self.is_working_day(day):
                count += 1
        return count

    def deadline_of(self, d: date) -> datetime:
        """The aware UTC instant a deadline falling on ``d`` expires.

        Art. 148: a period ends at the end of its last day, moved to the next
        working day if that day is off; the day ends at 23:59:59 in
        Asia/Ho_Chi_Minh.
        """
        return end_of_day(self.next_working_day(d))

    # -- listing ---------------------------------------------------------------------

    def _base_names(self, year: int) -> dict[date, str]:
        self._load_base_year(year)
        return {
            d: unicodedata.normalize("NFC", name)
            for d, name in self._base.items()
            if d.year == year
        }

    def days_off(self, year: int) -> list[tuple[date, str]]:
        """The named days off of ``year``: the package's holidays plus overrides.

        Holidays falling on a weekend are listed too (their day in lieu is a
        separate entry); days an override makes working are left out.
        """
        names = self._base_names(year)
        names.update({d: n for d, n in self.overrides.days_off.items() if d.year == year})
        return sorted(
            (d, name) for d, name in names.items() if d not in self.overrides.working_days
        )

    def swapped_working_days(self, year: int) -> list[tuple[date, str]]:
        """Days of ``year`` that are worked although normally off (a Saturday, a holiday).

        Named after the day off they pay for, read from the package's
        substituted-holiday names ("Ngày nghỉ (thay cho ngày 04/05/2024)" on
        29/04/2024 gives "Làm bù cho ngày nghỉ 29/04/2024" on 04/05/2024); an
        override keeps its own name.
        """
        self._load_base_year(year)
        paid_for = self._swap_pairs(year)
        swapped: list[tuple[date, str]] = []
        day = date(year, 1, 1)
        while day.year == year:
            normally_off = day.weekday() in self._base.weekend or day in self._base
            if normally_off and self.is_working_day(day):
                if day in self.overrides.working_days:
                    name = self.overrides.working_days[day]
                elif day in paid_for:
                    name = f"Làm bù cho ngày nghỉ {paid_for[day].strftime('%d/%m/%Y')}"
                else:
                    name = SWAP_FALLBACK_NAME
                swapped.append((day, name))
            if day == date.max:
                break
            day += ONE_DAY
        return swapped

    def _swap_pairs(self, year: int) -> dict[date, date]:
        """Worked day -> the day off it pays for, from the package's labels."""
        fmt = self._base.tr(self._base.substituted_date_format)
        label = self._base.tr(self._base.substituted_label)
        pairs: dict[date, date] = {}
        for y in (year - 1, year, year + 1):
            if not MINYEAR <= y <= MAXYEAR:
                continue
            for off_day, names in self._base_names(y).items():
                for worked in self._base.weekend_workdays:
                    if worked.year == year and label % worked.strftime(fmt) in names:
                        pairs[worked] = off_day
        return pairs


@cache
def default_calendar() -> WorkCalendar:
    """The package's calendar with no overrides (shared; it is immutable in use)."""
    return WorkCalendar()
