"""What the commands (and Slack's card buttons) need from the talent catalogue.

Everything goes through the tools the talent feature registers (the same ones Claude
calls), so commands depend on tool names, not on the catalogue's internals, and a missing
feature becomes a polite `Unavailable` instead of an import error. Answers are Markdown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.tools import ToolContext, ToolOutcome
from bot.types import InboundMessage, TalentCard

if TYPE_CHECKING:
    from bot.services import Services

SEARCH_LIMIT = 10
GENDERS = ("female", "male", "non-binary", "other")  # the search tool's gender filter


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


async def profile_data(
    services: Services, message: InboundMessage, talent_id: str
) -> dict[str, Any]:
    outcome = await _tool(services, message, ("get_talent_profile",), {"talent": talent_id})
    return outcome.content if isinstance(outcome.content, dict) else {"bio": outcome.as_text()}


async def profile(services: Services, message: InboundMessage, talent_id: str) -> str:
    """A profile as Markdown."""
    return profile_text(await profile_data(services, message, talent_id), talent_id)


def profile_text(data: dict[str, Any], talent_id: str) -> str:
    """A profile's data (from `profile_data`) as Markdown."""
    lines = [f"**{data.get('name') or talent_id}** ({data.get('id') or talent_id})"]
    facts = {
        "Playing age": data.get("playing_age"),
        "City": data.get("city"),
        "Height": f"{data['height_cm']} cm" if data.get("height_cm") else "",
        "Languages": ", ".join(data.get("languages") or []),
        "Skills": ", ".join(data.get("skills") or []),
        "Agency": data.get("agency"),
    }
    lines += [f"- {label}: {value}" for label, value in facts.items() if value]
    credits = data.get("credits") or []
    if credits:
        shown = [c.get("title", "") if isinstance(c, dict) else str(c) for c in credits[:5]]
        lines.append("- Credits: " + ", ".join(t for t in shown if t))
    if data.get("bio"):
        lines += ["", str(data["bio"])[:1500]]
    if data.get("showreel_url"):
        lines += ["", f"[Showreel]({data['showreel_url']})"]
    return "\n".join(lines)


async def similar(services: Services, message: InboundMessage, talent_id: str) -> list[TalentCard]:
    """People like this one: their first language, first skill and city as the query (the
    search holds every named one as a must, so not all of them), their gender and
    playing-age range kept as filters (a 45-year-old's lookalikes are not 20)."""
    data = await profile_data(services, message, talent_id)
    parts = [*(data.get("languages") or [])[:1], *(data.get("skills") or [])[:1],
             str(data.get("city") or "")]  # fmt: skip
    query = " ".join(p for p in parts if p) or str(data.get("name") or talent_id)
    args: dict[str, Any] = {"query": query, "limit": SEARCH_LIMIT}
    if data.get("gender") in GENDERS:
        args["gender"] = data["gender"]
    low, _, high = str(data.get("playing_age") or "").partition("-")
    if low.isdigit() and high.isdigit():
        args["age_min"], args["age_max"] = int(low), int(high)
    outcome = await _tool(services, message, ("search_talent",), args)
    return [c for c in outcome.cards if c.id != talent_id]


async def shortlist_change(
    services: Services, message: InboundMessage, verb: str, talent_id: str, role: str = ""
) -> str:
    args: dict[str, Any] = {"talent": [talent_id]}
    if role:
        args["role"] = role
    name = "shortlist_add" if verb == "add" else "shortlist_remove"
    outcome = await _tool(services, message, (name,), args)
    content = outcome.content if isinstance(outcome.content, dict) else {}
    role_name = content.get("role") or role or "the shortlist"
    who = content.get("names", {}).get(talent_id) or talent_id
    if verb == "add":
        if content.get("already_on_list"):
            return f"{who} is already on the {role_name} shortlist"
        return f"Shortlisted {who} for {role_name}"
    return f"Removed {talent_id} from the {role_name} shortlist"


async def roles(services: Services, message: InboundMessage) -> tuple[str | None, list[dict]]:
    """(the conversation's current role or None, the workspace's roles)."""
    outcome = await _tool(services, message, ("select_role",), {})
    content = outcome.content if isinstance(outcome.content, dict) else {}
    return content.get("current_role"), list(content.get("roles") or [])


