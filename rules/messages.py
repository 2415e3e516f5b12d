"""The words of reminders and urging letters (văn bản đôn đốc), in Vietnamese."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from rules.escalation import Rung
from rules.timezone import days_late, vn_date

_SPECIALS = re.compile(r'[,;:<>@()\[\]"\\]')


def _display_name(name: str) -> str:
    """Quote a display name with address specials, so "Sở Văn hóa, Thể thao…" stays whole."""
    if _SPECIALS.search(name):
        return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return name


def addresses(
    roles: Sequence[str], people: dict[str, tuple[str | None, str | None]]
) -> tuple[str, ...]:
    """Addresses for the roles a rung notifies (``people``: role → (name, e-mail)), as
    ``Name <email>``, each once; a role without an e-mail is skipped."""
    result: list[str] = []
    for role in roles:
        name, email = people[role]
        if email:
            address = f"{_display_name(name)} <{email}>" if name else email
            if address not in result:
                result.append(address)
    return tuple(result)


def letter_phrase(letter_no: str | None, letter_date: date) -> str:
    """How the request is cited: "Công văn số 310-CV/BTGTU ngày 03/07/2024", or by its
    date alone when it had no number."""
    if letter_no:
        return f"Công văn số {letter_no} ngày {vn_date(letter_date)}"
    return f"yêu cầu ngày {vn_date(letter_date)}"


@dataclass(frozen=True)
class TaskContext:
    """What a message needs to know about the task it is about."""

    program_title: str
    period_label: str
    letter_no: str | None
    letter_date: date
    body_name: str
    coordinator_name: str
    due_date: date
    due_at: datetime


def urging_message(rung: Rung, ctx: TaskContext, now: datetime) -> tuple[str, str]:
    """Subject and body for one rung of the ladder."""
    subject, text = urging_text(rung, ctx, now)
    return subject, salutation(ctx.body_name) + text


def salutation(body_name: str) -> str:
    return f"Kính gửi: {body_name}.\n\n"


def urging_text(rung: Rung, ctx: TaskContext, now: datetime) -> tuple[str, str]:
    """Subject and the words after the salutation: the same for every body of a cycle
    with the same deadline (``ctx.body_name`` is not read), so a sweep of 50,000
    tasks writes them once per deadline and rung."""
    letter = letter_phrase(ctx.letter_no, ctx.letter_date)
    topic = f"{ctx.program_title} ({ctx.period_label})"
    if rung.kind == "reminder":
        subject = f"Nhắc hạn gửi báo cáo: {topic}"
        text = (
            f"Theo {letter} của {ctx.coordinator_name}, đề nghị quý cơ quan gửi báo cáo "
            f"{topic} trước 24 giờ ngày {vn_date(ctx.due_date)}."
        )
        return subject, text
    late = days_late(ctx.due_at, now)
    subject = f"Đôn đốc (lần {rung.level}) gửi báo cáo: {topic}"
    text = (
        f"Theo {letter} của {ctx.coordinator_name}, hạn gửi báo cáo {topic} là ngày "
        f"{vn_date(ctx.due_date)}. Đến nay quý cơ quan chưa gửi báo cáo "
        f"(quá hạn {late} ngày). Đề nghị khẩn trương hoàn thành và gửi về "
        f"{ctx.coordinator_name}."
    )
    return subject, text


def describe_event(
    event: dict[str, Any], lang: str = "vi", show_date: Callable[[Any], str] = vn_date
) -> str:
    """A task history event (see services.dashboard.task_histories) in words, vi or en."""
    kind, step = event["kind"], event.get("step") or ""
    english = lang == "en"
    if kind == "reminder":
        days = step.removeprefix("reminder-")
        return (f"reminder ({days} working days before)" if english
                else f"nhắc hạn (trước {days} ngày làm việc)")  # fmt: skip
    if kind == "escalation":
        return f"escalation, level {event['level']}" if english else f"đôn đốc lần {event['level']}"
    version = step.removeprefix("v")
    if kind == "accepted":
        return f"version {version} accepted" if english else f"tiếp nhận bản {version}"
    new_due = show_date(event["new_due_date"])
    if kind == "returned":
        return (f"version {version} returned, new due date {new_due}" if english
                else f"trả lại bản {version}, hạn mới {new_due}")  # fmt: skip
    old_due = show_date(event["old_due_date"])
    return f"extended {old_due} → {new_due}" if english else f"gia hạn {old_due} → {new_due}"
