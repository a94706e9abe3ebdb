"""Claude's tools for auditions, self-tapes, talent numbers and media (the router's commands
call the same ones). Times are in the workspace's zone (CASTMATCH_TIMEZONE)."""

from __future__ import annotations

from typing import Any

from bot import pending_media
from bot.tools import Tool, ToolContext, ToolError, ToolOutcome, ToolRegistry
from talent import auditions, media
from talent.auditions import AuditionError
from talent.dates import DateError, parse_moment
from talent.holds_tools import existing_role
from talent.tools import _PROJECT, _ROLE, _TALENT_REF, _refs, _role, _schema, _talent_ids

_WHEN = "day and time in words or ISO, e.g. '10 March 11:00' or '2027-03-10T11:00'"


def _moment(ctx: ToolContext, text: str, *, default_hour: int | None = None) -> Any:
    try:
        return parse_moment(text, auditions.zone(ctx.services), default_hour=default_hour)
    except DateError as exc:
        raise ToolError(str(exc)) from None


async def _slot(args: dict[str, Any], ctx: ToolContext) -> ToolOutcome:
    role = await _role(ctx, args)
    at = _moment(ctx, str(args.get("when") or ""))
    try:
        found = await auditions.add_slot(
            ctx.services, role, at, str(args.get("place") or ""),
            capacity=int(args.get("capacity") or 1), actor=ctx.message.person,
        )  # fmt: skip
    except AuditionError as exc:
        raise ToolError(str(exc)) from None
    tz = auditions.zone(ctx.services)
    return ToolOutcome({"role": role.name, "slots": [s.as_json(tz) for s in found]})


async def _invite(args: dict[str, Any], ctx: ToolContext, *, self_tape: bool) -> ToolOutcome:
    role = await _role(ctx, args)
    ids = await _talent_ids(ctx, _refs(args), role=role)
    deadline = _moment(ctx, str(args.get("deadline") or ""), default_hour=18) if self_tape else None
    try:
        invited = await auditions.invite(
            ctx.services, role, ids, actor=ctx.message.person,
            slot=int(args["slot"]) if args.get("slot") else None, deadline=deadline,
        )  # fmt: skip
    except AuditionError as exc:
        raise ToolError(str(exc)) from None
    content: dict[str, Any] = {
        "role": role.name,
        "queued": [i.as_json() for i in invited.invitations],
        "note": "sent on WhatsApp in the background; answers show in show_auditions",
    }
    if invited.problems:
        content["not_invited"] = invited.problems
    return ToolOutcome(content)


async def _invite_slot(args: dict[str, Any], ctx: ToolContext) -> ToolOutcome:
    return await _invite(args, ctx, self_tape=False)


async def _self_tape(args: dict[str, Any], ctx: ToolContext) -> ToolOutcome:
    return await _invite(args, ctx, self_tape=True)


async def _show(args: dict[str, Any], ctx: ToolContext) -> ToolOutcome:
    role = await existing_role(ctx, args)
    if role is None:
        raise ToolError("which role? name it")
    tz = auditions.zone(ctx.services)
    return ToolOutcome(
        {
            "role": role.name,
            "slots": [s.as_json(tz) for s in await auditions.slots(ctx.services, role)],
            "invitations": [i.as_json() for i in await auditions.invitations(ctx.services, role)],
        }
    )


async def _number(args: dict[str, Any], ctx: ToolContext) -> ToolOutcome:
    (talent_id,) = await _talent_ids(ctx, _refs(args), single=True)
    try:
        phone = await auditions.set_contact(
            ctx.services, ctx.message.workspace, talent_id, str(args.get("number") or ""),
            actor=ctx.message.person,
        )  # fmt: skip
    except AuditionError as exc:
        raise ToolError(str(exc)) from None
    return ToolOutcome({"talent_id": talent_id, "whatsapp": phone[:-4] + "••••"})


