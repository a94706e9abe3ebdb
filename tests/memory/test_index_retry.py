"""A turn whose indexing fails (the embedding process dies, the index file can't be written)
is given back and indexed again by the catch-up: its memory is stored once, nothing lost,
nothing twice. Each test has a database of its own: the catch-up reads every workspace."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Sequence
from concurrent.futures.process import BrokenProcessPool
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import psycopg
from sqlalchemy import select

from bot.embedding import Embedder
from bot.ports import ReplyStats
from memory.models import Episode, Fact, MemoryItem
from memory.runtime import Memory, get_memory
from memory.semantic import person_partition, workspace_partition
from tests.memory.conftest import drain, say, unique

TEXT = (
    "We are casting for Monsoon Diaries. Priya Desai is shortlisted for the lead role, "
    "her budget is now 2 lakh."
)
REPLY = "Noted: Priya Desai shortlisted for the lead in Monsoon Diaries."


class _DiesOnce:
    """The embedder, whose worker process dies during the first call (as when it is
    killed for memory): that call raises, the next ones embed."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.calls = 0

    async def passages(self, texts: Sequence[str]) -> np.ndarray:
        self.calls += 1
        if self.calls == 1:
            raise BrokenProcessPool("the embedding process died")
        return await self.inner.passages(texts)


async def _answered_turn(memory: Memory) -> tuple[str, str, int, int]:
    workspace, person = unique("ws"), unique("casting")
    message = say(TEXT, workspace=workspace, user=person,
                  at=datetime.now(UTC) - timedelta(hours=1))  # fmt: skip
    inbound_id, reply_id = await memory.turns.open_turn(message)
    await memory.turns.finish_reply(reply_id, inbound_id, REPLY, "complete", ReplyStats())
    memory.after_turn(message, inbound_id, reply_id)  # queued, as after any answer
    return workspace, f"slack:{person}", inbound_id, reply_id


async def _stored(services, inbound_id: int, reply_id: int) -> tuple[Counter, list[int], list]:  # type: ignore[no-untyped-def]
    """(vectors per (kind, ref id) of the turn's messages and facts, its facts' ids, its
    conversation's episodes as (messages, first id))."""
    async with services.sessions() as session:
        facts = list(
            await session.scalars(select(Fact.id).where(Fact.source_message_id == inbound_id))
        )
        refs = [("message", inbound_id), ("message", reply_id)] + [("fact", f) for f in facts]
        items = Counter(
            (kind, ref)
            for kind, ref in (await session.execute(select(MemoryItem.kind, MemoryItem.ref_id)))
            if (kind, ref) in refs
        )
        episodes = (
            await session.execute(
                select(Episode.messages, Episode.first_message_id).where(
                    Episode.first_message_id <= inbound_id, Episode.last_message_id >= inbound_id
                )
            )
        ).all()
    return items, facts, [tuple(e) for e in episodes]


async def _searchable(memory: Memory, workspace: str, person: str) -> Counter:
    """How many times each (kind, ref id) is in the turn's FAISS partitions."""
    vector = (await memory.services.embedder.queries([TEXT]))[0]
    partitions = [person_partition(workspace, person), workspace_partition(workspace)]
    hits = await memory.index.search(partitions, vector, 100)
    return Counter((h.kind, h.ref_id) for h in hits)


async def _indexed_once(services, memory: Memory, turn: tuple[str, str, int, int]) -> None:  # type: ignore[no-untyped-def]
    workspace, person, inbound_id, reply_id = turn
    items, facts, episodes = await _stored(services, inbound_id, reply_id)
    assert len(facts) == 3  # project, the decision, the budget: drawn once
    expected = {("message", inbound_id), ("message", reply_id)} | {("fact", f) for f in facts}
    assert items == Counter(expected)  # every vector, each once
    assert await _searchable(memory, workspace, person) == Counter(expected)
    assert episodes == [(1, inbound_id)]  # the turn counted once in its episode
    assert (inbound_id, reply_id) not in await memory.writer.unindexed(datetime.now(UTC), 10_000)


