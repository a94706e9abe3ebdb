"""The process's embedder: a burst's queries don't all wait behind one engine."""

from __future__ import annotations

import asyncio

import numpy as np

from bot.embedding import E5Embedder


async def test_a_query_is_not_held_behind_a_long_batch() -> None:
    embedder = E5Embedder(threads=1, spare=True)
    long_texts = [" ".join(f"casting note {i} about a Marathi actor" for i in range(40))] * 32
    batch = asyncio.create_task(embedder.passages(long_texts))
    await asyncio.sleep(0.05)  # the batch holds the first engine
    query = asyncio.create_task(embedder.queries(["kathak dancer in Pune"]))
    done, _ = await asyncio.wait({batch, query}, return_when=asyncio.FIRST_COMPLETED)
    assert query in done and batch not in done  # answered by the spare meanwhile
    await batch
    again = (await embedder.queries(["kathak dancer in Pune"]))[0]  # the first engine, free
    assert np.allclose(query.result()[0], again, atol=1e-5)  # the same model, the same answer
