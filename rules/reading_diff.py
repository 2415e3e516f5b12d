"""Comparing two versions of a body's report, section by section (difflib).

Sections are paired by their outline code (the preamble by ``""``), so a
resubmission that reworded section II shows the change under II whatever its
headings now say. Lines are compared as the reviewer reads them: blank lines
and spacing do not count.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class SectionDiff:
    """One section's change: ``change`` is ``same``, ``changed``, ``added`` or ``removed``;
    ``unified`` the unified diff's lines (without its file header); ``ops`` the
    (tag, old lines, new lines) runs a page renders side by side."""

    code: str
    title: str
    change: str
    unified: list[str]
    ops: list[tuple[str, list[str], list[str]]]

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "title": self.title,
            "change": self.change,
            "unified": self.unified,
            "ops": [{"tag": t, "old": a, "new": b} for t, a, b in self.ops],
        }


def _lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.split("\n") if line.strip()]


# A section's change in words, as the CLI's ``tasks diff`` and the comparison page say it.
CHANGE_LABELS_VI = {"same": "không đổi", "changed": "có thay đổi", "added": "mới thêm",
                    "removed": "đã bỏ"}  # fmt: skip
CHANGE_LABELS_EN = {"same": "unchanged", "changed": "changed", "added": "added",
                    "removed": "removed"}  # fmt: skip


EXACT_LINES = 2000
"""Lines of a section pair compared exactly (a report section is rarely a hundred)."""


def diff_sections(
    old: Sequence[dict[str, Any]], new: Sequence[dict[str, Any]], outline: Sequence[dict[str, Any]]
) -> list[SectionDiff]:
    """Every section of either version, in outline order (the preamble first)."""
    before = {s["code"]: s for s in old}
    after = {s["code"]: s for s in new}
    order = [""] + [s["code"] for s in outline]
    order += [c for c in [*before, *after] if c not in order]
    titles = {s["code"]: s["title"] for s in outline}
    out = []
    for code in dict.fromkeys(order):
        if code not in before and code not in after:
            continue
        a = _lines(before[code]["text"]) if code in before else []
        b = _lines(after[code]["text"]) if code in after else []
        if code not in before:
            change = "added"
        elif code not in after:
            change = "removed"
        else:
            change = "same" if a == b else "changed"
        unified = list(difflib.unified_diff(a, b, lineterm="", n=1))[2:]
        # Exact for a section of ordinary size; past it, difflib's heuristic that treats
        # very frequent lines as junk: 2 MB of alternating lines is otherwise n×m work.
        matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=len(a) + len(b) > EXACT_LINES)
        ops = [(tag, a[i1:i2], b[j1:j2]) for tag, i1, i2, j1, j2 in matcher.get_opcodes()]
        title = titles.get(code) or (after.get(code) or before.get(code) or {}).get("title", "")
        out.append(SectionDiff(code, title, change, unified, ops))
    return out
