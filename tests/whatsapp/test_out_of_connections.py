"""A WhatsApp message whose pipeline fails while PostgreSQL refuses connections (a process
that has not yet read the workspace directory can't tell who sent it) is not dropped:
Twilio never sends it again. It stays in the inbox, and once PostgreSQL takes connections
the sweep keeps it and tells the member to ask again."""

from __future__ import annotations

import asyncio

from adapters.whatsapp.channel import WhatsAppChannel
from adapters.whatsapp.inbox import Inbox
from adapters.whatsapp.sender import TwilioSender
from adapters.whatsapp.store import WhatsAppStore
from bot.engine import NOTE_INTERRUPTED
from tests.postgres_limits import every_slot_held, limited_url, settings_env
from tests.whatsapp.conftest import new_wa_id
from tests.whatsapp.fixtures import ACCOUNT, BUSINESS, TOKEN, inbound

__all__ = ["limited_url", "settings_env"]  # fixtures this module's tests use


async def test_a_message_that_cant_be_taken_is_kept_and_the_member_told_once_postgres_is_back(
    stack, limited_url: str
) -> None:
    services = stack.services
    member = new_wa_id()
    await services.directory.add_members(BUSINESS, [f"whatsapp:+{member}"])
    services.directory._snapshot = None  # as a process that has not read it yet
    await services.db.dispose()
    form = inbound("any kathak dancers in Pune?", wa_id=member)
    inbox = Inbox(services)
    async with every_slot_held(limited_url):
        assert (await stack.post(form, member=False))[0] == 200  # a member: added above
        for _ in range(100):  # its pipeline fails, and the message is left for the sweep
            entry = await services.redis.hget(inbox._key, form["MessageSid"])
            if entry is not None and b'"owner": ""' in entry:
                break
            await asyncio.sleep(0.1)
        assert entry is not None and b'"owner": ""' in entry
        assert stack.twilio.bodies(f"+{member}") == []

    sender = TwilioSender(ACCOUNT, TOKEN, BUSINESS, api_url=stack.twilio.url)
    channel = WhatsAppChannel(services, stack.engine, sender, WhatsAppStore(services))
    await inbox.beat()
    for kept in await inbox.claim_orphans():  # what the server's sweep does every 10 s
        assert await channel.recover(kept)
    await sender.close()
    await stack.twilio.wait_for(lambda t: t.bodies(f"+{member}"))
    assert stack.twilio.bodies(f"+{member}") == [NOTE_INTERRUPTED]
    assert not await services.redis.hexists(inbox._key, form["MessageSid"])
