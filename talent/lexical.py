"""Lexical ranking: PostgreSQL full-text search over names, bios and credit titles.

Embeddings blur rare words ("Padma Shri", "NSD", a film's title); full-text search keeps
them. Each query word counts by how rare it is among the profiles that pass the filters
(inverse document frequency), so "idiots" outweighs "films". `talent.search` fuses this
ranking with the FAISS one by reciprocal rank fusion.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from sqlalchemy import Integer, cast, func, literal, or_, select
from sqlalchemy.dialects.postgresql import REGCONFIG
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
    """The searchable text of a profile: name, bio and every credit's title (a stored,
    GIN-indexed column: see `talent.models.SEARCH_DOCUMENT`)."""
    return Talent.search_doc


def singular(word: str) -> str:
    """An English plural's singular, the common regular cases only ("contestants",
    "comedies"), so its prefix also finds the singular; "boss", "actress" stay."""
    if len(word) < 5 or not word.isascii() or word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    return word[:-1] if word.endswith("s") else word


def _lexeme(word: str) -> str:
    # a quoted lexeme; longer words also match as a prefix ("idiot" finds "idiots")
    stem = singular(word)
    return "'" + stem.replace("'", "") + "'" + (":*" if len(stem) >= 5 else "")


def _tsquery(*words: str) -> ColumnElement[object]:
    """One word, or adjacent words as a phrase allowing one word between ("National
    Award" finds "National Film Award")."""
    lexemes = [_lexeme(w) for w in words]
    text = (
        lexemes[0]
        if len(lexemes) == 1
        else " | ".join(f"({lexemes[0]} {near} {lexemes[1]})" for near in ("<->", "<2>"))
    )
    return func.to_tsquery(literal("simple").cast(REGCONFIG), text)


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
    # each word, then each pair of neighbours as a phrase: "Padma Shri" said together
    # outranks a "Padma" in a name and a "Shri" elsewhere
    parts = [(w,) for w in words] + list(itertools.pairwise(words))
    queries = [_tsquery(*p) for p in parts]
    # only rows holding a word are read (the index); a phrase implies its words, so each
    # count over them is the count among every profile the filters allow
    any_word = or_(*[document().op("@@")(q) for q in queries[: len(words)]])
    flags = [document().op("@@")(q).label(f"m{i}") for i, q in enumerate(queries)]
    inner = select(Talent.row_id, *flags).where(*indexable(), *where, any_word).subquery()
    matched = [inner.c[f"m{i}"] for i in range(len(parts))]
    counts = [func.count().filter(m).over().label(f"df{i}") for i, m in enumerate(matched)]
    query = select(
        inner.c.row_id,
        *[cast(m, Integer).label(f"h{i}") for i, m in enumerate(matched)],
        *counts,
    )
    async with services.sessions() as session:
        total = await session.scalar(select(func.count()).where(*indexable(), *where)) or 0
        rows = (await session.execute(query)).all()
    scored = []
    for row in rows:
        score = 0.0
        for i in range(len(parts)):
            if row[1 + i]:
                df = row[1 + len(parts) + i] or 1
                score += math.log(1 + (total - df + 0.5) / (df + 0.5))
        scored.append((int(row[0]), score))
    scored.sort(key=lambda pair: (-pair[1], pair[0]))
    return scored[:limit]