async def choose_role(
    services: Services, message: InboundMessage, role: str, project: str | None = None
) -> str:
    """Make `role` the conversation's current role (created if new); its name."""
    args = {"role": role, **({"project": project} if project else {})}
    outcome = await _tool(services, message, ("select_role",), args)
    content = outcome.content if isinstance(outcome.content, dict) else {}
    return str(content.get("current_role") or role)


async def shortlist_entries(
    services: Services, message: InboundMessage, role: str, project: str | None = None
) -> list[dict[str, Any]]:
    """A role's shortlist entries (name, status, position…), in order."""
    args = {"role": role, **({"project": project} if project else {})}
    outcome = await _tool(services, message, ("shortlist_show",), args)
    content = outcome.content if isinstance(outcome.content, dict) else {}
    return list(content.get("entries") or [])


async def shortlist_show(services: Services, message: InboundMessage, role: str = "") -> str:
    """The shortlist as Markdown."""
    outcome = await _tool(services, message, ("shortlist_show",), {"role": role} if role else {})
    content = outcome.content if isinstance(outcome.content, dict) else {}
    entries = content.get("entries") or []
    title = f"**Shortlist: {content.get('role') or role}**"
    if not entries:
        return title + "\n\nNobody on it yet."
    rows = [
        f"{e.get('position', i + 1)}. **{e.get('name')}** ({e.get('talent_id')}), "
        f"{e.get('age_range') or '?'}, {e.get('city') or '?'}: {e.get('status')}"
        for i, e in enumerate(entries)
    ]
    return title + "\n\n" + "\n".join(rows)


async def shortlist_export(services: Services, message: InboundMessage, role: str = "") -> str:
    """The export as text (a CSV code block), for channels that can't take a file."""
    return (await shortlist_export_file(services, message, role)).as_text()


@dataclass(frozen=True)
class ExportFile:
    """A shortlist export: a CSV file where the channel can share one (Slack), else text.
    It travels in `ReplyResult.extra["file"]`."""

    filename: str
    title: str
    content: str
    summary: str  # the line said with the file

    def as_text(self) -> str:
        return self.summary + "\n\n```\n" + self.content.strip() + "\n```"


@dataclass(frozen=True)
class ChannelPost:
    """A shortlist to post in another channel of the same platform ("post the Inspector
    Yadav shortlist to #casting"). It travels in `ReplyResult.extra["post"]`; a channel that
    can post elsewhere does it, the others just show the text."""

    channel: str  # the name as written, without '#'
    text: str  # Markdown


async def shortlist_export_file(
    services: Services, message: InboundMessage, role: str = ""
) -> ExportFile:
    outcome = await _tool(services, message, ("shortlist_export",), {"role": role} if role else {})
    content = outcome.content if isinstance(outcome.content, dict) else {}
    csv_text = str(content.get("csv") or "")
    name = str(content.get("role") or role or "shortlist")
    people = max(len(csv_text.strip().splitlines()) - 1, 0)
    slug = re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-").lower() or "shortlist"
    return ExportFile(
        filename=f"{slug}-shortlist.csv",
        title=f"{name} shortlist",
        content=csv_text,
        summary=f"Shortlist of **{name}**: {people} {'person' if people == 1 else 'people'}.",
    )


async def share_link(
    services: Services, message: InboundMessage, role: str = "", expires: str = ""
) -> str:
    """A signed link to a role's shortlist page for a director, as Markdown."""
    args = {k: v for k, v in (("role", role), ("expires", expires)) if v}
    outcome = await _tool(services, message, ("shortlist_share",), args)
    content = outcome.content if isinstance(outcome.content, dict) else {}
    name = content.get("role") or role
    until = str(content.get("expires_at") or "").replace("T", " ").removesuffix("+00:00")
    return (
        f"Link to the **{name}** shortlist for your director (open until {until} UTC): "
        f"{content.get('url')}\nTheir yes / maybe / no and comments will appear here. "
        f"`unshare the {name} shortlist` closes it."
    )


async def unshare_links(services: Services, message: InboundMessage, role: str = "") -> str:
    outcome = await _tool(services, message, ("shortlist_unshare",), {"role": role} if role else {})
    content = outcome.content if isinstance(outcome.content, dict) else {}
    name = content.get("role") or role
    return f"Closed {content.get('revoked', 0)} link(s) to the {name} shortlist."
