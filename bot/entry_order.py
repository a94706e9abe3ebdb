"""The order one conversation's messages enter their channel's turn order in.

Tasks start in the order messages came (webhooks, or a queue's items), but each first keeps
or reads its message in Redis, an await that may return out of order, before it asks for
its chat's lock: without this, a person's second message could get the lock first.
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
    """Set for each message's task by an EntryLine: the message before it enters
    (`previous` done) before this one does (`entered`)."""

    previous: asyncio.Future[None] | None
    entered: asyncio.Future[None]


ENTRY_ORDER: contextvars.ContextVar[EntryOrder | None] = contextvars.ContextVar(
    "entry_order", default=None
)
# a message that is slow to enter (its message read during a Redis outage) holds
# the ones behind it no longer than this
ENTRY_WAIT_S = 1.0


class EntryLine:
    """Starts tasks so that those of one key (a conversation) enter in the order they were
    started: each after the one before it, ENTRY_WAIT_S at most."""

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
    first await (ask for a lock), is in start order: the next task
    wakes on a later turn of the loop."""
    order = ENTRY_ORDER.get()
    if order is None or order.entered.done():
        return
    if order.previous is not None and not order.previous.done():
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.shield(order.previous), ENTRY_WAIT_S)
    order.entered.set_result(None)
