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


def clean(value: str, what: str = "the text", *, field: str | None = None) -> str:
    """``value`` with line ends unified and NFC-normalised; a control character or a
    lone surrogate is a :class:`UserError` saying where it is (and, given ``field``,
    naming the form field it came from: see rules.errors)."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    bad = _CONTROL.search(value) or _SURROGATE.search(value)
    if bad:
        line = value.count("\n", 0, bad.start()) + 1
        column = bad.start() - (value.rfind("\n", 0, bad.start()) + 1) + 1
        kind = "a control character" if _CONTROL.match(bad.group()) else "an invalid character"
        raise UserError(
            f"{what} contains {kind} (U+{ord(bad.group()):04X}) at line {line}, column "
            f"{column}; only tab and line breaks are allowed",
            field=field,
        )
    return unicodedata.normalize("NFC", value)


def _fold_pairs() -> tuple[str, str]:
    """Every Latin letter with diacritics (Vietnamese's above all) and its bare lower-case
    letter, đ/Đ → d, A–Z → a–z: one table for Python and SQL (PostgreSQL's translate)."""
    source, target = [], []
    for code in (*range(0xC0, 0x250), *range(0x1E00, 0x1F00)):
        char = chr(code)
        bare = "".join(
            c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c)
        )
        if len(bare) == 1 and bare.isascii() and bare.isalpha() and bare != char:
            source.append(char)
            target.append(bare.lower())
    source += ["đ", "Đ", *map(chr, range(ord("A"), ord("Z") + 1))]
    target += ["d", "d", *map(chr, range(ord("a"), ord("z") + 1))]
    return "".join(source), "".join(target)


FOLD_FROM, FOLD_TO = _fold_pairs()
_FOLD = str.maketrans(FOLD_FROM, FOLD_TO)


def search_key(text: str | None) -> str:
    """``text`` as searches compare it: NFC, diacritics and case folded ("Tòa án" and
    "TOA AN" are both "toa an"). Only the letters of :data:`FOLD_FROM` are folded, the
    same ones SQL folds, so a search finds in the database what Python would."""
    return unicodedata.normalize("NFC", text or "").translate(_FOLD)
