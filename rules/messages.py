"""The words of reminders and urging letters (văn bản đôn đốc), in Vietnamese."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from rules.documents import official_date
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
    """How the request is cited: "Công văn số 310-CV/BTGTU ngày 03/7/2024" (the date as
    the rules write it in text), or by its date alone when it had no number."""
    if letter_no:
        return f"Công văn số {letter_no} ngày {official_date(letter_date)}"
    return f"yêu cầu ngày {official_date(letter_date)}"


def topic_of(program_title: str, period_label: str) -> str:
    """What a message is about, without its document type: a program titled "Báo cáo
    kết quả …" asks for "kết quả … 6 tháng đầu năm 2024", so "gửi báo cáo" never reads
    "gửi báo cáo Báo cáo …"."""
    title = _TYPE_WORD.sub("", program_title).strip()
    if title[:1].isupper() and title[1:2].islower():
        title = title[:1].lower() + title[1:]
    return f"{title} {period_label}".strip()


_TYPE_WORD = re.compile(r"^\s*báo cáo\s*[:,-]?\s*", re.IGNORECASE)


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
    new_due: date | None = None  # the deadline a formal urging letter sets
    contact: str | None = None  # the coordinator's focal contact, "Name (e-mail)"


def urging_message(rung: Rung, ctx: TaskContext, now: datetime) -> tuple[str, str]:
    """Subject and body for one rung of the ladder."""
    subject, text = urging_text(rung, ctx, now)
    return subject, salutation(ctx.body_name) + text


def salutation(body_name: str) -> str:
    return f"Kính gửi: {body_name}.\n\n"


def urging_text(rung: Rung, ctx: TaskContext, now: datetime) -> tuple[str, str]:
    """Subject and the words after the salutation: the same for every body of a cycle
    with the same deadline (``ctx.body_name`` is not read), so a sweep of 50,000
    tasks writes them once per deadline and rung.

    Courteous and firm, as one office writes to another that is not its
    subordinate: "đề nghị", never "yêu cầu". A formal rung's message covers the
    numbered urging letter attached to it (services.letters)."""
    letter = letter_phrase(ctx.letter_no, ctx.letter_date)
    topic = topic_of(ctx.program_title, ctx.period_label)
    due = official_date(ctx.due_date)
    contact = f" Đầu mối liên hệ: {ctx.contact}." if ctx.contact else ""
    if rung.kind == "reminder":
        subject = f"Nhắc hạn gửi báo cáo {topic}"
        text = (
            f"Thực hiện {letter} của {ctx.coordinator_name} về việc báo cáo {topic}, "
            f"thời hạn gửi báo cáo là ngày {due}. {ctx.coordinator_name} đề nghị quý cơ "
            f"quan gửi báo cáo đúng thời hạn (trước 24 giờ ngày {due}).{contact}"
        )
        return subject, text
    late = days_late(ctx.due_at, now)
    subject = f"Đôn đốc gửi báo cáo (lần {rung.level}): {topic}"
    new_due = (
        f"trước ngày {official_date(ctx.new_due)}" if ctx.new_due else "trong thời gian sớm nhất"
    )
    text = (
        f"Thực hiện {letter} của {ctx.coordinator_name} về việc báo cáo {topic}, "
        f"thời hạn gửi báo cáo là ngày {due}. Đến nay (quá hạn {late} ngày), "
        f"{ctx.coordinator_name} chưa nhận được báo cáo của quý cơ quan. Đề nghị quý cơ quan "
        f"quan tâm, khẩn trương hoàn thành và gửi báo cáo {new_due}.{contact}"
    )
    if getattr(rung, "formal", False):
        text += f"\n\nCông văn đôn đốc của {ctx.coordinator_name} gửi kèm theo thư này."
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


# -- notices: a message for every step a person waits for ------------------------------------


@dataclass(frozen=True)
class Notice:
    subject: str
    text: str


def opening_notice(ctx: TaskContext, attached: bool) -> Notice:
    """To every body when a cycle opens: the request, the deadline, the request letter
    attached (or cited by its number and date)."""
    letter = letter_phrase(ctx.letter_no, ctx.letter_date)
    topic = topic_of(ctx.program_title, ctx.period_label)
    enclosed = f" ({letter} gửi kèm theo)" if attached else ""
    contact = f" Đầu mối liên hệ: {ctx.contact}." if ctx.contact else ""
    return Notice(
        f"Đề nghị báo cáo {topic}",
        f"Thực hiện {letter} của {ctx.coordinator_name}{enclosed}, đề nghị quý cơ quan báo "
        f"cáo {topic} và gửi về {ctx.coordinator_name} trước ngày "
        f"{official_date(ctx.due_date)}.{contact}",
    )


def return_notice(ctx: TaskContext, version: int, comment: str, new_due: date) -> Notice:
    """To the body's focal contact when its report is returned for supplement."""
    topic = topic_of(ctx.program_title, ctx.period_label)
    return Notice(
        f"Đề nghị bổ sung, hoàn thiện báo cáo {topic}",
        f"{ctx.coordinator_name} đã nhận báo cáo (bản {version}) của quý cơ quan về {topic}. "
        f"Đề nghị quý cơ quan bổ sung, hoàn thiện báo cáo với các nội dung sau: "
        f"{comment.rstrip('.')}.\n\nĐề nghị gửi lại báo cáo trước ngày {official_date(new_due)}.",
    )


