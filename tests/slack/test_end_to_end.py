"""End to end through the real server: signed Slack requests in, Web API calls out."""

from __future__ import annotations

import asyncio
import json
import re
import time

import pytest
from sqlalchemy import func, select

from memory.models import Message
from tests.doubles.claude import Reply
from tests.doubles.slack import TEAM, WRITES
from tests.slack.conftest import signed_headers
from tests.slack.stack import Stack, event_body, mention, until

ANSWER = " ".join(f"w{i}" for i in range(80))


def turns(stack: Stack) -> list[dict]:
    """Claude requests that answer a person (not memory's background fact extraction)."""
    return [r for r in stack.claude.requests if "You are CastMatch" in json.dumps(r.get("system"))]


def words(text: str) -> list[str]:
    return re.findall(r"w\d+", text)


async def test_mention_streams_the_whole_reply_in_its_thread(stack: Stack) -> None:
    stack.claude.push(Reply("**Asha Patil** fits. " + ANSWER, chunk_size=6, delay=0.01))
    event = mention("find a Marathi actress in Pune")
    status, _, took = await stack.post_json(event_body(event))
    assert status == 200 and took < 3
    await until(lambda: stack.slack.of("chat.stopStream"))
    start = stack.slack.of("chat.startStream")[0].args
    assert start["thread_ts"] == event["ts"]  # a top-level mention gets a thread on it
    assert start["recipient_user_id"] == "U0DIRECTOR" and start["recipient_team_id"] == TEAM
    assert stack.slack.of("chat.appendStream")
    shown = stack.slack.thread_text("C0CAST", event["ts"])
    assert words(shown) == words(ANSWER) and "Asha Patil" in shown
    sent = turns(stack)[-1]["messages"][-1]["content"]
    assert "find a Marathi actress in Pune" in json.dumps(sent) and "<@" not in json.dumps(sent)


async def test_a_retried_event_gets_one_reply(stack: Stack) -> None:
    event = mention("hello there")
    body = event_body(event, event_id="EvRETRY1")
    first = await stack.post_json(body)
    headers = signed_headers(json.dumps(body)) | {
        "X-Slack-Retry-Num": "1",
        "X-Slack-Retry-Reason": "http_timeout",
    }
    second = await stack.post_json(body, headers=headers)
    assert first[0] == second[0] == 200
    await until(lambda: stack.slack.of("chat.stopStream"))
    await asyncio.sleep(0.5)
    assert len(stack.slack.of("chat.startStream")) == 1
    assert len(turns(stack)) == 1


async def test_bad_requests_get_4xx_or_200_and_no_turn(stack: Stack) -> None:
    body = json.dumps(event_body(mention("hello")))
    forged = signed_headers(body, secret="wrong")
    assert (await stack.post_json({}, raw=body, headers=forged))[0] == 401
    stale = signed_headers(body, timestamp=int(time.time()) - 600)
    assert (await stack.post_json({}, raw=body, headers=stale))[0] == 401
    assert (await stack.post_json({}, raw=body, headers={}))[0] == 401
    garbage = "{not json"
    assert (await stack.post_json({}, raw=garbage, headers=signed_headers(garbage)))[0] == 400
    huge = json.dumps({"type": "event_callback", "pad": "x" * 400_000})
    assert (await stack.post_json({}, raw=huge, headers=signed_headers(huge)))[0] == 413
    useless = json.dumps({"type": "event_callback", "event": {"type": "reaction_added"}})
    assert (await stack.post_json({}, raw=useless, headers=signed_headers(useless)))[0] == 200
    bot = event_body({**mention("loop?"), "bot_id": "B1"})
    assert (await stack.post_json(bot))[0] == 200
    edited = event_body({**mention("x"), "subtype": "message_changed"})
    assert (await stack.post_json(edited))[0] == 200
    challenge = {"type": "url_verification", "challenge": "abc123", "token": "t"}
    status, text, _ = await stack.post_json(challenge)
    assert status == 200 and "abc123" in text
    await asyncio.sleep(0.5)
    assert not turns(stack) and not stack.slack.of("chat.startStream", "chat.postMessage")


