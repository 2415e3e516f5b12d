"""A draft kept across an expired session: typed, sent, "log in again", not lost.

When a form of the task page (submit, return, extend) is posted after the session
has expired, the handler of the 401 keeps the typed fields (never files: browsers
cannot re-send them) in a file of the data directory's ``drafts/`` (mode 0600, an
hour at most), names it in a signed cookie, and sends the browser to the login page
with the task page as the place to return to. The task page, shown after the login,
puts the draft back into its form and forgets it.

Only a browser that held a session of this server may leave a draft: the expired
session cookie must carry this server's signature and the posted CSRF token must be
that session's. Anyone else gets the plain login redirect, and nothing is written.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import time
from pathlib import Path
from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.requests import Request

from services import settings
from services.provision import MAX_REPORT_BYTES

COOKIE = "phoihop_draft"
MAX_AGE = 3600
FIELDS = ("text", "comment", "reason", "new_due_date", "decision")
FORM_PATH = re.compile(r"^/tasks/(\d{1,10})/(submit|review|extend)$")


def _folder() -> Path:
    return settings.data_dir() / "drafts"


def _serializer(request: Request) -> URLSafeTimedSerializer:
    from web.auth import secret_key

    return URLSafeTimedSerializer(secret_key(), salt="phoihop.draft")


def page_of(path: str) -> str | None:
    """The task page a form posts from, for a form path; None for anything else."""
    found = FORM_PATH.match(path)
    return f"/tasks/{found[1]}" if found else None


async def keep(request: Request, response: Any) -> None:
    """Keep the posted fields of an expired session's form, if the browser proves it
    is the one that held the session (see the module's notes)."""
    from web.auth import SESSION_COOKIE, signer

    page = page_of(request.url.path)
    cookie = request.cookies.get(SESSION_COOKIE)
    if page is None or request.method != "POST" or not cookie or len(cookie) > 4096:
        return
    try:
        old = signer(request)._session.loads(cookie)  # its age does not matter here
    except BadSignature:
        return
    data = await request.form(max_files=0, max_fields=40, max_part_size=MAX_REPORT_BYTES * 4)
    posted = data.get("csrf_token")
    if not (isinstance(old, dict) and isinstance(posted, str) and posted == old.get("c")):
        return
    form = request.url.path.rsplit("/", 1)[1]
    if form == "review":
        form = "return"
    fields = {k: v for k in FIELDS if isinstance(v := data.get(k), str)}
    if len(fields.get("text", "")) > MAX_REPORT_BYTES:
        return
    folder = _folder()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    for stale in folder.glob("*.json"):  # nothing kept longer than an hour
        if stale.stat().st_mtime < time.time() - MAX_AGE:
            stale.unlink(missing_ok=True)
    name = secrets.token_urlsafe(18)
    fd = os.open(folder / f"{name}.json", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump({"page": page, "form": form, "fields": fields}, handle, ensure_ascii=False)
    response.set_cookie(COOKIE, _serializer(request).dumps(name), max_age=MAX_AGE,
                        httponly=True, samesite="lax", path="/")  # fmt: skip


def take(request: Request) -> tuple[str, dict[str, str]] | None:
    """(form, fields) of the draft kept for this page, once; None if there is none."""
    raw = request.cookies.get(COOKIE)
    if not raw or len(raw) > 512:
        return None
    try:
        name = _serializer(request).loads(raw, max_age=MAX_AGE)
    except BadSignature:
        return None
    if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z0-9_-]{1,64}", name):
        return None
    path = _folder() / f"{name}.json"
    try:
        kept = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if kept.get("page") != request.url.path:
        return None
    path.unlink(missing_ok=True)
    request.state.draft_taken = True
    return str(kept.get("form", "")), dict(kept.get("fields", {}))
