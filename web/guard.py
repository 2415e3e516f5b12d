"""Find what a request acts on and check that the caller may: one call per handler.

The API and the pages both go through these, so a lookup and its permission
check cannot drift apart between them. A refusal is the bare 403 of
:func:`web.auth.require`, audited with the reason.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import Request

from services.accounts import Principal
from web import access, queries
from web.access import TaskOwner
from web.auth import require


def task(
    request: Request,
    who: Principal,
    task_id: int,
    allowed: Callable[[Principal, TaskOwner], bool],
    reason: str,
) -> TaskOwner:
    """The task's two bodies, once ``allowed`` (an :mod:`web.access` rule) says yes."""
    owner = queries.task_owner(task_id)
    require(request, who, allowed(who, owner), reason)
    return owner


def coordinating(request: Request, who: Principal, body_code: str) -> None:
    """Go on if ``who`` may ask for reports in the name of the body ``body_code`` (open
    its ad-hoc requests); an unknown body is a 404."""
    from services import db
    from services.registry import body_by_code

    with db.reading() as session:
        body_id = body_by_code(session, body_code).id
    assert body_id is not None
    require(request, who, access.can_manage_cycle(who, body_id), "not the coordinator")


def readable_cycle(request: Request, who: Principal, cycle_id: int) -> int:
    """The cycle's coordinator body id, if ``who`` may see the cycle at all."""
    coordinator, _ref = queries.cycle_owner(cycle_id)
    # The costlier facts are asked only when they decide: a body's own task, and the
    # coordinators of the cycles above (a board reads the cycles of the level below).
    allowed = (
        access.can_read_cycle(who, coordinator, has_own_task=False)
        or queries.has_task_in_cycle(who.body_id, cycle_id)
        or access.can_read_cycle(
            who, coordinator, False, overseers=queries.cycle_overseers(cycle_id)
        )
    )
    require(request, who, allowed, "cycle not visible")
    return coordinator


def whole_cycle(request: Request, who: Principal, cycle_id: int) -> int:
    """The cycle's coordinator body id, if ``who`` sees every row of it (its roll-up
    tree below it too: each cycle there has it above, or it is a viewer)."""
    coordinator, _ref = queries.cycle_owner(cycle_id)
    require(request, who, queries.sees_whole(who, cycle_id, coordinator),
            "cycle not visible whole")  # fmt: skip
    return coordinator


def managed_cycle(request: Request, who: Principal, cycle_id: int) -> str:
    """The cycle's ``PROGRAM/PERIOD`` ref, if ``who`` coordinates it."""
    coordinator, ref = queries.cycle_owner(cycle_id)
    require(request, who, access.can_manage_cycle(who, coordinator), "not the cycle's coordinator")
    return ref


def report_cycle(request: Request, who: Principal, cycle_id: int) -> str:
    """The cycle's ``PROGRAM/PERIOD`` ref, if ``who`` may read its consolidated report."""
    coordinator, ref = queries.cycle_owner(cycle_id)
    allowed = queries.sees_whole(who, cycle_id, coordinator)
    require(request, who, allowed, "report of another body")
    return ref


def managed_program(request: Request, who: Principal, program: str) -> None:
    """Go on if ``who`` coordinates ``program`` (may open its cycles)."""
    coordinator = queries.program_coordinator(program)
    require(
        request, who, access.can_manage_cycle(who, coordinator), "not the program's coordinator"
    )


def scorecard(request: Request, who: Principal, program: str | None, body: str | None) -> None:
    """Go on if ``who`` may see the scorecard of ``program`` and ``body`` (an agency only
    its own body's, a coordinator its programs' bodies and its own; a viewer all)."""
    require(request, who, queries.scorecard_visible(who, program, body), "scorecard not visible")
