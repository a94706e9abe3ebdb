"""The engine's turn, against real PostgreSQL and Redis and the Claude double via the SDK."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select
from sqlalchemy import text as sql_text

from bot.engine import Engine
from bot.llm.claude import ClaudeResponder
from bot.pipeline import Inbound
from bot.settings import Settings
from bot.types import ConversationKey, InboundMessage
from memory.models import Message
from tests.doubles.claude import (
    ClaudeDouble,
    Reply,
    Stall,
    Status,
    StreamError,
    ToolCall,
    person_turns,
)
from tests.doubles.reply import RecordingOutlet, RecordingReply


@pytest.fixture
async def engine(services, settings: Settings, claude: ClaudeDouble) -> AsyncIterator[Engine]:
    configured = settings.model_copy(
        update={
            "anthropic_api_key": "sk-test",
            "anthropic_base_url": claude.url,
            "claude_idle_timeout_s": 3.0,  # long enough for a loaded CI machine
            "claude_max_retries": 2,
        }
    )
    responder = ClaudeResponder(configured)
    yield Engine(services, responder)
    await responder.close()


def message(text: str, chat: str = "", user: str = "asha") -> InboundMessage:
    key = ConversationKey("console", "acme", chat or f"chat-{uuid.uuid4().hex[:8]}")
    return InboundMessage(key=key, user_id=user, text=text, message_id=uuid.uuid4().hex)


async def stored(services, key: ConversationKey) -> list[Message]:
    async with services.sessions() as session:
        query = select(Message).where(Message.conversation_id == key.id).order_by(Message.id)
        return list((await session.execute(query)).scalars())


async def test_reply_streams_and_is_stored_with_usage(engine, claude, services):
    claude.push(Reply("Priya Nair speaks Marathi and does kathak.", chunk_size=5))
    reply = RecordingReply()
    msg = message("who speaks Marathi?")
    await engine.handle(msg, reply)
    assert reply.text == "Priya Nair speaks Marathi and does kathak."
    assert len([e for e in reply.events if e[0] == "append"]) > 3  # progressive, not one blob
    assert reply.events[0][0] == "start" and reply.events[-1][0] == "finish"
    rows = await stored(services, msg.key)
    assert [(r.role, r.status) for r in rows] == [("user", "answered"), ("assistant", "complete")]
    assert rows[1].text == reply.text
    assert rows[1].model == "claude-haiku-5-5"
    assert rows[1].input_tokens > 0 and rows[1].output_tokens > 0
    assert rows[1].latency_ms is not None


async def test_system_prompt_and_tools_are_cached(engine, claude):
    await engine.handle(message("hello"), RecordingReply())
    body = claude.requests[-1]
    assert body["system"][0]["cache_control"] == {"type": "ephemeral"}
    assert "never invent" in body["system"][0]["text"].lower()
    assert "temperature" not in body


async def test_earlier_turns_are_sent_to_claude(engine, claude):
    chat = f"c-{uuid.uuid4().hex[:6]}"
    for text in ("We are casting Inspector Yadav", "He is in his 40s", "Who fits the role?"):
        await engine.handle(message(text, chat), RecordingReply())
    sent = person_turns(claude.requests[-1])
    assert [m["role"] for m in sent] == ["user", "assistant"] * 2 + ["user"]
    assert "Inspector Yadav" in sent[0]["content"]
    assert sent[-1]["content"] == "Who fits the role?"


async def test_turns_rebuilt_from_postgres_hold_each_message_once(engine, claude, services):
    # Working memory lost: the context is read from PostgreSQL while the new message is
    # being stored there, and must not show it twice.
    chat = f"c-{uuid.uuid4().hex[:6]}"
    await engine.handle(message("We are casting Inspector Yadav", chat), RecordingReply())
    last = message("Who fits the role?", chat)
    await services.memory.working.drop(last.key.id)
    await engine.handle(last, RecordingReply())
    sent = person_turns(claude.requests[-1])
    assert [m["role"] for m in sent] == ["user", "assistant", "user"]
    assert "Inspector Yadav" in sent[0]["content"]
    assert sent[-1]["content"] == "Who fits the role?"


async def test_context_read_after_the_message_is_stored_leaves_it_out(engine, services):
    # The engine reads context while storing the message; when the row lands first, the
    # read must still leave it out (by its platform id: its row id is not known yet).
    chat = f"c-{uuid.uuid4().hex[:6]}"
    await engine.handle(message("We are casting Inspector Yadav", chat), RecordingReply())
    last = message("Who fits the role?", chat)
    await services.memory.working.drop(last.key.id)
    await services.memory.turns.open_turn(last)
    context = await services.memory.context.build(last, 0, embed=False)
    assert [m["role"] for m in context.messages] == ["user", "assistant", "user"]
    assert context.messages[-1]["content"] == "Who fits the role?"


async def test_retried_message_gets_one_reply(engine, claude, services):
    msg = message("shortlist the second one")
    first, second = RecordingReply(), RecordingReply()
    await asyncio.gather(engine.handle(msg, first), engine.handle(msg, second))
    assert len(claude.requests) == 1
    assert [bool(first.events), bool(second.events)].count(True) == 1
    assert len(await stored(services, msg.key)) == 2


async def test_overloaded_then_success_is_retried_by_the_sdk(engine, claude):
    claude.push(Status(529, retry_after=0), Reply("Back again."))
    reply = RecordingReply()
    await engine.handle(message("anyone?"), reply)
    assert reply.text == "Back again." and not reply.note
    assert len(claude.requests) == 2


async def test_claude_down_gives_an_apology_and_keeps_the_message(engine, claude, services):
    claude.push(*[Status(500, retry_after=0)] * 3)
    reply = RecordingReply()
    msg = message("find me a cop")
    await engine.handle(msg, reply)
    assert reply.text == "" and "can't reach Claude" in reply.note
    rows = await stored(services, msg.key)
    assert rows[0].text == "find me a cop" and rows[0].status == "failed"
    assert rows[1].status == "failed"


async def test_error_after_visible_text_keeps_the_partial_answer(engine, claude, services):
    claude.push(StreamError(text_before="The first three matches are"))
    reply = RecordingReply()
    msg = message("list matches")
    await engine.handle(msg, reply)
    assert reply.text == "The first three matches are"  # shown once, never repeated
    assert "cut off" in reply.note
    assert len(claude.requests) == 1
    rows = await stored(services, msg.key)
    assert rows[1].status == "partial" and rows[1].text == "The first three matches are"


async def test_a_stalled_stream_ends_by_the_idle_timeout(engine, claude):
    claude.push(Stall(text_before="Looking", seconds=30))
    reply = RecordingReply()
    started = time.monotonic()
    await engine.handle(message("hello?"), reply)
    assert reply.text == "Looking" and "cut off" in reply.note
    assert time.monotonic() - started < 20  # well before the double's 30 s stall ends


async def test_tool_rounds_feed_results_back(engine, claude, services):
    calls = []

    async def lookup(arguments, ctx):
        from bot.tools import ToolOutcome

        calls.append(arguments)
        return ToolOutcome({"found": ["Rohan Kulkarni"]})

    from bot.tools import Tool

    services.tools.add(Tool("lookup_test", "test tool", {"type": "object"}, lookup))
    claude.push(ToolCall("lookup_test", {"q": "cop"}, text="Checking."), Reply("Rohan fits."))
    reply = RecordingReply()
    await engine.handle(message("who fits the cop role?"), reply)
    assert calls == [{"q": "cop"}]
    assert reply.text == "Checking.\n\nRohan fits."
    follow_up = claude.requests[-1]["messages"]
    assert follow_up[-1]["content"][0]["type"] == "tool_result"
    assert "Rohan Kulkarni" in follow_up[-1]["content"][0]["content"]


async def test_tool_rounds_are_capped(engine, claude, services, settings):
    from bot.tools import Tool, ToolOutcome

    async def again(arguments, ctx):
        return ToolOutcome("nothing")

    services.tools.add(Tool("again_test", "test tool", {"type": "object"}, again))
    claude.push(*[ToolCall("again_test", {}) for _ in range(10)])
    await engine.handle(message("loop please"), RecordingReply())
    assert len(claude.requests) == settings.tool_rounds + 1
    assert claude.requests[-1]["tool_choice"] == {"type": "none"}


async def test_same_conversation_is_answered_in_order(engine, claude, services):
    chat = f"o-{uuid.uuid4().hex[:6]}"
    claude.push(Reply("first answer", delay=0.05), Reply("second answer"))
    one, two = RecordingReply(), RecordingReply()
    first = asyncio.create_task(engine.handle(message("one", chat), one))
    await asyncio.sleep(0.01)
    await asyncio.gather(first, engine.handle(message("two", chat), two))
    assert one.text == "first answer" and two.text == "second answer"
    assert claude.max_in_flight == 1  # the second waited for the first reply
    # the second request already carried the first exchange
    assert claude.requests[-1]["messages"][1]["content"] == "first answer"


async def test_different_conversations_run_in_parallel(engine, claude):
    claude.token_delay = 0.2  # each reply streams for a while
    replies = [RecordingReply() for _ in range(4)]
    await asyncio.gather(*(engine.handle(message("hi there friend"), r) for r in replies))
    assert all(r.text for r in replies)
    assert claude.max_in_flight >= 2  # their streams overlapped: not one after another


async def test_too_long_message_is_saved_and_refused_clearly(engine, claude, services):
    msg = message("x" * 100_000)
    reply = RecordingReply()
    await engine.handle(msg, reply)
    assert "too long" in reply.note and not claude.requests
    rows = await stored(services, msg.key)
    assert len(rows[0].text) == 100_000


async def test_a_runaway_sender_is_politely_limited(services, settings, claude):
    limited = settings.model_copy(update={"rate_limit_per_minute": 2})
    services.settings = limited
    from bot.llm.offline import OfflineResponder

    engine = Engine(services, OfflineResponder())
    pipeline = engine.pipeline()
    sender = "+9198" + uuid.uuid4().hex[:8].translate(str.maketrans("abcdef", "123456"))
    key = ConversationKey("whatsapp", "+14155550100", sender)
    await services.directory.add_members(key.home, [f"whatsapp:{sender}"])
    replies = []
    for n in range(4):
        reply = RecordingReply()
        msg = InboundMessage(key=key, user_id=sender, text=f"hi {n}", message_id=uuid.uuid4().hex)
        await pipeline(Inbound(msg, RecordingOutlet(reply)))
        replies.append(reply)
    assert "offline mode" in replies[1].text
    assert "faster than I can answer" in replies[2].text
    assert not replies[3].events and not replies[3].pieces  # refused once per window
    console = message("hello")  # the terminal is never limited
    for _ in range(3):
        reply = RecordingReply()
        await pipeline(Inbound(message("hello", console.key.chat), RecordingOutlet(reply)))
    assert "faster" not in reply.text


async def test_a_channel_failing_mid_reply_still_stores_the_reply(engine, claude, services):
    class BrokenChannel(RecordingReply):
        async def append(self, text: str) -> None:
            await super().append(text)
            if len(self.pieces) == 2:
                raise ConnectionError("the platform went away")

    claude.push(Reply("One two three four five six.", chunk_size=4))
    reply = BrokenChannel()
    msg = message("count please")
    await engine.handle(msg, reply)
    assert "went wrong" in reply.note
    rows = await stored(services, msg.key)
    assert rows[1].status == "partial" and rows[1].text == "One two "


async def test_a_nul_character_is_dropped_and_nobody_else_is_affected(engine, claude, services):
    claude.push(Reply("Noted."))
    claude.push(Reply("Noted too."))
    odd = message("inspector\x00 role")
    first, second = RecordingReply(), RecordingReply()
    await engine.handle(odd, first)
    await engine.handle(message("next person"), second)
    assert first.text == "Noted." and second.text == "Noted too."
    rows = await stored(services, odd.key)
    assert rows[0].text == "inspector role" and rows[1].status == "complete"
    assert engine.memory.gate.failures == 0  # not mistaken for PostgreSQL being down
    assert await engine.memory.buffer.pending() == 0


async def test_a_message_is_embedded_once_from_the_moment_it_enters(engine, claude, monkeypatch):
    """Recall's embedding of a message starts as it enters the pipeline (overlapping the
    gate, the router and the conversation lock) and the turn uses that one, not a second;
    a command answered without Claude doesn't keep one running."""
    embedded: list[str] = []
    real = engine.context.embedder.queries

    async def counted(texts):
        embedded.extend(texts)
        return await real(texts)

    monkeypatch.setattr(engine.context.embedder, "queries", counted)
    claude.push(Reply("Priya Nair does kathak."))
    outlet = RecordingOutlet()
    pipeline = engine.pipeline()
    await pipeline(Inbound(message("who does kathak in Pune?"), outlet))
    assert outlet.recording.text == "Priya Nair does kathak."
    assert len(embedded) == 1 and "kathak" in embedded[0]
    await pipeline(Inbound(message("help"), RecordingOutlet()))
    assert not engine.early._pending  # the command's embedding was not left behind


