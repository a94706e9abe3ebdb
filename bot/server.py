"""`castmatch serve`: one aiohttp server for Slack, WhatsApp, health and metrics.

A channel whose credentials are unset adds no routes, so its URLs answer 404. On SIGTERM or
SIGINT the server stops accepting, gives in-flight turns `CASTMATCH_SHUTDOWN_GRACE_S` to
finish, then cancels the rest (each closes its reply with a visible note) and exits 0.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from typing import Any

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from bot.engine import Engine
from bot.health import readiness
from bot.llm import make_responder
from bot.metrics import REGISTRY
from bot.recovery import close_unfinished_turns
from bot.services import Services, open_services
from bot.settings import Settings

log = logging.getLogger(__name__)

SERVICES_KEY = web.AppKey("services", Services)
ENGINE_KEY = web.AppKey("engine", Engine)


async def healthz(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


async def readyz(request: web.Request) -> web.Response:
    report = await readiness(request.app[SERVICES_KEY], request.app[ENGINE_KEY])
    return web.json_response(report, status=503 if report["status"] == "down" else 200)


async def metrics_route(request: web.Request) -> web.Response:
    body = generate_latest(REGISTRY)
    return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})


def build_app(services: Services, engine: Engine) -> web.Application:
    app = web.Application(client_max_size=1024**2)
    app[SERVICES_KEY] = services
    app[ENGINE_KEY] = engine
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    app.router.add_get("/metrics", metrics_route)
    settings = services.settings
    if settings.slack_enabled:
        from adapters.slack.routes import setup_routes as setup_slack

        setup_slack(app, services, engine)
    if settings.whatsapp_enabled:
        from adapters.whatsapp.routes import setup_routes as setup_whatsapp

        setup_whatsapp(app, services, engine)
    return app


async def _start_socket_mode(services: Services, engine: Engine) -> Any:
    if not (services.settings.slack_enabled and services.settings.slack_app_token):
        return None
    from adapters.slack.socket import start_socket_mode

    return await start_socket_mode(services, engine)


async def serve(settings: Settings) -> int:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    async with open_services(settings) as services:
        engine = Engine(services, make_responder(settings))
        await close_unfinished_turns(services, engine)
        runner = web.AppRunner(
            build_app(services, engine), handle_signals=False, shutdown_timeout=5
        )
        await runner.setup()
        site = web.TCPSite(runner, host="0.0.0.0", port=settings.port)
        await site.start()
        socket_mode = await _start_socket_mode(services, engine)
        log.info("castmatch serving on port %d", settings.port)
        print(f"castmatch: serving on http://0.0.0.0:{settings.port}", flush=True)
        await stop.wait()
        log.info("shutting down: no new requests; %d turn(s) in flight", len(services.background))
        if socket_mode is not None:
            with contextlib.suppress(Exception):
                await socket_mode.close_async()
        await site.stop()  # stop accepting; in-flight turns live in services.background
        await _drain(services, settings.shutdown_grace_s)
        await runner.cleanup()
        closer = getattr(engine.responder, "close", None)
        if closer is not None:
            await closer()
    return 0


async def _drain(services: Services, grace_s: float) -> None:
    """Let in-flight turns finish; cancel what is left (each closes its reply with a note)."""
    pending = set(services.background)
    if pending:
        _, pending = await asyncio.wait(pending, timeout=grace_s)
    for task in pending:
        task.cancel()
    if pending:
        await asyncio.wait(pending, timeout=5)
