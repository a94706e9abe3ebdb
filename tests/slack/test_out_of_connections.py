"""Mentions answered while PostgreSQL refuses new connections ("too many clients"): every
person still gets an answer, and nothing they said is lost.

The server runs as a throwaway role whose CONNECTION LIMIT is tiny (never the shared
server's settings), and the test holds all of that role's slots while the mentions arrive.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Iterator

import psycopg
import pytest
from sqlalchemy.engine import make_url

from tests.slack.stack import Stack, event_body, mention, until

ROLE_SLOTS = 3
MENTIONS = 12


def _admin(database_url: str) -> str:
    return database_url.replace("postgresql+psycopg://", "postgresql://", 1)


@pytest.fixture
def limited_url(database_url: str) -> Iterator[str]:
    """The test database as a role of its own allowed `ROLE_SLOTS` connections."""
    role = f"cm_limited_{secrets.token_hex(4)}"
    database = make_url(database_url).database
    with psycopg.connect(_admin(database_url), autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {role} LOGIN CONNECTION LIMIT {ROLE_SLOTS}")
        conn.execute(f'GRANT ALL ON DATABASE "{database}" TO {role}')
        conn.execute(f"GRANT ALL ON SCHEMA public TO {role}")
        conn.execute(f"GRANT ALL ON ALL TABLES IN SCHEMA public TO {role}")
        conn.execute(f"GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO {role}")
    yield make_url(database_url).set(username=role).render_as_string(hide_password=False)
    with psycopg.connect(_admin(database_url), autocommit=True) as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s", (role,)
        )
        conn.execute(f"DROP OWNED BY {role}")
        conn.execute(f"DROP ROLE {role}")


@pytest.fixture
def settings_env(settings_env: dict[str, str], limited_url: str) -> dict[str, str]:
    return settings_env | {"DATABASE_URL": limited_url}


async def _hold_every_slot(url: str) -> list[psycopg.AsyncConnection]:
    """Take all of the role's connections, as another load test on the server would (the
    server's own, e.g. a background job's, are ended to make room)."""
    held: list[psycopg.AsyncConnection] = []
    for _ in range(50):
        if len(held) == ROLE_SLOTS:
            return held
        try:
            held.append(await psycopg.AsyncConnection.connect(_admin(url)))
        except psycopg.OperationalError:
            ours = [conn.info.backend_pid for conn in held]
            async with await psycopg.AsyncConnection.connect(
                _admin(url).replace(f"{make_url(url).username}@", "postgres@"), autocommit=True
            ) as admin:
                await admin.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE usename = %s AND NOT pid = ANY(%s)",
                    (make_url(url).username, ours),
                )
    raise AssertionError("could not take the role's connections")


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
    held = await _hold_every_slot(limited_url)
    try:
        shown = await _mention_all(stack, "busy")
    finally:
        for conn in held:
            await conn.close()
    for question, thread in shown.items():
        assert f"You said: {question}" in thread, thread
    # What they said waited in Redis and reaches PostgreSQL once it takes connections again.
    await stack.services.memory.replay()
    async with await psycopg.AsyncConnection.connect(_admin(limited_url)) as conn:
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
    held = await _hold_every_slot(limited_url)
    try:
        shown = await _mention_all(stack, "cold")
    finally:
        for conn in held:
            await conn.close()
    for thread in shown.values():
        assert "Please send it again" in thread, thread
