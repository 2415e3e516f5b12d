"""Ad-hoc requests (báo cáo đột xuất): a report asked for outside any regular period.

An ad-hoc request is a cycle like any other, of its coordinator's ad-hoc program
(:func:`program_code`, ``DX-BTGTU``), numbered in the year of its letter: the
first of 2024 is ``DX-BTGTU/2024-001``. Its label says what it is about
("về tình hình …"), which every message and document puts after the program's
title, "Báo cáo đột xuất"; its letter is cited as any cycle's. Its deadline is a
date or a number of working days from the letter, and review and synthesis follow
on the working-day calendar. Plain Python: the caller passes today and the calendar.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import Field, model_validator

from rules.calendar import WorkCalendar
from rules.errors import UserError
from rules.periods import CutoffRule
from rules.specs import EscalationSpec, OutlineSection, _Spec

KIND = "adhoc"  # the period kind of a coordinator's program of ad-hoc requests
PREFIX = "DX"  # đột xuất
TITLE = "Báo cáo đột xuất"
REVIEW_WORKING_DAYS = 3  # the coordinator's review after the bodies' deadline
SYNTHESIS_WORKING_DAYS = 2  # then its synthesis
MAX_WORKING_DAYS = 120
MAX_PER_YEAR = 999
DEFAULT_OUTLINE: tuple[dict[str, Any], ...] = (
    {"code": "I", "title": "Nội dung báo cáo", "required": True},
)
_SPEC = re.compile(r"(?P<year>[1-9]\d{3})-(?P<number>\d{3})")


def program_code(coordinator: str) -> str:
    """The ad-hoc program of a coordinator: ``DX-BTGTU``."""
    return f"{PREFIX}-{coordinator}"


def parse_spec(text: str) -> str | None:
    """The canonical number of an ad-hoc request (``2024-001``), or None if ``text`` is
    not one (it may be a regular period)."""
    match = _SPEC.fullmatch(text.strip())
    if match is None or int(match["number"]) < 1:
        return None
    return f"{match['year']}-{match['number']}"


def next_spec(year: int, taken: list[str]) -> str:
    """The number the next request of ``year`` gets, after those ``taken`` (any year)."""
    numbers = [int(s[5:]) for s in taken if s.startswith(f"{year}-") and parse_spec(s)]
    number = max(numbers, default=0) + 1
    if number > MAX_PER_YEAR:
        raise UserError(f"more than {MAX_PER_YEAR} ad-hoc requests in {year}")
    return f"{year}-{number:03d}"


def label(subject: str) -> str:
    """The cycle's period label: "về tình hình …", read after "Báo cáo đột xuất"."""
    text = subject.strip()
    if text[:1].isupper() and text[1:2].islower():
        text = text[:1].lower() + text[1:]
    return text if text.startswith("về ") else f"về {text}"


@dataclass(frozen=True)
class AdhocPeriod:
    """What a cycle is opened for, for a request: its number, label and data window
    (from the first of its year to its letter's date, "số liệu tính đến ngày …")."""

    spec: str
    subject: str
    letter_date: date
    kind: str = KIND

    @property
    def label_vi(self) -> str:
        return label(self.subject)

    def cutoff(self, rule: CutoffRule | None = None) -> tuple[date, date]:
        return date(self.letter_date.year, 1, 1), self.letter_date


@dataclass(frozen=True)
class Deadlines:
    provide_due: date
    review_due: date
    synthesis_due: date
    provide_working_days: int  # from the letter to the bodies' deadline

    def as_dict(self) -> dict[str, Any]:
        return {
            "provide_due": self.provide_due,
            "review_due": self.review_due,
            "synthesis_due": self.synthesis_due,
            "provide_working_days": self.provide_working_days,
        }


def deadlines(
    letter_date: date,
    today: date,
    calendar: WorkCalendar,
    *,
    due: date | None = None,
    within: int | None = None,
    review: int = REVIEW_WORKING_DAYS,
    synthesis: int = SYNTHESIS_WORKING_DAYS,
) -> Deadlines:
    """The request's deadlines: the bodies' (a date, moved to a working day, or
    ``within`` working days of the letter, its day not counted), then the review and
    the synthesis, each in working days after the one before."""
    if (due is None) == (within is None):
        raise UserError("give the deadline either as a date or as a number of working days")
    if letter_date > today:
        raise UserError(f"the letter date {letter_date.isoformat()} is in the future")
    if due is not None:
        if due < today:
            raise UserError(f"the due date {due.isoformat()} is already past")
        if due <= letter_date:
            raise UserError("the due date must come after the letter date")
        provide = calendar.next_working_day(due)
    else:
        assert within is not None
        if not 1 <= within <= MAX_WORKING_DAYS:
            raise UserError(
                f"the deadline is 1 to {MAX_WORKING_DAYS} working days from the letter, "
                f"not {within}"
            )
        provide = calendar.due_date(letter_date, within)
        if provide < today:
            raise UserError(
                f"{within} working days from the letter of {letter_date.isoformat()} "
                f"ended on {provide.isoformat()}, already past"
            )
    for name, days in (("review", review), ("synthesis", synthesis)):
        if not 0 <= days <= 60:
            raise UserError(f"the {name} takes 0 to 60 working days, not {days}")
    review_due = calendar.due_date(provide, review)
    return Deadlines(
        provide, review_due, calendar.due_date(review_due, synthesis),
        calendar.working_days_between(letter_date, provide),
    )  # fmt: skip


class RequestTerms(_Spec):
    """An ad-hoc request's outline and ladder, validated as a program's are."""

    outline: list[OutlineSection] = Field(min_length=1)
    escalation: EscalationSpec = Field(default_factory=EscalationSpec)

    @model_validator(mode="after")
    def _unique(self) -> RequestTerms:
        codes = [s.code for s in self.outline]
        if len(set(codes)) != len(codes):
            raise ValueError("two outline sections share a code")
        return self


def request_terms(
    outline: list[dict[str, Any]] | None, escalation: dict[str, Any] | None
) -> RequestTerms:
    """The request's outline (the default one-section outline when None) and ladder (the
    default when None), validated; the first problem is one line."""
    from pydantic import ValidationError

    data: dict[str, Any] = {"outline": outline or [dict(s) for s in DEFAULT_OUTLINE]}
    if escalation:
        data["escalation"] = escalation
    try:
        return RequestTerms.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        message = first["msg"].removeprefix("Value error, ")
        where = f"the outline: {where}" if where else "the outline"
        raise UserError(f"{where}: {message}") from None


_HEADING = re.compile(r"^(?P<depth>#{1,6})\s*(?P<code>[IVXLC]+|\d+|[A-Z])[.)]\s+(?P<title>\S.*)$")


def outline_from_markdown(text: str, where: str) -> list[dict[str, Any]]:
    """Sections from a markdown outline: a heading per section, ``## I. Tiêu đề``
    (a heading ending in "(nếu có)" or "(optional)" is optional). The shallowest
    numbered headings are the sections; deeper ones (``### 1. …``) are their parts."""
    found = []
    for line in text.splitlines():
        match = _HEADING.match(line.strip())
        if match is not None:
            found.append((len(match["depth"]), match["code"], match["title"].strip()))
    if not found:
        raise UserError(f"{where}: no section headings (write them as ## I. Tiêu đề)")
    top = min(depth for depth, _, _ in found)
    sections = []
    for depth, code, title in found:
        if depth != top:
            continue
        optional = title.lower().endswith(("(nếu có)", "(optional)"))
        if optional:
            title = title.rsplit("(", 1)[0].strip()
        sections.append({"code": code, "title": title, "required": not optional})
    return sections
