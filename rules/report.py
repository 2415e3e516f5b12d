"""The consolidated report (báo cáo tổng hợp), rendered as Markdown from plain data,
and the rule for when a cycle may be closed with it.

One section per body in the program's order, each with the outline's sections
in outline order, taken from the accepted version only; before them a summary
table of who sent on time, late, after revision, or not at all.

A cycle closes on purpose, never by accident (:func:`check_closing`): while a
report waits for review, or a body is still within its deadline (original,
extended, or set by a return), synthesis is refused unless the coordinator
leaves those bodies out by name. Bodies whose deadline passed without a report
never hold it up: the report lists them as missing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from rules.errors import Conflict, UserError
from rules.messages import letter_phrase
from rules.tasks import OPEN, Status
from rules.timezone import local_date, vn_date

CATEGORIES = {
    "on_time": "Đúng hạn",
    "late": "Trễ hạn",
    "after_revision": "Sau bổ sung, hoàn thiện",
    "awaiting_review": "Đã gửi, chưa xem xét",
    "returned": "Trả lại, chưa bổ sung",
    "missing": "Chưa gửi",
    "left_out": "Không đưa vào tổng hợp",
}


@dataclass(frozen=True)
class BodyReport:
    code: str
    name: str
    status: str
    versions: int
    returns: int
    first_submitted_at: datetime | None
    first_on_time: bool | None
    accepted_sections: Sequence[dict[str, Any]] | None  # None unless accepted
    task_id: int = 0
    due_at: datetime | None = None  # the deadline in force
    left_out: bool = False  # closed without waiting for this body, on purpose

    @property
    def category(self) -> str:
        """How the body fared, for the summary table."""
        if self.left_out:
            return "left_out"
        if self.versions == 0:
            return "missing"
        if self.status == Status.RETURNED:
            return "returned"
        if self.status == Status.SUBMITTED:
            return "awaiting_review"
        if self.returns:
            return "after_revision"
        return "on_time" if self.first_on_time else "late"


@dataclass(frozen=True)
class ReportHeader:
    coordinator: str
    program_title: str
    legal_basis: str | None
    period_label: str
    cutoff_start: date
    cutoff_end: date
    letter_no: str | None
    letter_date: date
    created_at: datetime
    signer_title: str | None = None
    signer_name: str | None = None


def holding_up(body: BodyReport, now: datetime) -> str | None:
    """Why ``body`` keeps its cycle from closing at ``now``, or None if it does not."""
    if body.status == Status.SUBMITTED:
        return "awaiting_review"
    if body.status in OPEN and body.due_at is not None and now <= body.due_at:
        return "within_deadline"
    return None


class ClosingBlocked(Conflict):
    """Synthesis refused: some bodies still hold the cycle up (see :func:`check_closing`)."""

    def __init__(self, message: str, blockers: list[dict[str, Any]]) -> None:
        super().__init__(message)
        self.blockers = blockers


def blocker_rows(bodies: Sequence[BodyReport], now: datetime) -> list[dict[str, Any]]:
    """The bodies holding the cycle up, with why, as the CLI, the API and the pages show."""
    rows = []
    for body in bodies:
        reason = holding_up(body, now)
        if reason:
            rows.append(
                {
                    "task": body.task_id,
                    "body": body.code,
                    "name": body.name,
                    "reason": reason,
                    "due_date": local_date(body.due_at) if body.due_at else None,
                }
            )
    return rows


def _reason(row: dict[str, Any]) -> str:
    if row["reason"] == "awaiting_review":
        return "waits for review"
    return f"is within its deadline ({vn_date(row['due_date'])})"


def check_closing(
    bodies: Sequence[BodyReport], now: datetime, leave_out: Sequence[str]
) -> list[BodyReport]:
    """The bodies as the report will show them, with ``leave_out`` marked; raises
    :class:`ClosingBlocked` naming every task that still holds the cycle up."""
    codes = {b.code for b in bodies}
    unknown = sorted(set(leave_out) - codes)
    if unknown:
        raise UserError(f"not a body of this cycle: {', '.join(unknown)}")
    blockers = blocker_rows(bodies, now)
    blocking = {row["body"] for row in blockers}
    needless = sorted(set(leave_out) - blocking)
    if needless:
        raise UserError(
            f"{', '.join(needless)} does not hold up the synthesis; leave out only bodies that do"
        )
    waiting = [row for row in blockers if row["body"] not in leave_out]
    if waiting:
        listed = "; ".join(f"task {row['task']} ({row['body']}) {_reason(row)}" for row in waiting)
        raise ClosingBlocked(
            f"the cycle cannot be closed yet: {listed}. Review them, wait for them, "
            "or leave them out on purpose",
            waiting,
        )
    return [replace(b, left_out=True) if b.code in leave_out else b for b in bodies]


def summary_rows(bodies: Sequence[BodyReport]) -> list[dict[str, Any]]:
    return [
        {
            "body": b.code,
            "name": b.name,
            "category": b.category,
            "label": CATEGORIES[b.category],
            "versions": b.versions,
            "returns": b.returns,
            "first_submitted": local_date(b.first_submitted_at).isoformat()
            if b.first_submitted_at
            else None,
        }
        for b in bodies
    ]


def first_submitted_label(row: dict[str, Any]) -> str:
    """A summary row's first submission as dd/mm/yyyy, or a dash."""
    first = row["first_submitted"]
    return vn_date(date.fromisoformat(first)) if first else "—"