async def test_direct_message_is_posted_then_edited(stack: Stack) -> None:
    stack.claude.push(Reply(ANSWER, chunk_size=10, delay=0.02))
    event = {
        "type": "message",
        "channel_type": "im",
        "channel": "D0DIRECT",
        "user": "U0DIRECTOR",
        "text": "who can ride horses?",
        "ts": "1700000001.000200",
        "team": TEAM,
    }
    assert (await stack.post_json(event_body(event)))[0] == 200
    await until(
        lambda: (
            stack.slack.messages
            and words(next(iter(stack.slack.messages.values())).text) == words(ANSWER)
        )
    )
    (message,) = stack.slack.messages.values()
    assert message.history[0] == "_…_" and message.thread_ts == ""
    counts = [len(words(t)) for t in message.history]
    assert counts == sorted(counts)


async def test_rate_limit_storm_still_ends_with_the_complete_reply(stack: Stack) -> None:
    for method in WRITES:
        stack.slack.fail(method, "ratelimited", status=429, retry_after=1, seconds=3)
    stack.claude.push(Reply(ANSWER, chunk_size=8, delay=0.02))
    event = mention("storm")
    assert (await stack.post_json(event_body(event)))[0] == 200
    await until(
        lambda: words(stack.slack.thread_text("C0CAST", event["ts"])) == words(ANSWER), within=30
    )
    assert any(c.status == 429 for c in stack.slack.calls)


async def test_throttle_holds_for_a_slow_reply(stack: Stack) -> None:
    stack.claude.push(Reply(ANSWER, chunk_size=4, delay=0.05))  # ~3 s of text
    event = mention("slow one")
    began = time.monotonic()
    await stack.post_json(event_body(event))
    await until(lambda: stack.slack.of("chat.stopStream"))
    duration = time.monotonic() - began
    appends = stack.slack.of("chat.appendStream")
    assert 2 <= len(appends) <= duration + 3


@pytest.mark.parametrize("socket_mode", [False])
async def test_talent_command_acks_before_searching_and_posts_cards(stack: Stack) -> None:
    url = stack.slack.response_url()
    key = url.rsplit("/", 1)[1]
    form = {
        "command": "/talent",
        "text": "marathi actress pune",
        "team_id": TEAM,
        "user_id": "U0DIRECTOR",
        "channel_id": "C0CAST",
        "response_url": url,
        "trigger_id": "trig1",
        "token": "legacy",
    }
    status, text, took = await stack.post_form(form)
    acked = time.monotonic()
    assert status == 200 and took < 3
    assert "Searching" in json.loads(text)["text"]
    await until(lambda: stack.slack.responses[key])
    assert stack.search_started and stack.search_started[0] >= acked - took
    posted = stack.slack.responses[key][0]
    names = json.dumps(posted["blocks"])
    assert "Asha Patil" in names and "talent_shortlist" in names and "image" in names


async def test_shortlist_button_updates_the_message_and_the_shortlist(stack: Stack) -> None:
    url = stack.slack.response_url()
    key = url.rsplit("/", 1)[1]
    from adapters.slack.blocks import talent_blocks
    from tests.slack.conftest import CARDS

    blocks, _ = talent_blocks(CARDS)
    payload = {
        "type": "block_actions",
        "team": {"id": TEAM},
        "user": {"id": "U0DIRECTOR"},
        "channel": {"id": "C0CAST"},
        "container": {"type": "message", "message_ts": "1.2"},
        "message": {"ts": "1.2", "blocks": blocks},
        "response_url": url,
        "trigger_id": "t2",
        "actions": [
            {
                "type": "button",
                "action_id": "talent_shortlist",
                "value": "t-asha",
                "block_id": "actions:t-asha",
                "action_ts": "1.3",
            }
        ],
    }
    status, _, took = await stack.post_form({"payload": json.dumps(payload)})
    assert status == 200 and took < 3
    await until(lambda: stack.slack.responses[key])
    assert stack.shortlist == ["t-asha"]  # type: ignore[attr-defined]
    update = stack.slack.responses[key][0]
    assert update["replace_original"] is True
    assert "Shortlisted t-asha for Lead" in json.dumps(update["blocks"])
    assert "talent_shortlist" not in json.dumps(
        [b for b in update["blocks"] if b.get("block_id") == "actions:t-asha"]
    )


