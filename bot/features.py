"""The features that attach to the engine at start-up (their tools, indexes, background work).

Each entry is `async def setup(services) -> None`. Add a feature by adding its setup here.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.services import Services

Setup = Callable[["Services"], Awaitable[None]]

SETUPS: list[Setup] = []


def _talent_setup() -> Setup:
    from talent.feature import setup

    return setup


SETUPS.append(_talent_setup())


def _memory_setup() -> Setup:
    from memory.feature import setup

    return setup


SETUPS.append(_memory_setup())


def _slack_setup() -> Setup:
    # registers the closer for Slack replies a crash left half-written (bot.recovery)
    from adapters.slack.recovery import setup

    return setup


SETUPS.append(_slack_setup())
