"""Find what a request acts on and check that the caller may: one call per handler.

The API and the pages both go through these, so a lookup and its permission
check cannot drift apart between them. A refusal is the bare 403 of
:func:`web.auth.require`, audited with the reason.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import Request

from services.accounts import Principal
from services.provision import Target, target_of
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


def submission(request: Request, who: Principal, task_id: int) -> Target:
    """The task as a submission reads it (:func:`services.provision.target_of`), once
    ``who`` may submit for it: the busiest write checks and reads in one statement."""
    found = target_of(task_id)
    owner = TaskOwner(found.reporter_id, found.coordinator_id)
    require(request, who, access.can_submit(who, owner), "submit for another body")
    return found


def coordinating(request: Request, who: Principal, body_code: str) -> None:
    """Go on if ``who`` may ask for reports in the name of the body ``body_code`` (open
    its ad-hoc requests); an unknown body is a 404."""
    from services import db
    from services.registry import body_by_code

    with db.reading() as session:
        body_id = body_by_code(session, body_code).id
    assert body_id is not None
    require(request, who, access.can_manage_cycle(who, body_id), "not the coordinator")


def cycle_sight(request: Request, who: Principal, cycle_id: int) -> queries.CycleSight:
    """The cycle as ``who`` sees it, if ``who`` may see it at all: a route that needs
    more than the verdict (the cycle page) passes its ``whole`` down, so the cycles
    above are looked up once per request."""
    sight = queries.CycleSight(who, cycle_id)
    require(request, who, sight.readable, "cycle not visible")
    return sight


def readable_cycle(request: Request, who: Principal, cycle_id: int) -> int:
    """The cycle's coordinator body id, if ``who`` may see the cycle at all."""
    return cycle_sight(request, who, cycle_id).coordinator


def whole_cycle(request: Request, who: Principal, cycle_id: int) -> int:
    """The cycle's coordinator body id, if ``who`` sees every row of it (its roll-up
    tree below it too: each cycle there has it above, or it is a viewer)."""
    sight = queries.CycleSight(who, cycle_id)
    require(request, who, sight.whole, "cycle not visible whole")
    return sight.coordinator


def managed_cycle(request: Request, who: Principal, cycle_id: int) -> str:
    """The cycle's ``PROGRAM/PERIOD`` ref, if ``who`` coordinates it."""
    coordinator, ref = queries.cycle_owner(cycle_id)
    require(request, who, access.can_manage_cycle(who, coordinator), "not the cycle's coordinator")
    return ref


def report_cycle(request: Request, who: Principal, cycle_id: int) -> str:
    """The cycle's ``PROGRAM/PERIOD`` ref, if ``who`` may read its consolidated report."""
    sight = queries.CycleSight(who, cycle_id)
    require(request, who, sight.whole, "report of another body")
    return sight.ref


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
