"""Matching a body's report to the program's outline (đề cương).

A report comes as officials write it (:mod:`rules.reading` finds its headings):
numbered ``I.``, ``II.``…, ``Phần I``, as Markdown ``# I. …``, or unnumbered
(a bold Word paragraph, a line in capitals). Each heading is matched to an
outline section by its **number first**, then by its **title**, allowing for
differences in wording: the seed report's ``II. Những nhiệm vụ trọng tâm trong
6 tháng cuối năm 2024`` is the outline's ``II. Những nhiệm vụ trọng tâm trong
thời gian tới``. Titles compare word by word, ignoring case and Unicode
normalisation, never diacritics (``trọng`` is not ``trong``).

A required section that is missing, a section that appears twice, or a heading
whose number names one section and whose title names another is refused in one
line naming it. Text before the first section is kept as the preamble.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from rules.errors import UserError
from rules.reading import (
    Header,
    Heading,
    Line,
    fold,
    header_of,
    heading_of,
    join_broken,
    lines_of_text,
    strip_signature,
)

TITLE_MATCH = 0.6  # a heading without a usable number names a section from this similarity
CLEAR_MARGIN = 0.1  # the best section must beat the next by this much, or it is ambiguous
CONFLICT = 0.8  # a numbered heading whose title is this close to another section's…
WEAK = 0.25  # …and this far from its own is ambiguous


@dataclass(frozen=True)
class Section:
    code: str
    title: str
    text: str
    heading: str = field(default="", compare=False)  # the heading as the body wrote it

    def as_dict(self) -> dict[str, Any]:
        out = {"code": self.code, "title": self.title, "text": self.text}
        if self.heading:
            out["heading"] = self.heading
        return out


@dataclass(frozen=True)
class Reading:
    """A report read: its header (issuer, number, date…) and its sections."""

    header: Header
    sections: list[Section]


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", fold(text)))


def similarity(heading: str, title: str) -> float:
    """Dice coefficient of the two titles' words (0 to 1)."""
    a, b = _words(heading), _words(title)
    if not a or not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))


def _quote(heading: Heading, text: str) -> str:
    shown = " ".join(text.split())
    return shown if len(shown) <= 80 else shown[:77] + "…"


def _name(section: dict[str, Any]) -> str:
    return f"{section['code']}. {section['title']}"


def _assign(
    headings: list[tuple[int, Heading, str]], outline: Sequence[dict[str, Any]]
) -> dict[int, dict[str, Any]]:
    """Which heading (by line index) starts which outline section: numbers first, then
    titles for the headings whose number names no section, best matches first."""
    by_code = {fold(s["code"]).rstrip("."): s for s in outline}
    chosen: dict[int, dict[str, Any]] = {}
    taken: dict[str, int] = {}
    for index, heading, _text in headings:
        section = by_code.get(fold(heading.code)) if heading.style != "plain" else None
        if section is None:
            continue
        if section["code"] in taken:
            raise UserError(f"outline section {section['code']} appears twice in the report")
        chosen[index] = section
        taken[section["code"]] = index
    for index, heading, text in headings:
        section = chosen.get(index)
        if section is None or not heading.title:
            continue
        own = similarity(heading.title, section["title"])
        for other in outline:
            if other is section or other["code"] in taken:
                continue
            if own < WEAK and similarity(heading.title, other["title"]) >= CONFLICT:
                raise UserError(
                    f"the heading '{_quote(heading, text)}' has the number of section "
                    f"{_name(section)} but the title of section {_name(other)}: "
                    "correct its number or its title"
                )
    scored = []
    for index, heading, text in headings:
        if index in chosen:
            continue
        title = heading.title or text
        scores = sorted(
            ((similarity(title, s["title"]), n) for n, s in enumerate(outline)
             if s["code"] not in taken),
            reverse=True,
        )  # fmt: skip
        if not scores or scores[0][0] < TITLE_MATCH:
            continue
        if (
            len(scores) > 1
            and scores[1][0] >= TITLE_MATCH
            and scores[0][0] - scores[1][0] < (CLEAR_MARGIN)
        ):
            first, second = outline[scores[0][1]], outline[scores[1][1]]
            raise UserError(
                f"the heading '{_quote(heading, text)}' could be section {_name(first)} "
                f"or {_name(second)}: number it"
            )
        scored.append((scores[0][0], index, outline[scores[0][1]]))
    for _score, index, section in sorted(scored, key=lambda s: (-s[0], s[1])):
        if section["code"] not in taken:
            chosen[index] = section
            taken[section["code"]] = index
    return chosen


