"""Semantic memory: FAISS indexes of message, fact and episode vectors, one per partition.

A partition is a person's private memory in a workspace (`p|workspace|channel:user`) or the
workspace's shared facts (`w|workspace`). Each is a small exact inner-product index (a
person's few thousand vectors search in microseconds, and a flat index stays exact under
time filters) with the items' dates, kinds and texts beside it, so a warm search needs no
database round trip. Partitions are persisted under the data folder and kept in an LRU.
PostgreSQL is the truth: a missing or stale file is rebuilt from `memory_items` (the
embeddings are stored there, so nothing is embedded again) joined to the rows they stand
for. A version counter in Redis tells a process that another one changed a partition; a
loaded partition that another replica changed is caught up in the background while the turn
that noticed uses what is loaded (the newest turns reach it as recent turns anyway), so
replicas taking turns at one conversation don't each re-sync it inside the turn.
All FAISS and file work runs in worker threads, never on the event loop.
"""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import faiss
import numpy as np
from redis.asyncio import Redis
from redis.exceptions import RedisError
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import async_sessionmaker

from memory.lexical import LexicalIndex, top
from memory.models import Episode, Fact, MemoryItem, Message

log = logging.getLogger(__name__)

KINDS = {"message": 0, "fact": 1, "episode": 2}
KIND_NAMES = {v: k for k, v in KINDS.items()}
SHOWN_CHARS = 1200  # what a recalled item can show; longer texts are cut when indexed


def person_partition(workspace: str, person: str) -> str:
    return f"p|{workspace}|{person}"


def workspace_partition(workspace: str) -> str:
    return f"w|{workspace}"


def to_blob(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=np.float16).tobytes()


def from_blob(blob: bytes) -> np.ndarray:
    """The float32 vector(s) `to_blob` stored (one blob, or several joined)."""
    return np.frombuffer(blob, np.float16).astype(np.float32)


@dataclass(frozen=True)
class Hit:
    item_id: int
    score: float
    kind: str
    at: float  # epoch seconds
    partition: str
    ref_id: int  # the message, fact or episode the vector stands for
    text: str
    assistant: bool = False  # a message written by the assistant
    lexical: float = 0.0  # BM25 score of the query's words (0: none of them)
    about: float = 0.0  # share of the query's named entities the item names
    said: bool = False  # a transcript line said by one of the query's named entities
    asks: float = 0.0  # share of the text that only asks (questions to the other person)
    beside: tuple[int, int] = (-1, -1)  # item ids of the messages said just before and after
    told: str = ""  # the text without its sentences that only ask, when that differs


@dataclass
class Batch:
    """Items to add to a partition, column by column."""

    ids: np.ndarray  # int64 memory_items ids (the FAISS ids)
    ats: np.ndarray  # float64 epoch seconds
    kinds: np.ndarray  # int8
    refs: np.ndarray  # int64
    assistant: np.ndarray  # bool
    texts: list[str]
    vectors: np.ndarray  # float32 (n, dim)

    def __len__(self) -> int:
        return len(self.ids)

    def pick(self, keep: np.ndarray) -> Batch:
        return Batch(self.ids[keep], self.ats[keep], self.kinds[keep], self.refs[keep],
                     self.assistant[keep], [t for t, k in zip(self.texts, keep, strict=True) if k],
                     self.vectors[keep])  # fmt: skip


@dataclass
class _Part:
    index: faiss.IndexIDMap2
    ids: np.ndarray
    ats: np.ndarray
    kinds: np.ndarray
    refs: np.ndarray
    assistant: np.ndarray
    texts: list[str]
    version: int = -1
    nbytes: int = 0  # an estimate of the RAM it holds, for the index's budget
    lock: threading.Lock = field(default_factory=threading.Lock)
    lexical: LexicalIndex = field(default_factory=LexicalIndex)  # the texts' words

    @property
    def max_id(self) -> int:
        return int(self.ids.max()) if len(self.ids) else 0


# What an item really costs in RAM, for the byte budget (anonymous RSS of 6,000 items added
# two at a time over 40 partitions, benchmarks/README 2026-12-07; the earlier estimate read
# ~2.4x low): FAISS's flat vectors grow by doubling (~1.5x the raw floats) and its two id
# maps ~100 B; the words' postings ~600 B an item and ~3.3 B a character; the text itself
# its characters and ~50 B.
POSTINGS_BYTES = 600
TEXT_BYTES = 50
BYTES_PER_CHAR = 4


