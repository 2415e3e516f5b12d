"""The urging ladder (đôn đốc): reminders before a deadline, escalation after it.

A policy is data (it differs between programs), e.g.::

    reminders: [2]                 # 2 working days before the due date
    ladder:
      - {after_working_days: 0, notify: [focal]}          # at the deadline
      - {after_working_days: 2, notify: [focal, head]}
      - {after_working_days: 5, notify: [head, coordinator_leadership]}

When each rung fires (the due date's *day* is what officials reason about):

- a reminder ``k`` working days before fires at the start (00:00 local) of the
  ``k``-th working day before the due date, and only while the deadline has not
  passed (a reminder after the fact is noise);
- ladder level ``i`` with ``after_working_days = k`` fires once the task is
  still waiting at the end of the ``k``-th working day after the due date
  (``k = 0``: as soon as the deadline passes).

Each rung fires at most once per task and *epoch*; an extension or a return
with a new due date starts a new epoch, so the ladder restarts. A sweep that
comes late fires every missed ladder rung in order, so the record still shows
each step.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from rules.calendar import WorkCalendar
from rules.timezone import end_of_day, start_of_day

ROLES = ("focal", "head", "coordinator_focal", "coordinator_head", "coordinator_leadership")

DEFAULT_POLICY: dict[str, Any] = {
    "reminders": [2],
    "ladder": [
        {"after_working_days": 0, "notify": ["focal"]},
        {"after_working_days": 2, "notify": ["focal", "head"]},
        {"after_working_days": 5, "notify": ["head", "coordinator_leadership"]},
    ],
}


@dataclass(frozen=True)
class Rung:
    step: str  # "reminder-2" or "level-1": unique within a task's epoch
    kind: str  # "reminder" | "escalation"
    level: int  # 0 for reminders, 1.. for the ladder
    working_days: int  # before (reminder) or after (ladder) the due date
    notify: tuple[str, ...]


@dataclass(frozen=True)
class Policy:
    rungs: tuple[Rung, ...]

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Policy:
        """Build from a program's stored policy (validated by rules.specs.EscalationSpec)."""
        reminders = sorted({int(k) for k in data.get("reminders") or []}, reverse=True)
        rungs = [Rung(f"reminder-{k}", "reminder", 0, k, ("focal",)) for k in reminders]
        for level, item in enumerate(data.get("ladder") or [], start=1):
            rungs.append(
                Rung(
                    f"level-{level}",
                    "escalation",
                    level,
                    int(item["after_working_days"]),
                    tuple(item["notify"]),
                )
            )
        return cls(tuple(rungs))

    @property
    def max_reminder_days(self) -> int:
        return max((r.working_days for r in self.rungs if r.kind == "reminder"), default=0)

    def fires_at(self, rung: Rung, due_date: date, calendar: WorkCalendar) -> datetime:
        """The instant from which ``rung`` is due for a task due on ``due_date``."""
        if rung.kind == "reminder":
            return start_of_day(calendar.add_working_days(due_date, -rung.working_days))
        return end_of_day(calendar.add_working_days(due_date, rung.working_days))

    def due_rungs(
        self,
        due_date: date,
        due_at: datetime,
        fired: Iterable[str],
        now: datetime,
        calendar: WorkCalendar,
    ) -> list[Rung]:
        """Rungs that should fire now for a waiting task, in ladder order."""
        done = set(fired)
        result: list[Rung] = []
        reminders = [r for r in self.rungs if r.kind == "reminder"]
        if now <= due_at:
            # Only the reminder closest to the deadline that is due: a sweep that
            # missed an earlier one does not send two reminders at once.
            due = [r for r in reminders if self.fires_at(r, due_date, calendar) <= now]
            latest = min(due, key=lambda r: r.working_days, default=None)
            if latest and latest.step not in done:
                result.append(latest)
        for rung in self.rungs:
            waiting = rung.kind == "escalation" and rung.step not in done
            if waiting and now > self.fires_at(rung, due_date, calendar):
                result.append(rung)
        return result


def validate_roles(notify: Sequence[str]) -> None:
    unknown = [role for role in notify if role not in ROLES]
    if unknown:
        raise ValueError(f"unknown recipient role(s) {unknown}; use {', '.join(ROLES)}")
