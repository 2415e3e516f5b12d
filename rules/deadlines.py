"""Staggered deadlines across administrative levels.

So that each level can consolidate what the level below sent, a regime sets
the top level's deadline and, per level, how many working days earlier the
level below must send (e.g. communes 2 working days before the district,
districts 1 working day before the province). Plain Python.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from rules.calendar import WorkCalendar
from rules.errors import UserError


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
