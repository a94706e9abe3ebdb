"""`castmatch talent search` from a shell, as a user types it again and again: a real process
on the embedded default, answering from the sample catalogue; the embedded servers stay up
for the grace period so the next command joins them, then stop once nobody uses them."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path

import psutil
import pytest

from bot.embedded import EmbeddedServers
from tests.e2e.test_chat import castmatch

# What a search never needs: the bots' server, channels, jobs, pages, Claude and migrations.
BOTS_ONLY = ("aiohttp", "alembic", "anthropic", "slack_sdk", "twilio", "procrastinate", "jinja2")


def embedded_env(folder: Path, grace_s: float) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    return {**env, "CASTMATCH_DATA_DIR": str(folder), "CASTMATCH_EMBEDDED_GRACE_S": str(grace_s)}


def postgres_pid(folder: Path) -> int:
    """The embedded PostgreSQL serving `folder` (0 when none runs)."""
    try:
        pid = int((folder / "postgres" / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 0
    return pid if psutil.pid_exists(pid) else 0


@pytest.mark.slow
async def test_consecutive_searches_share_the_embedded_servers_until_idle(tmp_path: Path):
    folder = tmp_path / "data"
    env = embedded_env(folder, grace_s=45)  # the next command's start fits, on a busy machine
    try:
        code, out, err = await castmatch(env, "talent", "search", "kathak dancer in Pune", "--json")
        assert code == 0, err
        assert json.loads(out), "the sample catalogue answers the first search"
        first = postgres_pid(folder)
        assert first, "the servers wait for the next command after the last one left"

        code, out, err = await castmatch(env, "talent", "search", "Marathi actress", "--limit", "2")
        assert code == 0, err
        assert len([line for line in out.splitlines() if line[:3].strip().endswith(".")]) == 2
        assert postgres_pid(folder) == first, "the second search joined the running servers"

        async with asyncio.timeout(240):  # the grace period and a stop, on a busy machine
            while postgres_pid(folder):  # noqa: ASYNC110 (another process's state, polled)
                await asyncio.sleep(0.5)
    finally:
        EmbeddedServers(folder).stop_if_unused()


async def test_a_search_loads_none_of_the_bots_modules(settings_env: dict[str, str]) -> None:
    """Once the schema is current (the first start applies migrations, with alembic)."""
    code, _, err = await castmatch(settings_env, "talent", "search", "anyone")
    assert code == 0, err
    code = (
        "import sys\n"
        "from castmatch.cli import main\n"
        "status = main(['talent', 'search', 'kathak dancer in Pune', '--json'])\n"
        f"print(sorted(m for m in {BOTS_ONLY!r} if m in sys.modules), file=sys.stderr)\n"
        "sys.exit(status)\n"
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", code, env={**os.environ, **settings_env},
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    async with asyncio.timeout(120):
        out, err = await process.communicate()
    assert process.returncode == 0, err.decode()
    assert isinstance(json.loads(out), list)  # answered (other files may have imported talent)
    assert err.decode().strip().splitlines()[-1] == "[]"
