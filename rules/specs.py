"""What the operator writes: bodies (CSV/YAML rows) and programs (YAML), validated.

Validation lives here, in pydantic models, so the CLI, the web API and tests
refuse the same mistakes with the same one-line message.
"""

from __future__ import annotations

from datetime import date
from typing import Any, NamedTuple

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from rules.errors import UserError
from rules.escalation import DEFAULT_POLICY, validate_roles
from rules.periods import parse_kind
from rules.text import clean

LEVELS = ("central", "province", "district", "commune")
# Each level as Vietnamese names it after "cấp" (cấp tỉnh, cấp xã): the dashboards' roll-up.
LEVEL_VI = {"central": "trung ương", "province": "tỉnh", "district": "huyện", "commune": "xã"}


def _check_email(value: str | None) -> str | None:
    if value and ("@" not in value or " " in value):
        raise ValueError(f"not an e-mail address: {value!r}")
    return value


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*", mode="before")
    @classmethod
    def _text(cls, value: Any) -> Any:
        """Every text field, names and codes alike: NFC (the same word always compares
        equal) and no control characters (rules.text); then stripped by the config."""
        if isinstance(value, str):
            return clean(value, "the value")
        if isinstance(value, list):
            return [clean(v, "the value") if isinstance(v, str) else v for v in value]
        return value


