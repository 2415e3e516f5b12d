"""Text as phoihop stores it: NFC, valid Unicode, no control characters but tab and newline.

Every face (CLI, API, pages, imported files) passes user text through
:func:`clean` before anything is written, so a NUL byte in a report is the same
one-line refusal everywhere instead of a stored oddity on SQLite and a
traceback on PostgreSQL (which refuses NUL in text columns).
"""

from __future__ import annotations

import re
import unicodedata

from rules.errors import UserError

# C0 controls but tab (09) and line feed (0A), DEL, and the C1 controls. Carriage
# returns are turned into line feeds first (Windows and old Mac line ends).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def clean(value: str, what: str = "the text") -> str:
    """``value`` with line ends unified and NFC-normalised; a control character or a
    lone surrogate is a :class:`UserError` saying where it is."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    bad = _CONTROL.search(value) or _SURROGATE.search(value)
    if bad:
        line = value.count("\n", 0, bad.start()) + 1
        column = bad.start() - (value.rfind("\n", 0, bad.start()) + 1) + 1
        kind = "a control character" if _CONTROL.match(bad.group()) else "an invalid character"
        raise UserError(
            f"{what} contains {kind} (U+{ord(bad.group()):04X}) at line {line}, column "
            f"{column}; only tab and line breaks are allowed"
        )
    return unicodedata.normalize("NFC", value)
