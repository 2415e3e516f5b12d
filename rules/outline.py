"""Matching a body's report to the program's outline (đề cương).

A report is Markdown or plain text. A section starts at a heading line
(``#``…``######``) whose text begins with the section's code followed by ``.``,
``)`` or ``:`` (``# I. Kết quả thực hiện``) or equals the section's title.
Text before the first recognised heading is kept as the preamble. Matching
ignores case and Unicode normalisation differences, never diacritics.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rules.errors import UserError

_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(?P<text>.+?)\s*#*\s*$")


@dataclass(frozen=True)
class Section:
    code: str
    title: str
    text: str

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "title": self.title, "text": self.text}


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold().strip()


def _match(heading: str, outline: Sequence[dict[str, Any]]) -> dict[str, Any] | None:
    folded = _fold(heading)
    for section in outline:
        code = _fold(section["code"])
        if folded == _fold(section["title"]):
            return section
        if folded.startswith(code) and folded[len(code) : len(code) + 1] in (".", ")", ":"):
            return section
    return None


def split_sections(text: str, outline: Sequence[dict[str, Any]]) -> list[Section]:
    """Split a report into the outline's sections, in outline order.

    Raises UserError naming the required sections the report lacks, or a
    section that appears twice.
    """
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n")
    if not text.strip():
        raise UserError("the report is empty")
    found: dict[str, list[str]] = {}
    current: str | None = None
    preamble: list[str] = []
    for line in text.split("\n"):
        heading = _HEADING.match(line)
        section = _match(heading.group("text"), outline) if heading else None
        if section is not None:
            current = section["code"]
            if current in found:
                raise UserError(f"outline section {current} appears twice in the report")
            found[current] = []
            continue
        (found[current] if current is not None else preamble).append(line)
    missing = [s for s in outline if s.get("required", True) and s["code"] not in found]
    if missing:
        names = "; ".join(f"{s['code']}. {s['title']}" for s in missing)
        raise UserError(
            f"the report lacks required outline section(s): {names} "
            "(start each with a heading such as '# I. …')"
        )
    sections = []
    if "\n".join(preamble).strip():
        sections.append(Section("", "", "\n".join(preamble).strip()))
    for s in outline:
        if s["code"] in found:
            sections.append(Section(s["code"], s["title"], "\n".join(found[s["code"]]).strip()))
    return sections
