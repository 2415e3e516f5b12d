"""Numbers and symbols of outgoing documents (số và ký hiệu văn bản), per regime.

Two regimes number differently, so the difference is data, not code:

- **Party** (Guidance 36-HD/VPTW): ``45-BC/BTGTU`` is number-TYPE/ISSUER. Each
  type has its own sequence, from 01, within a series the office sets (the
  committee's term: from the day after a congress closes to the close of the
  next); ``Số 45-BC/BTGTU``, no colon.
- **State** (Decree 30/2020/NĐ-CP): ``12/BC-UBND`` is number/TYPE-ISSUER and a
  công văn is number/ISSUER(-UNIT), ``2618/BHXH-KHTC``. One sequence per issuer
  from 01 on 1 January to 31 December, shared by its administrative documents;
  ``Số: 12/BC-UBND``.

Numbers below 10 take a zero (``05``). A draft leaves the number blank for the
clerk (``Số      -BC/BTGTU``); the register assigns it once the document is
issued. The register itself (a row per number used, unique) is
:mod:`services.issuing`; this module only says which sequence a document
draws from and how its number is written.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from rules.errors import UserError

PARTY, STATE = "party", "state"
REGIMES = (PARTY, STATE)
REPORT, LETTER = "BC", "CV"  # báo cáo, công văn
TYPES = {REPORT: "Báo cáo", LETTER: "Công văn"}
BLANK = "     "  # with the space after "Số", the six a draft leaves for the clerk
_SYMBOL = re.compile(r"[^A-ZĐ]")


@dataclass(frozen=True)
class NumberSequence:
    """Which run of numbers a document draws from: the register's unique key is
    (issuer, ``name``, ``series``, number)."""

    name: str  # the type code (Party), or "*" for every administrative type (State)
    series: str  # the year (State), or the series the office set (Party: its term)


def sequence_of(
    regime: str, type_code: str, issued_on: date, office_series: str | None
) -> NumberSequence:
    """The sequence a document of ``type_code`` issued on ``issued_on`` is numbered in."""
    check_regime(regime)
    if regime == STATE:
        return NumberSequence("*", str(issued_on.year))
    return NumberSequence(type_code, (office_series or "").strip())


def check_regime(regime: str) -> None:
    if regime not in REGIMES:
        raise UserError(f"unknown document regime {regime!r}; use party or state")


def issuer_symbol(symbol: str | None, code: str) -> str:
    """The issuer's abbreviation in a symbol (``BTGTU``, ``HĐND``): the stated one, else
    the body's code in capitals without what a symbol cannot hold (``SO-TP`` → ``SOTP``)."""
    text = unicodedata.normalize("NFC", (symbol or code).upper())
    cleaned = _SYMBOL.sub("", text.replace("-", ""))
    return cleaned or "VB"


def number_text(number: int | None) -> str:
    """``5`` → ``05``; ``None`` (a draft) → the blank the clerk fills in."""
    if number is None:
        return BLANK
    if number < 1:
        raise UserError("a document number starts at 1")
    return f"{number:02d}"


def symbol(
    regime: str, number: int | None, type_code: str, issuer: str, unit: str | None = None
) -> str:
    """The number and symbol, without ``Số``: ``45-BC/BTGTU``, ``12/BC-UBND``,
    ``15/UBND-VP`` (a State công văn names the drafting unit, if any)."""
    check_regime(regime)
    n = number_text(number)
    if regime == PARTY:
        return f"{n}-{type_code}/{issuer}"
    if type_code == LETTER:
        return f"{n}/{issuer}" + (f"-{unit}" if unit else "")
    return f"{n}/{type_code}-{issuer}"


def number_line(regime: str, text: str) -> str:
    """The masthead's number line: ``Số 45-BC/BTGTU`` (Party), ``Số: 12/BC-UBND`` (State)."""
    return f"Số {text}" if regime == PARTY else f"Số: {text}"


def parse_entered(value: str) -> int:
    """A number the office gives from its own e-office system: ``45`` or ``045``, or
    the whole symbol's leading number (``45-BC/BTGTU``)."""
    match = re.match(r"^\s*0*(\d{1,6})(?:\s*[-/].*)?$", value or "")
    if not match or int(match.group(1)) < 1:
        raise UserError(f"not a document number: {value!r} (e.g. 45 or 45-BC/BTGTU)")
    return int(match.group(1))
