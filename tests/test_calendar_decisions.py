"""The calendar across years: shipped official decisions, provisional years, and
issued deadlines checked against a calendar that changed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from services.calendars import load_calendar, official
from tests.steps import CYCLE, ok

Cli = Callable[..., Any]


def test_the_shipped_decisions_fill_what_the_package_lacks() -> None:
    """Official Dispatch 12729/VPCP-KGVX (25/12/2025): Friday 02/01/2026 off, paid back
    on Saturday 10/01/2026; holidays 0.109 knows neither."""
    calendar = load_calendar()
    assert not calendar.is_working_day(date(2026, 1, 2))
    assert calendar.is_working_day(date(2026, 1, 10))
    assert calendar.reference(date(2026, 1, 2)).startswith("Công văn số 12729/VPCP-KGVX")
    assert calendar.due_date(date(2025, 12, 31), 1) == date(2026, 1, 5)
    assert official().announced_through == 2026


def test_a_date_after_the_announced_years_is_provisional(cli: Cli) -> None:
    assert not load_calendar().provisional(date(2026, 12, 31))
    assert load_calendar().provisional(date(2027, 1, 4))
    answer = cli("calendar", "due", "2026-12-25", "--working-days", "10", "--json").json()
    assert (answer["due"], answer["provisional"]) == ("2027-01-11", True)
    human = cli("calendar", "due", "2026-12-25", "--working-days", "10").out
    assert "tạm tính: lịch nghỉ năm 2027 của công chức chưa được công bố" in " ".join(human.split())


def test_the_operator_announces_a_year(cli: Cli, data_dir: Path) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "calendar-overrides.yaml").write_text(
        "announced_through: 2027\n"
        "days_off:\n"
        "  - {date: 2027-02-04, name: Nghỉ Tết (bổ sung), reference: 999/VPCP-KGVX}\n",
        encoding="utf-8",
    )
    calendar = load_calendar()
    assert not calendar.provisional(date(2027, 6, 1))
    assert calendar.reference(date(2027, 2, 4)) == "999/VPCP-KGVX"
    assert calendar.reference(date(2026, 1, 2)).startswith("Công văn số 12729")  # still shipped
    holidays = cli("calendar", "holidays", "2027", "--json").json()
    assert {"date": "2027-02-04", "name": "Nghỉ Tết (bổ sung)", "reference": "999/VPCP-KGVX"} in (
        holidays["days_off"]
    )


def test_a_malformed_announced_year_is_one_line(cli: Cli, data_dir: Path) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "calendar-overrides.yaml").write_text("announced_through: soon\n", "utf-8")
    result = cli("calendar", "due", "2026-12-25", "--working-days", "1")
    assert result.code == 1
    assert "line 1: 'announced_through' must be a year, not 'soon'" in result.err


def test_cycles_and_tasks_say_when_their_dates_are_provisional(demo_org: Cli) -> None:
    opened = ok(demo_org("cycle", "open", "QD238", "2024-H2", "--letter-date", "2025-01-06",
                         "--due", "2027-01-08", "--now", "2025-01-06T08:00", "--json"))  # fmt: skip
    assert opened["cycle"]["provisional"] is True  # due in January 2027
    tasks = ok(demo_org("tasks", "list", "--cycle", "QD238/2024-H2", "--json"))["items"]
    assert {t["provisional"] for t in tasks} == {True}


@pytest.fixture
def opened_then_announced(open_cycle: Cli, data_dir: Path) -> Cli:
    """QD238/2024-H1 was due 12/07/2024 (7 working days after 03/07); then the operator
    declares Wednesday 10/07/2024 a day off: the count now ends on Monday 15/07."""
    (data_dir / "calendar-overrides.yaml").write_text(
        "days_off:\n  - {date: 2024-07-10, name: Nghỉ đột xuất, reference: 1/QĐ-UBND}\n",
        encoding="utf-8",
    )
    return open_cycle


def test_calendar_check_lists_deadlines_that_would_move(opened_then_announced: Cli) -> None:
    cli = opened_then_announced
    rows = ok(cli("calendar", "check", "--json"))["moved"]
    assert len(rows) == 7
    assert {(r["issued_due"], r["computed_due"], r["later"]) for r in rows} == {
        ("2024-07-12", "2024-07-15", True)
    }
    tasks = ok(cli("tasks", "list", "--cycle", CYCLE, "--json"))["items"]
    assert {t["due_date"] for t in tasks} == {"2024-07-12"}  # nothing moved by itself


def test_calendar_check_extend_moves_them_as_extensions(opened_then_announced: Cli) -> None:
    cli = opened_then_announced
    done = ok(cli("calendar", "check", "--extend", "--now", "2024-07-05T09:00", "--as",
                  "BTGTU", "--json"))  # fmt: skip
    assert done["extended"] == 7
    tasks = ok(cli("tasks", "list", "--cycle", CYCLE, "--json"))["items"]
    assert {t["due_date"] for t in tasks} == {"2024-07-15"}
    assert ok(cli("calendar", "check", "--json"))["moved"] == []
    shown = ok(cli("cycle", "show", CYCLE, "--json"))
    history = shown["tasks"]["items"][0]["history"]
    assert (
        history[-1]["kind"] == "extended"
        and "Điều chỉnh theo lịch nghỉ mới" in (history[-1]["comment"])
    )
