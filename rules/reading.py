"""Reading a report as officials write it: lines, headings, the header and the signature.

A report reaches phoihop as plain text, Markdown or Word. Whatever the format,
the reader at the edge (``services.documents``) turns it into :class:`Line` s,
and everything from there on is here and in :mod:`rules.outline`, pure:

- a line that starts lowercase continues the previous one (a page break or a
  hard wrap split the sentence: "cán / bộ, đảng viên");
- everything from the last ``Nơi nhận:`` on is the recipients and signature,
  and trailing signature lines (``TM.``, ``KT.``…, the title, the name) go too:
  extraction may put the signature before the recipients;
- the top gives the header: issuer, ``Số``, place and date, type, summary and
  the request it answers (``310-CV/BTGTU``);
- a heading is a line numbered the way officials number (``I.``, ``I-``,
  ``Phần I``, ``PHẦN THỨ NHẤT``; ``1.``, ``1.1.``; ``a)``), a Markdown heading,
  a Word heading style, a bold Word paragraph or a line in capitals. A long
  numbered sentence ending ``;`` or ``.`` is an item of a list, not a heading.

Matching the headings to the program's outline is :mod:`rules.outline`'s job.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Line:
    """One paragraph (Word) or line (text) of a report.

    ``bold``: every run of a Word paragraph is bold (how officials mark headings);
    ``style_level``: a Word heading style's level; ``table``: a row of a data
    table, rendered as a Markdown row, never a heading and never joined."""

    text: str
    bold: bool = False
    style_level: int | None = None
    table: bool = False


@dataclass(frozen=True)
class Heading:
    """A heading's numbering: ``style`` is ``roman`` (I., Phần I), ``arabic`` (1., 1.1.),
    ``letter`` (a)) or ``plain`` (unnumbered: Markdown, bold, capitals); ``depth``
    orders them (1 the top)."""

    style: str
    code: str
    title: str
    depth: int


_MARKDOWN = re.compile(r"^\s{0,3}(#{1,6})\s+(\S.*)$")


def markdown_heading(text: str) -> tuple[int, str] | None:
    """``(level, title)`` of a Markdown heading line (``## II. Nhiệm vụ ##``), else None.
    The closing ``#``s are stripped in Python, not by the pattern: a lazy title before
    optional trailing spaces and ``#``s backtracks for minutes on a line of 10,000 spaces."""
    found = _MARKDOWN.match(text)
    if found is None:
        return None
    title = found.group(2).rstrip().rstrip("#").rstrip() or found.group(2).strip()
    return len(found.group(1)), title


_ROMAN = re.compile(r"^(?=[IVXL])L?X{0,3}(IX|IV|V?I{0,3})$")
_PART = re.compile(
    r"^phần\s+(?:thứ\s+)?(?P<n>[ivxl]+|\d{1,2}|[^\W\d_]+)\s*(?:[.:)\-–—]\s*|\s+|$)(?P<rest>.*)$",
    re.IGNORECASE,
)
_ROMAN_HEAD = re.compile(r"^(?P<n>[IVXL]{1,7})\s*(?:[.)\-–—:]|\s*$)\s*(?P<rest>.*)$")
_ARABIC_HEAD = re.compile(
    r"^(?P<n>\d{1,2}(?:\.\d{1,2}){0,3})(?:\s*[.):]\s*|\.?\s+(?=\D))(?P<rest>.*)$"
)
_LOWER_ROMAN = re.compile(r"^([ivxl]{1,7})(?=\s*[.)\-–—:])")
_LETTER_HEAD = re.compile(r"^(?P<n>[a-zđ])\s*\)\s*(?P<rest>.*)$")
_BULLET = re.compile(r"^[-+•*–]\s")
_ORDINALS = {
    "nhất": 1, "một": 1, "hai": 2, "ba": 3, "tư": 4, "bốn": 4, "năm": 5, "sáu": 6,
    "bảy": 7, "tám": 8, "chín": 9, "mười": 10,
}  # fmt: skip


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Case and normalisation folded, never diacritics: ``Trọng`` and ``trong`` differ."""
    return nfc(text).casefold().strip()


def roman(n: int) -> str:
    """``n`` (1–89) in Roman numerals."""
    out = []
    for value, letters in ((50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV")):
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out) + "I" * n


def is_roman(code: str) -> bool:
    return bool(code) and bool(_ROMAN.match(code.upper()))


def _is_item(rest: str, line: Line) -> bool:
    """A numbered line that is a sentence of a list, not a heading: it ends ``;``, or
    ends ``.`` and reads as a sentence (long, or with a clause inside). A bold Word
    paragraph or a heading style keeps a final full stop as a heading's."""
    text = rest.rstrip()
    if text.endswith(";"):
        return True
    if not text.endswith(".") or text.endswith("./.") or line.bold or line.style_level:
        return False
    return len(text.split()) > 15 or bool(re.search(r"[.;:]\s", text[:-1]))


def is_caps(text: str) -> bool:
    """A line in capitals (``NHỮNG KẾT QUẢ ĐẠT ĐƯỢC``): an unnumbered heading."""
    # str.isupper (no lowercase letter, at least one cased) runs in C and fails on the
    # first lowercase letter: a 9 MB report's body paragraphs cost nothing here.
    if not text.isupper() or len(text.split()) > 25:
        return False
    return sum(c.isalpha() for c in text) >= 4


def heading_of(line: Line) -> Heading | None:
    """The line's heading, or None for body text, a list item or a table row."""
    if line.table:
        return None
    text = line.text.strip()
    if not text:
        return None
    markdown = markdown_heading(text)
    if markdown:
        level, title = markdown
        inner = replace(line, text=title, style_level=level)
        lower = _LOWER_ROMAN.match(inner.text)  # "# i. …": Markdown headings ignore case
        if lower:
            inner = replace(inner, text=lower.group(1).upper() + inner.text[lower.end(1) :])
        return heading_of(inner) or Heading("plain", "", title, level)
    if _BULLET.match(text):
        return None
    part = _PART.match(text)
    if part:
        n = part.group("n")
        number = _ORDINALS.get(n.casefold()) or (int(n) if n.isdigit() else None)
        code = roman(number) if number else (n.upper() if is_roman(n) else None)
        if code and not _is_item(part.group("rest"), line):
            return Heading("roman", code, part.group("rest").strip(), 1)
    head = _ROMAN_HEAD.match(text)
    if (
        head
        and is_roman(head.group("n"))
        and not _is_item(head.group("rest"), line)
        and (head.group("rest") or len(text) <= 6)
    ):
        return Heading("roman", head.group("n"), head.group("rest").strip(), 1)
    head = _ARABIC_HEAD.match(text)
    if head and not _is_item(head.group("rest"), line):
        code = head.group("n")
        return Heading("arabic", code, head.group("rest").strip(), 2 + code.count("."))
    head = _LETTER_HEAD.match(text)
    if head and not _is_item(head.group("rest"), line):
        return Heading("letter", head.group("n"), head.group("rest").strip(), 6)
    if line.style_level:
        return Heading("plain", "", text, line.style_level)
    if (line.bold and len(text) <= 200 and not text.endswith(";")) or is_caps(text):
        return Heading("plain", "", text, 7)
    return None


# -- lines of a text report --------------------------------------------------------------


def lines_of_text(text: str) -> list[Line]:
    """A text or Markdown report as lines (NFC; every line end a line feed)."""
    text = nfc(text).replace("\r\n", "\n").replace("\r", "\n")
    return [Line(line.rstrip(), table=line.lstrip().startswith("|")) for line in text.split("\n")]


_LETTER_ITEM = re.compile(r"^[a-zđ]\s*[).]\s")
_ENDS_SENTENCE = re.compile(r"[.;:!?…]\s*$")


def _heading_line(line: Line) -> bool:
    """A Markdown heading, or a short heading: never continued by the next line (a long
    "heading" is a numbered paragraph cut by a page break)."""
    if markdown_heading(line.text.strip()):
        return True
    return heading_of(line) is not None and len(line.text.split()) <= 15


def join_broken(lines: Sequence[Line]) -> list[Line]:
    """A line that starts with a lowercase letter continues the last non-blank line,
    unless that one ended a sentence: a page break or a hard wrap, not a paragraph."""
    out: list[Line] = []
    blanks = 0
    for line in lines:
        text = line.text.strip()
        if not text:
            out.append(line)
            blanks += 1
            continue
        previous = len(out) - 1 - blanks
        if (
            previous >= 0
            and not line.table
            and text[0].isalpha()
            and text[0].islower()
            and not _LETTER_ITEM.match(text)
            and not out[previous].table
            and not _ENDS_SENTENCE.search(out[previous].text)
            and out[previous].text.strip()
            and not _heading_line(out[previous])
        ):
            last = out[previous]
            out[previous:] = [replace(last, text=f"{last.text.rstrip()} {text}")]
        else:
            out.append(line)
        blanks = 0
    return out


# -- recipients and signature ------------------------------------------------------------

_RECIPIENTS = re.compile(r"^\W*nơi\s+nhận\s*:?", re.IGNORECASE)
_PREFIX = re.compile(r"^(TM|KT|TL|TUQ|Q)\.\s*\S|^(T/M|K/T|T/L)\s*\S")
_SIGNED = re.compile(r"^\(\s*(đã\s+ký|ký|ký,?\s+ghi\s+rõ.*|chữ\s+ký.*)\s*\)$", re.IGNORECASE)
_NAME = re.compile(r"^(?:[^\W\d_][^\W\d_]*\s+){1,5}[^\W\d_]+$")


def _name_like(text: str) -> bool:
    return bool(_NAME.match(text)) and all(w[0].isupper() for w in text.split())


def strip_signature(lines: Sequence[Line]) -> list[Line]:
    """Without the recipients and signature: cut at the last ``Nơi nhận:``, then drop
    trailing signature lines (prefix, title in capitals, ``(Đã ký)``, the name)."""
    out = list(lines)
    for i in range(len(out) - 1, -1, -1):
        if not out[i].table and _RECIPIENTS.match(out[i].text.strip()):
            out = out[:i]
            break
    end = len(out)
    cut: int | None = None
    signed = False
    i = end - 1
    while i >= 0:
        text = out[i].text.strip()
        if not text:
            i -= 1
            continue
        if out[i].table:
            break
        if _PREFIX.match(text) or _SIGNED.match(text):
            signed = True
        elif not (is_caps(text) and len(text.split()) <= 10) and not _name_like(text):
            break
        cut = i
        i -= 1
    if signed and cut is not None:
        out = out[:cut]
    while out and not out[-1].text.strip():
        out.pop()
    return out


# -- the header ---------------------------------------------------------------------------

_NUMBER = re.compile(r"^Số\s*:?\s*(?P<n>\S.*)$")  # stripped after: no lazy backtracking
_DATE = re.compile(
    r"^(?:(?P<place>[^,\n]{2,60}),\s*)?ngày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})\s+năm\s+"
    r"(?P<y>\d{4})",
    re.IGNORECASE,
)
_CITED = re.compile(
    r"(?:Công\s+văn|CV)\s+số\s+(?P<n>\d+[-/][A-ZĐ0-9][A-ZĐ0-9/\-]*[A-ZĐ0-9])"
    r"|(?P<m>\b\d+-CV/[A-ZĐ][A-ZĐ\-]*)"
)
_TYPES = (
    "BÁO CÁO", "CÔNG VĂN", "TỜ TRÌNH", "KẾ HOẠCH", "THÔNG BÁO", "CHƯƠNG TRÌNH", "ĐỀ ÁN",
)  # fmt: skip
_MOTTOS = ("cộng hòa xã hội", "cộng hoà xã hội", "độc lập", "đảng cộng sản việt nam")


@dataclass
class Header:
    """What the top of a report says about itself (any field may be missing)."""

    issuer: str | None = None
    parent: str | None = None
    number: str | None = None
    place: str | None = None
    date: date | None = None
    type: str | None = None
    summary: str | None = None
    cites: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "parent": self.parent,
            "number": self.number,
            "place": self.place,
            "date": self.date.isoformat() if self.date else None,
            "type": self.type,
            "summary": self.summary,
            "cites": self.cites,
        }


