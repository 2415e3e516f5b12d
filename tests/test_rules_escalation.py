"""The urging ladder (rules.escalation) on the real Vietnamese calendar, on 2024 dates."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from rules.calendar import WorkCalendar
from rules.escalation import DEFAULT_POLICY, Policy, validate_roles
from rules.timezone import end_of_day

VN = ZoneInfo("Asia/Ho_Chi_Minh")
SECOND = timedelta(seconds=1)
DUE = date(2024, 7, 12)  # a Friday
DUE_AT = end_of_day(DUE)
PROGRAM_POLICY = {
    "reminders": [2],
    "ladder": [
        {"after_working_days": 0, "notify": ["focal"]},
        {"after_working_days": 2, "notify": ["focal", "head"]},
        {"after_working_days": 5, "notify": ["head", "coordinator_leadership"]},
    ],
}


@pytest.fixture(scope="module")
def calendar() -> WorkCalendar:
    return WorkCalendar()


@pytest.fixture(scope="module")
def policy() -> Policy:
    return Policy.from_data(PROGRAM_POLICY)


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=VN)


def steps(policy: Policy, calendar: WorkCalendar, now: datetime, fired=(), due=DUE) -> list[str]:
    return [r.step for r in policy.due_rungs(due, end_of_day(due), fired, now, calendar)]


def test_policy_from_data_orders_rungs_and_roles(policy: Policy) -> None:
    assert [(r.step, r.kind, r.level, r.working_days, r.notify) for r in policy.rungs] == [
        ("reminder-2", "reminder", 0, 2, ("focal",)),
        ("level-1", "escalation", 1, 0, ("focal",)),
        ("level-2", "escalation", 2, 2, ("focal", "head")),
        ("level-3", "escalation", 3, 5, ("head", "coordinator_leadership")),
    ]
    assert Policy.from_data(DEFAULT_POLICY) == policy


def test_deadline_is_end_of_the_due_day_local() -> None:
    assert local(2024, 7, 12, 23, 59, 59) == DUE_AT


def test_nothing_due_well_before_the_deadline(policy, calendar) -> None:
    assert steps(policy, calendar, local(2024, 7, 3, 8)) == []


def test_reminder_fires_from_start_of_second_working_day_before(policy, calendar) -> None:
    assert steps(policy, calendar, local(2024, 7, 10) - SECOND) == []
    assert steps(policy, calendar, local(2024, 7, 10)) == ["reminder-2"]
    assert steps(policy, calendar, local(2024, 7, 12, 23, 59, 59)) == ["reminder-2"]


def test_no_reminder_after_the_deadline(policy, calendar) -> None:
    due = steps(policy, calendar, local(2024, 7, 13))
    assert "reminder-2" not in due
    assert due == ["level-1"]


def test_level_1_fires_just_after_the_deadline(policy, calendar) -> None:
    assert "level-1" not in steps(policy, calendar, DUE_AT)
    assert steps(policy, calendar, DUE_AT + SECOND, fired={"reminder-2"}) == ["level-1"]


def test_level_2_after_end_of_second_working_day_after(policy, calendar) -> None:
    # 13-14/07 is a weekend: working days after Friday 12/07 are 15/07 and 16/07.
    fired = {"reminder-2", "level-1"}
    assert steps(policy, calendar, local(2024, 7, 16, 23, 59, 59), fired) == []
    assert steps(policy, calendar, local(2024, 7, 17), fired) == ["level-2"]


def test_level_3_after_end_of_fifth_working_day_after(policy, calendar) -> None:
    fired = {"reminder-2", "level-1", "level-2"}
    assert steps(policy, calendar, local(2024, 7, 19, 23, 59, 59), fired) == []
    assert steps(policy, calendar, local(2024, 7, 20), fired) == ["level-3"]


def test_fires_at_instants(policy, calendar) -> None:
    at = {r.step: policy.fires_at(r, DUE, calendar) for r in policy.rungs}
    assert at == {
        "reminder-2": local(2024, 7, 10),
        "level-1": local(2024, 7, 12, 23, 59, 59),
        "level-2": local(2024, 7, 16, 23, 59, 59),
        "level-3": local(2024, 7, 19, 23, 59, 59),
    }


def test_already_fired_steps_are_not_returned_again(policy, calendar) -> None:
    assert steps(policy, calendar, local(2024, 7, 11), fired={"reminder-2"}) == []
    everything = {"reminder-2", "level-1", "level-2", "level-3"}
    assert steps(policy, calendar, local(2024, 8, 30), fired=everything) == []
    assert steps(policy, calendar, local(2024, 7, 20), fired={"level-1", "level-3"}) == ["level-2"]


def test_late_sweep_fires_every_missed_rung_in_order(policy, calendar) -> None:
    assert steps(policy, calendar, local(2024, 7, 25)) == ["level-1", "level-2", "level-3"]
    assert steps(policy, calendar, local(2024, 7, 17)) == ["level-1", "level-2"]


def test_late_sweep_sends_only_the_closest_reminder(calendar) -> None:
    policy = Policy.from_data({"reminders": [5, 2, 1], "ladder": []})
    assert [r.step for r in policy.rungs] == ["reminder-5", "reminder-2", "reminder-1"]
    # Thursday 11/07: reminders 5 (05/07) and 2 (10/07) and 1 (11/07) are all due.
    assert steps(policy, calendar, local(2024, 7, 11, 8)) == ["reminder-1"]
    assert steps(policy, calendar, local(2024, 7, 10, 8)) == ["reminder-2"]
    # The closest one already went out: no older reminder is sent in its place.
    assert steps(policy, calendar, local(2024, 7, 11, 8), fired={"reminder-1"}) == []


def test_ladder_counts_working_days_across_tet(policy, calendar) -> None:
    # Due Wednesday 07/02/2024; Tết 2024 closes offices 08/02–14/02.
    due = date(2024, 2, 7)
    at = {r.step: policy.fires_at(r, due, calendar) for r in policy.rungs}
    assert at == {
        "reminder-2": local(2024, 2, 5),
        "level-1": local(2024, 2, 7, 23, 59, 59),
        "level-2": local(2024, 2, 16, 23, 59, 59),
        "level-3": local(2024, 2, 21, 23, 59, 59),
    }
    fired = {"reminder-2", "level-1"}
    # Six calendar days after the deadline, still only level 1: the days were Tết.
    assert steps(policy, calendar, local(2024, 2, 14, 12), fired, due=due) == []
    assert steps(policy, calendar, local(2024, 2, 17), fired, due=due) == ["level-2"]
    assert steps(policy, calendar, local(2024, 2, 22), due=due) == [
        "level-1",
        "level-2",
        "level-3",
    ]


def test_reminder_before_a_due_date_just_after_tet(policy, calendar) -> None:
    # Due Friday 16/02/2024: two working days before are 15/02 and 07/02.
    due = date(2024, 2, 16)
    assert steps(policy, calendar, local(2024, 2, 6, 23), due=due) == []
    assert steps(policy, calendar, local(2024, 2, 7), due=due) == ["reminder-2"]


def test_unknown_role_refused() -> None:
    validate_roles(["focal", "head", "coordinator_leadership"])
    with pytest.raises(ValueError, match="unknown recipient role"):
        validate_roles(["focal", "minister"])
