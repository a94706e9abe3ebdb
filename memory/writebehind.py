"""Write-behind: while PostgreSQL is down, a turn's writes wait in a Redis stream.

`store_inbound` / `finish_reply` of a buffered turn become stream entries (in order), and
so does the end of a reply whose row was written before PostgreSQL went away (`finish`);
`replay` applies them to PostgreSQL when it answers again, idempotently (the person's
message is unique by platform id, a reply is only added when its message has none, and a
`finish` only fills a reply still open), then deletes them. A crash between commit and
delete therefore replays harmlessly.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from redis.asyncio import Redis
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import async_sessionmaker

from bot.db import is_outage, utcnow
from bot.types import InboundMessage
from memory.models import Message

log = logging.getLogger(__name__)

_BATCH = 200


@dataclass(frozen=True)
class Replayed:
    """A turn written to PostgreSQL by a replay: what the background indexer needs."""

    inbound_id: int
    reply_id: int | None


def inbound_entry(message: InboundMessage) -> dict[str, Any]:
    return {
        "op": "inbound",
        "conversation_id": message.key.id,
        "channel": message.channel,
        "workspace": message.workspace,
        "user_id": message.user_id,
        "text": message.text,
        "platform_message_id": message.message_id,
        "attachments": [a.url for a in message.attachments],
        "at": message.received_at.isoformat(),
    }


def finish_entry(
    reply_id: int,
    inbound_id: int,
    text: str,
    status: str,
    stats: dict[str, Any],
    *,
    channel: str,
    user_id: str,
) -> dict[str, Any]:
    """The end of a reply whose row PostgreSQL already holds (it went away mid-reply)."""
    return {
        "op": "finish",
        "reply_id": reply_id,
        "inbound_id": inbound_id,
        "channel": channel,
        "user_id": user_id,  # so erasure finds it
        "text": text,
        "status": status,
        "stats": stats,
    }


class WriteBehind:
    def __init__(self, redis: Redis, namespace: str) -> None:
        self._redis = redis
        self.key = f"{namespace}:memory:writebehind"
        self._lock_key = f"{namespace}:memory:writebehind:lock"
        self.dead_key = f"{namespace}:memory:writebehind:refused"  # kept for an operator

    async def add(self, entry: dict[str, Any]) -> None:
        await self._redis.xadd(self.key, {"e": json.dumps(entry, ensure_ascii=False)})

    async def pending(self) -> int:
        return int(await self._redis.xlen(self.key))

    async def entries(self, key: str = "") -> list[tuple[bytes, dict[str, Any]]]:
        """The waiting entries (or those of another stream of ours, e.g. `dead_key`)."""
        raw = await self._redis.xrange(key or self.key, count=100_000)
        return [(entry_id, json.loads(fields[b"e"])) for entry_id, fields in raw]

    async def replay(self, sessions: async_sessionmaker) -> list[Replayed]:
        """Apply every waiting entry in order; one replayer at a time across processes."""
        lock = self._redis.lock(self._lock_key, timeout=120, blocking_timeout=0)
        if not await lock.acquire():
            return []
        done: list[Replayed] = []
        try:
            while True:
                batch = await self._redis.xrange(self.key, count=_BATCH)
                if not batch:
                    break
                async with sessions.begin() as session:
                    for entry_id, fields in batch:
                        applied = await self._apply_one(session, entry_id, fields)
                        if applied is not None:
                            done.append(applied)
                await self._redis.xdel(self.key, *[entry_id for entry_id, _ in batch])
        finally:
            await lock.release()
        if done:
            log.info("replayed %d buffered turn(s) into PostgreSQL", len(done))
        return done

    async def _apply_one(self, session: Any, entry_id: bytes, fields: dict) -> Replayed | None:
        """Apply one entry in a savepoint. An entry PostgreSQL refuses (bad data, not an
        outage) moves to the dead-letter stream, so it can't hold back everyone else's."""
        try:
            async with session.begin_nested():
                return await _apply(session, json.loads(fields[b"e"]))
        except Exception as exc:
            if is_outage(exc):
                raise
            log.error("buffered turn refused by PostgreSQL (%s); kept aside", type(exc).__name__)
            await self._redis.xadd(self.dead_key, fields)
            return None

    async def forget(self, channel: str, user_id: str) -> int:
        """Drop a person's buffered and refused entries (erasure must reach them too)."""
        dropped = 0
        for key in (self.key, self.dead_key):
            doomed = [
                entry_id
                for entry_id, entry in await self.entries(key)
                if entry.get("channel") == channel and entry.get("user_id") == user_id
            ]
            if doomed:
                await self._redis.xdel(key, *doomed)
            dropped += len(doomed)
        return dropped


