"""The real castmatch app on a loopback port, answering through the Claude double.

The channel benchmarks drive it over HTTP exactly as Slack or Twilio would.
"""

from __future__ import annotations

import asyncio
import dataclasses
from typing import Any, Self

import aiohttp
from aiohttp import web

from bot.engine import Engine, TurnTrace
from bot.llm.claude import ClaudeResponder
from bot.server import build_app
from bot.services import Services
from castmatch.app import CHANNELS
from tests.doubles.claude import ClaudeDouble


class LoopbackServer:
    def __init__(
        self,
        services: Services,
        claude: ClaudeDouble,
        settings: dict[str, Any],
        *,
        path: str,
        drain_s: float = 60.0,
    ) -> None:
        """`settings` overrides the services' settings for this server."""
        self.claude = claude
        updated = services.settings.model_copy(
            update={
                "anthropic_api_key": "sk-bench",
                "anthropic_base_url": claude.url,
                "rate_limit_per_minute": 0,
                **settings,
            }
        )
        self.services = dataclasses.replace(services, settings=updated, background=set())
        self.responder = ClaudeResponder(updated)
        self.traces: list[TurnTrace] = []
        self.engine = Engine(self.services, self.responder, on_trace=self.traces.append)
        self.path = path
        self.drain_s = drain_s
        self.url = ""

    async def __aenter__(self) -> Self:
        self.runner = web.AppRunner(
            build_app(self.services, self.engine, CHANNELS), access_log=None
        )
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}{self.path}"
        self.session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0))
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self.services.background:
            await asyncio.wait(self.services.background, timeout=self.drain_s)
        await self.session.close()
        await self.runner.cleanup()
        await self.responder.close()
