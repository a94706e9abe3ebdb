"""Holds and availability follow a channel account into the workspace it is linked to.

Runs before the shortlists' mover: a project or role merging into the workspace's one of
the same name is deleted by that mover, so its holds must point at the survivor first.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.workspaces.directory import Mover
from talent.holds_models import Availability, Hold
from talent.twins import twins


async def _move_rows(session: AsyncSession, old: str, new: str) -> Sequence[str]:
    pairs = await twins(session, old, new)
    for role, twin_role in pairs.roles.items():
        # The workspace's own hold on the same person wins over the moving one.
        taken = select(Hold.talent_id).where(Hold.role_pk == twin_role)
        await session.execute(delete(Hold).where(Hold.role_pk == role, Hold.talent_id.in_(taken)))
        await session.execute(update(Hold).where(Hold.role_pk == role).values(role_pk=twin_role))
    for project, twin in pairs.projects.items():
        await session.execute(
            update(Hold).where(Hold.project_pk == project).values(project_pk=twin)
        )
    moved = await session.scalar(select(func.count()).where(Hold.workspace == old))
    await session.execute(update(Hold).where(Hold.workspace == old).values(workspace=new))
    await session.execute(
        update(Availability).where(Availability.workspace == old).values(workspace=new)
    )
    return [f"holds: {moved} moved"] if moved else []


def mover() -> Mover:
    return Mover("holds", _move_rows)
