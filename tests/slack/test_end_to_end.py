"""End to end through the real server: signed Slack requests in, Web API calls out."""

from __future__ import annotations

import asyncio
import json
import re
import secrets
import time

import pytest
from sqlalchemy import func, select

from adapters.slack.blocks import feedback_block, talent_blocks
from bot.tools import ToolContext
from bot.types import ConversationKey, InboundMessage
from memory.models import Message
from tests.doubles.claude import Reply, ToolCall
from tests.doubles.slack import TEAM, WRITES
from tests.slack.conftest import CARDS, signed_headers
from tests.slack.stack import Stack, event_body, mention, new_ts, until

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


def command(name: str, text: str, url: str, trigger: str) -> dict[str, str]:
    return {"command": name, "text": text, "team_id": TEAM, "user_id": "U0DIRECTOR",
            "channel_id": "C0CAST", "response_url": url, "trigger_id": trigger,
            "token": "legacy"}  # fmt: skip


def click(
    stack: Stack, blocks: list[dict], action: dict, *, thread_ts: str = "", message_ts: str = ""
) -> tuple[dict, str]:
    """A block_actions payload for a click on a card message (in `thread_ts` if given)."""
    url = stack.slack.response_url()
    message_ts = message_ts or new_ts()
    container = {"type": "message", "message_ts": message_ts, "channel_id": "C0CAST"}
    message: dict = {"ts": message_ts, "blocks": blocks}
    if thread_ts:
        container["thread_ts"] = message["thread_ts"] = thread_ts
    payload = {
        "type": "block_actions",
        "team": {"id": TEAM},
        "user": {"id": "U0DIRECTOR"},
        "channel": {"id": "C0CAST"},
        "container": container,
        "message": message,
        "response_url": url,
        "trigger_id": f"trig{new_ts()}",
        "actions": [{"action_ts": new_ts(), **action}],
    }
    return payload, url.rsplit("/", 1)[1]


def shortlist_click(stack: Stack, talent_id: str, blocks: list[dict], thread_ts: str):  # type: ignore[no-untyped-def]
    action = {"type": "button", "action_id": "talent_shortlist", "value": talent_id,
              "block_id": f"actions:{talent_id}"}  # fmt: skip
    return click(stack, blocks, action, thread_ts=thread_ts)


async def updated_card(stack: Stack, payload: dict, key: str) -> dict:
    status, _, took = await stack.post_form({"payload": json.dumps(payload)})
    assert status == 200 and took < 3
    await until(lambda: stack.slack.responses[key])
    update = stack.slack.responses[key][0]
    assert update["replace_original"] is True
    return update


def in_chat(channel: str, thread_ts: str = "") -> InboundMessage:
    """A message of the director in that channel (thread), to call the real tools with."""
    key = ConversationKey("slack", TEAM, channel, thread_ts)
    return InboundMessage(key, "U0DIRECTOR", "tool call", f"test:{new_ts()}")


async def on_shortlist(stack: Stack, role: str, thread_ts: str = "") -> list[str]:
    """Names on a role's shortlist, read through the real tool."""
    ctx = ToolContext(in_chat("C0CAST", thread_ts or new_ts()), stack.services)
    outcome = await stack.services.tools.run("shortlist_show", {"role": role}, ctx)
    assert not outcome.is_error, outcome.content
    return [e["name"] for e in outcome.content["entries"]]


@pytest.mark.parametrize("socket_mode", [False])
async def test_talent_command_acks_before_searching_and_posts_cards(stack: Stack) -> None:
    url = stack.slack.response_url()
    key = url.rsplit("/", 1)[1]
    form = command("/talent", "Tulu speaking kathak and gatka dancers", url, "trig1")
    status, text, took = await stack.post_form(form)
    acked = time.monotonic()
    assert status == 200 and took < 3
    assert "Searching" in json.loads(text)["text"]
    await until(lambda: stack.slack.responses[key])
    assert stack.tools_started and stack.tools_started[0] >= acked - took
    posted = stack.slack.responses[key][0]
    names = json.dumps(posted["blocks"])
    assert "Asha Patil" in names and "talent_shortlist" in names and "image" in names


