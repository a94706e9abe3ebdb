"""`castmatch serve`: one aiohttp server for Slack, WhatsApp, health and metrics.

A channel whose credentials are unset adds no routes, so its URLs answer 404. Every POST is
held to its route's body limit before anything reads it (413), and no request ever gets a
5xx for what it carried (a failing dependency gets 503, so the platform delivers it again).
On SIGTERM or SIGINT the server stops accepting (503 on kept-alive connections), gives
in-flight turns `CASTMATCH_SHUTDOWN_GRACE_S` to finish, then cancels the rest (each closes
its reply with a visible note) and exits 0. Replies a crashed process left unfinished are
closed at start-up and by a periodic sweep (`bot/recovery.py`).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hmac
import logging
import secrets
import signal
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Protocol

import aiohttp
from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from bot import metrics
from bot.engine import Engine
from bot.handoff import HANDOFF_KEY, Handoff
from bot.health import readiness
from bot.jobs import attach as attach_jobs
from bot.llm import make_responder
from bot.periodic import Periodic
from bot.recovery import SWEEP_INTERVAL_S, close_unfinished_turns, sweep
from bot.services import Services, Setup, open_services
from bot.settings import Settings
from bot.worker import WorkerProcess, drain, free_port, run_worker, start_worker

log = logging.getLogger(__name__)

SERVICES_KEY = web.AppKey("services", Services)
ENGINE_KEY = web.AppKey("engine", Engine)
DRAINING_KEY = web.AppKey("draining", asyncio.Event)
WORKER_METRICS_KEY = web.AppKey("worker_metrics", str)  # the turn worker's /metrics URL

# Per-route body limits, enforced on Content-Length before a handler runs (the channel
# routes also cap what they read, for chunked bodies). Slack payloads are a few KB (a
# message holds at most 40,000 characters); a Twilio webhook with 10 media URLs is ~3 KB.
BODY_LIMITS = {
    "/slack/events": 256 * 1024,
    "/whatsapp/inbound": 64 * 1024,
    "/whatsapp/status": 64 * 1024,  # the WhatsApp routes share one read cap
}
DEFAULT_BODY_LIMIT = 16 * 1024
CLIENT_MAX_SIZE = max(BODY_LIMITS.values())
ACK_ROUTES = {"/whatsapp/inbound": "whatsapp"}  # Slack's route times its own ack

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


async def healthz(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


async def readyz(request: web.Request) -> web.Response:
    if request.app[DRAINING_KEY].is_set():  # the load balancer should send no more
        return web.json_response({"status": "down", "draining": True}, status=503)
    report = await readiness(request.app[SERVICES_KEY], request.app[ENGINE_KEY])
    return web.json_response(report, status=503 if report["status"] == "down" else 200)


async def metrics_route(request: web.Request) -> web.Response:
    token = request.app[SERVICES_KEY].settings.metrics_token
    if token and not _bearer_matches(request.headers.get("Authorization", ""), token):
        return web.json_response(
            {"error": "bearer token required"},
            status=401,
            headers={"WWW-Authenticate": 'Bearer realm="metrics"'},
        )
    await metrics.refresh_queue_depths(queue_probes(request.app[SERVICES_KEY]))
    body = generate_latest(metrics.REGISTRY)
    if WORKER_METRICS_KEY in request.app:  # the turns' figures are the worker's
        body = await _with_worker_metrics(request.app[WORKER_METRICS_KEY], body)
    return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})


async def _with_worker_metrics(url: str, own: bytes) -> bytes:
    try:
        async with (
            aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=2)) as session,
            session.get(url) as response,
        ):
            response.raise_for_status()
            worker = await response.text()
    except (aiohttp.ClientError, TimeoutError) as exc:
        log.warning("the turn worker's metrics are missing (%s)", type(exc).__name__)
        return own
    return metrics.merged(own.decode(), worker)


def _bearer_matches(header: str, token: str) -> bool:
    scheme, _, given = header.partition(" ")
    given_bytes, token_bytes = given.strip().encode(), token.encode()
    return scheme.lower() == "bearer" and hmac.compare_digest(given_bytes, token_bytes)


def queue_probes(services: Services) -> dict[str, metrics.QueueProbe]:
    """The queues /metrics reports: owned background tasks and what channels and features
    registered (`services.queue_depths`)."""
    return {"background_tasks": lambda: len(services.background), **services.queue_depths}


@web.middleware
async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Body limits before parsing, ack timing, and 503 (never a traceback) on failures."""
    started = time.perf_counter()
    path = request.path
    if path in BODY_LIMITS and request.app[DRAINING_KEY].is_set():
        # A request on a kept-alive connection after SIGTERM: Slack and Twilio retry a 503,
        # so the message reaches a replica that stays, instead of a turn cut short here.
        return web.json_response(
            {"error": "shutting down"},
            status=503,
            headers={"Retry-After": "1", "Connection": "close"},
        )
    if request.method == "POST":
        limit = BODY_LIMITS.get(path, DEFAULT_BODY_LIMIT)
        if request.content_length is not None and request.content_length > limit:
            metrics.HTTP_REFUSED.labels(_route(path), "413").inc()
            return web.json_response({"error": "payload too large", "limit": limit}, status=413)
    try:
        response = await handler(request)
    except web.HTTPException as exc:
        if exc.status == 413:
            metrics.HTTP_REFUSED.labels(_route(path), "413").inc()
        raise
    except (asyncio.CancelledError, ConnectionResetError):
        raise  # the client went away
    except Exception:
        # Not the request's fault (the fuzz tests hold every route to a 4xx for bad input):
        # a dependency failed. 503 makes Slack and Twilio deliver it again, so nothing is lost.
        log.exception("request to %s failed", _route(path))
        return web.json_response(
            {"error": "temporarily unavailable"}, status=503, headers={"Retry-After": "5"}
        )
    if 400 <= response.status < 500:
        metrics.HTTP_REFUSED.labels(_route(path), str(response.status)).inc()
    channel = ACK_ROUTES.get(path)
    if channel is not None:
        metrics.ACK_SECONDS.labels(channel).observe(time.perf_counter() - started)
    return response


