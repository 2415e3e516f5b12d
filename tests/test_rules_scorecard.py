"""The scorecard's pure rules: the rate, working days late, trends, period bounds."""

from __future__ import annotations

from datetime import date

import pytest

from rules import scorecard as rules
from rules.calendar import default_calendar
from rules.errors import UserError


def test_working_days_late_skip_tet_and_weekends() -> None:
    cal = default_calendar()
    assert rules.working_days_late(cal, date(2024, 7, 12), date(2024, 7, 12)) == 0
    assert rules.working_days_late(cal, date(2024, 7, 12), date(2024, 7, 13)) == 1  # Sat → Mon
    assert rules.working_days_late(cal, date(2024, 7, 12), date(2024, 7, 15)) == 1
    assert rules.working_days_late(cal, date(2024, 7, 12), date(2024, 7, 16)) == 2
    # Due Friday 07/02/2024; Tết 2024 closes offices 08/02–14/02: sent 15/02 is 1 day late.
    assert rules.working_days_late(cal, date(2024, 2, 7), date(2024, 2, 15)) == 1
    assert rules.working_days_late(cal, date(2024, 2, 7), date(2024, 2, 10)) == 1  # in Tết


def test_late_days_are_counted_once_per_pair() -> None:
    calls: list[tuple[date, date]] = []

    class Counting:
        def next_working_day(self, d: date) -> date:
            return d

        def working_days_between(self, start: date, end: date) -> int:
            calls.append((start, end))
            return (end - start).days

    late = rules.LateDays(Counting())
    assert [late(date(2024, 1, 1), date(2024, 1, 5)) for _ in range(3)] == [4, 4, 4]
    assert len(calls) == 1


def test_rows_add_up_mean_and_worst() -> None:
    """Rows of finer grain sum into a coarser one (as the service folds a merged body's
    rows into its successor's): counts add, the worst lateness and the highest level are
    kept, and the task not yet due is left out of the rate."""
    a = rules.new_counts()
    a[rules.ON_TIME], a[rules.LATE] = 1, 1
    rules.add_late(a, days=2, tasks=1)
    b = rules.new_counts()
    b[rules.PENDING], b[rules.OVERDUE], b[rules.EXTENSIONS], b[rules.TOP_LEVEL] = 1, 2, 1, 2
    rules.add_late(b, days=5, tasks=2)
    both = rules.fold({"A": a, "B": b}, lambda _body: "C")["C"]
    assert rules.figures(both) == {
        "done_on_time": 1, "done_late": 1, "pending": 1, "overdue": 2, "total": 5,
        "counted": 4, "on_time_rate": 0.25, "late_tasks": 3, "days_late_mean": 4.0,
        "days_late_worst": 5, "revision_rounds": 0, "escalations": 0, "top_level": 2,
        "extensions": 1,
    }  # fmt: skip
    assert rules.rate_of(both) == pytest.approx(1 / 4)
    empty = rules.figures(rules.new_counts())
    assert empty["days_late_mean"] is None and empty["on_time_rate"] is None
    assert rules.rate_of(rules.new_counts()) is None


def test_a_rate_reads_as_whole_percents() -> None:
    assert [rules.percent(r) for r in (None, 0.0, 2 / 3, 1.0)] == ["—", "0%", "67%", "100%"]


def test_trend_compares_the_last_known_rate_with_the_first() -> None:
    assert rules.trend([0.5, None, 0.9]) == "up"
    assert rules.trend([1.0, 0.4]) == "down"
    assert rules.trend([0.8, 0.802]) == "steady"
    assert rules.trend([None, 0.7]) is None
    assert rules.trend([]) is None


def test_bounds_take_periods_or_dates() -> None:
    assert rules.bound("2024-H2", upper=False) == date(2024, 7, 1)
    assert rules.bound("2024-H2", upper=True) == date(2024, 12, 31)
    assert rules.bound("2024-q1", upper=True) == date(2024, 3, 31)
    assert rules.bound("2025-03-15", upper=False) == date(2025, 3, 15)
    assert rules.bound(None, upper=True) is None
    for bad in ("2024-H3", "yesterday", "2024-13-01"):
        with pytest.raises(UserError):
            rules.bound(bad, upper=False)
    with pytest.raises(UserError, match="is after"):
        rules.check_range(date(2025, 1, 1), date(2024, 12, 31))
    assert rules.in_range(date(2024, 6, 30), date(2024, 1, 1), date(2024, 6, 30))
    assert not rules.in_range(date(2024, 12, 31), None, date(2024, 6, 30))
