"""E-mail delivery of the outbox, against a real SMTP server on loopback (aiosmtpd)."""

from __future__ import annotations

import email
import socket
from collections.abc import Callable, Iterator
from email import policy
from email.message import EmailMessage
from email.utils import getaddresses
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlmodel import select

from models import AuditRecord, Notification
from services import db
from tests.steps import CYCLE, DEMO_DATA

Cli = Callable[..., Any]

FOCAL = "han.cn@svhttdl.bentre.example"
HEAD = "giamdoc@svhttdl.bentre.example"
LEADERSHIP = "thuongtruc@tinhuy.bentre.example"


class Collector:
    """An aiosmtpd handler keeping every envelope it receives."""

    def __init__(self) -> None:
        self.envelopes: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def messages(self) -> list[tuple[list[str], EmailMessage]]:
        return [
            (list(e.rcpt_tos), email.message_from_bytes(e.original_content, policy=policy.default))
            for e in self.envelopes
        ]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_port(monkeypatch: pytest.MonkeyPatch) -> int:
    port = free_port()
    monkeypatch.setenv("PHOIHOP_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("PHOIHOP_SMTP_PORT", str(port))
    monkeypatch.setenv("PHOIHOP_SMTP_FROM", "Ban Tuyên giáo Tỉnh ủy <btg@tinhuy.bentre.example>")
    return port


@pytest.fixture
def smtp_server(smtp_port: int) -> Iterator[Collector]:
    collector = Collector()
    controller = Controller(collector, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    try:
        yield collector
    finally:
        controller.stop()


@pytest.fixture
def one_body_late(open_cycle: Cli) -> Cli:
    """Every body but SO-VHTTDL has sent its report before the deadline."""
    for body in ("HDND", "UBND", "VKSND-v1", "TAND", "SO-TTTT", "SO-TP"):
        code = body.removesuffix("-v1")
        result = open_cycle(
            "submit", DEMO_DATA / "reports" / f"{body}.md", "--cycle", CYCLE, "--body", code,
            "--now", "2024-07-09T10:00",
        )  # fmt: skip
        assert result.code == 0, result.err
    return open_cycle


def sweep(cli: Cli, now: str) -> dict[str, Any]:
    result = cli("sweep", "--now", now, "--json")
    assert result.code == 0, result.err
    return result.json()


def outbox() -> list[Notification]:
    with db.reading() as session:
        return list(session.exec(select(Notification).order_by(Notification.id)).all())


def test_escalations_are_emailed_to_each_rung(one_body_late: Cli, smtp_server: Collector) -> None:
    expected = [
        ("2024-07-10T08:00", "Nhắc hạn gửi báo cáo", [FOCAL]),
        ("2024-07-13T08:00", "Đôn đốc gửi báo cáo (lần 1)", [FOCAL]),
        ("2024-07-17T08:00", "Đôn đốc gửi báo cáo (lần 2)", [FOCAL, HEAD]),
        ("2024-07-20T08:00", "Đôn đốc gửi báo cáo (lần 3)", [HEAD]),
    ]
    for now, _, _ in expected:
        assert sweep(one_body_late, now)["delivery"]["failed"] == 0

    messages = smtp_server.messages()
    rungs = [(to, m) for to, m in messages if m["Subject"].startswith(("Nhắc", "Đôn đốc"))]
    for (rcpt_tos, message), (_, subject, recipients) in zip(rungs, expected, strict=True):
        assert rcpt_tos == recipients
        assert [a for _, a in getaddresses([message["To"]])] == recipients
        assert message["Subject"].startswith(subject)
        assert message["Subject"].endswith(
            "kết quả thực hiện Quy chế phối hợp theo Quyết định số 238-QĐ/TW 6 tháng đầu năm 2024"
        )
        assert "báo cáo Báo cáo" not in message["Subject"]
        assert message["From"] == "Ban Tuyên giáo Tỉnh ủy <btg@tinhuy.bentre.example>"
        text = message.get_body(("plain",))
        assert text.get_content_charset() == "utf-8"
        body = text.get_content()
        assert body.startswith("Kính gửi: Sở Văn hóa, Thể thao và Du lịch.")
        assert "Công văn số 310-CV/BTGTU ngày 03/7/2024 của Ban Tuyên giáo Tỉnh ủy Bến Tre" in body
    # the formal levels (2 and 3) carry their numbered letter; level 1 does not
    files = [[p.get_filename() for p in m.iter_attachments()] for _, m in rungs]
    assert files[:2] == [[], []]
    assert files[2][0].startswith("cong-van-don-doc-") and files[2][0].endswith("-CV-BTGTU.docx")
    assert "quá hạn 8 ngày" in rungs[-1][1].get_body(("plain",)).get_content()
    # leadership: its own summary, not a copy of the body's message
    summary = [(to, m) for to, m in messages if LEADERSHIP in to]
    assert len(summary) == 1 and summary[0][1]["Subject"].startswith("Tình hình gửi báo cáo")

    rows = [n for n in outbox() if n.escalation_id is not None]
    assert [(n.status, n.attempts, n.error) for n in rows] == [("sent", 1, None)] * 4
    assert [n.sent_at.isoformat() for n in rows] == [
        "2024-07-10T01:00:00+00:00",
        "2024-07-13T01:00:00+00:00",
        "2024-07-17T01:00:00+00:00",
        "2024-07-20T01:00:00+00:00",
    ]

    # Sweeping again (same moment, then later) sends nothing more.
    count = len(smtp_server.envelopes)
    assert sweep(one_body_late, "2024-07-20T08:00")["delivery"] == {"sent": 0, "failed": 0}
    assert sweep(one_body_late, "2024-07-30T08:00")["delivery"] == {"sent": 0, "failed": 0}
    assert len(smtp_server.envelopes) == count
    with db.reading() as session:
        sent = session.exec(
            select(AuditRecord).where(AuditRecord.action == "notification.sent")
        ).all()
    assert len(sent) == count


def test_mail_headers_follow_the_standards(one_body_late: Cli, smtp_server: Collector) -> None:
    """Date and Message-ID; RFC 2047 words of at most 75 characters on lines of at most 78,
    split at spaces so a name reads whole; the text quoted-printable; file names NFC."""
    import re
    import unicodedata
    from email.header import decode_header, make_header

    sweep(one_body_late, "2024-07-17T08:00")
    raws = [e.original_content for e in smtp_server.envelopes]
    assert raws
    for raw in raws:
        head = raw.split(b"\r\n\r\n", 1)[0]
        assert all(len(line) <= 78 for line in head.split(b"\r\n"))
        for word in re.findall(rb"=\?[^?]+\?[bBqQ]\?[^?]*\?=", head):
            assert len(word) <= 75
        message = email.message_from_bytes(raw, policy=policy.default)
        assert message["Date"] and message["Message-ID"].startswith("<phoihop-outbox-")
        plain = message.get_body(("plain",))
        assert plain["Content-Transfer-Encoding"] in ("quoted-printable", "base64")
        # RFC 2047 reading (folding between words dropped) gives the names whole
        raw_to = re.search(rb"\r\nTo: (.*?)\r\n(?! )", raw, re.S).group(1).decode()
        decoded = str(make_header(decode_header(raw_to.replace("\r\n", ""))))
        assert "  " not in decoded
    letter_mail = next(
        email.message_from_bytes(r, policy=policy.default)
        for r in raws
        if b"Content-Disposition: attachment" in r
    )
    subject = str(letter_mail["Subject"])
    assert subject.startswith("Đôn đốc gửi báo cáo (lần 2): kết quả thực hiện Quy chế")
    names = [p.get_filename() for p in letter_mail.iter_attachments()]
    assert names and all(unicodedata.is_normalized("NFC", n) for n in names)
    to_vhttdl = next(r for r in raws if FOCAL.encode() in r)
    raw_to = re.search(rb"\r\nTo: (.*?)\r\n(?! )", to_vhttdl, re.S).group(1).decode()
    decoded = str(make_header(decode_header(raw_to.replace("\r\n", ""))))
    assert decoded == f"Châu Ngọc Hân <{FOCAL}>, Phan Thanh Tùng <{HEAD}>"


def test_server_down_keeps_messages_pending_until_it_is_up(
    one_body_late: Cli, smtp_port: int
) -> None:
    result = sweep(one_body_late, "2024-07-17T08:00")  # level 2 (level 1 skipped with it)
    assert result["escalations"] == 1
    assert result["delivery"]["sent"] == 0 and result["delivery"]["failed"] >= 1
    rows = [n for n in outbox() if n.escalation_id is not None]
    assert [n.status for n in rows] == ["pending"]
    assert all(n.attempts == 1 and "ConnectionRefusedError" in (n.error or "") for n in rows)
    with db.reading() as session:
        failures = session.exec(
            select(AuditRecord).where(AuditRecord.action == "notification.failed")
        ).all()
    mine = [f for f in failures if f.detail["notification"] == rows[0].id]
    assert len(mine) == 1 and "ConnectionRefusedError" in mine[0].detail["error"]
    listed = one_body_late("outbox", "list", "--status", "pending", "--now", "2024-07-17T09:00",
                           "--json").json()  # fmt: skip
    assert len(listed) == 9 and all(r["error"] for r in listed)  # + 7 notices and a digest

    collector = Collector()
    controller = Controller(collector, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    try:
        result = sweep(one_body_late, "2024-07-17T10:00")
    finally:
        controller.stop()
    assert (result["escalations"], result["delivery"]) == (0, {"sent": 9, "failed": 0})
    assert [FOCAL, HEAD] in [rcpt for rcpt, _ in collector.messages()]
    assert {(n.status, n.attempts, n.error) for n in outbox()} == {("sent", 2, None)}


def test_without_smtp_the_outbox_keeps_everything(one_body_late: Cli) -> None:
    assert sweep(one_body_late, "2024-07-13T08:00")["delivery"] == {"sent": 0, "failed": 0}
    rungs = [n for n in outbox() if n.escalation_id is not None]
    assert [(n.status, n.attempts) for n in rungs] == [("pending", 0)]
