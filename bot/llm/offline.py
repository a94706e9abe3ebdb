"""The offline responder: used when no ANTHROPIC_API_KEY is set.

Deterministic and plainly labelled, yet useful: it understands "shortlist the second one
for Inspector Yadav" and "show the shortlist", runs the talent search on anything else and
lists what it found, and it shows it remembers the conversation. It streams its answer
piece by piece through the same path as Claude, so progressive output is exercised offline.
"""

from __future__ import annotations

import json
import re
from typing import Any

from bot.llm.base import LLMRequest, LLMResult, TextSink
from bot.tools import ToolContext, ToolRegistry

LABEL = "_(offline mode: no ANTHROPIC_API_KEY is set, so Claude is not answering)_"
_GREETING = re.compile(r"^\s*(hi|hello|hey|namaste|namaskar|hola)\b[\s!.]*$", re.IGNORECASE)
_SHORTLIST_ADD = re.compile(
    r"^\s*(?:please\s+)?(?:shortlist|add)\s+(?P<who>.+?)"
    r"(?:\s+(?:for|to)\s+(?:the\s+)?(?:role\s+(?:of\s+)?)?(?P<role>.+?))?"
    r"(?:\s+shortlist)?\s*[.!]?$",
    re.IGNORECASE,
)
_TALENT_ID = re.compile(r"\(talent id ([^)\s]+)\)")  # "2" as the router spells it out
_SHORTLIST_SHOW = re.compile(
    r"^\s*(?:show|list|see)\s+(?:me\s+)?(?:the\s+)?shortlist"
    r"(?:\s+(?:for|of)\s+(?:the\s+)?(?P<role>.+?))?\s*[?.!]?$",
    re.IGNORECASE,
)


class OfflineResponder:
    name = "offline"
    model = "offline"

    async def respond(
        self, request: LLMRequest, on_text: TextSink, tools: ToolRegistry, ctx: ToolContext
    ) -> LLMResult:
        result = LLMResult(model=self.model)
        text = ctx.message.text.strip()
        parts = [LABEL, ""]
        earlier = [m for m in request.messages[:-1] if m["role"] == "user"]
        if earlier:
            parts.append(
                f"I remember {len(earlier)} earlier message(s) in this conversation; "
                f"the last was: “{_content_text(earlier[-1])[:200]}”."
            )
            parts.append("")
        if _GREETING.match(text):
            parts.append(
                "Hello! Ask me to find talent, e.g. “actors in Mumbai aged 25-35 who speak "
                "Marathi and can do kathak”."
            )
        elif (
            (picked := _TALENT_ID.search(text))
            and text.startswith("Tell me more")
            and ("get_talent_profile" in tools)
        ):
            outcome = await tools.run("get_talent_profile", {"talent": picked.group(1)}, ctx)
            result.tool_calls += 1
            result.cards = list(outcome.cards)  # the person, shown with their headshot
            parts.append(_profile(outcome.content) if not outcome.is_error else outcome.as_text())
        elif (command := _shortlist_command(text)) and command[0] in tools:
            name, arguments = command
            outcome = await tools.run(name, arguments, ctx)
            result.tool_calls += 1
            parts.append(_describe(name, outcome.as_text(), outcome.is_error))
        elif "search_talent" in tools:
            outcome = await tools.run("search_talent", {"query": text}, ctx)
            result.tool_calls += 1
            result.cards = list(outcome.cards)
            if outcome.is_error:
                parts.append(f"The talent search failed: {outcome.as_text()}")
            elif not outcome.cards:
                parts.append("I searched the catalogue and found nobody matching that.")
            else:
                parts.append(f"I searched the catalogue for “{text[:200]}” and found:")
                parts.append("")
                for number, card in enumerate(outcome.cards, 1):
                    parts.append(
                        f"{number}. **{card.name}** ({card.age_range}, {card.city}): {card.why}"
                    )
        else:
            parts.append("The talent catalogue is not available, so I can't search it right now.")
        answer = "\n".join(parts).rstrip() + "\n"
        for piece in re.findall(r"\S+\s*|\s+", answer):
            result.text += piece
            await on_text(piece)
        return result


def _shortlist_command(text: str) -> tuple[str, dict[str, Any]] | None:
    """A shortlist request in plain words, as a tool call; None for anything else."""
    if match := _SHORTLIST_SHOW.match(text):
        return "shortlist_show", _with_role({}, match.group("role"))
    if match := _SHORTLIST_ADD.match(text):
        return "shortlist_add", _with_role({"talent": [match.group("who")]}, match.group("role"))
    return None


def _with_role(arguments: dict[str, Any], role: str | None) -> dict[str, Any]:
    return {**arguments, "role": role.strip()} if role else arguments


def _describe(name: str, content: str, is_error: bool) -> str:
    """The tool's answer in readable lines (it returns JSON meant for Claude)."""
    if is_error:
        return f"I couldn't do that: {content}"
    try:
        data = json.loads(content)
    except json.JSONDecodeError:
        return content
    if name == "shortlist_add" and isinstance(data, dict):
        names = data.get("names", {})
        added = ", ".join(names.get(i, i) for i in data.get("added", [])) or "nobody new"
        line = f"Shortlisted for **{data.get('role', 'the role')}**: {added}."
        if data.get("already_on_list"):
            already = ", ".join(names.get(i, i) for i in data["already_on_list"])
            line += f" Already on the list: {already}."
        return line
    if name == "shortlist_show" and isinstance(data, dict) and "entries" in data:
        entries = data["entries"]
        if not entries:
            return f"The shortlist for **{data.get('role', 'the role')}** is empty."
        lines = [f"Shortlist for **{data.get('role', 'the role')}**:", ""]
        for entry in entries:
            reason = f" ({entry['reason']})" if entry.get("reason") else ""
            note = f": {entry['note']}" if entry.get("note") else ""
            lines.append(
                f"{entry.get('position')}. **{entry.get('name')}**, {entry.get('age_range', '')}, "
                f"{entry.get('city', '')} · {entry.get('status')}{reason}{note}"
            )
        return "\n".join(lines)
    return "```\n" + json.dumps(data, ensure_ascii=False, indent=2) + "\n```"


def _profile(data: Any) -> str:
    if not isinstance(data, dict):
        return str(data)
    facts = [
        ("Playing age", data.get("playing_age")),
        ("City", data.get("city")),
        ("Languages", ", ".join(data.get("languages") or [])),
        ("Skills", ", ".join(data.get("skills") or [])),
    ]
    lines = [f"**{data.get('name')}** ({data.get('id')})"]
    lines += [f"- {label}: {value}" for label, value in facts if value]
    if data.get("bio"):
        lines += ["", str(data["bio"])[:800]]
    return "\n".join(lines)


def _content_text(message: dict[str, Any]) -> str:
    content = message["content"]
    if isinstance(content, str):
        return content
    return " ".join(b.get("text", "") for b in content if isinstance(b, dict))
