"""A turn's first text ahead of answered turns' background work.

On two cores a burst's turns share the event loop with the memory indexing of the turns
that have already answered (reading the rows back, extracting facts, indexing vectors):
about a third of a turn's event-loop CPU (cProfile of console turns). Indexing can wait a
moment; a person waiting for the first words of an answer should not. So background
work waits while any turn has yet to show its first text, at most `MAX_WAIT_S` (under
steady load it must still run, only a little later).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Iterator

# The longest background work yields before it runs anyway: about a turn's own time to its
# first text. Longer only moves a burst's indexing onto the next burst (Slack's ten-at-once
# after 400 turns: first text p95 1,116-1,357 -> 996-2,192 ms with 5 s, load 7-11).
MAX_WAIT_S = 1.0


class FirstTextFirst:
    """Counts turns still before their first text; background work waits for none."""

    def __init__(self, max_wait_s: float = MAX_WAIT_S) -> None:
        self.max_wait_s = max_wait_s
        self.before_first_text = 0
        self._waiters: set[asyncio.Future[None]] = set()  # of this process's loop, when used

    @contextlib.contextmanager
    def answering(self) -> Iterator[Callable[[], None]]:
        """Held by a turn from when it starts working until it ends; call what it yields
        when its first text is out (the turn no longer holds background work back)."""
        self._enter()
        left = False

        def shown() -> None:
            nonlocal left
            if not left:
                left = True
                self._leave()

        try:
            yield shown
        finally:
            shown()

    async def yield_to_turns(self) -> None:
        """Wait while some turn has yet to show its first text (at most `max_wait_s`)."""
        if not self.before_first_text:
            return
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.add(waiter)
        try:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(waiter, self.max_wait_s)
        finally:
            self._waiters.discard(waiter)

    def _enter(self) -> None:
        self.before_first_text += 1

    def _leave(self) -> None:
        self.before_first_text -= 1
        if self.before_first_text == 0:
            for waiter in self._waiters:
                if not waiter.done():
                    waiter.set_result(None)
