"""The catalogue's semantic index: FAISS under the data folder, kept in step with PostgreSQL.

Consenting profiles with an embedding are in the index, keyed by `talent.row_id`. Imports
update it incrementally; when the file is missing, unreadable or stale (its recorded row
count and newest `updated_at` differ from PostgreSQL's, e.g. another process imported), it
is rebuilt from the embeddings stored in PostgreSQL. FAISS work runs in a worker thread.
A rebuild picks the index kind for the catalogue's size (`VectorStore.for_size`: flat, or IVF
from 200K profiles, trained on the first 100K); imports then add to whichever kind is open.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from sqlalchemy import func, select

from talent.models import Talent
from talent.vectors import TRAIN_SAMPLE, VectorStore

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)

FRESHNESS_CHECK_S = 2.0  # how often a search re-checks PostgreSQL for outside changes


@dataclass(frozen=True)
class IndexState:
    count: int
    newest: str  # ISO timestamp of the newest indexed row's updated_at ("" when empty)


async def _train_and_add(store: VectorStore, pending: list[tuple[np.ndarray, np.ndarray]]) -> None:
    """Learn an IVF's lists from the first pages (the catalogue in row order), then add them."""
    ids = np.concatenate([p[0] for p in pending])
    vectors = np.vstack([p[1] for p in pending])
    if not store.trained:
        await asyncio.to_thread(store.train, vectors)
    await asyncio.to_thread(store.upsert, ids, vectors)


def indexable():  # type: ignore[no-untyped-def]
    """The rows that belong in the index."""
    return (Talent.consent.is_(True), Talent.embedding.is_not(None))


async def database_state(services: Services) -> IndexState:
    async with services.sessions() as session:
        count, newest = (
            await session.execute(
                select(func.count(), func.max(Talent.updated_at)).where(*indexable())
            )
        ).one()
    return IndexState(int(count), newest.isoformat() if newest else "")


class CatalogueIndex:
    def __init__(self, services: Services) -> None:
        self.services = services
        folder = services.settings.data_path / "index"
        self.path = folder / "talent.faiss"
        self.meta_path = folder / "talent.json"
        self.dim = services.embedder.dim
        self.store = VectorStore(self.dim)
        self.state: IndexState | None = None
        self._lock = asyncio.Lock()
        self._checked_at = 0.0

    async def open(self) -> None:
        """Load the saved index if it matches PostgreSQL, else rebuild it."""
        async with self._lock:
            wanted = await database_state(self.services)
            loaded = await asyncio.to_thread(self._load_saved, wanted)
            if not loaded:
                await self._rebuild(wanted)
            self._checked_at = time.monotonic()

    async def ensure_fresh(self, *, force: bool = False) -> None:
        """Rebuild when another process changed the catalogue (checked every few seconds)."""
        if not force and time.monotonic() - self._checked_at < FRESHNESS_CHECK_S:
            return
        async with self._lock:
            wanted = await database_state(self.services)
            if wanted != self.state:
                log.info("talent index is stale (%s, want %s): rebuilding", self.state, wanted)
                await self._rebuild(wanted)
            self._checked_at = time.monotonic()

    async def apply(
        self, upserts: dict[int, np.ndarray], removals: list[int], *, save: bool = True
    ) -> None:
        """Apply this process's own changes and record the new state; `save` writes the file
        (a long import saves once at the end instead of after every batch)."""
        async with self._lock:
            await asyncio.to_thread(self._apply_sync, upserts, removals)
            self.state = await database_state(self.services)
            if save:
                await asyncio.to_thread(self._save)
            self._checked_at = time.monotonic()

    async def save(self) -> None:
        async with self._lock:
            await asyncio.to_thread(self._save)

    async def search(
        self, query: np.ndarray, k: int, allowed: np.ndarray | None
    ) -> tuple[np.ndarray, np.ndarray]:
        await self.ensure_fresh()
        return await asyncio.to_thread(self.store.search, query, k, allowed)

    @property
    def size(self) -> int:
        return self.store.size

    # -- worker-thread parts ------------------------------------------------------------

    def _apply_sync(self, upserts: dict[int, np.ndarray], removals: list[int]) -> None:
        if removals:
            self.store.remove(np.asarray(removals, dtype=np.int64))
        if upserts:
            ids = np.fromiter(upserts.keys(), dtype=np.int64, count=len(upserts))
            self.store.upsert(ids, np.vstack(list(upserts.values())))

    def _load_saved(self, wanted: IndexState) -> bool:
        if not self.path.exists() or not self.meta_path.exists():
            return False
        try:
            meta = json.loads(self.meta_path.read_text())
            saved = IndexState(int(meta["count"]), str(meta["newest"]))
            if saved != wanted:
                return False
            store = VectorStore.load(self.path, self.dim)
            if store.size != wanted.count:
                return False
        except (OSError, ValueError, KeyError, RuntimeError) as exc:
            log.warning("talent index at %s is unusable (%s): rebuilding", self.path, exc)
            return False
        self.store, self.state = store, saved
        return True

    async def _rebuild(self, wanted: IndexState) -> None:
        started = time.perf_counter()
        store = VectorStore.for_size(self.dim, wanted.count)
        pending: list[tuple[np.ndarray, np.ndarray]] = []  # held until an IVF is trained
        held = 0
        batch = 5000
        last = 0
        while True:  # keyset pages: bounded memory however big the catalogue
            async with self.services.sessions() as session:
                rows = (
                    await session.execute(
                        select(Talent.row_id, Talent.embedding)
                        .where(*indexable(), Talent.row_id > last)
                        .order_by(Talent.row_id)
                        .limit(batch)
                    )
                ).all()
            if not rows:
                break
            ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
            vectors = np.vstack([np.frombuffer(r[1], dtype=np.float32) for r in rows])
            last = int(ids[-1])
            if store.trained:
                await asyncio.to_thread(store.upsert, ids, vectors)
                continue
            pending.append((ids, vectors))
            held += len(ids)
            if held >= TRAIN_SAMPLE:
                await _train_and_add(store, pending)
                pending = []
        if pending:
            await _train_and_add(store, pending)
        self.store = store
        # Re-read: rows may have changed while we paged; the next check catches up if so.
        self.state = wanted if store.size == wanted.count else IndexState(store.size, "")
        await asyncio.to_thread(self._save)
        log.info(
            "talent index rebuilt: %d profiles (%s) in %.2fs",
            store.size,
            store.kind,
            time.perf_counter() - started,
        )

    def _save(self) -> None:
        if self.state is None:
            return
        self.store.save(self.path)
        tmp = self.meta_path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"count": self.state.count, "newest": self.state.newest}))
        tmp.replace(self.meta_path)


async def catalogue_index(services: Services) -> CatalogueIndex:
    """The process's index (opened on first use when the setup hook did not run)."""
    index = services.find(CatalogueIndex)
    if index is not None:
        return index
    opening = services.find(_Opening) or services.provide(_Opening())
    async with opening.lock:  # two first searches at once must not build two indexes
        index = services.find(CatalogueIndex)
        if index is None:
            index = CatalogueIndex(services)
            await index.open()
            services.provide(index)
    return index


class _Opening:
    """The lock the first searches of a process share while the index opens."""

    def __init__(self) -> None:
        self.lock = asyncio.Lock()
