"""Background memory writes after a turn is stored: episodes, facts, vectors.

Runs in a task the services own (`services.spawn`), off the reply's critical path. Every
vector is stored in `memory_items` first (PostgreSQL is the truth), then added to its FAISS
partition. `lags` keeps "stored → searchable" times for the benchmark.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import time
from collections import OrderedDict, deque
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
from sqlalchemy import and_, func, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from bot import metrics
from bot.embedding import Embedder
from bot.locks import advisory_key
from memory.facts import FactStore, FactView
from memory.models import Episode, MemoryItem, Message
from memory.semantic import (
    KINDS,
    SHOWN_CHARS,
    Batch,
    SemanticIndex,
    from_blob,
    person_partition,
    to_blob,
    workspace_partition,
)
from memory.summarise import Summariser
from memory.working import WorkingMemory

log = logging.getLogger(__name__)

MIN_INDEXED_CHARS = 16  # "ok", "Noted.", "thanks": nothing to recall, only noise in results
MIN_SUMMARY_MESSAGES = 3  # a shorter episode's messages say it all themselves
MAX_PASSAGE_CHARS = 1500  # e5 reads 512 tokens at most; a reply's start says what it was about


@dataclass(frozen=True)
class _Item:
    partition: str
    workspace: str
    owner: str
    kind: str
    ref_id: int
    at: datetime
    text: str
    assistant: bool = False


# Recent passages kept embedded. Most stored texts are new, so a cache only saves the
# recent repeats (a brief pasted again, a stock reply); 4,096 texts (the texts themselves
# as keys, up to 1,500 characters each, and views that kept whole batches) took ~10 MB and
# at 8 passages/s filled for 8 minutes, most of a 10-minute load run (1,024 digests and
# their own vectors: ~1.8 MB, full within two minutes).
EMBEDDING_CACHE_SIZE = 1024


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode(), digest_size=16).digest()


class EmbeddingCache:
    """Recently embedded passages ("ok", "thanks", repeated briefs) are not embedded twice."""

    def __init__(self, embedder: Embedder, size: int = EMBEDDING_CACHE_SIZE) -> None:
        self.embedder = embedder
        self._cache: OrderedDict[bytes, np.ndarray] = OrderedDict()
        self._size = size

    def __len__(self) -> int:
        return len(self._cache)

    async def passages(self, texts: Sequence[str]) -> np.ndarray:
        keys = [_digest(t) for t in texts]
        found = {k: v for k in keys if (v := self._cache.get(k)) is not None}
        missing = {k: t for k, t in zip(keys, texts, strict=True) if k not in found}
        if missing:
            vectors = await self.embedder.passages(list(missing.values()))
            for key, vector in zip(missing, vectors, strict=True):
                found[key] = self._cache[key] = vector.copy()  # not a view of the whole batch
            while len(self._cache) > self._size:
                self._cache.popitem(last=False)
        return np.stack([found[k] for k in keys]) if texts else np.zeros((0, 384))


class MemoryWriter:
    def __init__(
        self,
        sessions,  # type: ignore[no-untyped-def]
        facts: FactStore,
        index: SemanticIndex,
        working: WorkingMemory,
        embedder: Embedder,
        summariser: Summariser,
        *,
        idle_gap: timedelta = timedelta(hours=3),
    ) -> None:
        self._sessions = sessions
        self.facts = facts
        self.index = index
        self.working = working
        self.embeddings = EmbeddingCache(embedder)
        self.summariser = summariser
        self.idle_gap = idle_gap
        self.lags: deque[float] = deque(maxlen=10_000)
        self._giving_back: set[asyncio.Future[None]] = set()  # held: a task isn't collected

    async def index_turn(self, inbound_id: int, reply_id: int | None) -> None:
        """Episodes, facts and vectors for one stored turn.

        The turn is taken first (`indexed_at` set), so the queue and the catch-up, which may
        both hold it, index it once. If the work then fails or is cancelled, the turn is
        given back (`indexed_at` cleared) for the catch-up to take again: every step before
        the episode's is safe to redo (the facts already drawn from the message are reused,
        a vector already stored is not stored twice), and the episode is extended last, in
        one transaction, once the turn's facts and vectors are stored.
        """
        started = time.perf_counter()
        taken = await self._take(inbound_id, reply_id)
        if taken is None:
            return  # indexed already (or being indexed), or erased meanwhile
        claimed_at, inbound, rows = taken
        try:
            new_facts = await self._facts_of(inbound)
            person = f"{inbound.channel}:{inbound.user_id}"
            private = person_partition(inbound.workspace, person)
            items = [
                _Item(
                    private,
                    inbound.workspace,
                    person,
                    "message",
                    message.id,
                    message.created_at,
                    message.text[:MAX_PASSAGE_CHARS],
                    message.role == "assistant",
                )
                for message in rows.values()
                if len(message.text.strip()) >= MIN_INDEXED_CHARS
            ]
            for fact in new_facts:
                partition = (
                    private if fact.scope == "person" else workspace_partition(inbound.workspace)
                )
                items.append(
                    _Item(
                        partition,
                        inbound.workspace,
                        person,
                        "fact",
                        fact.id,
                        fact.stated_at,
                        fact.text,
                    )
                )
            await self._store_vectors(items)
            if any(f.kind == "preference" for f in new_facts):
                await self._refresh_preferences(inbound.workspace, person)
            async with self._sessions.begin() as session:
                closed = await self._track_episode(session, inbound, max(rows))
        except BaseException as exc:  # a fault or a shutdown: nothing of the turn is lost
            await self._give_back(inbound_id, claimed_at, exc)
            raise
        # the turn's own memory is complete; what follows is the closed episode's summary
        if closed is not None:
            await self._summarise(closed)
            if closed.messages >= MIN_SUMMARY_MESSAGES:
                await self._store_vectors([closed_item(closed, private, person)])
        self.lags.append(time.perf_counter() - started)

    async def _take(
        self, inbound_id: int, reply_id: int | None
    ) -> tuple[datetime, Message, dict[int, Message]] | None:
        """Take the turn (once, whoever else holds it) and read its messages back."""
        async with self._sessions.begin() as session:
            claimed_at = await session.scalar(
                update(Message)
                .where(Message.id == inbound_id, Message.indexed_at.is_(None))
                .values(indexed_at=func.now())
                .returning(Message.indexed_at)
            )
            if claimed_at is None:
                return None
            ids = [inbound_id] + ([reply_id] if reply_id else [])
            rows = {
                m.id: m
                for m in (
                    await session.execute(select(Message).where(Message.id.in_(ids)))
                ).scalars()
            }
        inbound = rows.get(inbound_id)
        return None if inbound is None else (claimed_at, inbound, rows)

    async def _give_back(self, inbound_id: int, claimed_at: datetime, exc: BaseException) -> None:
        """Clear the turn's `indexed_at` so the catch-up takes it again. Shielded: a
        cancelled task (a shutdown) still gives its turn back."""
        metrics.MEMORY_ERRORS.labels("indexing_given_back").inc()
        log.warning("memory indexing of turn %d stopped (%s); given back to the catch-up",
                    inbound_id, type(exc).__name__)  # fmt: skip
        task = asyncio.ensure_future(self._unclaim(inbound_id, claimed_at))
        self._giving_back.add(task)
        task.add_done_callback(self._gave_back)
        with contextlib.suppress(Exception):  # logged by `_gave_back`
            await asyncio.shield(task)

    async def _unclaim(self, inbound_id: int, claimed_at: datetime) -> None:
        async with self._sessions.begin() as session:
            await session.execute(
                update(Message)
                .where(Message.id == inbound_id, Message.indexed_at == claimed_at)
                .values(indexed_at=None)
            )

    def _gave_back(self, task: asyncio.Future[None]) -> None:
        self._giving_back.discard(task)
        if task.cancelled() or task.exception() is not None:
            metrics.MEMORY_ERRORS.labels("indexing_lost").inc()
            error = "cancelled" if task.cancelled() else type(task.exception()).__name__
            log.warning("a turn taken for indexing could not be given back (%s): it stays "
                        "unindexed until indexed_at is cleared", error)  # fmt: skip

    async def _facts_of(self, inbound: Message) -> list[FactView]:
        """The facts the message states: those a failed try already stored from it (drawn
        again, Claude may word them otherwise, and "said again" is never stored twice, so
        their vectors would be lost), else the ones extracted now."""
        stored = await self.facts.stated_by(inbound.id)
        if stored:
            return stored
        person = f"{inbound.channel}:{inbound.user_id}"
        return await self._extract(inbound, person)

    async def _extract(self, inbound: Message, person: str) -> list[FactView]:
        current = await self.facts.current(inbound.workspace, person, limit=40)
        found = await self.summariser.facts(inbound.text, current)
        return await self.facts.add(
            found,
            workspace=inbound.workspace,
            owner=person,
            source_message_id=inbound.id,
            stated_at=inbound.created_at,
        )

    async def _track_episode(
        self, session: AsyncSession, inbound: Message, last_id: int
    ) -> Episode | None:
        """Extend the conversation's open episode, or close it after an idle gap (the
        closed one is returned, to be summarised once this transaction has committed)."""
        closed: Episode | None = None
        # one turn of a conversation at a time (until this transaction ends): two indexed at
        # once would each find no open episode and start one
        key = advisory_key(f"memory-episode:{inbound.conversation_id}")
        await session.execute(select(func.pg_advisory_xact_lock(key)))
        episode = (
            await session.execute(
                select(Episode)
                .where(
                    Episode.conversation_id == inbound.conversation_id,
                    Episode.closed.is_(False),
                )
                .order_by(Episode.ended_at.desc())
                .limit(1)
                .with_for_update()
            )
        ).scalar_one_or_none()
        if episode is not None and inbound.created_at - episode.ended_at <= self.idle_gap:
            episode.ended_at = max(episode.ended_at, inbound.created_at)
            episode.last_message_id = max(episode.last_message_id, last_id)
            episode.messages += 1
            return None
        if episode is not None:
            episode.closed = True
            closed = episode
        session.add(
            Episode(
                conversation_id=inbound.conversation_id,
                workspace=inbound.workspace,
                owner=f"{inbound.channel}:{inbound.user_id}",
                started_at=inbound.created_at,
                ended_at=inbound.created_at,
                first_message_id=inbound.id,
                last_message_id=last_id,
                messages=1,
            )
        )
        return closed

    async def _summarise(self, episode: Episode) -> None:
        async with self._sessions.begin() as session:
            lines = [
                f"{r.role}: {r.text}"
                for r in (
                    await session.execute(
                        select(Message.role, Message.text)
                        .where(
                            Message.conversation_id == episode.conversation_id,
                            Message.id >= episode.first_message_id,
                            Message.id <= episode.last_message_id,
                            Message.text != "",
                        )
                        .order_by(Message.created_at, Message.id)
                    )
                ).all()
            ]
            episode.summary = await self.summariser.summary(lines)
            await session.merge(episode)

    async def unindexed(self, before: datetime, limit: int) -> list[tuple[int, int]]:
        """Answered turns stored before `before` whose memory work was never taken (the
        queue was full, or the process stopped first) or was given back after a fault:
        (inbound, reply) ids, oldest first."""
        reply = aliased(Message)
        query = (
            select(Message.id, reply.id)
            .join(reply, and_(reply.reply_to_id == Message.id, reply.role == "assistant"))
            .where(
                Message.role == "user",
                Message.indexed_at.is_(None),
                Message.created_at < before,
            )
            .order_by(Message.id)
            .limit(limit)
        )
        async with self._sessions() as session:
            return [(int(a), int(b)) for a, b in (await session.execute(query)).all()]

    async def close_idle_episodes(self, now: datetime) -> int:
        """Close and summarise episodes idle for longer than the gap (a periodic sweep)."""
        async with self._sessions() as session:
            idle = list(
                (
                    await session.execute(
                        select(Episode).where(
                            Episode.closed.is_(False), Episode.ended_at < now - self.idle_gap
                        )
                    )
                ).scalars()
            )
        for episode in idle:
            episode.closed = True
            await self._summarise(episode)
            if episode.messages < MIN_SUMMARY_MESSAGES:
                continue
            await self._store_vectors(
                [
                    closed_item(
                        episode, person_partition(episode.workspace, episode.owner), episode.owner
                    )
                ]
            )
        return len(idle)

    async def _store_vectors(self, items: list[_Item]) -> None:
        """Store the items' vectors and add them to their partitions. An item already stored
        (a turn tried before, given back after its rows were written) keeps its row and
        vector, and is added to its partition again only if missing there."""
        items = [item for item in items if item.text.strip()]
        if not items:
            return
        keys = list({(i.kind, i.ref_id) for i in items})
        async with self._sessions() as session:
            stored = {
                (row.partition, row.kind, row.ref_id): row
                for row in (
                    await session.execute(
                        select(MemoryItem).where(
                            tuple_(MemoryItem.kind, MemoryItem.ref_id).in_(keys)
                        )
                    )
                ).scalars()
            }
        fresh = [i for i in items if (i.partition, i.kind, i.ref_id) not in stored]
        embedded = await self.embeddings.passages([i.text for i in fresh]) if fresh else []
        new_rows = {
            (i.partition, i.kind, i.ref_id): (
                MemoryItem(
                    partition=i.partition,
                    workspace=i.workspace,
                    owner=i.owner,
                    kind=i.kind,
                    ref_id=i.ref_id,
                    at=i.at,
                    embedding=to_blob(v),
                ),
                v,
            )
            for i, v in zip(fresh, embedded, strict=True)
        }
        if new_rows:
            async with self._sessions.begin() as session:
                session.add_all([row for row, _ in new_rows.values()])
                await session.flush()
        rows: list[MemoryItem] = []
        picked: list[np.ndarray] = []
        for key in ((i.partition, i.kind, i.ref_id) for i in items):
            if key in new_rows:
                row, vector = new_rows[key]
            else:
                row = stored[key]
                vector = from_blob(row.embedding)
            rows.append(row)
            picked.append(vector)
        vectors = np.stack(picked)
        by_partition: dict[str, list[int]] = {}
        for n, row in enumerate(rows):
            by_partition.setdefault(row.partition, []).append(n)
        for partition, picks in by_partition.items():
            await self.index.add(
                partition,
                Batch(
                    np.array([rows[n].id for n in picks], np.int64),
                    np.array([rows[n].at.timestamp() for n in picks], np.float64),
                    np.array([KINDS[rows[n].kind] for n in picks], np.int8),
                    np.array([rows[n].ref_id for n in picks], np.int64),
                    np.array([items[n].assistant for n in picks], bool),
                    [items[n].text[:SHOWN_CHARS] for n in picks],
                    vectors[picks],
                ),
            )

    async def _refresh_preferences(self, workspace: str, person: str) -> None:
        current = await self.facts.current(workspace, person, limit=200)
        prefs = {
            f.subject: f"{f.stated_at.date().isoformat()}|{f.text}"
            for f in current
            if f.scope == "person"
        }
        try:
            await self.working.set_preferences(workspace, person, prefs)
        except Exception:
            metrics.MEMORY_ERRORS.labels("redis").inc()
            log.warning("redis unavailable; preferences cached later")


def closed_item(episode: Episode, partition: str, owner: str) -> _Item:
    return _Item(
        partition,
        episode.workspace,
        owner,
        "episode",
        episode.id,
        episode.ended_at,
        episode.summary,
    )
