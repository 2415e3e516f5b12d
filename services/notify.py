"""Delivering the outbox: pluggable notifiers, SMTP when configured.

Every notification is first an outbox row (written by the sweep in its own
transaction). Delivery claims rows one batch at a time with a conditional
UPDATE, so two deliverers never send the same message twice. A failed try is
retried later with backoff, a message whose sender died while sending is
claimed again once its claim is stale, and after a bounded number of tries the
message is marked failed with its error (:mod:`rules.delivery`).

SMTP is configured by ``PHOIHOP_SMTP_HOST`` (and ``_PORT``, ``_USER``,
``_PASSWORD``, ``_STARTTLS=1``, ``_FROM``); other channels (a Teams/Slack-style
JSON webhook, Telegram, …) by ``PHOIHOP_NOTIFY_URLS``, apprise URLs, behind the
same :class:`Notifier` interface. Without any the outbox is the channel: rows
stay ``pending`` for whoever reads them. The outbox is the source of truth
either way: a message is ``sent`` once every channel took it.

E-mail is written as the standards ask: ``Date`` and ``Message-ID`` headers
(the id is the outbox row's, so a retried message keeps it); non-ASCII
subjects and display names as RFC 2047 ``B`` words of at most 75 characters,
one per folded line, each ending after a space of the text that it carries
itself (:func:`encoded_words`). A decoder that follows RFC 2047 drops the
folding between words, so it reads every space and never half a syllable.
(Python 3.11's own folder cut words in two at 78 columns — "Thường trực
=?utf-8?q?T=E1=BB=89 nh?= ủy" — and folding at 998 only hid that behind one
224-character word. Python's own *parser* still keeps the folding space inside
a display name, showing "Du lịch  tỉnh": cosmetic, and its own bug.) The text
goes quoted-printable; attached documents keep their Vietnamese file names, in
NFC, as RFC 2231 ``filename*N*`` continuations.

A message whose urging letter is still being numbered and rendered
(services.letters) waits for it, at most :data:`LETTER_PATIENCE`, so the letter
goes with it.
"""

from __future__ import annotations

import smtplib
import tempfile
import time
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from email import charset as email_charset
from email.header import Header
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import format_datetime, getaddresses, parseaddr
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import exists, or_, update
from sqlmodel import select

from models import Document, Notification, OutboxAttachment
from rules.delivery import MAX_ATTEMPTS, STALE_CLAIM, retry_at
from services import db, settings

LETTER_PATIENCE = timedelta(minutes=30)
"""How long a message waits for the urging letter it carries to be rendered."""
HEADER_WIDTH = 76  # RFC 5322 folds at 78; an encoded word is at most 75 (RFC 2047)
_BODY = email_charset.Charset("utf-8")
_BODY.body_encoding = email_charset.QP  # readable in a raw mailbox, 7-bit safe


@dataclass(frozen=True)
class Attached:
    """A file sent with a message (a stored document)."""

    filename: str
    content_type: str
    data: bytes


class Notifier(Protocol):
    def send(self, notification: Notification) -> None:
        """Deliver one message or raise. A notifier that takes files also accepts
        ``attachments`` (a sequence of :class:`Attached`) as a keyword."""


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

    def send(self, notification: Notification, attachments: Sequence[Attached] = ()) -> None:
        addresses = [(n, a) for n, a in getaddresses(notification.recipients) if "@" in a]
        if not addresses:
            raise ValueError("no e-mail address among the recipients")
        message = mail(notification, self.sender, addresses, attachments)
        with smtplib.SMTP(self.host, self.port, timeout=30) as smtp:
            if self.starttls:
                smtp.starttls()
            if self.user:
                smtp.login(self.user, self.password or "")
            smtp.send_message(message, parseaddr(self.sender)[1], [a for _, a in addresses])


def encoded_words(text: str, first: int = 0) -> list[str]:
    """``text`` as RFC 2047 ``B`` words of at most 75 characters, split only after a
    space that stays inside the word before it: a decoder that follows the RFC drops
    the folding between words and reads every space of the text, and a name is never
    cut inside a syllable. ``first``: room already taken on the first line."""
    text = unicodedata.normalize("NFC", text)
    pieces = [w + " " for w in text.split(" ")]
    pieces[-1] = pieces[-1][:-1]
    words, current = [], ""
    for piece in pieces:
        room = EW_MAX - (first if not words else 0)
        if current and _ew_len(current + piece) > room:
            words.append(current)
            current = ""
        while _ew_len(piece) > EW_MAX:  # one "word" too long for any line: cut by characters
            cut = max(i for i in range(1, len(piece) + 1) if _ew_len(piece[:i]) <= EW_MAX)
            if current:
                words.append(current)
                current = ""
            words.append(piece[:cut])
            piece = piece[cut:]
        current += piece
    if current or not words:
        words.append(current)
    return [_ew(w) for w in words]