def _route(path: str) -> str:
    # Bounded label values: unknown paths share one.
    return path if path in BODY_LIMITS or path in ("/healthz", "/readyz", "/metrics") else "other"


class Channel(Protocol):
    """A channel `castmatch serve` carries (Slack, WhatsApp): its routes and the closers it
    registers, and anything it runs beside the server (Slack's Socket Mode)."""

    name: str

    def enabled(self, settings: Settings) -> bool: ...

    def setup(self, app: web.Application, services: Services, engine: Engine) -> None:
        """Add its routes; with `HANDOFF_KEY` in `app` they queue turns for the worker, and
        a channel that can has `consumers(app, services, handoff)` for the worker's side."""

    async def start(self, app: web.Application, services: Services, engine: Engine) -> Any:
        """Start what runs beside the server; returns something with `close_async()`."""


def build_app(
    services: Services,
    engine: Engine,
    channels: Sequence[Channel] = (),
    *,
    handoff: Handoff | None = None,
) -> web.Application:
    app = web.Application(client_max_size=CLIENT_MAX_SIZE, middlewares=[guard])
    app[SERVICES_KEY] = services
    app[ENGINE_KEY] = engine
    app[DRAINING_KEY] = asyncio.Event()
    if handoff is not None:
        app[HANDOFF_KEY] = handoff
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    app.router.add_get("/metrics", metrics_route)
    for path, handler in services.routes.items():  # what features serve (stored media)
        app.router.add_get(path, handler)
    for path, handler in services.post_routes.items():  # forms on those pages
        app.router.add_post(path, handler)
    for channel in channels:
        if channel.enabled(services.settings):  # a disabled channel's routes answer 404
            channel.setup(app, services, engine)
    return app


async def serve(settings: Settings, channels: Sequence[Channel], features: Sequence[Setup]) -> int:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    worker = None
    if settings.turn_worker and settings.process_role == "all":
        # This process only answers; a worker runs the turns. It starts now, so the two
        # load their models and indexes at the same time.
        worker_id, metrics_port = secrets.token_hex(8), free_port()
        worker = await start_worker(worker_id, metrics_port)
        settings = settings.model_copy(update={"process_role": "web"})
    try:
        return await _serve(settings, channels, features, stop, worker)
    finally:
        if worker is not None:
            await worker.stop(settings.shutdown_grace_s)


