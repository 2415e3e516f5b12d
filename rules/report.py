"""The consolidated report (báo cáo tổng hợp) from plain data, and the rule for when
a cycle may be closed with it.

The report is written by outline section, the way a board writes one (see
``shared/DOCUMENTS.md`` §2), never as one chapter per body:

- the basis (legal basis, the board's request letter), then ``I.`` how the
  request went: bodies asked, on time, late, after revision, extended, missing;
- one ``II.``, ``III.``… per outline section (theme), in outline order, and
  under each the accepted contributions in program order (``1.`` per body),
  each body's own numbering moved below it (:func:`rules.documents.relevel`),
  so the hierarchy stays ``I.`` → ``1.`` → ``1.1.`` → ``a)`` → ``-`` → ``+``;
- the closing ("Trên đây là báo cáo …"), naming the late and missing bodies;
- an annex (phụ lục): the status table, one row per body, and any tables the
  caller adds (the summed data forms).

The same :class:`ReportContent` gives the Word document (services.issuing)
and the Markdown (:func:`render_markdown`), so both say the same.

A cycle closes on purpose, never by accident (:func:`check_closing`): while a
report waits for review, or a body is still within its deadline (original,
extended, or set by a return), synthesis is refused unless the coordinator
leaves those bodies out by name. Bodies whose deadline passed without a report
never hold it up: the report lists them as missing.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from rules.documents import (
    ARABIC_LEVEL,
    DASH_LEVEL,
    HEADING,
    ITEM,
    NOTE,
    PARA,
    ROMAN_LEVEL,
    Block,
    Numberer,
    Table,
    caps,
    check_hierarchy,
    markdown,
    official_date,
    relevel,
    table_markdown,
)
from rules.errors import Conflict, UserError
from rules.messages import letter_phrase, topic_of
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
    "handed_over": "Đã sáp nhập, bàn giao cho cơ quan kế nhiệm",
}
STATUS_COLUMNS = ("STT", "Cơ quan", "Văn bản (số, ngày)", "Hạn", "Ngày nhận", "Tình trạng",
                  "Ghi chú")  # fmt: skip
STATUS_WIDTHS_CM = (1.2, 3.4, 2.0, 2.4, 2.4, 2.3, 2.8)  # a 16.5 cm text block (A4, 30/15 mm)
_OWN_NUMBER = re.compile(r"^\s*Số:?\s*(\d+\s*[-/]\s*[A-ZĐ0-9][A-ZĐ0-9/\-]*)", re.MULTILINE)


@dataclass(frozen=True)
class Extended:
    """An extension granted: to which day, and why."""

    new_due: date
    reason: str


@dataclass(frozen=True)
class Returned:
    """A return for supplement: when, what to add, and the new deadline."""

    on: date
    comment: str
    new_due: date | None


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
    last_submitted_at: datetime | None = None
    extensions: tuple[Extended, ...] = ()
    returned: tuple[Returned, ...] = ()
    own_number: str | None = None  # the number its own report states ("12/BC-UBND")

    @property
    def category(self) -> str:
        """How the body fared, for the summary table."""
        if self.left_out:
            return "left_out"
        if self.status == Status.HANDED_OVER:  # merged: its successor reports (succession)
            return "handed_over"
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
    outline: tuple[dict[str, Any], ...] = ()  # the program's sections, in order
    provide_due: date | None = None  # the cycle's deadline


def own_number(text: str | None) -> str | None:
    """The number a body's report states at its top (``Số: 12/BC-UBND``), if any."""
    if not text:
        return None
    match = _OWN_NUMBER.search("\n".join(text.splitlines()[:15]))
    return re.sub(r"\s+", "", match.group(1)) if match else None


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
            "extended": bool(b.extensions),
            "first_submitted": local_date(b.first_submitted_at).isoformat()
            if b.first_submitted_at
            else None,
        }
        for b in bodies
    ]


def first_submitted_label(row: dict[str, Any]) -> str:
    """A summary row's first submission as dd/mm/yyyy, or a dash."""
    first = row["first_submitted"]
    return official_date(date.fromisoformat(first)) if first else "—"


def category_counts(bodies: Sequence[BodyReport]) -> dict[str, int]:
    """How many bodies fall in each category that has any, in :data:`CATEGORIES` order."""
    counts = Counter(b.category for b in bodies)
    return {key: counts[key] for key in CATEGORIES if counts[key]}


def totals_line(bodies: Sequence[BodyReport]) -> str:
    """The line under the status table: the non-empty categories and the total."""
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


def topic(header: ReportHeader) -> str:
    """What the report is about, without its type: "kết quả thực hiện Quy chế phối hợp
    theo Quyết định số 238-QĐ/TW 6 tháng đầu năm 2024" (the title minus "Báo cáo")."""
    return topic_of(header.program_title, header.period_label)


def summary_line(header: ReportHeader) -> str:
    """The line under ``BÁO CÁO``: what it reports on, never starting with "Báo cáo"."""
    text = topic(header)
    return text[:1].upper() + text[1:]


