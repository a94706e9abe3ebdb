"""A `castmatch serve` killed mid-reply, or stopped with SIGTERM: nothing left "thinking"."""

from __future__ import annotations

import asyncio
import signal

import aiohttp
import pytest

from bot.engine import NOTE_INTERRUPTED
from tests.doubles.claude import ClaudeDouble, Reply
from tests.doubles.slack import SlackDouble
from tests.doubles.twilio import TwilioDouble
from tests.ops.harness import (
    Serve,
    channel_env,
    db_rows,
    inbound,
    new_slack_user,
    post_slack,
    post_whatsapp,
    until,
)
from tests.slack.stack import event_body, mention
from tests.whatsapp.conftest import new_wa_id

pytestmark = pytest.mark.slow

LONG = "Here are my first thoughts on the role.\n\n" + "More detail follows, slowly. " * 40


def streaming_rows(database_url: str) -> list[tuple[int, str]]:
    return db_rows(
        database_url,
        "SELECT id, conversation_id FROM messages WHERE status = 'streaming'",
    )


async def test_sigkill_mid_reply_is_closed_with_a_visible_note_on_restart(
    settings_env, claude: ClaudeDouble, slack: SlackDouble, twilio: TwilioDouble, database_url
) -> None:  # type: ignore[no-untyped-def]
    env = channel_env(settings_env, claude, slack, twilio)
    first = await Serve(env, "killed").start()
    claude.push(Reply(LONG, chunk_size=6, delay=0.05), Reply(LONG, chunk_size=6, delay=0.05))
    who = new_slack_user()
    event = mention("tell me about the cop role", user=who)
    wa = new_wa_id()
    async with aiohttp.ClientSession() as session:
        assert (await post_slack(session, first.url, event_body(event)))[0] == 200
        assert (await post_whatsapp(session, first.url, inbound("the cop role?", wa_id=wa)))[
            0
        ] == 200
    thread = ("C0CAST", event["ts"])
    # Both replies are visibly under way: Slack streams text, WhatsApp sent the first paragraph.
    await until(lambda: slack.in_thread(*thread) and "first thoughts" in
                slack.in_thread(*thread)[0].text, what="slack text")  # fmt: skip
    await until(lambda: twilio.bodies(f"+{wa}"), what="first whatsapp paragraph")
    first.signal(signal.SIGKILL)
    await first.wait()
    assert slack.in_thread(*thread)[0].streaming
    assert len(streaming_rows(database_url)) == 2

    second = await Serve(env, "killed").start()  # the same data folder, a new process
    try:
        # The dead process's conversation locks lapse within seconds; then it is closed.
        await until(lambda: not streaming_rows(database_url), within=30, what="rows closed")
        await until(lambda: len(twilio.bodies(f"+{wa}")) == 2, what="whatsapp note")
        await until(lambda: not slack.in_thread(*thread)[0].streaming, what="slack closed")
    finally:
        await second.stop()
    message = slack.in_thread(*thread)[0]
    assert message.text.startswith("Here are my first thoughts")
    assert message.text.endswith(NOTE_INTERRUPTED)
    assert len(slack.in_thread(*thread)) == 1  # the same message, stopped with the note
    assert twilio.bodies(f"+{wa}") == ["Here are my first thoughts on the role.", NOTE_INTERRUPTED]
    replies = db_rows(
        database_url,
        "SELECT status, text FROM messages WHERE role = 'assistant' AND user_id IN (%s, %s)",
        who, f"+{wa}",
    )  # fmt: skip
    assert [status for status, _ in replies] == ["partial", "partial"]
    assert all(text.endswith(NOTE_INTERRUPTED) for _, text in replies)
    inbound_rows = db_rows(
        database_url,
        "SELECT status FROM messages WHERE role = 'user' AND user_id IN (%s, %s)",
        who, f"+{wa}",
    )  # fmt: skip
    assert len(inbound_rows) == 2  # both messages kept