def _item_bytes(dim: int) -> int:
    return dim * 4 * 3 // 2 + 100 + POSTINGS_BYTES


def _empty(dim: int) -> _Part:
    return _Part(
        faiss.IndexIDMap2(faiss.IndexFlatIP(dim)), np.zeros(0, np.int64),
        np.zeros(0, np.float64), np.zeros(0, np.int8), np.zeros(0, np.int64),
        np.zeros(0, bool), [],
    )  # fmt: skip


@dataclass
class IndexStats:
    loads: int = 0
    rebuilds: int = 0
    incremental_syncs: int = 0
    evictions: int = 0


class SemanticIndex:
    def __init__(
        self,
        root: Path,
        sessions: async_sessionmaker,
        redis: Redis,
        namespace: str,
        *,
        dim: int = 384,
        max_loaded: int = 4096,
        max_bytes: int = 512 * 2**20,
        spawn: Callable[..., asyncio.Task[Any]] | None = None,
    ) -> None:
        self.root = root
        self.dim = dim
        self._sessions = sessions
        self._redis = redis
        self._ns = namespace
        self._loaded: OrderedDict[str, _Part] = OrderedDict()
        self._max_loaded = max_loaded
        self._max_bytes = max_bytes
        self._loading: dict[str, asyncio.Lock] = {}
        self._spawn = spawn or asyncio.create_task  # who owns background catch-ups
        self._refreshing: dict[str, asyncio.Task[Any]] = {}
        self.stats = IndexStats()

    # paths and versions ----------------------------------------------------------------

    def path(self, partition: str) -> Path:
        digest = hashlib.sha1(partition.encode()).hexdigest()
        return self.root / digest[:2] / f"{digest}.npz"

    def _version_key(self, partition: str) -> str:
        return f"{self._ns}:memver:{partition}"

    async def _versions(self, partitions: Sequence[str]) -> list[int | None]:
        try:
            raw = await self._redis.mget([self._version_key(p) for p in partitions])
        except RedisError:
            return [None] * len(partitions)  # can't tell: trust what is loaded
        return [int(v) if v else 0 for v in raw]

    async def _bump(self, partition: str) -> int | None:
        try:
            return int(await self._redis.incr(self._version_key(partition)))
        except RedisError:
            return None

    # loading ---------------------------------------------------------------------------

    async def _part(self, partition: str, version: int | None, *, wait: bool = True) -> _Part:
        """The partition, loaded if need be; a loaded one that another process changed is
        caught up first, or with `wait=False` in the background while this one is used."""
        part = self._loaded.get(partition)
        if part is not None and (version is None or part.version == version):
            self._loaded.move_to_end(partition)
            return part
        if part is not None and not wait:
            if partition not in self._refreshing:
                task = self._spawn(self._catch_up(partition, version), name="memory-catch-up")
                self._refreshing[partition] = task
                task.add_done_callback(lambda _: self._refreshing.pop(partition, None))
            self._loaded.move_to_end(partition)
            return part
        lock = self._loading.setdefault(partition, asyncio.Lock())
        async with lock:
            part = self._loaded.get(partition)
            if part is None or (version is not None and part.version != version):
                part = await self._sync(partition, part)
                part.version = version if version is not None else part.version
                self._loaded[partition] = part
            self._loaded.move_to_end(partition)
            self._evict()
            self._loading.pop(partition, None)
            return part

    async def _catch_up(self, partition: str, version: int | None) -> None:
        try:
            await self._part(partition, version)
        except Exception as exc:  # PostgreSQL away: the next search tries again
            log.warning("memory partition catch-up failed: %s", type(exc).__name__)

    def _evict(self) -> None:
        """Drop least recently used partitions past the count or byte budget (never the one
        just used): a long-running server's memory stays bounded however much it learns."""
        total = sum(p.nbytes for p in self._loaded.values())
        while len(self._loaded) > 1 and (
            len(self._loaded) > self._max_loaded or total > self._max_bytes
        ):
            _, dropped = self._loaded.popitem(last=False)
            total -= dropped.nbytes
            self.stats.evictions += 1

    async def _sync(self, partition: str, part: _Part | None) -> _Part:
        """Bring a partition up to date with PostgreSQL, from memory, file or scratch."""
        async with self._sessions() as session:
            count, max_id = (
                await session.execute(
                    select(func.count(), func.coalesce(func.max(MemoryItem.id), 0)).where(
                        MemoryItem.partition == partition
                    )
                )
            ).one()
        if part is None:
            part = await asyncio.to_thread(self._read, partition)
            self.stats.loads += 1
        if part is not None and len(part.ids) == count and part.max_id == max_id:
            return part
        if part is not None and part.max_id <= max_id:
            newer = await self._rows(partition, after=part.max_id)
            if len(part.ids) + len(newer) == count:  # only additions since: apply them
                await asyncio.to_thread(self._append, part, newer)
                self.stats.incremental_syncs += 1
                # no file rewrite: the file is a head start, a later load catches up the same way
                return part
        fresh = _empty(self.dim)
        await asyncio.to_thread(self._append, fresh, await self._rows(partition, after=0))
        self.stats.rebuilds += 1
        await asyncio.to_thread(self._write, partition, fresh)
        return fresh

    async def _rows(self, partition: str, *, after: int) -> Batch:
        """Items of a partition from PostgreSQL, with the texts of the rows they stand for."""
        text = func.coalesce(Message.text, Fact.text, Episode.summary, "")
        query = (
            select(MemoryItem.id, MemoryItem.at, MemoryItem.kind, MemoryItem.ref_id,
                   MemoryItem.embedding, text, Message.role)
            .outerjoin(Message, (MemoryItem.kind == "message") & (Message.id == MemoryItem.ref_id))
            .outerjoin(Fact, (MemoryItem.kind == "fact") & (Fact.id == MemoryItem.ref_id))
            .outerjoin(Episode, (MemoryItem.kind == "episode") & (Episode.id == MemoryItem.ref_id))
            .where(MemoryItem.partition == partition, MemoryItem.id > after)
            .order_by(MemoryItem.id)
        )  # fmt: skip
        async with self._sessions() as session:
            rows = (await session.execute(query)).all()
        return Batch(
            np.array([r[0] for r in rows], np.int64),
            np.array([r[1].timestamp() for r in rows], np.float64),
            np.array([KINDS[r[2]] for r in rows], np.int8),
            np.array([r[3] for r in rows], np.int64),
            np.array([r[6] == "assistant" for r in rows], bool),
            [r[5][:SHOWN_CHARS] for r in rows],
            from_blob(b"".join(r[4] for r in rows)).reshape(len(rows), self.dim),
        )

    def _read(self, partition: str) -> _Part | None:
        path = self.path(partition)
        try:
            with np.load(path) as data:
                blob, offsets = data["text_blob"].tobytes(), data["text_offsets"]
                texts = [blob[a:b].decode() for a, b in itertools.pairwise(offsets.tolist())]
                batch = Batch(
                    data["ids"],
                    data["ats"],
                    data["kinds"],
                    data["refs"],
                    data["assistant"],
                    texts,
                    data["vectors"].astype(np.float32),
                )
        except FileNotFoundError:
            return None
        except Exception as exc:  # a torn, old or foreign file: rebuilt from PostgreSQL
            log.warning("memory index file unreadable (%s); rebuilding", type(exc).__name__)
            return None
        part = _empty(self.dim)
        self._append(part, batch)
        return part

    def _write(self, partition: str, part: _Part) -> None:
        path = self.path(partition)
        path.parent.mkdir(parents=True, exist_ok=True)
        with part.lock:
            total = part.index.ntotal
            vectors = part.index.index.reconstruct_n(0, total) if total else np.zeros((0, self.dim))
            columns = dict(
                ids=part.ids.copy(),
                ats=part.ats.copy(),
                kinds=part.kinds.copy(),
                refs=part.refs.copy(),
                assistant=part.assistant.copy(),
            )
            encoded = [t.encode() for t in part.texts]
        offsets = np.zeros(len(encoded) + 1, np.int64)
        offsets[1:] = np.cumsum([len(e) for e in encoded])
        # one temporary file per writing thread: two writes of a partition at once (a search's
        # catch-up and an add) must not fill or rename each other's file
        tmp = path.with_suffix(f".tmp{os.getpid()}-{threading.get_ident()}.npz")
        np.savez(
            tmp,
            **columns,
            vectors=np.asarray(vectors).astype(np.float16),
            text_blob=np.frombuffer(b"".join(encoded), np.uint8),
            text_offsets=offsets,
        )
        os.replace(tmp, path)  # atomic: a reader sees the old file or the new one

    @staticmethod
    def _append(part: _Part, batch: Batch) -> None:
        if not len(batch):
            return
        with part.lock:
            keep = ~np.isin(batch.ids, part.ids)
            if not keep.any():
                return
            batch = batch.pick(keep)
            part.index.add_with_ids(np.ascontiguousarray(batch.vectors, np.float32), batch.ids)
            part.nbytes += len(batch.ids) * _item_bytes(batch.vectors.shape[1]) + sum(
                len(t) * BYTES_PER_CHAR + TEXT_BYTES for t in batch.texts
            )
            part.lexical.add(batch.texts)
            part.ids = np.concatenate([part.ids, batch.ids])
            part.ats = np.concatenate([part.ats, batch.ats])
            part.kinds = np.concatenate([part.kinds, batch.kinds])
            part.refs = np.concatenate([part.refs, batch.refs])
            part.assistant = np.concatenate([part.assistant, batch.assistant])
            part.texts = part.texts + batch.texts

    # writes ----------------------------------------------------------------------------

    async def add(self, partition: str, batch: Batch) -> None:
        """Add items already stored in `memory_items` (incremental; persisted)."""
        part = await self._part(partition, None)
        await asyncio.to_thread(self._append, part, batch)
        await asyncio.to_thread(self._write, partition, part)
        version = await self._bump(partition)
        if version is not None:
            part.version = version
        self._evict()

    async def remove(self, partition: str, ids: Sequence[int]) -> None:
        part = self._loaded.get(partition) or await asyncio.to_thread(self._read, partition)
        if part is None:
            return
        doomed = np.array(list(ids), np.int64)

        def _remove() -> None:
            with part.lock:
                part.index.remove_ids(doomed)
                keep = ~np.isin(part.ids, doomed)
                part.ids, part.ats, part.kinds = part.ids[keep], part.ats[keep], part.kinds[keep]
                part.refs, part.assistant = part.refs[keep], part.assistant[keep]
                part.texts = [t for t, k in zip(part.texts, keep, strict=True) if k]
                part.lexical.rebuild(part.texts)

        await asyncio.to_thread(_remove)
        await asyncio.to_thread(self._write, partition, part)
        await self._bump(partition)

    async def drop(self, partition: str) -> bool:
        self._loaded.pop(partition, None)
        path = self.path(partition)
        existed = path.exists()
        path.unlink(missing_ok=True)
        await self._bump(partition)
        return existed

    # reads -----------------------------------------------------------------------------

    async def search(
        self,
        partitions: Sequence[str],
        query: np.ndarray,
        k: int,
        *,
        since: float | None = None,
        until: float | None = None,
        terms: Sequence[str] = (),
        k_lexical: int = 0,
        names: Sequence[str] = (),
    ) -> list[Hit]:
        """The k items nearest the query across partitions, optionally only those dated in
        [since, until), plus up to `k_lexical` more per partition that hold the most of the
        query's `terms` (BM25); every hit carries both scores."""
        versions = await self._versions(partitions)
        parts = [
            await self._part(p, v, wait=False) for p, v in zip(partitions, versions, strict=True)
        ]
        vector = np.ascontiguousarray(np.asarray(query, np.float32).reshape(1, self.dim))
        return await asyncio.to_thread(
            self._search,
            list(zip(partitions, parts, strict=True)),
            vector,
            k,
            since,
            until,
            list(terms),
            k_lexical,
            list(names),
        )

    @staticmethod
    def _search(
        parts: list[tuple[str, _Part]],
        vector: np.ndarray,
        k: int,
        since: float | None,
        until: float | None,
        terms: list[str] | None = None,
        k_lexical: int = 0,
        names: list[str] | None = None,
    ) -> list[Hit]:
        # one query over a person's few hundred lines: a second OpenMP thread only adds its
        # wake-up (3 ms, or more with the other core busy). The setting is the calling
        # thread's own, so it is made here, in the pool's thread.
        faiss.omp_set_num_threads(1)
        hits: list[Hit] = []
        extra: list[Hit] = []
        for name, part in parts:
            with part.lock:
                if not part.index.ntotal:
                    continue
                params = None
                mask = None
                if since is not None or until is not None:
                    mask = np.ones(len(part.ids), bool)
                    if since is not None:
                        mask &= part.ats >= since
                    if until is not None:
                        mask &= part.ats < until
                    if not mask.any():
                        continue
                    params = faiss.SearchParameters(sel=faiss.IDSelectorBatch(part.ids[mask]))
                scores, ids = part.index.search(vector, min(k, part.index.ntotal), params=params)
                found = ids[0] >= 0
                if _sorted(part):
                    positions = np.searchsorted(part.ids, ids[0][found])
                else:
                    positions = np.array(
                        [np.flatnonzero(part.ids == i)[0] for i in ids[0][found]], np.int64
                    )
                lexical = part.lexical.scores(terms) if terms else {}
                about = part.lexical.about(names) if names else {}
                said = part.lexical.said_by(names) if names else set()
                dense = dict(zip(positions.tolist(), scores[0][found].tolist(), strict=True))
                ranked = set(dense)
                wanted = [
                    int(pos)
                    for pos, _ in top(lexical, k_lexical + len(dense))
                    if pos not in dense and (mask is None or mask[pos])
                ][:k_lexical]
                seeds = {*dense, *wanted}
                wanted += [
                    n for n in dict.fromkeys(np.concatenate(_beside(part, list(seeds))).tolist())
                    if n >= 0 and n not in seeds and (mask is None or mask[n])
                ]  # fmt: skip
                if wanted:
                    # the words (or a neighbour) found it, the vector didn't rank it: score
                    # it exactly
                    vectors = part.index.index.reconstruct_batch(np.array(wanted, np.int64))
                    extra_scores = (vectors @ vector[0]).tolist()
                    dense.update(zip(wanted, extra_scores, strict=True))
                before, after = _beside(part, list(dense))
                beside = zip(
                    np.where(before >= 0, part.ids[before], -1).tolist(),
                    np.where(after >= 0, part.ids[after], -1).tolist(),
                    strict=True,
                )
                for (pos, score), near in zip(dense.items(), beside, strict=True):
                    hit = Hit(int(part.ids[pos]), float(score), KIND_NAMES[int(part.kinds[pos])],
                              float(part.ats[pos]), name, int(part.refs[pos]), part.texts[pos],
                              bool(part.assistant[pos]), lexical.get(pos, 0.0),
                              about.get(pos, 0.0), pos in said,
                              part.lexical.asks[pos], near,
                              part.lexical.told.get(pos, ""))  # fmt: skip
                    (hits if pos in ranked else extra).append(hit)
        hits.sort(key=lambda h: h.score, reverse=True)
        return hits[:k] + extra

    def loaded_partitions(self) -> int:
        return len(self._loaded)

    def held_bytes(self) -> int:
        """The loaded partitions' RAM estimate, which the byte budget bounds."""
        return sum(p.nbytes for p in self._loaded.values())


