"""What urging letters say (công văn đôn đốc), and the summary leadership gets.

An urging letter is the coordinator's own numbered công văn to the late body's
head (``shared/DOCUMENTS.md`` §3): it cites the request it follows up (number,
date, issuer, subject) and its deadline, says what is still missing (the
report, the outline's required sections, or the points of a return), sets a
new deadline and names a contact; at the last level it says the list goes to
the leadership. Courteous and firm: peers are not subordinates, so
"đề nghị", never "yêu cầu".

Leadership never gets a copy of a body's letter: once per sweep and cycle it
gets its own summary (``Kính gửi: Thường trực Tỉnh ủy``) with the counts, the
late bodies, how many days late, the level reached and the letters sent, and
a proposal.

Pure: facts in, :class:`Letter` (the words) out; the form is rules.documents.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rules.documents import DASH_LEVEL, ITEM, PARA, Block, official_date
from rules.messages import letter_phrase, topic_of


@dataclass(frozen=True)
class Letter:
    """The words of a công văn: its V/v line, whom it is addressed to, its paragraphs,
    and its copies before the keep line."""

    subject: str
    to: tuple[str, ...]
    body: tuple[Block, ...]
    copies: tuple[str, ...]


@dataclass(frozen=True)
class Request:
    """The request a cycle was opened from, as letters cite it."""

    coordinator: str
    program_title: str
    period_label: str
    letter_no: str | None
    letter_date: date
    legal_basis: str | None = None

    @property
    def topic(self) -> str:
        return topic_of(self.program_title, self.period_label)

    def cited(self) -> str:
        """ "Công văn số 310-CV/BTGTU ngày 03/7/2024 của Ban Tuyên giáo … về việc báo cáo …"."""
        return (
            f"{letter_phrase(self.letter_no, self.letter_date)} của {self.coordinator} "
            f"về việc báo cáo {self.topic}"
        )


def addressee(head_title: str | None, body_name: str) -> str:
    """How a letter addresses a body's head: "Đồng chí Giám đốc Sở Văn hóa, Thể thao và
    Du lịch" (the title's last word and the name's first are one: "Sở"); a title that
    already names its body ("Chủ tịch UBND tỉnh") stands alone; no title, the body."""
    if not head_title:
        return body_name
    title, name = head_title.split(), body_name.split()
    for k in range(min(len(title), len(name)), 0, -1):
        if [w.casefold() for w in title[-k:]] == [w.casefold() for w in name[:k]]:
            return "Đồng chí " + " ".join([*title[:-k], *name])
    if any(w.isupper() and len(w) >= 3 for w in title) or title[-1].casefold() == "tỉnh":
        return f"Đồng chí {head_title}"
    return f"Đồng chí {head_title} {body_name}"


@dataclass(frozen=True)
class Urging:
    """One late body at one formal level of the ladder."""

    request: Request
    body_name: str
    head_title: str | None
    missed_due: date
    new_due: date
    level: int
    last_level: bool
    days_late: int
    missing_sections: tuple[str, ...] = ()  # the outline's required sections
    returned_on: date | None = None  # returned for supplement, and what to add
    returned_comment: str | None = None
    contact: str | None = None  # the coordinator's focal contact
    leadership: str | None = None  # "Thường trực Tỉnh ủy"
    coordinator_is_board: bool = True  # a Party board copies its leaders ("Lãnh đạo Ban")


def urging(u: Urging) -> Letter:
    """The urging letter to the late body's head."""
    r = u.request
    blocks = [
        Block(
            PARA,
            f"Thực hiện {r.cited()}, đề nghị các cơ quan gửi báo cáo về {r.coordinator} "
            f"trước ngày {official_date(u.missed_due)}.",
        )
    ]
    if u.returned_on is not None:
        what = (
            f"Ngày {official_date(u.returned_on)}, {r.coordinator} đã đề nghị quý cơ quan bổ "
            f"sung, hoàn thiện báo cáo"
            + (f" ({u.returned_comment.rstrip('.')})" if u.returned_comment else "")
            + f". Đến nay, {r.coordinator} chưa nhận được báo cáo bổ sung, hoàn thiện của "
            f"quý cơ quan (quá hạn {u.days_late} ngày)."
        )
        blocks.append(Block(PARA, what))
    else:
        blocks.append(
            Block(
                PARA,
                f"Đến nay, {r.coordinator} chưa nhận được báo cáo của quý cơ quan (quá hạn "
                f"{u.days_late} ngày)"
                + (", gồm các nội dung theo đề cương:" if u.missing_sections else "."),
            )
        )
        for i, section in enumerate(u.missing_sections):
            end = "." if i == len(u.missing_sections) - 1 else ";"
            blocks.append(Block(ITEM, f"{section}{end}", DASH_LEVEL, "-"))
    contact = f" (đầu mối liên hệ: {u.contact})" if u.contact else ""
    blocks.append(
        Block(
            PARA,
            f"Để kịp thời tổng hợp, báo cáo theo quy định, {r.coordinator} đề nghị quý cơ "
            f"quan quan tâm chỉ đạo, khẩn trương hoàn thành và gửi báo cáo về {r.coordinator}"
            f"{contact} trước ngày {official_date(u.new_due)}.",
        )
    )
    if u.last_level and u.leadership:
        blocks.append(
            Block(
                PARA,
                f"Quá thời hạn trên, {r.coordinator} sẽ tổng hợp danh sách các cơ quan chưa gửi "
                f"báo cáo, báo cáo {u.leadership}.",
            )
        )
    copies = [f"{u.leadership} (để b/c)"] if u.leadership else []
    if u.coordinator_is_board:
        copies.append("Lãnh đạo Ban")
    return Letter(
        subject=f"đôn đốc báo cáo {r.topic}",
        to=(addressee(u.head_title, u.body_name),),
        body=tuple(blocks),
        copies=tuple(copies),
    )


