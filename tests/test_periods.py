"""Reporting periods: parsing, bounds, Vietnamese labels and Decree 09 cut-off windows."""

from __future__ import annotations

from datetime import date

import pytest

from rules.errors import UserError
from rules.periods import (
    DECREE_09,
    PERIOD_KINDS,
    CutoffRule,
    Period,
    latest_ended_period,
    parse_kind,
    parse_period,
)


@pytest.fixture(autouse=True)
def _data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("PHOIHOP_DATA_DIR", str(tmp_path))


@pytest.mark.parametrize(
    ("spec", "kind", "index", "canonical"),
    [
        ("2024-07", "month", 7, "2024-07"),
        ("2024-7", "month", 7, "2024-07"),
        ("2024-Q3", "quarter", 3, "2024-Q3"),
        ("2024-q3", "quarter", 3, "2024-Q3"),
        ("2024-H1", "half", 1, "2024-H1"),
        ("2024-h2", "half", 2, "2024-H2"),
        ("2024-9M", "nine_months", 1, "2024-9M"),
        ("2024-9m", "nine_months", 1, "2024-9M"),
        ("2024", "year", 1, "2024"),
        (" 2024-Q1 ", "quarter", 1, "2024-Q1"),
    ],
)
def test_parse(spec: str, kind: str, index: int, canonical: str) -> None:
    period = parse_period(spec)
    assert (period.kind, period.year, period.index) == (kind, 2024, index)
    assert period.spec == canonical
    assert parse_period(period.spec) == period


@pytest.mark.parametrize(
    "spec", ["2024-H3", "2024-Q5", "2024-Q0", "2024-13", "2024-00", "24-07", "2024/07", "", "H1"]
)
def test_parse_refuses(spec: str) -> None:
    with pytest.raises(UserError) as info:
        parse_period(spec)
    message = str(info.value)
    assert "\n" not in message
    assert repr(spec) in message


def test_refusal_lists_accepted_forms() -> None:
    with pytest.raises(UserError, match=r"YYYY-MM, YYYY-Q1..Q4, YYYY-H1, YYYY-H2, YYYY-9M"):
        parse_period("2024-H3")


@pytest.mark.parametrize(
    ("spec", "start", "end"),
    [
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),  # leap year
        ("2023-02", date(2023, 2, 1), date(2023, 2, 28)),
        ("2024-12", date(2024, 12, 1), date(2024, 12, 31)),
        ("2024-04", date(2024, 4, 1), date(2024, 4, 30)),
        ("2024-Q1", date(2024, 1, 1), date(2024, 3, 31)),
        ("2024-Q3", date(2024, 7, 1), date(2024, 9, 30)),
        ("2024-Q4", date(2024, 10, 1), date(2024, 12, 31)),
        ("2024-H1", date(2024, 1, 1), date(2024, 6, 30)),
        ("2024-H2", date(2024, 7, 1), date(2024, 12, 31)),
        ("2024-9M", date(2024, 1, 1), date(2024, 9, 30)),
        ("2024", date(2024, 1, 1), date(2024, 12, 31)),
    ],
)
def test_bounds(spec: str, start: date, end: date) -> None:
    period = parse_period(spec)
    assert (period.start, period.end) == (start, end)


@pytest.mark.parametrize(
    ("spec", "cutoff_start", "cutoff_end"),
    [
        # Decree 09/2019/NĐ-CP, art. 12.
        ("2024-07", date(2024, 6, 15), date(2024, 7, 14)),
        ("2024-01", date(2023, 12, 15), date(2024, 1, 14)),  # crosses the year
        ("2024-03", date(2024, 2, 15), date(2024, 3, 14)),  # leap February inside
        ("2024-Q1", date(2023, 12, 15), date(2024, 3, 14)),
        ("2024-Q2", date(2024, 3, 15), date(2024, 6, 14)),
        ("2024-Q3", date(2024, 6, 15), date(2024, 9, 14)),
        ("2024-Q4", date(2024, 9, 15), date(2024, 12, 14)),
        ("2024-H1", date(2023, 12, 15), date(2024, 6, 14)),
        ("2024-H2", date(2024, 6, 15), date(2024, 12, 14)),
        ("2024-9M", date(2023, 12, 15), date(2024, 9, 14)),
        ("2024", date(2023, 12, 15), date(2024, 12, 14)),
    ],
)
def test_decree_09_cutoff(spec: str, cutoff_start: date, cutoff_end: date) -> None:
    period = parse_period(spec)
    assert period.cutoff() == (cutoff_start, cutoff_end)
    assert period.cutoff(DECREE_09) == (cutoff_start, cutoff_end)