def match_outline(lines: Sequence[Line], outline: Sequence[dict[str, Any]]) -> list[Section]:
    """The report's lines split into the outline's sections, in outline order (the
    preamble first, code ``""``). Raises UserError naming what is missing or unclear."""
    headings = []
    for index, line in enumerate(lines):
        heading = heading_of(line)
        if heading is not None:
            headings.append((index, heading, line.text.strip()))
    starts = _assign(headings, outline)
    found: dict[str, list[str]] = {}
    heads: dict[str, str] = {}
    current: str | None = None
    preamble: list[str] = []
    for index, line in enumerate(lines):
        section = starts.get(index)
        if section is not None:
            current = section["code"]
            found[current] = []
            heads[current] = re.sub(r"^\s{0,3}#{1,6}\s+", "", line.text.strip())
            continue
        (found[current] if current is not None else preamble).append(line.text)
    missing = [s for s in outline if s.get("required", True) and s["code"] not in found]
    if missing:
        names = "; ".join(_name(s) for s in missing)
        raise UserError(
            f"the report lacks required outline section(s): {names} "
            "(start each on a line of its own with its number and title, e.g. 'I. …')"
        )
    sections = []
    if "\n".join(preamble).strip():
        sections.append(Section("", "", "\n".join(preamble).strip()))
    for s in outline:
        if s["code"] in found:
            text = "\n".join(found[s["code"]]).strip()
            sections.append(Section(s["code"], s["title"], text, heads[s["code"]]))
    return sections


def has_content(text: str) -> bool:
    """Whether a section's text holds more than headings (its sub-headings alone, as a
    template's skeleton sent back unfilled, are no content)."""
    return any(
        line.strip() and heading_of(Line(line.strip(), table=line.lstrip().startswith("|"))) is None
        for line in text.split("\n")
    )


def check_not_empty(sections: Iterable[Section]) -> None:
    """Refuse a report whose sections hold only their headings (the form's headings
    sent as they were, or a file of headings): there is nothing to review."""
    if not any(has_content(s.text) for s in sections if s.code):
        raise UserError("the report is empty: its sections hold only their headings")


def read_report(
    lines: Sequence[Line], outline: Sequence[dict[str, Any]], head: Iterable[str] = ()
) -> Reading:
    """A report read from its lines (and a Word file's masthead, ``head``): broken lines
    joined, recipients and signature dropped, header taken from the top, sections
    matched to the outline, and refused if they hold nothing."""
    if not any(line.text.strip() for line in lines):
        raise UserError("the report is empty")
    body = strip_signature(join_broken(lines))
    header = header_of(head, body)
    sections = match_outline(body, outline)
    check_not_empty(sections)
    return Reading(header, sections)


def split_sections(text: str, outline: Sequence[dict[str, Any]]) -> list[Section]:
    """Split a text or Markdown report into the outline's sections, in outline order.

    Raises UserError naming the required sections the report lacks, or a
    section that appears twice.
    """
    return read_text(text, outline).sections


def read_text(text: str, outline: Sequence[dict[str, Any]]) -> Reading:
    """A text or Markdown report read (see :func:`read_report`)."""
    return read_report(lines_of_text(text), outline)
