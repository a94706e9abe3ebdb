"""A director's mark reaches the team: posted into the role's Slack thread (the real Slack
SDK against the Slack double) or its WhatsApp chat (Twilio's SDK against the Twilio double)."""

from __future__ import annotations

import asyncio

import aiohttp
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.messenger import SlackMessenger
from adapters.whatsapp.outbound import WhatsAppMessenger
from adapters.whatsapp.sender import TwilioSender
from adapters.whatsapp.store import WhatsAppStore
from bot.types import ConversationKey
from talent import share_links, shortlists
from tests.doubles.slack import BOT_TOKEN, TEAM, SlackDouble
from tests.doubles.twilio import TwilioDouble
from tests.share.conftest import Shared
from tests.whatsapp.fixtures import ACCOUNT, BUSINESS, TOKEN


async def _mark(url: str, talent_id: str, decision: str, comment: str = "") -> None:
    form = {"talent_id": talent_id, "decision": decision, "comment": comment}
    async with aiohttp.ClientSession() as http, http.post(url, data=form) as response:
        assert response.status == 200


async def _until(probe, seconds: float = 10.0):
    for _ in range(int(seconds * 20)):
        found = probe()
        if found:
            return found
        await asyncio.sleep(0.05)
    raise AssertionError("nothing arrived")


async def test_a_mark_is_posted_in_the_thread_the_link_was_shared_from(
    served: Shared, slack: SlackDouble
) -> None:
    client = AsyncWebClient(token=BOT_TOKEN, base_url=slack.base_url + "/api/")
    served.services.posters["slack"] = SlackMessenger(client)
    thread = "1700000000.000100"
    key = ConversationKey("slack", TEAM, "C0CAST", thread)
    url, _ = await share_links.share(served.services, served.role, conversation_id=key.id)
    await _mark(url, served.ids["Rohan"], "yes", "bring him to callback")
    text = await _until(lambda: slack.thread_text("C0CAST", thread))
    assert text == (
        "Director via shared link on Inspector Yadav: Rohan Malik — YES: “bring him to callback”"
    )


async def test_a_link_made_on_the_command_line_tells_the_roles_latest_conversation(
    served: Shared, twilio: TwilioDouble
) -> None:
    settings = served.services.settings.model_copy(
        update={"twilio_account_sid": ACCOUNT, "twilio_auth_token": TOKEN,
                "twilio_whatsapp_number": BUSINESS, "twilio_api_url": twilio.url}
    )  # fmt: skip
    sender = TwilioSender(ACCOUNT, TOKEN, BUSINESS, api_url=twilio.url)
    messenger = WhatsAppMessenger(settings, sender, WhatsAppStore(served.services))
    served.services.posters["whatsapp"] = messenger
    coordinator = "+919876543210"
    key = ConversationKey("whatsapp", BUSINESS.removeprefix("whatsapp:"), coordinator)
    await shortlists.set_current_role(served.services, key, served.role)
    url, _ = await share_links.share(served.services, served.role, actor="cli")
    try:
        await _mark(url, served.ids["Meera"], "maybe")
        bodies = await _until(lambda: twilio.bodies(coordinator))
    finally:
        await sender.close()
    assert bodies == ["Director via shared link on Inspector Yadav: Meera Nair — MAYBE"]
