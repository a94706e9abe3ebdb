"""`castmatch serve` as a real process: Slack over HTTP, then a clean SIGTERM."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import sys
import time

import aiohttp
import pytest

from tests.doubles.claude import ClaudeDouble
from tests.doubles.slack import BOT_TOKEN, SIGNING_SECRET, SlackDouble, signed_headers
from tests.slack.stack import event_body, mention


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.slow
async def test_serve_answers_a_mention_and_stops_cleanly(
    settings_env: dict[str, str], slack: SlackDouble
) -> None:
    claude = ClaudeDouble(default_text="Asha Patil and Meera Joshi fit the brief.")
    await claude.start()
    port = _free_port()
    env = {**os.environ, **settings_env, "PORT": str(port), "ANTHROPIC_API_KEY": "sk-test",
           "ANTHROPIC_BASE_URL": claude.url, "SLACK_BOT_TOKEN": BOT_TOKEN,
           "SLACK_SIGNING_SECRET": SIGNING_SECRET, "SLACK_API_URL": slack.base_url + "/api",
           "CASTMATCH_RATE_LIMIT_PER_MINUTE": "0"}  # fmt: skip
    env.pop("SLACK_APP_TOKEN", None)
    os.makedirs(settings_env["CASTMATCH_DATA_DIR"], exist_ok=True)
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "castmatch.cli", "serve", env=env,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip
    try:
        url = f"http://127.0.0.1:{port}"
        async with aiohttp.ClientSession() as session:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                try:
                    async with session.get(url + "/healthz") as response:
                        if response.status == 200:
                            break
                except aiohttp.ClientError:
                    await asyncio.sleep(0.2)
            event = mention("who fits?")
            body = json.dumps(event_body(event))
            async with session.post(url + "/slack/events", data=body.encode(),
                                    headers=signed_headers(body)) as response:  # fmt: skip
                assert response.status == 200
            deadline = time.monotonic() + 30
            while not slack.of("chat.stopStream") and time.monotonic() < deadline:  # noqa: ASYNC110
                await asyncio.sleep(0.1)
            assert "Meera Joshi" in slack.thread_text("C0CAST", event["ts"])
        process.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(process.wait(), 30) == 0
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
        await claude.close()
