"""What the engine asks of a responder (Claude, or the offline one) and what it gets back."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from bot.tools import ToolContext, ToolRegistry
from bot.types import TalentCard

TextSink = Callable[[str], Awaitable[None]]


@dataclass(frozen=True)
class LLMRequest:
    system: str  # the stable system prompt (cached)
    context: str  # memory for this turn (changes every turn, so not cached)
    messages: list[dict[str, Any]]  # Messages API turns, ending with the person's message


@dataclass
class LLMResult:
    text: str = ""
    model: str = ""
    input_tokens: int = 0
    output_tokens: int = 0
    cache_read_tokens: int = 0
    cards: list[TalentCard] = field(default_factory=list)
    tool_calls: int = 0


class LLMError(Exception):
    """The model could not answer. `kind` is a short label for metrics and logs."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


class Responder(Protocol):
    name: str

    async def respond(
        self, request: LLMRequest, on_text: TextSink, tools: ToolRegistry, ctx: ToolContext
    ) -> LLMResult: ...
