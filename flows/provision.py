"""Stage 2, information provision: a body submits a version of its report."""

from __future__ import annotations

from datetime import datetime

from prefect import flow, task

from flows.common import emit_events, moment
from services import provision
from services.provision import Submitted, Upload


@task(name="record-submission")
def submit_task(
    text: str, attachments: list[Upload], now: datetime, actor: str, task_ref: dict[str, object]
) -> Submitted:
    return provision.submit(text, attachments=attachments, now=now, actor=actor, **task_ref)


@flow(name="provision-submit")
def submit_flow(
    text: str,
    task_ref: dict[str, object],
    attachments: list[Upload] | None = None,
    now: datetime | None = None,
    actor: str = "prefect",
) -> Submitted:
    submitted = submit_task(text, attachments or [], moment(now), actor, task_ref)
    emit_events(submitted.events)
    return submitted
