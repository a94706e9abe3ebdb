"""The Slack double rejects what Slack rejects, so tests against it mean something."""

from __future__ import annotations

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from tests.doubles.slack import BOT_USER, TEAM, SlackDouble


async def test_auth_test_and_bad_token(slack: SlackDouble, web_client: AsyncWebClient) -> None:
    identity = await web_client.auth_test()
    assert identity["user_id"] == BOT_USER and identity["team_id"] == TEAM
    bad = AsyncWebClient(token="xoxb-wrong", base_url=slack.base_url + "/api/")
    with pytest.raises(SlackApiError) as caught:
        await bad.chat_postMessage(channel="C1", text="hi")
    assert caught.value.response["error"] == "invalid_auth"
    anonymous = AsyncWebClient(base_url=slack.base_url + "/api/")
    with pytest.raises(SlackApiError) as caught:
        await anonymous.chat_postMessage(channel="C1", text="hi")
    assert caught.value.response["error"] == "not_authed"


async def test_missing_arguments(slack: SlackDouble, web_client: AsyncWebClient) -> None:
    with pytest.raises(SlackApiError) as caught:
        await web_client.chat_postMessage(channel="C1")  # no text, no blocks
    assert caught.value.response["error"] == "no_text"
    with pytest.raises(SlackApiError) as caught:
        await web_client.api_call("chat.startStream", json={"channel": "C1"})  # no thread_ts
    assert caught.value.response["error"] == "invalid_arguments"
    with pytest.raises(SlackApiError) as caught:
        await web_client.chat_update(channel="C1", ts="1.1", text="x")
    assert caught.value.response["error"] == "message_not_found"


async def test_stream_lifecycle(slack: SlackDouble, web_client: AsyncWebClient) -> None:
    started = await web_client.chat_startStream(
        channel="C1", thread_ts="1.0", recipient_user_id="U1", recipient_team_id=TEAM
    )
    ts = started["ts"]
    await web_client.chat_appendStream(channel="C1", ts=ts, markdown_text="Hello ")
    with pytest.raises(SlackApiError) as caught:
        await web_client.chat_update(channel="C1", ts=ts, text="no")
    assert caught.value.response["error"] == "streaming_state_conflict"
    await web_client.chat_stopStream(channel="C1", ts=ts, markdown_text="world")
    assert slack.messages[("C1", ts)].text == "Hello world"
    with pytest.raises(SlackApiError) as caught:
        await web_client.chat_appendStream(channel="C1", ts=ts, markdown_text="late")
    assert caught.value.response["error"] == "message_not_in_streaming_state"
    with pytest.raises(SlackApiError) as caught:  # channels need the recipient
        await web_client.chat_startStream(channel="C1", thread_ts="1.0")
    assert caught.value.response["error"] == "missing_recipient_user_id"


async def test_scripted_faults(slack: SlackDouble, web_client: AsyncWebClient) -> None:
    slack.fail("chat.postMessage", "ratelimited", status=429, retry_after=3)
    with pytest.raises(SlackApiError) as caught:
        await web_client.chat_postMessage(channel="C1", text="hi")
    assert caught.value.response.status_code == 429
    assert caught.value.response.headers["Retry-After"] == "3"
    posted = await web_client.chat_postMessage(channel="C1", text="hi")  # the fault is used up
    slack.fail("chat.update", "msg_too_long")
    with pytest.raises(SlackApiError) as caught:
        await web_client.chat_update(channel="C1", ts=posted["ts"], text="x")
    assert caught.value.response.status_code == 200
    assert caught.value.response["error"] == "msg_too_long"
    with pytest.raises(SlackApiError) as caught:
        await web_client.chat_update(channel="C1", ts=posted["ts"], text="x" * 4001)
    assert caught.value.response["error"] == "msg_too_long"


async def test_assistant_prompts_validated(slack: SlackDouble, web_client: AsyncWebClient) -> None:
    await web_client.assistant_threads_setSuggestedPrompts(
        channel_id="D1", thread_ts="1.0", prompts=[{"title": "a", "message": "b"}]
    )
    with pytest.raises(SlackApiError):
        await web_client.assistant_threads_setSuggestedPrompts(
            channel_id="D1", thread_ts="1.0", prompts=[{"title": "a"}]
        )
