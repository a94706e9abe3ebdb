"""`GET /media/<token>` on `castmatch serve`: a stored file by its unguessable token (how
Slack cards, WhatsApp replies and pages show a headshot kept from WhatsApp). Links for
Slack and WhatsApp are made only when CASTMATCH_PUBLIC_URL says where the server is
reachable; the shared shortlist page, served here too, links relatively. With S3 configured
any replica serves any file; with the data folder, only the replica that received it."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from talent.auditions_models import Media
from talent.media_store import LocalStore, media_store

if TYPE_CHECKING:
    from aiohttp import web

    from bot.services import Services

PATH = "/media/{token}"
_TOKEN = re.compile(r"^[0-9a-f]{32}$")


def handler(services: Services) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    from aiohttp import web  # only the server needs it, not a search from the shell

    async def serve(request: web.Request) -> web.StreamResponse:
        token = request.match_info["token"]
        if not _TOKEN.match(token):
            raise web.HTTPNotFound()
        async with services.sessions() as session:
            row = (
                await session.execute(
                    select(Media.key, Media.content_type).where(Media.token == token)
                )
            ).first()
        if row is None:
            raise web.HTTPNotFound()
        headers = {"Content-Type": row.content_type, "Cache-Control": "private, max-age=3600"}
        store = media_store(services)
        if isinstance(store, LocalStore):
            path = store.path(row.key)
            if not path.is_file():
                raise web.HTTPNotFound()  # kept on another replica's disk, or erased
            return web.FileResponse(path, headers=headers)
        try:
            data = await store.read(row.key)  # within CASTMATCH_MEDIA_MAX_MB
        except OSError:
            raise web.HTTPServiceUnavailable(headers={"Retry-After": "30"}) from None
        if data is None:
            raise web.HTTPNotFound()
        return web.Response(body=data, headers=headers)

    return serve


async def headshots(
    services: Services, workspace: str, talent_ids: list[str], *, relative: bool = False
) -> dict[str, str]:
    """The newest stored headshot's link per person: absolute (none without a public URL),
    or `relative` to this server for pages it serves itself."""
    base = "" if relative else services.settings.public_url
    if (not base and not relative) or not workspace or not talent_ids:
        return {}
    newest = (
        select(Media.talent_id, func.max(Media.pk).label("pk"))
        .where(Media.workspace == workspace, Media.talent_id.in_(talent_ids),
               Media.kind == "headshot")
        .group_by(Media.talent_id)
        .subquery()
    )  # fmt: skip
    async with services.sessions() as session:
        rows = (
            await session.execute(
                select(Media.talent_id, Media.token).join(newest, newest.c.pk == Media.pk)
            )
        ).all()
    return {talent_id: f"{base}/media/{token}" for talent_id, token in rows}
