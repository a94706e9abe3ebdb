"""Fact extraction and episode summaries: Claude when a key is set, deterministic otherwise.

Both run in the background after a turn is stored, never on the reply's path. Claude's
answer is parsed strictly; anything unusable falls back to the deterministic version, so a
bad or missing model answer never loses a fact the rules would have caught.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Sequence
from typing import Any, Protocol

from bot.settings import Settings
from memory.extract import extract_facts
from memory.facts import FactView, NewFact

log = logging.getLogger(__name__)

_FACTS_PROMPT = """\
You extract durable facts from one message of a casting director's conversation, for the \
team's memory. Return only a JSON array (possibly empty) of objects with keys:
"scope": "workspace" for projects, roles, decisions about talent, dates, budgets, locations; \
"person" for the speaker's own preferences;
"kind": one of project, role, decision, preference, note;
"subject": a short stable key naming what the fact is about, e.g. "talent:rohan mehra:cop", \
"attr:budget:khaki nights", "project:khaki nights", "pref:language". Reuse a key from the \
current facts below when the message updates or contradicts that fact;
"text": the fact as one self-contained sentence (names, role, reason).
Ignore small talk, questions and requests to search. Current facts:
{current}"""

_SUMMARY_PROMPT = (
    "Summarise this casting conversation in at most three sentences for the team's memory: "
    "projects, roles, people considered or dropped and why, decisions and open questions. "
    "Plain text only."
)


class Summariser(Protocol):
    async def facts(self, text: str, current: Sequence[FactView]) -> list[NewFact]: ...

    async def summary(self, lines: Sequence[str]) -> str: ...


class RuleSummariser:
    """The offline fallback: rules for facts, the conversation's own lines for a summary."""

    async def facts(self, text: str, current: Sequence[FactView]) -> list[NewFact]:
        return extract_facts(text)

    async def summary(self, lines: Sequence[str]) -> str:
        picked, size = [], 0
        for line in lines:
            line = re.sub(r"\s+", " ", line).strip()[:200]
            if line and size + len(line) < 700:
                picked.append(line)
                size += len(line)
        return " / ".join(picked)


class ClaudeSummariser:
    def __init__(self, settings: Settings) -> None:
        import anthropic

        self.model = settings.model
        self.client = anthropic.AsyncAnthropic(
            api_key=settings.anthropic_api_key,
            base_url=settings.anthropic_base_url or None,
            max_retries=2,
            timeout=anthropic.Timeout(60.0, connect=5.0),
        )
        self.fallback = RuleSummariser()

    async def _ask(self, system: str, content: str) -> str:
        async with self.client.messages.stream(
            model=self.model,
            max_tokens=800,
            system=system,
            messages=[{"role": "user", "content": content}],
        ) as stream:
            final = await stream.get_final_message()
        return "".join(getattr(block, "text", "") for block in final.content)

    async def facts(self, text: str, current: Sequence[FactView]) -> list[NewFact]:
        known = "\n".join(f"- {f.subject}: {f.text}" for f in current[:40]) or "(none)"
        try:
            answer = await self._ask(_FACTS_PROMPT.format(current=known), text)
            return _parse_facts(answer)
        except Exception as exc:
            log.warning("fact extraction by Claude failed (%s); using rules", type(exc).__name__)
            return await self.fallback.facts(text, current)

    async def summary(self, lines: Sequence[str]) -> str:
        try:
            answer = (await self._ask(_SUMMARY_PROMPT, "\n".join(lines)[:12_000])).strip()
        except Exception as exc:
            log.warning("summary by Claude failed (%s); using rules", type(exc).__name__)
            answer = ""
        return answer or await self.fallback.summary(lines)


def _parse_facts(answer: str) -> list[NewFact]:
    match = re.search(r"\[.*\]", answer, re.DOTALL)
    if not match:
        raise ValueError("no JSON array in the answer")
    items: list[Any] = json.loads(match.group(0))
    out = []
    for item in items:
        if not isinstance(item, dict):
            continue
        scope = "person" if item.get("scope") == "person" else "workspace"
        subject, text = str(item.get("subject", "")).strip(), str(item.get("text", "")).strip()
        if subject and text:
            out.append(NewFact(scope, str(item.get("kind", "note"))[:30], subject.lower(), text))
    return out


def make_summariser(settings: Settings) -> Summariser:
    return ClaudeSummariser(settings) if settings.claude_enabled else RuleSummariser()
