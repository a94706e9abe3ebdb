"""Redis down, PostgreSQL down: the turn completes, nothing is lost, /readyz says degraded.

These stop and restart disposable servers the test starts itself (tests/memory/servers.py).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.engine import Engine
from bot.health import readiness
from bot.llm.claude import ClaudeResponder
from bot.metrics import REGISTRY
from bot.settings import Settings
from castmatch.app import open_castmatch
from memory.models import MemoryItem, Message
from memory.runtime import get_memory
from memory.writebehind import inbound_entry
from tests.doubles.claude import ClaudeDouble, Reply
from tests.doubles.reply import RecordingReply
from tests.memory.conftest import DAY1, days, drain, say, unique
from tests.memory.servers import DisposablePostgres, DisposableRedis


def _engine(services, settings: Settings, claude: ClaudeDouble) -> tuple[Engine, ClaudeResponder]:  # type: ignore[no-untyped-def]
    configured = settings.model_copy(
        update={"anthropic_api_key": "sk-test", "anthropic_base_url": claude.url}
    )
    responder = ClaudeResponder(configured)
    return Engine(services, responder), responder


@pytest.fixture
async def redis_server(tmp_path: Path) -> AsyncIterator[DisposableRedis]:
    server = DisposableRedis(tmp_path / "redis")
    server.start()
    yield server
    server.kill()


@pytest.fixture
async def postgres_server() -> AsyncIterator[DisposablePostgres]:
    server = DisposablePostgres()
    server.start()
    yield server
    server.close()


async def _turn(engine: Engine, claude: ClaudeDouble, text: str, **kw) -> RecordingReply:  # type: ignore[no-untyped-def]
    claude.push(Reply(f"ok: {text[:20]}"))
    reply = RecordingReply()
    await engine.handle(say(text, channel="console", **kw), reply)
    return reply


def _memory_errors(layer: str) -> float:
    sample = REGISTRY.get_sample_value("castmatch_memory_errors_total", {"layer": layer})
    return sample or 0.0


async def test_redis_down_the_turn_completes_from_postgres(settings, claude, redis_server):
    configured = settings.model_copy(update={"redis_url": redis_server.url})
    async with open_castmatch(configured) as services:
        engine, responder = _engine(services, configured, claude)
        ws, user = unique("ws"), unique("u")
        at = DAY1
        first = await _turn(
            engine, claude, "We are casting Khaki Nights.", workspace=ws, user=user, at=at
        )
        assert first.text and not first.note
        redis_server.kill()
        errors_before = _memory_errors("redis")
        second = await _turn(
            engine, claude, "Who plays the inspector?", workspace=ws, user=user, at=at + days(0.01)
        )
        assert second.text.startswith("ok:") and not second.note
        sent = claude.requests[-1]["messages"]
        assert "Khaki Nights" in sent[0]["content"]  # context rebuilt from PostgreSQL
        ready = await readiness(services, engine)
        assert ready["status"] == "degraded" and ready["checks"]["redis"]["status"] == "down"
        assert ready["checks"]["index"]["status"] == "degraded"
        assert _memory_errors("redis") > errors_before  # an operator sees it in /metrics

        redis_server.start()  # back, empty: working memory is rebuilt on the next turn
        await _turn(engine, claude, "And the villain?", workspace=ws, user=user, at=at + days(0.02))
        contents = " ".join(m["content"] for m in claude.requests[-1]["messages"])
        assert "Khaki Nights" in contents and "Who plays the inspector?" in contents
        key = say("x", workspace=ws, user=user, channel="console").key
        turns, complete = await get_memory(services).working.recent(key.id)
        assert complete and len(turns) == 6
        await drain(services)
        await responder.close()


async def test_postgres_down_turns_complete_and_are_replayed(settings, claude, postgres_server):
    configured = settings.model_copy(update={"database_url": postgres_server.url()})
    async with open_castmatch(configured) as services:
        engine, responder = _engine(services, configured, claude)
        memory = get_memory(services)
        ws, user = unique("ws"), unique("u")
        await _turn(
            engine, claude, "We are casting Khaki Nights.", workspace=ws, user=user, at=DAY1
        )
        await drain(services)

        postgres_server.stop()
        second = await _turn(
            engine,
            claude,
            "Shortlist Rohan Mehra for the cop role.",
            workspace=ws,
            user=user,
            at=DAY1 + days(0.01),
        )
        assert second.text.startswith("ok:") and not second.note
        assert "Khaki Nights" in claude.requests[-1]["messages"][0]["content"]  # from Redis
        third = await _turn(
            engine,
            claude,
            "And who else did we like?",
            workspace=ws,
            user=user,
            at=DAY1 + days(0.02),
        )
        assert third.text and not third.note
        assert "Rohan Mehra" in str(claude.requests[-1]["messages"])
        assert await memory.buffer.pending() == 4  # two messages, two replies
        ready = await readiness(services, engine)
        assert ready["status"] == "degraded"
        assert ready["checks"]["index"]["pending_writes"] == 4

        postgres_server.start()
        memory.gate.down_until = 0  # don't wait out the retry pause
        assert await memory.replay() == 2
        await drain(services)
        assert await memory.buffer.pending() == 0
        async with services.sessions() as session:
            rows = (
                await session.execute(
                    select(Message.role, Message.text, Message.status)
                    .where(Message.workspace == ws)
                    .order_by(Message.created_at, Message.id)
                )
            ).all()
            vectors = (
                await session.execute(
                    select(func.count()).select_from(MemoryItem).where(MemoryItem.workspace == ws)
                )
            ).scalar_one()
        assert [r.role for r in rows] == ["user", "assistant"] * 3
        assert rows[2].text == "Shortlist Rohan Mehra for the cop role."
        assert all(r.status in ("answered", "complete") for r in rows)
        assert vectors >= 6  # replayed turns were indexed too
        assert (await readiness(services, engine))["status"] in ("ok", "degraded")
        await responder.close()


async def test_a_buffered_turn_postgres_refuses_is_kept_aside_not_blocking_the_rest(services):
    memory = get_memory(services)
    good = say("a fine message", workspace=unique("ws"), user=unique("u"))
    await memory.buffer.add(inbound_entry(good))
    poisoned = inbound_entry(say("x", workspace=unique("ws"), user="bad"))
    poisoned["text"] = "nul \x00 inside"  # as an older version might have buffered it
    await memory.buffer.add(poisoned)
    after = say("another fine message", workspace=unique("ws"), user=unique("u"))
    await memory.buffer.add(inbound_entry(after))

    assert await memory.replay() == 0  # inbound entries alone: nothing to index yet
    assert await memory.buffer.pending() == 0
    refused = await services.redis.xrange(memory.buffer.dead_key)
    assert len(refused) == 1 and b"inside" in refused[0][1][b"e"]
    async with services.sessions() as session:
        texts = set((await session.execute(select(Message.text))).scalars())
    assert {"a fine message", "another fine message"} <= texts
    assert await memory.buffer.forget("slack", "bad") == 1  # erasure reaches it too


class _StartedReply(RecordingReply):
    def __init__(self) -> None:
        super().__init__()
        self.started = asyncio.Event()

    async def start(self) -> None:
        await super().start()
        self.started.set()


async def test_postgres_lost_mid_reply_the_answer_is_kept_and_replayed(
    settings, claude, postgres_server
):
    configured = settings.model_copy(update={"database_url": postgres_server.url()})
    async with open_castmatch(configured) as services:
        engine, responder = _engine(services, configured, claude)
        memory = get_memory(services)
        ws, user = unique("ws"), unique("u")
        answer = "Rohan Mehra read well for the inspector; Kavya Iyer is the backup."
        claude.push(Reply(answer, chunk_size=8, delay=0.15))
        reply = _StartedReply()
        turn = asyncio.create_task(
            engine.handle(say("Who read best?", workspace=ws, user=user, at=DAY1), reply)
        )
        await reply.started.wait()  # the message and its reply row are stored by now
        postgres_server.stop()
        await turn

        assert reply.text == answer and not reply.note  # not "something broke"
        assert await memory.buffer.pending() == 1  # the reply's end waits in Redis

        postgres_server.start()
        memory.gate.down_until = 0
        assert await memory.replay() == 1
        async with services.sessions() as session:
            rows = (
                await session.execute(
                    select(Message.role, Message.text, Message.status)
                    .where(Message.workspace == ws)
                    .order_by(Message.id)
                )
            ).all()
        assert [(r.role, r.status) for r in rows] == [
            ("user", "answered"),
            ("assistant", "complete"),
        ]
        assert rows[1].text == answer
        await responder.close()
