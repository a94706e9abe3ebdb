"""A worker takes what waits for it together: on a loop busy with a burst's turns, one Redis
round trip per queued message started the last message seconds after the first."""

from __future__ import annotations

import asyncio
import secrets
from typing import Any

from bot.handoff import Consumer, Handoff


async def test_queued_messages_start_together_in_order_and_never_past_the_limit(
    services,
) -> None:  # type: ignore[no-untyped-def]
    handoff = Handoff(services.redis, services.settings.redis_namespace, secrets.token_hex(4))
    await handoff.open()
    round_trips = 0
    for name in ("blpop", "lpop"):
        command = getattr(handoff._redis, name)

        async def counted(*args: Any, _command: Any = command, **kwargs: Any) -> Any:
            nonlocal round_trips
            round_trips += 1
            return await _command(*args, **kwargs)

        setattr(handoff._redis, name, counted)
    items = [f"m{n}".encode() for n in range(10)]
    for item in items:
        await handoff.put("whatsapp", item)
    started: list[bytes] = []
    running = most = 0
    go_on = asyncio.Event()

    async def run(item: bytes) -> None:
        nonlocal running, most
        running += 1
        most = max(most, running)
        started.append(item)
        await go_on.wait()
        running -= 1

    def spawn(coro: Any, name: str = "") -> asyncio.Task[None]:
        return asyncio.create_task(coro, name=name)

    consumer = Consumer(handoff, "whatsapp", run, spawn, limit=4)
    try:
        for _ in range(100):
            if len(started) == 4:
                break
            await asyncio.sleep(0.02)
        assert started == items[:4]  # the limit's worth, in order
        assert round_trips == 2  # one to wait for the first, one for those behind it
        go_on.set()
        for _ in range(200):
            if len(started) == len(items):
                break
            await asyncio.sleep(0.02)
        assert started == items  # every one, once, in order
        assert most <= 4
        assert await handoff.depth("whatsapp") == 0
    finally:
        go_on.set()
        await consumer.stop()
        await handoff.close()
