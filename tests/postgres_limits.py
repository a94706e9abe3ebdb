"""A throwaway PostgreSQL role with a tiny CONNECTION LIMIT on the test database (never the
shared server's settings), and a way to hold all of its slots: PostgreSQL refusing new
connections ("too many clients") as another load on the server would make it."""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import AsyncIterator, Iterator

import psycopg
import pytest
from sqlalchemy.engine import make_url

ROLE_SLOTS = 3


def admin_url(database_url: str) -> str:
    return database_url.replace("postgresql+psycopg://", "postgresql://", 1)


@pytest.fixture
def limited_url(database_url: str) -> Iterator[str]:
    """The test database as a role of its own allowed `ROLE_SLOTS` connections."""
    role = f"cm_limited_{secrets.token_hex(4)}"
    database = make_url(database_url).database
    with psycopg.connect(admin_url(database_url), autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {role} LOGIN CONNECTION LIMIT {ROLE_SLOTS}")
        conn.execute(f'GRANT ALL ON DATABASE "{database}" TO {role}')
        conn.execute(f"GRANT ALL ON SCHEMA public TO {role}")
        conn.execute(f"GRANT ALL ON ALL TABLES IN SCHEMA public TO {role}")
        conn.execute(f"GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO {role}")
    yield make_url(database_url).set(username=role).render_as_string(hide_password=False)
    with psycopg.connect(admin_url(database_url), autocommit=True) as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s", (role,)
        )
        conn.execute(f"DROP OWNED BY {role}")
        conn.execute(f"DROP ROLE {role}")


@pytest.fixture
def settings_env(settings_env: dict[str, str], limited_url: str) -> dict[str, str]:
    return settings_env | {"DATABASE_URL": limited_url}


async def hold_every_slot(url: str) -> list[psycopg.AsyncConnection]:
    """Take all of the role's connections, as another load test on the server would (the
    server's own, e.g. a background job's, are ended to make room)."""
    held: list[psycopg.AsyncConnection] = []
    for _ in range(50):
        if len(held) == ROLE_SLOTS:
            return held
        try:
            held.append(await psycopg.AsyncConnection.connect(admin_url(url)))
        except psycopg.OperationalError:
            ours = [conn.info.backend_pid for conn in held]
            async with await psycopg.AsyncConnection.connect(
                admin_url(url).replace(f"{make_url(url).username}@", "postgres@"), autocommit=True
            ) as admin:
                await admin.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE usename = %s AND NOT pid = ANY(%s)",
                    (make_url(url).username, ours),
                )
    raise AssertionError("could not take the role's connections")


@contextlib.asynccontextmanager
async def every_slot_held(url: str) -> AsyncIterator[None]:
    """PostgreSQL refuses the role new connections inside the block."""
    held = await hold_every_slot(url)
    try:
        yield
    finally:
        for conn in held:
            await conn.close()
