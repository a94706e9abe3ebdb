"""The real server (bot.server.build_app) with Slack enabled, against the Slack and Claude
doubles, on real PostgreSQL and Redis; plus Slack payload builders."""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import aiohttp

from tests.doubles.claude import ClaudeDouble
from tests.doubles.slack import BOT_USER, TEAM, SlackDouble, signed_headers

_ts = itertools.count(1)


def new_ts() -> str:
    return f"{int(time.time())}.{next(_ts):06d}"


def event_body(event: dict[str, Any], *, event_id: str = "") -> dict[str, Any]:
    return {
        "token": "legacy",
        "team_id": TEAM,
        "api_app_id": "A0CAST",
        "type": "event_callback",
        "event_id": event_id or f"Ev{next(_ts):08d}",
        "event_time": int(time.time()),
        "authorizations": [{"team_id": TEAM, "user_id": BOT_USER, "is_bot": True}],
        "event": event,
    }


def mention(
    text: str,
    *,
    channel: str = "C0CAST",
    user: str = "U0DIRECTOR",
    ts: str = "",
    thread_ts: str = "",
) -> dict[str, Any]:
    event = {
        "type": "app_mention",
        "user": user,
        "text": f"<@{BOT_USER}> {text}",
        "ts": ts or new_ts(),
        "channel": channel,
        "team": TEAM,
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
    event["event_ts"] = event["ts"]
    return event


@dataclass
class Stack:
    url: str
    slack: SlackDouble
    claude: ClaudeDouble
    services: Any
    session: aiohttp.ClientSession
    tools_started: list[float] = field(default_factory=list)  # when each tool call began

    async def post_json(
        self, body: dict[str, Any], *, headers: dict[str, str] | None = None, raw: str | None = None
    ) -> tuple[int, str, float]:
        text = raw if raw is not None else json.dumps(body)
        sent = time.monotonic()
        async with self.session.post(
            self.url + "/slack/events",
            data=text.encode(),
            headers=signed_headers(text) if headers is None else headers,
        ) as response:
            return response.status, await response.text(), time.monotonic() - sent

    async def post_form(self, form: dict[str, str]) -> tuple[int, str, float]:
        text = urlencode(form)
        sent = time.monotonic()
        async with self.session.post(
            self.url + "/slack/events", data=text.encode(), headers=signed_headers(text, json=False)
        ) as response:
            return response.status, await response.text(), time.monotonic() - sent


async def until(check: Callable[[], Any], within: float = 15.0) -> Any:
    """Poll until `check()` is truthy (the doubles record asynchronously)."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        await asyncio.sleep(0.05)
    raise AssertionError("condition not met in time")