def opening(header: ReportHeader) -> str:
    """The basis: the legal basis, the board's request, then "… báo cáo như sau:"."""
    basis = f"Thực hiện {header.legal_basis}; " if header.legal_basis else ""
    letter = letter_phrase(header.letter_no, header.letter_date)
    text = (
        f"{basis}theo {letter} của {header.coordinator}, trên cơ sở báo cáo của các cơ quan, "
        f"{header.coordinator} báo cáo {topic(header)} (số liệu tính từ ngày "
        f"{official_date(header.cutoff_start)} đến ngày {official_date(header.cutoff_end)}) "
        "như sau:"
    )
    return text[:1].upper() + text[1:]  # "Theo Công văn …" when there is no legal basis


def _names(bodies: Sequence[BodyReport], note: Any = None) -> str:
    return ", ".join(b.name + (f" ({note(b)})" if note else "") for b in bodies)


def _progress(header: ReportHeader, bodies: Sequence[BodyReport]) -> list[Block]:
    """``I.``: what the board asked, of whom, by when, and how the bodies answered."""
    day = local_date(header.created_at)
    letter = f"Công văn số {header.letter_no}" if header.letter_no else "văn bản"
    due = (
        f"; hạn gửi báo cáo ngày {official_date(header.provide_due)}" if header.provide_due else ""
    )
    blocks = [
        Block(
            PARA,
            f"Ngày {official_date(header.letter_date)}, {header.coordinator} ban hành {letter} "
            f"đề nghị {len(bodies)} cơ quan báo cáo {topic(header)}{due}.",
        )
    ]
    sent = [b for b in bodies if b.versions and not b.left_out]
    blocks.append(
        Block(
            PARA,
            f"Đến ngày {official_date(day)}, đã nhận báo cáo của {len(sent)}/"
            f"{len(bodies)} cơ quan, trong đó:",
        )  # fmt: skip
    )
    groups: list[tuple[str, list[BodyReport], Any]] = [
        ("Gửi đúng hạn", [b for b in bodies if b.category == "on_time"], None),
        ("Gửi trễ hạn", [b for b in bodies if b.category == "late"], None),
        ("Gửi lại sau khi bổ sung, hoàn thiện",
         [b for b in bodies if b.category == "after_revision"], lambda b: f"{b.returns} lần"),
        ("Đã gửi, đang xem xét", [b for b in bodies if b.category == "awaiting_review"], None),
        ("Trả lại, chưa gửi bổ sung", [b for b in bodies if b.category == "returned"], None),
        ("Được gia hạn", [b for b in bodies if b.extensions],
         lambda b: f"đến ngày {official_date(b.extensions[-1].new_due)}"),
        ("Chưa gửi", [b for b in bodies if b.category == "missing"], None),
        ("Không đưa vào tổng hợp", [b for b in bodies if b.left_out], None),
        (CATEGORIES["handed_over"], [b for b in bodies if b.category == "handed_over"], None),
    ]  # fmt: skip
    shown = [(label, group, note) for label, group, note in groups if group]
    for i, (label, group, note) in enumerate(shown):
        end = "." if i == len(shown) - 1 else ";"
        text = f"{label}: {len(group)} cơ quan ({_names(group, note)}){end}"
        blocks.append(Block(ITEM, text, DASH_LEVEL, "-"))
    left_out = left_out_line(bodies)
    if left_out:
        blocks.append(Block(PARA, left_out))
    blocks.append(Block(PARA, "Tình hình gửi báo cáo của từng cơ quan tại Phụ lục kèm theo."))
    return blocks


def _outline(header: ReportHeader, bodies: Sequence[BodyReport]) -> list[dict[str, Any]]:
    """The outline to write by: the program's, else the sections the bodies used."""
    if header.outline:
        return [s for s in header.outline if s.get("code")]
    seen: dict[str, dict[str, Any]] = {}
    for b in bodies:
        for s in b.accepted_sections or ():
            if s["code"] and s["code"] not in seen:
                seen[s["code"]] = {"code": s["code"], "title": s["title"]}
    return list(seen.values())


def closing(header: ReportHeader, bodies: Sequence[BodyReport]) -> str:
    """ "Trên đây là báo cáo …", naming the bodies that sent late or not at all."""
    text = f"Trên đây là báo cáo {topic(header)} của {header.coordinator}."
    late = [b.name for b in bodies if b.category in ("late", "after_revision") and not b.left_out]
    missing = [b.name for b in bodies if b.category in ("missing", "returned")]
    if late:
        text += f" Cơ quan gửi báo cáo chậm so với thời hạn: {'; '.join(late)}."
    if missing:
        text += f" Cơ quan chưa gửi báo cáo: {'; '.join(missing)}."
    return text


