"""What the engine asks of a responder (Claude, or the offline one) and what it gets back."""

from __future__ import annotations

import re
from collections import Counter
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
    cards: list[TalentCard] = field(default_factory=list)  # the last tool result's cards
    seen_cards: list[TalentCard] = field(default_factory=list)  # every tool result's, once
    tool_calls: int = 0

    def keep_cards(self, cards: list[TalentCard]) -> None:
        """A tool result's cards: the latest ones, and among all the turn has seen."""
        self.cards = list(cards)
        known = {card.id for card in self.seen_cards}
        self.seen_cards += [card for card in cards if card.id not in known]

    def cards_to_show(self) -> list[TalentCard]:
        """The cards that agree with the answer: every card of the turn that its text
        names, in the order it names them; the last results when it names nobody."""
        return named_in(self.seen_cards, self.text) or self.cards


def named_in(cards: list[TalentCard], text: str) -> list[TalentCard]:
    """The cards whose person the text names (full name, or a first name only one of
    them has), ordered by where the text first names them."""
    firsts = Counter(card.name.split()[0] for card in cards if card.name.split())
    found: list[tuple[int, TalentCard]] = []
    for card in cards:
        words = card.name.split()
        if not words:
            continue
        names = [card.name]
        if firsts[words[0]] == 1 and len(words[0]) >= 3:
            names.append(words[0])
        for name in names:
            match = re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text)
            if match:
                found.append((match.start(), card))
                break
    return [card for _, card in sorted(found, key=lambda pair: pair[0])]


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