async def _serve(
    settings: Settings,
    channels: Sequence[Channel],
    features: Sequence[Setup],
    stop: asyncio.Event,
    worker: WorkerProcess | None,
) -> int:
    async with open_services(settings, features=features) as services:
        metrics.count_database_errors(services.db)
        metrics.watch_python_heap(settings.process_role)
        engine = Engine(services, make_responder(settings))
        if settings.process_role == "worker":  # started by the web process
            handoff = Handoff(services.redis, settings.redis_namespace, settings.worker_id)
            app = build_app(services, engine, channels)
            return await run_worker(app, services, engine, handoff, stop)
        handoff = None
        if worker is not None:
            handoff = Handoff(services.redis, settings.redis_namespace, worker.worker_id)
        app = build_app(services, engine, channels, handoff=handoff)
        if handoff is not None and worker is not None:
            app[WORKER_METRICS_KEY] = worker.metrics_url
            for channel in ("slack", "whatsapp"):  # waiting for the worker, on /metrics
                services.queue_depths[f"{channel}_queued"] = functools.partial(
                    handoff.depth, channel
                )
        runner = web.AppRunner(app, handle_signals=False, shutdown_timeout=5, access_log=None)
        await runner.setup()  # channels open their sessions and register their reply closers
        keep: set[asyncio.Task[Any]] = set()
        sweeper = None
        if handoff is not None and worker is not None:
            await handoff.open()
            await worker.ready(handoff)
            # The pair is one replica: without its worker this process can't answer anyone.
            keep.add(services.spawn(_stop_when_exited(worker, stop), name="worker-watch"))
        else:
            try:
                await close_unfinished_turns(services, engine)
            except Exception as exc:  # PostgreSQL down at start: the sweep retries
                log.warning("start-up recovery failed (%s); the sweep will retry",
                            type(exc).__name__)  # fmt: skip
            sweeper = Periodic(SWEEP_INTERVAL_S, lambda: sweep(services, engine), "recovery-sweep")
        site = web.TCPSite(runner, host="0.0.0.0", port=settings.port)
        await site.start()
        running = [
            await channel.start(app, services, engine)
            for channel in channels
            if channel.enabled(settings)
        ]
        # The job worker (reminders, scheduled sends) beside the turns: every replica runs
        # one, PostgreSQL hands each job to one of them.
        jobs_stop = asyncio.Event()
        if handoff is None:
            keep.add(services.spawn(attach_jobs(services).work(jobs_stop), name="job-worker"))
        log.info("castmatch serving on port %d", settings.port)
        print(f"castmatch: serving on http://0.0.0.0:{settings.port}", flush=True)
        await stop.wait()
        log.info("shutting down: no new requests; %d task(s) in flight", len(services.background))
        app[DRAINING_KEY].set()
        if sweeper is not None:
            await sweeper.stop()
        for beside in running:
            if beside is not None:
                with contextlib.suppress(Exception):
                    await beside.close_async()
        jobs_stop.set()  # running jobs finish within the grace; the rest wait in PostgreSQL
        await site.stop()  # stop accepting; in-flight turns live in services.background
        if worker is not None:
            await worker.stop(settings.shutdown_grace_s)  # it finishes what was queued
        await drain(services, settings.shutdown_grace_s, keep=keep)
        await asyncio.wait(keep, timeout=settings.shutdown_grace_s + 5)
        await runner.cleanup()
        if handoff is not None:
            await handoff.close()
        closer = getattr(engine.responder, "close", None)
        if closer is not None:
            await closer()
    return 1 if worker is not None and worker.exited_early else 0


async def _stop_when_exited(worker: WorkerProcess, stop: asyncio.Event) -> None:
    await worker.process.wait()
    if not stop.is_set():
        log.error("the turn worker exited (%s): stopping this replica", worker.process.returncode)
        worker.exited_early = True
        stop.set()
