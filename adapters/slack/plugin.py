"""Slack as a channel of `castmatch serve`: its routes, Socket Mode, and its closer for
replies a crashed process left half-written."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aiohttp import web

from bot.settings import Settings

if TYPE_CHECKING:
    from bot.engine import Engine
    from bot.services import Services


class SlackPlugin:
    name = "slack"

    def enabled(self, settings: Settings) -> bool:
        return settings.slack_enabled

    def setup(self, app: web.Application, services: Services, engine: Engine) -> None:
        from adapters.slack import recovery
        from adapters.slack.routes import setup_routes

        setup_routes(app, services, engine)
        recovery.register(services)

    async def start(self, app: web.Application, services: Services, engine: Engine) -> Any:
        """Socket Mode, when SLACK_APP_TOKEN is set; what it returns is closed at shutdown."""
        if not services.settings.slack_app_token:
            return None
        from adapters.slack.routes import RUNTIME_KEY
        from adapters.slack.socket import start_socket_mode

        return await start_socket_mode(app[RUNTIME_KEY])  # the HTTP route's runtime
