"""Fact extraction and episode summaries: Claude when a key is set, the rules otherwise.

Both run in the background after a turn is stored, never on the reply's path. Claude is
asked through a forced tool call (`tool_choice` names the tool), so its answer is JSON in
the tool's schema; the input is validated with pydantic. Only when Claude can't give a
valid answer (unreachable, an error, an invalid tool input) do the rules stand in, and each
such fallback is counted (`castmatch_memory_extraction_fallbacks_total{task,reason}`) and
logged, so a model or prompt that keeps failing shows on a dashboard, not only in a log.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal, Protocol

from pydantic import BaseModel, Field, ValidationError

from bot import metrics
from bot.settings import Settings
from memory.extract import extract_facts
from memory.facts import FactView, NewFact

if TYPE_CHECKING:
    import anthropic

log = logging.getLogger(__name__)

_FACTS_PROMPT = """\
You extract durable facts from one message of a casting director's conversation, for the \
team's memory, and record them with the record_facts tool (an empty list when there are \
none). Each fact:
"scope": "workspace" for projects, roles, decisions about talent, dates, budgets, locations \
and what people said happened; "person" for the speaker's own preferences;
"kind": one of project, role, decision, preference, note;
"subject": a short stable key naming what the fact is about, e.g. "talent:rohan mehra:cop", \
"attr:budget:khaki nights", "project:khaki nights", "pref:language". Reuse a key from the \
current facts below when the message updates or contradicts that fact;
"text": the fact as one self-contained sentence (names, role, reason, date).
Ignore small talk, questions and requests to search. Current facts:
{current}"""

_SUMMARY_PROMPT = (
    "Summarise this casting conversation in at most three sentences for the team's memory "
    "(projects, roles, people considered or dropped and why, decisions, open questions, and "
    "who did what when), and record it with the record_summary tool."
)


class ExtractedFact(BaseModel):
    scope: Literal["workspace", "person"]
    kind: Literal["project", "role", "decision", "preference", "note"]
    subject: str = Field(min_length=1, max_length=400)
    text: str = Field(min_length=1, max_length=2000)


class FactsAnswer(BaseModel):
    facts: list[ExtractedFact] = Field(max_length=30)


class SummaryAnswer(BaseModel):
    summary: str = Field(min_length=1, max_length=2000)


FACTS_TOOL = "record_facts"
SUMMARY_TOOL = "record_summary"
_TOOLS: dict[str, tuple[str, type[BaseModel]]] = {
    FACTS_TOOL: ("Record the durable facts a message states.", FactsAnswer),
    SUMMARY_TOOL: ("Record the summary of a conversation.", SummaryAnswer),
}


class ExtractionError(Exception):
    """Claude answered, but not with a valid call of the forced tool."""


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
        self.model = settings.model
        self._settings = settings
        self.fallback = RuleSummariser()

    @functools.cached_property
    def client(self) -> anthropic.AsyncAnthropic:
        """Made on first use: importing the SDK costs a command-line start ~1-2 s."""
        import anthropic

        return anthropic.AsyncAnthropic(
            api_key=self._settings.anthropic_api_key,
            base_url=self._settings.anthropic_base_url or None,
            max_retries=2,
            timeout=anthropic.Timeout(60.0, connect=5.0),
        )

    async def _call(self, tool: str, system: str, content: str) -> Any:
        """The validated input of a forced call of `tool`."""
        description, schema = _TOOLS[tool]
        spec = {"name": tool, "description": description,
                "input_schema": schema.model_json_schema()}  # fmt: skip
        async with self.client.messages.stream(
            model=self.model,
            max_tokens=1500,
            system=system,
            messages=[{"role": "user", "content": content}],
            tools=[spec],
            tool_choice={"type": "tool", "name": tool},
        ) as stream:
            final = await stream.get_final_message()
        call = next((b for b in final.content if b.type == "tool_use" and b.name == tool), None)
        if call is None:
            raise ExtractionError(f"no {tool} call (stop reason {final.stop_reason})")
        try:
            return schema.model_validate(call.input)
        except ValidationError as exc:
            raise ExtractionError(f"invalid {tool} input ({exc.error_count()} errors)") from exc

    async def facts(self, text: str, current: Sequence[FactView]) -> list[NewFact]:
        known = "\n".join(f"- {f.subject}: {f.text}" for f in current[:40]) or "(none)"
        try:
            answer = await self._call(FACTS_TOOL, _FACTS_PROMPT.format(current=known), text)
        except Exception as exc:
            _fell_back("facts", exc)
            return await self.fallback.facts(text, current)
        return [
            NewFact(f.scope, f.kind, f.subject.strip().lower(), f.text.strip())
            for f in answer.facts
            if f.subject.strip() and f.text.strip()
        ]

    async def summary(self, lines: Sequence[str]) -> str:
        try:
            answer = await self._call(SUMMARY_TOOL, _SUMMARY_PROMPT, "\n".join(lines)[:12_000])
        except Exception as exc:
            _fell_back("summary", exc)
            return await self.fallback.summary(lines)
        return answer.summary.strip() or await self.fallback.summary(lines)


def _fell_back(task: str, exc: Exception) -> None:
    reason = "invalid" if isinstance(exc, ExtractionError) else "unavailable"
    metrics.MEMORY_EXTRACTION_FALLBACKS.labels(task, reason).inc()
    log.warning("%s by Claude failed (%s: %s); the rules stand in for this one",
                task, type(exc).__name__, exc)  # fmt: skip


def make_summariser(settings: Settings) -> Summariser:
    return ClaudeSummariser(settings) if settings.claude_enabled else RuleSummariser()
