"""The consolidated report (báo cáo tổng hợp), rendered as Markdown from plain data.

One section per body in the program's order, each with the outline's sections
in outline order, taken from the accepted version only; before them a summary
table of who sent on time, late, after revision, or not at all.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from rules.messages import letter_phrase
from rules.tasks import Status
from rules.timezone import local_date, vn_date

CATEGORIES = {
    "on_time": "Đúng hạn",
    "late": "Trễ hạn",
    "after_revision": "Sau bổ sung, hoàn thiện",
    "awaiting_review": "Đã gửi, chưa xem xét",
    "returned": "Trả lại, chưa bổ sung",
    "missing": "Chưa gửi",
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

    @property
    def category(self) -> str:
        """How the body fared, for the summary table."""
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