async def test_sigterm_lets_the_reply_in_flight_finish(
    settings_env, claude: ClaudeDouble, twilio: TwilioDouble, database_url
) -> None:  # type: ignore[no-untyped-def]
    env = channel_env(settings_env, claude, None, twilio, CASTMATCH_SHUTDOWN_GRACE_S="15")
    server = await Serve(env, "graceful").start()
    claude.push(Reply("A short answer that takes a second or two.", chunk_size=4, delay=0.1))
    wa = new_wa_id()
    async with aiohttp.ClientSession() as session:
        await post_whatsapp(session, server.url, inbound("quick one", wa_id=wa))
        await until(lambda: claude.requests, what="turn started")
        server.signal(signal.SIGTERM)
        await asyncio.sleep(0.3)
        # Draining: a kept-alive connection gets 503 (Twilio retries elsewhere), readiness
        # says down, and new connections are refused.
        assert (await post_whatsapp(session, server.url, inbound("late", wa_id=wa)))[0] == 503
    async with aiohttp.ClientSession() as fresh:
        with pytest.raises(aiohttp.ClientConnectionError):
            await post_whatsapp(fresh, server.url, inbound("later", wa_id=wa))
    assert await server.wait() == 0
    assert twilio.bodies(f"+{wa}") == ["A short answer that takes a second or two."]
    status = db_rows(
        database_url, "SELECT status FROM messages WHERE role='assistant' AND user_id=%s", f"+{wa}"
    )
    assert status == [("complete",)]


async def test_sigterm_with_a_tiny_grace_closes_the_reply_with_a_note(
    settings_env, claude: ClaudeDouble, slack: SlackDouble, twilio: TwilioDouble, database_url
) -> None:  # type: ignore[no-untyped-def]
    env = channel_env(settings_env, claude, slack, twilio, CASTMATCH_SHUTDOWN_GRACE_S="0.5")
    server = await Serve(env, "hurried").start()
    claude.push(Reply(LONG, chunk_size=6, delay=0.05), Reply(LONG, chunk_size=6, delay=0.05))
    who = new_slack_user()
    event = mention("a long answer please", user=who)
    wa = new_wa_id()
    async with aiohttp.ClientSession() as session:
        await post_slack(session, server.url, event_body(event))
        await post_whatsapp(session, server.url, inbound("a long answer please", wa_id=wa))
    thread = ("C0CAST", event["ts"])
    await until(lambda: twilio.bodies(f"+{wa}"), what="first whatsapp paragraph")
    await until(lambda: slack.in_thread(*thread), what="slack reply started")
    server.signal(signal.SIGTERM)
    assert await server.wait() == 0
    message = slack.in_thread(*thread)[0]
    assert not message.streaming and message.text.endswith(NOTE_INTERRUPTED)
    assert twilio.bodies(f"+{wa}")[-1].endswith(NOTE_INTERRUPTED)  # the rest, then the note
    assert not streaming_rows(database_url)
    statuses = db_rows(
        database_url,
        "SELECT status FROM messages WHERE role = 'assistant' AND user_id IN (%s, %s)",
        who, f"+{wa}",
    )  # fmt: skip
    assert statuses == [("partial",), ("partial",)]


async def test_sigterm_keeps_messages_still_queued_and_tells_the_person(
    settings_env, claude: ClaudeDouble, slack: SlackDouble, twilio: TwilioDouble, database_url
) -> None:  # type: ignore[no-untyped-def]
    env = channel_env(settings_env, claude, slack, twilio, CASTMATCH_SHUTDOWN_GRACE_S="0.5")
    server = await Serve(env, "queued").start()
    claude.push(Reply(LONG, chunk_size=6, delay=0.05))
    wa = new_wa_id()
    async with aiohttp.ClientSession() as session:
        await post_whatsapp(session, server.url, inbound("a long answer please", wa_id=wa))
        await until(lambda: twilio.bodies(f"+{wa}"), what="first whatsapp paragraph")
        # acknowledged, then waiting behind the first answer when the service stops
        await post_whatsapp(session, server.url, inbound("and a second question", wa_id=wa))
    await asyncio.sleep(0.2)
    server.signal(signal.SIGTERM)
    assert await server.wait() == 0
    assert twilio.bodies(f"+{wa}").count(NOTE_INTERRUPTED) >= 1
    kept = db_rows(
        database_url,
        "SELECT text FROM messages WHERE role = 'user' AND user_id = %s ORDER BY id",
        f"+{wa}",
    )
    assert [text for (text,) in kept] == ["a long answer please", "and a second question"]
