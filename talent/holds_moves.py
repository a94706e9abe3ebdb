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
from talent.models import Project, Role


async def _move_rows(session: AsyncSession, old: str, new: str) -> Sequence[str]:
    twins = {
        p.name.casefold(): p.pk
        for p in await session.scalars(select(Project).where(Project.workspace == new))
    }
    for project in await session.scalars(select(Project).where(Project.workspace == old)):
        twin = twins.get(project.name.casefold())
        if twin is None:
            continue
        twin_roles = {
            r.name.casefold(): r.pk
            for r in await session.scalars(select(Role).where(Role.project_pk == twin))
        }
        for role in await session.scalars(select(Role).where(Role.project_pk == project.pk)):
            twin_role = twin_roles.get(role.name.casefold())
            if twin_role is None:
                continue
            # The workspace's own hold on the same person wins over the moving one.
            taken = select(Hold.talent_id).where(Hold.role_pk == twin_role)
            await session.execute(
                delete(Hold).where(Hold.role_pk == role.pk, Hold.talent_id.in_(taken))
            )
            await session.execute(
                update(Hold).where(Hold.role_pk == role.pk).values(role_pk=twin_role)
            )
        await session.execute(
            update(Hold).where(Hold.project_pk == project.pk).values(project_pk=twin)
        )
    moved = await session.scalar(select(func.count()).where(Hold.workspace == old))
    await session.execute(update(Hold).where(Hold.workspace == old).values(workspace=new))
    await session.execute(
        update(Availability).where(Availability.workspace == old).values(workspace=new)
    )
    return [f"holds: {moved} moved"] if moved else []


def mover() -> Mover:
    return Mover("holds", _move_rows)
