"""Background work yields to turns still before their first text, but never starves."""

from __future__ import annotations

import asyncio

from bot.priority import FirstTextFirst


async def test_background_work_waits_for_a_turns_first_text() -> None:
    priority = FirstTextFirst(max_wait_s=5.0)
    order: list[str] = []

    async def background() -> None:
        await priority.yield_to_turns()
        order.append("indexed")

    with priority.answering() as shown:
        task = asyncio.create_task(background())
        await asyncio.sleep(0.05)
        order.append("first text")
        shown()
        await asyncio.wait_for(task, 1.0)
        order.append("rest of the reply")
    assert order == ["first text", "indexed", "rest of the reply"]


async def test_background_work_runs_anyway_after_the_bound() -> None:
    priority = FirstTextFirst(max_wait_s=0.1)
    with priority.answering():  # a turn that never shows text (Claude down, say)
        await asyncio.wait_for(priority.yield_to_turns(), 1.0)
        assert priority.before_first_text == 1


async def test_a_turn_that_ends_without_text_releases_the_work() -> None:
    priority = FirstTextFirst(max_wait_s=5.0)
    with priority.answering():
        waiting = asyncio.create_task(priority.yield_to_turns())
        await asyncio.sleep(0.05)
        assert not waiting.done()
    await asyncio.wait_for(waiting, 1.0)
    assert priority.before_first_text == 0
    await asyncio.wait_for(priority.yield_to_turns(), 0.1)  # nothing to wait for