def test_other_windows() -> None:
    assert parse_period("2024-03").cutoff(CutoffRule(start_day=16)) == (
        date(2024, 2, 16),
        date(2024, 3, 15),
    )
    assert parse_period("2024-H1").cutoff(CutoffRule(start_day=16)) == (
        date(2023, 12, 16),
        date(2024, 6, 15),
    )
    assert parse_period("2024-02").cutoff(CutoffRule(start_day=1)) == (
        date(2024, 2, 1),
        date(2024, 2, 29),
    )
    assert parse_period("2024-02").cutoff(CutoffRule(start_day=28)) == (
        date(2024, 1, 28),
        date(2024, 2, 27),
    )
    with pytest.raises(UserError):
        CutoffRule(start_day=29)
    with pytest.raises(UserError):
        CutoffRule(start_day=0)


@pytest.mark.parametrize(
    ("spec", "label"),
    [
        ("2024-07", "tháng 7 năm 2024"),
        ("2024-12", "tháng 12 năm 2024"),
        ("2024-Q1", "quý I năm 2024"),
        ("2024-Q2", "quý II năm 2024"),
        ("2024-Q3", "quý III năm 2024"),
        ("2024-Q4", "quý IV năm 2024"),
        ("2024-H1", "6 tháng đầu năm 2024"),
        ("2024-H2", "6 tháng cuối năm 2024"),
        ("2024-9M", "9 tháng năm 2024"),
        ("2024", "năm 2024"),
    ],
)
def test_vietnamese_label(spec: str, label: str) -> None:
    assert parse_period(spec).label_vi == label


@pytest.mark.parametrize(
    ("spec", "previous"),
    [
        ("2024-07", "2024-06"),
        ("2024-01", "2023-12"),
        ("2024-Q1", "2023-Q4"),
        ("2024-Q3", "2024-Q2"),
        ("2024-H1", "2023-H2"),
        ("2024-H2", "2024-H1"),
        ("2024-9M", "2023-9M"),
        ("2024", "2023"),
    ],
)
def test_previous(spec: str, previous: str) -> None:
    assert parse_period(spec).previous().spec == previous


@pytest.mark.parametrize(
    ("kind", "today", "spec"),
    [
        ("half", date(2024, 7, 3), "2024-H1"),  # the seed case: letter of 03/7/2024
        ("half", date(2024, 6, 30), "2023-H2"),
        ("half", date(2025, 1, 1), "2024-H2"),
        ("month", date(2024, 3, 1), "2024-02"),
        ("month", date(2024, 1, 15), "2023-12"),
        ("quarter", date(2024, 10, 1), "2024-Q3"),
        ("quarter", date(2024, 9, 30), "2024-Q2"),
        ("nine_months", date(2024, 10, 1), "2024-9M"),
        ("nine_months", date(2024, 9, 30), "2023-9M"),
        ("year", date(2024, 7, 3), "2023"),
        ("semi-annual", date(2024, 7, 3), "2024-H1"),
    ],
)
def test_latest_ended_period(kind: str, today: date, spec: str) -> None:
    assert latest_ended_period(kind, today).spec == spec


def test_kinds() -> None:
    assert PERIOD_KINDS == ("month", "quarter", "half", "nine_months", "year")
    for kind in PERIOD_KINDS:
        assert parse_kind(kind) == kind
    assert parse_kind("half-year") == "half"
    assert parse_kind("Semi-Annual") == "half"
    with pytest.raises(UserError):
        parse_kind("fortnight")


def test_period_validates_itself() -> None:
    with pytest.raises(UserError):
        Period("half", 2024, 3)
    with pytest.raises(UserError):
        Period("week", 2024, 1)
