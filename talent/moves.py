"""Talent's part of linking a channel account to a workspace: projects, roles, shortlists
and their history move to the workspace; a project or role of the same name merges into
the one the workspace already has (its shortlist keeps its order, newcomers go last)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.workspaces.directory import Mover
from talent.models import CurrentRole, Project, Role, ShortlistEntry, ShortlistEvent
from talent.twins import twins


async def _merge_role(session: AsyncSession, source: int, target: int, workspace: str) -> None:
    """Entries of role `source` join role `target` after its own; events and current roles
    follow."""
    taken = select(ShortlistEntry.talent_id).where(ShortlistEntry.role_pk == target)
    last = await session.scalar(
        select(func.coalesce(func.max(ShortlistEntry.position), 0)).where(
            ShortlistEntry.role_pk == target
        )
    )
    await session.execute(
        update(ShortlistEntry)
        .where(ShortlistEntry.role_pk == source, ShortlistEntry.talent_id.not_in(taken))
        .values(role_pk=target, workspace=workspace, position=ShortlistEntry.position + last)
    )
    for model in (ShortlistEvent, CurrentRole):
        await session.execute(
            update(model).where(model.role_pk == source).values(role_pk=target, workspace=workspace)
        )
    await session.execute(delete(Role).where(Role.pk == source))


async def _move_rows(session: AsyncSession, old: str, new: str) -> Sequence[str]:
    pairs = await twins(session, old, new)
    for role, twin in pairs.roles.items():
        await _merge_role(session, role, twin, new)
    for project, twin in pairs.projects.items():
        # The merged project's other roles join its twin; then it goes.
        await session.execute(
            update(Role).where(Role.project_pk == project).values(project_pk=twin, workspace=new)
        )
        await session.execute(delete(Project).where(Project.pk == project))
    moved = await session.scalar(select(func.count()).where(Project.workspace == old))
    merged = len(pairs.projects)
    await session.execute(update(Project).where(Project.workspace == old).values(workspace=new))
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