async def test_a_turn_whose_embedding_failed_is_caught_up_once(own_services) -> None:
    services = own_services
    memory = get_memory(services)
    memory.writer.embeddings.embedder = _DiesOnce(memory.writer.embeddings.embedder)
    turn = await _answered_turn(memory)
    _, _, inbound_id, reply_id = turn
    await drain(services)  # the queued try fails: the embedding process died
    assert (inbound_id, reply_id) in await memory.writer.unindexed(datetime.now(UTC), 10_000)
    items, facts, episodes = await _stored(services, inbound_id, reply_id)
    assert len(facts) == 3 and not items and not episodes  # facts stored, no vector

    assert await memory.catch_up(older_than=timedelta(minutes=5)) == 1
    await drain(services)
    await _indexed_once(services, memory, turn)
    assert await memory.catch_up(older_than=timedelta(minutes=5)) == 0
    await memory.writer.index_turn(inbound_id, reply_id)  # held by the queue too: no-op
    await _indexed_once(services, memory, turn)


async def test_a_turn_whose_vectors_were_stored_but_not_indexed_is_not_stored_twice(
    own_services, tmp_path: Path
) -> None:
    """The vectors reach PostgreSQL, then the partition's file can't be written (the disk):
    the retry adds the stored vectors to the index, and stores none again."""
    services = own_services
    memory = get_memory(services)
    root = memory.index.root
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    memory.index.root = blocker / "index"
    turn = await _answered_turn(memory)
    _, _, inbound_id, reply_id = turn
    await drain(services)
    items, facts, _ = await _stored(services, inbound_id, reply_id)
    assert len(items) == 2 + len(facts) > 2  # stored before the index failed
    assert (inbound_id, reply_id) in await memory.writer.unindexed(datetime.now(UTC), 10_000)

    memory.index.root = root  # the disk is back
    assert await memory.catch_up(older_than=timedelta(minutes=5)) == 1
    await drain(services)
    await _indexed_once(services, memory, turn)


class _Stalls:
    """An embedder that never answers (a stuck worker process)."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.entered = asyncio.Event()

    async def passages(self, texts: Sequence[str]) -> np.ndarray:
        self.entered.set()
        await asyncio.Event().wait()
        raise AssertionError("unreachable")


async def test_a_turn_cancelled_mid_indexing_is_given_back(own_services) -> None:
    """A shutdown cancels the indexing under way: the turn is given back, not lost."""
    services = own_services
    memory = get_memory(services)
    embedder = memory.writer.embeddings.embedder
    stalls = _Stalls(embedder)
    memory.writer.embeddings.embedder = stalls
    turn = await _answered_turn(memory)
    _, _, inbound_id, reply_id = turn
    await asyncio.wait_for(stalls.entered.wait(), 30)
    indexing = [t for t in services.background if t.get_name() == "memory-index"]
    for task in indexing:
        task.cancel()  # as a shutdown does
    await asyncio.gather(*indexing, return_exceptions=True)
    assert (inbound_id, reply_id) in await memory.writer.unindexed(datetime.now(UTC), 10_000)

    memory.writer.embeddings.embedder = embedder  # a new process
    assert await memory.catch_up(older_than=timedelta(minutes=5)) == 1
    await drain(services)
    await _indexed_once(services, memory, turn)


async def test_a_process_stopping_mid_indexing_leaves_the_turn_to_the_next(
    settings, server_urls: tuple[str, str]
) -> None:
    """A deploy stops the process while a turn is being indexed: by the time it has
    stopped, the turn is given back for the next process's catch-up."""
    from castmatch.app import open_castmatch
    from tests.conftest import _fresh_database, _psycopg_url

    with _fresh_database(server_urls[0]) as url:
        alone = settings.model_copy(update={
            "database_url": url, "redis_namespace": unique("stop"), "shutdown_grace_s": 0.2,
        })  # fmt: skip
        async with open_castmatch(alone) as services:
            memory = get_memory(services)
            stalls = _Stalls(memory.writer.embeddings.embedder)
            memory.writer.embeddings.embedder = stalls
            _, _, inbound_id, _ = await _answered_turn(memory)
            await asyncio.wait_for(stalls.entered.wait(), 30)
        # read at once, the loop held: nothing still in flight may finish the give-back
        with psycopg.connect(_psycopg_url(url)) as conn:
            row = conn.execute(
                "SELECT indexed_at FROM messages WHERE id = %s", (inbound_id,)
            ).fetchone()
        assert row == (None,)
