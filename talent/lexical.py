"""Lexical ranking: PostgreSQL full-text search over names, bios and credit titles.

Embeddings blur rare words ("Padma Shri", "NSD", a film's title); full-text search keeps
them. Each query word counts by how rare it is among the profiles that pass the filters
(inverse document frequency), so "idiots" outweighs "films". `talent.search` fuses this
ranking with the FAISS one by reciprocal rank fusion.

A word held by more than `COMMON_FROM` profiles of the catalogues searched is left out: a stop word
of this catalogue, found from its own document frequencies (what scikit-learn's `max_df`
calls corpus-specific stop words). It cannot single anyone out, it weighs a fraction of a
rare word, and scoring every profile holding it is what made a query with common words
take 15-21 s at 1 M profiles. The semantic ranking still reads it; phrases with it go too.
"""

from __future__ import annotations

import itertools
import math
import re
import time
from collections import OrderedDict
from collections.abc import Sequence
from typing import TYPE_CHECKING

from sqlalchemy import Float, case, cast, func, literal, or_, select
from sqlalchemy.dialects.postgresql import REGCONFIG
from sqlalchemy.sql.elements import ColumnElement

from talent.index import indexable
from talent.models import Talent

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from bot.services import Services

MAX_TERMS = 12
# From how many holders a word counts as common (1 M profiles: 1%): ranking "college
# student, comic timing" scored the 344K profiles holding one of its words in 15-21 s.
COMMON_FROM = 10_000
HELD_FOR_S = 600.0  # how long a word's count of holders is reused (it moves slowly)
HELD_WORDS = 20_000  # counts kept at most (least recently used go first)
# words that say nothing about who someone is; the parser's own stop list covers the rest
_NOISE = {
    *("film", "films", "movie", "movies", "acted", "act", "acting", "actor", "actors"),
    *("actress", "actresses", "cinema", "who", "with", "the", "and", "has", "have", "had"),
    *("worked", "work", "working", "in", "of", "a", "an", "for"),
}


# the word before a performer's noun in the film awards' category names (Filmfare, the
# National Film Awards: "Best Actress", "Best Supporting Actor")
_CATEGORY_BEFORE = frozenset({"best", "supporting"})


def terms(text: str, extra: Sequence[str] = ()) -> list[str]:
    """The distinct words of a query worth looking up (Latin, digits, Devanagari)."""
    words = re.findall(r"[\w\u0900-\u097F]+", text.lower()) + [w.lower() for w in extra]
    out: list[str] = []
    for n, word in enumerate(words):
        # an award's category keeps its noun: "Best Actress", "Best Supporting Actor"
        category = n and words[n - 1] in _CATEGORY_BEFORE
        if (word in _NOISE and not category) or word in out:
            continue
        if len(word) < 2 and not word.isdigit():
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


def _idf(total: int, df: ColumnElement[int]) -> ColumnElement[float]:
    """log(1 + (N - df + 0.5) / (df + 0.5)) in double precision."""
    rest = cast(literal(total) - df, Float) + 0.5
    return func.ln(1 + rest / (cast(df, Float) + 0.5))


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
    scope: Sequence[str],
    limit: int = 200,
    total: int | None = None,
) -> list[tuple[int, float]]:
    """(row_id, score) of the profiles matching any word, best first, among those `where`
    allows. Score: the summed inverse document frequency of the words matched. `scope`: the
    catalogues searched (a word common in another workspace's catalogue still counts here).
    `total`: how many profiles `where` allows, when the caller knows (else counted: a scan
    at 1 M)."""
    if not words:
        return []
    counts = services.find(_HolderCounts) or services.provide(_HolderCounts())
    async with services.sessions() as session:
        kept = await counts.uncommon(session, words, tuple(sorted(scope)))
        return await _rank(session, words, kept, where, limit, total)


