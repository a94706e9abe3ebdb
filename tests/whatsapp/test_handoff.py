"""With a turn worker (how `castmatch serve` runs): the web process keeps a WhatsApp message
in Redis and queues it for its replica's worker before answering, runs no turn itself, and
the worker answers it once and lets it go from the inbox."""

from __future__ import annotations

import asyncio
import json

import aiohttp

from adapters.whatsapp.inbox import Inbox
from tests.doubles.claude import Reply
from tests.handoff_replica import web_process
from tests.whatsapp.conftest import new_wa_id, whatsapp_settings
from tests.whatsapp.fixtures import BUSINESS, inbound, signature


async def test_a_message_is_kept_and_queued_before_the_answer_and_its_worker_answers_it(
    services, settings, claude, twilio
) -> None:  # type: ignore[no-untyped-def]
    configured = whatsapp_settings(settings, claude, twilio)
    wa_id = new_wa_id()
    await services.directory.add_members(BUSINESS, [f"whatsapp:+{wa_id}"])
    form = inbound("who speaks Marathi?", wa_id=wa_id)
    inbox = Inbox(services)
    async with web_process(services, configured) as replica:
        url = replica.base + "/whatsapp/inbound"
        async with aiohttp.ClientSession() as session:
            headers = {"X-Twilio-Signature": signature(url, form)}
            async with session.post(url, data=form, headers=headers) as response:
                assert response.status == 200
        # Already in Redis when answered: owned by the worker, queued for it.
        entry = json.loads(await services.redis.hget(inbox._key, form["MessageSid"]))
        assert entry["owner"] == replica.handoff.worker_id
        queued = await services.redis.lrange(replica.handoff.queue("whatsapp"), 0, -1)
        # its id, then its conversation (the worker keeps one person's messages in order)
        assert [item.split()[0] for item in queued] == [form["MessageSid"].encode()]
        assert queued[0].decode().endswith(f"+{wa_id}:")
        await asyncio.sleep(1.0)
        assert not twilio.bodies(), "the web process ran a turn"

        claude.push(Reply("Three Marathi actors come to mind.", chunk_size=3, delay=0.02))
        replica.start_worker()
        await twilio.wait_for(lambda t: any("Marathi actors" in b for b in t.bodies()))
        for _ in range(50):  # let go of once answered
            if not await services.redis.hexists(inbox._key, form["MessageSid"]):
                break
            await asyncio.sleep(0.1)
        assert not await services.redis.hexists(inbox._key, form["MessageSid"])
        assert await services.redis.llen(replica.handoff.queue("whatsapp")) == 0
        await asyncio.sleep(0.5)
        assert sum("Marathi actors" in b for b in twilio.bodies()) == 1  # once
