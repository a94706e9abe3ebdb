"""Start-up's objects kept out of the cyclic garbage collector's way."""

from __future__ import annotations

import gc
import logging
import time

log = logging.getLogger(__name__)


_frozen = False


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
