"""Whether an issued deadline still falls where the calendar would put it today.

Issued deadlines never change silently: when the calendar's data changes (the
year's swaps are announced, the operator adds a day off), phoihop lists the
open tasks whose deadline the new calendar would put elsewhere and lets the
coordinator extend them. A deadline is either *counted* (N working days after
the request letter) or *requested* (a date, moved to the next working day); in
both cases the issued day must also still be a working day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rules.calendar import WorkCalendar
from rules.timezone import vn_date


@dataclass(frozen=True)
class Basis:
    """How a deadline was reached: from ``start`` counting ``working_days``, or from a
    ``requested`` date (None when only the issued day itself is known)."""

    start: date | None = None
    working_days: int | None = None
    requested: date | None = None


@dataclass(frozen=True)
class Moved:
    issued: date
    computed: date
    why: str


def recount(issued: date, basis: Basis, calendar: WorkCalendar) -> Moved | None:
    """Where today's calendar puts a deadline issued on ``issued``; None if it agrees."""
    if basis.start is not None and basis.working_days is not None:
        computed = calendar.due_date(basis.start, basis.working_days)
        why = (
            f"{basis.working_days} ngày làm việc kể từ {vn_date(basis.start)} "
            "nay kết thúc vào ngày khác"
        )
    elif basis.requested is not None:
        computed = calendar.next_working_day(basis.requested)
        why = f"hạn yêu cầu {vn_date(basis.requested)} nay chuyển sang ngày làm việc khác"
    else:
        computed = calendar.next_working_day(issued)
        why = "ngày hết hạn nay là ngày nghỉ"
    return None if computed == issued else Moved(issued, computed, why)
