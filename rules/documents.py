"""The official form of what phoihop issues, as plain data (no I/O, no Word).

Two regimes, both versioned data here (``REGIMES``): a Party body writes under
Guidance 36-HD/VPTW, a State body under Decree 30/2020/NĐ-CP. They differ in
the masthead, the number line, where the date stands, the signature prefixes
and the recipients' last line; see ``shared/DOCUMENTS.md`` §1.

This module turns the facts of a document (issuer, date, signer, recipients,
content) into what a template prints: the lines of the masthead, the date
line, the signature block, the recipients, and the content as :class:`Block`
items in one numbering hierarchy (``I.`` → ``1.`` → ``1.1.`` → ``a)`` → ``-`` →
``+``). :mod:`services.issuing` renders them into the .docx templates, and
the Markdown of a report is written from the same blocks, so both say the same.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from rules.errors import UserError
from rules.numbering import PARTY, STATE, check_regime

REGIME_VERSIONS = {
    PARTY: "HD 36-HD/VPTW (2018)",  # 05-HD/VPTW (2026) reportedly keeps its values: unverified
    STATE: "NĐ 30/2020/NĐ-CP",
}
NATIONAL = {
    PARTY: ("ĐẢNG CỘNG SẢN VIỆT NAM",),
    STATE: ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"),
}
PREFIXES = {
    PARTY: ("T/M", "K/T", "T/L", "TUQ.", "Q."),
    STATE: ("TM.", "KT.", "TL.", "TUQ.", "Q."),
}
DEPUTY = {PARTY: "K/T", STATE: "KT."}
ROLES = ("head", "deputy", "acting")
SIGNER_ORDER = {"head": 0, "acting": 1, "deputy": 2}  # who signs when several hold office

# A name that says it is a Party body: "Tỉnh ủy …", "Ban Tuyên giáo Thị ủy …", "Đảng ủy …".
_PARTY_NAME = re.compile(
    r"\b(tỉnh|thành|thị|huyện|quận|đảng|xã|phường) ủy\b|\bđảng bộ\b|\bban chấp hành\b"
    r"|\bban bí thư\b|\btrung ương đảng\b",
    re.IGNORECASE,
)


def guess_kind(name: str, code: str = "") -> str:
    """``party`` or ``state`` for a body whose file does not say: Party committees and
    their boards are named after the committee ("Ban Tuyên giáo Tỉnh ủy …")."""
    text = unicodedata.normalize("NFC", name)
    if _PARTY_NAME.search(text):
        return PARTY
    if re.match(r"^(TU|THU|HU|QU|DU|BTG)", code.upper()) and "UB" not in code.upper():
        return PARTY
    return STATE


def official_date(day: date) -> str:
    """A date in running text as the rules write it: ``03/7/2024``, ``05/02/2025``
    (days below 10 and the months January and February take a zero)."""
    return f"{day.day:02d}/{_month(day.month)}/{day.year}"


def _month(month: int) -> str:
    return f"{month:02d}" if month < 3 else str(month)


def date_line(place: str | None, day: date) -> str:
    """``Bến Tre, ngày 22 tháng 7 năm 2024``; without a place, the date alone."""
    words = f"ngày {day.day:02d} tháng {_month(day.month)} năm {day.year}"
    return f"{place}, {words}" if place else words.capitalize()


def caps(text: str) -> str:
    """Capitals that keep Vietnamese letters whole (``Tỉnh ủy`` → ``TỈNH ỦY``)."""
    return unicodedata.normalize("NFC", text.upper())


def short_name(name: str, parent_name: str | None) -> str:
    """The issuer as the masthead prints it under its parent: "Ban Tuyên giáo Tỉnh ủy
    Bến Tre" under "Tỉnh ủy Bến Tre" is "Ban Tuyên giáo"."""
    if parent_name:
        folded, tail = name.casefold(), parent_name.casefold()
        if folded.endswith(tail) and len(name) > len(parent_name):
            return name[: len(name) - len(parent_name)].strip(" ,-")
    return name


@dataclass(frozen=True)
class Issuer:
    """The body a document comes from, as its masthead and number need it."""

    code: str
    name: str
    kind: str  # party | state
    symbol: str  # BTGTU
    place: str | None
    parent_name: str | None  # the committee above (Party) or the governing body (State)
    short_name: str | None = None  # what the masthead prints, if not derived
    number_series: str | None = None  # the Party register's current series (its term)

    @property
    def masthead_name(self) -> str:
        return self.short_name or short_name(self.name, self.parent_name)