def header_of(head: Iterable[str], lines: Sequence[Line], limit: int = 40) -> Header:
    """The header, from the masthead (``head``: a Word file's first table) and the
    report's first ``limit`` lines, up to its first numbered heading."""
    top: list[str] = [nfc(t).strip() for t in head if t.strip()]
    for line in lines[:limit]:
        heading = heading_of(line)
        if heading and heading.style in ("roman", "arabic"):
            break
        if line.text.strip():
            top.append(line.text.strip())
    found = Header()
    capitals: list[str] = []
    type_at: int | None = None
    for i, text in enumerate(top):
        folded = fold(text)
        if any(folded.startswith(m) for m in _MOTTOS) or set(text) <= set("*-_ ="):
            continue
        number = _NUMBER.match(text)
        if number and found.number is None:
            found.number = number.group("n").rstrip()
            if capitals:
                found.issuer = capitals[-1]
                found.parent = capitals[-2] if len(capitals) > 1 else None
            continue
        when = _DATE.match(text)
        if when and found.date is None:
            with contextlib.suppress(ValueError):
                found.date = date(int(when["y"]), int(when["m"]), int(when["d"]))
            found.place = (when["place"] or "").strip() or None
            continue
        if found.type is None and text.upper() == text and text.strip(" .") in _TYPES:
            found.type = text.strip(" .")
            type_at = i
            continue
        if type_at is not None and found.summary is None and i == type_at + 1:
            if not re.match(r"^(theo|thực hiện|căn cứ|kính gửi)\b", folded):
                found.summary = text
            continue
        if folded.startswith("v/v") and found.summary is None:
            found.summary = text
            continue
        if found.number is None and found.type is None and is_caps(text):
            capitals.append(text)
    for text in top:
        cited = _CITED.search(text)
        if cited:
            found.cites = cited.group("n") or cited.group("m")
            break
    return found


