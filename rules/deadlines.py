"""Staggered deadlines across administrative levels.

So that each level can consolidate what the level below sent, a regime sets
the top level's deadline and, per level, how many working days earlier the
level below must send (e.g. communes 2 working days before the district,
districts 1 working day before the province). A child cycle's own deadlines
are worked back the same way from its coordinator's deadline in the cycle
above (:func:`worked_back`). A date typed on a day off moves to the next working
day, and :func:`working_day_for` says why (:class:`MovedDate`). Plain Python.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from rules.calendar import DayOff, WorkCalendar
from rules.errors import UserError
from rules.timezone import vn_date


@dataclass(frozen=True)
class MovedDate:
    """A typed deadline the calendar moved to a working day (Civil Code art. 148): from
    what, to what, and why (every day off in between, the typed one first), so a
    notice can say so instead of showing another date than the one typed."""

    typed: date
    moved_to: date
    days_off: tuple[DayOff, ...]

    def reasons(self, lang: str = "vi") -> list[str]:
        """Why, shortest first: the typed day's reason, and the first named holiday of the
        span when the typed day is only a weekend (a Saturday before Tết)."""
        first = self.days_off[0]
        reasons = [first.label(lang)]
        if first.name is None:
            named = next((d for d in self.days_off if d.name), None)
            if named is not None:
                reasons.append(named.label(lang))
        return reasons

    def sentence(self, lang: str = "vi") -> str:
        """One line for a notice: "Ngày đã nhập 26/01/2025 là ngày nghỉ (Chủ nhật), nên
        hạn được chuyển sang ngày làm việc tiếp theo: 27/01/2025."."""
        why = self.reasons(lang)
        last = self.days_off[-1].day
        typed, moved = vn_date(self.typed), vn_date(self.moved_to)
        if lang == "en":
            if last != self.typed:
                why.append(f"days off through {vn_date(last)}")
            return (
                f"The date typed, {typed}, is a day off ({'; '.join(why)}), so the deadline "
                f"moved to the next working day, {moved}."
            )
        if last != self.typed:
            why.append(f"nghỉ liền đến {vn_date(last)}")
        return (
            f"Ngày đã nhập {typed} là ngày nghỉ ({'; '.join(why)}), nên hạn được chuyển "
            f"sang ngày làm việc tiếp theo: {moved}."
        )

    def as_dict(self) -> dict[str, object]:
        return {
            "typed": self.typed,
            "moved_to": self.moved_to,
            "reasons": self.reasons("vi"),
            "reasons_en": self.reasons("en"),
            "days_off": [d.as_dict() for d in self.days_off],
        }


def working_day_for(typed: date, calendar: WorkCalendar) -> tuple[date, MovedDate | None]:
    """The deadline a typed date gives (the next working day, art. 148) and, when that is
    another day, why it moved."""
    moved_to = calendar.next_working_day(typed)
    if moved_to == typed:
        return typed, None
    days: list[DayOff] = []
    day = typed
    while day < moved_to:
        off = calendar.day_off(day)
        if off is not None:
            days.append(off)
        day = date.fromordinal(day.toordinal() + 1)
    return moved_to, MovedDate(typed, moved_to, tuple(days))


def staggered_deadlines(
    top_due: date, offsets: Sequence[int], calendar: WorkCalendar
) -> list[date]:
    """Each level's deadline, top level first.

    Index 0 is ``top_due`` moved to a working day (Civil Code art. 148);
    level ``i + 1`` must send ``offsets[i]`` working days before level ``i``'s
    deadline, counted backwards on the working-day calendar (never as 24-hour
    blocks), so every result is a working day. Negative offsets are refused.
    """
    negative = [offset for offset in offsets if offset < 0]
    if negative:
        raise UserError(f"level offsets must not be negative: {negative[0]}")
    deadlines = [calendar.next_working_day(top_due)]
    for offset in offsets:
        deadlines.append(calendar.add_working_days(deadlines[-1], -offset))
    return deadlines


@dataclass(frozen=True)
class WorkedBack:
    """A child cycle's deadlines, worked back from its coordinator's deadline above.

    ``working_days_to_provide``: the working days its bodies get between the
    opening and ``provide_due``; ``tight`` when that is fewer than the program
    asks for (the cycle still opens: the level above set the pace).
    """

    parent_due: date
    synthesis_due: date
    review_due: date
    provide_due: date
    working_days_to_provide: int
    tight: bool

    def as_dict(self) -> dict[str, object]:
        return {
            "parent_due": self.parent_due,
            "synthesis_due": self.synthesis_due,
            "review_due": self.review_due,
            "provide_due": self.provide_due,
            "working_days_to_provide": self.working_days_to_provide,
            "tight": self.tight,
        }


def worked_back(
    parent_due: date,
    opened_on: date,
    *,
    provide: int,
    review: int,
    synthesis: int,
    margin: int,
    calendar: WorkCalendar,
    program: str = "the program",
) -> WorkedBack:
    """A feeding program's deadlines from its coordinator's deadline in the cycle above,
    counted backwards on the working-day calendar (:func:`staggered_deadlines`): the
    report is synthesized ``margin`` working days before ``parent_due``, reviewed
    ``synthesis`` working days before that, and the bodies send ``review`` working
    days before the review ends.

    Refused (one line naming ``program``) when the bodies' deadline would fall on or
    before ``opened_on``: they would have no day to send at all.
    """
    top, synthesis_due, review_due, provide_due = staggered_deadlines(
        parent_due, (margin, synthesis, review), calendar
    )
    given = calendar.working_days_between(opened_on, provide_due)
    if given < 1:
        raise UserError(
            f"{program}: worked back from the deadline above ({top.isoformat()}), its bodies "
            f"would have to send by {provide_due.isoformat()}, before they are asked on "
            f"{opened_on.isoformat()}; give the cycle above a later deadline or shorten "
            f"{program}'s margin, review or synthesis days"
        )
    return WorkedBack(top, synthesis_due, review_due, provide_due, given, given < provide)
