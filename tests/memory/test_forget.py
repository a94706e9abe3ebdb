"""`castmatch forget` leaves no row, key or vector of the person in any layer."""

from __future__ import annotations

import numpy as np
from sqlalchemy import func, or_, select

from memory.forget import forget_person
from memory.models import Episode, Fact, MemoryItem, Message
from memory.runtime import get_memory
from tests.doubles.claude import Reply
from tests.doubles.reply import RecordingReply
from tests.memory.conftest import DAY1, days, drain, say, unique


async def test_forget_erases_postgres_redis_and_faiss(engine, claude, services):
    ws = unique("acme")
    gone, stays = unique("Ugone"), unique("Ustays")
    texts = [
        "We are casting Khaki Nights for Netflix.",
        "Shortlist Rohan Mehra for the cop role.",
        "I prefer short answers in Hindi.",
        "Drop Rohan Mehra from the cop role: accent.",
    ]
    for n, text in enumerate(texts):
        claude.push(Reply(f"Noted {n}."))
        await engine.handle(say(text, workspace=ws, user=gone, at=DAY1 + days(n)), RecordingReply())
    # a thread shared with a colleague: their working memory holds the person's turns
    claude.push(Reply("Sure."))
    await engine.handle(
        say(
            "Vikram Singh for the villain?",
            workspace=ws,
            user=gone,
            chat="thread-1",
            at=DAY1 + days(5),
        ),
        RecordingReply(),
    )
    claude.push(Reply("Sure."))
    await engine.handle(
        say(
            "Yes, book Vikram Singh as the villain.",
            workspace=ws,
            user=stays,
            chat="thread-1",
            at=DAY1 + days(5.01),
        ),
        RecordingReply(),
    )
    await drain(services)
    memory = get_memory(services)
    person = f"slack:{gone}"
    async with services.sessions() as session:
        before = (
            await session.execute(
                select(func.count()).select_from(MemoryItem).where(MemoryItem.owner == person)
            )
        ).scalar_one()
        their_ids = [
            r
            for (r,) in await session.execute(
                select(MemoryItem.id).where(MemoryItem.owner == person)
            )
        ]
    assert before >= 8

    report = await forget_person(services, "slack", gone)
    assert any("PostgreSQL" in line for line in report)

    async with services.sessions() as session:
        for model, where in (
            (Message, Message.user_id == gone),
            (Fact, Fact.owner == person),
            (Episode, Episode.owner == person),
            (MemoryItem, MemoryItem.owner == person),
        ):
            count = await session.execute(select(func.count()).select_from(model).where(where))
            assert count.scalar_one() == 0, model.__tablename__
        leftover = (
            await session.execute(
                select(func.count())
                .select_from(Message)
                .where(
                    Message.workspace == ws,
                    or_(Message.text.contains("Rohan"), Message.text.contains("Khaki")),
                )
            )
        ).scalar_one()
        assert leftover == 0
    keys = [k async for k in services.redis.scan_iter(match=services.key("*"), count=1000)]
    assert not [k for k in keys if gone.encode() in k]
    shared = await memory.working.recent(say("x", workspace=ws, user=gone, chat="thread-1").key.id)
    assert not any(t.user_id == gone for t in shared[0])
    # FAISS: no file and no loaded index holds any of their vectors
    for path in memory.index.root.rglob("*.npz"):
        with np.load(path) as data:
            assert not set(data["ids"].tolist()) & set(their_ids), path
    for part in memory.index._loaded.values():
        assert not set(part.ids.tolist()) & set(their_ids)
    # and the colleague's memory still works
    vector = (await services.embedder.queries(["book him for the villain"]))[0]
    hits = await memory.recall.search(ws, f"slack:{stays}", vector)
    assert hits and all("Rohan" not in h.text for h in hits)


async def test_forget_with_nothing_stored_says_so(services):
    report = await forget_person(services, "whatsapp", "+910000000000")
    assert report[0].startswith("PostgreSQL: 0 message(s)")