# -- legacy encodings -------------------------------------------------------------------

# TCVN3 (ABC) text read as if it were Windows-1252 or Unicode: "Uû ban nh©n d©n".
_TCVN3_MARKS = set("©¬µ¸¶·¹¨®¦§ª«ÇÆ¢£¤¥ð¡ñ")


def looks_legacy(text: str) -> bool:
    """Whether ``text`` is Vietnamese in a legacy 8-bit encoding (TCVN3, VNI) shown as
    Latin-1: many of TCVN3's marks and almost none of Unicode's Vietnamese letters."""
    sample = text[:20000]
    marks = sum(1 for c in sample if c in _TCVN3_MARKS)
    vietnamese = sum(1 for c in sample if "\u1ea0" <= c <= "\u1ef9" or c in "đĐơƠưƯăĂ")
    return marks >= 5 and marks > 4 * vietnamese


# -- formatted text for the reviewer ---------------------------------------------------


@dataclass(frozen=True)
class Block:
    """A piece of a section as the reviewer sees it: ``heading`` (with ``depth``),
    ``paragraph``, ``bullet`` or ``table`` (``rows`` of cells)."""

    kind: str
    text: str = ""
    depth: int = 0
    rows: tuple[tuple[str, ...], ...] = ()


def table_rows(lines: Sequence[str]) -> tuple[tuple[str, ...], ...]:
    """The cells of Markdown table rows, without the ``|---|`` rule."""
    rows = []
    for line in lines:
        cells = [c.strip().replace("\\|", "|") for c in _split_cells(line)]
        if cells and all(re.fullmatch(r":?-{3,}:?", c) for c in cells if c):
            continue
        rows.append(tuple(cells))
    return tuple(rows)


