"""The ad-hoc request page: ``GET /requests/new`` and ``POST /requests``.

A coordinator asks for a report outside any regular period on a form; the post is
the same service call as ``phoihop request open`` and ``POST /api/requests``
(services.requests), and answers with a redirect to the new cycle's page. Its own
module, beside :mod:`web.pages`, whose helpers (form, field, write) it uses.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from rules.errors import UserError
from rules.timezone import local_date
from services import clock
from web.pages import coordinator, day_field, field, form, write
from web.render import page, redirect

router = APIRouter(include_in_schema=False)


@router.get("/requests/new")
def request_form(request: Request) -> Response:
    """The form; the body codes it suggests are every body but the coordinator's own."""
    from services.registry import list_bodies

    who = coordinator(request, "ad-hoc request: not a coordinator")
    bodies = [(b.code, b.name) for b in list_bodies() if b.code != who.body_code]
    return page(request, "request.html", bodies=bodies, today=local_date(clock.now()))


@router.post("/requests")
async def open_request(request: Request) -> Response:
    """Open the request in the name of the coordinator's body, then show its cycle."""
    from rules.adhoc import outline_from_markdown
    from services.requests import Request as Asked
    from services.requests import open_request as run

    who = coordinator(request, "ad-hoc request: not a coordinator")
    data = await form(request)
    try:
        within_text = field(data, "within", 8)
        if within_text and not within_text.isdigit():
            raise UserError(f"not a whole number: {within_text!r}")
        outline_text = field(data, "outline", 20000)
        asked = Asked(
            coordinator=who.body_code,
            subject=field(data, "subject", 500),
            letter_no=field(data, "letter_no", 64),
            letter_date=day_field(data, "letter_date"),
            due=day_field(data, "due"),
            within=int(within_text) if within_text else None,
            bodies=field(data, "bodies", 20000).replace("\n", ",").split(","),
            outline=outline_from_markdown(outline_text, "the outline") if outline_text else None,
        )
        opened = await write(request, run, asked, now=clock.now(), actor=who.username)
    except UserError as exc:  # an unknown body too: said on the form, not as a 404 page
        return redirect(request, "/requests/new", error=str(exc))
    return redirect(request, f"/cycles/{opened.cycle.id}", ok="adhoc_opened_msg")
