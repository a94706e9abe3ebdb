"""Context assembly: what the model is given for a turn besides the person's message."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.types import InboundMessage
from memory.episodic import EpisodicStore, Turn


@dataclass(frozen=True)
class Context:
    messages: list[dict[str, Any]]  # Messages API turns, ending with the person's message
    memory: str = ""  # labelled memory items for the system prompt
    tokens: int = 0  # an estimate of the memory's size


class ContextBuilder:
    """Recent turns of the conversation, as alternating Messages API turns."""

    def __init__(self, episodic: EpisodicStore, history_turns: int) -> None:
        self.episodic = episodic
        self.history_turns = history_turns

    async def build(self, message: InboundMessage, inbound_id: int) -> Context:
        turns = await self.episodic.recent_turns(
            message.key, self.history_turns, before_id=inbound_id
        )
        return Context(messages=as_messages(turns, message.text))


def as_messages(turns: list[Turn], current: str) -> list[dict[str, Any]]:
    """Alternating user/assistant turns that start with the person and end with `current`.

    The Messages API requires strict alternation, so neighbours of one role are merged.
    """
    messages: list[dict[str, Any]] = []
    pieces = [(turn.role, turn.text) for turn in turns] + [("user", current)]
    for role, text in pieces:
        role = "assistant" if role == "assistant" else "user"
        if not messages and role == "assistant":
            continue
        if messages and messages[-1]["role"] == role:
            messages[-1]["content"] += "\n\n" + text
        else:
            messages.append({"role": role, "content": text})
    return messages
