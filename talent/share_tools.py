"""Claude's tools for sharing a role's shortlist with a director outside the team (the
router's "share the Inspector Yadav shortlist" calls the same ones)."""

from __future__ import annotations

from typing import Any

from bot.tools import Tool, ToolContext, ToolError, ToolOutcome, ToolRegistry
from talent import share_links, shortlists
from talent.models import Role
from talent.tools import _PROJECT, _ROLE, _schema


async def _existing_role(ctx: ToolContext, args: dict[str, Any]) -> Role:
    """The named role (never created here: a link to a list nobody made helps no one), or
    the conversation's current one."""
    name = str(args.get("role") or "").strip()
    project = str(args.get("project") or "").strip() or None
    if name and project is None and "/" in name:  # "Dahleez/Inspector Yadav"
        project, _, name = (part.strip() for part in name.rpartition("/"))
    workspace = ctx.message.workspace
    try:
        if name:
            role = await shortlists.find_role(ctx.services, workspace, name, project)
            if role is None:
                raise ToolError(f"there is no role called {name!r}; check the name")
            return role
    except shortlists.ShortlistError as exc:
        raise ToolError(str(exc)) from None
    role = await shortlists.current_role(ctx.services, ctx.message.key, workspace)
    if role is None:
        raise ToolError("no role is selected in this conversation: ask which role to share")
    return role


async def _share(args: dict[str, Any], ctx: ToolContext) -> ToolOutcome:
    role = await _existing_role(ctx, args)
    try:
        span = share_links.parse_duration(str(args.get("expires") or "7d"))
    except share_links.LinkError as exc:
        raise ToolError(str(exc)) from None
    url, expires = await share_links.share(
        ctx.services, role, expires_in=span, actor=ctx.message.person,
        conversation_id=ctx.message.key.id,
    )  # fmt: skip
    return ToolOutcome(
        {"role": role.name, "url": url, "expires_at": expires.isoformat(timespec="minutes")}
    )


async def _unshare(args: dict[str, Any], ctx: ToolContext) -> ToolOutcome:
    role = await _existing_role(ctx, args)
    return ToolOutcome(
        {"role": role.name, "revoked": await share_links.unshare(ctx.services, role)}
    )


TOOLS = [
    Tool(
        "shortlist_share",
        "Make a signed link to a role's shortlist page that a director or producer outside the "
        "team can open in a browser (no login) to see each candidate and mark yes / maybe / no "
        "with a comment; their marks come back to this conversation. Give the URL to the "
        "person exactly as returned.",
        _schema(
            {
                "role": _ROLE,
                "project": _PROJECT,
                "expires": {
                    "type": "string",
                    "description": "how long it opens: '7d' (default), '12h', '2w'",
                },
            },
            [],
        ),
        _share,
    ),
    Tool(
        "shortlist_unshare",
        "Revoke every shared link to a role's shortlist (the page then says it was withdrawn).",
        _schema({"role": _ROLE, "project": _PROJECT}, []),
        _unshare,
    ),
]


def register(registry: ToolRegistry) -> None:
    for tool in TOOLS:
        registry.add(tool)
