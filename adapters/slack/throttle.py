"""Write budgets that keep replies inside Slack's rate limits.

Slack limits each Web API method per workspace (chat.update is Tier 3, ~50 a minute; the
stream appends Tier 4, ~100 a minute) and answers 429 with `Retry-After` when exceeded.
A `Budget` is a token bucket per (workspace, method family) shared by every reply in this
process: with many replies at once each one simply edits less often, since replies
coalesce whatever text arrived while they waited. A 429 pauses the whole family.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from dataclasses import dataclass, field

# Per-minute budgets, a little under Slack's published tiers to leave room for other calls.
EDIT_PER_MINUTE = 45.0  # chat.update, Tier 3
APPEND_PER_MINUTE = 90.0  # chat.appendStream, Tier 4
POST_PER_MINUTE = 60.0  # chat.postMessage / start / stop: ~1 a second per channel
MESSAGE_INTERVAL_S = 1.0  # at most about one visible write per second per message


@dataclass
class Budget:
    """A token bucket; `urgent` acquisitions may borrow ahead (see `wait_time`)."""

    per_minute: float
    burst: float = 8.0
    tokens: float = field(init=False)
    updated: float = field(default_factory=time.monotonic)
    paused_until: float = 0.0

    def __post_init__(self) -> None:
        self.tokens = self.burst

    def _refill(self, now: float) -> None:
        rate = self.per_minute / 60.0
        self.tokens = min(self.burst, self.tokens + (now - self.updated) * rate)
        self.updated = now

    def wait_time(self, *, urgent: bool = False) -> float:
        """Seconds until a write may go; 0 means now (without taking a token).

        Urgent writes (a reply's first text and its last write) only wait out a 429 pause:
        they run the bucket into debt, which the ordinary in-between edits then repay by
        waiting (and coalescing more text per edit)."""
        now = time.monotonic()
        if now < self.paused_until:
            return self.paused_until - now
        self._refill(now)
        if urgent or self.tokens >= 1.0:
            return 0.0
        return (1.0 - self.tokens) / (self.per_minute / 60.0)

    def take(self) -> None:
        self._refill(time.monotonic())
        self.tokens = max(self.tokens - 1.0, -2 * self.burst)  # bounded debt

    async def acquire(self, *, urgent: bool = False, hurry: asyncio.Event | None = None) -> None:
        """Wait for a token. `hurry` set while waiting (the reply ended) makes the write
        urgent from then on: the whole reply shows at once instead of after the queue."""
        while (delay := self.wait_time(urgent=urgent or _set(hurry))) > 0:
            # jitter so many waiting replies don't all wake on the same tick
            delay += random.uniform(0, 0.05)
            if hurry is None or hurry.is_set():
                await asyncio.sleep(delay)  # only a 429 pause holds an urgent write
            else:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(hurry.wait(), delay)
        self.take()

    def pause(self, seconds: float) -> None:
        """Slack said 429: nobody in this family writes until `Retry-After` has passed."""
        self.paused_until = max(self.paused_until, time.monotonic() + max(seconds, 0.0))


def _set(event: asyncio.Event | None) -> bool:
    return event is not None and event.is_set()


class Budgets:
    """The budgets of one process, by workspace and method family."""

    def __init__(
        self,
        *,
        edit_per_minute: float = EDIT_PER_MINUTE,
        append_per_minute: float = APPEND_PER_MINUTE,
        post_per_minute: float = POST_PER_MINUTE,
    ) -> None:
        self._rates = {
            "edit": edit_per_minute,
            "append": append_per_minute,
            "post": post_per_minute,
        }
        self._budgets: dict[tuple[str, str, str], Budget] = {}

    def get(self, workspace: str, family: str, channel: str = "") -> Budget:
        # Posting is limited per channel, edits and appends per workspace.
        key = (workspace, family, channel if family == "post" else "")
        budget = self._budgets.get(key)
        if budget is None:
            budget = self._budgets[key] = Budget(self._rates[family])
        return budget


FAMILY = {
    "chat.update": "edit",
    "chat.appendStream": "append",
    "chat.postMessage": "post",
    "chat.startStream": "post",
    "chat.stopStream": "post",
}
