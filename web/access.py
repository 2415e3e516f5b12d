"""Who may see or do what: the access policy, as plain functions of principal and owner.

- An **agency** user sees and submits the tasks of its own body only.
- A **coordinator** manages the cycles of programs its body coordinates: it
  sees every task of those cycles, reviews, extends, synthesizes and reads the
  consolidated report. It also sees its own body's tasks (read-only).
- A coordinator of a cycle **above** another (the roll-up: a province board over
  its communes' cycles, at any depth) reads the cycles below it and their tasks,
  as it reads its own, but never acts in them: the commune board reviews and
  closes its own cycle.
- A **viewer** (leadership) reads the dashboards: summary rows of every task
  (body, cycle, status, due date, days overdue, escalation level), the
  statistics and every closed cycle's consolidated report, but no body's own
  submission (versions, attachments) and no action.

Nothing here touches the database: the web layer loads the owner (task body,
program coordinator) and asks these functions, so every page and endpoint
applies one policy.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from rules.roles import AGENCY, COORDINATOR, VIEWER

__all__ = ["AGENCY", "COORDINATOR", "VIEWER"]  # the web layer names roles through this module


class Actor(Protocol):
    role: str
    body_id: int


@dataclass(frozen=True)
class TaskOwner:
    """The two bodies that matter for a task: the one reporting and the one coordinating."""

    body_id: int
    coordinator_id: int
    # The coordinators of the cycles above the task's cycle (empty for a top cycle).
    overseers: frozenset[int] = frozenset()


def coordinates(who: Actor, coordinator_id: int) -> bool:
    """A coordinator user whose body coordinates the program."""
    return who.role == COORDINATOR and who.body_id == coordinator_id


def oversees(who: Actor, overseers: frozenset[int]) -> bool:
    """A coordinator user whose body coordinates a cycle above this one: it may read the
    cycle below and its tasks (what its own board consolidates), never act in it."""
    return who.role == COORDINATOR and who.body_id in overseers


def sees_all_summaries(who: Actor) -> bool:
    """Leadership dashboards: summary rows of every body (never report content)."""
    return who.role == VIEWER


def can_read_task(who: Actor, owner: TaskOwner) -> bool:
    """Task detail, versions, report content, attachments, comments."""
    return (
        who.body_id == owner.body_id
        or coordinates(who, owner.coordinator_id)
        or oversees(who, owner.overseers)
    )


def can_submit(who: Actor, owner: TaskOwner) -> bool:
    return who.role == AGENCY and who.body_id == owner.body_id


def can_review(who: Actor, owner: TaskOwner) -> bool:
    """Accept, return and extend."""
    return coordinates(who, owner.coordinator_id)


def sees_whole_cycle(
    who: Actor, coordinator_id: int, overseers: Callable[[], frozenset[int]] = frozenset
) -> bool:
    """Every row of a cycle, and its consolidated report once closed: its coordinator,
    the coordinators of the cycles above it (the report was sent up to them as its
    coordinator's submission), and viewers. A reporting body sees its own row only.
    ``overseers`` gives those coordinators; it is asked only when it decides (a
    coordinator of another body), since finding them is a recursive lookup."""
    if coordinates(who, coordinator_id) or sees_all_summaries(who):
        return True
    return who.role == COORDINATOR and oversees(who, overseers())


def can_read_cycle(who: Actor, coordinator_id: int, has_own_task: bool) -> bool:
    """The cycle page: its coordinator and viewers see every row, a body its own row
    (a board above is asked separately: :func:`sees_whole_cycle` with its overseers)."""
    return sees_whole_cycle(who, coordinator_id) or has_own_task


def can_manage_cycle(who: Actor, coordinator_id: int) -> bool:
    """Open, synthesize and download the consolidated report: the cycle's own coordinator
    only (a board above reads a cycle below, it never closes it)."""
    return coordinates(who, coordinator_id)


# What a coordinator may give an account of its body on the web: never more than it
# holds. A viewer reads every body's summaries, which a coordinator does not, so
# leadership accounts stay with the operator (``phoihop users add``).
ACCOUNT_ROLES = (COORDINATOR, AGENCY)


def can_manage_account(who: Actor, account_body_id: int) -> bool:
    """Disable, reset the password of, issue or revoke tokens for an account (or one of
    its tokens): a coordinator of the account's own body."""
    return who.role == COORDINATOR and who.body_id == account_body_id
