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

from bot.tools import ToolContext, ToolOutcome, ToolRegistry  # noqa: E402
from bot.types import TalentCard  # noqa: E402
from tests.doubles.slack import APP_TOKEN  # noqa: E402

# Two profiles imported into the real catalogue for the end-to-end tests. Tulu with kathak
# and gatka is a combination the sample catalogue doesn't hold, so searches find them.
PROFILES = [
    {"id": "e2e-asha-01", "name": "Asha Patil", "gender": "female", "birth_year": 1998,
     "city": "Pune", "languages": ["Marathi", "Hindi", "Tulu"], "skills": ["kathak", "gatka"],
     "agency": "Kala Talent", "headshot_url": "https://example.com/asha.jpg",
     "showreel_url": "https://example.com/asha-reel", "credits": ["Lakeer (2022)"]},
    {"id": "e2e-meera-02", "name": "Meera Joshi", "gender": "female", "birth_year": 1995,
     "city": "Pune", "languages": ["Marathi", "Tulu"], "skills": ["kathak", "gatka"]},
]  # fmt: skip
CARDS = (
    TalentCard(
        id="e2e-asha-01",
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
        id="e2e-meera-02",
        name="Meera Joshi",
        score=0.81,
        why="Marathi, Pune",
        age_range="26-32",
        city="Pune",
        languages=("Marathi",),
    ),
)


class RecordingTools(ToolRegistry):
    """The real tools (talent, memory), noting when each call starts: tests check that a
    command is acknowledged before its search runs."""

    def __init__(self, real: ToolRegistry, started: list[float]) -> None:
        super().__init__()
        self.real, self.started = real, started

    def get(self, name: str):  # type: ignore[no-untyped-def]
        return self.real.get(name)

    def __contains__(self, name: str) -> bool:
        return name in self.real

    def specs(self) -> list[dict]:
        return self.real.specs()

    async def run(self, name: str, arguments: dict, ctx: ToolContext) -> ToolOutcome:
        self.started.append(time.monotonic())
        return await self.real.run(name, arguments, ctx)


async def import_profiles(services, folder) -> None:  # type: ignore[no-untyped-def]
    import json

    from talent.importer import import_file

    path = folder / "e2e-catalogue.jsonl"
    path.write_text("".join(json.dumps(p) + "\n" for p in PROFILES))
    await import_file(services, path)


@pytest.fixture
def socket_mode() -> bool:
    return False


@pytest.fixture
async def stack(services, settings, claude, slack, socket_mode, tmp_path) -> AsyncIterator[object]:  # type: ignore[no-untyped-def]
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
    tool_log: list[float] = []
    await import_profiles(services, tmp_path)
    running = dataclasses.replace(
        services, settings=configured, tools=RecordingTools(services.tools, tool_log)
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
        yield Stack(f"http://127.0.0.1:{port}", slack, claude, running, session, tool_log)
    if handler is not None:
        await handler.close_async()
    if running.background:
        await asyncio.wait(running.background, timeout=10)
    await runner.cleanup()
    await responder.close()