async def test_shortlist_command_shows_the_list(stack: Stack) -> None:
    stack.shortlist.append("t-meera")  # type: ignore[attr-defined]
    url = stack.slack.response_url()
    form = {"command": "/shortlist", "text": "show", "team_id": TEAM, "user_id": "U0DIRECTOR",
            "channel_id": "C0CAST", "response_url": url, "trigger_id": "trig3"}  # fmt: skip
    status, _, _ = await stack.post_form(form)
    assert status == 200
    key = url.rsplit("/", 1)[1]
    await until(lambda: stack.slack.responses[key])
    text = stack.slack.responses[key][0]["text"]
    assert "*Shortlist: Lead*" in text and "*Meera Joshi*" in text


async def test_mention_in_thread_runs_the_talent_command(stack: Stack) -> None:
    event = mention("talent marathi actress", thread_ts="1690000000.000001")
    await stack.post_json(event_body(event))
    thread = ("C0CAST", "1690000000.000001")
    await until(lambda: [m for m in stack.slack.in_thread(*thread) if m.blocks])
    (cards,) = [m for m in stack.slack.in_thread(*thread) if m.blocks]
    assert "Asha Patil" in json.dumps(cards.blocks)
    assert not turns(stack)  # a command: no Claude request


@pytest.mark.parametrize("socket_mode", [True])
async def test_the_same_conversation_over_socket_mode(stack: Stack) -> None:
    stack.claude.push(Reply(ANSWER, chunk_size=8, delay=0.01))
    event = mention("over the socket")
    ack = await stack.slack.send_envelope("events_api", event_body(event))
    assert ack["envelope_id"]
    await until(lambda: stack.slack.of("chat.stopStream"))
    assert words(stack.slack.thread_text("C0CAST", event["ts"])) == words(ANSWER)
    # a redelivery of the same event is not answered twice
    await stack.slack.send_envelope("events_api", event_body(event), retry=1)
    await asyncio.sleep(0.5)
    assert len(stack.slack.of("chat.startStream")) == 1


async def test_a_rate_limited_auth_test_at_start_loses_no_event(stack: Stack) -> None:
    stack.slack.fail("auth.test", status=429, retry_after=1, times=1)
    stack.claude.push(Reply("Here is who fits."))
    event = mention("anyone for the cop role?")
    status, _, _ = await stack.post_json(event_body(event))
    assert status == 200
    await until(lambda: stack.slack.of("chat.stopStream"))
    assert "Here is who fits." in stack.slack.thread_text("C0CAST", event["ts"])
    assert len([c for c in stack.slack.calls if c.method == "auth.test"]) >= 2


async def test_a_slack_connect_guest_is_refused_once_and_costs_nothing(stack: Stack) -> None:
    for n in range(3):
        event = mention(f"show me your shortlists {n}", user="U0GUEST")
        event["team"] = event["user_team"] = "T0OTHERCO"  # the guest's own organisation
        status, _, _ = await stack.post_json(event_body(event))
        assert status == 200
    await until(lambda: stack.slack.of("chat.postEphemeral"))
    await asyncio.sleep(0.5)
    (refusal,) = stack.slack.of("chat.postEphemeral")
    assert refusal.args["user"] == "U0GUEST" and "guests" in refusal.args["text"]
    assert not stack.claude.requests and not stack.slack.of("chat.startStream")
    async with stack.services.sessions() as session:
        stored = await session.scalar(
            select(func.count()).select_from(Message).where(Message.user_id == "U0GUEST")
        )
    assert stored == 0
