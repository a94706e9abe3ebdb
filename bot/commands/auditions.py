"""The audition commands (slots, invitations, self-tapes, numbers, media captions), through
the tools the talent feature registers. Answers are Markdown."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.commands.catalogue import _tool
from bot.commands.grammar import Command
from bot.tools import ToolContext
from bot.types import InboundMessage

if TYPE_CHECKING:
    from bot.services import Services

STATUS = {
    "queued": "⏳ sending", "sent": "📨 sent", "confirmed": "✅ confirmed",
    "declined": "❌ declined", "submitted": "🎬 self-tape in", "failed": "⚠️ not sent",
    "cancelled": "cancelled",
}  # fmt: skip


def _role(command: Command) -> dict[str, Any]:
    return {"role": command.role} if command.role else {}


def _invitation(i: dict[str, Any]) -> str:
    line = f"- **{i.get('name') or i.get('talent_id')}** ({i.get('talent_id')}): {i.get('when')}"
    line += f", {STATUS.get(i.get('status', ''), i.get('status'))}"
    return line + (f" ({i['detail']})" if i.get("detail") else "")


async def show(services: Services, message: InboundMessage, command: Command) -> str:
    outcome = await _tool(services, message, ("show_auditions",), _role(command))
    content = outcome.content if isinstance(outcome.content, dict) else {}
    slots = [
        f"{s['slot']}. {s['when']} at {s['place']} ({s['taken']}/{s['capacity']})"
        for s in content.get("slots") or []
    ]
    invited = [_invitation(i) for i in content.get("invitations") or []]
    parts = [f"**Auditions for {content.get('role')}**"]
    parts.append("Slots:\n" + "\n".join(slots) if slots else "No slots yet.")
    parts.append("Invitations:\n" + "\n".join(invited) if invited else "Nobody invited yet.")
    return "\n\n".join(parts)


async def slot(services: Services, message: InboundMessage, command: Command) -> str:
    args = {"when": command.arg, "place": command.detail, **_role(command)}
    outcome = await _tool(services, message, ("add_audition_slot",), args)
    content = outcome.content if isinstance(outcome.content, dict) else {}
    lines = [f"{s['slot']}. {s['when']} at {s['place']}" for s in content.get("slots") or []]
    return f"Slots for {content.get('role')}:\n\n" + "\n".join(lines)


async def invite(services: Services, message: InboundMessage, command: Command) -> str:
    args: dict[str, Any] = {"talent": list(command.ids), **_role(command)}
    name = "invite_to_audition"
    if command.kind == "selftape":
        args["deadline"], name = command.arg, "request_self_tape"
    elif command.number:
        args["slot"] = command.number
    outcome = await _tool(services, message, (name,), args)
    content = outcome.content if isinstance(outcome.content, dict) else {}
    lines = [_invitation(i) for i in content.get("queued") or []]
    lines += [f"- ⚠️ {p}" for p in content.get("not_invited") or []]
    head = "Sending on WhatsApp" if content.get("queued") else "Nobody was invited"
    return f"{head} ({content.get('role')}):\n\n" + "\n".join(lines)


async def contact(services: Services, message: InboundMessage, command: Command) -> str:
    args = {"talent": command.ids[0], "number": command.arg}
    outcome = await _tool(services, message, ("set_talent_whatsapp",), args)
    content = outcome.content if isinstance(outcome.content, dict) else {}
    return f"Saved the WhatsApp number of {content.get('talent_id')} ({content.get('whatsapp')})."


async def attach(services: Services, message: InboundMessage, command: Command) -> str:
    args = {"talent": command.ids[0], "kind": command.verb, **_role(command)}
    outcome = await services.tools.run("attach_media", args, ToolContext(message, services))
    content = outcome.content if isinstance(outcome.content, dict) else {}
    if not isinstance(outcome.content, dict):
        return f"⚠️ {outcome.as_text()}"
    kept = content.get("kept") or []
    lines = []
    if kept:
        where = f" for {content['role']}" if content.get("role") else ""
        lines.append(f"Kept on {content.get('talent_id')}'s profile{where}: {', '.join(kept)}")
        if content.get("self_tape_request"):
            lines.append("🎬 Their self-tape request is answered: no more reminders.")
    lines += [f"⚠️ Not kept: {p}" for p in content.get("not_kept") or []]
    return "\n".join(lines)
