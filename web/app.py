"""The ASGI application: ``create_app()`` is all ``phoihop serve`` (or uvicorn) needs.

It reads everything from the environment through the usual places: the
database from ``services.settings`` (``PHOIHOP_DATA_DIR`` /
``PHOIHOP_DATABASE_URL``), the clock from ``services.clock`` (``PHOIHOP_NOW``)
and the signing secret from ``PHOIHOP_SECRET_KEY`` or ``secret.key`` in the
data directory (created with mode 0600 on first start).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from itsdangerous import URLSafeSerializer

from services import accounts, db, settings
from web import accounts_pages, api, auth, errors, pages, request_pages
from web.limits import BodyLimit
from web.writes import Folded, Writer

STATIC = Path(__file__).resolve().parent / "static"

DESCRIPTION = """\
The HTTP face of phoihop: reporting cycles between Vietnamese agencies.

Authenticate with `Authorization: Bearer <token>` (issue one with
`phoihop tokens issue USERNAME`). Errors are JSON `{"error": "..."}`:
400 refused by a rule, 401 no or bad token, 403 not yours, 404 unknown,
409 conflicts with the current state, 413 too large, 422 malformed input.
"""


def create_app() -> FastAPI:
    """Build the application (API, pages, static files) on the configured database."""
    settings.current()  # a bad setting stops the start with one line, not a request later
    db.engine()  # an empty database is created; one behind the schema's head is refused
    secret = auth.secret_key()
    app = FastAPI(
        title="phoihop",
        version="0.1.0",
        description=DESCRIPTION,
        openapi_url="/api/openapi.json",
        docs_url="/api/docs",
        redoc_url=None,
    )
    app.state.flash = URLSafeSerializer(secret, salt="phoihop.flash")
    app.state.writer = Writer(db.engine().dialect.name)
    app.state.token_uses = Folded(app.state.writer, accounts.record_token_uses)
    app.router.on_shutdown.append(app.state.writer.shutdown)
    app.state.signer = auth.Signer(secret)
    errors.install(app)
    app.include_router(api.public)
    app.include_router(api.router)
    app.include_router(pages.router)
    app.include_router(request_pages.router)  # the ad-hoc request form
    app.include_router(accounts_pages.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    app.add_middleware(SecurityHeaders)
    app.add_middleware(BodyLimit)
    return app


_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
]
_CSP = (
    b"default-src 'self'; style-src 'self'; img-src 'self' data:; "
    b"form-action 'self'; frame-ancestors 'none'"
)


class SecurityHeaders:
    """Pure ASGI (no buffering): nosniff, no framing, and a CSP for pages.

    The pages use no script at all, so the CSP forbids any; the API docs page
    (Swagger UI, loaded from a CDN) is left without it.
    """

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        csp = not scope.get("path", "").startswith("/api/docs")

        async def send_with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [(n, v) for n, v in _HEADERS if n not in present]
                if csp and b"content-security-policy" not in present:
                    headers.append((b"content-security-policy", _CSP))
                message = message | {"headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
