"""The operator's calendar overrides: extra days off and extra working days.

The ``holidays`` package knows Vietnam's holidays and the Prime Minister's
yearly swaps only for the years it covers; a new year's swap decision, or a
province's own day off, goes in a small YAML file::

    days_off:
      - {date: 2027-02-04, name: "Nghỉ Tết Nguyên đán (bổ sung)"}
    working_days:
      - {date: 2027-02-20, name: "Làm bù"}

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
_ENTRY_KEYS = ("date", "name")


@dataclass(frozen=True)
class CalendarOverrides:
    """Days the operator declares off (``days_off``) or worked (``working_days``)."""

    days_off: dict[date, str] = field(default_factory=dict)
    working_days: dict[date, str] = field(default_factory=dict)


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
    found: dict[str, dict[date, tuple[str, int]]] = {}
    for key_node, value_node in root.value:
        key = _scalar(key_node, "a key")
        if key not in _LISTS:
            raise _Refusal(
                _line(key_node), f"unknown key {key!r} (expected 'days_off' or 'working_days')"
            )
        if key in found:
            raise _Refusal(_line(key_node), f"{key!r} given twice")
        found[key] = _entries(value_node, key)
    days_off = found.get("days_off", {})
    working = found.get("working_days", {})
    for day, (_, line) in working.items():
        if day in days_off:
            raise _Refusal(
                line,
                f"{day.isoformat()} is both a day off (line {days_off[day][1]}) and a working day",
            )
    return CalendarOverrides(
        days_off={day: name for day, (name, _) in sorted(days_off.items())},
        working_days={day: name for day, (name, _) in sorted(working.items())},
    )


def _entries(node: object, key: str) -> dict[date, tuple[str, int]]:
    """The ``{date, name}`` items of one list, keyed by date, with their lines."""
    import yaml

    if isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null"):
        return {}
    if not isinstance(node, yaml.SequenceNode):
        raise _Refusal(_line(node), f"{key!r} must be a list of {{date, name}} items")
    entries: dict[date, tuple[str, int]] = {}
    for item in node.value:
        if not isinstance(item, yaml.MappingNode):
            raise _Refusal(_line(item), "each item must be a mapping like {date: …, name: …}")
        fields: dict[str, object] = {}
        for field_key, field_value in item.value:
            name = _scalar(field_key, "a key")
            if name not in _ENTRY_KEYS:
                raise _Refusal(
                    _line(field_key), f"unknown key {name!r} (expected 'date' and 'name')"
                )
            if name in fields:
                raise _Refusal(_line(field_key), f"{name!r} given twice")
            fields[name] = field_value
        for required in _ENTRY_KEYS:
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
        entries[day] = (label, _line(item))
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