async def test_a_turn_after_postgresql_ended_the_idle_connections_is_stored(
    engine, claude, services
):
    """PostgreSQL ended every idle connection (a restart, an administrator): the next turn
    is answered and stored in PostgreSQL, not buffered or failed — a checkout sees its
    connection is gone (without a ping) and opens a new one."""
    await engine.handle(message("hello"), RecordingReply())  # connections in the pool
    ended = (
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
        "WHERE datname = current_database() AND pid <> pg_backend_pid()"
    )
    async with services.db.connect() as conn:
        assert (await conn.execute(sql_text(ended))).scalar() > 0
    await asyncio.sleep(0.2)
    claude.push(Reply("Priya Nair does kathak."))
    msg, reply = message("who does kathak?"), RecordingReply()
    await engine.handle(msg, reply)
    assert reply.text == "Priya Nair does kathak."
    rows = await stored(services, msg.key)
    assert [(r.role, r.status) for r in rows] == [("user", "answered"), ("assistant", "complete")]


async def test_a_turn_holds_background_work_back_only_until_its_first_text(
    engine, claude, services
):
    """Memory indexing of answered turns waits while a turn has yet to show text, and not
    after: the rest of a long reply streams beside it."""
    holding: list[tuple[str, int]] = []

    class Watching(RecordingReply):
        async def start(self) -> None:
            holding.append(("start", services.priority.before_first_text))
            await super().start()

        async def append(self, text: str) -> None:
            holding.append(("append", services.priority.before_first_text))
            await super().append(text)

    claude.push(Reply("Priya Nair speaks Marathi and does kathak.", chunk_size=5))
    await engine.handle(message("who speaks Marathi?"), Watching())
    assert holding[0] == ("start", 1)
    assert {count for event, count in holding if event == "append"} == {0}
    assert services.priority.before_first_text == 0


async def test_a_whatsapp_turn_holds_background_work_back_until_its_first_paragraph_is_sent(
    engine, claude, services
):
    """On WhatsApp the person sees nothing until a whole paragraph is sent: answered
    turns' indexing stays back while that first paragraph is being written and sent."""
    from adapters.whatsapp.stream import WhatsAppReply

    holding: list[tuple[str, int]] = []

    async def deliver(body: str, media) -> bool:
        holding.append(("send", services.priority.before_first_text))
        await asyncio.sleep(0.01)  # Twilio accepting the message
        return True

    class Watching(WhatsAppReply):
        async def append(self, text: str) -> None:
            holding.append(("append", services.priority.before_first_text))
            await super().append(text)

    claude.push(Reply("Priya Nair does kathak.\n\nShe is free in March.", chunk_size=5))
    await engine.handle(message("who does kathak?"), Watching(deliver))
    sends = [count for event, count in holding if event == "send"]
    assert sends == [1, 0]  # the first paragraph went out while held; the rest after
    first_send = holding.index(("send", 1))
    assert {count for _, count in holding[:first_send]} == {1}  # writing it: held
    assert services.priority.before_first_text == 0