BESIDE_GAP = 3600.0  # seconds: lines further apart belong to different conversations
BESIDE_REACH = 3  # positions looked through for a neighbouring line (summaries sit between)


def _beside(part: _Part, positions: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    """For each message at `positions`, the position of the message said just before it and
    of the one said just after it (-1: none; a reply often makes sense only beside the line
    it answers: "Yep! It's about loss"); other kinds of item have none. Vectorised: it runs
    on every search."""
    at = np.asarray(positions, np.int64)
    lines = np.flatnonzero((part.kinds == KINDS["message"]) & ~part.assistant)
    if not len(at) or not len(lines):
        return np.full(len(at), -1), np.full(len(at), -1)
    found: list[np.ndarray] = []
    for side, shift in (("left", -1), ("right", 0)):
        slot = np.searchsorted(lines, at, side=side) + shift
        near = np.where((slot >= 0) & (slot < len(lines)), lines[slot.clip(0, len(lines) - 1)], -1)
        ok = (near >= 0) & (np.abs(near - at) <= BESIDE_REACH)
        ok &= np.abs(part.ats[near.clip(0)] - part.ats[at]) <= BESIDE_GAP
        ok &= part.kinds[at] == KINDS["message"]
        found.append(np.where(ok, near, -1))
    return found[0], found[1]


def _sorted(part: _Part) -> bool:
    return bool(len(part.ids) < 2 or np.all(part.ids[1:] > part.ids[:-1]))
