"""With a turn worker (how `castmatch serve` runs): the web process queues a Slack event for
its replica's worker before answering 200, answers 503 with Retry-After once the queue is
full (Slack sends it again), runs no turn itself; the worker answers each event once,
retries included, and Slack turns waiting for Slack's limits never hold a WhatsApp turn."""

from __future__ import annotations

import asyncio
import json

import aiohttp

from adapters.slack import app as slack_app
from adapters.slack import routes
from tests.doubles.slack import BOT_TOKEN, SIGNING_SECRET, SlackDouble, signed_headers
from tests.handoff_replica import web_process
from tests.slack.stack import event_body, mention, until
from tests.whatsapp.conftest import new_wa_id, whatsapp_settings
from tests.whatsapp.fixtures import BUSINESS, inbound, signature


async def test_events_wait_in_a_bounded_queue_and_the_worker_answers_each_once(
    services, settings, claude, slack: SlackDouble, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(routes, "MAX_QUEUED", 1)
    configured = settings.model_copy(
        update={
            "anthropic_api_key": "sk-test",
            "anthropic_base_url": claude.url,
            "slack_bot_token": BOT_TOKEN,
            "slack_signing_secret": SIGNING_SECRET,
            "slack_api_url": slack.base_url + "/api",
            "slack_app_token": "",
            "rate_limit_per_minute": 0,
        }
    )
    first, second = mention("who fits the inspector?"), mention("and the mother?")
    bodies = [json.dumps(event_body(event)) for event in (first, second)]
    async with web_process(services, configured) as replica, aiohttp.ClientSession() as session:

        async def post(body: str) -> aiohttp.ClientResponse:
            url = replica.base + "/slack/events"
            async with session.post(url, data=body.encode(), headers=signed_headers(body)) as r:
                await r.read()
                return r

        assert (await post(bodies[0])).status == 200
        refused = await post(bodies[1])  # the queue holds one: Slack must retry it
        assert refused.status == 503
        assert refused.headers["Retry-After"] == str(routes.RETRY_AFTER_S)
        assert await replica.handoff.depth("slack") == 1
        await asyncio.sleep(1.0)
        assert not slack.of("chat.startStream"), "the web process ran a turn"

        replica.start_worker()
        await until(lambda: len(slack.of("chat.stopStream")) >= 1, within=30)
        assert (await post(bodies[1])).status == 200  # Slack's retry, now taken
        assert (await post(bodies[0])).status == 200  # a retry of one already answered
        await until(lambda: len(slack.of("chat.stopStream")) >= 2, within=30)
        await asyncio.sleep(1.0)
    for event in (first, second):  # each answered once, in its own thread
        assert len(slack.in_thread("C0CAST", event["ts"])) == 1
    assert len(slack.of("chat.stopStream")) == 2


async def test_slack_turns_held_by_slacks_limits_never_hold_a_whatsapp_turn(
    services, settings, claude, slack: SlackDouble, twilio, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(slack_app, "MAX_TURNS", 1)  # one Slack turn at once in the worker
    claude.default_text = "Asha Patil and Meera Joshi fit the brief."
    configured = whatsapp_settings(
        settings.model_copy(
            update={
                "slack_bot_token": BOT_TOKEN,
                "slack_signing_secret": SIGNING_SECRET,
                "slack_api_url": slack.base_url + "/api",
                "slack_app_token": "",
            }
        ),
        claude,
        twilio,
    )
    wa_id = new_wa_id()
    await services.directory.add_members(BUSINESS, [f"whatsapp:+{wa_id}"])
    mentions = [mention("who fits the inspector?"), mention("and the mother?")]
    async with web_process(services, configured) as replica, aiohttp.ClientSession() as session:
        replica.start_worker()
        # Slack rate-limits every write for a while: its one turn waits for the budget,
        # the second mention waits in Slack's list.
        slack.fail("*", status=429, retry_after=1, seconds=12)
        for event in mentions:
            body = json.dumps(event_body(event))
            async with session.post(
                replica.base + "/slack/events", data=body.encode(), headers=signed_headers(body)
            ) as r:
                assert r.status == 200
        await until(lambda: slack.calls, within=15)  # the first Slack turn is writing
        form = inbound("who speaks Marathi?", wa_id=wa_id)
        url = replica.base + "/whatsapp/inbound"
        headers = {"X-Twilio-Signature": signature(url, form)}
        async with session.post(url, data=form, headers=headers) as r:
            assert r.status == 200
        await twilio.wait_for(lambda t: any("Meera Joshi" in b for b in t.bodies()))
        # Answered while Slack's replies still wait for Slack's budget.
        assert not slack.of("chat.stopStream")
        await until(lambda: len(slack.of("chat.stopStream")) >= 2, within=60)
    for event in mentions:  # both Slack replies still come, once each
        assert len(slack.in_thread("C0CAST", event["ts"])) == 1
