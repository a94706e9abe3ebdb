"""The steps every inbound message takes, from every channel, in this order:

de-duplicate → membership gate → rate limit → command router → the Claude turn.

Each step is a small function with an explicit `next` (as Bolt's middleware): it may answer
and stop, pass the message on (perhaps changed: the gate sets its workspace), or drop it.
Adapters only build the `Inbound` (the message, and how to answer on their channel) and
call the pipeline; they decide nothing else.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from bot.types import InboundMessage, ReplyStream

log = logging.getLogger(__name__)


class Outlet(Protocol):
    """How the pipeline answers on one channel."""

    def reply(self, message: InboundMessage) -> ReplyStream:
        """A reply for a turn (streamed, stored)."""
        ...

    async def notice(self, message: InboundMessage, text: str) -> None:
        """A short fixed answer outside any turn (a refusal): nothing is stored. On Slack
        only the person sees it."""
        ...


@dataclass(frozen=True)
class Inbound:
    """One message on its way through the pipeline."""

    message: InboundMessage
    outlet: Outlet

    def with_message(self, message: InboundMessage) -> Inbound:
        return replace(self, message=message)


Next = Callable[[Inbound], Awaitable[None]]
Step = Callable[[Inbound, Next], Awaitable[None]]


class Pipeline:
    def __init__(self, steps: Sequence[Step], last: Next) -> None:
        self.steps = tuple(steps)
        self.last = last

    async def __call__(self, inbound: Inbound) -> None:
        await self._at(0)(inbound)

    def _at(self, index: int) -> Next:
        if index == len(self.steps):
            return self.last
        step = self.steps[index]

        async def run(inbound: Inbound) -> None:
            await step(inbound, self._at(index + 1))

        return run
