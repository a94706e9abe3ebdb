"""Claude's talent tools: search, profiles, roles and shortlists.

Talent arguments accept an id ("cm-00042"), a reference to the last results shown in this
conversation ("the second one", "the last three", "her") or a name on the role's shortlist.
A shortlist command without a role uses the conversation's current role; with none, the
tool says so and Claude asks which role is meant.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from sqlalchemy import select

from bot.shown import Shown, last_ids, remember
from bot.tools import Tool, ToolContext, ToolError, ToolOutcome, ToolRegistry
from bot.types import TalentCard
from talent import holds, media_route, shortlists, titles
from talent.filters import Filters
from talent.models import SHARED, STATUSES, Role, Talent
from talent.query import parse
from talent.refs import UnresolvedReference, resolve
from talent.search import catalogues_for, search_parsed

_FILTER_PROPS: dict[str, Any] = {
    "gender": {"type": "string", "enum": ["female", "male", "non-binary", "other"]},
    "age_min": {"type": "integer", "description": "youngest playing age wanted"},
    "age_max": {"type": "integer", "description": "oldest playing age wanted"},
    "cities": {"type": "array", "items": {"type": "string"}, "description": "any of these"},
    "willing_to_travel": {"type": "boolean", "description": "also accept people who travel"},
    "languages": {"type": "array", "items": {"type": "string"}, "description": "all of these"},
    "skills": {
        "type": "array",
        "items": {"type": "string"},
        "description": "all of these: dance forms, martial arts, riding, instruments, accents",
    },
    "height_min": {"type": "integer", "description": "cm"},
    "height_max": {"type": "integer", "description": "cm"},
    "has_showreel": {"type": "boolean"},
    "credits_from": {"type": "integer", "description": "has a credit in or after this year"},
    "credits_to": {"type": "integer", "description": "has a credit in or before this year"},
    "available_from": {
        "type": "string",
        "format": "date",
        "description": "free from this day (YYYY-MM-DD): no first hold, booking or absence",
    },
    "available_to": {"type": "string", "format": "date", "description": "free until this day"},
    "not_on_hold": {
        "type": "boolean",
        "description": "no hold for another project (on the available_* days, if given)",
    },
}
_TALENT_REF = {
    "type": "string",
    "description": "a profile id, a reference to the last results shown ('the second one', "
    "'her', 'the last three') or a name on the role's shortlist",
}
_ROLE = {
    "type": "string",
    "description": "role name, e.g. 'Inspector Yadav'; omit for the conversation's current role",
}
_PROJECT = {"type": "string", "description": "project name, when several have the role"}


def _schema(props: dict[str, Any], required: list[str]) -> dict[str, Any]:
    return {"type": "object", "properties": props, "required": required}


async def _search(args: dict[str, Any], ctx: ToolContext) -> ToolOutcome:
    query = str(args.get("query") or "")
    brief: dict[str, Any] = {}
    role: Role | None = None
    said = query
    if args.get("for_role"):  # re-run a role's brief, narrowed by whatever else was said
        role = await _role(ctx, {"role": args["for_role"], "project": args.get("project")})
        query = f"{role.brief} {query}".strip()  # what is said now overrides the brief
        brief = dict(role.filters or {})
    # a film's title in the query ("Madras Cafe cast") is no city, gender or language
    scope = catalogues_for(ctx.message.workspace)
    parsed = await titles.read_as_titles(ctx.services, parse(query), scope)
    if role is not None and said.strip():
        # the new words first: a query's embedding reads its first tokens only, and a long
        # brief would push "but with a thick moustache" out of it
        told = parse(said, titles=parsed.titles).semantic
        rest = parse(role.brief or "", titles=parsed.titles).semantic
        parsed = dataclasses.replace(parsed, semantic=" ".join(t for t in (told, rest) if t))
    given = {k: v for k, v in args.items() if k in _FILTER_PROPS and v not in (None, [], "")}
    try:
        filters = Filters.model_validate({**brief, **parsed.filters.compact(), **given})
    except ValueError as exc:
        raise ToolError(f"invalid filter: {exc}") from None
    if filters.is_empty() and not parsed.semantic and not query.strip():
        raise ToolError("give a query or at least one filter")
    limit = int(args.get("limit") or 8)
    if filters.not_on_hold and role is None:  # "elsewhere": other than the role in focus
        role = await shortlists.current_role(ctx.services, ctx.message.key, ctx.message.workspace)
    result = await search_parsed(
        ctx.services,
        parsed,
        filters=filters,
        limit=limit,
        workspace=ctx.message.workspace,
        except_project=role.project_pk if role is not None else None,
    )
    ids = [c.id for c in result.cards]
    await remember(ctx.services, ctx.message.key, [Shown(c.id, c.name) for c in result.cards])
    content = {
        "filters": filters.compact(),
        "qualified": result.qualified,
        "results": [
            {
                "n": n,
                "id": c.id,
                "name": c.name,
                "score": c.score,
                "why": c.why,
                "age": c.age_range,
                "city": c.city,
                **({"availability": c.availability} if c.availability else {}),
            }
            for n, c in enumerate(result.cards, start=1)
        ],
    }
    if result.parsed.assumed:  # how an ambiguous or misspelt word was read: tell the person
        content["assumed"] = list(result.parsed.assumed)
    if not ids:
        content["note"] = "nobody meets every filter; " + (result.relax or "suggest relaxing one")
    return ToolOutcome(content, cards=result.cards)


async def _profile(args: dict[str, Any], ctx: ToolContext) -> ToolOutcome:
    (talent_id,) = await _talent_ids(ctx, [str(args.get("talent", ""))], single=True)
    async with ctx.services.sessions() as session:
        talent = await session.scalar(
            select(Talent).where(
                Talent.id == talent_id,
                Talent.workspace.in_((SHARED, ctx.message.workspace)),
                Talent.consent,
            )
        )
    if talent is None:
        raise ToolError(f"no profile with id {talent_id}")
    workspace = ctx.message.workspace
    availability = (await holds.summaries(ctx.services, workspace, [talent.id])).get(talent.id, "")
    kept = await media_route.headshots(ctx.services, workspace, [talent.id])
    headshot = talent.headshot_url or kept.get(talent.id, "")
    age = f"{talent.playing_age_min}-{talent.playing_age_max}" if talent.playing_age_min else ""
    card = TalentCard(  # one card: the channel shows this person (with the headshot)
        id=talent.id, name=talent.name, score=1.0, why="", age_range=age,
        city=talent.city or "", gender=talent.gender or "",
        languages=tuple(talent.languages or ()), skills=tuple(talent.skills or ()),
        headshot_url=headshot, showreel_url=talent.showreel_url or "",
        availability=availability,
    )  # fmt: skip
    return ToolOutcome(
        {
            "id": talent.id,
            "name": talent.name,
            "gender": talent.gender,
            "playing_age": f"{talent.playing_age_min}-{talent.playing_age_max}",
            "city": talent.city,
            "willing_to_travel": talent.travels,
            "height_cm": talent.height_cm,
            "languages": talent.languages,
            "skills": talent.skills,
            "bio": talent.bio,
            "credits": talent.credits,
            "agency": talent.agency,
            "showreel_url": talent.showreel_url,
            "headshot_url": headshot,
            "availability": availability,
        },
        cards=[card],
    )


async def _role(ctx: ToolContext, args: dict[str, Any]) -> Role:
    name = str(args.get("role") or "").strip()
    key = ctx.message.key
    try:
        if name:
            role = await shortlists.ensure_role(
                ctx.services,
                ctx.message.workspace,
                name,
                project=args.get("project"),
                actor=ctx.message.person,
            )
            await shortlists.set_current_role(ctx.services, key, role)
            return role
    except shortlists.ShortlistError as exc:
        raise ToolError(str(exc)) from None
    role = await shortlists.current_role(ctx.services, key, ctx.message.workspace)
    if role is None:
        raise ToolError("no role is selected in this conversation: ask which role this is for")
    return role


async def _talent_ids(
    ctx: ToolContext, refs: list[str], *, role: Role | None = None, single: bool = False
) -> list[str]:
    shown = await last_ids(ctx.services, ctx.message.key)
    on_list = await shortlists.show(ctx.services, role) if role is not None else []
    out: list[str] = []
    for ref in (r.strip() for r in refs if r and r.strip()):
        named = [e.talent_id for e in on_list if ref.lower() in (e.name.lower(), e.talent_id)]
        first = [e.talent_id for e in on_list if e.name.lower().split()[0] == ref.lower()]
        if named or (len(first) == 1 and not ref.startswith(("the ", "last", "first"))):
            out.extend(named or first)
            continue
        try:
            out.extend(resolve(ref, shown))
        except UnresolvedReference as exc:
            if _looks_like_id(ref):
                out.append(ref)
                continue
            raise ToolError(str(exc)) from None
    if not out:
        raise ToolError("name who you mean: an id, 'the second one', or a name on the shortlist")
    if single and len(out) != 1:
        raise ToolError("that refers to several people; name one")
    return list(dict.fromkeys(out))


def _looks_like_id(ref: str) -> bool:
    return " " not in ref and any(ch.isdigit() for ch in ref)


def _refs(args: dict[str, Any]) -> list[str]:
    value = args.get("talent") or []
    return [value] if isinstance(value, str) else [str(v) for v in value]


async def _add(args: dict[str, Any], ctx: ToolContext) -> ToolOutcome:
    role = await _role(ctx, args)
    ids = await _talent_ids(ctx, _refs(args), role=None)
    try:
        added, already = await shortlists.add(
            ctx.services, role, ids, actor=ctx.message.person, note=str(args.get("note") or "")
        )
    except shortlists.ShortlistError as exc:
        raise ToolError(str(exc)) from None
    # Names beside ids, so an answer can say who without another lookup.
    views = await shortlists.show(ctx.services, role, talent_ids=ids)
    names = {v.talent_id: v.name for v in views}
    return ToolOutcome(
        {"role": role.name, "added": added, "already_on_list": already, "names": names}
    )


async def _remove(args: dict[str, Any], ctx: ToolContext) -> ToolOutcome:
    role = await _role(ctx, args)
    ids = await _talent_ids(ctx, _refs(args), role=role)
    removed = await shortlists.remove(ctx.services, role, ids, actor=ctx.message.person)
    return ToolOutcome({"role": role.name, "removed": removed})


async def _status(args: dict[str, Any], ctx: ToolContext) -> ToolOutcome:
    role = await _role(ctx, args)
    ids = await _talent_ids(ctx, _refs(args), role=role)
    try:
        views = [
            await shortlists.set_status(
                ctx.services,
                role,
                talent_id,
                str(args.get("status", "")),
                actor=ctx.message.person,
                reason=str(args.get("reason") or ""),
            )
            for talent_id in ids
        ]
    except shortlists.ShortlistError as exc:
        raise ToolError(str(exc)) from None
    return ToolOutcome({"role": role.name, "entries": [v.as_json() for v in views]})


async def _note(args: dict[str, Any], ctx: ToolContext) -> ToolOutcome:
    role = await _role(ctx, args)
    (talent_id,) = await _talent_ids(ctx, _refs(args), role=role, single=True)
    try:
        view = await shortlists.set_note(
            ctx.services, role, talent_id, str(args.get("note", "")), actor=ctx.message.person
        )
    except shortlists.ShortlistError as exc:
        raise ToolError(str(exc)) from None
    return ToolOutcome({"role": role.name, "entry": view.as_json()})


async def _move(args: dict[str, Any], ctx: ToolContext) -> ToolOutcome:
    role = await _role(ctx, args)
    (talent_id,) = await _talent_ids(ctx, _refs(args), role=role, single=True)
    try:
        views = await shortlists.move(
            ctx.services, role, talent_id, int(args.get("position", 1)), actor=ctx.message.person
        )
    except shortlists.ShortlistError as exc:
        raise ToolError(str(exc)) from None
    return ToolOutcome({"role": role.name, "entries": [v.as_json() for v in views]})


async def _show(args: dict[str, Any], ctx: ToolContext) -> ToolOutcome:
    role = await _role(ctx, args)
    status = args.get("status") or None
    views = await shortlists.show(ctx.services, role, status=status)
    await remember(ctx.services, ctx.message.key, [Shown(v.talent_id, v.name) for v in views])
    shown = await shortlists.pictures(ctx.services, role.workspace, [v.talent_id for v in views])
    entries = [v.as_json() for v in views]
    for entry in entries:  # a headshot where one is on file (the Slack modal shows it)
        if picture := shown.get(entry["talent_id"]):
            entry["headshot_url"] = picture
    content: dict[str, Any] = {"role": role.name, "brief": role.brief, "entries": entries}
    if args.get("talent"):
        ids = await _talent_ids(ctx, _refs(args), role=role)
        content["history"] = [
            event
            for talent_id in ids
            for event in await shortlists.history(ctx.services, role, talent_id=talent_id)
        ]
    return ToolOutcome(content)


async def _export(args: dict[str, Any], ctx: ToolContext) -> ToolOutcome:
    role = await _role(ctx, args)
    return ToolOutcome({"role": role.name, "csv": await shortlists.export_csv(ctx.services, role)})


async def _compare(args: dict[str, Any], ctx: ToolContext) -> ToolOutcome:
    ids = await _talent_ids(ctx, _refs(args))
    if len(ids) < 2:
        raise ToolError("compare needs at least two people")
    rows = await shortlists.compare(ctx.services, ctx.message.workspace, ids)
    return ToolOutcome({"profiles": rows})


async def _set_role(args: dict[str, Any], ctx: ToolContext) -> ToolOutcome:
    name = str(args.get("role") or "").strip()
    if not name:
        roles = await shortlists.list_roles(ctx.services, ctx.message.workspace)
        current = await shortlists.current_role(
            ctx.services, ctx.message.key, ctx.message.workspace
        )
        return ToolOutcome({"roles": roles, "current_role": current.name if current else None})
    try:
        role = await shortlists.ensure_role(
            ctx.services,
            ctx.message.workspace,
            name,
            project=args.get("project"),
            brief=args.get("brief"),
            actor=ctx.message.person,
        )
    except shortlists.ShortlistError as exc:
        raise ToolError(str(exc)) from None
    await shortlists.set_current_role(ctx.services, ctx.message.key, role)
    return ToolOutcome({"current_role": role.name, "brief": role.brief, "filters": role.filters})


def _who(args: dict[str, Any]) -> str:
    """The people a shortlist step is about, as the person said them ("Amruta", "2 people")."""
    refs = args.get("talent")
    refs = [refs] if isinstance(refs, str) else [str(r) for r in refs or []]
    named = [r for r in refs if r and not any(ch.isdigit() for ch in r)]  # ids have digits
    if len(refs) == 1 and named:
        return named[0]
    return f"{len(refs)} people" if len(refs) > 1 else "them"


def _role_words(args: dict[str, Any]) -> str:
    return str(args.get("role") or "") or "the current role"


def _step_search(args: dict[str, Any]) -> str:
    query = " ".join(str(args.get("query") or "").split())
    return f"Searching the catalogue: {query[:60]}…" if query else "Searching the catalogue…"


STEPS: dict[str, Any] = {
    "search_talent": _step_search,
    "get_talent_profile": lambda a: "Reading the profile…",
    "select_role": lambda a: f"Opening {a['role']}…" if a.get("role") else "Listing roles…",
    "shortlist_add": lambda a: f"Adding {_who(a)} to {_role_words(a)}…",
    "shortlist_remove": lambda a: f"Taking {_who(a)} off {_role_words(a)}…",
    "shortlist_set_status": lambda a: f"Moving {_who(a)} to {a.get('status') or 'a new status'}…",
    "shortlist_note": lambda a: f"Noting on {_who(a)}…",
    "shortlist_move": lambda a: f"Moving {_who(a)} to #{a.get('position')}…",
    "shortlist_show": lambda a: f"Reading the shortlist of {_role_words(a)}…",
    "shortlist_export": lambda a: f"Exporting the shortlist of {_role_words(a)}…",
    "compare_talent": lambda a: "Comparing them side by side…",
}


TOOLS = [
    Tool(
        "search_talent",
        "Search the talent catalogue. Put the casting director's words in `query` (any "
        "language); add structured filters only when you are sure of them. Hard filters are "
        "never violated; results are ranked by meaning and fit, each with a reason. The "
        "results become 'the last results' that later references ('the second one') use.",
        _schema(
            {
                "query": {"type": "string"},
                "for_role": {
                    "type": "string",
                    "description": "re-run this role's brief (its text and filters)",
                },
                **_FILTER_PROPS,
                "limit": {"type": "integer", "minimum": 1, "maximum": 25},
            },
            ["query"],
        ),
        _search,
    ),
    Tool(
        "get_talent_profile",
        "The full profile of one person: bio, credits, skills, languages, media links.",
        _schema({"talent": _TALENT_REF}, ["talent"]),
        _profile,
    ),
    Tool(
        "select_role",
        "Make a role the conversation's current role (created with its project if new; a "
        "`brief` stores the role description and the filters it implies). Without `role`, "
        "lists the workspace's roles and names the current one.",
        _schema(
            {
                "role": _ROLE,
                "project": _PROJECT,
                "brief": {"type": "string", "description": "the role description"},
            },
            [],
        ),
        _set_role,
    ),
    Tool(
        "shortlist_add",
        "Add people to a role's shortlist (status 'considered').",
        _schema(
            {
                "talent": {"type": "array", "items": _TALENT_REF},
                "role": _ROLE,
                "project": _PROJECT,
                "note": {"type": "string"},
            },
            ["talent"],
        ),
        _add,
    ),
    Tool(
        "shortlist_remove",
        "Take people off a role's shortlist.",
        _schema(
            {"talent": {"type": "array", "items": _TALENT_REF}, "role": _ROLE, "project": _PROJECT},
            ["talent"],
        ),
        _remove,
    ),
    Tool(
        "shortlist_set_status",
        "Move shortlisted people to a status: considered, audition, callback, booked, or "
        "dropped (give the reason when dropping).",
        _schema(
            {
                "talent": {"type": "array", "items": _TALENT_REF},
                "role": _ROLE,
                "project": _PROJECT,
                "status": {"type": "string", "enum": list(STATUSES)},
                "reason": {"type": "string"},
            },
            ["talent", "status"],
        ),
        _status,
    ),
    Tool(
        "shortlist_note",
        "Set the note on one shortlisted person, e.g. 'strong Haryanvi, check dates'.",
        _schema(
            {"talent": _TALENT_REF, "role": _ROLE, "project": _PROJECT, "note": {"type": "string"}},
            ["talent", "note"],
        ),
        _note,
    ),
    Tool(
        "shortlist_move",
        "Reorder a shortlist: put one person at a position (1 = top).",
        _schema(
            {
                "talent": _TALENT_REF,
                "role": _ROLE,
                "project": _PROJECT,
                "position": {"type": "integer", "minimum": 1},
            },
            ["talent", "position"],
        ),
        _move,
    ),
    Tool(
        "shortlist_show",
        "Show a role's shortlist in order, optionally only one status ('who is on callback?'). "
        "With `talent`, also that person's change history (who changed what, when, and why "
        "they were dropped).",
        _schema(
            {
                "role": _ROLE,
                "project": _PROJECT,
                "status": {"type": "string", "enum": list(STATUSES)},
                "talent": {"type": "array", "items": _TALENT_REF},
            },
            [],
        ),
        _show,
    ),
    Tool(
        "shortlist_export",
        "Export a role's shortlist as CSV text.",
        _schema({"role": _ROLE, "project": _PROJECT}, []),
        _export,
    ),
    Tool(
        "compare_talent",
        "Compare two or more people side by side (age, city, height, languages, skills).",
        _schema({"talent": {"type": "array", "items": _TALENT_REF, "minItems": 2}}, ["talent"]),
        _compare,
    ),
]


def register(registry: ToolRegistry) -> None:
    for tool in TOOLS:
        step = STEPS.get(tool.name)
        registry.add(dataclasses.replace(tool, step=step) if step else tool)
