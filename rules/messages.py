"""The words of reminders and urging letters (văn bản đôn đốc), in Vietnamese."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from rules.escalation import Rung
from rules.timezone import days_late


def vn_date(d: date) -> str:
    """Dates as officials write them: dd/mm/yyyy."""
    return d.strftime("%d/%m/%Y")


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
    letter = (
        f"Công văn số {ctx.letter_no} ngày {vn_date(ctx.letter_date)}"
        if ctx.letter_no
        else (f"yêu cầu ngày {vn_date(ctx.letter_date)}")
    )
    topic = f"{ctx.program_title} ({ctx.period_label})"
    if rung.kind == "reminder":
        subject = f"Nhắc hạn gửi báo cáo: {topic}"
        body = (
            f"Kính gửi: {ctx.body_name}.\n\n"
            f"Theo {letter} của {ctx.coordinator_name}, đề nghị quý cơ quan gửi báo cáo "
            f"{topic} trước 24 giờ ngày {vn_date(ctx.due_date)}."
        )
        return subject, body
    late = days_late(ctx.due_at, now)
    subject = f"Đôn đốc (lần {rung.level}) gửi báo cáo: {topic}"
    body = (
        f"Kính gửi: {ctx.body_name}.\n\n"
        f"Theo {letter} của {ctx.coordinator_name}, hạn gửi báo cáo {topic} là ngày "
        f"{vn_date(ctx.due_date)}. Đến nay quý cơ quan chưa gửi báo cáo "
        f"(quá hạn {late} ngày). Đề nghị khẩn trương hoàn thành và gửi về "
        f"{ctx.coordinator_name}."
    )
    return subject, body
