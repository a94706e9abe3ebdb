"""What one CastMatch process is made of: the features that attach to the engine and the
channels `castmatch serve` carries."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from adapters.slack.plugin import SlackPlugin
from adapters.whatsapp.plugin import WhatsAppPlugin
from bot.server import Channel
from bot.services import Services, Setup, open_services
from bot.settings import Settings
from memory.feature import setup as memory_setup
from talent.feature import setup as talent_setup
from talent.share_feature import setup as share_setup

# Talent first: memory's context reads the shortlists talent registers.
FEATURES: tuple[Setup, ...] = (talent_setup, memory_setup, share_setup)
CHANNELS: tuple[Channel, ...] = (SlackPlugin(), WhatsAppPlugin())


@contextlib.asynccontextmanager
async def open_castmatch(
    settings: Settings, *, features: bool = True, migrate_schema: bool = True
) -> AsyncIterator[Services]:
    """The services with every feature attached (or none, for commands that need none)."""
    async with open_services(
        settings, migrate_schema=migrate_schema, features=FEATURES if features else ()
    ) as services:
        yield services
