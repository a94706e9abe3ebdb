"""Pipeline step: start a message's query embedding the moment it is known to be new.

Semantic recall needs the message's embedding before the turn can ask Claude, and on two
cores a burst's embeddings queue behind each other in one thread. So each starts as early
as it can: right after de-duplication (a platform's retry never costs one), overlapping
the membership gate, the rate limit, the command router and the conversation lock. The
turn takes it by message id; one no turn takes (a command, a refusal) is cancelled when
the message leaves the pipeline.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import numpy as np

from bot.pipeline import Inbound, Next

Embed = Callable[[str], Awaitable[np.ndarray | None]]


@dataclass
class Embedding:
    """A message's query embedding under way."""

    text: str
    task: asyncio.Task[np.ndarray | None]
    started: float = field(default_factory=time.perf_counter)


class EarlyEmbeddings:
    def __init__(self, embed: Embed) -> None:
        self._embed = embed
        self._pending: dict[str, Embedding] = {}  # by platform message id, until taken

    async def __call__(self, inbound: Inbound, next: Next) -> None:
        message = inbound.message
        self._pending[message.message_id] = self.start(message.text)
        try:
            await next(inbound)
        finally:
            left = self._pending.pop(message.message_id, None)
            if left is not None:  # no turn took it
                left.task.cancel()

    def start(self, text: str) -> Embedding:
        return Embedding(text, asyncio.create_task(self._embed(text), name="query-embedding"))

    def take(self, message_id: str, text: str) -> Embedding:
        """The embedding started for this message, or (none, or its text was changed on
        the way, as a described attachment) one started now."""
        early = self._pending.pop(message_id, None)
        if early is not None and early.text == text:
            return early
        if early is not None:
            early.task.cancel()
        return self.start(text)
