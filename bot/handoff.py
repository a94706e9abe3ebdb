"""Turns handed from a replica's web process to its turn worker, through Redis lists.

`castmatch serve` runs two processes per replica: the web process, whose event loop only
answers webhooks (check the request, put it on a list in Redis, answer), and a turn worker
that takes items off those lists and runs the turns. A burst's acknowledgements then never
queue behind turn work (prompt building, JSON, SQLAlchemy, tokenising) on one loop.

Each channel has its own list and its own bound on turns in flight in the worker, so one
channel's backlog (Slack replies waiting for Slack's posting budget) never holds another's
turns back. The worker beats a key while it lives; the web process waits for it before
serving, and stops when it exits (the two are one replica).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from aiohttp import web
from redis.asyncio import BlockingConnectionPool, Redis
from redis.exceptions import RedisError

from bot.entry_order import EntryLine

log = logging.getLogger(__name__)

ALIVE_TTL_S = 15.0  # a worker that stopped beating this long ago is gone
BEAT_S = 5.0
LIST_TTL_S = 24 * 3600  # a dead worker's leftover list expires (its messages are swept)
TAKE_WAIT_S = 1.0  # a blocked take wakes this often to notice a stop
CONNECTIONS = 8  # warm connections: a put must not wait for a handshake in a burst
# Items one round trip takes when they wait and slots are free. On a worker's loop busy with a
# burst's turns each round trip waits for the loop, so taking them one by one started the
# burst's last WhatsApp message seconds after its first.
TAKE_AT_ONCE = 32

# Append unless the list already holds `bound` items (0: no bound), atomically.
_PUT = """
local bound = tonumber(ARGV[2])
if bound > 0 and redis.call('LLEN', KEYS[1]) >= bound then
  return 0
end
redis.call('RPUSH', KEYS[1], ARGV[1])
redis.call('EXPIRE', KEYS[1], ARGV[3])
return 1
"""


class Handoff:
    """One replica's lists: `put` in the web process, `take` in the worker."""

    def __init__(self, redis: Redis, namespace: str, worker_id: str) -> None:
        # A client of its own with warm connections: an ack waits for one round trip only.
        shared = redis.connection_pool
        self._redis = Redis(
            connection_pool=BlockingConnectionPool(
                connection_class=shared.connection_class,
                max_connections=CONNECTIONS,
                timeout=5,
                **shared.connection_kwargs,
            )
        )
        self._prefix = f"{namespace}:handoff:{worker_id}"
        self.worker_id = worker_id
        self._put = self._redis.register_script(_PUT)

    def queue(self, channel: str) -> str:
        """The Redis list of `channel`'s items waiting for this replica's worker."""
        return f"{self._prefix}:{channel}"

    async def open(self) -> None:
        await asyncio.gather(*(self._redis.ping() for _ in range(CONNECTIONS)))

    async def close(self) -> None:
        await self._redis.aclose()

    async def put(self, channel: str, item: bytes, bound: int = 0) -> bool:
        """Queue `item` for the worker; False when `bound` items already wait."""
        added = await self._put(keys=[self.queue(channel)], args=[item, bound, int(LIST_TTL_S)])
        return bool(added)

    async def take(self, channel: str) -> bytes | None:
        """The oldest item of `channel`, waiting at most `TAKE_WAIT_S` (None then)."""
        found = await self._redis.blpop([self.queue(channel)], timeout=TAKE_WAIT_S)
        return None if found is None else bytes(found[1])

    async def take_now(self, channel: str) -> bytes | None:
        found = await self._redis.lpop(self.queue(channel))
        return None if found is None else bytes(found)

    async def take_waiting(self, channel: str, most: int) -> list[bytes]:
        """Up to `most` of `channel`'s oldest items, without waiting (one round trip)."""
        found = await self._redis.lpop(self.queue(channel), most)
        return [bytes(item) for item in found or ()]

    async def depth(self, channel: str) -> int:
        return int(await self._redis.llen(self.queue(channel)))

    async def beat(self) -> None:
        await self._redis.set(f"{self._prefix}:alive", b"1", px=int(ALIVE_TTL_S * 1000))

    async def alive(self) -> bool:
        return bool(await self._redis.exists(f"{self._prefix}:alive"))

    async def leave(self) -> None:
        with contextlib.suppress(RedisError):
            await self._redis.delete(f"{self._prefix}:alive")


# In the web process's app when a worker runs the turns: the channels' routes queue there.
HANDOFF_KEY = web.AppKey("handoff", Handoff)

Run = Callable[[bytes], Awaitable[None]]


class Consumer:
    """Takes one channel's items in order and runs each in a task owned by `spawn`, at most
    `limit` at once (and each after `room()`): the rest wait in Redis, not in memory. Without
    `room`, what waits behind an item is taken with it (as many as slots are free)."""

    def __init__(
        self,
        handoff: Handoff,
        channel: str,
        run: Run,
        spawn: Callable[..., asyncio.Task[None]],
        *,
        limit: int,
        room: Callable[[], Awaitable[None]] | None = None,
        order_key: Callable[[bytes], str] | None = None,
    ) -> None:
        self.handoff = handoff
        self.channel = channel
        self._run = run
        self._spawn = spawn
        self._slots = asyncio.Semaphore(limit)
        self._room = room
        self._stopping = asyncio.Event()
        # with `order_key` (an item's conversation), one conversation's items enter the
        # channel in queue order, though each first reads its message (bot.entry_order)
        self._order_key = order_key
        self._line = EntryLine()
        self._task = asyncio.create_task(self._loop(), name=f"handoff-{channel}")

    async def _loop(self) -> None:
        while not self._stopping.is_set():
            await self._slots.acquire()
            try:
                if self._room is not None:
                    await self._room()
                item = await self.handoff.take(self.channel)
            except Exception as exc:  # Redis away: this channel's turns resume when it is back
                log.warning("taking %s turns failed (%s); retrying", self.channel,
                            type(exc).__name__)  # fmt: skip
                item = None
                await asyncio.sleep(1.0)
            if item is None:
                self._slots.release()
                continue
            self._start(item)
            if self._room is None:
                await self._take_waiting()

    async def _take_waiting(self) -> None:
        free = 0
        while free < TAKE_AT_ONCE and not self._slots.locked():
            await self._slots.acquire()  # a free slot: returns at once
            free += 1
        items: list[bytes] = []
        try:
            if free:
                items = await self.handoff.take_waiting(self.channel, free)
        except Exception as exc:  # left in Redis: the next take finds them
            log.warning("taking waiting %s turns failed (%s)", self.channel, type(exc).__name__)
        for item in items:
            self._start(item)
        for _ in range(free - len(items)):
            self._slots.release()

    def _start(self, item: bytes) -> None:
        key = self._order_key(item) if self._order_key is not None else ""
        task = self._line.start(self._spawn, self._run(item), name=f"{self.channel}-turn", key=key)
        task.add_done_callback(lambda _: self._slots.release())

    async def stop(self) -> None:
        """Stop taking; start what is still queued (the shutdown's grace applies to it)."""
        self._stopping.set()
        await asyncio.wait({self._task}, timeout=TAKE_WAIT_S + 5)
        self._task.cancel()  # still waiting for a slot or for room
        with contextlib.suppress(RedisError):
            while (item := await self.handoff.take_now(self.channel)) is not None:
                self._start(item)
