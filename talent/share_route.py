"""`/s/<token>` on `castmatch serve`: the shared shortlist page and the director's marks.

GET renders the page (jinja2, autoescaped); POST records a yes / maybe / no and a comment
in the shortlist history as "director via shared link", tells the team where the role is
discussed, and sends the director back to the page. A tampered token gets 404 and an
expired or revoked one 410, each with a plain sentence.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TYPE_CHECKING
from urllib.parse import quote

from aiohttp import web
from jinja2 import Environment, PackageLoader, select_autoescape

from bot.db import utcnow
from talent import share_news
from talent.models import ShortlistEvent
from talent.share_links import Gone, Opened, Tampered, open_link
from talent.share_view import DECISIONS, DIRECTOR, ShortlistPage, load

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)

PATH = "/s/{token}"
MAX_COMMENT = 1000
HEADERS = {
    "Cache-Control": "no-store",
    "X-Robots-Tag": "noindex, nofollow",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; img-src http: https:; "
    "style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
}
TAMPERED = "This shortlist link is not valid. Check that it was copied in full."
GONE = "This shortlist link has expired or was withdrawn. Ask the casting team for a new one."

_templates = Environment(
    loader=PackageLoader("talent", "templates"),
    autoescape=select_autoescape(("html",)),
    trim_blocks=True,
    lstrip_blocks=True,
)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def render(page: ShortlistPage, *, action: str, expires: datetime | None, saved: str) -> str:
    return _templates.get_template("shortlist.html").render(
        page=page,
        action=action,
        decisions=DECISIONS,
        expires=expires.strftime("%d %b %Y, %H:%M UTC") if expires else "",
        saved=saved,
    )


async def _opened(services: Services, request: web.Request) -> Opened:
    try:
        return await open_link(services, request.match_info["token"])
    except Tampered:
        raise web.HTTPNotFound(text=TAMPERED, headers=HEADERS) from None
    except Gone:
        raise web.HTTPGone(text=GONE, headers=HEADERS) from None


def page_handler(services: Services) -> Handler:
    async def show(request: web.Request) -> web.StreamResponse:
        opened = await _opened(services, request)
        page = await load(services, opened.role)
        saved = request.query.get("saved", "")
        names = {c.talent_id: c.name for c in page.candidates}
        html = render(
            page, action=request.path, expires=opened.link.expires_at, saved=names.get(saved, "")
        )
        return web.Response(text=html, content_type="text/html", headers=HEADERS)

    return show


def decide_handler(services: Services) -> Handler:
    async def decide(request: web.Request) -> web.StreamResponse:
        opened = await _opened(services, request)
        form = await request.post()
        talent_id = str(form.get("talent_id") or "")
        decision = str(form.get("decision") or "").strip().lower()
        comment = str(form.get("comment") or "").strip()
        if decision not in DECISIONS:
            raise web.HTTPBadRequest(text="Choose yes, maybe or no.", headers=HEADERS)
        if len(comment) > MAX_COMMENT:
            raise web.HTTPBadRequest(
                text=f"A comment may be at most {MAX_COMMENT} characters.", headers=HEADERS
            )
        page = await load(services, opened.role)
        candidate = next((c for c in page.candidates if c.talent_id == talent_id), None)
        if candidate is None:
            raise web.HTTPBadRequest(text="That person is not on this shortlist.", headers=HEADERS)
        async with services.sessions() as session, session.begin():
            session.add(
                ShortlistEvent(
                    workspace=opened.role.workspace,
                    role_pk=opened.role.pk,
                    talent_id=talent_id,
                    action="director",
                    detail={"decision": decision, "comment": comment},
                    actor=DIRECTOR,
                    at=utcnow(),
                )
            )
        services.spawn(
            share_news.tell_team(services, opened, candidate.name, decision, comment),
            name="shortlist-director-news",
        )
        raise web.HTTPSeeOther(f"{request.path}?saved={quote(talent_id)}#c-{quote(talent_id)}")

    return decide
