"""When nobody meets every filter: which one to relax, instead of silently dropping it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.sql.elements import ColumnElement

from talent.filters import Filters
from talent.index import indexable
from talent.models import Talent

if TYPE_CHECKING:
    from bot.services import Services

# filter fields that go together: dropping "age" drops both ends
_GROUPS: dict[str, tuple[str, ...]] = {
    "gender": ("gender",),
    "age": ("age_min", "age_max"),
    "city": ("cities", "willing_to_travel"),
    "languages": ("languages",),
    "skills": ("skills",),
    "height": ("height_min", "height_max"),
    "showreel": ("has_showreel",),
    "credit years": ("credits_from", "credits_to"),
}


async def suggestion(
    services: Services,
    filters: Filters,
    scope: Sequence[str],
    clauses_for: Callable[[Filters], list[ColumnElement[bool]]],
    extra: Sequence[ColumnElement[bool]] = (),
) -> str:
    """e.g. 'relax skills (playback singing, dancer): 12 would qualify'; '' when no single
    filter dropped would help."""
    set_fields = filters.compact()
    best: tuple[int, str] | None = None
    async with services.sessions() as session:
        for name, fields in _GROUPS.items():
            if not any(f in set_fields for f in fields):
                continue
            looser = filters.model_copy(
                update={
                    f: Filters.model_fields[f].get_default(call_default_factory=True)
                    for f in fields
                }
            )
            count = await session.scalar(
                select(func.count()).where(
                    *indexable(), Talent.workspace.in_(scope), *clauses_for(looser), *extra
                )
            )
            if count and (best is None or count > best[0]):
                shown = ", ".join(str(set_fields[f]) for f in fields if f in set_fields)
                best = (int(count), f"relax {name} ({shown}): {count} would qualify")
    return best[1] if best else ""