class BodySpec(_Spec):
    code: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")
    name: str = Field(min_length=1)
    level: str
    parent: str | None = None
    head_name: str | None = None
    head_title: str | None = None
    head_email: str | None = None
    focal_name: str | None = None
    focal_email: str | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    # How its documents look (rules.documents): the regime, the abbreviation in its
    # numbers (BTGTU, HĐND), the place in its date line (Bến Tre; else the parent's),
    # the name its masthead prints (else derived), the Party register's series (its term).
    kind: str | None = None  # party | state; guessed from the name when not given
    symbol: str | None = Field(default=None, max_length=32)
    place: str | None = None
    short_name: str | None = None
    number_series: str | None = Field(default=None, max_length=32)
    # A merger (services.succession): this body's work passes to ``merged_into`` from
    # ``merged_on``, under ``merger_decision`` (its reference, optional). Not a column
    # of the body: a Succession row, recorded once however often the file is imported.
    merged_into: str | None = Field(default=None, max_length=64)
    merged_on: date | None = None
    merger_decision: str | None = None

    @field_validator(
        "parent", "head_name", "head_title", "head_email", "focal_name", "focal_email",
        "valid_from", "valid_to", "kind", "symbol", "place", "short_name", "number_series",
        "merged_into", "merged_on", "merger_decision", mode="before",
    )  # fmt: skip
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        return None if value == "" else value

    @field_validator("head_email", "focal_email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        return _check_email(value)

    @field_validator("level")
    @classmethod
    def _level(cls, value: str) -> str:
        if value not in LEVELS:
            raise ValueError(f"level must be one of {', '.join(LEVELS)}")
        return value

    @field_validator("kind")
    @classmethod
    def _kind(cls, value: str | None) -> str | None:
        if value is not None and value.lower() not in ("party", "state"):
            raise ValueError("kind must be party (Guidance 36-HD/VPTW) or state (Decree 30)")
        return value.lower() if value else None

    @model_validator(mode="after")
    def _dates(self) -> BodySpec:
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValueError("valid_to is before valid_from")
        if (self.merged_into is None) != (self.merged_on is None):
            raise ValueError("give both merged_into and merged_on (the day it takes effect)")
        if self.merger_decision and not self.merged_into:
            raise ValueError("merger_decision without merged_into")
        if self.kind is None:
            from rules.documents import guess_kind

            self.kind = guess_kind(self.name, self.code)
        return self


class SignerSpec(_Spec):
    """Someone who held an office of a body, with the dates (a signer of its documents):
    a report reissued later is signed by whoever held the office on its date."""

    body: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1)
    title: str = Field(min_length=1)
    role: str = "head"  # head | deputy | acting
    authority: str | None = None  # lines above the title, "|"-separated (TM. …|KT. CHỦ TỊCH)
    valid_from: date
    valid_to: date | None = None

    @field_validator("authority", "valid_to", mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        return None if value == "" else value

    @field_validator("role")
    @classmethod
    def _role(cls, value: str) -> str:
        from rules.documents import ROLES

        if value not in ROLES:
            raise ValueError(f"role must be one of {', '.join(ROLES)}")
        return value

    @model_validator(mode="after")
    def _dates(self) -> SignerSpec:
        if self.valid_to and self.valid_to < self.valid_from:
            raise ValueError("valid_to is before valid_from")
        return self


BodyRow = NamedTuple("BodyRow", [(name, f.annotation) for name, f in BodySpec.model_fields.items()])  # type: ignore[misc]
"""A validated body as a plain tuple: a national file holds 50,000 of them, and a
pydantic model per row costs four times the memory."""


def body_row(spec: BodySpec) -> Any:
    """The :data:`BodyRow` of a validated spec."""
    return BodyRow(*(getattr(spec, name) for name in BodyRow._fields))


class OutlineSection(_Spec):
    code: str = Field(min_length=1, max_length=16)
    title: str = Field(min_length=1)
    required: bool = True


class LadderStep(_Spec):
    after_working_days: int = Field(ge=0, le=60)
    notify: list[str] = Field(min_length=1)
    formal: bool | None = None  # a numbered urging letter too; None: from the second level

    @field_validator("notify")
    @classmethod
    def _roles(cls, value: list[str]) -> list[str]:
        validate_roles(value)
        return value


class EscalationSpec(_Spec):
    reminders: list[int] = Field(default_factory=lambda: list(DEFAULT_POLICY["reminders"]))
    ladder: list[LadderStep] = Field(
        default_factory=lambda: [LadderStep(**s) for s in DEFAULT_POLICY["ladder"]]
    )
    # the new deadline a formal urging letter sets, in working days from its date
    letter_working_days: int = Field(default=3, ge=1, le=30)

    @field_validator("reminders")
    @classmethod
    def _reminders(cls, value: list[int]) -> list[int]:
        if any(k < 1 or k > 60 for k in value):
            raise ValueError("reminders are working days before the due date, 1 to 60")
        return sorted(set(value), reverse=True)

    @field_validator("ladder")
    @classmethod
    def _ladder(cls, value: list[LadderStep]) -> list[LadderStep]:
        offsets = [step.after_working_days for step in value]
        if offsets != sorted(set(offsets)):
            raise ValueError("ladder steps must have strictly increasing after_working_days")
        return value


class WorkingDaysSpec(_Spec):
    provide: int = Field(ge=1, le=120)
    review: int = Field(default=3, ge=0, le=60)
    synthesis: int = Field(default=2, ge=0, le=60)
    # A program that feeds one above: working days kept free between its synthesis and
    # its coordinator's deadline there (its dates are worked back from that deadline).
    margin: int = Field(default=1, ge=0, le=60)


class LeadershipSpec(_Spec):
    name: str | None = None
    email: str | None = None

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        return _check_email(value)


INDICATOR_TYPES = ("integer", "decimal", "percentage", "text")
_CODE = r"^[A-Za-z0-9][A-Za-z0-9_\-]*$"


class IndicatorSpec(_Spec):
    """An indicator (chỉ tiêu) of a form, or a column of a table form.

    A percentage or a rate that names its ``numerator`` and ``denominator`` (two
    numeric indicators of the same form) is recomputed from their sums when bodies'
    values are summed, never summed itself."""

    code: str = Field(min_length=1, max_length=32, pattern=_CODE)
    name: str = Field(min_length=1, max_length=300)
    unit: str | None = Field(default=None, max_length=40)
    type: str = "integer"
    required: bool = True
    min: float | None = None
    max: float | None = None
    numerator: str | None = None
    denominator: str | None = None

    @field_validator("type")
    @classmethod
    def _type(cls, value: str) -> str:
        if value not in INDICATOR_TYPES:
            raise ValueError(f"type must be one of {', '.join(INDICATOR_TYPES)}")
        return value

    @model_validator(mode="after")
    def _range(self) -> IndicatorSpec:
        if self.type == "text" and (self.min is not None or self.max is not None):
            raise ValueError(f"indicator {self.code}: a text indicator has no range")
        if self.type == "percentage":
            self.min = 0 if self.min is None else self.min
            self.max = 100 if self.max is None else self.max
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"indicator {self.code}: min is above max")
        if (self.numerator is None) != (self.denominator is None):
            raise ValueError(f"indicator {self.code}: give both numerator and denominator")
        if self.numerator is not None and self.type not in ("percentage", "decimal"):
            raise ValueError(f"indicator {self.code}: only a percentage or a rate has parts")
        return self


