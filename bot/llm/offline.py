"""The offline responder: used when no ANTHROPIC_API_KEY is set.

Deterministic and plainly labelled, yet useful: it runs the talent search on the message
and lists what it found, and it shows it remembers the conversation. It streams its answer
piece by piece through the same path as Claude, so progressive output is exercised offline.
"""

from __future__ import annotations

import re
from typing import Any

from bot.llm.base import LLMRequest, LLMResult, TextSink
from bot.tools import ToolContext, ToolRegistry

LABEL = "_(offline mode: no ANTHROPIC_API_KEY is set, so Claude is not answering)_"
_GREETING = re.compile(r"^\s*(hi|hello|hey|namaste|namaskar|hola)\b[\s!.]*$", re.IGNORECASE)


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


def _content_text(message: dict[str, Any]) -> str:
    content = message["content"]
    if isinstance(content, str):
        return content
    return " ".join(b.get("text", "") for b in content if isinstance(b, dict))
