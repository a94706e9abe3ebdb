"""The recovery sweep closes replies a dead process left, and never one that just finished."""

from __future__ import annotations

import uuid

from bot.engine import NOTE_INTERRUPTED, Engine
from bot.llm.offline import OfflineResponder
from bot.recovery import close_unfinished_turns
from bot.types import ConversationKey, InboundMessage
from memory.episodic import ReplyStats
from tests.test_engine import stored


def _message() -> InboundMessage:
    key = ConversationKey("console", "acme", f"r-{uuid.uuid4().hex[:8]}")
    return InboundMessage(key=key, user_id="asha", text="who plays the cop?", message_id=key.chat)


async def test_a_reply_left_streaming_is_closed_with_a_note(services) -> None:
    engine = Engine(services, OfflineResponder())
    message = _message()
    inbound_id = await engine.episodic.store_inbound(message)
    await engine.episodic.start_reply(inbound_id, message)  # then the process "died"
    assert await close_unfinished_turns(services, engine) >= 1
    rows = await stored(services, message.key)
    assert rows[1].status == "partial" and rows[1].text.endswith(NOTE_INTERRUPTED)
    assert rows[0].status == "failed"


async def test_a_reply_that_finishes_while_the_sweep_looks_keeps_its_answer(
    services, monkeypatch
) -> None:
    engine = Engine(services, OfflineResponder())
    message = _message()
    inbound_id = await engine.episodic.store_inbound(message)
    reply_id = await engine.episodic.start_reply(inbound_id, message)
    seen = await engine.episodic.unfinished()  # the sweep reads: still streaming
    await engine.episodic.finish_reply(reply_id, inbound_id, "Rohan.", "complete", ReplyStats())
    mine = [row for row in seen if row.id == reply_id]

    async def stale_snapshot():  # type: ignore[no-untyped-def]
        return mine

    monkeypatch.setattr(engine.episodic, "unfinished", stale_snapshot)
    assert await close_unfinished_turns(services, engine) == 0
    rows = await stored(services, message.key)
    assert (rows[1].status, rows[1].text) == ("complete", "Rohan.")
    assert rows[0].status == "answered"
