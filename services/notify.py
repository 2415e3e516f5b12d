"""Delivering the outbox: pluggable notifiers, SMTP when configured.

Every notification is first an outbox row (written by the sweep in its own
transaction). Delivery claims rows one batch at a time with a conditional
UPDATE, so two deliverers never send the same message twice. A failed try is
retried later with backoff, a message whose sender died while sending is
claimed again once its claim is stale, and after a bounded number of tries the
message is marked failed with its error (:mod:`rules.delivery`).

SMTP is configured by ``PHOIHOP_SMTP_HOST`` (and ``_PORT``, ``_USER``,
``_PASSWORD``, ``_STARTTLS=1``, ``_FROM``). Without it the outbox is the channel:
rows stay ``pending`` for whoever reads them.
"""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.utils import formataddr, getaddresses
from typing import Any, Protocol

from sqlalchemy import or_, update
from sqlmodel import select

from models import Notification
from rules.delivery import MAX_ATTEMPTS, STALE_CLAIM, retry_at
from services import db, settings

# Python 3.11's header folder can cut an RFC 2047 encoded word in two when it folds a
# long Vietnamese display name at 78 columns ("Thường trực =?utf-8?q?T=E1=BB=89 nh?= ủy"
# at the receiver). Folding only at RFC 5322's hard limit keeps our headers whole.
MAIL_POLICY = policy.default.clone(max_line_length=998)


class Notifier(Protocol):
    def send(self, notification: Notification) -> None:
        """Deliver one message or raise."""


@dataclass(frozen=True)
class SmtpNotifier:
    host: str
    port: int = 25
    sender: str = "phoihop <phoihop@localhost>"
    user: str | None = None
    password: str | None = None
    starttls: bool = False

    @classmethod
    def from_settings(cls) -> SmtpNotifier | None:
        config = settings.current()
        if not config.smtp_host:
            return None
        password = config.smtp_password
        return cls(
            host=config.smtp_host,
            port=config.smtp_port,
            sender=config.smtp_from,
            user=config.smtp_user,
            password=password.get_secret_value() if password else None,
            starttls=config.smtp_starttls,
        )

    def send(self, notification: Notification) -> None:
        addresses = [(n, a) for n, a in getaddresses(notification.recipients) if "@" in a]
        if not addresses:
            raise ValueError("no e-mail address among the recipients")
        message = EmailMessage(policy=MAIL_POLICY)
        message["From"] = self.sender
        message["To"] = ", ".join(formataddr(pair) for pair in addresses)
        message["Subject"] = notification.subject
        message.set_content(notification.body, charset="utf-8")
        with smtplib.SMTP(self.host, self.port, timeout=30) as smtp:
            if self.starttls:
                smtp.starttls()
            if self.user:
                smtp.login(self.user, self.password or "")
            smtp.send_message(message)


def configured_notifier() -> Notifier | None:
    return SmtpNotifier.from_settings()


@dataclass(frozen=True)
class Delivery:
    sent: int
    failed: int

    def as_dict(self) -> dict[str, int]:
        return {"sent": self.sent, "failed": self.failed}


def deliver(notifier: Notifier | None, *, now: datetime, batch: int = 200) -> Delivery:
    """Send pending notifications through ``notifier``; no notifier, nothing to do."""
    if notifier is None:
        return Delivery(0, 0)
    sent = failed = 0
    _give_up_stale(now)
    while True:
        claimed = _claim(now, batch)
        if not claimed:
            return Delivery(sent, failed)
        for notification in claimed:
            try:
                notifier.send(notification)
            except (OSError, smtplib.SMTPException, ValueError) as exc:
                failed += 1
                _finish(notification, now, error=f"{type(exc).__name__}: {exc}")
            else:
                sent += 1
                _finish(notification, now, error=None)


def _claimable(now: datetime) -> Any:
    """Pending rows whose retry time has come, or rows whose sender died mid-send.

    A message that failed waits for its ``next_attempt_at``, so it is retried by
    a later delivery, never again in this one.
    """
    due = (Notification.status == "pending") & or_(
        Notification.next_attempt_at.is_(None), Notification.next_attempt_at <= now
    )
    return or_(due, _stale(now)) & (Notification.attempts < MAX_ATTEMPTS)


def _stale(now: datetime) -> Any:
    return (Notification.status == "sending") & (Notification.claimed_at < now - STALE_CLAIM)


def _give_up_stale(now: datetime) -> None:
    """A message whose last allowed try died mid-send is failed, not tried a sixth time."""
    with db.transaction() as session:
        given_up = session.execute(
            update(Notification)
            .where(_stale(now), Notification.attempts >= MAX_ATTEMPTS)
            .values(
                status="failed",
                error="the sender stopped while sending; no tries left",
                next_attempt_at=None,
            )
            .returning(Notification.id, Notification.recipients)
            .execution_options(synchronize_session=False)
        ).all()
        db.audit_many(
            session,
            (
                {
                    "at": now,
                    "actor": "notifier",
                    "action": "notification.failed",
                    "cycle_id": None,
                    "task_id": None,
                    "detail": {"notification": nid, "recipients": to, "error": "stale claim"},
                }
                for nid, to in given_up
            ),
        )


def _claim(now: datetime, batch: int) -> list[Notification]:
    """Mark up to ``batch`` messages as ours in one UPDATE … RETURNING; a row another
    deliverer took in the meantime no longer matches ``_claimable`` and is skipped."""
    candidates = (
        select(Notification.id).where(_claimable(now)).order_by(Notification.id).limit(batch)
    )
    with db.transaction() as session:
        claimed = session.scalars(
            update(Notification)
            .where(Notification.id.in_(candidates.scalar_subquery()), _claimable(now))
            .values(status="sending", claimed_at=now, attempts=Notification.attempts + 1)
            .returning(Notification)
            .execution_options(synchronize_session=False)
        ).all()
    return sorted(claimed, key=lambda n: n.id or 0)


def _finish(notification: Notification, now: datetime, *, error: str | None) -> None:
    with db.transaction() as session:
        row = session.get(Notification, notification.id)
        if error is None:
            row.status, row.sent_at, row.error, row.next_attempt_at = "sent", now, None, None
        else:
            row.next_attempt_at = retry_at(row.attempts, now)
            row.status = "pending" if row.next_attempt_at else "failed"
            row.error = error
        session.add(row)
        db.audit(
            session,
            at=now,
            actor="notifier",
            action="notification.sent" if error is None else "notification.failed",
            notification=row.id,
            recipients=row.recipients,
            error=error,
            attempts=row.attempts,
            next_attempt_at=row.next_attempt_at.isoformat() if row.next_attempt_at else None,
        )
