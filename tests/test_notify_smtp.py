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
        ("2024-07-13T08:00", "Đôn đốc (lần 1) gửi báo cáo", [FOCAL]),
        ("2024-07-17T08:00", "Đôn đốc (lần 2) gửi báo cáo", [FOCAL, HEAD]),
        ("2024-07-20T08:00", "Đôn đốc (lần 3) gửi báo cáo", [HEAD, LEADERSHIP]),
    ]
    for i, (now, _, _) in enumerate(expected, start=1):
        assert sweep(one_body_late, now)["delivery"] == {"sent": 1, "failed": 0}
        assert len(smtp_server.envelopes) == i

    messages = smtp_server.messages()
    for (rcpt_tos, message), (_, subject, recipients) in zip(messages, expected, strict=True):
        assert rcpt_tos == recipients
        assert [a for _, a in getaddresses([message["To"]])] == recipients
        assert message["Subject"].startswith(subject)
        assert message["Subject"].endswith(
            "Báo cáo kết quả thực hiện Quy chế phối hợp theo Quyết định số 238-QĐ/TW "
            "(6 tháng đầu năm 2024)"
        )
        assert message["From"] == "Ban Tuyên giáo Tỉnh ủy <btg@tinhuy.bentre.example>"
        assert message.get_content_charset() == "utf-8"
        body = message.get_content()
        assert body.startswith("Kính gửi: Sở Văn hóa, Thể thao và Du lịch.")
        assert "Công văn số 310-CV/BTGTU ngày 03/07/2024 của Ban Tuyên giáo Tỉnh ủy Bến Tre" in body

    to_names = [n for n, _ in getaddresses([messages[-1][1]["To"]])]
    assert to_names == ["Phan Thanh Tùng", "Thường trực Tỉnh ủy Bến Tre"]
    assert "quá hạn 8 ngày" in messages[-1][1].get_content()

    rows = outbox()
    assert [(n.status, n.attempts, n.error) for n in rows] == [("sent", 1, None)] * 4
    assert [n.sent_at.isoformat() for n in rows] == [
        "2024-07-10T01:00:00+00:00",
        "2024-07-13T01:00:00+00:00",
        "2024-07-17T01:00:00+00:00",
        "2024-07-20T01:00:00+00:00",
    ]

    # Sweeping again (same moment, then later) sends nothing more.
    assert sweep(one_body_late, "2024-07-20T08:00")["delivery"] == {"sent": 0, "failed": 0}
    assert sweep(one_body_late, "2024-07-30T08:00")["delivery"] == {"sent": 0, "failed": 0}
    assert len(smtp_server.envelopes) == 4
    with db.reading() as session:
        sent = session.exec(
            select(AuditRecord).where(AuditRecord.action == "notification.sent")
        ).all()
    assert len(sent) == 4


def test_server_down_keeps_messages_pending_until_it_is_up(
    one_body_late: Cli, smtp_port: int
) -> None:
    result = sweep(one_body_late, "2024-07-17T08:00")  # level 2 (level 1 skipped with it)
    assert result["escalations"] == 1
    assert result["delivery"] == {"sent": 0, "failed": 1}
    rows = outbox()
    assert [n.status for n in rows] == ["pending"]
    assert all(n.attempts == 1 and "ConnectionRefusedError" in (n.error or "") for n in rows)
    with db.reading() as session:
        failures = session.exec(
            select(AuditRecord).where(AuditRecord.action == "notification.failed")
        ).all()
    assert len(failures) == 1 and "ConnectionRefusedError" in failures[0].detail["error"]
    listed = one_body_late("outbox", "list", "--status", "pending", "--now", "2024-07-17T09:00",
                           "--json").json()  # fmt: skip
    assert len(listed) == 1 and all(r["error"] for r in listed)

    collector = Collector()
    controller = Controller(collector, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    try:
        result = sweep(one_body_late, "2024-07-17T10:00")
    finally:
        controller.stop()
    assert (result["escalations"], result["delivery"]) == (0, {"sent": 1, "failed": 0})
    assert [rcpt for rcpt, _ in collector.messages()] == [[FOCAL, HEAD]]
    assert [(n.status, n.attempts, n.error) for n in outbox()] == [("sent", 2, None)]


def test_without_smtp_the_outbox_keeps_everything(one_body_late: Cli) -> None:
    assert sweep(one_body_late, "2024-07-13T08:00")["delivery"] == {"sent": 0, "failed": 0}
    assert [(n.status, n.attempts) for n in outbox()] == [("pending", 0)]
