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


def steps(policy: Policy, calendar: WorkCalendar, now: datetime, done=0, due=DUE) -> list[str]:
    """The rung a sweep at ``now`` fires (at most one), or nothing."""
    step = policy.step(due, end_of_day(due), done, now, calendar)
    return [step.fire.step] if step.fire else []


def skipped(policy: Policy, calendar: WorkCalendar, now: datetime, done=0, due=DUE) -> list[str]:
    return [r.step for r in policy.step(due, end_of_day(due), done, now, calendar).skipped]


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
    waiting = policy.step(DUE, DUE_AT, 0, local(2024, 7, 3, 8), calendar)
    assert (waiting.done, waiting.next_at) == (0, local(2024, 7, 10))


def test_reminder_fires_from_start_of_second_working_day_before(policy, calendar) -> None:
    assert steps(policy, calendar, local(2024, 7, 10) - SECOND) == []
    assert steps(policy, calendar, local(2024, 7, 10)) == ["reminder-2"]
    assert steps(policy, calendar, local(2024, 7, 12, 23, 59, 59)) == ["reminder-2"]


def test_no_reminder_after_the_deadline(policy, calendar) -> None:
    assert steps(policy, calendar, local(2024, 7, 13)) == ["level-1"]
    assert skipped(policy, calendar, local(2024, 7, 13)) == ["reminder-2"]


def test_a_reminder_only_ladder_sends_nothing_after_the_deadline(calendar) -> None:
    policy = Policy.from_data({"reminders": [2], "ladder": []})
    late = policy.step(DUE, DUE_AT, 0, local(2024, 7, 13), calendar)
    assert (late.fire, [r.step for r in late.skipped], late.next_at) == (None, ["reminder-2"], None)


def test_level_1_fires_just_after_the_deadline(policy, calendar) -> None:
    assert steps(policy, calendar, DUE_AT, done=1) == []
    assert steps(policy, calendar, DUE_AT + SECOND, done=1) == ["level-1"]


def test_level_2_after_end_of_second_working_day_after(policy, calendar) -> None:
    # 13-14/07 is a weekend: working days after Friday 12/07 are 15/07 and 16/07.
    assert steps(policy, calendar, local(2024, 7, 16, 23, 59, 59), done=2) == []
    assert steps(policy, calendar, local(2024, 7, 17), done=2) == ["level-2"]


def test_level_3_after_end_of_fifth_working_day_after(policy, calendar) -> None:
    assert steps(policy, calendar, local(2024, 7, 19, 23, 59, 59), done=3) == []
    assert steps(policy, calendar, local(2024, 7, 20), done=3) == ["level-3"]


def test_fires_at_instants(policy, calendar) -> None:
    at = {r.step: policy.fires_at(r, DUE, calendar) for r in policy.rungs}
    assert at == {
        "reminder-2": local(2024, 7, 10),
        "level-1": local(2024, 7, 12, 23, 59, 59),
        "level-2": local(2024, 7, 16, 23, 59, 59),
        "level-3": local(2024, 7, 19, 23, 59, 59),
    }


def test_the_schedule_and_the_next_moment(policy, calendar) -> None:
    assert [(r.step, at) for r, at in policy.schedule(DUE, calendar)] == [
        ("reminder-2", local(2024, 7, 10)),
        ("level-1", local(2024, 7, 13)),
        ("level-2", local(2024, 7, 17)),
        ("level-3", local(2024, 7, 20)),
    ]
    assert [policy.next_at(DUE, done, calendar) for done in range(5)] == [
        local(2024, 7, 10), local(2024, 7, 13), local(2024, 7, 17), local(2024, 7, 20), None,
    ]  # fmt: skip


def test_used_up_rungs_are_not_returned_again(policy, calendar) -> None:
    assert steps(policy, calendar, local(2024, 7, 11), done=1) == []
    final = policy.step(DUE, DUE_AT, 4, local(2024, 8, 30), calendar)
    assert (final.fire, final.skipped, final.done, final.next_at) == (None, (), 4, None)


def test_a_late_sweep_fires_only_the_highest_rung_and_skips_the_rest(policy, calendar) -> None:
    late = policy.step(DUE, DUE_AT, 0, local(2024, 7, 25), calendar)
    assert late.fire.step == "level-3"
    assert [r.step for r in late.skipped] == ["reminder-2", "level-1", "level-2"]
    assert (late.done, late.next_at) == (4, None)
    assert steps(policy, calendar, local(2024, 7, 17)) == ["level-2"]
    assert skipped(policy, calendar, local(2024, 7, 17)) == ["reminder-2", "level-1"]
    assert policy.step(DUE, DUE_AT, 0, local(2024, 7, 17), calendar).next_at == local(2024, 7, 20)


def test_late_sweep_sends_only_the_closest_reminder(calendar) -> None:
    policy = Policy.from_data({"reminders": [5, 2, 1], "ladder": []})
    assert [r.step for r in policy.rungs] == ["reminder-5", "reminder-2", "reminder-1"]
    # Thursday 11/07: reminders 5 (05/07) and 2 (10/07) and 1 (11/07) are all due.
    assert steps(policy, calendar, local(2024, 7, 11, 8)) == ["reminder-1"]
    assert skipped(policy, calendar, local(2024, 7, 11, 8)) == ["reminder-5", "reminder-2"]
    assert steps(policy, calendar, local(2024, 7, 10, 8)) == ["reminder-2"]
    # The closest one already went out: no older reminder is sent in its place.
    assert steps(policy, calendar, local(2024, 7, 11, 8), done=3) == []


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
    # Six calendar days after the deadline, still only level 1: the days were Tết.
    assert steps(policy, calendar, local(2024, 2, 14, 12), done=2, due=due) == []
    assert steps(policy, calendar, local(2024, 2, 17), done=2, due=due) == ["level-2"]
    assert steps(policy, calendar, local(2024, 2, 22), due=due) == ["level-3"]


def test_reminder_before_a_due_date_just_after_tet(policy, calendar) -> None:
    # Due Friday 16/02/2024: two working days before are 15/02 and 07/02.
    due = date(2024, 2, 16)
    assert steps(policy, calendar, local(2024, 2, 6, 23), due=due) == []
    assert steps(policy, calendar, local(2024, 2, 7), due=due) == ["reminder-2"]


def test_unknown_role_refused() -> None:
    validate_roles(["focal", "head", "coordinator_leadership"])
    with pytest.raises(ValueError, match="unknown recipient role"):
        validate_roles(["focal", "minister"])
