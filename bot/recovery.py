"""Turns a dead process left unfinished: closed with a note, never left "thinking" for good."""

from __future__ import annotations

import logging

from bot.engine import NOTE_INTERRUPTED, Engine
from bot.services import Services
from memory.episodic import ReplyStats

log = logging.getLogger(__name__)


async def close_unfinished_turns(services: Services, engine: Engine) -> int:
    """Close replies left `streaming` by a process that is gone.

    A reply whose conversation lock is still held belongs to a live replica: left alone.
    Channels may register a closer (`services.features["reply_closers"][channel]`) that shows
    the note where the person sees it, e.g. by editing the unfinished Slack message.
    """
    closed = 0
    closers = services.features.get("reply_closers", {})
    for row in await engine.episodic.unfinished():
        lock_key = services.key("turn-lock", row.conversation_id)
        try:
            if await services.redis.exists(lock_key):
                continue
        except Exception:  # Redis down: a replica's turn can't be told apart; leave it
            continue
        text = (row.text + "\n\n" if row.text else "") + NOTE_INTERRUPTED
        await engine.episodic.finish_reply(row.id, row.inbound_id, text, "partial", ReplyStats())
        closer = closers.get(row.channel)
        if closer is not None:
            try:
                await closer(row, text)
            except Exception:
                log.exception("could not show the interruption note on %s", row.channel)
        closed += 1
    if closed:
        log.info("closed %d reply(ies) interrupted by an earlier crash", closed)
    return closed
