"""A WhatsApp message is kept in Redis before the webhook answers, until its turn has taken
it: a message a dead process had taken but not answered is kept and its sender told to ask
again (once, by one sweep), never silently lost; a stranger's gets no row and no note."""

from __future__ import annotations

import asyncio

from sqlalchemy import text

from adapters.whatsapp.channel import WhatsAppChannel
from adapters.whatsapp.inbox import Inbox
from adapters.whatsapp.sender import TwilioSender
from adapters.whatsapp.store import WhatsAppStore
from bot.engine import NOTE_INTERRUPTED
from tests.doubles.claude import Reply
from tests.whatsapp.conftest import new_wa_id
from tests.whatsapp.fixtures import ACCOUNT, BUSINESS, TOKEN, inbound


async def _stored(services, sid: str) -> list[str]:  # type: ignore[no-untyped-def]
    async with services.sessions() as session:
        rows = await session.execute(
            text("SELECT status FROM messages WHERE platform_message_id = :s"), {"s": sid}
        )
        return [r.status for r in rows]


async def test_answered_messages_leave_the_inbox_and_a_dead_processs_are_recovered_once(stack):
    services = stack.services
    stack.claude.push(Reply("Three Marathi actors come to mind.", chunk_size=3, delay=0.05))
    answered = inbound("who speaks Marathi?", wa_id=new_wa_id())
    live = Inbox(services)
    assert (await stack.post(answered))[0] == 200
    await asyncio.sleep(0.2)  # kept as it is answered, while its turn runs (Claude ~0.6 s)
    assert await services.redis.hexists(live._key, answered["MessageSid"])
    await stack.twilio.wait_for(lambda t: any("Marathi actors" in b for b in t.bodies()))
    for _ in range(50):  # the turn's task removes it just after the reply
        if not await services.redis.hexists(live._key, answered["MessageSid"]):
            break
        await asyncio.sleep(0.1)
    assert not await services.redis.hexists(live._key, answered["MessageSid"])

    # A process took these two, then died before its turns ran (its owner key never beats).
    member, stranger = new_wa_id(), new_wa_id()
    await services.directory.add_members(BUSINESS, [f"whatsapp:+{member}"])
    dead = Inbox(services)
    left = inbound("any kathak dancers in Pune?", wa_id=member)
    strangers = inbound("hi, who is this?", wa_id=stranger)
    for form in (left, strangers):
        await dead.keep(form["MessageSid"], form.items(), stack.url + "/whatsapp/status")

    sender = TwilioSender(ACCOUNT, TOKEN, BUSINESS, api_url=stack.twilio.url)
    channel = WhatsAppChannel(services, stack.engine, sender, WhatsAppStore(services))
    await live.beat()
    for _ in range(2):  # a second sweep (or replica) finds nothing left to claim
        for kept in await live.claim_orphans():
            await channel.recover(kept)
    await sender.close()

    assert stack.twilio.bodies(f"+{member}") == [NOTE_INTERRUPTED]
    assert await _stored(services, left["MessageSid"]) == ["failed"]  # kept, not lost
    assert stack.twilio.bodies(f"+{stranger}") == []
    assert await _stored(services, strangers["MessageSid"]) == []  # no row for a stranger
    assert not await services.redis.hexists(live._key, left["MessageSid"])