EW_MAX = 75


def _ew(text: str) -> str:
    import base64

    return "=?utf-8?b?" + base64.b64encode(text.encode("utf-8")).decode("ascii") + "?="


def _ew_len(text: str) -> int:
    return 12 + 4 * ((len(text.encode("utf-8")) + 2) // 3)


def _header(text: str, name: str) -> Header:
    """A non-ASCII header value as :func:`encoded_words`, one per folded line."""
    text = unicodedata.normalize("NFC", text)
    if text.isascii():
        return Header(text, "us-ascii", maxlinelen=HEADER_WIDTH, header_name=name)
    return Header(" ".join(encoded_words(text, len(name) + 2)), "us-ascii",
                  maxlinelen=HEADER_WIDTH, header_name=name)  # fmt: skip


def _address(name: str, address: str, header: str) -> str:
    """``Name <addr>`` with the name encoded only when it needs to be (and quoted when
    it holds address specials, e.g. the comma of "Sở Văn hóa, Thể thao…")."""
    if not name:
        return address
    if name.isascii():
        from email.utils import formataddr

        return formataddr((name, address))
    return " ".join([*encoded_words(name), f"<{address}>"])


def _disposition(filename: str) -> str:
    """``attachment`` with the file name as RFC 2231 ``filename*N*`` continuations of
    short lines, UTF-8 and NFC (every client shows "Công văn đôn đốc….docx")."""
    from urllib.parse import quote

    value = quote(unicodedata.normalize("NFC", filename), safe="")
    parts, start = [], 0
    while start < len(value):
        end = min(start + 50, len(value))
        while end < len(value) and "%" in value[end - 2 : end]:  # never split a %XX
            end -= 1
        parts.append(value[start:end])
        start = end
    names = [
        f"filename*{i}*=utf-8''{p}" if i == 0 else f"filename*{i}*={p}" for i, p in enumerate(parts)
    ]
    return "attachment; " + "; ".join(names)


def mail(
    notification: Notification,
    sender: str,
    addresses: Sequence[tuple[str, str]],
    attachments: Sequence[Attached] = (),
) -> Any:
    """The e-mail of one outbox message (see the module text for the form)."""
    from services import clock

    text = MIMEText(unicodedata.normalize("NFC", notification.body), "plain", _BODY)
    if attachments:
        message: Any = MIMEMultipart("mixed")
        message.attach(text)
        for item in attachments:
            main, _, sub = (item.content_type or "application/octet-stream").partition("/")
            part = MIMEApplication(item.data, sub or "octet-stream")
            if main != "application":
                part.replace_header("Content-Type", item.content_type)
            name = unicodedata.normalize("NFC", item.filename)
            part["Content-Disposition"] = _disposition(name)
            message.attach(part)
    else:
        message = text
    from_name, from_address = parseaddr(sender)
    domain = from_address.rpartition("@")[2] or "phoihop.localhost"
    message["From"] = _address(from_name, from_address, "From")
    message["To"] = ", ".join(_address(n, a, "To") for n, a in addresses)
    message["Subject"] = _header(notification.subject, "Subject")
    message["Date"] = format_datetime(clock.now())
    message["Message-ID"] = f"<phoihop-outbox-{notification.id}@{domain}>"
    return message


@dataclass(frozen=True)
class AppriseNotifier:
    """Other channels (``PHOIHOP_NOTIFY_URLS``): apprise URLs such as ``json://host/path``
    (a JSON webhook), ``tgram://token/chat``, ``msteams://…``. A channel is a shared
    feed, not a mailbox: the message names its recipients in its first line."""

    urls: tuple[str, ...]

    def send(self, notification: Notification, attachments: Sequence[Attached] = ()) -> None:
        import apprise

        channel = apprise.Apprise()
        for url in self.urls:
            if not channel.add(url):
                raise ValueError(f"not a notification URL apprise knows: {url}")
        to = ", ".join(n or a for n, a in getaddresses(notification.recipients))
        body = (f"Gửi: {to}\n\n" if to else "") + notification.body
        with tempfile.TemporaryDirectory(prefix="phoihop-attach-") as folder:
            files = apprise.AppriseAttachment()
            for item in attachments:
                path = Path(folder) / unicodedata.normalize("NFC", Path(item.filename).name)
                path.write_bytes(item.data)
                files.add(str(path))
            ok = channel.notify(title=notification.subject, body=body,
                                attach=files if attachments else None)  # fmt: skip
        if not ok:
            raise OSError(f"apprise: no channel of {len(self.urls)} took the message")


@dataclass(frozen=True)
class Channels:
    """Several channels at once: the message is sent when every channel took it; if one
    fails, the whole message is tried again later (a channel that took it then sees
    it twice; each carries the outbox id to tell)."""

    notifiers: tuple[Any, ...]

    def send(self, notification: Notification, attachments: Sequence[Attached] = ()) -> None:
        errors = []
        for notifier in self.notifiers:
            try:
                _send(notifier, notification, attachments)
            except (OSError, smtplib.SMTPException, ValueError) as exc:
                errors.append(f"{type(notifier).__name__}: {exc}")
        if errors:
            raise OSError("; ".join(errors))


def _send(notifier: Any, notification: Notification, attachments: Sequence[Attached]) -> None:
    """A notifier takes the files if there are any (a plain one never sees the keyword)."""
    if attachments:
        notifier.send(notification, attachments=attachments)
    else:
        notifier.send(notification)


def configured_notifier() -> Notifier | None:
    """E-mail when ``PHOIHOP_SMTP_HOST`` is set, the apprise channels of
    ``PHOIHOP_NOTIFY_URLS``, both, or None (the outbox alone)."""
    found: list[Any] = []
    smtp = SmtpNotifier.from_settings()
    if smtp is not None:
        found.append(smtp)
    urls = settings.current().notify_url_list
    if urls:
        found.append(AppriseNotifier(tuple(urls)))
    if not found:
        return None
    return found[0] if len(found) == 1 else Channels(tuple(found))


@dataclass(frozen=True)
class Delivery:
    sent: int
    failed: int

    def as_dict(self) -> dict[str, int]:
        return {"sent": self.sent, "failed": self.failed}


def deliver(notifier: Notifier | None, *, now: datetime, batch: int = 200) -> Delivery:
    """Send pending notifications through ``notifier``; no notifier, nothing to send.

    First, either way, the outbox is prepared (services.notices.prepare_outbox):
    letters the sweeps asked for are rendered and attached, the submissions
    digested, so the outbox holds them even when it is the only channel."""
    from services.notices import prepare_outbox

    prepare_outbox(now=now)
    if notifier is None:
        return Delivery(0, 0)
    sent = failed = 0
    _give_up_stale(now)
    started = time.monotonic()
    while True:
        # Every claim of this run is stamped ``now``. Another delivery takes a claim over
        # once it is STALE_CLAIM old, so this run stops claiming well before that: a
        # national outbox goes out over several runs, never twice.
        if time.monotonic() - started > STALE_CLAIM.total_seconds() / 3:
            return Delivery(sent, failed)
        claimed = _claim(now, batch)
        if not claimed:
            return Delivery(sent, failed)
        files = _attachments([n.id for n in claimed])
        for notification in claimed:
            try:
                _send(notifier, notification, files.get(notification.id, ()))
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
    return or_(due, _stale(now)) & (Notification.attempts < MAX_ATTEMPTS) & ~_letter_pending(now)


def _letter_pending(now: datetime) -> Any:
    """The message's urging letter is still being numbered or rendered (and recently)."""
    return exists().where(
        Document.escalation_id == Notification.escalation_id,
        Document.state.in_(("to_render", "numbered")),
        Document.created_at > now - LETTER_PATIENCE,
    )


def _attachments(ids: Sequence[int]) -> dict[int, list[Attached]]:
    """The stored documents attached to these messages, read once per claimed batch."""
    with db.reading() as session:
        rows = session.exec(
            select(
                OutboxAttachment.notification_id,
                Document.filename,
                Document.content_type,
                Document.data,
            )  # fmt: skip
            .join(Document, Document.id == OutboxAttachment.document_id)
            .where(OutboxAttachment.notification_id.in_(ids), Document.data.is_not(None))
            .order_by(OutboxAttachment.id)
        ).all()
    found: dict[int, list[Attached]] = {}
    for nid, name, kind, data in rows:
        found.setdefault(nid, []).append(
            Attached(name or "tai-lieu.docx", kind or "application/octet-stream", data)
        )
    return found


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
            next_attempt_at=row.next_attempt_at,
        )
