"""The real server (bot.server.build_app) with WhatsApp enabled, against the Twilio and
Claude doubles, on real PostgreSQL and Redis."""

from __future__ import annotations

import dataclasses
import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass

import aiohttp
import pytest
from aiohttp import web

from bot.engine import Engine
from bot.llm.claude import ClaudeResponder
from bot.server import build_app
from bot.settings import Settings
from castmatch.app import CHANNELS
from tests.doubles.claude import ClaudeDouble
from tests.doubles.twilio import TwilioDouble
from tests.whatsapp.fixtures import ACCOUNT, BUSINESS, TOKEN, signature


@dataclass
class Stack:
    url: str
    twilio: TwilioDouble
    claude: ClaudeDouble
    services: object
    session: aiohttp.ClientSession
    engine: Engine | None = None

    @property
    def inbound_url(self) -> str:
        return self.url + "/whatsapp/inbound"

    async def post(
        self,
        form: dict[str, str],
        *,
        sign: bool = True,
        path: str = "/whatsapp/inbound",
        member: bool = True,
    ) -> tuple[int, str, str]:
        """POST a webhook; an inbound message's sender is made a member first, as an admin
        would, unless `member=False` (a stranger)."""
        url = self.url + path
        sender = form.get("From", "")
        if member and path == "/whatsapp/inbound" and sender.startswith("whatsapp:+"):
            await self.services.directory.add_members(BUSINESS, [sender])  # type: ignore[attr-defined]
        headers = {"X-Twilio-Signature": signature(url, form)} if sign else {}
        async with self.session.post(url, data=form, headers=headers) as response:
            return response.status, response.content_type, await response.text()


def whatsapp_settings(settings: Settings, claude: ClaudeDouble, twilio: TwilioDouble, **extra):
    return settings.model_copy(
        update={
            "anthropic_api_key": "sk-test",
            "anthropic_base_url": claude.url,
            "claude_idle_timeout_s": 2.0,
            "twilio_account_sid": ACCOUNT,
            "twilio_auth_token": TOKEN,
            "twilio_whatsapp_number": BUSINESS,
            "twilio_api_url": twilio.url,
            "rate_limit_per_minute": 0,
            **extra,
        }
    )


@pytest.fixture
def extra_settings() -> dict[str, object]:
    return {}


@pytest.fixture
async def stack(services, settings, claude, twilio, extra_settings) -> AsyncIterator[Stack]:
    configured = whatsapp_settings(settings, claude, twilio, **extra_settings)
    running = dataclasses.replace(services, settings=configured)
    responder = ClaudeResponder(configured)
    engine = Engine(running, responder)
    runner = web.AppRunner(build_app(running, engine, CHANNELS), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    async with aiohttp.ClientSession() as session:
        yield Stack(f"http://127.0.0.1:{port}", twilio, claude, running, session, engine)
    await runner.cleanup()
    await responder.close()


def new_wa_id() -> str:
    return "91" + str(secrets.randbelow(10**10)).zfill(10)
