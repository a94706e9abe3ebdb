"""Real `castmatch serve` processes for the ops tests, beside the platform doubles.

Each process runs `python -m castmatch.cli serve` with its own port and data folder, pointed at
the doubles of Claude, Slack and Twilio started in the test's event loop. Requests are
signed the way Slack and Twilio sign them.
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import signal
import socket
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import aiohttp
import psycopg
import redis

from tests.doubles.claude import ClaudeDouble
from tests.doubles.slack import APP_TOKEN, BOT_TOKEN, SIGNING_SECRET, SlackDouble, signed_headers
from tests.doubles.twilio import TwilioDouble
from tests.whatsapp.fixtures import ACCOUNT, BUSINESS, TOKEN, inbound, signature

ROOT = Path(__file__).resolve().parents[2]
__all__ = ["APP_TOKEN", "inbound"]


def new_slack_user() -> str:
    """A Slack user id of this test alone (the session's database is shared by all tests)."""
    return "U" + secrets.token_hex(5).upper()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def channel_env(
    base: dict[str, str],
    claude: ClaudeDouble,
    slack: SlackDouble | None = None,
    twilio: TwilioDouble | None = None,
    **extra: str,
) -> dict[str, str]:
    """Environment for a serve process on the doubles (short timeouts: tests take seconds)."""
    env = {
        **base,
        "ANTHROPIC_API_KEY": "sk-test",
        "ANTHROPIC_BASE_URL": claude.url,
        "CASTMATCH_CLAUDE_IDLE_TIMEOUT_S": "3",
        "CASTMATCH_CLAUDE_MAX_RETRIES": "1",
        "CASTMATCH_RATE_LIMIT_PER_MINUTE": "0",
        "CASTMATCH_LOG_FORMAT": "json",
        "CASTMATCH_SHUTDOWN_GRACE_S": "10",
    }
    if slack is not None:
        env |= {
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": slack.base_url + "/api/",
        }
    if twilio is not None:
        env |= {
            "TWILIO_ACCOUNT_SID": ACCOUNT,
            "TWILIO_AUTH_TOKEN": TOKEN,
            "TWILIO_WHATSAPP_NUMBER": BUSINESS,
            "TWILIO_API_URL": twilio.url,
        }
    return env | extra


class Serve:
    """One `castmatch serve` process."""

    def __init__(self, env: dict[str, str], name: str = "serve") -> None:
        self.port = free_port()
        data = Path(env["CASTMATCH_DATA_DIR"]) / name
        data.mkdir(parents=True, exist_ok=True)
        self.env = {**os.environ, **env, "PORT": str(self.port), "CASTMATCH_DATA_DIR": str(data)}
        for unset in ("SLACK_APP_TOKEN",):
            self.env.pop(unset, None)
        self.log_path = data / "serve.log"
        self.url = f"http://127.0.0.1:{self.port}"
        _SERVED[self.url] = self.env
        self.process: asyncio.subprocess.Process | None = None
        self.cwd = data

    async def start(self, within: float = 60.0) -> Serve:
        log = await asyncio.to_thread(open, self.log_path, "ab")  # the child writes to it
        self.process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "castmatch.cli", "serve",
            env=self.env, cwd=self.cwd, stdout=log, stderr=log,
        )  # fmt: skip
        log.close()
        deadline = time.monotonic() + within
        async with aiohttp.ClientSession() as session:
            while time.monotonic() < deadline:
                if self.process.returncode is not None:
                    raise AssertionError(f"serve exited early:\n{self.log()}")
                try:
                    async with session.get(self.url + "/healthz") as response:
                        if response.status == 200:
                            return self
                except aiohttp.ClientError:
                    pass
                await asyncio.sleep(0.1)
        raise AssertionError(f"serve did not come up in {within}s:\n{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-6000:]

    def log_records(self) -> list[dict[str, Any]]:
        records = []
        for line in self.log_path.read_text(errors="replace").splitlines():
            if line.startswith("{"):
                try:
                    records.append(json.loads(line))
                except ValueError:
                    continue
        return records

    def signal(self, signum: int) -> None:
        assert self.process is not None
        self.process.send_signal(signum)

    async def wait(self, within: float = 30.0) -> int:
        assert self.process is not None
        return await asyncio.wait_for(self.process.wait(), within)

    async def stop(self) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.process.wait(), 20)
            except TimeoutError:
                self.process.kill()
                await self.process.wait()


async def post_slack(
    session: aiohttp.ClientSession, url: str, body: dict[str, Any]
) -> tuple[int, str]:
    text = json.dumps(body)
    async with session.post(
        url + "/slack/events", data=text.encode(), headers=signed_headers(text)
    ) as response:
        return response.status, await response.text()


_SERVED: dict[str, dict[str, str]] = {}  # a serve process's URL -> its environment
_ALLOWED: set[tuple[str, str]] = set()  # (serve URL, sender) already made members


def allow_sender(env: dict[str, str], sender: str) -> None:
    """Make a WhatsApp sender a member of the business number's workspace, as
    `castmatch members add` does (the row, then the version every replica checks)."""
    with psycopg.connect(_psycopg_url(env["DATABASE_URL"])) as conn:
        conn.execute(
            "INSERT INTO workspaces (name) VALUES (%s) ON CONFLICT DO NOTHING", (BUSINESS,)
        )
        conn.execute(
            "INSERT INTO workspace_members (workspace, member) VALUES (%s, %s) "
            "ON CONFLICT DO NOTHING",
            (BUSINESS, sender),
        )
    client = redis.Redis.from_url(env["REDIS_URL"])
    try:
        client.incr(f"{env['CASTMATCH_REDIS_NAMESPACE']}:workspaces:version")
    except redis.ConnectionError:
        pass  # a test stopped Redis: the servers re-read the members from PostgreSQL
    finally:
        client.close()


async def post_whatsapp(
    session: aiohttp.ClientSession, url: str, form: dict[str, str], path: str = "/whatsapp/inbound"
) -> tuple[int, str]:
    """POST a webhook to a serve process; an inbound message's sender is a member."""
    sender = form.get("From", "")
    inbound = path == "/whatsapp/inbound" and sender.startswith("whatsapp:+")
    if inbound and url in _SERVED and (url, sender) not in _ALLOWED:
        await asyncio.to_thread(allow_sender, _SERVED[url], sender)
        _ALLOWED.add((url, sender))
    # Twilio signs the public URL it calls; each replica is its own "public" URL here.
    headers = {"X-Twilio-Signature": signature(url + path, form)}
    async with session.post(url + path, data=form, headers=headers) as response:
        return response.status, await response.text()


async def until(check: Callable[[], Any], within: float = 20.0, what: str = "") -> Any:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        await asyncio.sleep(0.05)
    raise AssertionError(f"condition not met in {within}s: {what}")


def _psycopg_url(database_url: str) -> str:
    return database_url.replace("postgresql+psycopg://", "postgresql://", 1)


def db_rows(database_url: str, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    with psycopg.connect(_psycopg_url(database_url)) as conn:
        return conn.execute(sql, params).fetchall()