async def _rank(
    session: AsyncSession,
    words: list[str],
    kept: set[str],
    where: Sequence[ColumnElement[bool]],
    limit: int,
    total: int | None,
) -> list[tuple[int, float]]:
    # each word, then each pair of neighbours as a phrase: "Padma Shri" said together
    # outranks a "Padma" in a name and a "Shri" elsewhere
    parts = [(w,) for w in words if w in kept]
    parts += [pair for pair in itertools.pairwise(words) if set(pair) <= kept]
    if not parts:
        return []
    words = [w for w in words if w in kept]
    # only rows holding a word are read (the index); a phrase implies its words, so each
    # count over them is the count among every profile the filters allow
    hits = [document().op("@@")(_tsquery(*p)) for p in parts]
    flags = [hit.label(f"m{i}") for i, hit in enumerate(hits)]
    any_word = or_(*hits[: len(words)])
    inner = select(Talent.row_id, *flags).where(*indexable(), *where, any_word).subquery()
    matched = [inner.c[f"m{i}"] for i in range(len(parts))]
    counted = select(
        inner.c.row_id,
        *matched,
        *[func.count().filter(m).over().label(f"df{i}") for i, m in enumerate(matched)],
    ).subquery()
    if total is None:
        total = await session.scalar(select(func.count()).where(*indexable(), *where)) or 0
    # a word's weight: how rare it is among the profiles the filters allow (BM25's idf),
    # summed in PostgreSQL so only the best `limit` rows come back (not every match)
    score = sum(
        (
            case((counted.c[f"m{i}"], _idf(total, counted.c[f"df{i}"])), else_=0.0)
            for i in range(len(parts))
        ),
        start=literal(0.0, Float),
    ).label("score")
    best = select(counted.c.row_id, score).order_by(score.desc(), counted.c.row_id)
    rows = (await session.execute(best.limit(limit))).all()
    return [(int(row_id), float(value)) for row_id, value in rows]


class _HolderCounts:
    """How many indexable profiles of some catalogues hold each word, up to
    `COMMON_FROM + 1`, reused for `HELD_FOR_S` (counting a common word reads `COMMON_FROM`
    rows: 0.1-0.3 s at 1 M); the `HELD_WORDS` most recently used counts are kept."""

    def __init__(self) -> None:
        self._held: OrderedDict[tuple[str, tuple[str, ...]], tuple[int, float]] = OrderedDict()

    async def uncommon(
        self, session: AsyncSession, words: list[str], scope: tuple[str, ...]
    ) -> set[str]:
        """The words held by at most `COMMON_FROM` profiles of the `scope` catalogues."""
        now = time.monotonic()
        known: dict[str, int] = {}
        for word in words:
            held, at = self._held.get((word, scope), (0, -math.inf))
            if now - at < HELD_FOR_S:
                known[word] = held
                self._held.move_to_end((word, scope))
        unknown = [w for w in words if w not in known]
        if unknown:
            for word, held in (await _holders(session, unknown, scope)).items():
                self._held[(word, scope)] = (held, now)
                known[word] = held
            while len(self._held) > HELD_WORDS:
                self._held.popitem(last=False)
        return {w for w in words if known[w] <= COMMON_FROM}


async def _holders(
    session: AsyncSession, words: list[str], scope: tuple[str, ...]
) -> dict[str, int]:
    """How many indexable profiles of `scope` hold each word, counted in one round trip, each count
    stopping at `COMMON_FROM + 1` holders (a common word costs what `COMMON_FROM` rows
    cost, not what its hundreds of thousands would)."""
    counts = [
        select(func.count())
        .select_from(
            select(literal(1))
            .where(*indexable(), Talent.workspace.in_(scope), document().op("@@")(_tsquery(word)))
            .limit(COMMON_FROM + 1)
            .subquery()
        )
        .scalar_subquery()
        for word in words
    ]
    held = (await session.execute(select(*counts))).one()
    return dict(zip(words, (int(n) for n in held), strict=True))
