"""A person's quick messages enter the pipeline in the order they came, though each first
reads or keeps its message in Redis (an await that may return out of order)."""

from __future__ import annotations

import asyncio

from bot.entry_order import EntryLine, enter_in_order


async def _run(delays: dict[str, float], keys: dict[str, str]) -> list[str]:
    line, entered = EntryLine(), []
    spawned: list[asyncio.Task[None]] = []

    async def message(name: str) -> None:
        await asyncio.sleep(delays[name])  # its Redis read
        await enter_in_order()
        entered.append(name)

    for name in delays:
        spawned.append(line.start(asyncio.create_task, message(name), name=name, key=keys[name]))
    await asyncio.gather(*spawned)
    return entered


async def test_one_conversations_messages_enter_in_the_order_they_started() -> None:
    delays = {"first": 0.05, "second": 0.0, "third": 0.01}
    entered = await _run(delays, dict.fromkeys(delays, "whatsapp:+1:+91"))
    assert entered == ["first", "second", "third"]


async def test_other_conversations_do_not_wait_for_each_other() -> None:
    delays = {"slow": 0.05, "quick": 0.0}
    entered = await _run(delays, {"slow": "chat-a", "quick": "chat-b"})
    assert entered == ["quick", "slow"]


async def test_a_message_that_never_enters_holds_the_next_no_longer_than_its_task() -> None:
    line, entered = EntryLine(), []

    async def dropped() -> None:  # answered already: it returns before the pipeline
        await asyncio.sleep(0.01)

    async def message() -> None:
        await enter_in_order()
        entered.append("next")

    first = line.start(asyncio.create_task, dropped(), name="a", key="chat")
    second = line.start(asyncio.create_task, message(), name="b", key="chat")
    await asyncio.wait_for(asyncio.gather(first, second), 0.5)
    assert entered == ["next"]
