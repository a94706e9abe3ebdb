"""The Slack reply stream against the Web API double: what a person would see."""

from __future__ import annotations

import asyncio
import re
import time

from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.stream import ReplyTarget, SlackReply
from adapters.slack.throttle import Budget, Budgets
from bot.types import ReplyResult, TalentCard, ToolStep
from tests.doubles.slack import BOT_TOKEN, TEAM, WRITES, SlackDouble
from tests.slack.stack import until

WORDS = [f"word{i}" for i in range(120)]


def words_in_order(visible: str, words: list[str]) -> bool:
    found = re.findall(r"word\d+", visible)
    return found == words


def reply(client: AsyncWebClient, thread: str = "100.1", **kwargs: object) -> SlackReply:
    target = ReplyTarget(team=TEAM, channel="C1", thread_ts=thread, user="U1")
    return SlackReply(client, Budgets(), target, **kwargs)  # type: ignore[arg-type]


async def feed(r: SlackReply, words: list[str], delay: float = 0.0) -> None:
    await r.start()
    for word in words:
        await r.append(word + " ")
        await asyncio.sleep(delay)


async def test_native_stream_start_append_stop(
    slack: SlackDouble, web_client: AsyncWebClient
) -> None:
    r = reply(web_client)
    await feed(r, WORDS, 0.002)
    await r.finish(ReplyResult())
    methods = [c.method for c in slack.calls if c.method in WRITES]
    assert methods[0] == "chat.startStream" and methods[-1] == "chat.stopStream"
    assert "chat.appendStream" in methods and "chat.update" not in methods
    start = slack.of("chat.startStream")[0].args
    assert start["thread_ts"] == "100.1" and start["recipient_user_id"] == "U1"
    assert start["recipient_team_id"] == TEAM
    assert words_in_order(slack.thread_text("C1", "100.1"), WORDS)


async def test_edits_when_not_in_a_thread(slack: SlackDouble, web_client: AsyncWebClient) -> None:
    r = reply(web_client, thread="")
    await feed(r, ["**Asha**", *WORDS[:30]], 0.01)
    await r.finish(ReplyResult())
    assert slack.calls[0].method == "chat.postMessage"
    assert {c.method for c in slack.calls} == {"chat.postMessage", "chat.update"}
    (message,) = slack.messages.values()
    assert message.text.startswith("*Asha*")  # mrkdwn, not Markdown
    assert words_in_order(message.text, WORDS[:30])


async def test_broken_stream_replays_into_a_posted_message(
    slack: SlackDouble, web_client: AsyncWebClient
) -> None:
    r = reply(web_client)
    await feed(r, WORDS[:10], 0.002)
    await asyncio.sleep(1.2)
    slack.fail("chat.appendStream", "message_not_in_streaming_state", times=5)
    await feed(r, WORDS[10:40], 0.002)
    await r.finish(ReplyResult())
    assert slack.of("chat.postMessage") or slack.of("chat.update")
    assert words_in_order(slack.thread_text("C1", "100.1"), WORDS[:40])


async def test_rate_limit_storm_still_ends_complete(
    slack: SlackDouble, web_client: AsyncWebClient
) -> None:
    slack.fail("*", "ratelimited", status=429, retry_after=1, seconds=2.5)
    r = reply(web_client, thread="")
    await feed(r, WORDS[:60], 0.01)
    await r.finish(ReplyResult())
    (message,) = slack.messages.values()
    assert words_in_order(message.text, WORDS[:60])
    lengths = [len(re.findall(r"word\d+", t)) for t in message.history]
    assert lengths == sorted(lengths), "visible text went backwards"
    assert any(c.status == 429 for c in slack.calls)


async def test_long_reply_continues_in_follow_up_messages(
    slack: SlackDouble, web_client: AsyncWebClient
) -> None:
    words = [f"word{i}" for i in range(1500)]  # ~13,000 characters
    r = reply(web_client, thread="")
    await r.start()
    for start in range(0, len(words), 100):
        await r.append(" ".join(words[start : start + 100]) + "\n\n")
    await r.finish(ReplyResult())
    messages = sorted(slack.messages.values(), key=lambda m: float(m.ts))
    assert len(messages) >= 4
    assert all(len(m.text) <= 4000 for m in messages)
    assert words_in_order("\n".join(m.text for m in messages), words)