class FormRowSpec(_Spec):
    code: str = Field(min_length=1, max_length=32, pattern=_CODE)
    name: str = Field(min_length=1, max_length=300)


class FormSpec(_Spec):
    """A data form (biểu mẫu): a list of indicators, or a table whose ``rows`` are
    crossed with its indicators (the columns). ``required``: a body's report is
    refused without it."""

    code: str = Field(min_length=1, max_length=31, pattern=_CODE)
    title: str = Field(min_length=1, max_length=300)
    required: bool = False
    rows: list[FormRowSpec] | None = None
    indicators: list[IndicatorSpec] = Field(min_length=1, max_length=500)

    @model_validator(mode="after")
    def _consistent(self) -> FormSpec:
        codes = [i.code for i in self.indicators]
        if len(set(codes)) != len(codes):
            raise ValueError(f"form {self.code}: two indicators share a code")
        if self.rows is not None:
            if not self.rows:
                raise ValueError(f"form {self.code}: a table form needs rows")
            rows = [r.code for r in self.rows]
            if len(set(rows)) != len(rows):
                raise ValueError(f"form {self.code}: two rows share a code")
            if len(rows) * len(codes) > 5000:
                raise ValueError(f"form {self.code}: more than 5,000 cells")
        numeric = {i.code for i in self.indicators if i.type in ("integer", "decimal")}
        for i in self.indicators:
            for part in (i.numerator, i.denominator):
                if part is not None and part not in numeric:
                    raise ValueError(
                        f"form {self.code}: indicator {i.code}: {part} is not a numeric "
                        "indicator of this form"
                    )
        return self


class ProgramSpec(_Spec):
    code: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")
    title: str = Field(min_length=1)
    legal_basis: str | None = None
    coordinator: str
    bodies: list[str] = Field(min_length=1)
    period: str
    schedule: str | None = None
    cutoff_start_day: int = Field(default=15, ge=1, le=28)
    working_days: WorkingDaysSpec
    outline: list[OutlineSection] = Field(min_length=1)
    escalation: EscalationSpec = Field(default_factory=EscalationSpec)
    leadership: LeadershipSpec | None = None
    forms: list[FormSpec] = Field(default_factory=list, max_length=20)
    # The program of the level above this one's consolidated report goes to: its
    # coordinator must take part there; its cycles open under that program's.
    feeds: str | None = Field(default=None, max_length=64)
    # An extension of its coordinator's deadline above: "keep" the child's deadlines
    # as issued, or "follow" it (the child's dates worked back again, only later).
    parent_extension: str = "keep"

    @field_validator("parent_extension")
    @classmethod
    def _policy(cls, value: str) -> str:
        if value not in ("keep", "follow"):
            raise ValueError("parent_extension must be keep or follow")
        return value

    @field_validator("legal_basis", "feeds")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        return value or None

    @field_validator("period")
    @classmethod
    def _period(cls, value: str) -> str:
        try:
            return parse_kind(value)
        except UserError as exc:
            raise ValueError(str(exc)) from None

    @field_validator("schedule")
    @classmethod
    def _schedule(cls, value: str | None) -> str | None:
        if value:
            from rules.schedule import check

            check(value)
        return value or None

    @model_validator(mode="after")
    def _unique(self) -> ProgramSpec:
        if len(set(self.bodies)) != len(self.bodies):
            raise ValueError("a body is listed twice in bodies")
        if self.coordinator in self.bodies:
            raise ValueError("the coordinator cannot also be a reporting body")
        codes = [s.code for s in self.outline]
        if len(set(codes)) != len(codes):
            raise ValueError("two outline sections share a code")
        forms = [f.code for f in self.forms]
        if len(set(forms)) != len(forms):
            raise ValueError("two forms share a code")
        return self


def validate(model: type[_Spec], data: Any, where: str) -> Any:
    """Validate ``data``; the first problem becomes one line naming where it is."""
    if not isinstance(data, dict):
        raise UserError(f"{where}: expected a mapping of fields, got {type(data).__name__}")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or "(top)"
        message = first["msg"].removeprefix("Value error, ")
        raise UserError(f"{where}: {field}: {message}") from None
