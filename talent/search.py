"""Hybrid talent search: SQL hard filters decide who qualifies; meaning and fit rank them.

1. The query is parsed into filters and a semantic remainder (`talent.query`).
2. The row ids that meet every filter (consent false never qualifies): from the filter
   columns the index keeps in memory (`talent.columns`), or from PostgreSQL for what those
   do not cover (holds and availability) or before they are read.
3. FAISS ranks those ids by similarity to the query embedding (`talent.vectors` picks exact
   search over the subset or a selector-filtered index search, by selectivity).
4. Each candidate's score mixes similarity, words of the query found in its profile, and
   how well it fits graded filters (age); `why` names the filters met and the phrase matched.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np
from sqlalchemy import and_, func, or_, select
from sqlalchemy.sql.elements import ColumnElement

from bot.types import TalentCard
from talent import alike, credits, holds, lexical, media_route, relax, titles, translit
from talent.columns import FilterColumns
from talent.filters import Filters
from talent.index import catalogue_index, indexable
from talent.models import SHARED, Talent
from talent.query import ParsedQuery, parse
from talent.vocab import FAMILIES

if TYPE_CHECKING:
    from bot.services import Services

_COS_FLOOR, _COS_SPAN = 0.72, 0.2  # e5 cosine: ~0.72 unrelated .. ~0.92 close paraphrase
_RRF_K = 60  # reciprocal rank fusion's usual constant
_LEXICAL_WEIGHT = 2.0  # the full-text ranking's vote beside the semantic one (dev half)
_FUSED_SHARE = 0.5  # the fused ranks' share of a score, beside meaning and fit
_INSIDE, _AWAY_YEARS = 0.8, 1.0  # age fit: inside the ages asked for; years out to none


@dataclass(frozen=True)
class Hit:
    card: TalentCard
    similarity: float

    @property
    def id(self) -> str:
        return self.card.id

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.card.id,
            "name": self.card.name,
            "score": self.card.score,
            "why": self.card.why,
        }


@dataclass(frozen=True)
class SearchResult:
    parsed: ParsedQuery
    filters: Filters
    hits: list[Hit]
    qualified: int | None  # how many profiles met the hard filters (None: no filters)
    relax: str = ""  # when nobody qualified: the one filter whose removal would help

    @property
    def cards(self) -> list[TalentCard]:
        return [h.card for h in self.hits]


def filter_clauses(filters: Filters) -> list[ColumnElement[bool]]:
    """SQL for each hard filter (every one must hold)."""
    f, clauses = filters, []
    if f.gender:
        clauses.append(Talent.gender == f.gender)
    if f.age_min is not None:
        clauses.append(Talent.playing_age_max >= f.age_min)
    if f.age_max is not None:
        clauses.append(Talent.playing_age_min <= f.age_max)
    if f.cities:
        in_city = Talent.city.in_(f.cities)
        clauses.append(or_(in_city, Talent.travels.is_(True)) if f.willing_to_travel else in_city)
    elif f.willing_to_travel:
        clauses.append(Talent.travels.is_(True))
    if f.languages:
        clauses.append(Talent.languages.contains(f.languages))
    for skill in f.skills:  # "dancer" is met by a kathak dancer too
        clauses.append(Talent.skills.overlap([skill, *FAMILIES.get(skill, ())]))
    if f.height_min is not None:
        clauses.append(Talent.height_cm >= f.height_min)
    if f.height_max is not None:
        clauses.append(Talent.height_cm <= f.height_max)
    if f.has_showreel:
        clauses.append(and_(Talent.showreel_url.is_not(None), Talent.showreel_url != ""))
    if f.credits_from is not None or f.credits_to is not None:
        low = f.credits_from or 1900
        high = f.credits_to or 2100
        clauses.append(Talent.credit_years.overlap(list(range(low, high + 1))))
    return clauses


def catalogues_for(workspace: str | None) -> tuple[str, ...]:
    """A workspace searches the shared catalogue plus its own."""
    return (SHARED,) if not workspace else (SHARED, workspace)


async def search(
    services: Services, query: str, *, limit: int = 10, workspace: str | None = None
) -> SearchResult:
    """A search from one line of text, its filters the parser's (the CLI's `talent search`,
    the resident search process); the bots' `search_talent` tool passes its own filters."""
    return await search_parsed(services, parse(query), limit=limit, workspace=workspace)


