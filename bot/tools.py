"""Tools Claude may call (talent search, shortlists, memory recall), and how they run.

A feature registers its tools in a `ToolRegistry`; the Claude responder offers them to the
model and the offline responder may call them directly. Handlers see an `InboundMessage`
and the services, never a platform payload.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bot.types import InboundMessage, TalentCard, ToolStep

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)

STEP_TITLE_MAX = 120
STEP_OUTPUT_MAX = 200
Progress = Callable[[ToolStep], Awaitable[None]]
_step_ids = itertools.count(1)


@dataclass(frozen=True)
class ToolContext:
    message: InboundMessage
    services: Services
    progress: Progress | None = None  # the reply's step display, when the channel has one


@dataclass
class ToolOutcome:
    """What a tool returns: content for Claude, and cards the channel may show."""

    content: Any
    cards: list[TalentCard] = field(default_factory=list)
    is_error: bool = False

    def as_text(self) -> str:
        if isinstance(self.content, str):
            return self.content
        return json.dumps(self.content, ensure_ascii=False, default=str)


class ToolError(Exception):
    """A tool could not do what was asked; the message is shown to Claude as the result."""


Handler = Callable[[dict[str, Any], ToolContext], Awaitable[ToolOutcome]]


@dataclass(frozen=True)
class Tool:
    name: str
    description: str
    input_schema: dict[str, Any]
    handler: Handler
    step: Callable[[dict[str, Any]], str] | None = None  # what a person reads while it runs

    def step_title(self, arguments: dict[str, Any]) -> str:
        """The line shown while this tool runs, e.g. "Searching the catalogue…"."""
        if self.step is not None:
            with contextlib.suppress(Exception):
                return self.step(arguments)[:STEP_TITLE_MAX]
        return (self.name.replace("_", " ").capitalize() + "…")[:STEP_TITLE_MAX]

    def spec(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "description": self.description,
            "input_schema": self.input_schema,
        }


class ToolRegistry:
    def __init__(self) -> None:
        self._tools: dict[str, Tool] = {}

    def add(self, tool: Tool) -> None:
        self._tools[tool.name] = tool

    def get(self, name: str) -> Tool | None:
        return self._tools.get(name)

    def __contains__(self, name: str) -> bool:
        return name in self._tools

    def specs(self) -> list[dict[str, Any]]:
        """Tool definitions for the Messages API, the last one marked for prompt caching."""
        specs = [tool.spec() for tool in self._tools.values()]
        if specs:
            specs[-1] = {**specs[-1], "cache_control": {"type": "ephemeral"}}
        return specs

    async def run(self, name: str, arguments: dict[str, Any], ctx: ToolContext) -> ToolOutcome:
        """Run one tool; any failure becomes an error result Claude can read, never a crash."""
        tool = self._tools.get(name)
        if tool is None:
            return ToolOutcome(f"unknown tool {name!r}", is_error=True)
        step = ToolStep(f"{name}-{next(_step_ids)}", tool.step_title(arguments))
        await _report(ctx, step)
        try:
            outcome = await tool.handler(arguments, ctx)
        except ToolError as exc:
            outcome = ToolOutcome(str(exc), is_error=True)
        except Exception:
            log.exception("tool %s failed", name)
            outcome = ToolOutcome(f"the {name} tool failed unexpectedly", is_error=True)
        status = "error" if outcome.is_error else "complete"
        await _report(ctx, ToolStep(step.id, step.title, status, _summary(outcome)))
        return outcome


async def _report(ctx: ToolContext, step: ToolStep) -> None:
    """Show a step on the reply; a display that fails never fails the tool."""
    if ctx.progress is None:
        return
    try:
        await ctx.progress(step)
    except Exception as exc:
        log.info("tool step not shown (%s)", type(exc).__name__)


def _summary(outcome: ToolOutcome) -> str:
    """A short result line for the step: the first line of a text result."""
    if outcome.cards:
        count = len(outcome.cards)
        return f"{count} {'person' if count == 1 else 'people'}"
    if isinstance(outcome.content, str):
        first = outcome.content.strip().splitlines()[0] if outcome.content.strip() else ""
        return first[:STEP_OUTPUT_MAX]
    return ""
