"""The garbage collector's full collections wait for a moment no turn is before its first
text, instead of stalling every reply in flight."""

from __future__ import annotations

import asyncio
import gc

from bot.heap import NEVER, FullCollections
from bot.priority import FirstTextFirst


def _full_collections() -> int:
    return gc.get_stats()[2]["collections"]


async def test_a_full_collection_waits_for_the_turns_first_text() -> None:
    before = gc.get_threshold()
    priority = FirstTextFirst(max_wait_s=5.0)
    with priority.answering() as shown:
        collections = FullCollections(priority, every_s=0.05)
        start = _full_collections()
        await asyncio.sleep(0.3)  # several periods pass while the turn waits for its text
        assert _full_collections() == start
        shown()
        await asyncio.sleep(0.2)
        assert _full_collections() > start  # run once nobody waits
        await collections.stop()
    assert gc.get_threshold() == before  # the collector's own schedule is back


async def test_the_collector_starts_no_full_collection_of_its_own_meanwhile() -> None:
    collections = FullCollections(FirstTextFirst(), every_s=3600)
    try:
        assert gc.get_threshold()[2] == NEVER
        start = _full_collections()
        kept = [[] for _ in range(300_000)]  # what would have started full collections
        assert _full_collections() == start
        del kept
    finally:
        await collections.stop()
