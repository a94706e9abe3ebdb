"""A FAISS vector store with filtered search that stays exact when the filter is selective.

Plain FAISS, synchronous and thread-safe; callers on the event loop go through
`talent.index.CatalogueIndex`, which runs these methods in a worker thread.

Kind, by catalogue size (`for_size`): exact flat storage below `IVF_FROM` profiles; from there
an inverted-file index (IVF, `nlist_for` lists, `NPROBE` probed), since one exact scan of a
million 384-d vectors is ~1.5 GB of memory traffic per query (~100 ms on one core).

Strategy (see PLATFORM-FACTS: approximate indexes lose recall under narrow filters):
- no filter: the index's own search (exact for flat; IVF probes `NPROBE` lists);
- an allowed set small enough: exact inner products over just those vectors, read straight
  from the flat storage (flat: up to `EXACT_LIMIT` or `EXACT_SHARE`), or through the IVF's id
  map (up to `IVF_EXACT_LIMIT` only: its lookups scatter over the whole index, ~12 ms of CPU
  for 10,000 ids at 1M against ~3.5 ms for the filtered IVF search below);
- otherwise: the index's search with a bitmap selector, which computes distances only for
  allowed vectors; for IVF `FILTERED_NPROBE` is widened by the square root of the share
  filtered out (a random filter's nearest members lie only a little further than the
  nearest vectors; widening by the whole share cost 3x the time for no recall at 1M), and
  once that reaches `SCAN_ALL_FROM` of the lists, every list is scanned: exact.
"""

from __future__ import annotations

import contextlib
import math
import threading
from pathlib import Path

import faiss
import numpy as np

EXACT_LIMIT = 10_000  # flat: below this many allowed vectors, a dot product beats the index
EXACT_SHARE = 0.02
IVF_EXACT_LIMIT = 2_000  # IVF: the same through its id map (crossover measured at 1M)
IVF_FROM = 200_000  # from this many profiles the catalogue is an IVF index
TRAIN_SAMPLE = 100_000  # vectors the IVF's k-means learns its lists from (>= 39 per list)
# Lists an IVF search scans, unfiltered and (before widening) filtered. Measured at 1M
# (2048 lists) against exact search for ten casting phrases embedded by the query model, on
# profiles spread as the sample's real ones are (benchmarks/README.md, talent_scale
# generation 2): unfiltered 32 lists recall@10 0.95, 64 0.99, 96 1.0 at 3.6 ms CPU. Under
# the benchmark's filters, which follow the profiles (a gender, a city), 48 widened kept
# only 0.87-0.90 for three of them.
NPROBE = 96
FILTERED_NPROBE = 96
# A filtered IVF search that would scan this share of the lists scans them all instead:
# exact over the allowed profiles (the selector skips the rest) for at most twice the lists
# (at 1M: filters allowing up to ~0.9%, 4-7 ms of CPU).
SCAN_ALL_FROM = 0.5

# One query at a time is our load: OpenMP threads only fight the event loop and the embedder
# for two cores (measured: 100K flat search 51 ms with 2 threads, 6.7 ms with 1). The setting
# is per calling thread, so it is applied in whichever worker thread searches.
SEARCH_THREADS = 1