async def _inbound_id(session: Any, channel: str, platform_id: str) -> int | None:
    query = select(Message.id).where(
        Message.channel == channel, Message.platform_message_id == platform_id
    )
    return (await session.execute(query)).scalar_one_or_none()


async def _apply(session: Any, entry: dict[str, Any]) -> Replayed | None:
    if entry["op"] == "finish":
        return await _apply_finish(session, entry)
    if entry["op"] == "inbound":
        statement = (
            insert(Message)
            .values(
                conversation_id=entry["conversation_id"],
                channel=entry["channel"],
                workspace=entry["workspace"],
                user_id=entry["user_id"],
                role="user",
                text=entry["text"],
                platform_message_id=entry["platform_message_id"],
                status="pending",
                attachments=json.dumps(entry["attachments"]) if entry["attachments"] else None,
                created_at=datetime.fromisoformat(entry["at"]),
                updated_at=utcnow(),
            )
            .on_conflict_do_nothing(constraint="uq_messages_platform_id")
        )
        await session.execute(statement)
        return None
    inbound_id = await _inbound_id(session, entry["channel"], entry["platform_message_id"])
    if inbound_id is None:
        log.warning("buffered reply without its message; skipped")
        return None
    inbound = await session.get(Message, inbound_id)
    inbound.status = entry["inbound_status"]
    inbound.updated_at = utcnow()
    if entry["op"] == "close":
        return Replayed(inbound_id, None)
    existing = await session.execute(
        select(Message.id).where(Message.reply_to_id == inbound_id, Message.role == "assistant")
    )
    if existing.first() is not None:
        return None
    stats = entry.get("stats", {})
    reply = Message(
        conversation_id=inbound.conversation_id,
        channel=inbound.channel,
        workspace=inbound.workspace,
        user_id=inbound.user_id,
        role="assistant",
        text=entry["text"],
        reply_to_id=inbound_id,
        status=entry["status"],
        model=stats.get("model") or None,
        input_tokens=stats.get("input_tokens"),
        output_tokens=stats.get("output_tokens"),
        cache_read_tokens=stats.get("cache_read_tokens"),
        latency_ms=stats.get("latency_ms"),
        created_at=datetime.fromisoformat(entry["at"]),
        updated_at=utcnow(),
    )
    session.add(reply)
    await session.flush()
    return Replayed(inbound_id, reply.id)


async def _apply_finish(session: Any, entry: dict[str, Any]) -> Replayed | None:
    """Fill a reply left open (or closed as partial by recovery, with less text) when
    PostgreSQL went away; a reply finished since, or erased, is left alone."""
    reply = await session.get(Message, entry["reply_id"])
    if reply is None or reply.status not in ("streaming", "partial"):
        return None
    stats = entry.get("stats", {})
    reply.text = entry["text"]
    reply.status = entry["status"]
    reply.model = stats.get("model") or None
    reply.input_tokens = stats.get("input_tokens")
    reply.output_tokens = stats.get("output_tokens")
    reply.cache_read_tokens = stats.get("cache_read_tokens")
    reply.latency_ms = stats.get("latency_ms")
    reply.updated_at = utcnow()
    inbound = await session.get(Message, entry["inbound_id"])
    if inbound is not None:
        inbound.status = "answered" if entry["status"] == "complete" else "failed"
        inbound.updated_at = utcnow()
    await session.flush()
    return Replayed(entry["inbound_id"], reply.id)