async def search_parsed(
    services: Services,
    parsed: ParsedQuery,
    *,
    filters: Filters | None = None,
    limit: int = 10,
    workspace: str | None = None,
    catalogues: Sequence[str] | None = None,
    except_project: int | None = None,
) -> SearchResult:
    """`except_project`: holds on this project don't count for "not on hold elsewhere"."""
    scope = tuple(catalogues) if catalogues is not None else catalogues_for(workspace)
    if filters is None:  # the parser's filters: a film's title in the query is no filter
        parsed = await titles.read_as_titles(services, parsed, scope)
    filters = filters if filters is not None else parsed.filters
    limit = max(1, min(limit, 100))
    index = await catalogue_index(services)
    extra = holds.search_clauses(filters, workspace, except_project=except_project)
    allowed, qualified = await _qualifying(services, filters, scope, extra)
    if allowed is not None and not len(allowed):
        advice = await relax.suggestion(services, filters, scope, filter_clauses, extra)
        return SearchResult(parsed, filters, [], 0, advice)
    text = parsed.semantic or parsed.text or "actor"
    vector = (await services.embedder.queries([text]))[0]
    # "someone like Preity Zinta": their profile's meaning beside the query's
    like = await alike.model(services, parsed.text, scope, parsed.recognised)
    if like is not None:
        vector = _unit(vector + like.vector)
    ids, sims = await index.search(vector, max(limit * 5, 50), allowed)
    where = [Talent.workspace.in_(scope), *filter_clauses(filters), *extra]
    lexical_words = lexical.terms(_lexical_text(parsed), parsed.born_in)
    # how many qualify is known already: the index's filter columns counted them
    allowed_count = len(allowed) if allowed is not None else index.size
    by_words = await lexical.rank(services, lexical_words, where, scope=scope, total=allowed_count)
    named = await credits.matches(services, parsed.text, where, parsed.titles)
    for row_id, shared in (await credits.costars(services, parsed.text, scope, where)).items():
        named.setdefault(row_id, []).extend(shared)
    ids, sims = await _with_lexical(
        index, vector, ids, sims, [r for r, _ in by_words] + list(named)
    )
    rows = await _rows(services, ids, filters, scope, extra)
    by_words = _with_spelled(by_words, parsed.semantic, rows)
    words = _terms(parsed.semantic)
    semantic_rank = {row_id: n for n, row_id in enumerate(ids.tolist())}
    lexical_rank = {row_id: n for n, (row_id, _) in enumerate(by_words)}
    hits = []
    credited_ids = {rows[r].id for r in named if r in rows}
    born_ids = _born_in(rows.values(), parsed.born_in)
    for row_id, sim in zip(ids.tolist(), sims.tolist(), strict=True):
        row = rows.get(row_id)
        if row is None:  # changed since the index saw it, or outside this scope
            continue
        if like is not None and row_id in like.row_ids:
            continue  # the one they are to be like
        hit = _hit(row, float(sim), filters, words, bool(parsed.semantic))
        fused = _fused(semantic_rank.get(row_id), lexical_rank.get(row_id))
        hit = _rescored(hit, fused, bool(by_words))
        hit = _credited(hit, named[row_id]) if row_id in named else hit
        hit = _likened(hit, like.name) if like is not None else hit
        hits.append(_born(hit, parsed.born_in) if hit.id in born_ids else hit)
    # a film the query names decides first: whoever has that credit comes before the rest;
    # then a birthplace asked for ("born in Bombay"), as the bio says it
    hits.sort(
        key=lambda h: (
            h.id not in credited_ids,
            h.id not in born_ids,
            -h.card.score,
            -h.similarity,
            h.card.id,
        )
    )
    return SearchResult(
        parsed, filters, await _with_availability(services, hits[:limit], workspace), qualified
    )


def _with_spelled(
    by_words: list[tuple[int, float]], semantic: str, rows: dict[int, Talent]
) -> list[tuple[int, float]]:
    """The full-text ranking with the names a Devanagari query spells added ("बिग बॉस" =
    Bigg Boss), found among the candidates' names and bios."""
    keys = translit.query_keys(semantic.split())
    texts = {row_id: f"{row.name} {row.bio or ''}" for row_id, row in rows.items()}
    extra = translit.scores(keys, texts) if keys else {}
    if not extra:
        return by_words
    merged = dict(by_words)
    for row_id, score in extra.items():
        merged[row_id] = merged.get(row_id, 0.0) + score
    return sorted(merged.items(), key=lambda pair: (-pair[1], pair[0]))


