"""Calendar overrides: extra days off and extra working days, with their decisions.

The ``holidays`` package knows Vietnam's holidays and the Prime Minister's
yearly swaps only for the years it covers, and it lags decisions taken late in
December. Two files in one format sit on top of it: the official decisions
phoihop ships (``services/official-calendar.yaml``) and, above those, the
operator's own (a new year's swap decision, or a province's own day off)::

    announced_through: 2027        # the last year whose schedule is announced
    days_off:
      - {date: 2027-02-04, name: "Nghỉ Tết Nguyên đán (bổ sung)", reference: "1234/VPCP-KGVX"}
    working_days:
      - {date: 2027-02-20, name: "Làm bù"}

``reference`` (optional) names the decision. ``announced_through`` says up to
which year the civil-service schedule is known: a date in a later year is
*provisional* (:meth:`rules.calendar.WorkCalendar.provisional`).

This module only parses text (the file is read at the edge, in
``services.calendars``). A malformed file is refused with the line that is
wrong, so the operator can fix it without guessing.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from rules.errors import UserError

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_LISTS = ("days_off", "working_days")
_KEYS = (*_LISTS, "announced_through")
_ENTRY_KEYS = ("date", "name", "reference")
_REQUIRED = ("date", "name")


@dataclass(frozen=True)
class CalendarOverrides:
    """Days declared off (``days_off``) or worked (``working_days``), the decisions
    they come from (``references``), and the last announced year."""

    days_off: dict[date, str] = field(default_factory=dict)
    working_days: dict[date, str] = field(default_factory=dict)
    references: dict[date, str] = field(default_factory=dict)
    announced_through: int | None = None

    def under(self, base: CalendarOverrides) -> CalendarOverrides:
        """These overrides laid over ``base``: for a date in both, these win."""
        mine = set(self.days_off) | set(self.working_days)
        days_off = {d: n for d, n in base.days_off.items() if d not in mine} | self.days_off
        working = {d: n for d, n in base.working_days.items() if d not in mine}
        references = {d: r for d, r in base.references.items() if d not in mine}
        announced = [y for y in (base.announced_through, self.announced_through) if y]
        return CalendarOverrides(
            days_off=dict(sorted(days_off.items())),
            working_days=dict(sorted((working | self.working_days).items())),
            references=dict(sorted((references | self.references).items())),
            announced_through=max(announced) if announced else None,
        )


class _Refusal(Exception):
    """A problem at a 1-based line; turned into a UserError naming the source."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def parse_overrides(text: str, source: str = "<overrides>") -> CalendarOverrides:
    """Parse the overrides YAML; an empty file means no overrides.

    Dates are read as the raw text of the YAML scalar (so quoted and unquoted
    dates behave the same) and must be real ``YYYY-MM-DD`` dates. A date may
    appear once, in one list only: a day cannot be both off and worked.

    Raises UserError ``calendar overrides SOURCE line N: …`` on any problem.
    """
    import yaml

    try:
        root = yaml.compose(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        problem = exc.problem or exc.context or "invalid YAML"
        raise UserError(f"calendar overrides {source} line {line}: {problem}") from None
    except yaml.YAMLError as exc:
        raise UserError(f"calendar overrides {source}: not valid YAML: {exc}") from None
    try:
        return _overrides_from(root)
    except _Refusal as refusal:
        raise UserError(
            f"calendar overrides {source} line {refusal.line}: {refusal.message}"
        ) from None


def _line(node: object) -> int:
    return node.start_mark.line + 1  # type: ignore[attr-defined]


def _overrides_from(root: object) -> CalendarOverrides:
    import yaml

    if root is None or (isinstance(root, yaml.ScalarNode) and root.tag.endswith(":null")):
        return CalendarOverrides()
    if not isinstance(root, yaml.MappingNode):
        raise _Refusal(_line(root), "expected a mapping with 'days_off' and/or 'working_days'")
    found: dict[str, dict[date, tuple[str, int, str | None]]] = {}
    announced: int | None = None
    seen: set[str] = set()
    for key_node, value_node in root.value:
        key = _scalar(key_node, "a key")
        if key not in _KEYS:
            raise _Refusal(
                _line(key_node),
                f"unknown key {key!r} (expected 'days_off', 'working_days' or 'announced_through')",
            )
        if key in seen:
            raise _Refusal(_line(key_node), f"{key!r} given twice")
        seen.add(key)
        if key == "announced_through":
            announced = _year(value_node)
        else:
            found[key] = _entries(value_node, key)
    days_off = found.get("days_off", {})
    working = found.get("working_days", {})
    for day, (_, line, _ref) in working.items():
        if day in days_off:
            raise _Refusal(
                line,
                f"{day.isoformat()} is both a day off (line {days_off[day][1]}) and a working day",
            )
    both = sorted(days_off.items()) + sorted(working.items())
    return CalendarOverrides(
        days_off={day: name for day, (name, _, _r) in sorted(days_off.items())},
        working_days={day: name for day, (name, _, _r) in sorted(working.items())},
        references={day: ref for day, (_, _l, ref) in sorted(both) if ref},
        announced_through=announced,
    )


def _year(node: object) -> int:
    text = _scalar(node, "a year").strip()
    if not text.isdigit() or not 2000 <= int(text) <= 2100:
        raise _Refusal(_line(node), f"'announced_through' must be a year, not {text!r}")
    return int(text)


def _entries(node: object, key: str) -> dict[date, tuple[str, int, str | None]]:
    """The ``{date, name[, reference]}`` items of one list, keyed by date, with their
    lines and references."""
    import yaml

    if isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null"):
        return {}
    if not isinstance(node, yaml.SequenceNode):
        raise _Refusal(_line(node), f"{key!r} must be a list of {{date, name}} items")
    entries: dict[date, tuple[str, int, str | None]] = {}
    for item in node.value:
        if not isinstance(item, yaml.MappingNode):
            raise _Refusal(_line(item), "each item must be a mapping like {date: …, name: …}")
        fields: dict[str, object] = {}
        for field_key, field_value in item.value:
            name = _scalar(field_key, "a key")
            if name not in _ENTRY_KEYS:
                raise _Refusal(
                    _line(field_key),
                    f"unknown key {name!r} (expected 'date', 'name' and maybe 'reference')",
                )
            if name in fields:
                raise _Refusal(_line(field_key), f"{name!r} given twice")
            fields[name] = field_value
        for required in _REQUIRED:
            if required not in fields:
                raise _Refusal(_line(item), f"missing {required!r}")
        day = _date(fields["date"])
        label = unicodedata.normalize("NFC", _scalar(fields["name"], "a name").strip())
        if not label:
            raise _Refusal(_line(fields["name"]), "the name must not be empty")
        if day in entries:
            raise _Refusal(
                _line(item), f"{day.isoformat()} already listed on line {entries[day][1]}"
            )
        reference = None
        if "reference" in fields:
            reference = unicodedata.normalize("NFC", _scalar(fields["reference"], "a reference"))
            reference = reference.strip() or None
        entries[day] = (label, _line(item), reference)
    return entries


def _scalar(node: object, what: str) -> str:
    import yaml

    if not isinstance(node, yaml.ScalarNode):
        raise _Refusal(_line(node), f"expected {what}, found a list or mapping")
    return str(node.value)


def _date(node: object) -> date:
    text = _scalar(node, "a date").strip()
    try:
        if not _ISO_DATE.fullmatch(text):
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise _Refusal(_line(node), f"not a valid date: {text!r}") from None
