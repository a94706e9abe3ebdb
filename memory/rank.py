"""Ranking recalled items: dense and lexical evidence fused, then distinct items preferred.

Reciprocal-rank fusion needs no calibration between the two scores (cosine similarities
and BM25 live on different scales): an item near the top of either list ranks high, an
item near the top of both ranks highest. Ranks, not scores, also make a partition's size
irrelevant.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, TypeVar

RRF_K = 60.0  # the usual constant: flattens the head so several items can share the top
DENSE_WEIGHT = 1.0
LEXICAL_WEIGHT = 1.0
ENTITY_WEIGHT = 0.3  # lift for an item naming the entities the question names
SPEAKER_WEIGHT = 1.0  # lift for a transcript line said by someone the question names
# A line that only asks ("How did it feel?") rarely holds what a question looks for, but
# its words and topic match the question well: it goes down by the share that asks.
ASKING_WEIGHT = 1.0
# A line said just before or after a well-ranked one shares its standing in part: answers
# lean on the line they answer ("Is that your third one?" / "Yep! It's about loss").
BESIDE_WEIGHT = 0.3


class Scored(Protocol):
    score: float
    lexical: float
    about: float
    said: bool
    asks: float
    item_id: int
    beside: tuple[int, int]


T = TypeVar("T", bound=Scored)


def fuse(hits: Sequence[T]) -> list[tuple[float, T]]:
    """(fused score, hit), best first."""
    dense_rank = {id(h): n for n, h in enumerate(sorted(hits, key=lambda h: -h.score))}
    lexical = sorted((h for h in hits if h.lexical > 0), key=lambda h: -h.lexical)
    lexical_rank = {id(h): n for n, h in enumerate(lexical)}
    matched: dict[int, float] = {}  # item id → how well it matches, before the asking penalty
    for hit in hits:
        value = DENSE_WEIGHT / (RRF_K + dense_rank[id(hit)])
        if id(hit) in lexical_rank:
            value += LEXICAL_WEIGHT / (RRF_K + lexical_rank[id(hit)])
        value += ENTITY_WEIGHT * hit.about / RRF_K
        if hit.said:
            value += SPEAKER_WEIGHT / RRF_K
        matched[hit.item_id] = value
    fused = []
    for hit in hits:
        value = matched[hit.item_id] - ASKING_WEIGHT * hit.asks / RRF_K
        before, after = hit.beside
        value += BESIDE_WEIGHT * max(matched.get(before, 0.0), matched.get(after, 0.0))
        fused.append((value, hit))
    fused.sort(key=lambda pair: -pair[0])
    return fused