def opening(header: ReportHeader) -> str:
    """The report's opening sentence: on what basis, at whose request, over which data."""
    basis = f"Thực hiện {header.legal_basis}; " if header.legal_basis else ""
    letter = letter_phrase(header.letter_no, header.letter_date)
    return (
        f"{basis}theo {letter} của {header.coordinator}, trên cơ sở báo cáo của các cơ quan, "
        f"{header.coordinator} tổng hợp kết quả như sau "
        f"(số liệu tính từ ngày {vn_date(header.cutoff_start)} đến ngày "
        f"{vn_date(header.cutoff_end)})."
    )


def category_counts(bodies: Sequence[BodyReport]) -> dict[str, int]:
    """How many bodies fall in each category that has any, in :data:`CATEGORIES` order."""
    counts = Counter(b.category for b in bodies)
    return {key: counts[key] for key in CATEGORIES if counts[key]}


def totals_line(bodies: Sequence[BodyReport]) -> str:
    """The line under the summary table: the non-empty categories and the total."""
    return (
        "Tổng số: "
        + "; ".join(f"{CATEGORIES[k].lower()}: {n}" for k, n in category_counts(bodies).items())
        + f" (trên {len(bodies)} cơ quan)."
    )


def left_out_line(bodies: Sequence[BodyReport]) -> str | None:
    """The sentence naming the bodies the coordinator closed without, or None."""
    names = [b.name for b in bodies if b.left_out]
    if not names:
        return None
    return (
        "Báo cáo được tổng hợp không chờ các cơ quan sau (theo quyết định của cơ quan chủ trì): "
        + "; ".join(names)
        + "."
    )


def render_markdown(header: ReportHeader, bodies: Sequence[BodyReport]) -> str:
    lines = [
        f"**{header.coordinator.upper()}**",
        "",
        f"*Ngày {vn_date(local_date(header.created_at))}*",
        "",
        "# BÁO CÁO TỔNG HỢP",
        "",
        f"**{header.program_title}, {header.period_label}**",
        "",
    ]
    lines += [
        opening(header),
        "",
        "## Tình hình gửi báo cáo",
        "",
        "| STT | Cơ quan | Tình trạng | Ngày gửi lần đầu | Số lần gửi | Số lần trả lại |",
        "|---:|---|---|---|---:|---:|",
    ]
    for i, row in enumerate(summary_rows(bodies), start=1):
        lines.append(
            f"| {i} | {row['name']} | {row['label']} | {first_submitted_label(row)} | "
            f"{row['versions']} | {row['returns']} |"
        )
    lines += ["", totals_line(bodies), ""]
    left_out = left_out_line(bodies)
    if left_out:
        lines += [left_out, ""]
    for i, body in enumerate(bodies, start=1):
        lines += [f"## {i}. {body.name}", ""]
        if body.accepted_sections is None:
            lines += [f"*({CATEGORIES[body.category]}; nội dung chưa được tổng hợp.)*", ""]
            continue
        for section in body.accepted_sections:
            if not section["code"]:
                continue  # the body's own title and preamble: not part of the outline
            lines += [f"### {section['code']}. {section['title']}", ""]
            lines += [section["text"] or "*(không có nội dung)*", ""]
    return "\n".join(lines).rstrip() + "\n"
