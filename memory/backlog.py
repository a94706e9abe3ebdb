"""Answered turns waiting for their memory indexing: a bounded queue and a few workers.

Indexing (rows read back, facts, passage embeddings in a low-priority process) can fall
behind the turns: on two busy cores the 10-minute load run answered 4 turns a second while
indexing kept up with about one, and with one task per turn the pending tasks (each holding
its rows, texts and an embedding call) grew by ~3 a second, with the process's memory.
Here a turn waits as two ids, at most `limit` of them; at most `workers` tasks index, and
they end when the queue is empty (so waiting for `services.background` to empty still
means "indexing done"). When the queue is full the oldest waiting turn is left out, counted
and logged: it stays stored (history, working memory) but has no episode, facts or vectors
until the periodic catch-up (`Memory.catch_up`) finds it unindexed in PostgreSQL and queues
it again, as it does for the turns a stopped process never took and those whose indexing
failed or was cancelled (`MemoryWriter.index_turn` gives them back).
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any

log = logging.getLogger(__name__)

# Each item first yields up to 1 s to turns before their first text (`bot/priority.py`);
# several workers keep that wait from serialising the queue (the embedding process, not
# their number, sets the pace when indexing lags)
WORKERS = 8
LIMIT = 10_000  # turns waiting (two ids each, ~1 MB): over half an hour of a 3/s shortfall

Item = tuple[int, int | None]  # a turn's inbound and reply ids


class IndexBacklog:
    def __init__(
        self,
        index: Callable[[int, int | None], Awaitable[None]],
        spawn: Callable[..., asyncio.Task[Any]],
        *,
        workers: int = WORKERS,
        limit: int = LIMIT,
        on_drop: Callable[[], None] = lambda: None,
    ) -> None:
        self._index = index
        self._spawn = spawn
        self._workers = workers
        self._limit = limit
        self._on_drop = on_drop
        self._waiting: deque[Item] = deque()
        self._queued: set[int] = set()  # inbound ids waiting: a turn is queued once
        self._running = 0  # worker tasks alive
        self.dropped = 0

    def __len__(self) -> int:
        """Turns waiting (not those being indexed now)."""
        return len(self._waiting)

    def room(self) -> int:
        """How many more turns may wait before the oldest are left out."""
        return max(0, self._limit - len(self._waiting))

    def put(self, inbound_id: int, reply_id: int | None) -> None:
        if inbound_id in self._queued:
            return
        if len(self._waiting) >= self._limit:
            self._queued.discard(self._waiting.popleft()[0])
            self.dropped += 1
            self._on_drop()
            if self.dropped == 1 or self.dropped % 1000 == 0:
                log.warning("memory indexing is behind: %d turn(s) left unindexed so far "
                            "(queue full at %d)", self.dropped, self._limit)  # fmt: skip
        self._waiting.append((inbound_id, reply_id))
        self._queued.add(inbound_id)
        if self._running < self._workers:
            self._running += 1
            self._spawn(self._work(), name="memory-index")

    async def _work(self) -> None:
        try:
            while self._waiting:
                inbound_id, reply_id = self._waiting.popleft()
                self._queued.discard(inbound_id)
                await self._index(inbound_id, reply_id)
        finally:
            self._running -= 1
