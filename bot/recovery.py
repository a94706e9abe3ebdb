"""Turns a dead process left unfinished: closed with a note, never left "thinking" for good.

At start-up, and then every few seconds while serving, each replica looks for replies left
`streaming`. A reply whose conversation lock is still held in Redis belongs to a live turn
(locks are renewed while a turn runs and lapse seconds after a crash), so it is left alone;
the rest are closed: the stored reply keeps its text plus a note, and the channel's closer
shows the note where the person sees it. One replica claims each reply, so a note is never
shown twice.
"""

from __future__ import annotations

import asyncio
import logging

from redis.exceptions import RedisError

from bot import metrics
from bot.engine import NOTE_INTERRUPTED, Engine
from bot.locks import LOCK_TTL_S
from bot.ports import UnfinishedReply
from bot.services import Services

log = logging.getLogger(__name__)

SWEEP_INTERVAL_S = LOCK_TTL_S / 2  # a crashed replica's replies close within ~1.5 lock TTLs
CLOSER_TIMEOUT_S = 10.0
CLAIM_TTL_S = 24 * 3600


async def close_unfinished_turns(services: Services, engine: Engine) -> int:
    """Close replies left `streaming` by a process that is gone; returns how many.

    Channels may register a closer (`services.reply_closers[channel]`, called
    with the row and its final text) that shows the note where the person sees it, e.g. by
    stopping the unfinished Slack stream or sending the note on WhatsApp.
    """
    closed = 0
    for row in await engine.episodic.unfinished():
        if engine.locks.held_here(row.conversation_id):
            continue  # a turn of this process (perhaps under a local lock while Redis was down)
        try:
            if await services.redis.exists(services.key("turn-lock", row.conversation_id)):
                continue  # a live replica's turn
            claim = services.key("recovered", str(row.id))
            if not await services.redis.set(claim, b"1", nx=True, ex=CLAIM_TTL_S):
                continue  # another replica is closing it
        except RedisError:  # a replica's turn can't be told apart; leave it for a later sweep
            continue
        closed += await _close(services, engine, row)
    if closed:
        metrics.RECOVERED_REPLIES.inc(closed)
        log.info("closed %d reply(ies) interrupted by a process that stopped", closed)
    return closed


async def _close(services: Services, engine: Engine, row: UnfinishedReply) -> bool:
    text = (row.text + "\n\n" if row.text else "") + NOTE_INTERRUPTED
    # Stored first, and only if still streaming: a turn that finished between reading the
    # row and finding its lock released must keep its answer, and get no note.
    if not await engine.episodic.close_abandoned(row.id, row.inbound_id, text):
        return False
    closer = services.reply_closers.get(row.channel)
    if closer is None:
        return True
    try:
        await asyncio.wait_for(closer(row, text), CLOSER_TIMEOUT_S)
    except Exception:
        log.exception("could not show the interruption note on %s", row.channel)
    return True


async def sweep(services: Services, engine: Engine) -> None:
    """One recovery pass, run every `SWEEP_INTERVAL_S` beside the server; never raises."""
    try:
        await close_unfinished_turns(services, engine)
    except Exception as exc:  # PostgreSQL down: try again at the next sweep
        log.warning("recovery sweep failed (%s)", type(exc).__name__)
