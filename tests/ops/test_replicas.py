"""Two real `castmatch serve` replicas sharing PostgreSQL and Redis behave as one service."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections.abc import AsyncIterator

import aiohttp
import pytest

from tests.doubles.claude import ClaudeDouble, Reply, memory_text, person_turns
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


@pytest.fixture
async def replicas(settings_env, claude, slack, twilio) -> AsyncIterator[list[Serve]]:  # type: ignore[no-untyped-def]
    env = channel_env(settings_env, claude, slack, twilio)
    pair = [Serve(env, "replica-a"), Serve(env, "replica-b")]
    await asyncio.gather(*(r.start() for r in pair))
    yield pair
    await asyncio.gather(*(r.stop() for r in pair))


async def test_a_retried_delivery_to_both_replicas_gets_one_reply(
    replicas: list[Serve], claude: ClaudeDouble, slack: SlackDouble, twilio: TwilioDouble,
    database_url: str,
) -> None:  # fmt: skip
    a, b = replicas
    who = new_slack_user()
    event = mention("who can do kathak in Pune?", user=who)
    body = event_body(event)
    wa = new_wa_id()
    form = inbound("any Marathi actors?", wa_id=wa)
    async with aiohttp.ClientSession() as session:
        answers = await asyncio.gather(
            post_slack(session, a.url, body),
            post_slack(session, b.url, {**body}),  # Slack's retry: the same event, elsewhere
            post_whatsapp(session, a.url, form),
            post_whatsapp(session, b.url, form),  # Twilio's retry of the same MessageSid
        )
    assert [status for status, _ in answers] == [200, 200, 200, 200]
    thread = event["ts"]
    await until(lambda: slack.in_thread("C0CAST", thread) and not
                slack.in_thread("C0CAST", thread)[0].streaming, what="slack reply")  # fmt: skip
    await until(lambda: twilio.bodies(f"+{wa}"), what="whatsapp reply")
    await asyncio.sleep(1.0)  # time for a second reply, were one coming
    assert len(slack.in_thread("C0CAST", thread)) == 1
    assert slack.in_thread("C0CAST", thread)[0].text == "You said: who can do kathak in Pune?"
    assert twilio.bodies(f"+{wa}") == ["You said: any Marathi actors?"]
    assert len(claude.requests) == 2
    stored = db_rows(
        database_url,
        "SELECT channel, role, status FROM messages WHERE user_id IN (%s, %s) ORDER BY id",
        who, f"+{wa}",
    )  # fmt: skip
    assert sorted(stored) == sorted([
        ("slack", "user", "answered"), ("slack", "assistant", "complete"),
        ("whatsapp", "user", "answered"), ("whatsapp", "assistant", "complete"),
    ])  # fmt: skip


async def test_turns_of_one_conversation_stay_ordered_across_replicas(
    replicas: list[Serve], claude: ClaudeDouble, twilio: TwilioDouble, database_url: str
) -> None:
    a, b = replicas
    wa = new_wa_id()
    # The first answer is slow, so the next messages queue up on both replicas at once.
    claude.push(Reply("First answer, slowly.", chunk_size=4, delay=0.15))
    texts = ["one", "two", "three", "four"]
    async with aiohttp.ClientSession() as session:
        for number, (text, replica) in enumerate(zip(texts, (a, b, a, b), strict=True)):
            status, _ = await post_whatsapp(session, replica.url, inbound(text, wa_id=wa))
            assert status == 200
            if number == 0:
                await until(lambda: claude.requests, what="first turn started")
            await asyncio.sleep(0.15)
    await until(lambda: len(twilio.bodies(f"+{wa}")) == 4, within=30, what="four replies")
    # Each turn saw the previous ones: Claude got them in order, with the history before.
    last_user = [r["messages"][-1]["content"] for r in claude.requests]
    assert last_user == texts
    history = [m["content"] for m in person_turns(claude.requests[-1])[:-1] if m["role"] == "user"]
    assert len(history) == 3  # memory labels each earlier turn with its date
    assert all(h.endswith(t) for h, t in zip(history, texts, strict=False))
    assert twilio.bodies(f"+{wa}") == [
        "First answer, slowly.", "You said: two", "You said: three", "You said: four",
    ]  # fmt: skip
    stored = db_rows(
        database_url,
        "SELECT role, text FROM messages WHERE user_id = %s ORDER BY id",
        f"+{wa}",
    )
    assert [t for role, t in stored if role == "user"] == texts


async def _ask(session: aiohttp.ClientSession, url: str, twilio: TwilioDouble, wa: str,
               text: str) -> str:  # fmt: skip
    """Send one WhatsApp message and return every body of its reply, joined.

    A reply may go out as several messages (the first paragraph early), so wait until no
    further body arrives for a second.
    """
    before = len(twilio.bodies(f"+{wa}"))
    await post_whatsapp(session, url, inbound(text, wa_id=wa))
    await until(lambda: len(twilio.bodies(f"+{wa}")) > before, within=30, what=f"reply to {text!r}")
    seen = -1
    while seen != len(twilio.bodies(f"+{wa}")):
        seen = len(twilio.bodies(f"+{wa}"))
        await asyncio.sleep(1.0)
    return "\n".join(twilio.bodies(f"+{wa}")[before:])


async def test_a_catalogue_import_reaches_both_replicas_search(
    replicas: list[Serve], twilio: TwilioDouble, settings_env: dict[str, str], tmp_path
) -> None:  # type: ignore[no-untyped-def]
    a, b = replicas
    wa = new_wa_id()
    async with aiohttp.ClientSession() as session:
        # Both replicas have their index open (and empty of this profile) before the import.
        for replica in (a, b):
            reply = await _ask(session, replica.url, twilio, wa, "search Zorawar")
            assert "Zorawar Sandhu" not in reply
        catalogue = tmp_path / "new.jsonl"
        catalogue.write_text(json.dumps({
            "id": "ops-zorawar", "name": "Zorawar Sandhu", "gender": "male",
            "birth_year": 1990, "city": "Chandigarh", "languages": ["Punjabi", "Hindi"],
            "skills": ["bhangra", "horse riding"], "bio": "Punjabi actor and bhangra dancer",
        }) + "\n")  # fmt: skip
        env = {**os.environ, **settings_env}
        importer = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "castmatch.cli", "talent", "import", str(catalogue),
            env=env, cwd=tmp_path, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        _, err = await asyncio.wait_for(importer.communicate(), 120)
        assert importer.returncode == 0, err.decode()
        answers: dict[str, list[str]] = {}
        for replica in (a, b):
            # Each replica notices the import within its freshness interval (a few seconds):
            # ask again a few times, as a person would.
            for _ in range(6):
                reply = await _ask(
                    session, replica.url, twilio, wa, "search bhangra dancer Chandigarh"
                )
                answers.setdefault(replica.url, []).append(reply)
                if "Zorawar Sandhu" in reply:
                    break
                await asyncio.sleep(2.0)
    assert all("Zorawar Sandhu" in replies[-1] for replies in answers.values()), answers


async def test_what_one_replica_learns_is_recalled_by_the_other(
    replicas: list[Serve], claude: ClaudeDouble, slack: SlackDouble
) -> None:
    a, b = replicas
    who = new_slack_user()
    told = mention("note for later: the villain's stunt double is Farhan Qureshi", user=who)
    async with aiohttp.ClientSession() as session:
        await post_slack(session, a.url, event_body(told))
        await until(lambda: slack.in_thread("C0CAST", told["ts"]), what="first reply")
        recalled = ""
        # Background indexing, then the other replica's refresh: seconds, more on a busy machine.
        for _ in range(15):
            await asyncio.sleep(2.0)
            asked = mention("who was the stunt double for the villain?", user=who)  # new thread
            before = len(claude.requests)
            await post_slack(session, b.url, event_body(asked))
            await until(lambda n=before: len(claude.requests) > n, what="second turn")
            recalled = memory_text(claude.requests[-1])
            if "Farhan Qureshi" in recalled:
                break
    assert "Farhan Qureshi" in recalled  # from replica a's memory, in replica b's context
