"""The task state machine (rules.tasks): which moves are allowed, and the four buckets."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from rules.errors import Conflict, UserError
from rules.tasks import (
    Buckets,
    Status,
    bucket_of,
    check_extend,
    check_new_due_date,
    check_review,
    check_submit,
    check_version_read,
    is_on_time,
)

DUE_AT = datetime(2024, 7, 12, 16, 59, 59, tzinfo=UTC)  # 12/07/2024 23:59:59 +07
DUE = date(2024, 7, 12)


# -- submit --------------------------------------------------------------------------


@pytest.mark.parametrize("status", [Status.PENDING, Status.SUBMITTED, Status.RETURNED])
def test_submit_allowed_while_not_accepted(status: Status) -> None:
    check_submit(status, cycle_open=True)  # a correction before review is a new version


def test_submit_refused_once_accepted() -> None:
    with pytest.raises(Conflict, match="already accepted"):
        check_submit(Status.ACCEPTED, cycle_open=True)


@pytest.mark.parametrize("status", list(Status))
def test_submit_refused_on_closed_cycle(status: Status) -> None:
    with pytest.raises(Conflict, match="closed"):
        check_submit(status, cycle_open=False)


# -- review --------------------------------------------------------------------------


def test_review_allowed_only_for_a_standing_submission() -> None:
    check_review(Status.SUBMITTED, cycle_open=True)


@pytest.mark.parametrize(
    ("status", "why"),
    [
        (Status.PENDING, "nothing has been submitted"),
        (Status.RETURNED, "returned"),
        (Status.ACCEPTED, "already accepted"),
    ],
)
def test_review_refused(status: Status, why: str) -> None:
    with pytest.raises(Conflict, match=why):
        check_review(status, cycle_open=True)


def test_review_refused_on_closed_cycle() -> None:
    with pytest.raises(Conflict, match="closed"):
        check_review(Status.SUBMITTED, cycle_open=False)


# -- extend and new due dates --------------------------------------------------------


@pytest.mark.parametrize("status", [Status.PENDING, Status.RETURNED])
def test_extend_allowed_for_waiting_tasks(status: Status) -> None:
    check_extend(status, True, DUE, DUE + timedelta(days=5))


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.ACCEPTED])
def test_extend_refused_when_the_body_already_sent(status: Status) -> None:
    with pytest.raises(Conflict, match=f"this one is {status.value}"):
        check_extend(status, True, DUE, DUE + timedelta(days=5))


@pytest.mark.parametrize("new_due", [DUE, DUE - timedelta(days=1)])
def test_extend_must_move_the_deadline_later(new_due: date) -> None:
    with pytest.raises(UserError, match="later than 2024-07-12"):
        check_extend(Status.PENDING, True, DUE, new_due)


def test_extend_refused_on_closed_cycle() -> None:
    with pytest.raises(Conflict, match="closed"):
        check_extend(Status.PENDING, False, DUE, DUE + timedelta(days=5))


def test_new_due_date_in_the_past_refused_today_allowed() -> None:
    check_new_due_date(date(2024, 7, 15), today=date(2024, 7, 15))
    with pytest.raises(UserError, match="2024-07-14 is in the past"):
        check_new_due_date(date(2024, 7, 14), today=date(2024, 7, 15))


def test_on_time_up_to_the_last_second_of_the_due_day() -> None:
    assert is_on_time(DUE_AT, DUE_AT)
    assert not is_on_time(DUE_AT + timedelta(seconds=1), DUE_AT)


# -- buckets -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "on_time", "now", "bucket"),
    [
        (Status.SUBMITTED, True, DUE_AT + timedelta(days=3), "done_on_time"),
        (Status.ACCEPTED, True, DUE_AT + timedelta(days=3), "done_on_time"),
        (Status.SUBMITTED, False, DUE_AT + timedelta(days=3), "done_late"),
        (Status.ACCEPTED, False, DUE_AT - timedelta(days=3), "done_late"),
        (Status.PENDING, None, DUE_AT, "pending"),
        (Status.PENDING, None, DUE_AT + timedelta(seconds=1), "overdue"),
        (Status.RETURNED, True, DUE_AT - timedelta(hours=1), "pending"),
        (Status.RETURNED, True, DUE_AT + timedelta(hours=1), "overdue"),
    ],
)
def test_bucket_of(status: Status, on_time: bool | None, now: datetime, bucket: str) -> None:
    assert bucket_of(status, on_time, DUE_AT, now, cycle_open=True) == bucket


def test_closed_cycle_without_a_report_is_overdue_even_before_its_deadline() -> None:
    """Left out of a synthesis while still within its deadline: it can never send now."""
    early = DUE_AT - timedelta(days=1)
    assert bucket_of(Status.PENDING, None, DUE_AT, early, cycle_open=False) == "overdue"
    assert bucket_of(Status.SUBMITTED, True, DUE_AT, early, cycle_open=False) == "done_on_time"


def test_on_time_rate_counts_the_never_sent_against_the_body() -> None:
    """On time / (sent + past due unsent): 3 / (3 + 1 + 2); the 5 not yet due are left out."""
    buckets = Buckets(done_on_time=3, done_late=1, pending=5, overdue=2)
    assert buckets.total == 11
    assert buckets.counted == 6
    assert buckets.on_time_rate == pytest.approx(0.5)
    # the answers (JSON, pages) carry it to four decimals: 2/3 as 0.6667
    assert (Buckets(2, 1).rate_figure, Buckets().rate_figure) == (0.6667, None)


def test_on_time_rate_of_a_never_sender_is_zero_not_unknown() -> None:
    assert Buckets(pending=4, overdue=1).on_time_rate == 0.0  # was None: "—" beside a late 0%
    assert Buckets(pending=4).on_time_rate is None  # nothing due yet
    assert Buckets().on_time_rate is None
    assert Buckets(done_late=2).on_time_rate == 0.0


def test_a_decision_on_a_version_not_read_is_a_conflict() -> None:
    check_version_read(2, 2)
    check_version_read(2, None)  # not said: the latest, as the CLI decides
    with pytest.raises(Conflict, match="version 3 was sent after version 2, the one you read"):
        check_version_read(3, 2)