async def test_throttle_holds(slack: SlackDouble, web_client: AsyncWebClient) -> None:
    r = reply(web_client)
    began = time.monotonic()
    await feed(r, WORDS, 0.025)  # ~3 s of tokens, 40 a second
    await r.finish(ReplyResult())
    duration = time.monotonic() - began
    writes = [c for c in slack.calls if c.method == "chat.appendStream"]
    assert len(writes) <= duration / 1.0 + 3, (len(writes), duration)
    assert len(writes) >= 2  # yet it did stream progressively


async def test_failure_keeps_partial_answer(slack: SlackDouble, web_client: AsyncWebClient) -> None:
    r = reply(web_client)
    await feed(r, WORDS[:5])
    await r.fail("⚠️ My answer was cut off (overloaded).")
    text = slack.thread_text("C1", "100.1")
    assert words_in_order(text, WORDS[:5])
    assert text.rstrip().endswith("⚠️ My answer was cut off (overloaded).")
    assert text.count("⚠️") == 1


async def test_stopped_by_user_cancels(slack: SlackDouble, web_client: AsyncWebClient) -> None:
    stopped = asyncio.Event()
    r = reply(web_client, on_stop=stopped.set)
    await feed(r, WORDS[:3])
    await asyncio.sleep(0.2)
    slack.fail("chat.appendStream", "stopped_by_user", times=10)
    await asyncio.sleep(1.1)
    await feed(r, WORDS[3:6])
    await asyncio.wait_for(stopped.wait(), 5)
    calls = len(slack.calls)
    await r.finish(ReplyResult())
    assert len(slack.calls) == calls  # nothing more written after the stop


ASHA = TalentCard(id="t1", name="Asha Patil", score=0.9, why="Marathi, kathak", city="Pune")


async def test_cards_come_under_the_text_as_the_stream_stops(
    slack: SlackDouble, web_client: AsyncWebClient
) -> None:
    r = reply(web_client)
    await feed(r, ["Here", "they", "are"])
    await r.finish(ReplyResult(talent=(ASHA,)))
    (answer,) = slack.in_thread("C1", "100.1")  # one message: no separate card post
    assert answer.text.split() == ["Here", "they", "are"]
    types = [block["type"] for block in answer.blocks]
    assert "Asha Patil" in str(answer.blocks) and types[-1] == "context_actions"  # then 👍/👎
    assert not slack.of("chat.postMessage")


async def test_cards_slack_refuses_at_the_stream_end_are_posted_after_it(
    slack: SlackDouble, web_client: AsyncWebClient
) -> None:
    r = reply(web_client)
    await feed(r, ["Here", "they", "are"])
    slack.fail("chat.stopStream", "invalid_blocks")
    await r.finish(ReplyResult(talent=(ASHA,)))
    answer, cards = slack.in_thread("C1", "100.1")
    assert answer.text.split() == ["Here", "they", "are"] and "Asha Patil" not in str(answer.blocks)
    assert "Asha Patil" in cards.text and cards.blocks


async def test_cards_posted_after_an_edited_text(
    slack: SlackDouble, web_client: AsyncWebClient
) -> None:
    r = reply(web_client, thread="")
    await feed(r, ["Here", "they", "are"])
    await r.finish(ReplyResult(talent=(ASHA,)))
    answer, cards = sorted(slack.messages.values(), key=lambda m: float(m.ts))
    assert answer.text.split() == ["Here", "they", "are"]
    assert cards.blocks and "Asha Patil" in cards.text


async def test_a_message_that_cant_be_edited_continues_in_a_new_one(
    slack: SlackDouble, web_client: AsyncWebClient
) -> None:
    r = reply(web_client, thread="")
    await feed(r, WORDS[:10], 0.01)
    await asyncio.sleep(1.1)
    slack.fail("chat.update", "cant_update_message", times=3)
    slack.fail("chat.update", "msg_too_long", times=1)
    await feed(r, WORDS[10:50], 0.01)
    await r.finish(ReplyResult())
    messages = sorted(slack.messages.values(), key=lambda m: float(m.ts))
    assert words_in_order("\n".join(m.text for m in messages), WORDS[:50])


