"""WhatsApp (Twilio) as a channel of `castmatch serve`: its webhook routes and its closer for
replies a crashed process left unfinished."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aiohttp import web

from bot.settings import Settings

if TYPE_CHECKING:
    from bot.engine import Engine
    from bot.services import Services


class WhatsAppPlugin:
    name = "whatsapp"

    def enabled(self, settings: Settings) -> bool:
        return settings.whatsapp_enabled

    def setup(self, app: web.Application, services: Services, engine: Engine) -> None:
        from adapters.whatsapp.routes import setup_routes

        setup_routes(app, services, engine)  # and the reply closer, queue depth

    async def start(self, app: web.Application, services: Services, engine: Engine) -> Any:
        return None