@dataclass(frozen=True)
class Holder:
    """Someone who held an office of a body between two dates (inclusive)."""

    name: str
    title: str
    role: str = "head"  # head | deputy | acting
    authority: tuple[str, ...] = ()  # lines above the title, when not derived (TM. …)
    valid_from: date | None = None
    valid_to: date | None = None
    head_title: str | None = None  # the head's title a deputy signs for

    def holds_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


def signer_on(holders: Sequence[Holder], day: date) -> Holder | None:
    """Who signs a document dated ``day``: the head then in office, else the acting
    head, else a deputy (for the head); the latest appointed first. None if nobody
    is on record for that day."""
    current = [h for h in holders if h.holds_on(day)]
    if not current:
        return None
    current.sort(
        key=lambda h: (SIGNER_ORDER.get(h.role, 9), -(h.valid_from or date.min).toordinal())
    )
    return current[0]


@dataclass(frozen=True)
class Signature:
    authority: tuple[str, ...]  # prefix lines, bold (TM. …, K/T TRƯỞNG BAN)
    title: str  # PHÓ TRƯỞNG BAN
    name: str
    title_bold: bool  # Party: a title with no prefix above it is the authority itself

    def lines(self) -> list[str]:
        return [*self.authority, self.title, self.name]


def signature(regime: str, holder: Holder | None, head_title: str | None = None) -> Signature:
    """The signature block of ``holder`` under ``regime``: a deputy signs for the head
    (``K/T TRƯỞNG BAN`` / ``PHÓ TRƯỞNG BAN``; State ``KT. GIÁM ĐỐC``), an acting head
    as ``Q. …``; explicit authority lines are kept and checked against the regime."""
    check_regime(regime)
    if holder is None:
        return Signature((), caps(head_title or "THỦ TRƯỞNG CƠ QUAN"), "", regime == PARTY)
    authority = tuple(caps(line) for line in holder.authority if line.strip())
    if not authority and holder.role == "deputy":
        for_title = holder.head_title or head_title
        if for_title:
            authority = (f"{DEPUTY[regime]} {caps(for_title)}",)
    title = caps(holder.title)
    if holder.role == "acting" and not title.startswith("Q."):
        title = f"Q. {title}"
    for line in authority:
        if not line.startswith(PREFIXES[regime]):
            raise UserError(
                f"signature line {line!r} of {holder.name}: a {regime} document's authority "
                f"starts with one of {', '.join(PREFIXES[regime])}"
            )
    return Signature(authority, title, holder.name, regime == PARTY and not authority)


def keep_line(regime: str, issuer: Issuer, unit: str | None = None) -> str:
    """The recipients' last line: ``- Lưu Văn phòng Ban.`` (Party), ``- Lưu: VT, KHTC.``."""
    if regime == PARTY:
        short = issuer.masthead_name
        return f"- Lưu Văn phòng {'Ban' if short.casefold().startswith('ban ') else short}."
    return f"- Lưu: VT{', ' + unit if unit else ''}."


def recipient_lines(items: Sequence[str], last: str, *, as_above: bool = False) -> list[str]:
    """``- …;`` one per line, each once, then ``last`` (the keep line, ending ``.``);
    a công văn starts with ``- Như trên;``."""
    lines = ["- Như trên;"] if as_above else []
    seen: set[str] = set()
    for item in items:
        item = item.strip().rstrip(";.,")
        if item and item.casefold() not in seen:
            seen.add(item.casefold())
            lines.append(f"- {item};")
    return [*lines, last]


def leadership_short(name: str | None) -> str | None:
    """How the report copies leadership: "Thường trực Tỉnh ủy Bến Tre" → "Thường trực
    Tỉnh ủy" (the place is the issuer's own)."""
    if not name:
        return None
    match = re.match(r"^(Thường trực \S+ ủy)\b", name)
    return match.group(1) if match else name


# -- content ---------------------------------------------------------------------------

HEADING, PARA, ITEM, NOTE = "heading", "para", "item", "note"
LEVELS = ("I.", "1.", "1.1.", "a)", "-", "+")
ROMAN_LEVEL, ARABIC_LEVEL, SUB_LEVEL, LETTER_LEVEL, DASH_LEVEL, PLUS_LEVEL = range(6)


