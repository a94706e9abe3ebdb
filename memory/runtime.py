"""The memory layers of one process, wired together once and shared through `services`."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from bot import metrics
from bot.embedding import BackgroundE5Embedder, E5Embedder, Embedder
from bot.ports import ShortlistLine
from bot.services import Services
from bot.shown import last_ids
from bot.types import ConversationKey, InboundMessage
from memory.backlog import IndexBacklog
from memory.context import ContextBuilder
from memory.facts import FactStore
from memory.recall import Recall
from memory.semantic import SemanticIndex
from memory.summarise import make_summariser
from memory.turns import PostgresGate, TurnStore
from memory.working import WorkingMemory
from memory.writebehind import WriteBehind
from memory.writer import MemoryWriter

log = logging.getLogger(__name__)

SWEEP_EVERY_S = 600.0
# a turn not indexed this long after it was stored is caught up by the sweep (the queue
# holds a turn for seconds, a few minutes when indexing lags far behind)
CATCH_UP_AFTER = timedelta(minutes=10)


@dataclass
class Memory:
    services: Services
    working: WorkingMemory
    buffer: WriteBehind
    gate: PostgresGate
    turns: TurnStore
    facts: FactStore
    index: SemanticIndex
    recall: Recall
    writer: MemoryWriter
    context: ContextBuilder

    last_sweep: float = field(default_factory=time.monotonic)
    backlog: IndexBacklog = field(init=False)  # answered turns waiting for their indexing

    def __post_init__(self) -> None:
        self.backlog = IndexBacklog(
            self._index,
            self.services.spawn,
            on_drop=metrics.MEMORY_ERRORS.labels("indexing_dropped").inc,
        )

    def after_turn(self, message: InboundMessage, inbound_id: int, reply_id: int | None) -> None:
        """Schedule the turn's background memory work (or a replay, once PostgreSQL is back)."""
        if inbound_id > 0:
            self.backlog.put(inbound_id, reply_id)
        if time.monotonic() - self.last_sweep > SWEEP_EVERY_S:
            # conversations gone quiet get their episode closed and summarised
            self.last_sweep = time.monotonic()
            self.services.spawn(self._sweep(), name="memory-sweep")
        if self.gate.open and self.gate.failures:
            self.services.spawn(self.replay(), name="memory-replay")

    async def _index(self, inbound_id: int, reply_id: int | None) -> None:
        await self.services.priority.yield_to_turns()  # a burst's first texts come first
        try:
            await self.writer.index_turn(
                inbound_id, reply_id if reply_id and reply_id > 0 else None
            )
        except Exception as exc:  # memory is best effort; the turn itself is stored
            metrics.MEMORY_ERRORS.labels("indexing").inc()
            log.warning("memory indexing failed (%s)", type(exc).__name__, exc_info=True)

    async def _sweep(self) -> None:
        try:
            await self.writer.close_idle_episodes(datetime.now(UTC))
        except Exception as exc:
            metrics.MEMORY_ERRORS.labels("episodes").inc()
            log.warning("episode sweep failed (%s)", type(exc).__name__)
        try:
            await self.catch_up()
        except Exception as exc:
            metrics.MEMORY_ERRORS.labels("indexing").inc()
            log.warning("indexing catch-up failed (%s)", type(exc).__name__)

    async def catch_up(self, *, older_than: timedelta = CATCH_UP_AFTER) -> int:
        """Queue the answered turns whose memory work was never taken (a full queue, a
        stopped process) or was given back (a fault, a cancel), oldest first, as many as the
        queue has room for. A turn that keeps failing is tried once a sweep (at most every
        `SWEEP_EVERY_S`), never in a hot loop; each failure is logged and counted."""
        room = self.backlog.room()
        if room <= 0:
            return 0
        turns = await self.writer.unindexed(datetime.now(UTC) - older_than, room)
        for inbound_id, reply_id in turns:
            self.backlog.put(inbound_id, reply_id)
        if turns:
            log.info("memory indexing: %d turn(s) left unindexed queued again", len(turns))
        return len(turns)

    async def replay(self) -> int:
        """Write buffered turns into PostgreSQL, then index them. Returns how many."""
        try:
            done = await self.buffer.replay(self.services.sessions)
        except Exception as exc:
            metrics.MEMORY_ERRORS.labels("replay").inc()
            log.warning("write-behind replay failed (%s); will retry", type(exc).__name__)
            return 0
        self.gate.failures = 0
        for turn in done:
            await self._index(turn.inbound_id, turn.reply_id)
        return len(done)


class _RegisteredShortlists:
    """The shortlists another feature (talent) registered, read when the context is built
    (features attach in any order)."""

    def __init__(self, services: Services) -> None:
        self.services = services

    async def lines(self, workspace: str) -> Sequence[ShortlistLine]:
        source = self.services.shortlists
        return await source.lines(workspace) if source is not None else []


def get_memory(services: Services) -> Memory:
    memory = services.find(Memory)
    if memory is None:
        memory = services.provide(build_memory(services))
    return memory


_background: BackgroundE5Embedder | None = None


def _background_embedder(embedder: Embedder) -> Embedder:
    """A low-priority worker process, so background passages never slow a turn's query."""
    global _background
    if not isinstance(embedder, E5Embedder):
        return embedder
    if _background is None:
        _background = BackgroundE5Embedder()
    return _background


def build_memory(services: Services) -> Memory:
    settings = services.settings
    ns = settings.redis_namespace
    working = WorkingMemory(services.redis, ns, turns=settings.history_turns)
    buffer = WriteBehind(services.redis, ns)
    gate = PostgresGate()
    turns = TurnStore(services.sessions, working, buffer, gate)
    facts = FactStore(services.sessions, services.redis, ns)
    index = SemanticIndex(
        settings.data_path / "memory" / "index",
        services.sessions,
        services.redis,
        ns,
        dim=services.embedder.dim,
        max_bytes=settings.memory_index_mb * 2**20,
        spawn=services.spawn,
    )
    metrics.MEMORY_INDEX_BYTES.set_function(index.held_bytes)
    recall = Recall(services.sessions, index, facts)
    writer = MemoryWriter(
        services.sessions,
        facts,
        index,
        working,
        _background_embedder(services.embedder),
        make_summariser(settings),
    )

    async def last_results(key: ConversationKey) -> list[str]:
        return await last_ids(services, key)

    context = ContextBuilder(
        turns,
        working,
        recall,
        facts,
        services.embedder,
        history_turns=settings.history_turns,
        last_results=last_results,
        postgres_up=lambda: gate.open,
        shortlists=_RegisteredShortlists(services),
    )
    return Memory(services, working, buffer, gate, turns, facts, index, recall, writer, context)