async def test_shortlist_button_uses_the_role_chosen_in_its_thread(stack: Stack) -> None:
    role = f"Inspector Yadav {secrets.token_hex(2)}"
    thread = new_ts()
    stack.claude.push(ToolCall("select_role", {"role": role}), Reply(f"Noted: {role}."))
    await stack.post_json(event_body(mention(f"this is for {role}", thread_ts=thread)))
    await until(lambda: f"Noted: {role}." in stack.slack.thread_text("C0CAST", thread))

    blocks, _ = talent_blocks(CARDS)
    payload, key = shortlist_click(stack, "e2e-asha-01", blocks, thread)
    update = await updated_card(stack, payload, key)
    assert f"Shortlisted Asha Patil for {role}" in json.dumps(update["blocks"])
    assert "talent_shortlist" not in json.dumps(
        [b for b in update["blocks"] if b.get("block_id") == "actions:e2e-asha-01"]
    )
    assert await on_shortlist(stack, role) == ["Asha Patil"]


async def test_a_click_on_cards_under_a_streamed_answer_keeps_the_answer(stack: Stack) -> None:
    role = f"Inspector Yadav {secrets.token_hex(2)}"
    thread = new_ts()
    stack.claude.push(ToolCall("select_role", {"role": role}), Reply(f"Noted: {role}."))
    await stack.post_json(event_body(mention(f"this is for {role}", thread_ts=thread)))
    await until(lambda: f"Noted: {role}." in stack.slack.thread_text("C0CAST", thread))

    # the answer's text is the message's; its blocks are the cards and 👍/👎 under it
    blocks = talent_blocks(CARDS)[0] + [feedback_block()]
    payload, key = shortlist_click(stack, "e2e-asha-01", blocks, thread)
    payload["message"]["text"] = "**Asha Patil** fits best."
    update = await updated_card(stack, payload, key)
    assert update["blocks"][0] == {"type": "markdown", "text": "**Asha Patil** fits best."}
    assert f"Shortlisted Asha Patil for {role}" in json.dumps(update["blocks"])


async def test_a_card_without_a_role_asks_for_one_and_remembers_the_choice(stack: Stack) -> None:
    role = f"Lead Dancer {secrets.token_hex(2)}"
    elsewhere = ToolContext(in_chat("C0OTHER"), stack.services)
    await stack.services.tools.run("select_role", {"role": role, "project": "Raag"}, elsewhere)
    thread = new_ts()  # a thread where no role was chosen
    blocks, _ = talent_blocks(CARDS)

    payload, key = shortlist_click(stack, "e2e-asha-01", blocks, thread)
    update = await updated_card(stack, payload, key)
    picker = next(b for b in update["blocks"] if b.get("block_id") == "pick:e2e-asha-01")
    option = next(o for o in picker["accessory"]["options"] if role in o["text"]["text"])
    assert option["text"]["text"] == f"{role} (Raag)"
    assert await on_shortlist(stack, role) == []  # nothing happens before the choice

    action = {"type": "static_select", "action_id": "talent_pick_role",
              "block_id": "pick:e2e-asha-01", "selected_option": option}  # fmt: skip
    payload, key = click(stack, update["blocks"], action, thread_ts=thread)
    update = await updated_card(stack, payload, key)
    assert f"Shortlisted Asha Patil for {role}" in json.dumps(update["blocks"])
    assert not [b for b in update["blocks"] if str(b.get("block_id")).startswith("pick:")]

    # the thread remembers the role: the next click needs no question
    payload, key = shortlist_click(stack, "e2e-meera-02", update["blocks"], thread)
    update = await updated_card(stack, payload, key)
    assert f"Shortlisted Meera Joshi for {role}" in json.dumps(update["blocks"])
    assert await on_shortlist(stack, role) == ["Asha Patil", "Meera Joshi"]


async def test_the_role_picker_takes_a_new_role_by_name(stack: Stack) -> None:
    role = f"Young Rohan {secrets.token_hex(2)}"
    thread = new_ts()
    blocks, _ = talent_blocks(CARDS)
    payload, key = shortlist_click(stack, "e2e-meera-02", blocks, thread)
    update = await updated_card(stack, payload, key)
    assert any(b.get("block_id") == "newrole:e2e-meera-02" for b in update["blocks"])
    action = {"type": "plain_text_input", "action_id": "talent_new_role",
              "block_id": "newrole:e2e-meera-02", "value": role}  # fmt: skip
    payload, key = click(stack, update["blocks"], action, thread_ts=thread)
    update = await updated_card(stack, payload, key)
    assert f"Shortlisted Meera Joshi for {role}" in json.dumps(update["blocks"])
    assert await on_shortlist(stack, role, thread) == ["Meera Joshi"]


