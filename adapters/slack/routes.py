"""`POST /slack/events`: Slack's Events API, slash commands and interactivity on one URL.

Two small translations (aiohttp request -> Bolt request, Bolt response -> aiohttp response)
around Bolt's dispatcher. The signature is checked (slack_sdk's `SignatureVerifier`) before
anything is parsed, so a forged or stale request gets 401 and nothing else; a signed body
that can't be parsed gets 400; one Bolt has no use for gets 200, because any 4xx only makes
Slack send it again.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING
from urllib.parse import parse_qs

from aiohttp import web
from redis.exceptions import RedisError
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.signature import SignatureVerifier

from adapters.slack.app import SlackRuntime, build_runtime
from adapters.slack.messenger import SlackMessenger
from bot import metrics
from bot.body import TooLarge, read_capped
from bot.handoff import HANDOFF_KEY, Consumer, Handoff

if TYPE_CHECKING:
    from bot.engine import Engine
    from bot.services import Services

log = logging.getLogger(__name__)

MAX_BODY = 256 * 1024  # Slack's payloads are a few KB; a message holds at most 40,000 chars
RETRY_AFTER_S = 5  # when full: Slack retries an event (at once, then after ~1 and ~5 minutes)
# Events waiting for the worker (beyond the turns it runs): past this Slack gets 503.
MAX_QUEUED = 512
DISPATCHING = 64  # events being read by Bolt in the worker at once (each then a turn)
RUNTIME_KEY = web.AppKey("slack_runtime", SlackRuntime)


def signature_ok(raw: bytes, timestamp: str, signature: str, secret: str) -> bool:
    """Slack's v0 signature, checked by slack_sdk's `SignatureVerifier` (HMAC-SHA256 of
    `v0:{timestamp}:{body}`, at most 5 minutes old). Bolt checks it again; checking first
    lets a forged body never reach a parser. A body that isn't UTF-8 was not signed by
    Slack (the verifier can't read it): refused like any forgery."""
    if not secret.strip() or not timestamp.isdigit() or not signature.startswith("v0="):
        return False
    try:
        return SignatureVerifier(secret).is_valid(raw, timestamp, signature)
    except UnicodeDecodeError:
        return False


def parseable(body: str, content_type: str) -> bool:
    """Whether Bolt will be able to read the body (JSON events, form commands/actions)."""
    try:
        if content_type == "application/json" or body.lstrip().startswith("{"):
            return isinstance(json.loads(body), dict)
        form = parse_qs(body, strict_parsing=bool(body))
        if "payload" in form:
            return isinstance(json.loads(form["payload"][0]), dict)
        return bool(form)
    except ValueError:
        return False


async def to_bolt_request(request: web.Request, body: str) -> AsyncBoltRequest:
    headers: dict[str, list[str]] = {}
    for name, value in request.headers.items():
        headers.setdefault(name.lower(), []).append(value)
    return AsyncBoltRequest(body=body, query=request.query_string, headers=headers)  # type: ignore[arg-type]


async def slack_events(request: web.Request) -> web.StreamResponse:
    started = time.perf_counter()
    runtime = request.app[RUNTIME_KEY]
    try:
        raw = await read_capped(request, MAX_BODY)
    except TooLarge:
        return web.json_response({"error": "payload too large"}, status=413)
    if not signature_ok(
        raw,
        request.headers.get("X-Slack-Request-Timestamp", ""),
        request.headers.get("X-Slack-Signature", ""),
        runtime.services.settings.slack_signing_secret,
    ):
        return web.json_response({"error": "invalid signature"}, status=401)
    try:
        body = raw.decode("utf-8")
    except UnicodeDecodeError:
        return web.json_response({"error": "body is not UTF-8"}, status=400)
    if not parseable(body, request.content_type):
        return web.json_response({"error": "unparseable body"}, status=400)
    bolt_request = await to_bolt_request(request, body)
    if _is_event_callback(body, request.content_type) and HANDOFF_KEY in request.app:
        # Kept in Redis before the answer, so a 200 means the worker will read it.
        response = await _queue(request.app[HANDOFF_KEY], bolt_request)
        metrics.ACK_SECONDS.labels("slack").observe(time.perf_counter() - started)
        return response
    if _is_event_callback(body, request.content_type):
        if runtime.full:  # bounded: refused events come back as Slack's retries
            log.warning("slack event refused: %d turns in flight", runtime.turns)
            return web.json_response(
                {"error": "busy"}, status=503, headers={"Retry-After": str(RETRY_AFTER_S)}
            )
        # Slack wants nothing back for an event but a fast 200: Bolt runs it in our task.
        runtime.services.spawn(_dispatch_later(runtime, bolt_request), name="slack-event")
        metrics.ACK_SECONDS.labels("slack").observe(time.perf_counter() - started)
        return web.Response(status=200)
    bolt_response = await runtime.app.async_dispatch(bolt_request)
    if bolt_response.status == 404 or bolt_response.status >= 500:
        if bolt_response.status >= 500:
            log.error("slack request failed inside Bolt (status %d)", bolt_response.status)
        response: web.StreamResponse = web.json_response({"ok": True, "ignored": True})
    else:
        response = await to_aiohttp_response(bolt_response)
    metrics.ACK_SECONDS.labels("slack").observe(time.perf_counter() - started)
    return response


def _is_event_callback(body: str, content_type: str) -> bool:
    if content_type != "application/json" and not body.lstrip().startswith("{"):
        return False
    return '"type":"event_callback"' in body.replace(" ", "") and '"url_verification"' not in body


async def _queue(handoff: Handoff, bolt_request: AsyncBoltRequest) -> web.Response:
    item = json.dumps(
        {
            "body": bolt_request.raw_body,
            "query": bolt_request.query,
            "headers": bolt_request.headers,
        }
    )
    try:
        queued = await handoff.put("slack", item.encode(), bound=MAX_QUEUED)
    except RedisError as exc:
        log.warning("slack event not queued (%s); Slack will retry", type(exc).__name__)
        queued = False
    if not queued:  # bounded: refused events come back as Slack's retries
        return web.json_response(
            {"error": "busy"}, status=503, headers={"Retry-After": str(RETRY_AFTER_S)}
        )
    return web.Response(status=200)


def consumers(runtime: SlackRuntime) -> Callable[[Handoff], list[Consumer]]:
    """The worker's side: Bolt reads each queued event, up to `MAX_TURNS` turns at once."""

    async def run(item: bytes) -> None:
        queued = json.loads(item)
        request = AsyncBoltRequest(
            body=queued["body"], query=queued["query"], headers=queued["headers"]
        )
        await _dispatch_later(runtime, request)

    def make(handoff: Handoff) -> list[Consumer]:
        spawn = runtime.services.spawn
        return [Consumer(handoff, "slack", run, spawn, limit=DISPATCHING, room=runtime.room)]

    return make


async def _dispatch_later(runtime: SlackRuntime, bolt_request: AsyncBoltRequest) -> None:
    response = await runtime.app.async_dispatch(bolt_request)
    if response.status >= 500:
        log.error("slack event failed inside Bolt (status %d)", response.status)


def setup_routes(app: web.Application, services: Services, engine: Engine) -> None:
    """Mount Slack on the server; the Web API session opens and closes with the app."""
    worker = services.settings.process_role == "worker"
    # A worker's events were checked by its web process (Bolt would refuse one queued for
    # more than the signature's 5 minutes).
    runtime = build_runtime(services, engine, verify=not worker)
    app[RUNTIME_KEY] = runtime
    if worker:
        services.consumers.append(consumers(runtime))
    messenger = SlackMessenger(runtime.client)
    services.messengers["slack"] = messenger  # DMs (audition news)
    services.posters["slack"] = messenger  # into a role's thread (a director's marks)
    app.router.add_post("/slack/events", slack_events)

    async def on_startup(_: web.Application) -> None:
        await runtime.open()

    async def on_cleanup(_: web.Application) -> None:
        await runtime.close()

    app.on_startup.append(on_startup)
    app.on_cleanup.append(on_cleanup)
