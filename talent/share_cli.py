"""`castmatch shortlist share|unshare [PROJECT/]ROLE --workspace W`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select

from bot.workspaces.directory import WorkspaceError
from bot.workspaces.ids import IdError
from talent import share_links, shortlists
from talent.models import Role

if TYPE_CHECKING:
    from bot.services import Services


class BadInput(Exception):
    """Exit 2 with this one-line reason."""


def split_ref(ref: str) -> tuple[str | None, str]:
    """`Project/Role` or `Role` -> (project or None, role)."""
    project, slash, role = ref.rpartition("/")
    if not slash:
        return None, ref.strip()
    return project.strip() or None, role.strip()


async def _workspace(services: Services, name: str) -> str:
    try:
        return await services.directory.resolve(name)
    except (WorkspaceError, IdError) as exc:
        # A terminal workspace has roles before it has a record of its own.
        async with services.sessions() as session:
            if await session.scalar(select(Role.pk).where(Role.workspace == name).limit(1)):
                return name
        raise BadInput(str(exc)) from None


async def _role(services: Services, ref: str, workspace: str) -> Role:
    project, name = split_ref(ref)
    if not name:
        raise BadInput("name the role, e.g. 'Inspector Yadav' or 'Dahleez/Inspector Yadav'")
    try:
        role = await shortlists.find_role(services, workspace, name, project)
    except shortlists.ShortlistError as exc:
        raise BadInput(str(exc)) from None
    if role is None:
        where = f" in project {project!r}" if project else ""
        raise BadInput(f"no role called {name!r}{where} in workspace {workspace!r}")
    return role


async def share_command(services: Services, ref: str, workspace: str, expires: str) -> int:
    try:
        span = share_links.parse_duration(expires)
    except share_links.LinkError as exc:
        raise BadInput(str(exc)) from None
    role = await _role(services, ref, await _workspace(services, workspace))
    url, _ = await share_links.share(services, role, expires_in=span, actor="cli")
    print(url)
    return 0


async def unshare_command(services: Services, ref: str, workspace: str) -> int:
    role = await _role(services, ref, await _workspace(services, workspace))
    count = await share_links.unshare(services, role)
    print(f"Revoked {count} link(s) to the {role.name} shortlist.")
    return 0