async def _role_with_meera(stack: Stack) -> str:
    """A new role with Meera Joshi shortlisted on it (from a channel): its name."""
    role = f"Constable {secrets.token_hex(2)}"
    channel = ToolContext(in_chat("C0CAST"), stack.services)
    added = await stack.services.tools.run(
        "shortlist_add", {"talent": ["e2e-meera-02"], "role": role}, channel
    )
    assert not added.is_error, added.content
    return role


async def test_shortlist_command_shows_the_list(stack: Stack) -> None:
    role = await _role_with_meera(stack)
    url = stack.slack.response_url()
    status, _, _ = await stack.post_form(command("/shortlist", f"show {role}", url, "trig3"))
    assert status == 200
    key = url.rsplit("/", 1)[1]
    await until(lambda: stack.slack.responses[key])
    text = stack.slack.responses[key][0]["text"]
    assert f"*Shortlist: {role}*" in text and "*Meera Joshi*" in text


async def test_shortlist_post_command_posts_in_the_named_channel(stack: Stack) -> None:
    role = await _role_with_meera(stack)

    async def slash(text: str, trigger: str) -> str:
        url = stack.slack.response_url()
        form = {**command("/shortlist", text, url, trigger), "channel_name": "casting"}
        status, _, _ = await stack.post_form(form)
        assert status == 200
        key = url.rsplit("/", 1)[1]
        await until(lambda: stack.slack.responses[key])
        return stack.slack.responses[key][0]["text"]

    # a channel picked from Slack's list arrives escaped, as its id
    said = await slash(f"post <#C0PICKS|casting-picks> {role}", "trig-post1")
    assert said == "Posted the shortlist in #casting-picks."
    (posted,) = [m for m in stack.slack.messages.values() if m.channel == "C0PICKS"]
    assert f"*Shortlist: {role}*" in posted.text and "*Meera Joshi*" in posted.text
    # the channel the command is typed in is known by its name
    said = await slash(f"post {role} to #casting", "trig-post2")
    assert said == "Posted the shortlist in #casting."
    assert [m for m in stack.slack.messages.values() if m.channel == "C0CAST"]
    # any other name typed by hand can't be told apart from a typo
    said = await slash(f"post #elsewhere {role}", "trig-post3")
    assert said.startswith("Which channel is #elsewhere?")
    assert not turns(stack)  # commands: no Claude request


async def test_mention_in_thread_runs_the_talent_command(stack: Stack) -> None:
    event = mention("talent Tulu kathak gatka", thread_ts="1690000000.000001")
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


