"""One turn at a time per conversation, within a process and across processes.

An asyncio lock per conversation keeps this process's turns in arrival order (asyncio locks
are FIFO); a Redis lock makes other processes wait too. The Redis lock is short-lived and
renewed while the turn runs, so a killed process frees its conversations within seconds
(and `bot.recovery` can tell a dead turn from a live one by the lock). Across processes,
turns go in the order their messages arrived: each waits in a per-conversation queue in
Redis (a sorted set scored by arrival time) until it is at the head, so two replicas racing
for the lock can't swap two of one person's messages. While Redis is unreachable a
PostgreSQL advisory lock on the conversation stands in (a session lock on a connection held
for the turn, so a dead process frees it when its connection drops): two replicas still
never run one conversation at once, though turns then go in lock order, not arrival order.
Only if PostgreSQL fails too does the turn go on under the local lock alone.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import time
from collections.abc import AsyncIterator

from redis.asyncio.lock import Lock
from redis.exceptions import LockError, RedisError
from sqlalchemy import text

from bot import metrics
from bot.periodic import every
from bot.services import Services
from bot.types import ConversationKey

log = logging.getLogger(__name__)

LOCK_TTL_S = 10.0  # a dead holder's lock lapses this long after its last renewal


class ConversationLocks:
    def __init__(self, services: Services, turn_timeout_s: float) -> None:
        self._services = services
        self._local: dict[str, asyncio.Lock] = {}
        self._waiters: dict[str, int] = {}
        self._wait_s = turn_timeout_s + 30  # the longest an earlier turn may take

    @contextlib.asynccontextmanager
    async def hold(
        self, key: ConversationKey, ticket: tuple[str, float] | None = None
    ) -> AsyncIterator[None]:
        """Hold the conversation; `ticket` (message id, arrival time) orders waiting turns
        across processes."""
        name = key.id
        lock = self._local.setdefault(name, asyncio.Lock())
        self._waiters[name] = self._waiters.get(name, 0) + 1
        try:
            async with lock, self._shared(name, ticket):
                yield
        finally:
            self._waiters[name] -= 1
            if not self._waiters[name]:  # nobody else waits: forget the lock
                del self._waiters[name]
                self._local.pop(name, None)

    def held_here(self, name: str) -> bool:
        """Whether this process runs (or queues) a turn of conversation `name` now."""
        return name in self._local

    @contextlib.asynccontextmanager
    async def _shared(self, name: str, ticket: tuple[str, float] | None) -> AsyncIterator[None]:
        queued = await self._enqueue(name, ticket) if ticket else None
        if queued is None:
            async with self._locked(name):
                yield
            return
        try:
            # Show other processes this waiter is alive (a dead one's place is given up).
            async with every(LOCK_TTL_S / 3, lambda: self._alive(name, queued), name="turn-alive"):
                await self._wait_for_head(name, queued)
                async with self._locked(name):
                    yield
        finally:
            await self._dequeue(name, queued)

    # -- the arrival-order queue -----------------------------------------------------------

    def _queue_keys(self, name: str, member: str) -> tuple[str, str]:
        key = self._services.key
        return key("turn-queue", name), key("turn-alive", name, member)

    async def _enqueue(self, name: str, ticket: tuple[str, float]) -> str | None:
        member, arrived = ticket
        queue, alive = self._queue_keys(name, member)
        try:
            async with self._services.redis.pipeline(transaction=True) as pipe:
                pipe.zadd(queue, {member: arrived}, nx=True).expire(queue, 3600)
                await pipe.set(alive, b"1", px=int(LOCK_TTL_S * 1000)).execute()
        except RedisError:
            metrics.MEMORY_ERRORS.labels("redis").inc()
            return None  # no queue: the lock alone (or the local lock) orders turns
        return member

    async def _alive(self, name: str, member: str) -> None:
        _, alive = self._queue_keys(name, member)
        with contextlib.suppress(RedisError):
            await self._services.redis.set(alive, b"1", px=int(LOCK_TTL_S * 1000))

    async def _wait_for_head(self, name: str, member: str) -> None:
        queue, _ = self._queue_keys(name, member)
        redis = self._services.redis
        deadline = time.monotonic() + self._wait_s
        try:
            while time.monotonic() < deadline:
                head = await redis.zrange(queue, 0, 0)
                if not head or head[0].decode() == member:
                    return
                first = head[0].decode()
                if not await redis.exists(self._queue_keys(name, first)[1]):
                    await redis.zrem(queue, first)  # its process died: skip it
                    continue
                await asyncio.sleep(0.02)
            log.warning("waited %.0fs for an earlier turn; going ahead", self._wait_s)
        except RedisError:
            metrics.MEMORY_ERRORS.labels("redis").inc()

    async def _dequeue(self, name: str, member: str) -> None:
        queue, alive = self._queue_keys(name, member)
        with contextlib.suppress(RedisError):
            async with self._services.redis.pipeline(transaction=True) as pipe:
                await pipe.zrem(queue, member).delete(alive).execute()

    # -- the lock ----------------------------------------------------------------------------

    @contextlib.asynccontextmanager
    async def _locked(self, name: str) -> AsyncIterator[None]:
        redis_lock = self._services.redis.lock(
            self._services.key("turn-lock", name),
            timeout=LOCK_TTL_S,
            sleep=0.02,
            blocking_timeout=self._wait_s,
        )
        acquired = False
        try:
            acquired = await redis_lock.acquire()
        except RedisError:
            metrics.MEMORY_ERRORS.labels("redis").inc()
            log.warning("redis unavailable for the conversation lock; using PostgreSQL's")
            async with self._advisory(name):
                yield
            return
        if not acquired:
            yield
            return
        try:
            async with every(LOCK_TTL_S / 3, lambda: _renew(redis_lock), name="turn-lock-renew"):
                yield
        finally:
            with contextlib.suppress(LockError, RedisError):
                await redis_lock.release()

    @contextlib.asynccontextmanager
    async def _advisory(self, name: str) -> AsyncIterator[None]:
        """The conversation's PostgreSQL advisory lock, held on one connection for the turn."""
        key = advisory_key(self._services.key("turn-lock", name))
        deadline = time.monotonic() + self._wait_s
        try:
            conn = await self._services.db.connect()
        except Exception as exc:
            metrics.MEMORY_ERRORS.labels("postgres").inc()
            log.warning("no lock store reachable (%s); using the local lock only",
                        type(exc).__name__)  # fmt: skip
            yield
            return
        locked = False
        try:
            try:
                while not (locked := bool(await conn.scalar(_TRY_LOCK, {"key": key}))):
                    if time.monotonic() > deadline:
                        log.warning("waited %.0fs for the conversation; going ahead", self._wait_s)
                        break
                    await asyncio.sleep(0.02)
            except Exception as exc:
                metrics.MEMORY_ERRORS.labels("postgres").inc()
                log.warning("advisory lock failed (%s); using the local lock only",
                            type(exc).__name__)  # fmt: skip
            yield
        finally:
            try:
                if locked:
                    await conn.scalar(_UNLOCK, {"key": key})
                await conn.close()
            except Exception:
                # never hand a connection that may still hold the lock back to the pool
                with contextlib.suppress(Exception):
                    await conn.invalidate()
                    await conn.close()


_TRY_LOCK = text("SELECT pg_try_advisory_lock(:key)")
_UNLOCK = text("SELECT pg_advisory_unlock(:key)")


def advisory_key(name: str) -> int:
    """A stable signed 64-bit key for `name` (the same in every process)."""
    return int.from_bytes(
        hashlib.blake2b(name.encode(), digest_size=8).digest(), "big", signed=True
    )


async def _renew(redis_lock: Lock) -> None:
    """Keep the lock alive while the turn runs; a Redis blip only skips a renewal."""
    try:
        await redis_lock.reacquire()
    except (LockError, RedisError) as exc:
        log.warning("conversation lock not renewed (%s)", type(exc).__name__)
