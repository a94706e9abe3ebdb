"""A reply a dead process left half-written is closed with a visible note on restart."""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace

from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.recovery import InflightRecord, close_reply, register
from tests.doubles.slack import BOT_TOKEN, TEAM, SlackDouble

NOTE = "⚠️ I was interrupted (the service is restarting). Please ask again."


def slack_services(services, slack: SlackDouble):  # type: ignore[no-untyped-def]
    settings = services.settings.model_copy(
        update={"slack_bot_token": BOT_TOKEN, "slack_api_url": slack.base_url + "/api"}
    )
    return dataclasses.replace(services, settings=settings, reply_closers={})


async def test_a_broken_stream_is_stopped_with_the_note(services, slack: SlackDouble) -> None:  # type: ignore[no-untyped-def]
    running = slack_services(services, slack)
    register(running)
    assert "slack" in running.reply_closers
    client = AsyncWebClient(token=BOT_TOKEN, base_url=slack.base_url + "/api/")
    started = await client.chat_startStream(
        channel="C1", thread_ts="5.5", recipient_user_id="U1", recipient_team_id=TEAM
    )
    await client.chat_appendStream(channel="C1", ts=started["ts"], markdown_text="Half an ans")
    record = InflightRecord(running)
    await record.opened("slack:T:C1:5.5", channel="C1", ts=started["ts"], thread_ts="5.5",
                        native=True, start=0)  # fmt: skip
    row = SimpleNamespace(conversation_id="slack:T:C1:5.5", text="Half an ans")
    await running.reply_closers["slack"](row, "Half an ans\n\n" + NOTE)
    message = slack.messages[("C1", started["ts"])]
    assert not message.streaming and message.text.endswith(NOTE)
    assert await record.find("slack:T:C1:5.5") is None


async def test_an_edited_message_gets_its_final_text(services, slack: SlackDouble) -> None:  # type: ignore[no-untyped-def]
    running = slack_services(services, slack)
    client = AsyncWebClient(token=BOT_TOKEN, base_url=slack.base_url + "/api/")
    posted = await client.chat_postMessage(channel="D1", text="_…_")
    await InflightRecord(running).opened("slack:T:D1:", channel="D1", ts=posted["ts"],
                                         thread_ts="", native=False, start=0)  # fmt: skip
    row = SimpleNamespace(conversation_id="slack:T:D1:", text="**Partial**")
    await close_reply(running, row, "**Partial**\n\n" + NOTE)
    assert slack.messages[("D1", posted["ts"])].text == "*Partial*\n\n" + NOTE
