"""Stage 3, review: accept, return for revision, or extend a deadline."""

from __future__ import annotations

from datetime import date, datetime

from prefect import flow, task

from flows.common import emit_events, moment
from services import review
from services.review import Reviewed


@task(name="record-review")
def review_task(
    decision: str,
    now: datetime,
    actor: str,
    task_ref: dict[str, object],
    comment: str | None,
    new_due: date | None,
) -> Reviewed:
    return review.decide(decision, task_ref, comment=comment, new_due=new_due, now=now, actor=actor)


@flow(name="review-decision")
def review_flow(
    decision: str,
    task_ref: dict[str, object],
    comment: str | None = None,
    new_due: date | None = None,
    now: datetime | None = None,
    actor: str = "prefect",
) -> Reviewed:
    """``decision``: accept, return (comment: what to supplement) or extend (comment: reason)."""
    reviewed = review_task(decision, moment(now), actor, task_ref, comment, new_due)
    emit_events(reviewed.events)
    return reviewed
