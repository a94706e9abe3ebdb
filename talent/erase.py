"""What `castmatch forget talent:ID` removes beyond the profile and its shortlist rows:
holds, availability windows (and, as features add tables, more rows about the person)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from talent.holds_models import Availability, Hold

# (label, eraser): each deletes one kind of row about the person and says how many
Eraser = Callable[[AsyncSession, str], Awaitable[int]]


async def _holds(session: AsyncSession, talent_id: str) -> int:
    result = await session.execute(
        delete(Hold).where(Hold.talent_id == talent_id).returning(Hold.pk)
    )
    return len(result.all())


async def _windows(session: AsyncSession, talent_id: str) -> int:
    result = await session.execute(
        delete(Availability).where(Availability.talent_id == talent_id).returning(Availability.pk)
    )
    return len(result.all())


ERASERS: list[tuple[str, Eraser]] = [("hold", _holds), ("availability window", _windows)]


async def erase_rows(session: AsyncSession, talent_id: str) -> list[str]:
    """Delete every row of the registered kinds; one 'N thing(s)' part for each kind found."""
    parts = []
    for label, eraser in ERASERS:
        count = await eraser(session, talent_id)
        if count:
            parts.append(f"{count} {label}{'s' if count != 1 else ''}")
    return parts
