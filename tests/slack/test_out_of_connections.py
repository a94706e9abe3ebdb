"""Mentions answered while PostgreSQL refuses new connections ("too many clients"): every
person still gets an answer, and nothing they said is lost.

The server runs as a throwaway role whose CONNECTION LIMIT is tiny (never the shared
server's settings), and the test holds all of that role's slots while the mentions arrive.
"""

from __future__ import annotations

import asyncio

import psycopg

from tests.postgres_limits import admin_url, every_slot_held, limited_url, settings_env
from tests.slack.stack import Stack, event_body, mention, until

__all__ = ["limited_url", "settings_env"]  # fixtures this module's tests use

MENTIONS = 12


async def _mention_all(stack: Stack, label: str) -> dict[str, str]:
    """`MENTIONS` mentions at once, each in its own channel: what each thread shows."""
    events = [mention(f"{label} {i}", channel=f"C{label.upper()}{i}") for i in range(MENTIONS)]
    await asyncio.gather(*(stack.post_json(event_body(e)) for e in events))

    def closed() -> bool:  # every reply's stream stopped (or its message posted)
        return all(stack.slack.thread_text(e["channel"], e["ts"]) for e in events)

    await until(closed, within=60)
    await asyncio.sleep(1.0)  # a reply still streaming would add more
    return {
        f"{label} {i}": stack.slack.thread_text(e["channel"], e["ts"]) for i, e in enumerate(events)
    }


async def test_mentions_are_answered_while_postgres_refuses_connections(
    stack: Stack, limited_url: str
) -> None:
    # A first mention loads the workspace directory; then another replica changes it
    # (a member added), so this one must reload it while PostgreSQL refuses everyone.
    assert "You said: warm 0" in (await _mention_all(stack, "warm"))["warm 0"]
    directory = stack.services.directory
    await stack.services.redis.incr(directory._version_key)  # as `changed()` elsewhere
    await stack.services.db.dispose()  # the pool's idle connections go back
    async with every_slot_held(limited_url):
        shown = await _mention_all(stack, "busy")
    for question, thread in shown.items():
        assert f"You said: {question}" in thread, thread
    # What they said waited in Redis and reaches PostgreSQL once it takes connections again.
    await stack.services.memory.replay()
    async with await psycopg.AsyncConnection.connect(admin_url(limited_url)) as conn:
        cursor = await conn.execute(
            "SELECT text FROM messages WHERE role = 'user' AND text LIKE 'busy %%'"
        )
        stored = {text for (text,) in await cursor.fetchall()}
    assert stored == set(shown)


async def test_a_mention_that_cant_be_taken_is_told_to_send_it_again(
    stack: Stack, limited_url: str
) -> None:
    # A process that has never read the workspace directory can't tell who may ask.
    await stack.services.db.dispose()
    async with every_slot_held(limited_url):
        shown = await _mention_all(stack, "cold")
    for thread in shown.values():
        assert "Please send it again" in thread, thread