def _born_in(rows: Any, places: Sequence[str]) -> set[str]:
    """Ids of the profiles whose bio says they were born in one of `places` (within the
    sentence that says "born"), so "born in Bombay" is not met by "based in Mumbai"."""
    if not places:
        return set()
    names = "|".join(re.escape(p) for p in places)
    said = re.compile(r"\bborn\b[^.]{0,80}?\b(?:" + names + r")\b", re.IGNORECASE)
    return {row.id for row in rows if said.search(row.bio or "")}


def _born(hit: Hit, places: Sequence[str]) -> Hit:
    return Hit(replace(hit.card, why=f"born in {places[0]}; {hit.card.why}"), hit.similarity)


_COMPOUND_NOUNS = frozenset({"artist", "artists", "performer", "performers"})


def _lexical_text(parsed: ParsedQuery) -> str:
    """The query's own words for full-text search: what the filters did not take, plus
    numbers and capitalised words (a title like "3 Idiots" keeps its "3")."""
    kept = set(re.findall(r"[\w\u0900-\u097F]+", parsed.semantic.lower()))  # "highest-paid"
    words = re.findall(r"[\w\u0900-\u097F]+", parsed.text)
    said = [
        w
        for n, w in enumerate(words)
        if w.lower() in kept
        or w.isdigit()
        or w[:1].isupper()
        # "child artist", "voice artist": a generic noun completes the word before it
        or (w.lower() in _COMPOUND_NOUNS and n and words[n - 1].lower() in kept)
    ]
    typed = {w.lower() for w in words}
    meant = re.findall(r"[\w\u0900-\u097F]+", parsed.semantic)
    glossed = [w for w in meant if w not in typed]  # "राष्ट्रीय" -> national
    return " ".join(said + glossed)


async def _with_lexical(
    index: Any, vector: np.ndarray, ids: np.ndarray, sims: np.ndarray, lexical_ids: list[int]
) -> tuple[np.ndarray, np.ndarray]:
    """Add the full-text matches the semantic search did not reach, with their similarity."""
    missing = np.array(sorted(set(lexical_ids) - set(ids.tolist())), dtype=np.int64)
    if not len(missing):
        return ids, sims
    more_ids, more_sims = await index.search(vector, len(missing), missing)
    return np.concatenate([ids, more_ids]), np.concatenate([sims, more_sims])


def _fused(semantic: int | None, lexical_rank: int | None) -> float:
    """Reciprocal rank fusion of the two rankings, scaled to [0, 1]."""
    score = 0.0 if semantic is None else 1.0 / (_RRF_K + 1 + semantic)
    if lexical_rank is not None:
        score += _LEXICAL_WEIGHT / (_RRF_K + 1 + lexical_rank)
    return score / ((1.0 + _LEXICAL_WEIGHT) / (_RRF_K + 1))


def _unit(vector: np.ndarray) -> np.ndarray:
    return (vector / max(float(np.linalg.norm(vector)), 1e-9)).astype(np.float32)


def _likened(hit: Hit, name: str) -> Hit:
    return Hit(replace(hit.card, why=f"like {name}; {hit.card.why}"), hit.similarity)


def _credited(hit: Hit, titles: list[credits.TitleMatch]) -> Hit:
    shown = ", ".join(f"{t.title} ({t.year})" if t.year else t.title for t in titles[:2])
    return Hit(replace(hit.card, why=f"in {shown}; {hit.card.why}"), hit.similarity)


def _rescored(hit: Hit, fused: float, has_lexical: bool) -> Hit:
    if not has_lexical:
        return hit
    score = (1 - _FUSED_SHARE) * hit.card.score + _FUSED_SHARE * fused
    score = round(min(max(score, 0.0), 1.0), 4)
    return Hit(replace(hit.card, score=score), hit.similarity)


async def _with_availability(
    services: Services, hits: list[Hit], workspace: str | None
) -> list[Hit]:
    """Each card's availability line (holds and windows of this workspace), and a headshot
    the workspace keeps where the catalogue has none."""
    ids = [h.id for h in hits]
    lines = await holds.summaries(services, workspace or "", ids)
    pictures = await media_route.headshots(services, workspace or "", ids)
    return [
        Hit(
            replace(
                h.card,
                availability=lines.get(h.id, ""),
                headshot_url=h.card.headshot_url or pictures.get(h.id, ""),
            ),
            h.similarity,
        )
        for h in hits
    ]


