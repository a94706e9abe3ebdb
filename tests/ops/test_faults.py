"""Faults while `castmatch serve` runs: what the person sees, and proof that no inbound
message and no stored reply is lost. Redis and PostgreSQL faults use disposable servers
started here; Claude, Slack and Twilio faults are scripted in their doubles."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import aiohttp
import pytest

from bot.engine import NOTE_CUT_OFF, NOTE_UNAVAILABLE
from tests.doubles.claude import ClaudeDouble, Reply, Stall, Status
from tests.doubles.slack import SlackDouble
from tests.doubles.twilio import Fail, TwilioDouble
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
from tests.ops.servers import DisposablePostgres, DisposableRedis
from tests.slack.stack import event_body, mention
from tests.whatsapp.conftest import new_wa_id

pytestmark = pytest.mark.slow


class Chat:
    """One WhatsApp person talking to one serve process."""

    def __init__(self, server: Serve, twilio: TwilioDouble) -> None:
        self.server, self.twilio = server, twilio
        self.wa = new_wa_id()
        self.forms: list[dict[str, str]] = []

    @property
    def seen(self) -> list[str]:
        """What the person has received, in order."""
        return self.twilio.bodies(f"+{self.wa}")

    async def say(self, text: str, *, wait: bool = True) -> dict[str, str]:
        form = inbound(text, wa_id=self.wa)
        self.forms.append(form)
        before = len(self.seen)
        await self.resend(form)
        if wait:
            await until(lambda: len(self.seen) > before, within=20, what=f"reply to {text!r}")
        return form

    async def resend(self, form: dict[str, str]) -> None:
        async with aiohttp.ClientSession() as session:
            status, _ = await post_whatsapp(session, self.server.url, form)
        assert status == 200

    def stored(self, database_url: str) -> list[tuple[str, str, str]]:
        return db_rows(
            database_url,
            "SELECT role, status, text FROM messages WHERE user_id = %s ORDER BY created_at, id",
            f"+{self.wa}",
        )


def pairs(rows: list[tuple[str, str, str]]) -> list[tuple[str, str]]:
    return [(role, status) for role, status, _ in rows]


async def metric(server: Serve, name: str, match: Callable[[str], bool] = lambda _: True) -> float:
    async with aiohttp.ClientSession() as session, session.get(server.url + "/metrics") as r:
        text = await r.text()
    return sum(
        float(line.rsplit(" ", 1)[1])
        for line in text.splitlines()
        if line.startswith(name) and match(line)
    )


async def test_redis_killed_mid_conversation_and_restarted(
    settings_env, claude: ClaudeDouble, twilio: TwilioDouble, tmp_path: Path, database_url: str
) -> None:  # type: ignore[no-untyped-def]
    redis = await DisposableRedis(tmp_path / "redis").start()
    env = channel_env(settings_env, claude, None, twilio, REDIS_URL=redis.url)
    server = await Serve(env, "redis-fault").start()
    chat = Chat(server, twilio)
    try:
        await chat.say("Remember: the project is Monsoon Files")
        claude.push(Reply("Working on it, slowly but surely.", chunk_size=3, delay=0.1))
        await chat.say("Who could play the inspector?", wait=False)
        await until(lambda: len(claude.requests) == 2, what="second turn under way")
        await redis.kill()  # mid-reply
        await until(lambda: len(chat.seen) == 2, what="reply despite Redis dying")
        third = await chat.say("And his sister?")  # Redis down throughout this turn
        await redis.start()  # back, and empty: it kept nothing
        await chat.resend(third)  # Twilio retries; Redis no longer remembers the message id
        await chat.say("What is the project called?")
        await asyncio.sleep(0.5)
    finally:
        await server.stop()
        await redis.close()
    # What the person saw: an answer to every message, exactly once.
    assert chat.seen == [
        "You said: Remember: the project is Monsoon Files",
        "Working on it, slowly but surely.",
        "You said: And his sister?",
        "You said: What is the project called?",
    ]
    # Nothing lost: PostgreSQL holds every message and reply, and the last turn still had
    # the whole conversation although Redis had forgotten it.
    stored = chat.stored(database_url)
    assert pairs(stored) == [("user", "answered"), ("assistant", "complete")] * 4
    assert "Monsoon Files" in str(claude.requests[-1]["messages"])


async def test_postgres_restarted(
    settings_env, claude: ClaudeDouble, twilio: TwilioDouble, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    postgres = await DisposablePostgres().start()
    env = channel_env(settings_env, claude, None, twilio, DATABASE_URL=postgres.url)
    server = await Serve(env, "postgres-fault").start()
    chat = Chat(server, twilio)
    try:
        await chat.say("We need a Marathi-speaking lead")
        await postgres.stop()  # a crash, as far as castmatch can tell
        await chat.say("Aged 25 to 30")  # kept in Redis (write-behind) meanwhile
        await postgres.start()
        await chat.say("Any with kathak?")

        def all_stored() -> bool:
            return len(chat.stored(postgres.url)) == 6

        async with aiohttp.ClientSession() as session:
            for _ in range(100):  # readiness checks also prompt the replay
                if await asyncio.to_thread(all_stored):
                    break
                async with session.get(server.url + "/readyz") as response:
                    await response.read()
                await asyncio.sleep(0.2)
            async with session.get(server.url + "/readyz") as response:
                report = await response.json()
        stored = await asyncio.to_thread(chat.stored, postgres.url)
    finally:
        await server.stop()
        await postgres.close()
    # The person noticed nothing: every message answered once.
    assert chat.seen == [
        "You said: We need a Marathi-speaking lead",
        "You said: Aged 25 to 30",
        "You said: Any with kathak?",
    ]
    # The turn taken while PostgreSQL was down reached it once it was back (write-behind).
    assert [(role, text) for role, _, text in stored] == [
        ("user", "We need a Marathi-speaking lead"),
        ("assistant", "You said: We need a Marathi-speaking lead"),
        ("user", "Aged 25 to 30"), ("assistant", "You said: Aged 25 to 30"),
        ("user", "Any with kathak?"), ("assistant", "You said: Any with kathak?"),
    ]  # fmt: skip
    assert {status for role, status, _ in stored if role == "assistant"} == {"complete"}
    assert report["checks"]["postgres"]["status"] == "ok"


async def test_claude_overloaded_then_timing_out_then_recovering(
    settings_env, claude: ClaudeDouble, twilio: TwilioDouble, database_url: str
) -> None:  # type: ignore[no-untyped-def]
    env = channel_env(settings_env, claude, None, twilio, CASTMATCH_CLAUDE_IDLE_TIMEOUT_S="1")
    server = await Serve(env, "claude-fault").start()
    chat = Chat(server, twilio)
    claude.push(
        *[Status(529, retry_after=0)] * 4,  # two messages' worth: each try and its one retry
        Stall("Let me think about the", seconds=30),  # stops mid-answer
        Stall("", seconds=30),  # says nothing at all
    )
    try:
        for text, replies in (("first", 1), ("second", 1), ("third", 2), ("fourth", 1)):
            before = len(chat.seen)
            await chat.say(text, wait=False)
            await until(lambda b=before, r=replies: len(chat.seen) == b + r, what=text)
        await chat.say("fifth", wait=False)
        await until(lambda: chat.seen[-1] == "fifth", what="fifth")
    finally:
        await server.stop()
    # WhatsApp can't edit: the words already written stay, the note follows them.
    assert chat.seen[:5] == [
        NOTE_UNAVAILABLE,
        NOTE_UNAVAILABLE,
        "Let me think about the",
        NOTE_CUT_OFF.format(reason="Claude stopped answering (timed out)"),
        NOTE_UNAVAILABLE,
    ]
    # Back: the answer also takes in the message that got no answer ("fourth").
    assert chat.seen[5].startswith("You said:") and "fourth" in chat.seen[5]
    assert chat.seen[-1] == "fifth"
    stored = chat.stored(database_url)
    assert [t for role, _, t in stored if role == "user"] == [
        "first", "second", "third", "fourth", "fifth",
    ]  # fmt: skip
    assert [s for role, s, _ in stored if role == "assistant"] == [
        "failed", "failed", "partial", "failed", "complete",
    ]  # fmt: skip
    assert "Let me think about the" in [t for role, _, t in stored if role == "assistant"][2]
    # Claude saw every earlier message once it was back.
    history = str(claude.requests[-1]["messages"])
    assert all(word in history for word in ("first", "second", "third", "fourth"))


async def test_slack_429_storm(
    settings_env, claude: ClaudeDouble, slack: SlackDouble, database_url: str
) -> None:  # type: ignore[no-untyped-def]
    env = channel_env(settings_env, claude, slack)
    server = await Serve(env, "slack-storm").start()
    who = new_slack_user()
    events = [mention(f"question {n}", user=who) for n in range(4)]
    try:
        async with aiohttp.ClientSession() as session:
            # Warm: Bolt has authorised (auth.test) before the storm. (A storm that starts
            # before Bolt's first auth.test loses the events it acknowledged: see the report.)
            await post_slack(session, server.url, event_body(events.pop(0)))
            await until(lambda: slack.of("chat.stopStream"), what="warm-up reply")
            slack.fail("*", status=429, retry_after=1, seconds=3)  # every Web API call, 3 s
            for event in events:
                status, _ = await post_slack(session, server.url, event_body(event))
                assert status == 200  # acknowledged at once, storm or not
        for n, event in enumerate(events):
            await until(

                lambda e=event, n=n: slack.in_thread("C0CAST", e["ts"]) and
                slack.in_thread("C0CAST", e["ts"])[0].text == f"You said: question {n + 1}"
                and not slack.in_thread("C0CAST", e["ts"])[0].streaming,
                within=30, what=f"reply {n} after the storm",
            )  # fmt: skip
        limited = await metric(
            server, "castmatch_platform_rate_limited_total", lambda s: "slack" in s
        )
    finally:
        await server.stop()
    assert limited >= 3  # the storm was felt (and counted where it happened)
    assert all(len(slack.in_thread("C0CAST", e["ts"])) == 1 for e in events)  # no duplicates
    stored = db_rows(
        database_url,
        "SELECT role, status FROM messages WHERE user_id = %s ORDER BY id", who,
    )  # fmt: skip
    assert sorted(stored) == sorted([("user", "answered"), ("assistant", "complete")] * 4)


async def test_twilio_5xx(
    settings_env, claude: ClaudeDouble, twilio: TwilioDouble, database_url: str
) -> None:  # type: ignore[no-untyped-def]
    env = channel_env(settings_env, claude, None, twilio)
    server = await Serve(env, "twilio-fault").start()
    chat = Chat(server, twilio)
    twilio.push(Fail(500, 20500), Fail(503, 20503))  # two failures, then Twilio recovers
    try:
        await chat.say("first")
        attempts_first = len(twilio.attempts)
        twilio.push(*[Fail(500, 20500)] * 4)  # longer than the sender's retries
        await chat.say("second", wait=False)
        await until(lambda: len(twilio.attempts) >= attempts_first + 4, what="retries spent")
        await chat.say("third")
        writes = await metric(server, "castmatch_platform_writes_total", lambda s: "twilio" in s)
    finally:
        await server.stop()
    assert attempts_first == 3  # retried through the 5xx
    assert chat.seen == ["You said: first", "You said: third"]  # the second never got through
    assert writes >= 8
    stored = chat.stored(database_url)
    # ...but nothing is lost: the undelivered reply is stored in full with the others.
    assert pairs(stored) == [("user", "answered"), ("assistant", "complete")] * 3
    assert [t for role, _, t in stored if role == "assistant"][1] == "You said: second"
