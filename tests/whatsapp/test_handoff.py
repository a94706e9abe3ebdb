"""With a turn worker (how `castmatch serve` runs): the web process keeps a WhatsApp message
in Redis and queues it for its replica's worker before answering, runs no turn itself, and
the worker answers it once and lets it go from the inbox."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import secrets

import aiohttp
from aiohttp import web

from adapters.whatsapp.inbox import Inbox
from bot.engine import Engine
from bot.handoff import Handoff
from bot.llm.claude import ClaudeResponder
from bot.server import build_app
from bot.worker import run_worker
from castmatch.app import CHANNELS
from tests.doubles.claude import Reply
from tests.whatsapp.conftest import new_wa_id, whatsapp_settings
from tests.whatsapp.fixtures import BUSINESS, inbound, signature


async def test_a_message_is_kept_and_queued_before_the_answer_and_its_worker_answers_it(
    services, settings, claude, twilio
) -> None:  # type: ignore[no-untyped-def]
    configured = whatsapp_settings(settings, claude, twilio)
    worker_id = secrets.token_hex(6)
    web_side = dataclasses.replace(services, settings=configured, consumers=[])
    handoff = Handoff(services.redis, configured.redis_namespace, worker_id)
    responder = ClaudeResponder(configured)
    app = build_app(web_side, Engine(web_side, responder), CHANNELS, handoff=handoff)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    url = f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}/whatsapp/inbound"  # type: ignore[union-attr]
    wa_id = new_wa_id()
    await services.directory.add_members(BUSINESS, [f"whatsapp:+{wa_id}"])
    form = inbound("who speaks Marathi?", wa_id=wa_id)
    inbox = Inbox(services)
    stop = asyncio.Event()
    worker = None
    try:
        async with aiohttp.ClientSession() as session:
            headers = {"X-Twilio-Signature": signature(url, form)}
            async with session.post(url, data=form, headers=headers) as response:
                assert response.status == 200
        # Already in Redis when answered: owned by the worker, queued for it.
        entry = json.loads(await services.redis.hget(inbox._key, form["MessageSid"]))
        assert entry["owner"] == worker_id
        queued = await services.redis.lrange(handoff.queue("whatsapp"), 0, -1)
        assert queued == [form["MessageSid"].encode()]
        await asyncio.sleep(1.0)
        assert not twilio.bodies(), "the web process ran a turn"

        claude.push(Reply("Three Marathi actors come to mind.", chunk_size=3, delay=0.02))
        worker_settings = configured.model_copy(
            update={"process_role": "worker", "worker_id": worker_id}
        )
        worker_side = dataclasses.replace(services, settings=worker_settings, consumers=[])
        worker_engine = Engine(worker_side, ClaudeResponder(worker_settings))
        worker_app = build_app(worker_side, worker_engine, CHANNELS)
        worker_handoff = Handoff(services.redis, configured.redis_namespace, worker_id)
        worker = asyncio.create_task(
            run_worker(worker_app, worker_side, worker_engine, worker_handoff, stop)
        )
        await twilio.wait_for(lambda t: any("Marathi actors" in b for b in t.bodies()))
        for _ in range(50):  # let go of once answered
            if not await services.redis.hexists(inbox._key, form["MessageSid"]):
                break
            await asyncio.sleep(0.1)
        assert not await services.redis.hexists(inbox._key, form["MessageSid"])
        assert await services.redis.llen(handoff.queue("whatsapp")) == 0
        await asyncio.sleep(0.5)
        assert sum("Marathi actors" in b for b in twilio.bodies()) == 1  # once
    finally:
        stop.set()
        if worker is not None:
            assert await asyncio.wait_for(worker, 30) == 0
        await runner.cleanup()
        await handoff.close()
        await responder.close()
