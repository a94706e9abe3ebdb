"""Working memory in Redis: a conversation's last turns and a person's preferences.

Each conversation keeps its last N turns in a Redis list, written in one MULTI/EXEC
(push, trim, refresh the TTL) so a reader never sees a half-written turn. A lost key (a
restart, eviction, the TTL) is rebuilt from PostgreSQL by the caller on the next turn.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

from redis.asyncio import Redis

from memory.episodic import Turn

DEFAULT_TTL_S = 24 * 3600


class WorkingMemory:
    def __init__(
        self, redis: Redis, namespace: str, *, turns: int = 20, ttl_s: int = DEFAULT_TTL_S
    ) -> None:
        self._redis = redis
        self._ns = namespace
        self.turns = turns
        self.ttl_s = ttl_s

    def turns_key(self, conversation_id: str) -> str:
        return f"{self._ns}:wm:{conversation_id}"

    def prefs_key(self, workspace: str, person: str) -> str:
        return f"{self._ns}:prefs:{workspace}:{person}"

    def loaded_key(self, conversation_id: str) -> str:
        return f"{self._ns}:wm-loaded:{conversation_id}"

    async def append(self, conversation_id: str, turns: Sequence[Turn]) -> None:
        """Add turns (oldest first) in one transaction, refreshing the TTL.

        The list is marked complete only when it was rebuilt from PostgreSQL: a list that
        was lost and then appended to is used only while PostgreSQL can't rebuild it.
        """
        if not turns:
            return
        key = self.turns_key(conversation_id)
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.rpush(key, *[_encode(turn) for turn in turns])
            pipe.ltrim(key, -self.turns, -1)
            pipe.expire(key, self.ttl_s)
            pipe.expire(self.loaded_key(conversation_id), self.ttl_s)
            await pipe.execute()

    async def replace(self, conversation_id: str, turns: Sequence[Turn]) -> None:
        """Load a conversation's turns (rebuilt from PostgreSQL) in one atomic step."""
        key = self.turns_key(conversation_id)
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.delete(key)
            if turns:
                pipe.rpush(key, *[_encode(turn) for turn in turns[-self.turns :]])
                pipe.expire(key, self.ttl_s)
            pipe.set(self.loaded_key(conversation_id), b"1", ex=self.ttl_s)
            await pipe.execute()

    async def recent(self, conversation_id: str) -> tuple[list[Turn], bool]:
        """The turns held, oldest first (refreshing the TTL), and whether they are complete."""
        key = self.turns_key(conversation_id)
        loaded = self.loaded_key(conversation_id)
        async with self._redis.pipeline(transaction=False) as pipe:
            pipe.lrange(key, 0, -1)
            pipe.expire(key, self.ttl_s)
            pipe.expire(loaded, self.ttl_s)
            raw, _, complete = await pipe.execute()
        # an empty list is never trusted: the list may have been evicted without its flag
        return [_decode(item) for item in raw], bool(complete) and bool(raw)

    async def set_preferences(self, workspace: str, person: str, prefs: dict[str, str]) -> None:
        key = self.prefs_key(workspace, person)
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.delete(key)
            if prefs:
                pipe.hset(key, mapping=prefs)
                pipe.expire(key, self.ttl_s * 7)
            await pipe.execute()

    async def preferences(self, workspace: str, person: str) -> dict[str, str] | None:
        raw = await self._redis.hgetall(self.prefs_key(workspace, person))
        if not raw:
            return None
        return {k.decode(): v.decode() for k, v in raw.items()}

    async def drop(self, *conversation_ids: str) -> None:
        keys = [k for c in conversation_ids for k in (self.turns_key(c), self.loaded_key(c))]
        if keys:
            await self._redis.delete(*keys)


def _encode(turn: Turn) -> str:
    payload = {"r": turn.role, "t": turn.text, "at": turn.at.isoformat(), "u": turn.user_id}
    if turn.message_id:
        payload["id"] = turn.message_id
    return json.dumps(payload, ensure_ascii=False)


def _decode(raw: bytes) -> Turn:
    data = json.loads(raw)
    return Turn(
        data["r"],
        data["t"],
        datetime.fromisoformat(data["at"]),
        data.get("u", ""),
        int(data.get("id", 0)),
    )
