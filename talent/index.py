"""The catalogue's semantic index: FAISS under the data folder, kept in step with PostgreSQL.

Consenting profiles with an embedding are in the index, keyed by `talent.row_id`. Imports
update it incrementally; when the file is missing, unreadable or stale (its recorded row
count and newest `updated_at` differ from PostgreSQL's, e.g. another process imported), it
is rebuilt from the embeddings stored in PostgreSQL. FAISS work runs in a worker thread.
A rebuild picks the index kind for the catalogue's size (`VectorStore.for_size`: flat, or IVF
from 200K profiles, trained on the first 100K); imports then add to whichever kind is open.

Small catalogues are checked and rebuilt inside the search that finds them stale (well under
a second). From `BACKGROUND_FROM` profiles a rebuild takes minutes and even the check counts a
million rows, so both run in the background: searches keep the current index meanwhile, and
profiles changed since it was built are scored exactly from their stored embeddings.

Beside the vectors it keeps the indexed profiles' hard-filter columns (`talent.columns`),
filled by the same rebuild and changed by the same `apply`, so a search lists the ids a
filter allows without asking PostgreSQL. When the saved index is opened they are read from
PostgreSQL (in the background for a large catalogue); until then, and while a background
rebuild runs, `filter_columns()` is None and searches filter in SQL.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

import numpy as np
from sqlalchemy import func, select

from talent.columns import SELECTED, FilterColumns
from talent.models import Talent
from talent.vectors import IVF_FROM, TRAIN_SAMPLE, VectorStore

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)

FRESHNESS_CHECK_S = 2.0  # how often a search re-checks PostgreSQL for outside changes
BACKGROUND_FROM = IVF_FROM  # from this many profiles, checks and rebuilds run in the background
BACKGROUND_CHECK_S = 30.0  # ... and less often: the check counts every indexable row
CHANGED_LIMIT = 2000  # profiles changed since the index was built, scored exactly meanwhile
COLUMN_PAGE = 50_000  # profiles per page when reading the filter columns alone


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
        self.columns: FilterColumns | None = None  # None: not read yet
        self._columns_task: asyncio.Task[None] | None = None
        self.state: IndexState | None = None
        self._lock = asyncio.Lock()
        self._checked_at = 0.0
        self._refresh: asyncio.Task[None] | None = None  # a background check or rebuild
        # While a background rebuild runs: rows changed after this moment (the serving
        # index's newest row) are scored exactly; None when no rebuild runs.
        self._stale_after: str | None = None
        # this process's own changes made while a background rebuild runs, replayed onto it
        self._changes: list[_Change] | None = None

    async def open(self) -> None:
        """Load the saved index if it matches PostgreSQL, else rebuild it (in the background
        when a stale saved index of a large catalogue can serve meanwhile)."""
        async with self._lock:
            wanted = await database_state(self.services)
            saved = await asyncio.to_thread(self._load_saved)
            if saved is not None:
                self.store, self.state = saved
            self._checked_at = time.monotonic()
            if self.state == wanted:
                if self._large(wanted):
                    self._columns_task = self.services.spawn(
                        self._columns_in_background(), name="talent-index-columns"
                    )
                else:
                    self.columns = await _read_columns(self.services)
                return
            if saved is None or not self._large(wanted):
                await self._rebuild(wanted)
                return
        self._refresh = self.services.spawn(self._refresh_in_background(), name="talent-index")

    async def _columns_in_background(self) -> None:
        """Read the filter columns of the saved index's profiles (the lock keeps this
        process's imports from changing them meanwhile)."""
        async with self._lock:
            if self.columns is None:
                self.columns = await _read_columns(self.services)

    async def ready(self) -> None:
        """Wait until the filter columns are read (benchmarks and tests)."""
        if self._columns_task is not None:
            await self._columns_task

    def filter_columns(self) -> FilterColumns | None:
        """The columns when they answer exactly as SQL would: read, and no background
        rebuild running (the rows it catches up on are checked in SQL)."""
        return None if self._stale_after is not None else self.columns

    def _large(self, wanted: IndexState) -> bool:
        return max(wanted.count, self.store.size) >= BACKGROUND_FROM

    async def ensure_fresh(self, *, force: bool = False) -> None:
        """Rebuild when another process changed the catalogue (checked every few seconds;
        for a large catalogue, in the background unless `force`)."""
        large = self.store.size >= BACKGROUND_FROM
        every = BACKGROUND_CHECK_S if large else FRESHNESS_CHECK_S
        if not force and time.monotonic() - self._checked_at < every:
            return
        if not force and large:
            if self._refresh is None:
                self._refresh = self.services.spawn(
                    self._refresh_in_background(), name="talent-index"
                )
            return
        async with self._lock:
            wanted = await database_state(self.services)
            if wanted != self.state:
                log.info("talent index is stale (%s, want %s): rebuilding", self.state, wanted)
                await self._rebuild(wanted)
            self._checked_at = time.monotonic()

    async def _refresh_in_background(self) -> None:
        """Check PostgreSQL and, when stale, build a new index beside the one serving."""
        try:
            wanted = await database_state(self.services)
            self._checked_at = time.monotonic()
            if wanted == self.state:
                return
            log.info(
                "talent index is stale (%s, want %s): rebuilding in the background",
                self.state,
                wanted,
            )
            self._stale_after = self.state.newest if self.state else ""
            self._changes = []
            store, columns = await self._build(wanted)
            async with self._lock:
                for change in self._changes:  # made while it was building
                    await asyncio.to_thread(_apply_to, store, columns, change)
                self._install(store, columns, wanted)
                await asyncio.to_thread(self._save)
        finally:
            self._stale_after, self._changes, self._refresh = None, None, None
            self._checked_at = time.monotonic()

    async def apply(
        self, upserts: dict[int, np.ndarray], removals: list[int], *, save: bool = True
    ) -> None:
        """Apply this process's own changes and record the new state; `save` writes the file
        (a long import saves once at the end instead of after every batch)."""
        async with self._lock:
            change = _Change(upserts, removals, await _column_rows(self.services, list(upserts)))
            await asyncio.to_thread(_apply_to, self.store, self.columns, change)
            if self._changes is not None:
                self._changes.append(change)
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
        ids, sims = await asyncio.to_thread(self.store.search, query, k, allowed)
        if self._stale_after is not None:  # rebuilding: the serving index lacks what changed
            ids, sims = await self._with_changed(self._stale_after, query, k, allowed, ids, sims)
        return ids, sims

    async def _with_changed(
        self,
        newest: str,
        query: np.ndarray,
        k: int,
        allowed: np.ndarray | None,
        ids: np.ndarray,
        sims: np.ndarray,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Merge in the profiles changed after the serving index's newest row, scored
        exactly from the embeddings PostgreSQL holds (their old vectors give way)."""
        where: list[Any] = [*indexable()]
        if newest:
            where.append(Talent.updated_at > datetime.fromisoformat(newest))
        async with self.services.sessions() as session:
            rows = (
                await session.execute(
                    select(Talent.row_id, Talent.embedding)
                    .where(*where)
                    .order_by(Talent.updated_at.desc())
                    .limit(CHANGED_LIMIT)
                )
            ).all()
        if not rows:
            return ids, sims
        changed = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
        vectors = np.vstack([np.frombuffer(r[1], dtype=np.float32) for r in rows])
        kept = ~np.isin(ids, changed)
        if allowed is not None:  # (filtered here: a filter may allow a million ids)
            inside = np.isin(changed, allowed)
            changed, vectors = changed[inside], vectors[inside]
        all_ids = np.concatenate([ids[kept], changed])
        all_sims = np.concatenate([sims[kept], vectors @ np.asarray(query, dtype=np.float32)])
        order = np.argsort(-all_sims, kind="stable")[:k]
        return all_ids[order], all_sims[order]

    @property
    def size(self) -> int:
        return self.store.size

    @property
    def rebuilding(self) -> bool:
        """A new index is being built in the background while this one serves."""
        return self._stale_after is not None

    # -- worker-thread parts ------------------------------------------------------------

    def _load_saved(self) -> tuple[VectorStore, IndexState] | None:
        """The saved index and the catalogue state it was saved at (None: none usable)."""
        if not self.path.exists() or not self.meta_path.exists():
            return None
        try:
            meta = json.loads(self.meta_path.read_text())
            saved = IndexState(int(meta["count"]), str(meta["newest"]))
            store = VectorStore.load(self.path, self.dim)
            if store.size != saved.count:
                return None
        except (OSError, ValueError, KeyError, RuntimeError) as exc:
            log.warning("talent index at %s is unusable (%s): rebuilding", self.path, exc)
            return None
        return store, saved

    async def _rebuild(self, wanted: IndexState) -> None:
        self._install(*await self._build(wanted), wanted)
        await asyncio.to_thread(self._save)

    def _install(self, store: VectorStore, columns: FilterColumns, wanted: IndexState) -> None:
        self.store, self.columns = store, columns
        # Rows may have changed while we paged; the next check catches up if so.
        self.state = wanted if store.size == wanted.count else IndexState(store.size, "")

    async def _build(self, wanted: IndexState) -> tuple[VectorStore, FilterColumns]:
        """A new index of every indexable row and its filter columns, read from PostgreSQL
        in keyset pages."""
        started = time.perf_counter()
        store = VectorStore.for_size(self.dim, wanted.count)
        columns = FilterColumns()
        pending: list[tuple[np.ndarray, np.ndarray]] = []  # held until an IVF is trained
        held = 0
        async for rows in _pages(self.services, (*SELECTED, Talent.embedding), 5000):
            ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
            vectors = np.vstack([np.frombuffer(r[-1], dtype=np.float32) for r in rows])
            await asyncio.to_thread(columns.set_rows, rows)
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
        log.info(
            "talent index rebuilt: %d profiles (%s) in %.2fs",
            store.size,
            store.kind,
            time.perf_counter() - started,
        )
        return store, columns

    def _save(self) -> None:
        if self.state is None:
            return
        self.store.save(self.path)
        tmp = self.meta_path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"count": self.state.count, "newest": self.state.newest}))
        tmp.replace(self.meta_path)


@dataclass(frozen=True)
class _Change:
    """Profiles this process wrote: their vectors and filter columns, and those removed."""

    upserts: dict[int, np.ndarray]
    removals: list[int]
    rows: list[Any]  # the upserted profiles' `SELECTED` columns


def _apply_to(store: VectorStore, columns: FilterColumns | None, change: _Change) -> None:
    if change.removals:
        store.remove(np.asarray(change.removals, dtype=np.int64))
    if change.upserts:
        ids = np.fromiter(change.upserts.keys(), dtype=np.int64, count=len(change.upserts))
        store.upsert(ids, np.vstack(list(change.upserts.values())))
    if columns is not None:
        columns.remove(change.removals)
        columns.set_rows(change.rows)


async def _column_rows(services: Services, ids: list[int]) -> list[Any]:
    """The filter columns of these profiles as PostgreSQL holds them now."""
    if not ids:
        return []
    async with services.sessions() as session:
        query = select(*SELECTED).where(Talent.row_id.in_(ids), *indexable())
        return list((await session.execute(query)).all())


async def _pages(
    services: Services, selected: Sequence[Any], size: int
) -> AsyncIterator[list[Any]]:
    """Every indexable row's `selected` columns (row id first), in keyset pages of `size`:
    bounded memory however big the catalogue."""
    last = 0
    while True:
        async with services.sessions() as session:
            rows = (
                await session.execute(
                    select(*selected)
                    .where(*indexable(), Talent.row_id > last)
                    .order_by(Talent.row_id)
                    .limit(size)
                )
            ).all()
        if not rows:
            return
        last = int(rows[-1][0])
        yield list(rows)


async def _read_columns(services: Services) -> FilterColumns:
    """The filter columns of every indexable profile, read in keyset pages."""
    started = time.perf_counter()
    columns = FilterColumns()
    async for rows in _pages(services, SELECTED, COLUMN_PAGE):
        await asyncio.to_thread(columns.set_rows, rows)
    log.info(
        "talent filter columns read: %d profiles, %.1f MB in %.2fs",
        columns.count,
        columns.memory_bytes() / 2**20,
        time.perf_counter() - started,
    )
    return columns


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
