"""Bounds on what a client may send, enforced before anything reads the body.

The services refuse a report over ``MAX_REPORT_BYTES`` and an attachment over
``MAX_ATTACHMENT_BYTES``; this middleware stops a request larger than a full
report plus one full-size attachment (base64-encoded) before it is buffered,
with a 413. Over the web, then, a version's attachments together must fit in
about one attachment's size, although each may be that large on the CLI: the
bound keeps a JSON body (held in memory whole) from reaching ~140 MiB.
"""

from __future__ import annotations

from typing import Any

from services.provision import MAX_ATTACHMENT_BYTES, MAX_REPORT_BYTES

MAX_REQUEST_BYTES = MAX_REPORT_BYTES + (MAX_ATTACHMENT_BYTES * 4) // 3 + 1024 * 1024


class BodyTooLarge(Exception):
    def __init__(self, limit: int) -> None:
        super().__init__(f"request body larger than {limit} bytes")
        self.limit = limit


class BodyLimit:
    """ASGI middleware: 413 on a declared Content-Length over the limit, and a byte count
    on the stream for bodies that do not declare one."""

    def __init__(self, app: Any, limit: int = MAX_REQUEST_BYTES) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = -1
                if declared < 0 or declared > self.limit:
                    await _refuse(scope, send, 400 if declared < 0 else 413, self.limit)
                    return
        seen = 0

        async def counting_receive() -> dict[str, Any]:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise BodyTooLarge(self.limit)
            return message

        await self.app(scope, counting_receive, send)


async def _refuse(scope: dict[str, Any], send: Any, status: int, limit: int) -> None:
    """JSON for the API; for a page (a form posted by a browser), the error page in the
    user's language, never a JSON text. The body is not read; the connection closes."""
    import json

    if not scope.get("path", "").startswith("/api") and "app" in scope:
        from starlette.requests import Request

        from web.render import error_page

        async def no_body() -> dict[str, Any]:
            return {"type": "http.request", "body": b"", "more_body": False}

        request = Request(scope, no_body)
        key, why = ("too_large", "too_large_hint") if status == 413 else ("bad_request", None)
        response = error_page(request, status, key, why=why)
        response.headers["connection"] = "close"
        await response(scope, no_body, send)
        return
    message = (
        f"request body larger than {limit} bytes" if status == 413 else "invalid Content-Length"
    )
    body = json.dumps({"error": message}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
