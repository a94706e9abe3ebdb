"""Claude's tools for holds and availability (the router's commands call the same ones).

Dates are given as `dates` in the person's words ("10-20 March") or as ISO `from`/`to`.
"""

from __future__ import annotations

from typing import Any

from bot.tools import Tool, ToolContext, ToolError, ToolOutcome, ToolRegistry
from talent import holds, shortlists
from talent.dates import DateError, Span, parse_span
from talent.holds_models import KINDS
from talent.models import Role
from talent.tools import _PROJECT, _ROLE, _TALENT_REF, _refs, _role, _schema, _talent_ids

_DATES = {
    "dates": {"type": "string", "description": "the dates in words, e.g. '10-20 March'"},
    "from": {"type": "string", "format": "date", "description": "first day, YYYY-MM-DD"},
    "to": {"type": "string", "format": "date", "description": "last day, YYYY-MM-DD"},
}


def span_of(args: dict[str, Any], *, required: bool) -> Span | None:
    try:
        if args.get("dates"):
            return parse_span(str(args["dates"]))
        if args.get("from") or args.get("to"):
            return parse_span(f"{args.get('from') or args['to']}..{args.get('to') or args['from']}")
    except DateError as exc:
        raise ToolError(str(exc)) from None
    if required:
        raise ToolError("give the dates, e.g. dates='10-20 March'")
    return None


async def _hold(args: dict[str, Any], ctx: ToolContext) -> ToolOutcome:
    role = await _role(ctx, args)
    ids = await _talent_ids(ctx, _refs(args), role=role)
    span = span_of(args, required=False)
    try:
        results = [
            await holds.set_hold(
                ctx.services, role, talent_id, str(args.get("kind") or "first"), span,
                actor=ctx.message.person, note=str(args.get("note") or ""),
            )
            for talent_id in ids
        ]  # fmt: skip
    except holds.HoldError as exc:
        raise ToolError(str(exc)) from None
    return ToolOutcome({"role": role.name, "holds": [r.as_json() for r in results]})


async def _release(args: dict[str, Any], ctx: ToolContext) -> ToolOutcome:
    role = await _role(ctx, args)
    ids = await _talent_ids(ctx, _refs(args), role=role)
    released = await holds.release(ctx.services, role, ids, actor=ctx.message.person)
    return ToolOutcome({"role": role.name, "released": [h.as_json() for h in released]})


async def _show(args: dict[str, Any], ctx: ToolContext) -> ToolOutcome:
    workspace = ctx.message.workspace
    if args.get("talent"):
        ids = await _talent_ids(ctx, _refs(args))
        found = await holds.for_talent(ctx.services, workspace, ids)
        free = await holds.windows(ctx.services, workspace, ids)
        return ToolOutcome(
            {
                "holds": [h.as_json() for h in found],
                "availability": {t: [w.as_json() for w in ws] for t, ws in free.items()},
            }
        )
    role = None if args.get("all") else await existing_role(ctx, args)
    if role is not None:
        found = await holds.for_role(ctx.services, role)
        return ToolOutcome({"role": role.name, "holds": [h.as_json() for h in found]})
    found = await holds.upcoming(ctx.services, workspace)
    return ToolOutcome({"upcoming_holds": [h.as_json() for h in found]})


async def existing_role(ctx: ToolContext, args: dict[str, Any]) -> Role | None:
    """The named role (never created), else the conversation's current one, else None."""
    name = str(args.get("role") or "").strip()
    try:
        if name:
            role = await shortlists.find_role(
                ctx.services, ctx.message.workspace, name, args.get("project")
            )
            if role is None:
                raise ToolError(f"there is no role called {name!r} yet")
            return role
    except shortlists.ShortlistError as exc:
        raise ToolError(str(exc)) from None
    return await shortlists.current_role(ctx.services, ctx.message.key, ctx.message.workspace)


async def _availability(args: dict[str, Any], ctx: ToolContext) -> ToolOutcome:
    (talent_id,) = await _talent_ids(ctx, _refs(args), single=True)
    span = span_of(args, required=True)
    assert span is not None
    try:
        name, found = await holds.set_availability(
            ctx.services, ctx.message.workspace, talent_id, span,
            available=bool(args.get("available", True)), actor=ctx.message.person,
            note=str(args.get("note") or ""),
        )  # fmt: skip
    except holds.HoldError as exc:
        raise ToolError(str(exc)) from None
    return ToolOutcome(
        {"talent_id": talent_id, "name": name, "availability": [w.as_json() for w in found]}
    )


TOOLS = [
    Tool(
        "hold_talent",
        "Put people on hold for a role on dates: pencil, second (2nd hold), first "
        "(1st hold) or booked. Again with another kind moves the hold (pencil -> first). The "
        "answer lists conflicts: another first hold or booking on overlapping dates; always "
        "tell the person about a conflict.",
        _schema(
            {
                "talent": {"type": "array", "items": _TALENT_REF},
                "role": _ROLE,
                "project": _PROJECT,
                "kind": {"type": "string", "enum": [k for k in KINDS if k != "released"]},
                **_DATES,
                "note": {"type": "string"},
            },
            ["talent", "kind"],
        ),
        _hold,
    ),
    Tool(
        "release_hold",
        "Release people's holds for a role.",
        _schema(
            {"talent": {"type": "array", "items": _TALENT_REF}, "role": _ROLE, "project": _PROJECT},
            ["talent"],
        ),
        _release,
    ),
    Tool(
        "show_holds",
        "Holds and availability: of people (`talent`), of a role (`role`), or "
        "every upcoming hold in the workspace (`all`).",
        _schema(
            {
                "talent": {"type": "array", "items": _TALENT_REF},
                "role": _ROLE,
                "project": _PROJECT,
                "all": {"type": "boolean"},
            },
            [],
        ),
        _show,
    ),
    Tool(
        "set_availability",
        "Record when one person said they are free (available=true) or not (false), e.g. "
        "'Amruta is away 1-15 April'. Newer words replace older ones for those days.",
        _schema(
            {
                "talent": _TALENT_REF,
                "available": {"type": "boolean"},
                **_DATES,
                "note": {"type": "string"},
            },
            ["talent", "available"],
        ),
        _availability,
    ),
]


def register(registry: ToolRegistry) -> None:
    for tool in TOOLS:
        registry.add(tool)