def report_blocks(header: ReportHeader, bodies: Sequence[BodyReport]) -> list[Block]:
    """The report's content from the basis to the closing, by outline section."""
    numberer = Numberer()
    blocks = [Block(PARA, opening(header))]
    blocks.append(Block(HEADING, "TÌNH HÌNH TRIỂN KHAI VÀ TIẾP NHẬN BÁO CÁO", ROMAN_LEVEL,
                        numberer.next(ROMAN_LEVEL)))  # fmt: skip
    blocks += _progress(header, bodies)
    for section in _outline(header, bodies):
        blocks.append(
            Block(HEADING, caps(section["title"]), ROMAN_LEVEL, numberer.next(ROMAN_LEVEL))
        )
        contributions = [
            (b, s)
            for b in bodies
            if b.accepted_sections is not None and not b.left_out
            for s in b.accepted_sections
            if s["code"] == section["code"]
        ]
        if not contributions:
            blocks.append(Block(NOTE, "(Chưa có cơ quan báo cáo nội dung này.)"))
        for b, s in contributions:
            blocks.append(Block(HEADING, b.name, ARABIC_LEVEL, numberer.next(ARABIC_LEVEL)))
            inner = relevel(s["text"] or "", ARABIC_LEVEL, numberer)
            blocks += inner or [Block(NOTE, "(Không có nội dung.)")]
    blocks.append(Block(PARA, closing(header, bodies)))
    check_hierarchy(blocks)
    return blocks


def _note(b: BodyReport) -> str:
    notes = []
    for e in b.extensions:
        notes.append(f"Gia hạn đến {official_date(e.new_due)}: {e.reason}")
    for r in b.returned:
        again = f", hạn mới {official_date(r.new_due)}" if r.new_due else ""
        notes.append(f"Trả lại ngày {official_date(r.on)}: {r.comment}{again}")
    if b.left_out:
        notes.append("Không chờ khi tổng hợp (quyết định của cơ quan chủ trì)")
    return "; ".join(notes)


def _status_label(b: BodyReport) -> str:
    if b.category == "after_revision":
        rounds = f"{b.returns} lần"
        return f"{'Đúng hạn' if b.first_on_time else 'Trễ hạn'}, bổ sung {rounds}"
    return CATEGORIES[b.category]


def status_table(bodies: Sequence[BodyReport]) -> Table:
    """The annex's table: one row per body, how and when it sent, and why."""
    rows = []
    for i, b in enumerate(bodies, start=1):
        received = b.last_submitted_at or b.first_submitted_at
        rows.append(
            (
                str(i),
                b.name,
                b.own_number or (f"Bản {b.versions}" if b.versions else "—"),
                official_date(local_date(b.due_at)) if b.due_at else "—",
                official_date(local_date(received)) if received else "—",
                _status_label(b),
                _note(b),
            )
        )
    return Table(
        "TÌNH HÌNH GỬI BÁO CÁO CỦA CÁC CƠ QUAN",
        STATUS_COLUMNS,
        tuple(rows),
        STATUS_WIDTHS_CM,
        totals_line(bodies),
    )


@dataclass(frozen=True)
class ReportContent:
    """What the consolidated report says, ready for a template (no form yet)."""

    summary: str
    blocks: tuple[Block, ...]
    annex: tuple[Table, ...]


def build(
    header: ReportHeader, bodies: Sequence[BodyReport], extra_tables: Sequence[Table] = ()
) -> ReportContent:
    """The report's content; ``extra_tables`` (the summed data forms) follow the status
    table in the annex."""
    return ReportContent(
        summary_line(header),
        tuple(report_blocks(header, bodies)),
        (status_table(bodies), *extra_tables),
    )


def annex_heading(index: int, count: int) -> str:
    """``Phụ lục`` alone, or ``Phụ lục I``, ``Phụ lục II``… when there are several."""
    from rules.documents import roman

    return "Phụ lục" if count == 1 else f"Phụ lục {roman(index)}"


def render_markdown(
    header: ReportHeader,
    bodies: Sequence[BodyReport],
    *,
    masthead: Sequence[str] = (),
    signature: Sequence[str] = (),
    recipients: Sequence[str] = (),
    annex_note: str = "",
    extra_tables: Sequence[Table] = (),
) -> str:
    """The report as Markdown: the masthead lines given, ``# BÁO CÁO``, the summary, the
    content, recipients and signature, and the annex tables."""
    content = build(header, bodies, extra_tables)
    lines = [*(f"{line}  " for line in masthead)]
    if not masthead:
        lines += [f"**{header.coordinator.upper()}**", "",
                  f"*Ngày {official_date(local_date(header.created_at))}*"]  # fmt: skip
    lines += ["", "# BÁO CÁO", "", f"**{content.summary}**", ""]
    lines += markdown(content.blocks)
    if recipients or signature:
        lines += ["**Nơi nhận:**", "", *(f"{r}  " for r in recipients), ""]
        lines += [*(f"**{s}**  " for s in signature), ""]
    count = len(content.annex)
    for i, table in enumerate(content.annex, start=1):
        lines += ["---", "", f"**{annex_heading(i, count)}**", ""]
        if annex_note:
            lines += [f"*{annex_note}*", ""]
        lines += table_markdown(table)
    return "\n".join(lines).rstrip() + "\n"