async def _qualifying(
    services: Services,
    filters: Filters,
    scope: tuple[str, ...],
    extra: Sequence[ColumnElement[bool]] = (),
) -> tuple[np.ndarray | None, int | None]:
    """Row ids allowed (None: every indexed profile is, so search the index unfiltered)."""
    clauses = filter_clauses(filters) + list(extra)
    index = await catalogue_index(services)
    await index.ensure_fresh()  # a small catalogue changed elsewhere is re-read first
    columns = index.filter_columns()
    if columns is not None and not extra:  # holds and availability live in other tables
        return await asyncio.to_thread(_from_columns, columns, filters, scope, bool(clauses))
    async with services.sessions() as session:
        if not clauses:
            outside = await session.scalar(
                select(func.count()).where(*indexable(), Talent.workspace.not_in(scope))
            )
            if not outside:
                return None, None
        # One array instead of a row per profile: a broad filter over a large catalogue
        # names hundreds of thousands (200K ids at 1M: 1.6 s as rows, 0.7 s as one array).
        found = await session.scalar(
            select(func.array_agg(Talent.row_id)).where(
                *indexable(), Talent.workspace.in_(scope), *clauses
            )
        )
        ids = np.array(found or [], dtype=np.int64)
    return ids, (len(ids) if clauses else None)


def _from_columns(
    columns: FilterColumns, filters: Filters, scope: tuple[str, ...], filtered: bool
) -> tuple[np.ndarray | None, int | None]:
    """`_qualifying`'s answer from the index's own filter columns (worker thread)."""
    if not filtered and not columns.outside(scope):
        return None, None
    ids = columns.allowed(filters, scope)
    return ids, (len(ids) if filtered else None)


async def _rows(
    services: Services,
    ids: np.ndarray,
    filters: Filters,
    scope: tuple[str, ...],
    extra: Sequence[ColumnElement[bool]] = (),
) -> dict[int, Talent]:
    if not len(ids):
        return {}
    # The filters are applied again: a profile edited since the id list was read must not slip in.
    query = select(Talent).where(
        Talent.row_id.in_(ids.tolist()),
        *indexable(),
        Talent.workspace.in_(scope),
        *filter_clauses(filters),
        *extra,
    )
    async with services.sessions() as session:
        return {t.row_id: t for t in (await session.execute(query)).scalars()}


def _terms(text: str) -> list[str]:
    return [w for w in re.findall(r"[\w\u0900-\u097F]+", text.lower()) if len(w) > 2]


def _hit(row: Talent, sim: float, f: Filters, words: list[str], has_semantic: bool) -> Hit:
    semantic = min(max((sim - _COS_FLOOR) / _COS_SPAN, 0.0), 1.0)
    phrase, lexical = best_phrase(row, words)
    meaning = 0.8 * semantic + 0.2 * lexical
    fit = _fit(row, f)
    score = 0.75 * meaning + 0.25 * fit if has_semantic else 0.6 * fit + 0.4 * meaning
    reasons = met_filters(row, f)
    if phrase:
        reasons.append(f"“{phrase}”")
    card = TalentCard(
        id=row.id,
        name=row.name,
        score=round(min(max(score, 0.0), 1.0), 4),
        why="; ".join(reasons) or "closest in meaning to the query",
        age_range=_age_range(row),
        city=row.city or "",
        gender=row.gender or "",
        languages=tuple(row.languages or ()),
        skills=tuple(row.skills or ()),
        headshot_url=row.headshot_url or "",
        showreel_url=row.showreel_url or "",
    )
    return Hit(card, sim)


