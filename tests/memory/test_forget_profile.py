"""`castmatch forget talent:ID` leaves no message, fact, memory vector or last-results list
naming the profile."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import String, cast, func, or_, select

from bot.shown import Shown, last_ids, remember
from memory.facts import NewFact
from memory.models import Fact, MemoryItem, Message
from memory.runtime import get_memory
from talent.cli import forget_talent
from talent.importer import import_file
from tests.doubles.claude import Reply
from tests.doubles.reply import RecordingReply
from tests.memory.conftest import drain, say, unique
from tests.talent.conftest import profile, write_jsonl


async def test_forgetting_a_profile_erases_what_names_it(engine, claude, services, tmp_path: Path):
    tag = uuid.uuid4().hex[:6]
    talent_id, name = f"fp-{tag}", f"Zubin Qadri{tag}"
    await import_file(services, write_jsonl(tmp_path / "p.jsonl", [profile(talent_id, name=name)]))
    ws, user = unique("acme"), unique("U")
    message = say(f"Shortlist {name} for the cop role, {talent_id}.", workspace=ws, user=user)
    claude.push(Reply(f"Done: {name} is on the cop list."))
    await engine.handle(message, RecordingReply())
    other = say("We also need a driver.", workspace=ws, user=user)
    claude.push(Reply("Noted."))
    await engine.handle(other, RecordingReply())
    memory = get_memory(services)
    await memory.facts.add(
        [NewFact("workspace", "decision", f"talent:{name.lower()}:cop", f"{name} fits the cop")],
        workspace=ws, owner=f"slack:{user}", source_message_id=None, stated_at=datetime.now(UTC),
    )  # fmt: skip
    await remember(services, message.key, [Shown(talent_id, name), Shown("someone-else", "X")])
    await drain(services)

    async with services.sessions() as session:
        named = list(
            (await session.execute(select(Message.id).where(Message.text.contains(name))))
            .scalars()
            .all()
        )
        vectors = select(func.count()).where(
            MemoryItem.kind == "message", MemoryItem.ref_id.in_(named)
        )
        assert named and (await session.execute(vectors)).scalar_one() > 0

    report = await forget_talent(services, talent_id)
    assert "memory" in report

    async with services.sessions() as session:
        for model, columns in (
            (Message, (Message.text,)),
            (Fact, (Fact.text, Fact.subject)),
        ):
            naming = or_(
                *(cast(c, String).icontains(t) for c in columns for t in (name, talent_id))
            )
            count = await session.execute(select(func.count()).select_from(model).where(naming))
            assert count.scalar_one() == 0, model.__tablename__
        kept = await session.execute(
            select(func.count())
            .select_from(Message)
            .where(Message.text == "We also need a driver.")
        )
        assert kept.scalar_one() == 1  # the conversation itself stays
    assert await last_ids(services, message.key) == ["someone-else"]
    async for key in services.redis.scan_iter(match=services.key("*"), count=1000):
        value = (
            await services.redis.get(key) if await services.redis.type(key) == b"string" else b""
        )
        assert name.encode() not in key + (value or b""), key
    assert json.dumps(report)