@dataclass(frozen=True)
class Late:
    """A late body as the leadership's summary lists it."""

    name: str
    days_late: int
    level: int
    letter: str | None  # the urging letter's number and symbol, if one was sent


@dataclass(frozen=True)
class Summary:
    request: Request
    leadership: str  # whom it is addressed to: "Thường trực Tỉnh ủy"
    day: date
    asked: int
    on_time: int
    late_sent: int
    missing: int
    extended: int
    late: tuple[Late, ...]
    new_due: date | None
    coordinator_is_board: bool = True


def summary(s: Summary) -> Letter:
    """The leadership's summary of one sweep: counts, the late bodies, the letters, a
    proposal. Never a copy of a body's letter."""
    r = s.request
    blocks = [
        Block(
            PARA,
            f"Thực hiện {r.cited()}, {r.coordinator} đã đề nghị {s.asked} cơ quan gửi báo cáo. "
            f"Đến ngày {official_date(s.day)}, tình hình như sau: gửi đúng hạn {s.on_time} cơ "
            f"quan; gửi trễ hạn {s.late_sent} cơ quan; được gia hạn {s.extended} cơ quan; "
            f"chưa gửi {s.missing} cơ quan.",
        ),
        Block(
            PARA,
            f"{r.coordinator} đã đôn đốc nhiều lần, nhưng đến nay các cơ quan sau chưa gửi báo "
            "cáo:",
        ),
    ]
    for i, late in enumerate(s.late):
        end = "." if i == len(s.late) - 1 else ";"
        sent = f", {r.coordinator} đã có Công văn số {late.letter} đôn đốc" if late.letter else ""
        blocks.append(
            Block(
                ITEM,
                f"{late.name}: quá hạn {late.days_late} ngày, đã đôn đốc lần {late.level}"
                f"{sent}{end}",
                DASH_LEVEL,
                "-",
            )
        )
    deadline = f" trước ngày {official_date(s.new_due)}" if s.new_due else ""
    blocks.append(
        Block(
            PARA,
            f"{r.coordinator} kính đề nghị {s.leadership} quan tâm, chỉ đạo các cơ quan nêu "
            f"trên khẩn trương gửi báo cáo{deadline}, để {r.coordinator} kịp thời tổng hợp, "
            "báo cáo theo quy định.",
        )
    )
    copies = ("Lãnh đạo Ban",) if s.coordinator_is_board else ()
    return Letter(
        subject=f"tình hình gửi báo cáo {r.topic}",
        to=(s.leadership,),
        body=tuple(blocks),
        copies=copies,
    )


def summary_message(s: Summary, letter_symbol: str | None) -> tuple[str, str]:
    """Subject and text of the e-mail that carries the summary to leadership."""
    names = "; ".join(f"{x.name} (quá hạn {x.days_late} ngày)" for x in s.late)
    cited = f" (Công văn số {letter_symbol} kèm theo)" if letter_symbol else ""
    subject = f"Tình hình gửi báo cáo {s.request.topic}: {len(s.late)} cơ quan chưa gửi"
    text = (
        f"Kính gửi: {s.leadership}.\n\n{s.request.coordinator} báo cáo tình hình gửi báo cáo "
        f"{s.request.topic}{cited}. Các cơ quan chưa gửi báo cáo: {names}."
    )
    return subject, text
