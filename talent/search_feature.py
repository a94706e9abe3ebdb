"""What a search from the shell attaches: the catalogue's index, and the sample catalogue the
first time the embedded database is made. The bots' tools, jobs and routes (`talent.feature`)
are left out, so `castmatch talent search` doesn't import or start them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from talent.index import catalogue_index
from talent.sample import load_sample_catalogue

if TYPE_CHECKING:
    from bot.services import Services


async def setup(services: Services) -> None:
    await catalogue_index(services)
    if services.fresh_database and services.settings.sample_catalogue:
        # only ever the embedded default: a configured DATABASE_URL is never "fresh"
        await load_sample_catalogue(services)
