"""Conversation locks under load: every queued turn gets its turn, and nothing lingers."""

from __future__ import annotations

import asyncio
import contextlib
import random
import uuid
from datetime import UTC, datetime

import pytest

from bot import locks
from bot.locks import ConversationLocks
from bot.periodic import every
from bot.types import ConversationKey

CONVERSATIONS = 150
TURNS_EACH = 3


@pytest.fixture
def fast_heartbeats(monkeypatch: pytest.MonkeyPatch) -> None:
    # Heartbeats every ~20 ms, so a turn's end often lands mid-Redis-command.
    monkeypatch.setattr(locks, "LOCK_TTL_S", 0.06)


async def test_every_queued_turn_runs_in_order_and_leaves_nothing_behind(
    services, fast_heartbeats: None
) -> None:
    conversation_locks = ConversationLocks(services, turn_timeout_s=30)
    workspace = f"T{uuid.uuid4().hex[:8]}"  # this test's keys only (others share the namespace)
    ran: dict[str, list[int]] = {}

    async def turn(conversation: str, number: int) -> None:
        key = ConversationKey("slack", workspace, conversation, "")
        ticket = (f"{conversation}-{number}", datetime.now(UTC).timestamp() + number)
        async with conversation_locks.hold(key, ticket):
            await asyncio.sleep(random.uniform(0.01, 0.08))
            ran.setdefault(conversation, []).append(number)

    turns = [
        asyncio.create_task(turn(f"C{c}", n))
        for c in range(CONVERSATIONS)
        for n in range(TURNS_EACH)
    ]
    # A stranded turn would wait for the 60 s lock timeout; this bound only catches a hang.
    _, pending = await asyncio.wait(turns, timeout=25)
    assert not pending, f"{len(pending)} turns never got the conversation"
    assert all(numbers == list(range(TURNS_EACH)) for numbers in ran.values())
    assert len(ran) == CONVERSATIONS
    await asyncio.sleep(0)
    lingering = [t for t in asyncio.all_tasks() if t.get_name().startswith("turn-")]
    assert not lingering, "heartbeats outlived their turns"
    pattern = services.key("turn-*", f"slack:{workspace}:*")
    leftover = [k async for k in services.redis.scan_iter(pattern)]
    assert not leftover


async def test_a_heartbeat_stops_even_when_its_beat_ignores_cancellation() -> None:
    beats = 0

    async def stubborn_beat() -> None:
        nonlocal beats
        beats += 1
        with contextlib.suppress(asyncio.CancelledError):  # as wait_for can on Python 3.11
            await asyncio.sleep(0.01)

    async with every(0.005, stubborn_beat, name="turn-stubborn"):
        await asyncio.sleep(0.1)
    await asyncio.sleep(0.05)
    assert beats >= 2
    assert not [t for t in asyncio.all_tasks() if t.get_name() == "turn-stubborn"]


async def test_while_redis_is_down_two_replicas_never_run_one_conversation_at_once(
    services,
) -> None:
    from dataclasses import replace

    from bot.services import make_redis

    dead = make_redis("redis://127.0.0.1:9/0")  # nothing listens there: every call fails
    replicas = [
        ConversationLocks(replace(services, redis=dead), turn_timeout_s=30) for _ in range(2)
    ]
    key = ConversationKey("slack", f"T{uuid.uuid4().hex[:8]}", "C1", "")
    inside, most, ran = 0, 0, 0

    async def turn(replica: ConversationLocks, number: int) -> None:
        nonlocal inside, most, ran
        async with replica.hold(key, (f"m{number}", datetime.now(UTC).timestamp())):
            inside += 1
            most = max(most, inside)
            await asyncio.sleep(0.03)
            inside -= 1
            ran += 1

    try:
        await asyncio.gather(*(turn(replicas[n % 2], n) for n in range(8)))
    finally:
        await dead.aclose()
    assert ran == 8
    assert most == 1, "two replicas ran the same conversation at once"
