"""The outbox's delivery: retries with backoff, a bounded number of tries, stale claims."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlmodel import select

from models import AuditRecord, Notification
from rules.delivery import MAX_ATTEMPTS, STALE_CLAIM, retry_at
from rules.timezone import parse_moment
from services import db, notify

Cli = Callable[..., Any]
T0 = parse_moment("2024-07-13T08:00")


@dataclass
class FakeMailer:
    """A notifier that fails while ``down`` and records what it delivered."""

    down: bool = True
    sent: list[int] = field(default_factory=list)
    tries: int = 0

    def send(self, notification: Notification) -> None:
        self.tries += 1
        if self.down:
            raise OSError("Connection refused")
        self.sent.append(notification.id or 0)


@pytest.fixture
def one_message(open_cycle: Cli) -> int:
    """The sweep at the deadline escalates every body: keep one outbox row, drop the rest."""
    assert open_cycle("sweep", "--now", "2024-07-13T08:00").code == 0
    with db.transaction() as session:
        rows = session.exec(select(Notification).order_by(Notification.id)).all()
        for extra in rows[1:]:
            session.delete(extra)
        return rows[0].id


def row(notification_id: int) -> Notification:
    with db.reading() as session:
        return session.get(Notification, notification_id)


def test_backoff_grows_and_stops() -> None:
    waits = [retry_at(n, T0) - T0 for n in range(1, MAX_ATTEMPTS)]
    assert waits == [timedelta(minutes=m) for m in (1, 4, 16, 60)]
    assert retry_at(MAX_ATTEMPTS, T0) is None


def test_a_failed_message_waits_for_its_retry_then_gives_up(one_message: int) -> None:
    mailer = FakeMailer()
    moment = T0
    for attempt in range(1, MAX_ATTEMPTS + 1):
        assert notify.deliver(mailer, now=moment).as_dict() == {"sent": 0, "failed": 1}
        message = row(one_message)
        assert (message.attempts, message.error) == (attempt, "OSError: Connection refused")
        if attempt < MAX_ATTEMPTS:
            assert message.status == "pending"
            assert message.next_attempt_at == retry_at(attempt, moment)
            early = message.next_attempt_at - timedelta(seconds=1)
            assert notify.deliver(mailer, now=early).as_dict() == {"sent": 0, "failed": 0}
            moment = message.next_attempt_at
    assert mailer.tries == MAX_ATTEMPTS
    assert (row(one_message).status, row(one_message).next_attempt_at) == ("failed", None)
    mailer.down = False
    assert notify.deliver(mailer, now=moment + timedelta(days=1)).as_dict() == {
        "sent": 0,
        "failed": 0,
    }  # a failed message is left for a person, never tried a sixth time
    with db.reading() as session:
        failures = session.exec(
            select(AuditRecord).where(AuditRecord.action == "notification.failed")
        ).all()
    assert [f.detail["attempts"] for f in failures] == list(range(1, MAX_ATTEMPTS + 1))
    assert failures[-1].detail["next_attempt_at"] is None


def test_a_retry_after_the_server_is_back_delivers(one_message: int) -> None:
    mailer = FakeMailer()
    notify.deliver(mailer, now=T0)
    mailer.down = False
    retry = row(one_message).next_attempt_at
    assert notify.deliver(mailer, now=retry).as_dict() == {"sent": 1, "failed": 0}
    assert mailer.sent == [one_message]
    message = row(one_message)
    assert (message.status, message.attempts, message.error) == ("sent", 2, None)


def claimed(notification_id: int, at: datetime, attempts: int) -> None:
    """The row as a deliverer that died mid-send leaves it."""
    with db.transaction() as session:
        message = session.get(Notification, notification_id)
        message.status, message.claimed_at, message.attempts = "sending", at, attempts
        session.add(message)


def test_a_message_left_sending_by_a_dead_sender_is_claimed_again(one_message: int) -> None:
    mailer = FakeMailer(down=False)
    claimed(one_message, T0, attempts=1)
    fresh = T0 + STALE_CLAIM - timedelta(seconds=1)
    assert notify.deliver(mailer, now=fresh).as_dict() == {"sent": 0, "failed": 0}
    assert row(one_message).status == "sending"  # another deliverer may still be on it
    assert notify.deliver(mailer, now=T0 + STALE_CLAIM + timedelta(seconds=1)).sent == 1
    assert (row(one_message).status, row(one_message).attempts) == ("sent", 2)


def test_a_dead_sender_on_the_last_try_leaves_a_failed_message(one_message: int) -> None:
    mailer = FakeMailer(down=False)
    claimed(one_message, T0, attempts=MAX_ATTEMPTS)
    assert notify.deliver(mailer, now=T0 + STALE_CLAIM * 2).as_dict() == {"sent": 0, "failed": 0}
    message = row(one_message)
    assert message.status == "failed" and "no tries left" in (message.error or "")
    assert mailer.tries == 0


def test_a_long_delivery_stops_claiming_before_its_claims_could_be_taken_over(
    open_cycle: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every claim of a run carries the run's moment, and another run takes a claim over
    once it is STALE_CLAIM old. A run that has been sending for a third of that stops
    claiming; the rest goes in the next run, each message once."""
    assert open_cycle("sweep", "--now", "2024-07-13T08:00").code == 0
    with db.reading() as session:
        waiting = len(session.exec(select(Notification.id)).all())
    assert waiting >= 6
    ticks = [0.0, 1.0, 2.0, STALE_CLAIM.total_seconds()]  # start, then before each batch
    monkeypatch.setattr(notify.time, "monotonic", lambda: ticks.pop(0) if ticks else 0.0)
    mailer = FakeMailer(down=False)
    first = notify.deliver(mailer, now=T0, batch=2)
    assert first.sent == 4  # two batches, then it stopped claiming
    assert ticks == []  # the next run's clock starts afresh (0.0 from here on)
    rest = notify.deliver(mailer, now=T0 + timedelta(minutes=1), batch=2)
    assert first.sent + rest.sent == waiting
    assert sorted(mailer.sent) == sorted(set(mailer.sent))  # none twice