@dataclass(frozen=True)
class Block:
    """One paragraph of content: a numbered heading (``level`` in :data:`LEVELS`, with
    its ``label``), a body paragraph, a ``-``/``+`` item, or an italic note."""

    kind: str
    text: str
    level: int = 0
    label: str = ""

    def plain(self) -> str:
        return f"{self.label} {self.text}".strip() if self.label else self.text


@dataclass(frozen=True)
class Table:
    """A data table (the annex): a header row repeated on every page, then rows."""

    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths_cm: tuple[float, ...] = ()
    note: str | None = None


@dataclass
class Numberer:
    """Labels for the hierarchy ``I.`` → ``1.`` → ``1.1.`` → ``a)``: a counter per
    level, reset below a level each time it advances, so no label repeats in a branch."""

    counts: list[int] = field(default_factory=lambda: [0] * 4)

    def next(self, level: int) -> str:
        if level > LETTER_LEVEL:
            return LEVELS[level]
        self.counts[level] += 1
        for deeper in range(level + 1, 4):
            self.counts[deeper] = 0
        n = self.counts[level]
        if level == ROMAN_LEVEL:
            return f"{roman(n)}."
        if level == ARABIC_LEVEL:
            return f"{n}."
        if level == SUB_LEVEL:
            return f"{self.counts[ARABIC_LEVEL]}.{n}."
        return f"{'abcdefghiklmnopqrstuvxy'[(n - 1) % 23]})"


def roman(n: int) -> str:
    values = (
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    )  # fmt: skip
    out = []
    for value, letters in values:
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)


# What a body's own text uses for its levels, most significant first.
_MARKERS = (
    ("roman", re.compile(r"^(?:phần\s+)?([IVXLC]+)[.\-–)]\s+(.+)$", re.IGNORECASE)),
    ("n3", re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{1,2})\.?\s+(.+)$")),
    ("n2", re.compile(r"^(\d{1,2})\.(\d{1,2})\.?\s+(.+)$")),
    ("n1", re.compile(r"^(\d{1,2})[.)]\s+(.+)$")),
    ("letter", re.compile(r"^([a-zđ])\)\s+(.+)$")),
    ("dash", re.compile(r"^[-–—]\s+(.+)$")),
    ("plus", re.compile(r"^[+•*]\s+(.+)$")),
)
_RANK = [name for name, _ in _MARKERS]
_MD_HEADING = re.compile(r"^#{1,6}\s+")
_ROMAN_WORD = re.compile(r"^[IVXLC]+$")


def _marked(line: str) -> tuple[str, str] | None:
    for name, pattern in _MARKERS:
        match = pattern.match(line)
        if match:
            if name == "roman" and not _ROMAN_WORD.match(match.group(1).upper()):
                continue
            return name, match.groups()[-1]
    return None


def _plain_text(line: str) -> str:
    return _MD_HEADING.sub("", line).replace("**", "").replace("__", "").strip()


def paragraphs(text: str) -> list[str]:
    """A body's text as paragraphs: blank lines separate them, and a line starting in
    lowercase continues the one before (a page break in the middle of a sentence)."""
    out: list[str] = []
    for raw in text.replace("\r\n", "\n").split("\n"):
        line = _plain_text(raw)
        if not line:
            if out and out[-1] != "":
                out.append("")
            continue
        if out and out[-1] and line[:1].islower() and _marked(line) is None:
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return [p for p in out if p]


def relevel(text: str, under: int, numberer: Numberer) -> list[Block]:
    """A body's text placed under a heading of level ``under``: its own numbering levels,
    whatever they are (``I.``, ``1.``, ``1.1.``, ``a)``, ``-``, ``+``), move below it in
    the same order, so a body's "I." never appears under the report's "1.". Numbered
    levels are numbered again by ``numberer`` (which numbered the heading above, so
    ``1.1.`` follows ``1.``); ``-`` and ``+`` stay list items below them. A numbered
    sentence (long, or ending in ``;`` or ``.``) is an item, not a heading."""
    items = paragraphs(text)
    found = sorted({m[0] for p in items if (m := _marked(p))}, key=_RANK.index)
    target: dict[str, int] = {}
    level = under
    for name in found:
        if name not in ("dash", "plus"):
            level = target[name] = min(level + 1, PLUS_LEVEL)
    for name in found:
        if name in ("dash", "plus"):
            level = target[name] = min(max(level + 1, DASH_LEVEL), PLUS_LEVEL)
    blocks: list[Block] = []
    for p in items:
        marked = _marked(p)
        if marked is None:
            blocks.append(Block(PARA, p))
            continue
        name, rest = marked
        level = target[name]
        if level > LETTER_LEVEL:
            blocks.append(Block(ITEM, rest, level, LEVELS[level]))
            continue
        label = numberer.next(level)
        sentence = len(rest) > 120 or rest.endswith((";", "."))
        blocks.append(Block(ITEM if sentence else HEADING, rest, level, label))
    return blocks


