"""The cyclic garbage collector kept out of the turns' way: start-up's objects frozen, and
full collections run between turns rather than in the middle of one, each followed by
handing the C allocator's free pages back to the system."""

from __future__ import annotations

import contextlib
import ctypes
import gc
import logging
import sys
import time
from collections.abc import Callable

from bot.periodic import Periodic
from bot.priority import FirstTextFirst

log = logging.getLogger(__name__)

FULL_EVERY_S = 30.0  # how often the full collections the collector no longer starts run
NEVER = 10**9  # younger-generation collections before an automatic full one: none, in practice


_frozen = False


def malloc_trim() -> Callable[[], object] | None:
    """glibc's `malloc_trim(0)`, or None elsewhere (other C libraries return free memory
    themselves, or offer no such call)."""
    if not sys.platform.startswith("linux"):
        return None
    with contextlib.suppress(OSError, AttributeError):
        trim = ctypes.CDLL("libc.so.6").malloc_trim
        trim.argtypes = [ctypes.c_size_t]
        return lambda: trim(0)
    return None


def freeze_startup_objects() -> None:
    """Move everything start-up made (the query model's vocabulary, the talent vocabularies,
    the SDKs' modules: ~350K objects, alive as long as the process) out of the collector's
    generations. Otherwise a full collection scans them all in the middle of some turn: one
    took 208 ms during ten Slack mentions at once, and every reply of that round waited for
    it. Later full collections scan only what the process made since. Once a process: what
    a second opening of the services makes is not start-up's (tests open them many times)."""
    global _frozen
    if _frozen:
        return
    _frozen = True
    started = time.perf_counter()
    gc.freeze()  # no collection first: start-up leaves almost no cyclic garbage (0 found),
    # and one cost a one-shot command (`castmatch talent search`) ~150 ms
    log.debug(
        "froze %d start-up objects in %.0f ms",
        gc.get_freeze_count(),
        (time.perf_counter() - started) * 1000,
    )


class FullCollections:
    """Full collections at a moment no turn waits for its first words.

    A full collection scans every object the process made since start-up: after a few
    thousand turns (their memory's indexes, caches, rows) one took 129 ms, and the collector
    starts it by allocation counts, so in the middle of some burst every reply then in
    flight waited for it. Here the collector still runs its young generations itself, but
    the full collection runs every `every_s` once no turn is before its first text (at most
    a second later under a burst: `FirstTextFirst`). `stop()` gives the collector back its
    own schedule."""

    def __init__(self, priority: FirstTextFirst, every_s: float = FULL_EVERY_S) -> None:
        self._priority = priority
        self._thresholds = gc.get_threshold()
        gc.set_threshold(self._thresholds[0], self._thresholds[1], NEVER)
        self._trim = malloc_trim()
        self._periodic = Periodic(every_s, self._collect, "full-collection")

    async def _collect(self) -> None:
        await self._priority.yield_to_turns()
        started = time.perf_counter()
        found = gc.collect(2)
        collected = time.perf_counter()
        if self._trim is not None:
            # glibc keeps what is freed inside its heaps (one per thread that allocates:
            # the embedding threads, FAISS's and the executor's) for reuse and gives back
            # only a heap's free top: a long run's resident memory crept up with freed
            # rows, texts and vectors (600 turns through the engine: 4.2 of +22.3 MB
            # anonymous came back at one trim, `python -m benchmarks.heap_diff`)
            self._trim()
        log.debug(
            "full collection between turns: %d unreachable in %.0f ms, trim %.0f ms",
            found,
            (collected - started) * 1000,
            (time.perf_counter() - collected) * 1000,
        )

    async def stop(self) -> None:
        await self._periodic.stop()
        gc.set_threshold(*self._thresholds)
