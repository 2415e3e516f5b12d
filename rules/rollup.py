"""A consolidated report sent up a level as the coordinator's own report. Plain Python.

The report a cycle closes with (:mod:`rules.report`) opens with a part of its
own, *I. Tình hình triển khai và tiếp nhận báo cáo*, so the outline's sections
follow as II, III…. Read as it is against the outline above, section II would
be taken for the outline's II and refused as ambiguous. :func:`contribution`
gives each section the number its outline gives it, and moves the account of
how the request went (who sent on time, late, not at all) to the start of the
first section, where the level above reads it with the rest of what this
coordinator says. Everything else is kept as issued: the masthead (its number
and date), the closing, the signature and the annex with the status table.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from rules.documents import caps
from rules.errors import UserError

_PART = re.compile(r"^##\s+([IVXLC]+)\.\s+(.+?)\s*$")
INTRO = "TÌNH HÌNH TRIỂN KHAI VÀ TIẾP NHẬN BÁO CÁO"


def contribution(markdown: str, outline: Sequence[dict[str, Any]]) -> str:
    """The consolidated report ``markdown`` as a report on ``outline``: its parts
    renumbered with the outline's codes, its opening part folded into the first.

    Raises UserError if the report's parts do not follow ``outline`` (it was not
    written on this outline)."""
    sections = [s for s in outline if s.get("code")]
    lines = markdown.split("\n")
    parts = [(i, m) for i, line in enumerate(lines) if (m := _PART.match(line))]
    if not parts or caps(parts[0][1].group(2)) != INTRO or len(parts) != len(sections) + 1:
        raise UserError("the consolidated report does not follow its program's outline")
    for (_, match), section in zip(parts[1:], sections, strict=True):
        if caps(match.group(2)) != caps(section["title"]):
            raise UserError(
                f"the consolidated report's part '{match.group(2)}' is not outline section "
                f"{section['code']}. {section['title']}"
            )
    intro_at, first_at = parts[0][0], parts[1][0]
    intro = lines[intro_at + 1 : first_at]
    out = lines[:intro_at]
    out.append(f"## {sections[0]['code']}. {caps(sections[0]['title'])}")
    out += intro
    body = lines[first_at + 1 :]
    renumbered = {i - first_at - 1: s for (i, _), s in zip(parts[2:], sections[1:], strict=True)}
    for j, line in enumerate(body):
        section = renumbered.get(j)
        out.append(line if section is None else f"## {section['code']}. {caps(section['title'])}")
    return "\n".join(out)
