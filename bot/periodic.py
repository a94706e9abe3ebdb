"""Background work repeated on an interval, stopped by an event rather than by cancellation.

On Python 3.11, `asyncio.wait_for` (which redis-py wraps around every socket write) drops a
cancellation that arrives just as the awaited write completes. A heartbeat loop stopped by
`task.cancel()` then carries on for ever, and whoever awaits it hangs: under load this kept
conversation locks alive and stranded people's next messages. An event can't be lost that way.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable

STOP_WAIT_S = 10.0  # a beat in progress gets this long to end (Redis calls time out sooner)


class Periodic:
    """Calls `beat` every `interval` seconds until `stop()`; a beat that raises stops it."""

    def __init__(self, interval: float, beat: Callable[[], Awaitable[object]], name: str) -> None:
        self._interval = interval
        self._beat = beat
        self._stopping = asyncio.Event()
        self._task = asyncio.create_task(self._run(), name=name)

    async def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                async with asyncio.timeout(self._interval):
                    await self._stopping.wait()
            except TimeoutError:
                await self._beat()

    async def stop(self) -> None:
        """Stop and wait for a beat in progress (bounded); never raises."""
        self._stopping.set()
        try:
            await asyncio.wait_for(asyncio.shield(self._task), STOP_WAIT_S)
        except asyncio.CancelledError:
            self._task.cancel()
            raise
        except Exception:  # the beat failed, or hung past the wait
            self._task.cancel()


@contextlib.asynccontextmanager
async def every(
    interval: float, beat: Callable[[], Awaitable[object]], *, name: str = "periodic"
) -> AsyncIterator[None]:
    """Run `beat` every `interval` seconds while the block runs."""
    periodic = Periodic(interval, beat, name)
    try:
        yield
    finally:
        await periodic.stop()
