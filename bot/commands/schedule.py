"""The holds and availability commands, through the tools the talent feature registers
(the same ones Claude calls). Answers are Markdown."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.commands.catalogue import _tool
from bot.commands.grammar import Command
from bot.types import InboundMessage

if TYPE_CHECKING:
    from bot.services import Services

LABELS = {"pencil": "pencil", "second": "2nd hold", "first": "1st hold", "booked": "booked"}


def _line(hold: dict[str, Any], *, project: bool = True) -> str:
    who = f"**{hold.get('name') or hold.get('talent_id')}** ({hold.get('talent_id')})"
    what = f"{LABELS.get(hold.get('kind', ''), hold.get('kind'))} {hold.get('dates')}"
    where = f", {hold.get('where') or hold.get('role')}"
    return f"{who}: {what}{where if project else ''}"


async def holds(services: Services, message: InboundMessage, command: Command) -> str:
    args = {"role": command.role} if command.role else {}
    outcome = await _tool(services, message, ("show_holds",), args)
    content = outcome.content if isinstance(outcome.content, dict) else {}
    if "role" in content:
        rows = content.get("holds") or []
        title = f"**Holds for {content['role']}**"
        lines = [f"- {_line(h)}" for h in rows]
        return title + "\n\n" + ("\n".join(lines) if lines else "Nobody is on hold yet.")
    rows = content.get("upcoming_holds") or []
    lines = [f"- {_line(h)}" for h in rows]
    return "**Upcoming holds**\n\n" + ("\n".join(lines) if lines else "No holds yet.")


async def hold(services: Services, message: InboundMessage, command: Command) -> str:
    args: dict[str, Any] = {"talent": list(command.ids), "kind": command.verb}
    if command.arg:
        args["dates"] = command.arg
    if command.role:
        args["role"] = command.role
    outcome = await _tool(services, message, ("hold_talent",), args)
    content = outcome.content if isinstance(outcome.content, dict) else {}
    lines = []
    for result in content.get("holds") or []:
        lines.append("Held " + _line(result["hold"]))
        for clash in result.get("conflicts") or []:
            lines.append(f"⚠️ **Conflict**: {_line(clash)}")
        for other in result.get("also_held") or []:
            lines.append(f"Also held: {_line(other)}")
    return "\n".join(lines)


async def release(services: Services, message: InboundMessage, command: Command) -> str:
    args: dict[str, Any] = {"talent": list(command.ids)}
    if command.role:
        args["role"] = command.role
    outcome = await _tool(services, message, ("release_hold",), args)
    content = outcome.content if isinstance(outcome.content, dict) else {}
    released = content.get("released") or []
    if not released:
        return f"Nobody of {', '.join(command.ids)} was on hold for {content.get('role')}."
    return "\n".join(f"Released {_line(h)}" for h in released)


async def availability(services: Services, message: InboundMessage, command: Command) -> str:
    args = {"talent": command.ids[0], "available": command.verb == "free", "dates": command.arg}
    outcome = await _tool(services, message, ("set_availability",), args)
    content = outcome.content if isinstance(outcome.content, dict) else {}
    windows = [
        f"- {'free' if w.get('available') else 'unavailable'} {w.get('dates')}"
        for w in content.get("availability") or []
    ]
    who = f"**{content.get('name') or content.get('talent_id')}** ({content.get('talent_id')})"
    return f"Noted for {who}. Their dates from today:\n\n" + "\n".join(windows)
