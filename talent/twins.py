"""Which of a workspace's projects and roles an account's same-named ones merge into when
the account is linked to it (names compared case-blind, as the shortlists' mover does)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from talent.models import Project, Role


@dataclass(frozen=True)
class Twins:
    projects: dict[int, int] = field(default_factory=dict)  # moving project pk -> survivor's
    roles: dict[int, int] = field(default_factory=dict)  # moving role pk -> survivor's


async def twins(session: AsyncSession, old: str, new: str) -> Twins:
    """The projects and roles of `old` that have a twin in `new`, paired with it."""
    found = Twins()
    theirs = {
        p.name.casefold(): p.pk
        for p in await session.scalars(select(Project).where(Project.workspace == new))
    }
    for project in await session.scalars(select(Project).where(Project.workspace == old)):
        twin = theirs.get(project.name.casefold())
        if twin is None:
            continue
        found.projects[project.pk] = twin
        twin_roles = {
            r.name.casefold(): r.pk
            for r in await session.scalars(select(Role).where(Role.project_pk == twin))
        }
        for role in await session.scalars(select(Role).where(Role.project_pk == project.pk)):
            if role.name.casefold() in twin_roles:
                found.roles[role.pk] = twin_roles[role.name.casefold()]
    return found
