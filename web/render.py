"""Rendering pages: one Jinja2 environment with autoescaping on, and what every page gets.

Autoescape is on for every template, so anything a user typed (a report, a
comment, a body's name) is shown as text: a ``<script>`` in a submission
appears as the characters ``<script>``. Every page receives the translator,
the logged-in principal, the CSRF token for its forms and the flash message
of the previous action.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from itsdangerous import BadSignature, URLSafeSerializer
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from rules import scorecard
from rules.error_text import for_user
from rules.tasks import BUCKETS
from rules.timezone import vn_date, vn_datetime
from services.calendars import load_calendar
from web import auth, i18n

TEMPLATES = Path(__file__).resolve().parent / "templates"
FLASH_COOKIE = "phoihop_flash"

_env = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_env.filters["d"] = vn_date
_env.filters["dt"] = vn_datetime
_env.filters["pct"] = scorecard.percent
_env.filters["days"] = scorecard.mean_days
_env.filters["provisional"] = lambda d: load_calendar().provisional(d)
_env.globals["buckets"] = BUCKETS  # every bar, legend and count column in one order


def lang_of(request: Request) -> str:
    return i18n.pick_lang(request.query_params.get("lang"), request.cookies.get(i18n.LANG_COOKIE))


def _flash_serializer(request: Request) -> URLSafeSerializer:
    return request.app.state.flash


def _read_flash(request: Request) -> dict[str, str] | None:
    raw = request.cookies.get(FLASH_COOKIE)
    if not raw or len(raw) > 4096:
        return None
    try:
        data = _flash_serializer(request).loads(raw)
    except BadSignature:
        return None
    return data if isinstance(data, dict) else None


def redirect(
    request: Request,
    url: str,
    *,
    ok: str | None = None,
    error: str | None = None,
    params: dict[str, str] | None = None,
    notes: list[str] | None = None,
) -> Response:
    """A 303 after a POST, carrying a one-shot message (a message key, or an error text);
    ``params`` fill the key's ``{names}``, ``notes`` are lines already in the user's
    language shown under it (a due date the calendar moved, the next report to read)."""
    response = RedirectResponse(url, status_code=303)
    if ok or error:
        payload: dict[str, Any] = (
            {"kind": "ok", "key": ok} if ok else {"kind": "error", "text": error or ""}
        )
        if params:
            payload["params"] = params
        if notes:
            payload["notes"] = notes
        response.set_cookie(
            FLASH_COOKIE,
            _flash_serializer(request).dumps(payload),
            max_age=60,
            httponly=True,
            samesite="lax",
            path="/",
        )
    return response


def page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    lang = lang_of(request)
    t = i18n.Translator(lang)
    flash = _read_flash(request)
    message = None
    if flash:
        notes = flash.get("notes")
        message = {"kind": flash.get("kind", "ok"), "detail": None,
                   "notes": [n for n in notes if isinstance(n, str)] if isinstance(notes, list)
                   else []}  # fmt: skip
        if flash.get("key"):
            params = flash.get("params")
            message["text"] = t(flash["key"])
            if isinstance(params, dict):
                message["text"] = message["text"].format(**params)
        else:  # a service's message, in the user's language (rules.error_text)
            message["text"], message["detail"] = for_user(
                flash.get("text", ""), lang, t("bad_request")
            )

    def url_with(**params: Any) -> str:
        """The current URL with some query parameters replaced (pagination, language)."""
        merged = dict(request.query_params) | {k: str(v) for k, v in params.items()}
        return f"{request.url.path}?{urlencode(merged)}"

    html = _env.get_template(template).render(
        t=t,
        lang=lang,
        user=auth.session_principal(request),
        csrf=auth.csrf_token(request),
        flash=message,
        url_with=url_with,
        path=request.url.path,
        **context,
    )
    response = HTMLResponse(html, status_code=status)
    response.headers["Cache-Control"] = "no-store"
    auth.set_presession(response, request)
    if flash:
        response.delete_cookie(FLASH_COOKIE, path="/")
    if request.query_params.get("lang") in i18n.LANGS:
        response.set_cookie(
            i18n.LANG_COOKIE, lang, max_age=365 * 86400, samesite="lax", httponly=True, path="/"
        )
    return response


def error_page(
    request: Request, status: int, key: str, message: str | None = None, **extra: Any
) -> Response:
    """An error page: the status, a line in the user's language, and what to do next."""
    context = {"why": None, "contacts": []} | extra
    detail = None
    if message:
        lang = lang_of(request)
        message, detail = for_user(message, lang, i18n.Translator(lang)(key))
    context["detail"] = detail
    try:
        return page(request, "error.html", status=status, key=key, message=message, code=status,
                    **context)  # fmt: skip
    except Exception:  # the error page itself must never fail
        return HTMLResponse(f"<h1>{status}</h1>", status_code=status)
