"""The urging ladder (đôn đốc): reminders before a deadline, escalation after it.

A policy is data (it differs between programs), e.g.::

    reminders: [2]                 # 2 working days before the due date
    ladder:
      - {after_working_days: 0, notify: [focal]}          # at the deadline
      - {after_working_days: 2, notify: [focal, head]}
      - {after_working_days: 5, notify: [head, coordinator_leadership]}

A ladder level may say ``formal: true|false``: a formal level also sends the late
body's head a numbered urging letter (văn bản đôn đốc); by default every level
from the second is formal (:func:`formal_by_default`).

When each rung comes due (the due date's *day* is what officials reason about):

- a reminder ``k`` working days before is due from the start (00:00 local) of
  the ``k``-th working day before the due date, and only while the deadline has
  not passed (a reminder after the fact is noise);
- ladder level ``i`` with ``after_working_days = k`` is due once the task is
  still waiting after the end of the ``k``-th working day after the due date
  (``k = 0``: as soon as the deadline passes).

A task's ladder is its :meth:`Policy.schedule`, the rungs in the order they
come due, and its state is how many of them it has used up in the current
*epoch* (``done``); an extension or a return with a new due date starts a new
epoch, so the ladder restarts. :meth:`Policy.step` says what a sweep does at
``now``: when several rungs are due at once (the sweep did not run for days),
only the latest fires and the earlier ones are recorded as skipped, so a body
gets one message per sweep, never a burst. Each step also gives the moment the
next rung comes due, which the task keeps in an indexed column: a sweep reads
only the tasks whose moment has come.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
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


def formal_by_default(level: int) -> bool:
    """Whether ladder level ``level`` produces a numbered urging letter when the program
    does not say: every level from the second (the first is a plain message at the
    deadline)."""
    return level >= 2


@dataclass(frozen=True)
class Rung:
    step: str  # "reminder-2" or "level-1": unique within a task's epoch
    kind: str  # "reminder" | "escalation"
    level: int  # 0 for reminders, 1.. for the ladder
    working_days: int  # before (reminder) or after (ladder) the due date
    notify: tuple[str, ...]
    formal: bool = False  # also a numbered urging letter (services.letters)


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
                    formal_by_default(level) if item.get("formal") is None else item["formal"],
                )
            )
        return cls(tuple(rungs))

    def fires_at(self, rung: Rung, due_date: date, calendar: WorkCalendar) -> datetime:
        """The instant that decides ``rung`` for a task due on ``due_date``: a reminder
        is due from it, an escalation once it has passed."""
        if rung.kind == "reminder":
            return start_of_day(calendar.add_working_days(due_date, -rung.working_days))
        return end_of_day(calendar.add_working_days(due_date, rung.working_days))

    def schedule(self, due_date: date, calendar: WorkCalendar) -> tuple[tuple[Rung, datetime], ...]:
        """Every rung with the first instant it is due, in the order they come due."""
        timed = []
        for rung in self.rungs:
            at = self.fires_at(rung, due_date, calendar)
            timed.append((rung, at if rung.kind == "reminder" else at + _AFTER))
        return tuple(sorted(timed, key=lambda pair: pair[1]))

    def next_at(self, due_date: date, done: int, calendar: WorkCalendar) -> datetime | None:
        """When the next rung is due once ``done`` rungs are used up; None past the last."""
        timed = self.schedule(due_date, calendar)
        return timed[done][1] if done < len(timed) else None

    def step(
        self, due_date: date, due_at: datetime, done: int, now: datetime, calendar: WorkCalendar
    ) -> Step:
        """What a sweep at ``now`` does to a waiting task that has used up ``done`` rungs."""
        timed = self.schedule(due_date, calendar)
        due = [i for i in range(done, len(timed)) if timed[i][1] <= now]
        if not due:
            return Step(None, (), done, self.next_at(due_date, done, calendar))
        latest = timed[due[-1]][0]
        fire = None if latest.kind == "reminder" and now > due_at else latest
        skipped = tuple(timed[i][0] for i in due if timed[i][0] is not fire)
        after = due[-1] + 1
        return Step(fire, skipped, after, timed[after][1] if after < len(timed) else None)


_AFTER = timedelta(seconds=1)  # "once the end of the day has passed": the next instant we store


@dataclass(frozen=True)
class Step:
    """One sweep's decision for one task: at most one rung fires, the others due with
    it are skipped; ``done`` rungs are used up after it and the next is due ``next_at``."""

    fire: Rung | None
    skipped: tuple[Rung, ...]
    done: int
    next_at: datetime | None


def validate_roles(notify: Sequence[str]) -> None:
    unknown = [role for role in notify if role not in ROLES]
    if unknown:
        raise ValueError(f"unknown recipient role(s) {unknown}; use {', '.join(ROLES)}")
