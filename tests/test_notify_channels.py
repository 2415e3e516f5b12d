"""Another channel besides e-mail (apprise, PHOIHOP_NOTIFY_URLS): a JSON webhook on loopback."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from tests.test_notify_smtp import free_port, outbox, sweep

Cli = Callable[..., Any]


class Receiver(ThreadingHTTPServer):
    posts: list[dict[str, Any]]


class Handler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length") or 0)
        self.server.posts.append(json.loads(self.rfile.read(length)))  # type: ignore[attr-defined]
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def webhook(monkeypatch: pytest.MonkeyPatch) -> Iterator[Receiver]:
    server = Receiver(("127.0.0.1", free_port()), Handler)
    server.posts = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("PHOIHOP_NOTIFY_URLS", f"json://127.0.0.1:{server.server_port}/phoihop")
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def test_the_outbox_goes_to_a_json_webhook_with_its_letter(
    open_cycle: Cli, webhook: Receiver
) -> None:
    result = sweep(open_cycle, "2024-07-17T08:00")  # level 2: formal, with letters
    assert result["delivery"]["failed"] == 0 and result["delivery"]["sent"] == len(webhook.posts)
    titles = [p["title"] for p in webhook.posts]
    assert sum(t.startswith("Đôn đốc gửi báo cáo (lần 2)") for t in titles) == 7
    assert sum(t.startswith("Đề nghị báo cáo") for t in titles) == 7  # the opening notices
    urging = next(
        p for p in webhook.posts if "Sở Văn hóa" in p["message"] and "lần 2" in p["title"]
    )
    assert urging["message"].startswith("Gửi: Châu Ngọc Hân, Phan Thanh Tùng")
    files = urging.get("attachments") or []
    assert [f["filename"] for f in files] and files[0]["filename"].endswith("-CV-BTGTU.docx")
    assert {n.status for n in outbox()} == {"sent"}  # the outbox stays the source of truth


def test_a_channel_that_refuses_leaves_the_message_pending(
    open_cycle: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PHOIHOP_NOTIFY_URLS", f"json://127.0.0.1:{free_port()}/nobody")
    result = sweep(open_cycle, "2024-07-13T08:00")
    assert result["delivery"]["sent"] == 0 and result["delivery"]["failed"] > 0
    assert {n.status for n in outbox()} == {"pending"}
    assert all("apprise" in (n.error or "") for n in outbox())
