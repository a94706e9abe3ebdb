"""The engine's store of turns: PostgreSQL first, the write-behind stream when it is down.

It keeps `EpisodicStore`'s methods (the engine and recovery call them) and adds two things:
each finished turn is appended to working memory, and while PostgreSQL is unreachable a
turn is buffered in Redis under a negative id (nothing is lost; `replay` writes it later).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from typing import Any

from redis.exceptions import RedisError
from sqlalchemy.ext.asyncio import async_sessionmaker

from bot import metrics
from bot.db import is_outage
from bot.types import InboundMessage
from memory.episodic import EpisodicStore, ReplyStats, Turn
from memory.working import WorkingMemory
from memory.writebehind import WriteBehind, finish_entry, inbound_entry

log = logging.getLogger(__name__)

RETRY_AFTER_S = 2.0  # after a failure, skip PostgreSQL this long instead of waiting on it
DOWN = object()  # what `TurnStore._postgres` answers when the write must be buffered


class PostgresGate:
    """Remembers that PostgreSQL just failed, so a turn doesn't wait on it again and again."""

    def __init__(self) -> None:
        self.down_until = 0.0
        self.failures = 0

    @property
    def open(self) -> bool:
        return time.monotonic() >= self.down_until

    def failed(self) -> None:
        self.failures += 1
        self.down_until = time.monotonic() + RETRY_AFTER_S

    def succeeded(self) -> None:
        self.down_until = 0.0


class TurnStore(EpisodicStore):
    def __init__(
        self,
        sessions: async_sessionmaker,
        working: WorkingMemory,
        buffer: WriteBehind,
        gate: PostgresGate,
    ) -> None:
        super().__init__(sessions)
        self.working = working
        self.buffer = buffer
        self.gate = gate
        self._open: dict[int, tuple[InboundMessage, Turn]] = {}  # turns in flight
        self._next_buffered = 0

    async def _postgres(self, write: Callable[..., Awaitable[Any]], *args: Any, **kw: Any) -> Any:
        """`write(*args, **kw)` on PostgreSQL, or `DOWN` when PostgreSQL is (or just was)
        unreachable: the caller then buffers. Bad data is no outage: buffering it would
        only fail later, so that error propagates."""
        if not self.gate.open:
            return DOWN
        try:
            result = await write(*args, **kw)
        except Exception as exc:
            if not is_outage(exc):
                raise
            log.warning("PostgreSQL unavailable (%s); buffering", type(exc).__name__)
            self.gate.failed()
            return DOWN
        self.gate.succeeded()
        return result

    async def store_inbound(self, message: InboundMessage) -> int | None:
        inbound_id = await self._postgres(super().store_inbound, message)
        if inbound_id is not DOWN:
            if inbound_id is not None:
                self._remember(inbound_id, message)
            return inbound_id
        # Raises when Redis is down too: then the engine tells the person it wasn't saved.
        await self.buffer.add(inbound_entry(message))
        self._next_buffered -= 1
        self._remember(self._next_buffered, message)
        return self._next_buffered

    async def open_turn(self, message: InboundMessage) -> tuple[int, int] | None:
        opened = await self._postgres(super().open_turn, message, created_at=_reply_time(message))
        if opened is not DOWN:
            if opened is not None:
                self._remember(opened[0], message)
            return opened
        inbound_id = await self.store_inbound(message)  # buffered: the reply stays buffered too
        return None if inbound_id is None else (inbound_id, inbound_id)

    def _remember(self, inbound_id: int, message: InboundMessage) -> None:
        turn = Turn("user", message.text, message.received_at, message.user_id, max(inbound_id, 0))
        self._open[inbound_id] = (message, turn)

    async def start_reply(self, inbound_id: int, message: InboundMessage) -> int:
        if inbound_id < 0:
            return inbound_id  # a buffered turn stays buffered to its end
        return await super().start_reply(inbound_id, message, created_at=_reply_time(message))

    async def finish_reply(
        self, reply_id: int, inbound_id: int, text: str, status: str, stats: ReplyStats
    ) -> None:
        message, inbound_turn = self._open.pop(inbound_id, (None, None))
        inbound_status = "answered" if status == "complete" else "failed"
        if reply_id < 0 and message is not None:
            await self.buffer.add(
                {
                    "op": "reply",
                    "channel": message.channel,
                    "platform_message_id": message.message_id,
                    "inbound_status": inbound_status,
                    "text": text,
                    "status": status,
                    "stats": asdict(stats),
                    "at": _reply_time(message).isoformat(),
                }
            )
            stored = None
        else:
            stored = self._finish_in_postgres(reply_id, inbound_id, text, status, stats, message)
        remembered = None
        if message is not None and inbound_turn is not None:
            turns = [inbound_turn]
            if text:
                turns.append(
                    Turn("assistant", text, _reply_time(message), message.user_id, max(reply_id, 0))
                )
            remembered = self._remember_turns(message, turns)
        # PostgreSQL's update and working memory's append travel at the same time.
        await asyncio.gather(*(step for step in (stored, remembered) if step is not None))

    async def _finish_in_postgres(
        self,
        reply_id: int,
        inbound_id: int,
        text: str,
        status: str,
        stats: ReplyStats,
        message: InboundMessage | None,
    ) -> None:
        """Store the reply's end; if PostgreSQL went away since its row was written, the
        end waits in the write-behind stream (the answer was shown: it must not be lost)."""
        finish = super().finish_reply
        if await self._postgres(finish, reply_id, inbound_id, text, status, stats) is not DOWN:
            return
        # Raises when Redis is down too: then the engine says the turn broke.
        await self.buffer.add(
            finish_entry(
                reply_id,
                inbound_id,
                text,
                status,
                asdict(stats),
                channel=message.channel if message else "",
                user_id=message.user_id if message else "",
            )
        )

    async def close_inbound(self, inbound_id: int, status: str) -> None:
        message, _ = self._open.pop(inbound_id, (None, None))
        if inbound_id < 0 and message is not None:
            await self.buffer.add(
                {
                    "op": "close",
                    "channel": message.channel,
                    "platform_message_id": message.message_id,
                    "inbound_status": status,
                }
            )
            return
        await super().close_inbound(inbound_id, status)

    async def _remember_turns(self, message: InboundMessage, turns: list[Turn]) -> None:
        try:
            await self.working.append(message.key.id, turns)
        except RedisError:
            metrics.MEMORY_ERRORS.labels("redis").inc()
            log.warning("redis unavailable; working memory not updated (rebuilt later)")


def _reply_time(message: InboundMessage) -> datetime:
    """A reply is dated on the message's clock (received + time spent since), so history
    written with the platform's timestamps stays in order."""
    return max(message.received_at, min(datetime.now(UTC), message.received_at + _SLACK))


_SLACK = timedelta(minutes=5)