async def test_when_full_an_event_is_refused_with_retry_after_and_its_retry_answered(
    stack: Stack, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("adapters.slack.app.MAX_TURNS", 1)  # room for one turn at a time
    stack.claude.push(Reply("Looking into it, one moment. " * 3, chunk_size=4, delay=0.1))
    first = mention("who could play the inspector?")
    assert (await stack.post_json(event_body(first)))[0] == 200
    await until(lambda: stack.slack.of("chat.startStream"))
    second = event_body(mention("and the mother?"), event_id="EvFULL1")
    async with stack.session.post(
        stack.url + "/slack/events",
        data=json.dumps(second).encode(),
        headers=signed_headers(json.dumps(second)),
    ) as response:
        assert response.status == 503 and response.headers["Retry-After"].isdigit()
    await until(lambda: stack.slack.of("chat.stopStream"))
    await asyncio.sleep(0.2)  # the first turn's task has ended
    headers = signed_headers(json.dumps(second)) | {"X-Slack-Retry-Num": "1"}
    assert (await stack.post_json(second, headers=headers))[0] == 200  # Slack's retry
    await until(lambda: len(stack.slack.of("chat.stopStream")) == 2)
    assert "and the mother?" in stack.slack.thread_text("C0CAST", second["event"]["ts"])


async def test_a_search_claude_runs_shows_as_a_task_line_in_the_reply(stack: Stack) -> None:
    thread = new_ts()
    stack.claude.push(
        ToolCall("search_talent", {"query": "Marathi actress in Pune"}), Reply("Asha fits.")
    )
    await stack.post_json(event_body(mention("find a Marathi actress", thread_ts=thread)))
    await until(lambda: "Asha fits." in stack.slack.thread_text("C0CAST", thread))
    await until(lambda: stack.slack.of("chat.stopStream"))
    (streamed,) = [
        m for m in stack.slack.in_thread("C0CAST", thread) if m.tasks or "Asha fits." in m.text
    ]
    (task,) = streamed.tasks.values()
    assert task["title"] == "Searching the catalogue: Marathi actress in Pune…"
    assert task["status"] == "complete" and task["output"].endswith(("people", "person"))


async def test_the_cards_are_the_people_the_answer_names_from_every_search(stack: Stack) -> None:
    thread = new_ts()
    stack.claude.push(
        ToolCall("search_talent", {"query": "Tulu speaking kathak and gatka dancers"}),
        ToolCall("get_talent_profile", {"talent": "e2e-meera-02"}),  # its cards: Meera only
        Reply("**Meera Joshi** has the gatka; **Asha Patil** also fits."),
    )
    await stack.post_json(event_body(mention("Tulu kathak dancers?", thread_ts=thread)))

    def card_ids() -> list[str]:
        posts = [m for m in stack.slack.in_thread("C0CAST", thread) if m.blocks]
        return re.findall(r"e2e-[a-z]+-\d+", json.dumps(posts[-1].blocks)) if posts else []

    ids = await until(card_ids)
    assert list(dict.fromkeys(ids)) == ["e2e-meera-02", "e2e-asha-01"]  # as the text names them


async def test_an_assistant_thread_is_titled_after_its_request_and_role(stack: Stack) -> None:
    role = f"Inspector Yadav {secrets.token_hex(2)}"
    thread = new_ts()
    stack.claude.push(ToolCall("select_role", {"role": role}), Reply("Looking."), Reply("More."))
    event = {"type": "message", "channel_type": "im", "channel": "D0DIRECT", "team": TEAM,
             "user": "U0DIRECTOR", "text": "Haryanvi cop 40-50", "ts": new_ts(),
             "thread_ts": thread}  # fmt: skip
    await stack.post_json(event_body(event))

    def titles() -> list[str]:
        calls = stack.slack.of("assistant.threads.setTitle")
        return [c.args["title"] for c in calls if c.args["thread_ts"] == thread]

    assert await until(titles) == [f"{role}: Haryanvi cop 40-50"]
    await stack.post_json(event_body({**event, "text": "and younger ones?", "ts": new_ts()}))
    await until(lambda: "More." in stack.slack.thread_text("D0DIRECT", thread))
    await asyncio.sleep(0.3)
    assert titles() == [f"{role}: Haryanvi cop 40-50"]  # titled once, by the first request


async def test_post_the_shortlist_to_a_linked_channel(stack: Stack) -> None:
    role = f"Inspector Yadav {secrets.token_hex(2)}"
    thread = new_ts()
    ctx = ToolContext(in_chat("C0CAST", thread), stack.services)
    added = await stack.services.tools.run(
        "shortlist_add", {"talent": ["e2e-asha-01"], "role": role}, ctx
    )
    assert not added.is_error, added.content
    ask = f"post the {role} shortlist to <#C0PICKS|casting-picks>"
    await stack.post_json(event_body(mention(ask, thread_ts=thread)))
    await until(lambda: "Posted the shortlist in #casting-picks" in stack.slack.thread_text(
        "C0CAST", thread))  # fmt: skip
    (posted,) = [m for m in stack.slack.messages.values() if m.channel == "C0PICKS"]
    assert f"*Shortlist: {role}*" in posted.text and "*Asha Patil*" in posted.text
    assert not turns(stack)  # a command: no Claude request

    # a channel named without Slack's link: the person is asked to pick it
    await stack.post_json(event_body(mention(f"post the {role} shortlist to #elsewhere",
                                             thread_ts=thread)))  # fmt: skip
    await until(lambda: "Which channel is #elsewhere?" in stack.slack.thread_text("C0CAST", thread))
