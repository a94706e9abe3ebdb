"""Indexing that falls behind the turns holds a bounded queue of ids and a few workers, not
a task per answered turn (which grew without bound in the 10-minute load run)."""

from __future__ import annotations

import asyncio
from typing import Any

from memory.backlog import WORKERS, IndexBacklog
from memory.runtime import get_memory


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
