"""Talent's part of linking a channel account to a workspace: projects, roles, shortlists
and their history move to the workspace; a project or role of the same name merges into
the one the workspace already has (its shortlist keeps its order, newcomers go last)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.workspaces.directory import Mover
from talent.models import CurrentRole, Project, Role, ShortlistEntry, ShortlistEvent


async def _merge_role(session: AsyncSession, source: Role, target: Role) -> None:
    """Entries of `source` join `target` after its own; events and current roles follow."""
    taken = select(ShortlistEntry.talent_id).where(ShortlistEntry.role_pk == target.pk)
    last = await session.scalar(
        select(func.coalesce(func.max(ShortlistEntry.position), 0)).where(
            ShortlistEntry.role_pk == target.pk
        )
    )
    await session.execute(
        update(ShortlistEntry)
        .where(ShortlistEntry.role_pk == source.pk, ShortlistEntry.talent_id.not_in(taken))
        .values(
            role_pk=target.pk, workspace=target.workspace, position=ShortlistEntry.position + last
        )
    )
    for model in (ShortlistEvent, CurrentRole):
        await session.execute(
            update(model)
            .where(model.role_pk == source.pk)
            .values(role_pk=target.pk, workspace=target.workspace)
        )
    await session.execute(delete(Role).where(Role.pk == source.pk))


async def _move_rows(session: AsyncSession, old: str, new: str) -> Sequence[str]:
    existing = {
        p.name.casefold(): p
        for p in await session.scalars(select(Project).where(Project.workspace == new))
    }
    moved = merged = 0
    for project in list(await session.scalars(select(Project).where(Project.workspace == old))):
        twin = existing.get(project.name.casefold())
        if twin is None:
            project.workspace = new
            moved += 1
            continue
        roles = {
            r.name.casefold(): r
            for r in await session.scalars(select(Role).where(Role.project_pk == twin.pk))
        }
        for role in list(await session.scalars(select(Role).where(Role.project_pk == project.pk))):
            same = roles.get(role.name.casefold())
            if same is None:
                role.project_pk, role.workspace = twin.pk, new
            else:
                await session.flush()
                await _merge_role(session, role, same)
        await session.flush()
        await session.delete(project)
        merged += 1
    await session.flush()
    for model in (Role, ShortlistEntry, ShortlistEvent, CurrentRole):
        await session.execute(update(model).where(model.workspace == old).values(workspace=new))
    parts = []
    if moved:
        parts.append(f"{moved} project(s) moved")
    if merged:
        parts.append(f"{merged} project(s) merged into ones of the same name")
    return [f"shortlists: {', '.join(parts)}"] if parts else []


def mover() -> Mover:
    return Mover("talent", _move_rows)