def _fit(row: Talent, f: Filters) -> float:
    """1.0 is a perfect fit; graded only where a filter has a middle (age, height)."""
    parts = []
    if (f.age_min is not None or f.age_max is not None) and row.playing_age_min is not None:
        # the middle of the playing range (the real age, for birth year ± 3): anywhere
        # inside the ages asked for fits fully, outside less with each year away
        plays = (row.playing_age_min + (row.playing_age_max or row.playing_age_min)) / 2
        low = f.age_min if f.age_min is not None else 0
        high = f.age_max if f.age_max is not None else 200
        away = max(low - plays, plays - high, 0.0)
        # ... and, a little, the nearer the middle of the ages asked for (an open end
        # counts ten years on from the other)
        low = f.age_min if f.age_min is not None else (f.age_max or 0) - 10
        high = f.age_max if f.age_max is not None else low + 10
        centre = 1.0 - min(abs((low + high) / 2 - plays) / 10.0, 1.0)
        parts.append(_INSIDE * (1.0 - min(away / _AWAY_YEARS, 1.0)) + (1 - _INSIDE) * centre)
    if f.skills:
        # listed first on the profile = a main skill, not a footnote
        ranks = [row.skills.index(s) for s in f.skills if s in row.skills]
        parts.append(1.0 - min(sum(ranks) / (4.0 * len(ranks)), 0.5) if ranks else 0.5)
    return sum(parts) / len(parts) if parts else 1.0


# Casting words and the words profiles use for the same thing, so `why` can quote the phrase
# that carried the meaning even when it shares no word with the query.
_RELATED: dict[str, tuple[str, ...]] = {
    "cop": ("police", "inspector", "constable"),
    "police": ("cop", "inspector", "constable"),
    "villain": ("antagonist", "gangster", "henchm", "menac"),
    "gangster": ("villain", "don", "henchm"),
    "comic": ("comed", "sitcom", "funny"),
    "comedy": ("comic", "comed", "sitcom"),
    "funny": ("comic", "comed"),
    "mother": ("parent", "mothers"),
    "father": ("parent", "fathers"),
    "parent": ("mother", "father"),
    "soldier": ("army", "commando", "military"),
    "army": ("soldier", "commando", "military"),
    "lawyer": ("courtroom", "advocate", "prosecutor", "counsel"),
    "doctor": ("hospital", "surgeon", "medical"),
    "politician": ("political", "neta", "minister"),
    "farmer": ("rural", "village"),
    "village": ("rural", "farmer"),
    "rural": ("village", "farmer"),
    "student": ("college", "campus", "school"),
    "romantic": ("romance", "love"),
    "athlete": ("sport", "boxer", "cricketer"),
    "sportsperson": ("sport", "athlete", "boxer"),
}


def best_phrase(row: Talent, words: list[str]) -> tuple[str, float]:
    """The bio sentence or credit sharing most words with the query, and the share matched."""
    if not words:
        return "", 0.0
    sentences = [s.strip() for s in re.split(r"(?<=[.!?;])\s+", row.bio or "") if s.strip()]
    candidates = [(s, s.lower()) for s in sentences]
    # a credit matches on the part played, not on words in the title
    candidates += [
        (f"{c.get('role')} in {c.get('title')}", str(c.get("role")).lower())
        for c in (row.credits or [])
        if c.get("title") and c.get("role")
    ]
    variants = [(w[:5], *_RELATED.get(w, ())) for w in words]
    best, best_share = "", 0.0
    for shown, lowered in candidates:
        share = sum(1 for forms in variants if any(f in lowered for f in forms)) / len(words)
        if share > best_share:
            best, best_share = shown, share
    if len(best) > 140:
        best = best[:137].rsplit(" ", 1)[0] + "…"
    return best, best_share


def met_filters(row: Talent, f: Filters) -> list[str]:
    reasons: list[str] = []
    if f.gender:
        reasons.append(row.gender or "")
    if f.age_min is not None or f.age_max is not None:
        reasons.append(f"plays {_age_range(row)}")
    if f.cities or f.willing_to_travel:
        if row.city in f.cities:
            reasons.append(f"in {row.city}")
        else:
            reasons.append(f"{row.city or 'based elsewhere'}, willing to travel")
    if f.languages:
        reasons.append("speaks " + ", ".join(f.languages))
    if f.skills:
        reasons.append(", ".join(f.skills))
    if f.height_min is not None or f.height_max is not None:
        reasons.append(f"{row.height_cm} cm")
    if f.has_showreel:
        reasons.append("has a showreel")
    if f.credits_from is not None or f.credits_to is not None:
        low, high = f.credits_from or 1900, f.credits_to or 2100
        titles = [
            c["title"] for c in row.credits or [] if c.get("year") and low <= c["year"] <= high
        ]
        reasons.append("credits: " + ", ".join(titles[:2]))
    reasons += holds.filter_reasons(f)
    return [r for r in reasons if r]


def _age_range(row: Talent) -> str:
    if row.playing_age_min is None:
        return ""
    return f"{row.playing_age_min}-{row.playing_age_max}"