class VectorStore:
    def __init__(self, dim: int, *, kind: str = "flat", nlist: int = 0) -> None:
        self.dim = dim
        self.kind = kind
        self._lock = threading.RLock()
        if kind == "flat":
            self._flat = faiss.IndexFlatIP(dim)
            self.index: faiss.Index = faiss.IndexIDMap2(self._flat)
        elif kind == "ivf":
            quantizer = faiss.IndexFlatIP(dim)
            self.index = faiss.IndexIVFFlat(quantizer, dim, nlist, faiss.METRIC_INNER_PRODUCT)
            # id -> stored vector, for exact search over a selective filter's few members
            self.index.set_direct_map_type(faiss.DirectMap.Hashtable)
            self.nprobe = NPROBE
            self.filtered_nprobe = FILTERED_NPROBE
        else:
            raise ValueError(f"unknown index kind {kind!r}")
        self._positions: tuple[np.ndarray, np.ndarray] | None = None  # (sorted ids, rows)

    @classmethod
    def for_size(cls, dim: int, count: int) -> VectorStore:
        """The store a catalogue of `count` profiles gets (IVF ones still need `train`)."""
        if count < IVF_FROM:
            return cls(dim)
        return cls(dim, kind="ivf", nlist=nlist_for(count))

    @property
    def trained(self) -> bool:
        return bool(self.index.is_trained)

    # -- writing --------------------------------------------------------------------------

    def train(self, sample: np.ndarray) -> None:
        if self.kind == "ivf":
            faiss.omp_set_num_threads(SEARCH_THREADS)  # building runs beside the event loop
            self.index.train(np.ascontiguousarray(sample, dtype=np.float32))

    def upsert(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        ids = np.ascontiguousarray(ids, dtype=np.int64)
        if not len(ids):
            return
        with self._lock:
            self.index.remove_ids(self._selector(ids))
            self.index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), ids)
            self._positions = None

    def remove(self, ids: np.ndarray) -> int:
        ids = np.ascontiguousarray(ids, dtype=np.int64)
        if not len(ids):
            return 0
        with self._lock:
            removed = int(self.index.remove_ids(self._selector(ids)))
            self._positions = None
            return removed

    def _selector(self, ids: np.ndarray) -> faiss.IDSelector:
        """Ids to remove: an IVF with a hashtable id map takes only an IDSelectorArray (looked
        up id by id; it reads the caller's array, kept alive by the caller); the flat id map
        checks every stored id against the set, which a hashed IDSelectorBatch makes O(1)."""
        if self.kind == "ivf":
            return faiss.IDSelectorArray(len(ids), faiss.swig_ptr(ids))
        return faiss.IDSelectorBatch(ids)

    @property
    def size(self) -> int:
        return int(self.index.ntotal)

    def memory_bytes(self) -> int:
        """Bytes the vectors and the id map hold (what `write_index` would write)."""
        with self._lock:
            return int(faiss.serialize_index(self.index).nbytes)

    # -- searching ------------------------------------------------------------------------

    def search(
        self, query: np.ndarray, k: int, allowed: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Top-k (ids, inner products), best first, restricted to `allowed` ids if given."""
        query = np.ascontiguousarray(query, dtype=np.float32).reshape(1, -1)
        with self._lock:
            total = self.size
            if total == 0 or k <= 0:
                return _empty()
            if allowed is None:
                return self._search_index(query, min(k, total), None)
            # distinct ids (primary keys from SQL); not re-sorted: sorting 200K ids cost more
            # than the search itself
            allowed = np.asarray(allowed, dtype=np.int64)
            if not len(allowed):
                return _empty()
            if self._exact_for(len(allowed)):
                return self._search_exact(query, k, allowed)
            return self._search_index(query, min(k, len(allowed)), allowed)

    def _exact_for(self, allowed_count: int) -> bool:
        """Whether scoring the allowed vectors one by one beats the index's search."""
        if self.kind == "ivf":
            return allowed_count <= IVF_EXACT_LIMIT
        return allowed_count <= EXACT_LIMIT or allowed_count <= EXACT_SHARE * self.size

    def _filtered_nprobe(self, allowed_count: int) -> int:
        """IVF lists a filtered search scans: widened by the square root of the share
        filtered out, and every list (exact over the allowed) once that is half of them
        anyway."""
        share = max(allowed_count / max(self.size, 1), 1e-6)
        nprobe = math.ceil(self.filtered_nprobe / math.sqrt(share))
        return self.index.nlist if nprobe >= SCAN_ALL_FROM * self.index.nlist else nprobe

    def strategy(self, allowed_count: int | None) -> str:
        if allowed_count is None:
            return "index"
        if self._exact_for(allowed_count):
            return "exact-subset"
        if self.kind == "ivf" and self._filtered_nprobe(allowed_count) == self.index.nlist:
            return "exact-scan"
        return "index+selector"

    def _search_index(
        self, query: np.ndarray, k: int, allowed: np.ndarray | None, nprobe: int = 0
    ) -> tuple[np.ndarray, np.ndarray]:
        faiss.omp_set_num_threads(SEARCH_THREADS)
        selector, _bitmap = _bitmap_selector(allowed) if allowed is not None else (None, None)
        if self.kind == "ivf":
            if not nprobe:  # a filter's nearest members lie a little further: probe more lists
                nprobe = self.nprobe if allowed is None else self._filtered_nprobe(len(allowed))
                nprobe = min(self.index.nlist, nprobe)
            params: faiss.SearchParameters = faiss.SearchParametersIVF(sel=selector, nprobe=nprobe)
        else:
            params = faiss.SearchParameters(sel=selector) if selector is not None else None
        scores, ids = self.index.search(query, k, params=params)
        keep = ids[0] >= 0
        return ids[0][keep], scores[0][keep]

    def _search_exact(
        self, query: np.ndarray, k: int, allowed: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        if self.kind == "ivf":
            vectors, ids = self._ivf_vectors_for(allowed)
        else:
            vectors, ids = self._vectors_for(allowed)
        if not len(ids):
            return _empty()
        scores = vectors @ query[0]
        k = min(k, len(ids))
        top = np.argpartition(-scores, k - 1)[:k] if k < len(ids) else np.arange(len(ids))
        order = top[np.argsort(-scores[top], kind="stable")]
        return ids[order], scores[order]

    def _vectors_for(self, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The stored vectors of `wanted` ids (those present), read from the flat storage."""
        sorted_ids, rows = self._row_positions()
        if not len(sorted_ids):
            return np.empty((0, self.dim), np.float32), np.empty(0, np.int64)
        where = np.clip(np.searchsorted(sorted_ids, wanted), 0, len(sorted_ids) - 1)
        hit = sorted_ids[where] == wanted
        storage = faiss.rev_swig_ptr(self._flat.get_xb(), self.size * self.dim)
        matrix = np.asarray(storage).reshape(self.size, self.dim)
        return matrix[rows[where[hit]]], wanted[hit]

    def _ivf_vectors_for(self, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The stored vectors of `wanted` ids, through the IVF's id map. An id the index
        lacks (a row changed since) makes the batch fail: then they are read one by one."""
        try:
            return self.index.reconstruct_batch(wanted), wanted
        except RuntimeError:
            found: dict[int, np.ndarray] = {}
            for row_id in wanted.tolist():
                with contextlib.suppress(RuntimeError):
                    found[row_id] = self.index.reconstruct(row_id)
            if not found:
                return np.empty((0, self.dim), np.float32), np.empty(0, np.int64)
            return np.vstack(list(found.values())), np.fromiter(found, dtype=np.int64)

    def _row_positions(self) -> tuple[np.ndarray, np.ndarray]:
        if self._positions is None:
            id_map = faiss.vector_to_array(self.index.id_map).astype(np.int64)
            order = np.argsort(id_map, kind="stable")
            self._positions = (id_map[order], order)
        return self._positions

    # -- persistence ----------------------------------------------------------------------

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        with self._lock:
            faiss.write_index(self.index, str(tmp))
        tmp.replace(path)  # atomic: a reader never sees half an index

    @classmethod
    def load(cls, path: Path, dim: int) -> VectorStore:
        index = faiss.read_index(str(path))
        if index.d != dim:
            raise ValueError(f"{path} is not a {dim}-d index")
        if isinstance(index, faiss.IndexIVFFlat):
            store = cls(dim, kind="ivf", nlist=index.nlist)
            if index.direct_map.type != faiss.DirectMap.Hashtable:
                index.set_direct_map_type(faiss.DirectMap.Hashtable)
            store.index = index
            return store
        if not isinstance(index, faiss.IndexIDMap2):
            raise ValueError(f"{path} is neither a flat id-mapped nor an IVF index")
        store = cls(dim)
        store.index = index
        store._flat = faiss.downcast_index(index.index)
        return store


def nlist_for(count: int) -> int:
    """IVF lists for a catalogue: about 2·√n, a power of two (1M profiles: 2048)."""
    return int(2 ** round(math.log2(max(2 * math.sqrt(count), 16))))


def _bitmap_selector(allowed: np.ndarray) -> tuple[faiss.IDSelector, np.ndarray]:
    """A bitmap over ids (row ids are dense serials): built in about a millisecond for a
    million ids and O(1) per check, where IDSelectorBatch spent tens of ms hashing 200K ids.
    The caller keeps the returned array alive while FAISS reads it."""
    bits = np.zeros(int(allowed.max()) + 1, dtype=bool)
    bits[allowed] = True
    packed = np.packbits(bits, bitorder="little")  # FAISS reads bit (id & 7) of byte id >> 3
    return faiss.IDSelectorBitmap(len(packed), faiss.swig_ptr(packed)), packed


def _empty() -> tuple[np.ndarray, np.ndarray]:
    return np.empty(0, np.int64), np.empty(0, np.float32)