async def _attach(args: dict[str, Any], ctx: ToolContext) -> ToolOutcome:
    message = ctx.message
    files = message.attachments or await pending_media.take(ctx.services, message.key)
    if not files:
        raise ToolError("no photo or video came with this message or the one before it")
    role = await existing_role(ctx, args) if (args.get("role") or args.get("project")) else None
    (talent_id,) = await _talent_ids(ctx, _refs(args), role=role, single=True)
    kind = str(args.get("kind") or "media")
    # a self-tape forwarded for a role that asked this person for one answers that request
    asked = (
        await auditions.open_self_tape(ctx.services, role, talent_id)
        if role is not None and kind == "self_tape"
        else None
    )
    kept, problems = [], []
    for attachment in files:
        try:
            stored = await media.store(
                ctx.services, message, attachment, talent_id=talent_id, kind=kind,
                role_pk=role.pk if role is not None else None,
                invitation_pk=asked.pk if asked is not None else None,
            )  # fmt: skip
            kept.append(stored.describe())
        except media.MediaError as exc:
            problems.append(str(exc))
    content: dict[str, Any] = {"talent_id": talent_id, "kept": kept}
    if role is not None:
        content["role"] = role.name
    if asked is not None and kept:
        await auditions.set_status(ctx.services, asked.pk, "submitted")
        content["self_tape_request"] = "answered: marked as sent in"
    if problems:
        content["not_kept"] = problems
    if not kept:
        return ToolOutcome(content, is_error=True)
    return ToolOutcome(content)


_PEOPLE = {"type": "array", "items": _TALENT_REF}

TOOLS = [
    Tool(
        "add_audition_slot",
        "Add an audition slot to a role: when, where, how many people it takes.",
        _schema(
            {
                "role": _ROLE,
                "project": _PROJECT,
                "when": {"type": "string", "description": _WHEN},
                "place": {"type": "string"},
                "capacity": {"type": "integer", "minimum": 1},
            },
            ["when", "place"],
        ),
        _slot,
    ),
    Tool(
        "invite_to_audition",
        "Invite people to audition for a role, in a slot (its number) or the next slots with "
        "room. They are messaged on WhatsApp and answer YES/NO; they join the shortlist at "
        "'audition'.",
        _schema(
            {
                "talent": _PEOPLE,
                "role": _ROLE,
                "project": _PROJECT,
                "slot": {"type": "integer", "minimum": 1},
            },
            ["talent"],
        ),
        _invite_slot,
    ),
    Tool(
        "request_self_tape",
        "Ask people for a self-tape for a role by a deadline, on WhatsApp, with reminders "
        "before it. Their video comes back to the role.",
        _schema(
            {
                "talent": _PEOPLE,
                "role": _ROLE,
                "project": _PROJECT,
                "deadline": {"type": "string", "description": _WHEN},
            },
            ["talent", "deadline"],
        ),
        _self_tape,
    ),
    Tool(
        "show_auditions",
        "A role's audition slots and invitations with their answers (sent, confirmed, "
        "declined, submitted, failed and why).",
        _schema({"role": _ROLE, "project": _PROJECT}, []),
        _show,
    ),
    Tool(
        "set_talent_whatsapp",
        "Store a person's WhatsApp number (E.164, e.g. +919876543210) for invitations.",
        _schema({"talent": _TALENT_REF, "number": {"type": "string"}}, ["talent", "number"]),
        _number,
    ),
    Tool(
        "attach_media",
        "Keep the photo or video the coordinator just sent (with this message or the one "
        "before) on a person's profile, e.g. 'this is Amruta's self-tape for Inspector Yadav'.",
        _schema(
            {
                "talent": _TALENT_REF,
                "kind": {"type": "string", "enum": [*media.KINDS, "media"]},
                "role": _ROLE,
                "project": _PROJECT,
            },
            ["talent", "kind"],
        ),
        _attach,
    ),
]


def register(registry: ToolRegistry) -> None:
    for tool in TOOLS:
        registry.add(tool)
