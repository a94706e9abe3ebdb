"""One turn at a time per conversation, within a process and across processes.

An asyncio lock per conversation keeps this process's turns in arrival order (asyncio locks
are FIFO); a Redis lock makes other processes wait too. If Redis is unreachable the turn
goes on under the local lock alone: a degraded answer beats no answer.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from redis.exceptions import LockError, RedisError

from bot.services import Services
from bot.types import ConversationKey

log = logging.getLogger(__name__)


class ConversationLocks:
    def __init__(self, services: Services, turn_timeout_s: float) -> None:
        self._services = services
        self._local: dict[str, asyncio.Lock] = {}
        self._waiters: dict[str, int] = {}
        # A dead process's lock expires; a live one finishes its turn well within this.
        self._ttl = turn_timeout_s + 30

    @contextlib.asynccontextmanager
    async def hold(self, key: ConversationKey) -> AsyncIterator[None]:
        name = key.id
        lock = self._local.setdefault(name, asyncio.Lock())
        self._waiters[name] = self._waiters.get(name, 0) + 1
        try:
            async with lock, self._shared(name):
                yield
        finally:
            self._waiters[name] -= 1
            if not self._waiters[name]:  # nobody else waits: forget the lock
                del self._waiters[name]
                self._local.pop(name, None)

    @contextlib.asynccontextmanager
    async def _shared(self, name: str) -> AsyncIterator[None]:
        redis_lock = self._services.redis.lock(
            self._services.key("turn-lock", name),
            timeout=self._ttl,
            sleep=0.02,
            blocking_timeout=self._ttl,
        )
        acquired = False
        try:
            acquired = await redis_lock.acquire()
        except RedisError:
            log.warning("redis unavailable for the conversation lock; using the local lock only")
        try:
            yield
        finally:
            if acquired:
                with contextlib.suppress(LockError, RedisError):
                    await redis_lock.release()
