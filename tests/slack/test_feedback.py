"""Thumbs up / down under a streamed answer: kept per person and answer, counted on /metrics
once per person, answer and vote (a changed mind counts its new vote)."""

from __future__ import annotations

import json

from bot import metrics
from tests.doubles.claude import Reply
from tests.doubles.slack import TEAM
from tests.slack.stack import Stack, event_body, mention, new_ts, until


def counted(value: str) -> float:
    return metrics.ANSWER_FEEDBACK.labels("slack", value)._value.get()


async def click_feedback(stack: Stack, answer_ts: str, thread: str, value: str) -> None:
    url = stack.slack.response_url()
    payload = {
        "type": "block_actions", "team": {"id": TEAM}, "user": {"id": "U0DIRECTOR"},
        "channel": {"id": "C0CAST"}, "response_url": url, "trigger_id": f"trig{new_ts()}",
        "container": {"type": "message", "message_ts": answer_ts, "channel_id": "C0CAST",
                      "thread_ts": thread},
        "message": {"ts": answer_ts, "thread_ts": thread},
        "actions": [{"type": "feedback_buttons", "action_id": "answer_feedback", "value": value,
                     "block_id": "fb", "action_ts": new_ts()}],
    }  # fmt: skip
    status, _, _ = await stack.post_form({"payload": json.dumps(payload)})
    assert status == 200
    key = url.rsplit("/", 1)[1]
    await until(lambda: stack.slack.responses[key])
    assert "Thanks" in stack.slack.responses[key][0]["text"]


async def test_an_answer_ends_with_feedback_buttons_that_are_kept_and_counted(
    stack: Stack,
) -> None:
    thread = new_ts()
    stack.claude.push(Reply("Asha Patil fits."))
    await stack.post_json(event_body(mention("who fits?", thread_ts=thread)))
    await until(lambda: "Asha Patil fits." in stack.slack.thread_text("C0CAST", thread))
    (answer,) = await until(
        lambda: [m for m in stack.slack.in_thread("C0CAST", thread) if m.streamed and m.blocks]
    )
    (block,) = answer.blocks
    assert block["type"] == "context_actions"
    assert block["elements"][0]["type"] == "feedback_buttons"

    good, bad = counted("good"), counted("bad")
    await click_feedback(stack, answer.ts, thread, "good")
    await click_feedback(stack, answer.ts, thread, "good")  # the same vote again: once
    assert (counted("good"), counted("bad")) == (good + 1, bad)
    await click_feedback(stack, answer.ts, thread, "bad")  # a changed mind
    assert counted("bad") == bad + 1
    key = stack.services.key("slack", "feedback", TEAM, "C0CAST", answer.ts)
    assert await stack.services.redis.hget(key, "U0DIRECTOR") in (b"bad", "bad")


async def test_a_command_answer_has_no_feedback_buttons(stack: Stack) -> None:
    thread = new_ts()
    await stack.post_json(event_body(mention("help", thread_ts=thread)))
    await until(lambda: [m for m in stack.slack.in_thread("C0CAST", thread) if not m.streaming])
    assert not [m for m in stack.slack.in_thread("C0CAST", thread) if m.blocks]
