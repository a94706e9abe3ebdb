"""Slack test fixtures: the Web API double, a real AsyncWebClient on it, request signing."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from tests.doubles.slack import BOT_TOKEN, SIGNING_SECRET, SlackDouble, signed_headers

__all__ = ["SIGNING_SECRET", "signed_headers"]


@pytest.fixture
async def web_client(slack: SlackDouble) -> AsyncIterator[AsyncWebClient]:
    yield AsyncWebClient(token=BOT_TOKEN, base_url=slack.base_url + "/api/")


# -- the whole server, for end-to-end tests ----------------------------------------------

import dataclasses  # noqa: E402

import aiohttp  # noqa: E402
from aiohttp import web  # noqa: E402

from bot.tools import Tool, ToolContext, ToolOutcome, ToolRegistry  # noqa: E402
from bot.types import TalentCard  # noqa: E402
from tests.doubles.slack import APP_TOKEN  # noqa: E402

CARDS = (
    TalentCard(
        id="t-asha",
        name="Asha Patil",
        score=0.92,
        why="Marathi, kathak, Pune",
        age_range="24-30",
        city="Pune",
        languages=("Marathi", "Hindi"),
        skills=("kathak",),
        headshot_url="https://example.com/asha.jpg",
    ),
    TalentCard(
        id="t-meera",
        name="Meera Joshi",
        score=0.81,
        why="Marathi, Pune",
        age_range="26-32",
        city="Pune",
        languages=("Marathi",),
    ),
)


def fake_tools(stack_log: list[float], shortlist: list[str]) -> ToolRegistry:
    """search_talent and shortlist tools standing in for the talent feature."""
    tools = ToolRegistry()

    async def search(args: dict, ctx: ToolContext) -> ToolOutcome:
        stack_log.append(time.monotonic())
        return ToolOutcome([c.name for c in CARDS], cards=list(CARDS))

    async def add(args: dict, ctx: ToolContext) -> ToolOutcome:
        # the talent feature's shortlist_add: {"talent": [ids], "role"?} on the current role
        ids = [str(i) for i in args["talent"]]
        shortlist.extend(ids)
        return ToolOutcome({"role": "Lead", "added": ids, "already_on_list": []})

    async def show(args: dict, ctx: ToolContext) -> ToolOutcome:
        entries = [
            {"position": n, "talent_id": c.id, "name": c.name, "status": "shortlisted",
             "age_range": c.age_range, "city": c.city}
            for n, c in enumerate((c for c in CARDS if c.id in shortlist), 1)
        ]  # fmt: skip
        return ToolOutcome({"role": "Lead", "brief": "", "entries": entries})

    schema = {"type": "object", "properties": {}}
    tools.add(Tool("search_talent", "search", schema, search))
    tools.add(Tool("shortlist_add", "add", schema, add))
    tools.add(Tool("shortlist_show", "show", schema, show))
    return tools


@pytest.fixture
def socket_mode() -> bool:
    return False


@pytest.fixture
async def stack(services, settings, claude, slack, socket_mode) -> AsyncIterator[object]:  # type: ignore[no-untyped-def]
    from bot.engine import Engine
    from bot.llm.claude import ClaudeResponder
    from bot.server import build_app
    from castmatch.app import CHANNELS
    from tests.slack.stack import Stack

    configured = settings.model_copy(
        update={
            "anthropic_api_key": "sk-test",
            "anthropic_base_url": claude.url,
            "claude_idle_timeout_s": 5.0,
            "slack_bot_token": BOT_TOKEN,
            "slack_signing_secret": SIGNING_SECRET,
            "slack_api_url": slack.base_url + "/api",
            "slack_app_token": APP_TOKEN if socket_mode else "",
            "rate_limit_per_minute": 0,
        }
    )
    search_log: list[float] = []
    shortlist: list[str] = []
    running = dataclasses.replace(
        services, settings=configured, tools=fake_tools(search_log, shortlist)
    )
    responder = ClaudeResponder(configured)
    engine = Engine(running, responder)
    app = build_app(running, engine, CHANNELS)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    handler = None
    if socket_mode:
        from adapters.slack.plugin import SlackPlugin

        handler = await SlackPlugin().start(app, running, engine)  # as castmatch serve does
    async with aiohttp.ClientSession() as session:
        built = Stack(f"http://127.0.0.1:{port}", slack, claude, running, session, search_log)
        built.shortlist = shortlist  # type: ignore[attr-defined]
        yield built
    if handler is not None:
        await handler.close_async()
    if running.background:
        await asyncio.wait(running.background, timeout=10)
    await runner.cleanup()
    await responder.close()
