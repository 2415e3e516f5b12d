"""Login throttling rule: how many wrong passwords lock an account name, and for how long."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from rules.lockout import LOCKOUT, MAX_FAILURES, WINDOW, counted, locked_until

T0 = datetime(2024, 7, 10, 2, 0, tzinfo=UTC)


def every(minutes: float, count: int, start: datetime = T0) -> list[datetime]:
    return [start + timedelta(minutes=minutes * i) for i in range(count)]


def test_fewer_failures_than_the_limit_never_lock() -> None:
    failures = every(1, MAX_FAILURES - 1)
    assert locked_until(failures, failures[-1] + timedelta(seconds=1)) is None


def test_the_limit_within_the_window_locks_until_lockout_after_the_last() -> None:
    failures = every(2, MAX_FAILURES)
    assert failures[-1] - failures[0] <= WINDOW
    until = failures[-1] + LOCKOUT
    assert locked_until(failures, failures[-1]) == until
    assert locked_until(failures, until - timedelta(seconds=1)) == until
    assert locked_until(failures, until) is None


def test_failures_spread_wider_than_the_window_do_not_lock() -> None:
    failures = every(WINDOW.total_seconds() / 60 / (MAX_FAILURES - 1) + 0.5, MAX_FAILURES)
    assert failures[-1] - failures[0] > WINDOW
    assert locked_until(failures, failures[-1]) is None


def test_after_a_lock_ends_one_more_failure_does_not_lock_again_at_once() -> None:
    first = every(1, MAX_FAILURES)
    after = first[-1] + LOCKOUT + timedelta(minutes=1)
    assert locked_until([*first, after], after) is None
    burst = [*first, *every(1, MAX_FAILURES, after)]
    assert locked_until(burst, burst[-1]) == burst[-1] + LOCKOUT


def test_counted_keeps_what_the_rule_needs_and_decides_the_same() -> None:
    history: list[datetime] = []
    full: list[datetime] = []
    for attempt in [*every(7, 3), *every(1, MAX_FAILURES + 3, T0 + timedelta(minutes=40))]:
        history = counted(history, attempt)
        full.append(attempt)
        assert len(history) <= MAX_FAILURES
        assert locked_until(history, attempt) == locked_until(full, attempt)
    assert history == full[-MAX_FAILURES:]


def test_counted_keeps_the_failures_in_order_whatever_order_they_arrive_in() -> None:
    late, early = T0 + timedelta(seconds=2), T0 + timedelta(seconds=1)
    assert counted(counted([], late), early) == [early, late]
