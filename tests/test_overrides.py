"""The operator's overrides file: parsing, line-precise refusals, and loading at the edge."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from rules.errors import UserError
from rules.overrides import CalendarOverrides, parse_overrides
from services.calendars import load_calendar

GOOD = """\
# Local decisions for 2027
days_off:
  - {date: 2027-02-11, name: "Nghỉ Tết Nguyên đán (bổ sung)"}
working_days:
  - date: "2027-02-20"
    name: Làm bù
"""


@pytest.fixture(autouse=True)
def _data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("PHOIHOP_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("PHOIHOP_CALENDAR_OVERRIDES", raising=False)


def test_parse_good_file() -> None:
    overrides = parse_overrides(GOOD)
    assert overrides.days_off == {date(2027, 2, 11): "Nghỉ Tết Nguyên đán (bổ sung)"}
    assert overrides.working_days == {date(2027, 2, 20): "Làm bù"}


def test_empty_file_means_no_overrides() -> None:
    assert parse_overrides("") == CalendarOverrides()
    assert parse_overrides("# nothing yet\n") == CalendarOverrides()
    assert parse_overrides("days_off:\nworking_days: []\n") == CalendarOverrides()


def refusal(text: str) -> str:
    with pytest.raises(UserError) as info:
        parse_overrides(text, source="./x.yaml")
    message = str(info.value)
    assert "\n" not in message
    return message


def test_impossible_date_names_the_line() -> None:
    text = (
        "days_off:\n  - {date: 2027-02-04, name: a}\n"
        "working_days:\n  - {date: 2027-02-30, name: b}\n"
    )
    assert refusal(text) == "calendar overrides ./x.yaml line 4: not a valid date: '2027-02-30'"


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("days_off:\n  - {date: 2027-02-04, name: [a\n", 3, ""),  # YAML syntax error
        ("holidays:\n  - {date: 2027-02-04, name: a}\n", 1, "unknown key 'holidays'"),
        ("days_off:\n  - {date: 2027-02-04, nam: a}\n", 2, "unknown key 'nam'"),
        ("days_off:\n  - {date: 2027-02-04}\n", 2, "missing 'name'"),
        ("days_off:\n  - {name: a}\n", 2, "missing 'date'"),
        ("days_off:\n  - {date: 2027-02-04, name: ''}\n", 2, "name must not be empty"),
        ("days_off:\n  - {date: 04/02/2027, name: a}\n", 2, "not a valid date: '04/02/2027'"),
        ("days_off:\n  - {date: 20270204, name: a}\n", 2, "not a valid date"),
        ("days_off: 2027-02-04\n", 1, "must be a list"),
        ("days_off:\n  - 2027-02-04\n", 2, "must be a mapping"),
        ("- 2027-02-04\n", 1, "expected a mapping"),
        (
            "days_off:\n  - {date: 2027-02-04, name: a}\n  - {date: 2027-02-04, name: b}\n",
            3,
            "already listed on line 2",
        ),
        (
            "days_off:\n  - {date: 2027-02-04, name: a}\nworking_days:\n"
            "  - {date: 2027-02-04, name: b}\n",
            4,
            "both a day off (line 2) and a working day",
        ),
    ],
)
def test_malformed_files_name_the_line(text: str, line: int, fragment: str) -> None:
    message = refusal(text)
    assert message.startswith(f"calendar overrides ./x.yaml line {line}: ")
    assert fragment in message


def test_load_calendar_without_file_is_the_package_calendar() -> None:
    assert load_calendar().is_working_day(date(2027, 2, 11))


def test_load_calendar_reads_default_file(tmp_path: Path) -> None:
    (tmp_path / "calendar-overrides.yaml").write_text(GOOD, encoding="utf-8")
    calendar = load_calendar()
    assert not calendar.is_working_day(date(2027, 2, 11))
    assert calendar.is_working_day(date(2027, 2, 20))  # a Saturday made working
    assert load_calendar() is calendar  # cached while the file is unchanged


def test_load_calendar_notices_edits(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "custom.yaml"
    path.write_text(GOOD, encoding="utf-8")
    monkeypatch.setenv("PHOIHOP_CALENDAR_OVERRIDES", str(path))
    assert not load_calendar().is_working_day(date(2027, 2, 11))
    path.write_text("days_off: []\n", encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert load_calendar().is_working_day(date(2027, 2, 11))


def test_missing_configured_file_is_refused(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("PHOIHOP_CALENDAR_OVERRIDES", str(tmp_path / "nope.yaml"))
    with pytest.raises(UserError, match="not found"):
        load_calendar()


def test_malformed_file_error_names_path_and_line(tmp_path: Path) -> None:
    path = tmp_path / "calendar-overrides.yaml"
    path.write_text("days_off:\n  - {date: 2027-13-01, name: x}\n", encoding="utf-8")
    with pytest.raises(UserError) as info:
        load_calendar()
    assert str(info.value) == (f"calendar overrides {path} line 2: not a valid date: '2027-13-01'")
