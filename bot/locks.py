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
import uuid
from collections.abc import AsyncIterator

from redis.asyncio import Redis
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
        self._scripts = _Scripts(services.redis)

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
        member, token = queued
        try:
            # Show other processes this waiter is alive (a dead one's place is given up).
            async with every(LOCK_TTL_S / 3, lambda: self._alive(name, member), name="turn-alive"):
                if token is not None:  # at the head with the lock free: taken in one go
                    async with self._renewed(self._lock(name), token):
                        yield
                else:
                    await self._wait_for_head(name, member)
                    async with self._locked(name):
                        yield
        finally:
            # after the heartbeats, so none marks the waiter alive again
            if token is None or not await self._release_and_dequeue(name, member, token):
                await self._dequeue(name, member)

    # -- the arrival-order queue -----------------------------------------------------------

    def _queue_keys(self, name: str, member: str) -> tuple[str, str]:
        key = self._services.key
        return key("turn-queue", name), key("turn-alive", name, member)

    async def _enqueue(
        self, name: str, ticket: tuple[str, float]
    ) -> tuple[str, bytes | None] | None:
        """Join the conversation's queue; when this turn is at its head and the lock is free,
        take the lock in the same script (one round trip for an uncontended turn). Returns
        (member, the lock's token when taken), or None without Redis."""
        member, arrived = ticket
        queue, alive = self._queue_keys(name, member)
        token = uuid.uuid4().hex.encode()
        try:
            took = await self._scripts.enqueue(
                keys=[queue, alive, self._services.key("turn-lock", name)],
                args=[member, arrived, int(LOCK_TTL_S * 1000), token],
            )
        except RedisError:
            metrics.MEMORY_ERRORS.labels("redis").inc()
            return None  # no queue: the lock alone (or the local lock) orders turns
        return member, (token if took else None)

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

    async def _release_and_dequeue(self, name: str, member: str, token: bytes) -> bool:
        """Free the lock (if still ours) and leave the queue in one round trip."""
        queue, alive = self._queue_keys(name, member)
        lock = self._services.key("turn-lock", name)
        try:
            await self._scripts.release(keys=[lock, queue, alive], args=[token, member])
        except RedisError:
            return False
        return True

    # -- the lock ----------------------------------------------------------------------------

    def _lock(self, name: str) -> Lock:
        return self._services.redis.lock(
            self._services.key("turn-lock", name),
            timeout=LOCK_TTL_S,
            sleep=0.02,
            blocking_timeout=self._wait_s,
        )

    @contextlib.asynccontextmanager
    async def _renewed(self, redis_lock: Lock, token: bytes) -> AsyncIterator[None]:
        """Hold a lock taken with `token`: renewed while the turn runs."""
        redis_lock.local.token = token  # what the lock's own reacquire/release check
        async with every(LOCK_TTL_S / 3, lambda: _renew(redis_lock), name="turn-lock-renew"):
            yield

    @contextlib.asynccontextmanager
    async def _locked(self, name: str) -> AsyncIterator[None]:
        redis_lock = self._lock(name)
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


# KEYS: queue, alive, lock; ARGV: member, arrival time, ttl ms, token. Joins the queue (kept
# an hour), marks the waiter alive and, when it is at the head and the lock is free, takes
# the lock (as redis-py's Lock does: SET NX PX with a token). 1 when the lock was taken.
_ENQUEUE = """
redis.call('ZADD', KEYS[1], 'NX', ARGV[2], ARGV[1])
redis.call('EXPIRE', KEYS[1], 3600)
redis.call('SET', KEYS[2], '1', 'PX', ARGV[3])
local head = redis.call('ZRANGE', KEYS[1], 0, 0)
if head[1] == ARGV[1] and redis.call('SET', KEYS[3], ARGV[4], 'NX', 'PX', ARGV[3]) then
    return 1
end
return 0
"""
# KEYS: lock, queue, alive; ARGV: token, member. Frees the lock if it is still ours, leaves
# the queue.
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
redis.call('ZREM', KEYS[2], ARGV[2])
redis.call('DEL', KEYS[3])
return 1
"""


class _Scripts:
    """The lock's Lua scripts, registered once per client (run by hash, loaded on a miss)."""

    def __init__(self, redis: Redis) -> None:
        self.enqueue = redis.register_script(_ENQUEUE)
        self.release = redis.register_script(_RELEASE)
