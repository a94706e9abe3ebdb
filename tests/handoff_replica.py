"""A replica as `castmatch serve` runs it, in the test's process: a web process that only
answers (queueing turns through Redis) and, once started, the turn worker that runs them."""

from __future__ import annotations

import asyncio
import dataclasses
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from aiohttp import web

from bot.engine import Engine
from bot.handoff import Handoff
from bot.llm.claude import ClaudeResponder
from bot.server import build_app
from bot.services import Services
from bot.settings import Settings
from bot.worker import run_worker
from castmatch.app import CHANNELS


@dataclass
class Replica:
    services: Services
    settings: Settings
    handoff: Handoff
    base: str  # the web process's address
    worker: asyncio.Task[int] | None = None
    stop: asyncio.Event = field(default_factory=asyncio.Event)

    def start_worker(self) -> None:
        settings = self.settings.model_copy(
            update={"process_role": "worker", "worker_id": self.handoff.worker_id}
        )
        side = dataclasses.replace(self.services, settings=settings, consumers=[])
        engine = Engine(side, ClaudeResponder(settings))
        handoff = Handoff(self.services.redis, settings.redis_namespace, self.handoff.worker_id)
        app = build_app(side, engine, CHANNELS)
        self.worker = asyncio.create_task(run_worker(app, side, engine, handoff, self.stop))


@asynccontextmanager
async def web_process(services: Services, settings: Settings) -> AsyncIterator[Replica]:
    """The web process of a replica whose worker is not started yet (`start_worker`); on the
    way out the worker must stop cleanly."""
    handoff = Handoff(services.redis, settings.redis_namespace, secrets.token_hex(6))
    web_side = dataclasses.replace(services, settings=settings, consumers=[])
    responder = ClaudeResponder(settings)
    app = build_app(web_side, Engine(web_side, responder), CHANNELS, handoff=handoff)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    replica = Replica(services, settings, handoff, f"http://127.0.0.1:{port}")
    try:
        yield replica
    finally:
        replica.stop.set()
        if replica.worker is not None:
            assert await asyncio.wait_for(replica.worker, 30) == 0
        await runner.cleanup()
        await handoff.close()
        await responder.close()