def acceptance_notice(ctx: TaskContext, version: int) -> Notice:
    topic = topic_of(ctx.program_title, ctx.period_label)
    return Notice(
        f"Đã tiếp nhận báo cáo {topic}",
        f"{ctx.coordinator_name} đã tiếp nhận báo cáo (bản {version}) của quý cơ quan về "
        f"{topic}. Trân trọng cảm ơn sự phối hợp của quý cơ quan.",
    )


def extension_notice(ctx: TaskContext, old_due: date, new_due: date, reason: str) -> Notice:
    topic = topic_of(ctx.program_title, ctx.period_label)
    return Notice(
        f"Gia hạn gửi báo cáo {topic}",
        f"{ctx.coordinator_name} đồng ý gia hạn thời gian gửi báo cáo {topic} của quý cơ quan "
        f"từ ngày {official_date(old_due)} đến ngày {official_date(new_due)} "
        f"(lý do: {reason.rstrip('.')}). Đề nghị quý cơ quan gửi báo cáo đúng thời hạn mới.",
    )


@dataclass(frozen=True)
class Received:
    """One submission in the coordinator's digest."""

    cycle: str  # "QD238/2024-H1"
    body_name: str
    version: int
    at: datetime
    on_time: bool


def submissions_digest(coordinator: str, received: Sequence[Received]) -> Notice:
    """One message to the coordinator per sweep, listing what arrived since the last."""
    from rules.timezone import VN_TZ

    lines = []
    for cycle in dict.fromkeys(r.cycle for r in received):
        lines.append(f"Kỳ {cycle}:")
        for r in (x for x in received if x.cycle == cycle):
            when = r.at.astimezone(VN_TZ)
            timing = "đúng hạn" if r.on_time else "trễ hạn"
            kind = "gửi lại, " if r.version > 1 else ""
            lines.append(
                f"- {r.body_name}: bản {r.version} ({kind}{timing}), lúc {when:%H:%M} ngày "
                f"{official_date(when.date())};"
            )
        lines[-1] = lines[-1].rstrip(";") + "."
    return Notice(
        f"Báo cáo mới nhận: {len(received)} báo cáo chờ xem xét",
        f"Kính gửi: {coordinator}.\n\nCác báo cáo mới gửi đến, chờ xem xét:\n\n" + "\n".join(lines),
    )
