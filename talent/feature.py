"""The talent feature's start-up hook: open the index (and load the sample), register tools."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from talent import (
    auditions_jobs,
    auditions_tools,
    erase,
    holds_moves,
    holds_tools,
    kept_moves,
    media_route,
    moves,
    search_feature,
    tools,
)
from talent.auditions_guest import Guests
from talent.context import WorkspaceShortlists
from talent.media_store import media_store

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)


async def setup(services: Services) -> None:
    await search_feature.setup(services)  # the index, and the sample on a new embedded database
    tools.register(services.tools)
    holds_tools.register(services.tools)
    auditions_tools.register(services.tools)
    auditions_jobs.register(services)  # invitations and reminders run on the job queue
    services.guests.append(Guests(services))  # talent answering invitations
    services.routes[media_route.PATH] = media_route.handler(services)  # stored headshots
    if services.settings.s3_bucket:  # say at start-up, not at the first headshot
        services.spawn(_check_bucket(services), name="media-bucket-check")
    services.erasers.append(lambda channel, user: erase.forget_number(services, channel, user))
    services.erasers.append(lambda channel, user: erase.pseudonymise(services, channel, user))
    services.directory.movers.append(holds_moves.mover())  # these two before the projects merge
    services.directory.movers.append(kept_moves.mover())
    services.directory.movers.append(moves.mover())
    services.shortlists = WorkspaceShortlists(  # for memory's context
        services.sessions, services.redis, services.settings.redis_namespace
    )


async def _check_bucket(services: Services) -> None:
    try:
        await media_store(services).check()
    except OSError as exc:
        log.error("CASTMATCH_S3_BUCKET can't be used (%s): media won't be kept until it can", exc)
