"""Lexical ranking: PostgreSQL full-text search over names, bios and credit titles.

Embeddings blur rare words ("Padma Shri", "NSD", a film's title); full-text search keeps
them. Each query word counts by how rare it is among the profiles that pass the filters
(inverse document frequency), so "idiots" outweighs "films". `talent.search` fuses this
ranking with the FAISS one by reciprocal rank fusion.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from sqlalchemy import Integer, String, cast, func, literal, or_, select
from sqlalchemy.dialects.postgresql import JSONPATH, REGCONFIG
from sqlalchemy.sql.elements import ColumnElement

from talent.index import indexable
from talent.models import Talent

if TYPE_CHECKING:
    from bot.services import Services

MAX_TERMS = 12
# words that say nothing about who someone is; the parser's own stop list covers the rest
_NOISE = {
    *("film", "films", "movie", "movies", "acted", "act", "acting", "actor", "actors"),
    *("actress", "actresses", "cinema", "who", "with", "the", "and", "has", "have", "had"),
    *("worked", "work", "working", "in", "of", "a", "an", "for"),
}


def terms(text: str, extra: Sequence[str] = ()) -> list[str]:
    """The distinct words of a query worth looking up (Latin, digits, Devanagari)."""
    words = re.findall(r"[\w\u0900-\u097F]+", text.lower()) + [w.lower() for w in extra]
    out: list[str] = []
    for word in words:
        if word in _NOISE or word in out or (len(word) < 2 and not word.isdigit()):
            continue
        out.append(word)
    return out[:MAX_TERMS]


def document() -> ColumnElement[object]:
    """The searchable text of a profile: name, bio and every credit's title."""
    path = literal("$[*].title").cast(JSONPATH)
    titles = func.coalesce(func.jsonb_path_query_array(Talent.credits, path).cast(String), "")
    text = func.concat_ws(" ", Talent.name, Talent.bio, titles)
    return func.to_tsvector(literal("simple").cast(REGCONFIG), text)


def _tsquery(word: str) -> ColumnElement[object]:
    # a quoted lexeme; longer words also match as a prefix ("idiot" finds "idiots")
    quoted = "'" + word.replace("'", "") + "'" + (":*" if len(word) >= 5 else "")
    return func.to_tsquery(literal("simple").cast(REGCONFIG), quoted)


async def rank(
    services: Services,
    words: list[str],
    where: Sequence[ColumnElement[bool]],
    *,
    limit: int = 200,
) -> list[tuple[int, float]]:
    """(row_id, score) of the profiles matching any word, best first, among those `where`
    allows. Score: the summed inverse document frequency of the words matched."""
    if not words:
        return []
    docs = select(Talent.row_id, document().label("doc")).where(*indexable(), *where).subquery()
    flags = [docs.c.doc.op("@@")(_tsquery(w)).label(f"m{i}") for i, w in enumerate(words)]
    inner = select(docs.c.row_id, *flags).subquery()
    matched = [inner.c[f"m{i}"] for i in range(len(words))]
    counts = [func.count().filter(m).over().label(f"df{i}") for i, m in enumerate(matched)]
    query = select(
        inner.c.row_id,
        *[cast(m, Integer).label(f"h{i}") for i, m in enumerate(matched)],
        *counts,
    ).where(or_(*matched))
    async with services.sessions() as session:
        total = await session.scalar(select(func.count()).where(*indexable(), *where)) or 0
        rows = (await session.execute(query)).all()
    scored = []
    for row in rows:
        score = 0.0
        for i in range(len(words)):
            if row[1 + i]:
                df = row[1 + len(words) + i] or 1
                score += math.log(1 + (total - df + 0.5) / (df + 0.5))
        scored.append((int(row[0]), score))
    scored.sort(key=lambda pair: (-pair[1], pair[0]))
    return scored[:limit]
