"""Ranking recalled items: dense and lexical evidence combined, then distinct items preferred.

The two scores are put on one scale over the candidates of the question (the cosine
min-max normalised, BM25 divided by the best BM25) and combined convexly, as Bruch, Gai and
Ingber found better than reciprocal-rank fusion for hybrid retrieval ("An Analysis of
Fusion Functions for Hybrid Retrieval", ACM TOIS 2023): ranks throw away how much better the
best lines match than the ones below them, and in a long history of one person hundreds of
lines sit close to the question, so a rank's vote said little. LoCoMo's development half
(python -m benchmarks.locomo, 652 questions): evidence recall 0.890 with reciprocal ranks,
0.900 so (multi-hop 0.690 -> 0.729), each pair of its conversations better on its own.
The lifts below are in the same units: 1 is the speaker's lift, MATCH_WEIGHT the best match.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, TypeVar

# How much the match itself weighs against the lifts (a perfect dense and lexical match is
# worth four times being said by the person asked about), and the dense score's share of it.
MATCH_WEIGHT = 4.0
DENSE_SHARE = 0.65
ENTITY_WEIGHT = 0.3  # lift for an item naming the entities the question names
SPEAKER_WEIGHT = 1.0  # lift for a transcript line said by someone the question names
# A line that only asks ("How did it feel?") rarely holds what a question looks for, but
# its words and topic match the question well: it goes down by the share that asks. Not by
# a whole speaker lift: the asking line still lifts the reply beside it, and a line that asks
# and tells ("I joined a gym! Have you tried one?") keeps some standing. LoCoMo dev (652
# questions, kept database h14_dev, 2026-12-08): 1.0 0.902 / multi-hop 0.736, 0.5 0.906,
# 0.6 and 0.7 0.908 / 0.744 (the evening's feed before: 0.903 -> 0.906 at 0.7).
ASKING_WEIGHT = 0.7
# A line said just before or after a well-ranked one shares its standing in part: answers
# lean on the line they answer ("Is that your third one?" / "Yep! It's about loss").
BESIDE_WEIGHT = 0.3
# A day's conversation whose best line matches the question well is likelier to hold the rest
# of the answer than a day with one stray match: each line is lifted by its day's best line
# (min-max over the days among the candidates). LoCoMo dev (652 questions, kept database):
# 0.899 / multi-hop 0.729 -> 0.903 / 0.744; 0.3: 0.903 / 0.736, 0.45: 0.902 / 0.713.
DAY_WEIGHT = 0.2
DAY_SECONDS = 86400.0


class Scored(Protocol):
    score: float
    lexical: float
    about: float
    said: bool
    asks: float
    item_id: int
    beside: tuple[int, int]
    at: float


T = TypeVar("T", bound=Scored)


def fuse(hits: Sequence[T]) -> list[tuple[float, T]]:
    """(combined score, hit), best first."""
    if not hits:
        return []
    lowest = min(h.score for h in hits)
    spread = max(h.score for h in hits) - lowest or 1.0
    best_lexical = max(h.lexical for h in hits) or 1.0
    matched: dict[int, float] = {}  # item id → how well it matches, before the asking penalty
    for hit in hits:
        dense = (hit.score - lowest) / spread
        lexical = max(hit.lexical, 0.0) / best_lexical
        value = MATCH_WEIGHT * (DENSE_SHARE * dense + (1 - DENSE_SHARE) * lexical)
        value += ENTITY_WEIGHT * hit.about
        if hit.said:
            value += SPEAKER_WEIGHT
        matched[hit.item_id] = value
    fused = []
    days: list[int] = []
    best: dict[int, float] = {}  # day → its best line's value
    for hit in hits:
        value = matched[hit.item_id] - ASKING_WEIGHT * hit.asks
        before, after = hit.beside
        value += BESIDE_WEIGHT * max(matched.get(before, 0.0), matched.get(after, 0.0))
        fused.append((value, hit))
        day = int(hit.at // DAY_SECONDS)
        days.append(day)
        if value > best.get(day, -1e9):
            best[day] = value
    low = min(best.values())
    lift = DAY_WEIGHT / (max(best.values()) - low or 1.0)
    fused = [
        (value + lift * (best[day] - low), hit)
        for (value, hit), day in zip(fused, days, strict=True)
    ]
    fused.sort(key=lambda pair: -pair[0])
    return fused
