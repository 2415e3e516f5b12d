"""What the operator writes (rules.specs): every mistake is one line naming its field."""

from __future__ import annotations

import copy
import unicodedata
from pathlib import Path
from typing import Any

import pytest
import yaml

from rules.errors import UserError
from rules.specs import BodySpec, ProgramSpec, validate

PROGRAM = yaml.safe_load(
    (Path(__file__).resolve().parent / "data" / "seed-program.yaml").read_text("utf-8")
)
BODY = {"code": "SO-TP", "name": "Sở Tư pháp", "level": "province"}


def program(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(PROGRAM)
    data.update(changes)
    return data


def refused(model: type, data: Any) -> str:
    with pytest.raises(UserError) as info:
        validate(model, data, "org.csv line 3")
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith("org.csv line 3: ")
    return message


# -- bodies --------------------------------------------------------------------------


def test_valid_body_is_normalised() -> None:
    decomposed = unicodedata.normalize("NFD", "  Sở Tư pháp ")
    spec = validate(BodySpec, BODY | {"name": decomposed, "parent": "", "head_email": ""}, "x")
    assert spec.name == "Sở Tư pháp"
    assert spec.parent is None and spec.head_email is None


@pytest.mark.parametrize(
    ("field", "value"),
    [("focal_email", "oanh.ntk at stp.example"), ("head_email", "giam doc@stp.example")],
)
def test_bad_email(field: str, value: str) -> None:
    message = refused(BodySpec, BODY | {field: value})
    assert message == f"org.csv line 3: {field}: not an e-mail address: {value!r}"


def test_unknown_level() -> None:
    message = refused(BodySpec, BODY | {"level": "ward"})
    assert message.startswith("org.csv line 3: level: level must be one of central, province")


def test_body_unknown_key() -> None:
    assert refused(BodySpec, BODY | {"colour": "red"}).startswith("org.csv line 3: colour: ")


def test_body_missing_name() -> None:
    assert refused(BodySpec, {"code": "X", "level": "province"}).startswith(
        "org.csv line 3: name: "
    )


def test_body_code_with_spaces() -> None:
    assert refused(BodySpec, BODY | {"code": "SO TP"}).startswith("org.csv line 3: code: ")


def test_body_impossible_date() -> None:
    assert refused(BodySpec, BODY | {"valid_from": "2024-02-30"}).startswith(
        "org.csv line 3: valid_from: "
    )


def test_body_dates_reversed() -> None:
    message = refused(BodySpec, BODY | {"valid_from": "2025-03-01", "valid_to": "2025-02-28"})
    assert "valid_to is before valid_from" in message


def test_not_a_mapping() -> None:
    assert "expected a mapping" in refused(BodySpec, ["SO-TP", "Sở Tư pháp"])


# -- programs ------------------------------------------------------------------------


def test_demo_program_is_valid() -> None:
    spec = validate(ProgramSpec, program(), "program.yaml")
    assert spec.period == "half"
    assert [s.code for s in spec.outline] == ["I", "II", "III"]
    assert spec.outline[2].required is False
    assert spec.escalation.reminders == [2]


def test_escalation_defaults_when_omitted() -> None:
    data = program()
    del data["escalation"]
    spec = validate(ProgramSpec, data, "program.yaml")
    assert [s.after_working_days for s in spec.escalation.ladder] == [0, 2, 5]


@pytest.mark.parametrize(
    "ladder",
    [
        [
            {"after_working_days": 2, "notify": ["focal"]},
            {"after_working_days": 2, "notify": ["head"]},
        ],
        [
            {"after_working_days": 5, "notify": ["focal"]},
            {"after_working_days": 2, "notify": ["head"]},
        ],
    ],
)
def test_ladder_not_increasing(ladder: list[dict[str, Any]]) -> None:
    message = refused(ProgramSpec, program(escalation={"ladder": ladder}))
    assert message == (
        "org.csv line 3: escalation.ladder: ladder steps must have strictly increasing "
        "after_working_days"
    )


def test_unknown_role() -> None:
    ladder = [{"after_working_days": 0, "notify": ["focal", "minister"]}]
    message = refused(ProgramSpec, program(escalation={"ladder": ladder}))
    assert message.startswith("org.csv line 3: escalation.ladder.0.notify: unknown recipient role")
    assert "minister" in message


def test_reminder_out_of_range() -> None:
    message = refused(ProgramSpec, program(escalation={"reminders": [0]}))
    assert message.startswith("org.csv line 3: escalation.reminders: ")


def test_coordinator_among_bodies() -> None:
    message = refused(ProgramSpec, program(bodies=["BTGTU", "HDND"]))
    assert "the coordinator cannot also be a reporting body" in message


def test_body_listed_twice() -> None:
    assert "listed twice" in refused(ProgramSpec, program(bodies=["HDND", "HDND"]))


def test_bad_rrule() -> None:
    message = refused(ProgramSpec, program(schedule="FREQ=SOMETIMES;BYMONTH=1"))
    assert message.startswith("org.csv line 3: schedule: not an RRule")


def test_unknown_key() -> None:
    assert refused(ProgramSpec, program(deadline="soon")).startswith(
        "org.csv line 3: deadline: Extra inputs are not permitted"
    )


def test_unknown_nested_key() -> None:
    message = refused(ProgramSpec, program(working_days={"provide": 7, "weekends": True}))
    assert message.startswith("org.csv line 3: working_days.weekends: ")


def test_unknown_period_kind() -> None:
    assert refused(ProgramSpec, program(period="fortnight")).startswith(
        "org.csv line 3: period: not a period kind"
    )


def test_provide_days_at_least_one() -> None:
    assert refused(ProgramSpec, program(working_days={"provide": 0})).startswith(
        "org.csv line 3: working_days.provide: "
    )


def test_outline_codes_unique() -> None:
    outline = [{"code": "I", "title": "Một"}, {"code": "I", "title": "Hai"}]
    assert "share a code" in refused(ProgramSpec, program(outline=outline))


def test_bad_leadership_email() -> None:
    leadership = {"name": "Thường trực Tỉnh ủy", "email": "thuongtruc tinhuy"}
    message = refused(ProgramSpec, program(leadership=leadership))
    assert message.startswith("org.csv line 3: leadership.email: not an e-mail address")


def test_a_schedule_is_stored_with_an_explicit_start() -> None:
    from datetime import date

    from dateutil.rrule import rrulestr

    from rules.schedule import anchored

    rule = anchored("FREQ=YEARLY;BYMONTH=1,7;BYMONTHDAY=3;BYHOUR=8", date(2024, 7, 1))
    assert rule == "DTSTART:20240701T000000\nRRULE:FREQ=YEARLY;BYMONTH=1,7;BYMONTHDAY=3;BYHOUR=8"
    assert [d.isoformat() for d in list(rrulestr(rule))[:2]] == [
        "2024-07-03T08:00:00",
        "2025-01-03T08:00:00",
    ]  # minutes and seconds come from the start, not from whenever the rule is read
    given = "DTSTART:20230101T000000\nRRULE:FREQ=MONTHLY;BYMONTHDAY=5"
    assert anchored(given, date(2024, 7, 1)) == given
