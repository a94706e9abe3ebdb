"""'forget me' on WhatsApp: the confirmation goes out, and nothing of the number is written
back by sending it (no delivery record, no opt-out key, no message row)."""

from __future__ import annotations

import asyncio

from sqlalchemy import text

from adapters.whatsapp.inbox import Inbox
from adapters.whatsapp.store import WhatsAppStore
from tests.doubles.claude import Reply
from tests.whatsapp.conftest import new_wa_id
from tests.whatsapp.fixtures import inbound


async def _traces(stack, wa_id: str) -> list[str]:
    found = []
    async with stack.services.db.connect() as conn:
        for table, columns in (
            ("whatsapp_outbound", ("recipient", "body")),
            ("messages", ("user_id", "conversation_id", "text")),
        ):
            where = " OR ".join(f"{c}::text LIKE :n" for c in columns)
            count = (
                await conn.execute(
                    text(f"SELECT count(*) FROM {table} WHERE {where}"), {"n": f"%{wa_id}%"}
                )
            ).scalar_one()
            if count:
                found.append(f"{table}: {count}")
    redis = stack.services.redis
    async for key in redis.scan_iter(match=stack.services.key("*"), count=1000):
        kind = await redis.type(key)
        value = await redis.get(key) if kind == b"string" else b""
        if wa_id.encode() in key or wa_id.encode() in (value or b""):
            found.append(key.decode())
    return found


async def test_forget_me_writes_nothing_back(stack) -> None:
    wa_id = new_wa_id()
    stack.claude.push(Reply("Hello there."))
    await stack.post(inbound("hello", wa_id=wa_id))
    await stack.twilio.wait_for(lambda t: len(t.bodies(f"+{wa_id}")) == 1)
    assert await _traces(stack, wa_id)  # there was something to forget

    await stack.post(inbound("forget me", wa_id=wa_id))
    await stack.twilio.wait_for(lambda t: len(t.bodies(f"+{wa_id}")) == 2)
    assert "erased" in stack.twilio.bodies(f"+{wa_id}")[1]
    # The double has the confirmation before the server has recorded sending it and erased
    # that record again; on a busy machine that takes a while, so wait for it (bounded).
    left = await _traces(stack, wa_id)
    for _ in range(150):
        if not left:
            break
        await asyncio.sleep(0.1)
        left = await _traces(stack, wa_id)
    assert left == []
    await asyncio.sleep(0.5)  # and nothing comes back afterwards
    assert await _traces(stack, wa_id) == []


async def test_forget_reaches_a_message_still_waiting_for_its_turn(stack) -> None:
    mine, theirs = new_wa_id(), new_wa_id()
    # Kept by a replica whose worker has not taken them yet (or died before it could).
    inbox = Inbox(stack.services, owner="a-worker-not-running")
    waiting = {wa_id: inbound(f"my number is +{wa_id}", wa_id=wa_id) for wa_id in (mine, theirs)}
    for form in waiting.values():
        await inbox.keep(form["MessageSid"], form.items(), callback="")
    try:
        lines = await WhatsAppStore(stack.services).forget(f"+{mine}")

        assert "Redis: 1 WhatsApp message(s) still waiting for their turn" in lines
        assert await inbox.kept(waiting[mine]["MessageSid"]) is None  # never answered now
        assert await inbox.kept(waiting[theirs]["MessageSid"]) is not None  # someone else's
        assert mine not in str(await stack.services.redis.hgetall(inbox._key))
    finally:
        await inbox.done(waiting[theirs]["MessageSid"])
        await inbox.close()
