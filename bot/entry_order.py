"""The order a queue's items enter the pipeline in.

A consumer starts its items' tasks in queue order, but each reads its message (an await)
before it reaches the pipeline, where it takes its place in its conversation's line
(`bot.locks`): without this, a person's second message could take its place first.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class EntryOrder:
    """Set by a queue's consumer for each item's task: the item before it enters the
    pipeline (`previous` done) before this one does (`entered`)."""

    previous: asyncio.Future[None] | None
    entered: asyncio.Future[None]


ENTRY_ORDER: contextvars.ContextVar[EntryOrder | None] = contextvars.ContextVar(
    "entry_order", default=None
)
# an item that is slow to reach the pipeline (its message read during a Redis outage) holds
# the ones behind it no longer than this
ENTRY_WAIT_S = 1.0


class EntryLine:
    """Starts tasks so that those of one key (a conversation) enter the pipeline in the
    order they were started: each after the one before it, ENTRY_WAIT_S at most."""

    def __init__(self) -> None:
        self._last: dict[str, asyncio.Future[None]] = {}  # a key's last task's entry

    def start(
        self,
        spawn: Callable[..., asyncio.Task[None]],
        work: Coroutine[Any, Any, None],
        *,
        name: str,
        key: str,
    ) -> asyncio.Task[None]:
        if not key:
            return spawn(work, name=name)
        entered: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        previous = self._last.get(key)
        self._last[key] = entered
        entered.add_done_callback(lambda f: self._last.get(key) is f and self._last.pop(key))
        token = ENTRY_ORDER.set(EntryOrder(previous, entered))
        try:
            task = spawn(work, name=name)  # the task copies the context as it is now
        finally:
            ENTRY_ORDER.reset(token)
        task.add_done_callback(lambda _: entered.done() or entered.set_result(None))
        return task


async def enter_in_order() -> None:
    """In a task an EntryLine started: wait until the task started before it has entered
    (ENTRY_WAIT_S at most), then mark this one entered. What the caller does next, up to its
    first await (take a place in a line, ask for a lock), is in start order: the next task
    wakes on a later turn of the loop."""
    order = ENTRY_ORDER.get()
    if order is None or order.entered.done():
        return
    if order.previous is not None and not order.previous.done():
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.shield(order.previous), ENTRY_WAIT_S)
    order.entered.set_result(None)