def check_hierarchy(blocks: Sequence[Block]) -> None:
    """No heading deeper than one below the last one (never Roman under Arabic)."""
    depth = -1
    for block in blocks:
        if block.kind == HEADING:
            if block.level > depth + 1:
                raise ValueError(f"heading {block.plain()!r} skips a level")
            depth = block.level


def markdown(blocks: Sequence[Block]) -> list[str]:
    """The same content as Markdown lines (headings by level, items as lists)."""
    lines: list[str] = []
    for block in blocks:
        listed = block.kind == ITEM and block.label in ("-", "+")
        if not listed and lines and lines[-1].lstrip().startswith("- "):
            lines.append("")  # a list ends before what follows it
        if block.kind == HEADING:
            lines += [f"{'#' * (block.level + 2)} {block.plain()}", ""]
        elif block.kind == ITEM and block.label in ("-", "+"):
            indent = "  " if block.level == PLUS_LEVEL else ""
            lines += [f"{indent}- {block.text}"]
        elif block.kind == ITEM:  # a numbered sentence: its label, not a heading
            lines += [block.plain(), ""]
        elif block.kind == NOTE:
            lines += [f"*{block.text}*", ""]
        else:
            lines += [block.text, ""]
    return lines


def table_markdown(table: Table) -> list[str]:
    def cell(value: str) -> str:
        return value.replace("|", "\\|").replace("\n", " ")

    lines = [f"**{table.title}**", "", "| " + " | ".join(table.header) + " |",
             "|" + "---|" * len(table.header)]  # fmt: skip
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in table.rows]
    if table.note:
        lines += ["", table.note]
    return [*lines, ""]


@dataclass(frozen=True)
class Paper:
    """Everything a template prints, for one document."""

    regime: str
    kind: str  # report | letter
    parent_line: str | None  # TỈNH ỦY BẾN TRE (Party) / governing body (State)
    issuer_line: str  # BAN TUYÊN GIÁO
    number_line: str  # Số 45-BC/BTGTU
    date_line: str
    doc_type: str  # BÁO CÁO (reports); empty for a công văn
    summary: str  # the summary line (report) or the V/v line (letter)
    recipient_lines: tuple[str, ...]  # Kính gửi (letters)
    body: tuple[Block, ...]
    signature: Signature
    recipients: tuple[str, ...]
    annex_title: str | None = None
    annex_note: str | None = None
    annex: tuple[Table, ...] = ()
    draft: bool = False
    closing_mark: str = ""  # State: "./." after the last paragraph

    def context(self) -> dict[str, Any]:
        """The template's variables (``body`` and ``annex`` are filled by the renderer)."""
        national = NATIONAL[self.regime]
        return {
            "regime": self.regime,
            "draft": self.draft,
            "national_name": national[0],
            "motto": national[1] if len(national) > 1 else "",
            "parent_name": self.parent_line or "",
            "issuer_name": self.issuer_line,
            "number_line": self.number_line,
            "date_line": self.date_line,
            "doc_type": self.doc_type,
            "summary": self.summary,
            "subject_line": self.summary,
            "recipient_single": self.recipient_lines[0] if len(self.recipient_lines) == 1 else "",
            "recipient_list": list(self.recipient_lines) if len(self.recipient_lines) > 1 else [],
            "authority": list(self.signature.authority),
            "signer_title": self.signature.title,
            "title_bold": self.signature.title_bold,
            "signer_name": self.signature.name,
            "recipients": list(self.recipients),
            "annex_title": self.annex_title or "",
            "annex_note": self.annex_note or "",
            "has_annex": bool(self.annex),
        }

    def text(self) -> str:
        """Every line a reader sees, in order (for checks and the outbox's plain text)."""
        lines = [*NATIONAL[self.regime]]
        if self.parent_line:
            lines.append(self.parent_line)
        lines += [self.issuer_line, self.number_line, self.date_line]
        if self.doc_type:
            lines.append(self.doc_type)
        lines.append(self.summary)
        lines += list(self.recipient_lines)
        lines += [b.plain() for b in self.body]
        lines += ["Nơi nhận:", *self.recipients, *self.signature.lines()]
        return "\n".join(line for line in lines if line)