def _split_cells(line: str) -> list[str]:
    body = line.strip()
    body = body[1:] if body.startswith("|") else body
    body = body[:-1] if body.endswith("|") and not body.endswith("\\|") else body
    return re.split(r"(?<!\\)\|", body)


def blocks(text: str) -> list[Block]:
    """A section's text as blocks to render (the web's task page, the diff page)."""
    out: list[Block] = []
    table: list[str] = []
    for raw in nfc(text).split("\n"):
        line = raw.strip()
        if line.startswith("|"):
            table.append(line)
            continue
        if table:
            out.append(Block("table", rows=table_rows(table)))
            table = []
        if not line:
            continue
        heading = heading_of(Line(line))
        markdown = markdown_heading(line)
        if heading and heading.style != "plain":
            out.append(Block("heading", markdown[1] if markdown else line, heading.depth))
        elif markdown:
            out.append(Block("heading", markdown[1], markdown[0]))
        elif _BULLET.match(line):
            out.append(Block("bullet", line[1:].strip(), 1 if line[0] in "-–•*" else 2))
        elif heading:
            out.append(Block("heading", line, heading.depth))
        else:
            out.append(Block("paragraph", line))
    if table:
        out.append(Block("table", rows=table_rows(table)))
    return out


def markdown_table(rows: Sequence[Sequence[str]]) -> list[str]:
    """Rows of cells as Markdown table lines, the first row the header."""
    if not rows:
        return []
    width = max(len(r) for r in rows)

    def cell(text: str) -> str:
        return " ".join(text.replace("|", "\\|").split())

    lines = []
    for i, row in enumerate(rows):
        cells = [cell(c) for c in row] + [""] * (width - len(row))
        lines.append("| " + " | ".join(cells) + " |")
        if i == 0:
            lines.append("|" + "---|" * width)
    return lines
