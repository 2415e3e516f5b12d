"""Every failure becomes a clear answer with the right status, never a traceback.

The API answers JSON ``{"error": "..."}``; pages answer a small HTML page
(or, when not logged in, a redirect to the login page). Service errors map by
type: NotFound → 404, Conflict → 409, any other UserError → 400; schema
violations (including malformed JSON) → 422; a refusal → 403 that names
nothing; an oversized body → 413. Anything else is a bug: logged, and a bare
500 that leaks no detail.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from rules.errors import Conflict, NotFound, UserError
from web.auth import AuthError, Forbidden
from web.limits import BodyTooLarge

log = logging.getLogger("phoihop.web")


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api")


def api_lang(query: str | None, cookie: str | None, accept: str | None) -> str:
    """The API's language: ``?lang=``, else the page's cookie, else ``Accept-Language``
    (English when it names English first), else Vietnamese."""
    for candidate in (query, cookie):
        if candidate in ("vi", "en"):
            return candidate
    first = (accept or "").split(",")[0].strip().lower()
    return "en" if first.startswith("en") else "vi"


def _json(status: int, message: str, request: Request | None = None, **extra: Any) -> JSONResponse:
    """``{"error": ...}`` in the caller's language (rules.error_text); a Vietnamese answer
    also carries the service's own English words as ``error_en`` for scripts and logs."""
    from rules.error_text import for_user
    from web.i18n import LANG_COOKIE, MESSAGES

    body: dict[str, Any] = {"error": message}
    if request is not None:
        lang = api_lang(request.query_params.get("lang"), request.cookies.get(LANG_COOKIE),
                        request.headers.get("accept-language"))  # fmt: skip
        key = {403: "forbidden", 404: "not_found"}.get(status, "bad_request")
        generic = MESSAGES[key][0]  # the pages' own words
        text, _untranslated = for_user(message, lang, generic)
        body = {"error": text} | ({"error_en": message} if lang == "vi" else {})
    return JSONResponse(body | extra, status_code=status)


def _page(
    request: Request, status: int, key: str, message: str | None = None, **extra: Any
) -> Response:
    from web.render import error_page

    return error_page(request, status, key, message, **extra)


def _forbidden_page(request: Request, exc: Forbidden) -> Response:
    """Why (in general terms: nothing of what was asked is named) and whom to ask."""
    from web import auth, queries

    if exc.csrf:
        return _page(request, 403, "forbidden", why="forbidden_csrf")
    who = auth.session_principal(request)
    try:
        contacts = queries.focal_contacts(who.body_id if who else None)
    except Exception:  # the refusal must be answered even if the lookup fails
        log.exception("focal contacts for a 403")
        contacts = []
    return _page(request, 403, "forbidden", why="forbidden_why", contacts=contacts)


def _status_of(exc: UserError) -> int:
    if isinstance(exc, NotFound):
        return 404
    if isinstance(exc, Conflict):
        return 409
    return 400


def _validation_summary(exc: RequestValidationError) -> tuple[str, list[dict[str, Any]]]:
    """The first problem in words, and the list without echoing the (maybe huge) input."""
    problems = []
    for err in exc.errors()[:20]:
        loc = ".".join(str(part) for part in err.get("loc", ()) if part != "body") or "body"
        problems.append({"loc": loc, "msg": str(err.get("msg", ""))[:300], "type": err.get("type")})
    first = problems[0] if problems else {"loc": "body", "msg": "invalid request"}
    return f"invalid request: {first['loc']}: {first['msg']}", problems


def install(app: FastAPI) -> None:
    @app.exception_handler(UserError)
    async def user_error(request: Request, exc: UserError) -> Response:
        status = _status_of(exc)
        if is_api(request):
            blockers = getattr(exc, "blockers", None)  # rules.report.ClosingBlocked
            extra = {} if blockers is None else {"blockers": jsonable_encoder(blockers)}
            return _json(status, str(exc), request, **extra)
        key = {404: "not_found", 409: "bad_request"}.get(status, "bad_request")
        return _page(request, status, key, str(exc))

    @app.exception_handler(AuthError)
    async def auth_error(request: Request, exc: AuthError) -> Response:
        if is_api(request):
            response = _json(401, exc.message, request)
            response.headers["WWW-Authenticate"] = 'Bearer realm="phoihop"'
            return response
        from web import drafts

        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        if request.method == "POST":  # return to the page the form was on, not to a POST URL
            target = drafts.page_of(request.url.path) or "/"
        response = RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
        try:
            await drafts.keep(request, response)
        except Exception:  # a draft that cannot be kept must not stop the login redirect
            log.exception("keeping a draft across an expired session")
        return response

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, exc: Forbidden) -> Response:
        if is_api(request):
            return _json(403, "forbidden", request)
        return _forbidden_page(request, exc)

    @app.exception_handler(BodyTooLarge)
    async def too_large(request: Request, exc: BodyTooLarge) -> Response:
        message = f"request body larger than {exc.limit} bytes"
        if is_api(request):
            return _json(413, message, request)
        return _page(request, 413, "too_large", why="too_large_hint")

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        message, problems = _validation_summary(exc)
        if is_api(request):
            return _json(422, message, request, detail=problems)
        return _page(request, 422, "bad_request", why="invalid_hint")  # no pydantic words

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = str(exc.detail)
        if is_api(request):
            response = _json(exc.status_code, message, request)
        else:
            key = {404: "not_found", 403: "forbidden", 413: "too_large"}.get(
                exc.status_code, "bad_request"
            )
            response = _page(request, exc.status_code, key)
        for name, value in (exc.headers or {}).items():
            response.headers[name] = value
        return response

    @app.exception_handler(Exception)
    async def bug(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return (
            _json(500, "internal error", request)
            if is_api(request)
            else _page(request, 500, "bad_request", why="internal_hint")
        )