def kinh_gui(recipients: Sequence[str]) -> tuple[str, ...]:
    """``Kính gửi: X.`` for one recipient; else ``Kính gửi:`` and ``- …;`` lines, last ``.``."""
    names = [r.strip().rstrip(";.") for r in recipients if r.strip()]
    if not names:
        raise ValueError("a công văn needs at least one recipient")
    if len(names) == 1:
        return (f"Kính gửi: {names[0]}.",)
    return ("Kính gửi:", *[f"- {n};" for n in names[:-1]], f"- {names[-1]}.")


def nfc_all(paper: Paper) -> bool:
    """Whether every line of ``paper`` is NFC (what leaves the building is)."""
    text = paper.text()
    return unicodedata.is_normalized("NFC", text)


def compose(
    *,
    kind: str,
    issuer: Issuer,
    symbol_text: str,
    day: date,
    summary: str,
    body: Sequence[Block],
    holder: Holder | None,
    head_title: str | None,
    copies: Sequence[str],
    to: Sequence[str] = (),
    annex: Sequence[Table] = (),
    annex_note: str | None = None,
    draft: bool = False,
    unit: str | None = None,
) -> Paper:
    """A document in its issuer's regime: ``kind`` ``report`` (``BÁO CÁO`` and a summary
    line) or ``letter`` (a công văn: ``V/v`` under the number and ``Kính gửi:``);
    ``copies`` are the recipients before the keep line (a công văn adds ``Như trên``)."""
    from rules.numbering import number_line

    regime = issuer.kind
    check_regime(regime)
    if kind not in ("report", "letter"):
        raise ValueError(f"unknown document kind {kind!r}")
    blocks = list(body)
    if regime == STATE and blocks and blocks[-1].kind == PARA:
        last = blocks[-1]
        blocks[-1] = Block(PARA, last.text.rstrip(". ") + "./.")
    letter = kind == "letter"
    return Paper(
        regime=regime,
        kind=kind,
        parent_line=caps(issuer.parent_name) if issuer.parent_name else None,
        issuer_line=caps(issuer.masthead_name),
        number_line=number_line(regime, symbol_text),
        date_line=date_line(issuer.place, day),
        doc_type="" if letter else "BÁO CÁO",
        summary=f"V/v {summary}" if letter and not summary.startswith("V/v") else summary,
        recipient_lines=kinh_gui(to) if letter else (),
        body=tuple(blocks),
        signature=signature(regime, holder, head_title),
        recipients=tuple(recipient_lines(copies, keep_line(regime, issuer, unit), as_above=letter)),
        annex_title=None,
        annex_note=annex_note,
        annex=tuple(annex),
        draft=draft,
    )


def paper_markdown(paper: Paper) -> str:
    """A document as Markdown: masthead, title, content, recipients and signature, annex."""
    lines = []
    if paper.draft:
        lines += ["**DỰ THẢO**", ""]
    national = NATIONAL[paper.regime]
    left = [x for x in (paper.parent_line, f"**{paper.issuer_line}**") if x]
    if paper.regime == PARTY:
        left.append("*")
    lines += [f"{x}  " for x in left]
    lines += [f"{paper.number_line}  "]
    if paper.kind == "letter":
        lines += [f"*{paper.summary}*  "]
    lines += ["", *(f"**{x}**  " for x in national), f"*{paper.date_line}*", ""]
    if paper.kind == "report":
        lines += [f"# {paper.doc_type}", "", f"**{paper.summary}**", ""]
    else:
        lines += [*(f"{x}  " for x in paper.recipient_lines), ""]
    lines += markdown(paper.body)
    if lines and lines[-1] != "":
        lines.append("")
    lines += ["**Nơi nhận:**", "", *(f"{r}  " for r in paper.recipients), ""]
    sig = paper.signature
    lines += [*(f"**{a}**  " for a in sig.authority), f"**{sig.title}**  " if sig.title_bold
              else f"{sig.title}  ", "", f"**{sig.name}**", ""]  # fmt: skip
    count = len(paper.annex)
    for i, table in enumerate(paper.annex, start=1):
        lines += ["---", "", f"**{'Phụ lục' if count == 1 else f'Phụ lục {roman(i)}'}**", ""]
        if paper.annex_note:
            lines += [f"*{paper.annex_note}*", ""]
        lines += table_markdown(table)
    return "\n".join(lines).rstrip() + "\n"
