"""`castmatch talent search`: the hybrid search printed for a shell (or as JSON).

Apart from the other talent commands so that a search from the shell imports only what it
uses (no importer, erasure or media code): it answers within a second when warm.
"""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, TextIO

from talent.search import search as hybrid_search

if TYPE_CHECKING:
    from bot.services import Services
    from bot.types import TalentCard


async def search(
    services: Services, query: str, *, limit: int = 10, workspace: str | None = None
) -> list[TalentCard]:
    """Hybrid search as cards (what the offline responder shows)."""
    return (await hybrid_search(services, query, limit=limit, workspace=workspace)).cards


async def search_command(
    services: Services,
    query: str,
    *,
    as_json: bool,
    limit: int,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Print the search as a shell shows it; `out`/`err` (default the process's own) let the
    resident search process (`talent.resident`) hand the very same text to a client."""
    out = out or sys.stdout
    err = err or sys.stderr
    if not query.strip():
        print("castmatch: give a search query", file=err)
        return 2
    if limit < 1:
        print("castmatch: --limit must be at least 1", file=err)
        return 2
    result = await hybrid_search(services, query, limit=limit)
    if as_json:
        print(json.dumps([h.as_json() for h in result.hits], ensure_ascii=False), file=out)
        return 0
    described = result.filters.describe()
    if described:
        print(
            f"filters: {described}"
            + (f" · ranked by: {result.parsed.semantic}" if result.parsed.semantic else ""),
            file=err,
        )
    for note in result.parsed.assumed:  # a word read one way of two: say so, to be corrected
        print(f"assumed: {note}", file=err)
    if not result.hits:
        print("no profiles match; " + (result.relax or "try fewer filters"), file=out)
        return 0
    for n, card in enumerate(result.cards, start=1):
        facts = " · ".join(p for p in (card.gender, card.age_range, card.city) if p)
        print(
            f"{n:>2}. {card.name} ({card.id}) {card.score:.2f}  {facts}\n    {card.why}", file=out
        )
    return 0
