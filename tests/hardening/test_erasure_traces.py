"""After `castmatch forget`, nothing names the person: not colleagues' cached facts, not the
shortlists' record of who changed what, not Redis keys; and nobody else is erased."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select

from bot.tools import ToolContext
from bot.types import ConversationKey, InboundMessage
from memory.facts import FactStore, NewFact
from memory.runtime import get_memory
from talent.importer import import_file
from talent.models import CurrentRole, Project, Role, ShortlistEntry, ShortlistEvent
from tests.talent.conftest import profile, write_jsonl


async def _forget(services, channel: str, user: str) -> list[str]:
    return [line for erase in services.erasers for line in await erase(channel, user)]


async def test_colleagues_cached_facts_lose_the_person_on_every_replica(services) -> None:
    tag = uuid.uuid4().hex[:8]
    workspace, person = f"ws-{tag}", f"slack:U{tag}"
    facts = get_memory(services).facts
    other_replica = FactStore(services.sessions, services.redis, services.settings.redis_namespace)
    secret = f"Rohan-{tag} dropped for his accent"
    await facts.add(
        [NewFact("workspace", "decision", f"talent:rohan-{tag}", secret)],
        workspace=workspace, owner=person, source_message_id=None, stated_at=datetime.now(UTC),
    )  # fmt: skip
    for store in (facts, other_replica):  # each holds the workspace's facts in memory
        assert any(secret in f.text for f in (await store.state(workspace)).facts)
    await _forget(services, "slack", f"U{tag}")
    for store in (facts, other_replica):
        assert not any(secret in f.text for f in (await store.state(workspace)).facts)


async def test_redis_erasure_matches_the_id_exactly(services) -> None:
    tag = uuid.uuid4().hex[:6]
    bob, bobby, globbed = f"bob{tag}", f"bob{tag}by", f"bob{tag}*"
    keys = {who: services.key("wk", f"console:{tag}ws:{who}") for who in (bob, bobby)} | {
        "person": services.key("prefs", f"{tag}ws", f"console:{bobby}")
    }
    for key in keys.values():
        await services.redis.set(key, b"1")
    await _forget(services, "console", globbed)  # glob characters are literal
    assert all([await services.redis.exists(k) for k in keys.values()])
    await _forget(services, "console", bob)
    assert not await services.redis.exists(keys[bob])
    assert await services.redis.exists(keys[bobby]) and await services.redis.exists(keys["person"])


async def test_shortlists_keep_no_number_of_a_forgotten_person(services, tmp_path: Path) -> None:
    number = "+9198" + str(uuid.uuid4().int)[:8]
    key = ConversationKey("whatsapp", "+14155238886", number)
    message = InboundMessage(key=key, user_id=number, text="hi", message_id=uuid.uuid4().hex)
    ctx = ToolContext(message, services)
    role = f"Role {number}"
    outcome = await services.tools.run("select_role", {"role": role, "project": "P" + number}, ctx)
    assert not outcome.is_error, outcome.content
    talent_id = f"er-{number}"
    await import_file(services, write_jsonl(tmp_path / "t.jsonl", [profile(talent_id)]))
    added = await services.tools.run("shortlist_add", {"talent": [talent_id]}, ctx)
    assert not added.is_error, added.content

    await _forget(services, "whatsapp", number)
    async with services.sessions() as session:
        for column in (
            Project.created_by, Role.created_by, ShortlistEntry.updated_by, ShortlistEvent.actor,
            CurrentRole.conversation_id,
        ):  # fmt: skip
            found = await session.execute(select(func.count()).where(column.contains(number[1:])))
            assert found.scalar_one() == 0, column
        # the role itself stays for the team, now made by an opaque someone
        made_by = (
            await session.execute(select(Role.created_by).where(Role.name == role))
        ).scalar_one()
        assert made_by and number not in made_by
