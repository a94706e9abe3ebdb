"""Shared fixtures: real PostgreSQL and Redis, isolated per test session.

`TEST_DATABASE_URL` / `TEST_REDIS_URL` name real servers; without them the embedded servers
start once per session under a temporary folder. Each session gets its own fresh database
and its own Redis namespace, so parallel runs never see each other's data.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import psycopg
import pytest

from bot.embedded import EmbeddedServers, database_url_for
from bot.settings import Settings, load_settings
from tests.doubles.claude import ClaudeDouble
from tests.doubles.slack import SlackDouble
from tests.doubles.twilio import TwilioDouble
from tests.whatsapp.fixtures import ACCOUNT, TOKEN


@pytest.fixture(scope="session")
def server_urls() -> Iterator[tuple[str, str]]:
    """(database server URL, Redis URL) for this session's tests."""
    db_url = os.environ.get("TEST_DATABASE_URL", "")
    redis_url = os.environ.get("TEST_REDIS_URL", "")
    embedded: EmbeddedServers | None = None
    if not db_url or not redis_url:
        folder = Path(tempfile.mkdtemp(prefix="castmatch-test-"))
        embedded = EmbeddedServers(folder, grace_s=0)  # nothing runs after the session
        urls = embedded.start()
        db_url = db_url or urls.database_url
        redis_url = redis_url or urls.redis_url
    try:
        yield db_url, redis_url
    finally:
        if embedded is not None:
            embedded.release()


def _psycopg_url(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


@contextlib.contextmanager
def _fresh_database(base: str) -> Iterator[str]:
    """A new, empty database on the test server (its URL), dropped on leaving."""
    name = f"castmatch_test_{os.getpid()}_{secrets.token_hex(3)}"
    admin = _psycopg_url(base)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = database_url_for(base, name)
    if not url.startswith("postgresql+psycopg://"):
        url = url.replace("postgresql://", "postgresql+psycopg://", 1)
    try:
        yield url
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def database_url(server_urls: tuple[str, str]) -> Iterator[str]:
    """A fresh, empty database on the test server, dropped at the end of the session."""
    with _fresh_database(server_urls[0]) as url:
        yield url


@pytest.fixture
async def own_services(settings: Settings, server_urls: tuple[str, str]) -> AsyncIterator[object]:
    """Services on a database and Redis namespace of this test alone, for a test whose
    subject reads every row (a sweep over all workspaces): the session's database holds
    whatever the tests run before it on this worker left, which varies with xdist's order."""
    from castmatch.app import open_castmatch

    with _fresh_database(server_urls[0]) as url:
        namespace = f"{settings.redis_namespace}x{secrets.token_hex(3)}"
        alone = settings.model_copy(update={"database_url": url, "redis_namespace": namespace})
        async with open_castmatch(alone) as running:
            yield running


@pytest.fixture(scope="session")
def redis_url(server_urls: tuple[str, str]) -> str:
    return server_urls[1]


@pytest.fixture(scope="session")
def redis_namespace() -> str:
    return f"cmtest{os.getpid()}{secrets.token_hex(3)}"


@pytest.fixture
def settings_env(
    database_url: str, redis_url: str, redis_namespace: str, tmp_path: Path
) -> dict[str, str]:
    """Environment for a castmatch process or Settings pointed at the test servers."""
    return {
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "CASTMATCH_REDIS_NAMESPACE": redis_namespace,
        "CASTMATCH_DATA_DIR": str(tmp_path / "data"),
        "CASTMATCH_SAMPLE_CATALOGUE": "0",
        "ANTHROPIC_API_KEY": "",
    }


@pytest.fixture
def settings(settings_env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Settings:
    for variable in (
        "SLACK_BOT_TOKEN",
        "SLACK_APP_TOKEN",
        "TWILIO_ACCOUNT_SID",
        "ANTHROPIC_BASE_URL",
    ):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.chdir(settings_env["CASTMATCH_DATA_DIR"].rsplit("/", 1)[0])
    return load_settings(**{k: v for k, v in settings_env.items()})


@pytest.fixture
async def claude() -> AsyncIterator[ClaudeDouble]:
    """Claude's Messages API, doubled: the real SDK talks to it over HTTP."""
    double = ClaudeDouble()
    await double.start()
    yield double
    await double.close()


@pytest.fixture
async def slack() -> AsyncIterator[SlackDouble]:
    """Slack's Web API (and Socket Mode), doubled."""
    double = SlackDouble()
    await double.start()
    yield double
    await double.close()


@pytest.fixture
async def twilio() -> AsyncIterator[TwilioDouble]:
    """Twilio's REST API, doubled."""
    double = TwilioDouble(account_sid=ACCOUNT, auth_token=TOKEN)
    await double.start()
    yield double
    await double.close()


@pytest.fixture
async def services(settings: Settings) -> AsyncIterator[object]:
    from castmatch.app import open_castmatch

    async with open_castmatch(settings) as running:
        yield running
