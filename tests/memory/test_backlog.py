"""Indexing that falls behind the turns holds a bounded queue of ids and a few workers, not
a task per answered turn (which grew without bound in the 10-minute load run)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from bot.ports import ReplyStats
from memory.backlog import WORKERS, IndexBacklog
from memory.models import MemoryItem
from memory.runtime import get_memory
from tests.memory.conftest import drain, say, unique


class _Spawner:
    def __init__(self) -> None:
        self.tasks: list[asyncio.Task[Any]] = []

    def __call__(self, coro: Any, *, name: str = "") -> asyncio.Task[Any]:
        task = asyncio.create_task(coro, name=name)
        self.tasks.append(task)
        return task


async def test_a_full_queue_drops_the_oldest_and_indexes_the_rest_in_order() -> None:
    gate = asyncio.Event()
    indexed: list[int] = []

    async def index(inbound_id: int, reply_id: int | None) -> None:
        await gate.wait()
        indexed.append(inbound_id)

    spawn = _Spawner()
    drops: list[int] = []
    backlog = IndexBacklog(index, spawn, workers=2, limit=10, on_drop=lambda: drops.append(1))
    for turn in range(100):
        backlog.put(turn, turn + 1000)
        assert len(backlog) <= 10
    assert len(spawn.tasks) == 2
    assert backlog.dropped == 90 and len(drops) == 90
    gate.set()
    await asyncio.wait_for(asyncio.gather(*spawn.tasks), 5)
    assert indexed == list(range(90, 100))
    assert len(backlog) == 0


async def test_workers_end_when_the_queue_is_empty_and_start_again() -> None:
    indexed: list[int] = []

    async def index(inbound_id: int, reply_id: int | None) -> None:
        await asyncio.sleep(0)
        indexed.append(inbound_id)

    spawn = _Spawner()
    backlog = IndexBacklog(index, spawn, workers=3)
    backlog.put(1, None)
    await asyncio.wait_for(asyncio.gather(*spawn.tasks), 5)
    backlog.put(2, 3)
    await asyncio.wait_for(asyncio.gather(*spawn.tasks), 5)
    assert indexed == [1, 2]
    assert all(task.done() for task in spawn.tasks) and len(spawn.tasks) == 2


async def test_answered_turns_while_indexing_lags_keep_a_few_tasks(services, monkeypatch) -> None:
    memory = get_memory(services)
    gate = asyncio.Event()
    started: list[int] = []

    async def slow_index(inbound_id: int, reply_id: int | None) -> None:
        started.append(inbound_id)
        await gate.wait()  # indexing far slower than the turns

    monkeypatch.setattr(memory.writer, "index_turn", slow_index)
    before = {t for t in services.background if t.get_name() == "memory-index"}
    for turn in range(1, 501):
        memory.after_turn(None, turn, turn + 10_000)  # type: ignore[arg-type]
    await asyncio.sleep(0.05)
    indexing = {t for t in services.background if t.get_name() == "memory-index"} - before
    assert len(indexing) <= WORKERS
    assert len(memory.backlog) == 500 - len(started)
    gate.set()
    await asyncio.wait_for(asyncio.gather(*indexing), 30)
    assert sorted(started) == list(range(1, 501))


async def test_a_turn_never_indexed_is_caught_up_once(own_services) -> None:
    """A turn whose memory work was never taken (the queue was full, or the process
    stopped first) is found in PostgreSQL by the sweep's catch-up and indexed: its words
    become recallable; indexing it again does nothing. The catch-up reads every workspace's
    turns, so this test has a database of its own: in the session's, it also queued and
    indexed whatever the tests run before it on this worker had left."""
    services = own_services
    memory = get_memory(services)
    workspace, person = unique("ws"), unique("casting")
    message = say(
        "Priya Desai is not available in March, she is shooting in Goa till the 28th",
        workspace=workspace,
        user=person,
        at=datetime.now(UTC) - timedelta(hours=1),
    )
    inbound_id, reply_id = await memory.turns.open_turn(message)
    await memory.turns.finish_reply(reply_id, inbound_id, "Noted.", "complete", ReplyStats())
    # as after a stop: stored, answered, never queued for indexing

    async def items() -> int:
        async with services.sessions() as session:
            return await session.scalar(
                select(func.count()).where(
                    MemoryItem.kind == "message", MemoryItem.ref_id == inbound_id
                )
            )

    assert await items() == 0
    queued = await memory.catch_up(older_than=timedelta(minutes=5))
    assert queued == 1  # this turn, and nothing already taken
    await drain(services)
    assert await items() == 1
    await memory.writer.index_turn(inbound_id, reply_id)  # the queue held it too: no-op
    assert await items() == 1
    assert (inbound_id, reply_id) not in await memory.writer.unindexed(datetime.now(UTC), 10_000)
