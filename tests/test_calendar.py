"""The working-day calendar against the official 2024–2026 schedules, and counting rules."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rules.calendar import WorkCalendar, default_calendar
from rules.deadlines import staggered_deadlines
from rules.errors import UserError
from rules.overrides import CalendarOverrides


@pytest.fixture(autouse=True)
def _data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("PHOIHOP_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("PHOIHOP_CALENDAR_OVERRIDES", raising=False)


CAL = default_calendar()


def days(first: date, last: date) -> list[date]:
    return [first + timedelta(n) for n in range((last - first).days + 1)]


# -- official schedules ------------------------------------------------------------------


@pytest.mark.parametrize(
    "off",
    [
        # 2024: Tết 8/2–14/2; Mon 29/4 swapped off; 30/4, 1/5; 2–3/9.
        *days(date(2024, 2, 8), date(2024, 2, 14)),
        date(2024, 1, 1),
        date(2024, 4, 18),
        date(2024, 4, 29),
        date(2024, 4, 30),
        date(2024, 5, 1),
        date(2024, 9, 2),
        date(2024, 9, 3),
        # 2025: Tết 25/1 (Sat)–2/2 (Sun), weekdays 27–31/1; Fri 2/5 swapped off; 1–2/9.
        *days(date(2025, 1, 25), date(2025, 2, 2)),
        date(2025, 4, 7),
        date(2025, 4, 30),
        date(2025, 5, 1),
        date(2025, 5, 2),
        date(2025, 9, 1),
        date(2025, 9, 2),
        # 2026: Tết 14/2–22/2; Hùng Kings Sun 26/4 with Mon 27/4 in lieu; Mon 31/8 swapped.
        *days(date(2026, 2, 14), date(2026, 2, 22)),
        date(2026, 4, 26),
        date(2026, 4, 27),
        date(2026, 4, 30),
        date(2026, 5, 1),
        date(2026, 8, 31),
        date(2026, 9, 1),
        date(2026, 9, 2),
    ],
)
def test_official_days_off(off: date) -> None:
    assert not CAL.is_working_day(off)


@pytest.mark.parametrize(
    "worked",
    [
        date(2024, 5, 4),  # Saturday worked for Monday 29/4/2024
        date(2025, 4, 26),  # Saturday worked for Friday 2/5/2025
        date(2026, 8, 22),  # Saturday worked for Monday 31/8/2026
        date(2024, 2, 7),  # the Wednesday before Tết 2024
        date(2024, 2, 15),  # first day back after Tết 2024
        date(2025, 2, 3),  # first day back after Tết 2025
        date(2026, 2, 23),  # first day back after Tết 2026
        date(2026, 4, 28),
        date(2024, 9, 4),
    ],
)
def test_official_working_days(worked: date) -> None:
    assert CAL.is_working_day(worked)


def test_ordinary_weekend_is_off() -> None:
    assert not CAL.is_working_day(date(2024, 5, 11))  # a plain Saturday
    assert not CAL.is_working_day(date(2024, 5, 5))  # Sunday after the worked Saturday


def test_days_off_have_vietnamese_names() -> None:
    names = dict(CAL.days_off(2024))
    assert names[date(2024, 2, 10)] == "Tết Nguyên Đán"
    assert names[date(2024, 4, 18)] == "Ngày Giỗ Tổ Hùng Vương"
    assert names[date(2024, 9, 2)] == "Quốc khánh"
    assert list(names) == sorted(names)
    names_2026 = dict(CAL.days_off(2026))
    assert "nghỉ bù" in names_2026[date(2026, 4, 27)]


def test_swapped_working_days_name_the_day_they_pay_for() -> None:
    assert CAL.swapped_working_days(2024) == [(date(2024, 5, 4), "Làm bù cho ngày nghỉ 29/04/2024")]
    assert CAL.swapped_working_days(2025) == [
        (date(2025, 4, 26), "Làm bù cho ngày nghỉ 02/05/2025")
    ]
    assert CAL.swapped_working_days(2026) == [
        (date(2026, 8, 22), "Làm bù cho ngày nghỉ 31/08/2026")
    ]


def test_swap_across_new_year_is_paired() -> None:
    # Saturday 27/12/2014 was worked for Friday 2/1/2015 off.
    assert (date(2014, 12, 27), "Làm bù cho ngày nghỉ 02/01/2015") in CAL.swapped_working_days(2014)
    assert CAL.is_working_day(date(2014, 12, 27))
    assert not CAL.is_working_day(date(2015, 1, 2))


# -- counting ---------------------------------------------------------------------------


def test_start_day_is_not_counted() -> None:
    assert CAL.due_date(date(2024, 7, 3), 1) == date(2024, 7, 4)
    assert CAL.due_date(date(2024, 7, 3), 0) == date(2024, 7, 3)


def test_counting_jumps_over_tet() -> None:
    assert CAL.due_date(date(2024, 2, 7), 1) == date(2024, 2, 15)
    assert CAL.due_date(date(2025, 1, 24), 5) == date(2025, 2, 7)


def test_friday_plus_one_is_monday() -> None:
    assert CAL.due_date(date(2024, 7, 5), 1) == date(2024, 7, 8)


def test_worked_saturday_counts() -> None:
    assert CAL.due_date(date(2024, 5, 3), 1) == date(2024, 5, 4)
    assert CAL.due_date(date(2024, 4, 26), 1) == date(2024, 5, 2)


def test_start_on_a_holiday() -> None:
    # From Sunday 11/2/2024 (Tết): day 1 is the first working day after it.
    assert CAL.due_date(date(2024, 2, 11), 1) == date(2024, 2, 15)
    assert CAL.due_date(date(2024, 2, 11), 0) == date(2024, 2, 15)
    assert CAL.due_date(date(2024, 2, 11), 2) == date(2024, 2, 16)


def test_backwards_and_zero() -> None:
    assert CAL.add_working_days(date(2024, 2, 15), -1) == date(2024, 2, 7)
    assert CAL.add_working_days(date(2024, 5, 6), -1) == date(2024, 5, 4)
    assert CAL.add_working_days(date(2024, 5, 5), 0) == date(2024, 5, 6)


def test_negative_due_is_refused() -> None:
    with pytest.raises(UserError):
        CAL.due_date(date(2024, 1, 2), -1)


def test_working_days_between() -> None:
    assert CAL.working_days_between(date(2024, 2, 7), date(2024, 2, 16)) == 2
    assert CAL.working_days_between(date(2024, 5, 3), date(2024, 5, 6)) == 2
    assert CAL.working_days_between(date(2024, 5, 6), date(2024, 5, 3)) == 0
    assert CAL.working_days_between(date(2024, 5, 6), date(2024, 5, 6)) == 0
    # 2024: 366 days, 104 weekend days, 12 weekday days off (1/1, 8–9/2, 12–14/2,
    # 18/4, 29/4, 30/4, 1/5, 2/9, 3/9), plus the worked Saturday 4/5.
    assert CAL.working_days_between(date(2023, 12, 31), date(2024, 12, 31)) == 366 - 104 - 12 + 1


def test_deadline_is_end_of_next_working_day_in_utc() -> None:
    sunday = date(2024, 6, 2)
    deadline = CAL.deadline_of(sunday)
    assert deadline == datetime(2024, 6, 3, 16, 59, 59, tzinfo=UTC)
    assert deadline.isoformat() == "2024-06-03T16:59:59+00:00"
    assert CAL.deadline_of(date(2024, 6, 4)) == datetime(2024, 6, 4, 16, 59, 59, tzinfo=UTC)


def test_staggered_deadlines() -> None:
    # Province due Thursday 25/7/2024; districts 2 working days earlier; communes 1 more.
    assert staggered_deadlines(date(2024, 7, 25), [2, 1], CAL) == [
        date(2024, 7, 25),
        date(2024, 7, 23),
        date(2024, 7, 22),
    ]
    # Top deadline on Sunday 5/5/2024 moves to Monday; 1 day before is the worked Saturday.
    assert staggered_deadlines(date(2024, 5, 5), [1, 1], CAL) == [
        date(2024, 5, 6),
        date(2024, 5, 4),
        date(2024, 5, 3),
    ]
    assert staggered_deadlines(date(2024, 7, 25), [], CAL) == [date(2024, 7, 25)]
    with pytest.raises(UserError):
        staggered_deadlines(date(2024, 7, 25), [1, -1], CAL)


def test_overrides_apply() -> None:
    cal = WorkCalendar(
        CalendarOverrides(
            days_off={date(2027, 2, 11): "Nghỉ Tết Nguyên đán (bổ sung)"},
            working_days={date(2027, 2, 20): "Làm bù"},
        )
    )
    assert CAL.is_working_day(date(2027, 2, 11))
    assert not cal.is_working_day(date(2027, 2, 11))
    assert cal.is_working_day(date(2027, 2, 20))
    assert not CAL.is_working_day(date(2027, 2, 20))
    assert (date(2027, 2, 11), "Nghỉ Tết Nguyên đán (bổ sung)") in cal.days_off(2027)
    assert (date(2027, 2, 20), "Làm bù") in cal.swapped_working_days(2027)
    assert cal.due_date(date(2027, 2, 19), 1) == date(2027, 2, 20)


def test_override_working_day_cancels_a_holiday() -> None:
    cal = WorkCalendar(CalendarOverrides(working_days={date(2024, 9, 3): "Đi làm"}))
    assert cal.is_working_day(date(2024, 9, 3))
    assert date(2024, 9, 3) not in dict(cal.days_off(2024))
    assert (date(2024, 9, 3), "Đi làm") in cal.swapped_working_days(2024)


# -- properties -------------------------------------------------------------------------

DATES = st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 12, 31))
COUNTS = st.integers(min_value=0, max_value=40)


@given(DATES, COUNTS)
def test_forward_then_back_returns_to_a_working_start(d: date, n: int) -> None:
    d = CAL.next_working_day(d)
    assert CAL.add_working_days(CAL.add_working_days(d, n), -n) == d


@given(DATES, COUNTS)
def test_due_date_is_a_working_day_after_start(d: date, n: int) -> None:
    due = CAL.due_date(d, n)
    assert CAL.is_working_day(due)
    assert due >= d
    if n > 0:
        assert due > d


@given(DATES, COUNTS)
def test_working_days_between_inverts_counting(d: date, n: int) -> None:
    if n == 0:  # zero days from a day off lands on the next working day, one day later
        d = CAL.next_working_day(d)
    assert CAL.working_days_between(d, CAL.add_working_days(d, n)) == n


@given(DATES)
def test_deadline_is_end_of_a_working_day(d: date) -> None:
    deadline = CAL.deadline_of(d)
    local = deadline + timedelta(hours=7)
    assert (local.hour, local.minute, local.second) == (23, 59, 59)
    assert CAL.is_working_day(local.date())
    assert local.date() >= d


# -- a typed date moved to a working day, and why ---------------------------------------


def test_a_sunday_moves_to_monday_and_says_chu_nhat() -> None:
    from rules.deadlines import working_day_for

    due, moved = working_day_for(date(2024, 7, 14), CAL)
    assert due == date(2024, 7, 15) and moved is not None
    assert (moved.typed, moved.moved_to, moved.reasons("vi")) == (
        due.replace(day=14),
        due,
        ["Chủ nhật"],
    )
    assert moved.sentence("vi") == (
        "Ngày đã nhập 14/07/2024 là ngày nghỉ (Chủ nhật), nên hạn được chuyển sang ngày "
        "làm việc tiếp theo: 15/07/2024."
    )
    assert moved.sentence("en") == (
        "The date typed, 14/07/2024, is a day off (Sunday), so the deadline moved to the "
        "next working day, 15/07/2024."
    )


def test_a_day_of_tet_names_the_holiday_and_the_last_day_off() -> None:
    from rules.deadlines import working_day_for

    due, moved = working_day_for(date(2025, 1, 29), CAL)  # Mùng một Tết Ất Tỵ
    assert due == date(2025, 2, 3) and moved is not None
    assert moved.reasons("en") == ["Tết Nguyên Đán"]  # a proper name, kept as written
    assert [d.day for d in moved.days_off] == days(date(2025, 1, 29), date(2025, 2, 2))
    assert "(Tết Nguyên Đán; nghỉ liền đến 02/02/2025)" in moved.sentence("vi")
    assert moved.as_dict()["days_off"][0]["reason"] == "Tết Nguyên Đán"
    # the Saturday before Tết says both: a weekend, then Tết's own days
    _due, saturday = working_day_for(date(2025, 1, 25), CAL)
    assert saturday is not None and saturday.reasons("vi")[0] == "thứ Bảy"
    assert saturday.reasons("vi")[1] in {"29 Tết", "Tết Nguyên Đán", "Giao thừa Tết Nguyên Đán"}


def test_a_working_day_is_not_moved_and_an_override_gives_its_name() -> None:
    from rules.deadlines import working_day_for

    assert working_day_for(date(2024, 7, 15), CAL) == (date(2024, 7, 15), None)
    extra = WorkCalendar(
        CalendarOverrides(days_off={date(2024, 7, 16): "Nghỉ đột xuất"},
                          references={date(2024, 7, 16): "12/QĐ-UBND"})
    )  # fmt: skip
    due, moved = working_day_for(date(2024, 7, 16), extra)
    assert due == date(2024, 7, 17) and moved is not None
    assert moved.days_off[0].label("en") == "Nghỉ đột xuất"
    assert moved.days_off[0].reference == "12/QĐ-UBND"
