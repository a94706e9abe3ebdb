"""What Slack's commands and buttons need from the talent catalogue and memory.

Everything goes through the tools the talent feature registers (the same ones Claude
calls), so Slack depends on tool names, not on the catalogue's internals, and a missing
feature becomes a polite `Unavailable` instead of an import error.
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING, Any

from bot.tools import ToolContext, ToolOutcome
from bot.types import InboundMessage, TalentCard

if TYPE_CHECKING:
    from bot.services import Services

SEARCH_LIMIT = 10


class Unavailable(Exception):
    """The catalogue can't do this right now; the text is shown to the person."""


async def _tool(
    services: Services, message: InboundMessage, names: tuple[str, ...], args: dict[str, Any]
) -> ToolOutcome:
    for name in names:
        if name in services.tools:
            outcome = await services.tools.run(name, args, ToolContext(message, services))
            if outcome.is_error:
                raise Unavailable(outcome.as_text())
            return outcome
    raise Unavailable("The talent catalogue is not available right now.")


async def search(services: Services, message: InboundMessage, query: str) -> list[TalentCard]:
    outcome = await _tool(
        services, message, ("search_talent",), {"query": query, "limit": SEARCH_LIMIT}
    )
    return list(outcome.cards)


async def similar(services: Services, message: InboundMessage, talent_id: str) -> list[TalentCard]:
    try:
        outcome = await _tool(
            services, message, ("similar_talent", "more_like_this"), {"talent_id": talent_id}
        )
        return [c for c in outcome.cards if c.id != talent_id]
    except Unavailable:
        # No dedicated tool: search with the person's profile text instead.
        text = await profile(services, message, talent_id)
        cards = await search(services, message, text[:300])
        return [c for c in cards if c.id != talent_id]


async def profile(services: Services, message: InboundMessage, talent_id: str) -> str:
    outcome = await _tool(
        services, message, ("talent_profile", "get_talent", "get_profile"), {"talent_id": talent_id}
    )
    return outcome.as_text()


async def shortlist_change(
    services: Services, message: InboundMessage, verb: str, talent_id: str
) -> str:
    names = (
        ("shortlist_add", "add_to_shortlist")
        if verb == "add"
        else ("shortlist_remove", "remove_from_shortlist")
    )
    outcome = await _tool(services, message, names, {"talent_id": talent_id})
    text = outcome.as_text()
    if text.startswith(("{", "[")) or not text:
        return f"{'Added' if verb == 'add' else 'Removed'} {talent_id}"
    return text[:500]


async def shortlist_show(services: Services, message: InboundMessage) -> list[TalentCard]:
    outcome = await _tool(services, message, ("shortlist_show", "show_shortlist"), {})
    return list(outcome.cards)


async def shortlist_export(services: Services, message: InboundMessage) -> str:
    cards = await shortlist_show(services, message)
    if not cards:
        return "The shortlist is empty."
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id", "name", "playing_age", "city", "languages", "skills"])
    for c in cards:
        writer.writerow(
            [c.id, c.name, c.age_range, c.city, ";".join(c.languages), ";".join(c.skills)]
        )
    return "```\n" + out.getvalue().strip() + "\n```"


async def forget(services: Services, message: InboundMessage) -> str:
    from memory.forget import forget_person

    return "; ".join(await forget_person(services, "slack", message.user_id))
