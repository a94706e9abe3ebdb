"""WhatsApp messages kept from the webhook's answer until their turn has taken them.

Twilio sends a message once and never again, so the first thing the webhook's task does is
put the message in Redis (one HSET; the answer itself doesn't wait for Redis's reply, which
on a loop busy with a burst costs several of its turns). The process that took it owns it
and removes it once its pipeline is done with it. A process that dies leaves its
messages behind: every process beats a short-lived owner key, and a sweep (any replica, or
the same one restarted) claims the messages of owners whose key has lapsed, one claimer
each (HDEL answers 1 once), so the channel can keep each and tell the person.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from multidict import MultiDict
from redis.asyncio import BlockingConnectionPool, Redis
from redis.exceptions import RedisError

from adapters.whatsapp.parse import ParseError, sender_of

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)

OWNER_TTL_S = 30.0  # a dead process's messages are claimed this long after its last beat
BEAT_S = 10.0
CONNECTIONS = 8
ORPHAN = ""  # the owner of a message left for the sweep: no process beats this key
QUEUE_TTL_S = 24 * 3600  # a dead worker's list expires (its messages are claimed here)
MAX_TRIES = 60  # a message whose recovery keeps failing is retried for ~10 minutes


@dataclass(frozen=True)
class Kept:
    """A message as the webhook received it: the form, its status callback, when."""

    form: list[tuple[str, str]]
    callback: str
    at: datetime
    message_id: str = ""
    tries: int = 0


class Inbox:
    def __init__(self, services: Services, owner: str = "") -> None:
        # A client of its own, its few connections opened ahead (`open`): until this write
        # lands the message lives only in memory, so it must not queue for the shared pool
        # behind every turn's Redis traffic in a burst, nor pay a new connection's handshake.
        shared = services.redis.connection_pool
        self._redis = Redis(
            connection_pool=BlockingConnectionPool(
                connection_class=shared.connection_class,
                max_connections=CONNECTIONS,
                timeout=5,
                **shared.connection_kwargs,
            )
        )
        self._key = services.key("whatsapp", "inbox")
        self._owner_prefix = services.key("whatsapp", "inbox-owner") + ":"
        # The process that answers the message: this one, or its replica's turn worker.
        self.owner = owner or secrets.token_hex(8)

    async def keep(
        self,
        message_id: str,
        form: Iterable[tuple[str, str]],
        callback: str,
        *,
        queue: str = "",
        item: str = "",
    ) -> bool:
        """Keep a message until `done`, and with `queue` (a turn worker's list) queue `item`
        (its id, by default) there in the same transaction. False (logged) when Redis
        can't: the message is then answered from memory, never refused."""
        entry = {
            "owner": self.owner,
            "form": list(form),
            "callback": callback,
            "at": datetime.now(UTC).isoformat(),
        }
        try:
            if queue:
                async with self._redis.pipeline(transaction=True) as both:
                    both.hset(self._key, message_id, json.dumps(entry, ensure_ascii=False))
                    both.rpush(queue, item or message_id)
                    both.expire(queue, QUEUE_TTL_S)
                    await both.execute()
            else:
                await self._put(message_id, entry)
        except RedisError as exc:
            log.warning("whatsapp message not kept in redis (%s); answered from memory",
                        type(exc).__name__)  # fmt: skip
            return False
        return True

    async def kept(self, message_id: str) -> Kept | None:
        """A kept message, or None when it is gone (answered, or claimed by a sweep)."""
        raw = await self._redis.hget(self._key, message_id)
        return None if raw is None else _kept(message_id, json.loads(raw))

    async def done(self, message_id: str) -> None:
        try:
            await self._redis.hdel(self._key, message_id)
        except RedisError:
            log.warning("a handled whatsapp message stays in the inbox until a sweep")

    async def release(self, message_id: str) -> None:
        """Leave a message its pipeline failed on (PostgreSQL refusing connections before
        anyone could tell who sent it) to the next sweep, as if its process had died."""
        try:
            raw = await self._redis.hget(self._key, message_id)
            if raw is not None:
                await self._put(message_id, json.loads(raw) | {"owner": ORPHAN})
        except RedisError:
            log.warning("a failed whatsapp message could not be left for the sweep")

    async def give_back(self, kept: Kept) -> bool:
        """A claimed message whose recovery failed goes back for the next sweep, up to
        `MAX_TRIES` times (then it is dropped, logged). False when it was dropped."""
        if kept.tries + 1 >= MAX_TRIES:
            log.error("a whatsapp message could not be recovered in %d tries; dropped", MAX_TRIES)
            return False
        entry = {
            "owner": ORPHAN,
            "form": kept.form,
            "callback": kept.callback,
            "at": kept.at.isoformat(),
            "tries": kept.tries + 1,
        }
        with contextlib.suppress(RedisError):
            await self._put(kept.message_id, entry)
        return True

    async def _put(self, message_id: str, entry: dict[str, object]) -> None:
        await self._redis.hset(self._key, message_id, json.dumps(entry, ensure_ascii=False))

    async def open(self) -> None:
        """Open the connections before the first webhook needs one."""
        await asyncio.gather(*(self._redis.ping() for _ in range(CONNECTIONS)))

    async def beat(self) -> None:
        """Say this process is alive (its messages are not orphans)."""
        await self._redis.set(self._owner_prefix + self.owner, b"1", px=int(OWNER_TTL_S * 1000))

    async def leave(self) -> None:
        """A clean stop: what is left (nothing, normally) may be claimed at once."""
        with contextlib.suppress(RedisError):
            await self._redis.delete(self._owner_prefix + self.owner)
        await self._redis.aclose()

    async def close(self) -> None:
        """Close without leaving (a web process keeps messages for its worker, who owns them)."""
        await self._redis.aclose()

    async def claim_orphans(self) -> list[Kept]:
        """The messages of processes that are gone, each claimed by this caller alone."""
        kept = await self._redis.hgetall(self._key)
        entries = {sid.decode(): json.loads(raw) for sid, raw in kept.items()}
        owners = sorted({entry["owner"] for entry in entries.values()} - {self.owner})
        alive = await self._alive(owners)
        claimed: list[Kept] = []
        for sid, entry in entries.items():
            if entry["owner"] == self.owner or entry["owner"] in alive:
                continue
            if await self._redis.hdel(self._key, sid) != 1:
                continue  # another replica claimed it
            claimed.append(_kept(sid, entry))
        return claimed

    async def _alive(self, owners: list[str]) -> set[str]:
        if not owners:
            return set()
        found = await self._redis.mget([self._owner_prefix + owner for owner in owners])
        return {owner for owner, value in zip(owners, found, strict=True) if value is not None}


def _sent_by(entry: dict[str, Any], user_id: str) -> bool:
    try:
        return sender_of(MultiDict(entry.get("form", []))) == user_id
    except ParseError:
        return False


def _kept(message_id: str, entry: dict[str, Any]) -> Kept:
    form = [(str(name), str(value)) for name, value in entry["form"]]
    at = datetime.fromisoformat(entry["at"])
    return Kept(form, entry["callback"], at, message_id, entry.get("tries", 0))


async def forget_waiting(redis: Redis, key: str, user_id: str) -> int:
    """Drop a person's messages no turn has taken yet from the inbox at `key` (erasure must
    reach them: a kept message is answered, and so stored, later). A queued id left without
    its entry is skipped as answered."""
    doomed = [
        message_id
        for message_id, raw in (await redis.hgetall(key)).items()
        if _sent_by(json.loads(raw), user_id)
    ]
    if doomed:
        await redis.hdel(key, *doomed)
    return len(doomed)