async def test_tool_steps_show_as_task_lines_while_they_run(
    slack: SlackDouble, web_client: AsyncWebClient
) -> None:
    r = reply(web_client)
    await r.start()
    await r.append("Let me look. ")
    await r.progress(ToolStep("search-1", "Searching the catalogue…"))

    def streamed() -> list:
        return [m for m in slack.messages.values() if m.thread_ts == "100.1"]

    await until(lambda: streamed() and streamed()[0].tasks.get("search-1"))
    assert streamed()[0].tasks["search-1"]["status"] == "in_progress"  # shown before it ends
    await r.progress(ToolStep("search-1", "Searching the catalogue…", "complete", "3 people"))
    await r.progress(ToolStep("add-2", "Adding Amruta to Inspector Yadav…"))
    await r.progress(ToolStep("add-2", "Adding Amruta to Inspector Yadav…", "error", "no role"))
    await r.append("Amruta could not be added.")
    await r.finish(ReplyResult())
    (message,) = streamed()
    assert message.tasks["search-1"]["status"] == "complete"
    assert message.tasks["search-1"]["output"] == "3 people"
    assert message.tasks["add-2"]["title"] == "Adding Amruta to Inspector Yadav…"
    assert message.tasks["add-2"]["status"] == "error"
    assert message.text == "Let me look. Amruta could not be added."  # steps add no text
    assert not message.streaming


async def test_tool_steps_set_the_thread_status_when_editing(
    slack: SlackDouble, web_client: AsyncWebClient
) -> None:
    r = reply(web_client, native=False)
    await r.start()
    await r.progress(ToolStep("search-1", "Searching the catalogue: Haryanvi cop…"))
    await r.append("Found three.")
    await r.finish(ReplyResult())
    statuses = [c.args for c in slack.of("assistant.threads.setStatus")]
    assert statuses and all(s["thread_ts"] == "100.1" for s in statuses)  # a channel thread
    assert any(
        s.get("loading_messages") == ["Searching the catalogue: Haryanvi cop…"] for s in statuses
    )
    (message,) = slack.messages.values()
    assert message.text == "Found three."


async def test_the_whole_reply_shows_when_it_ends_not_after_the_pace(
    slack: SlackDouble, web_client: AsyncWebClient
) -> None:
    # A reply paced at one write per 10 minutes, ended while it waits for the next write:
    # the last words show at once (a finish stuck behind the pace would time out here).
    for thread in ("100.7", ""):  # native stream, then post + edits
        r = reply(web_client, thread=thread, interval_s=600.0)
        await feed(r, WORDS[:3])
        await until(lambda r=r: r.stats.first_text_at)
        await feed(r, WORDS[3:40])
        await asyncio.wait_for(r.finish(ReplyResult()), 20)
        shown = slack.thread_text("C1", "100.7") if thread else r.stats.visible[-1]
        assert words_in_order(shown, WORDS[:40])


async def test_a_write_waiting_for_the_workspace_budget_goes_when_the_reply_ends() -> None:
    budget = Budget(per_minute=1, burst=1)  # one write a minute
    await budget.acquire()
    ended = asyncio.Event()
    waiting = asyncio.create_task(budget.acquire(hurry=ended))
    await asyncio.sleep(0.05)
    assert not waiting.done()  # an ordinary edit waits its turn
    ended.set()
    await asyncio.wait_for(waiting, 20)  # the reply's end doesn't wait the minute out
    budget.pause(0.1)
    await asyncio.wait_for(budget.acquire(hurry=ended), 20)  # a 429 pause is still kept


async def test_a_stream_start_that_times_out_after_slack_made_it_loses_nothing(
    slack: SlackDouble,
) -> None:
    """chat.startStream reached Slack (the message exists, with the first words) but its
    answer came after the client gave up: the whole reply still shows in the thread, in
    a message of its own after the one Slack made (whose ts the reply never learnt)."""
    impatient = AsyncWebClient(token=BOT_TOKEN, base_url=slack.base_url + "/api/", timeout=0.3)
    slack.slow["chat.startStream"] = 1.0
    r = reply(impatient)
    await feed(r, WORDS[:5])
    await asyncio.sleep(0.5)  # the first write went out, and timed out
    await feed(r, WORDS[5:40], 0.002)
    await r.finish(ReplyResult())
    messages = await until(lambda: slack.in_thread("C1", "100.1")[1:])
    assert words_in_order(messages[-1].text, WORDS[:40])
