"""Erasure: `castmatch forget CHANNEL:USER_ID` removes a person from every memory layer.

PostgreSQL (messages, facts, episodes, vectors), FAISS (their private partitions are
deleted, their vectors in shared workspace partitions removed), Redis (working memory of
every conversation they were in, preferences, buffered writes, keys naming them).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, func, or_, select, update

from bot.services import Services
from memory.models import Episode, Fact, MemoryItem, Message
from memory.runtime import get_memory
from memory.semantic import person_partition


async def forget_person(services: Services, channel: str, user_id: str) -> list[str]:
    """Erase one person; returns a line per layer saying what was removed."""
    memory = get_memory(services)
    person = f"{channel}:{user_id}"
    async with services.sessions.begin() as session:
        conversations = {
            row.conversation_id: row.workspace
            for row in (
                await session.execute(
                    select(Message.conversation_id, Message.workspace)
                    .where(Message.channel == channel, Message.user_id == user_id)
                    .distinct()
                )
            ).all()
        }
        items = (
            await session.execute(
                select(MemoryItem.id, MemoryItem.partition).where(MemoryItem.owner == person)
            )
        ).all()
        messages = (
            await session.execute(
                delete(Message).where(Message.channel == channel, Message.user_id == user_id)
            )
        ).rowcount or 0
        fact_workspaces = set(
            (await session.execute(select(Fact.workspace).where(Fact.owner == person).distinct()))
            .scalars()
            .all()
        )
        facts = (await session.execute(delete(Fact).where(Fact.owner == person))).rowcount or 0
        episodes = (
            await session.execute(delete(Episode).where(Episode.owner == person))
        ).rowcount or 0
        await session.execute(delete(MemoryItem).where(MemoryItem.owner == person))
    for workspace in fact_workspaces:  # every replica drops its copy of the workspace's facts
        await memory.facts.changed(workspace)
    report = [
        f"PostgreSQL: {messages} message(s), {facts} fact(s), {episodes} episode(s), "
        f"{len(items)} vector(s)"
    ]
    by_partition: dict[str, list[int]] = {}
    for row in items:
        by_partition.setdefault(row.partition, []).append(row.id)
    private = {person_partition(ws, person) for ws in conversations.values()}
    private |= {p for p in by_partition if p.startswith("p|") and p.endswith(f"|{person}")}
    files = 0
    for partition in private:
        files += int(await memory.index.drop(partition))
    for partition, ids in by_partition.items():
        if partition not in private:
            await memory.index.remove(partition, ids)
    report.append(f"FAISS: {len(items)} vector(s), {files} private index file(s)")
    redis = services.redis
    keys = [
        k
        for c in conversations
        for k in (memory.working.turns_key(c), memory.working.loaded_key(c))
    ]
    keys += [memory.working.prefs_key(ws, person) for ws in set(conversations.values())]
    for pattern in key_patterns(services, channel, user_id):
        keys += [key.decode() async for key in redis.scan_iter(match=pattern, count=500)]
    removed = await redis.delete(*set(keys)) if keys else 0
    buffered = await memory.buffer.forget(channel, user_id)
    report.append(f"Redis: {removed} key(s), {buffered} buffered write(s)")
    return report


def glob_escape(text: str) -> str:
    """`text` as a literal in a Redis MATCH pattern."""
    return re.sub(r"([*?\[\]\\])", r"\\\1", text)


def key_patterns(services: Services, channel: str, user_id: str) -> list[str]:
    """Redis patterns for keys naming the person as a whole segment: `console:bob` never
    matches `console:bobby`, and glob characters in an id are literal."""
    uid, person = glob_escape(user_id), glob_escape(f"{channel}:{user_id}")
    ns = glob_escape(services.settings.redis_namespace)
    edge = "[:|]"  # segments are joined with ':' (keys) or '|' (memory partitions)
    return [
        f"{ns}:*{channel}:*{edge}{uid}",  # a conversation key ending with the id
        f"{ns}:*{channel}:*{edge}{uid}{edge}*",
        f"{ns}:*{edge}{person}",  # channel:user written together
        f"{ns}:*{edge}{person}{edge}*",
    ]


REDACTED = "(erased)"


async def forget_profile(services: Services, talent_id: str, names: Sequence[str]) -> list[str]:
    """`castmatch forget talent:ID`: what memory holds naming the profile goes. Messages keep
    their place with the id and names replaced; facts and memory vectors naming it are
    deleted; working memory of those conversations is dropped (rebuilt from PostgreSQL)."""
    memory = get_memory(services)
    terms = [t for t in {talent_id, *names} if t and len(t) >= 3]
    if not terms:
        return []

    def naming(column: Any) -> Any:
        return or_(*(column.icontains(t, autoescape=True) for t in terms))

    async with services.sessions.begin() as session:
        named = (
            await session.execute(
                select(Message.id, Message.conversation_id).where(naming(Message.text))
            )
        ).all()
        conversations = {conversation for _, conversation in named}
        redacted = 0
        for term in terms:
            result = await session.execute(
                update(Message)
                .where(Message.text.icontains(term, autoescape=True))
                .values(text=func.regexp_replace(Message.text, re.escape(term), REDACTED, "gi"))
            )
            redacted += int(result.rowcount or 0)
        facts = (
            await session.execute(
                delete(Fact)
                .where(or_(naming(Fact.text), naming(Fact.subject)))
                .returning(Fact.id, Fact.workspace)
            )
        ).all()
        episodes = (
            (
                await session.execute(
                    delete(Episode).where(naming(Episode.summary)).returning(Episode.id)
                )
            )
            .scalars()
            .all()
        )
        # a vector was made from the original words: it goes with them
        refs = [
            (MemoryItem.kind == kind) & MemoryItem.ref_id.in_(ids)
            for kind, ids in (
                ("message", [i for i, _ in named]),
                ("fact", [i for i, _ in facts]),
                ("episode", list(episodes)),
            )
            if ids
        ]
        items = (
            (
                await session.execute(
                    delete(MemoryItem)
                    .where(or_(*refs))
                    .returning(MemoryItem.id, MemoryItem.partition)
                )
            ).all()
            if refs
            else []
        )
    for workspace in {w for _, w in facts}:
        await memory.facts.changed(workspace)
    by_partition: dict[str, list[int]] = {}
    for item_id, partition in items:
        by_partition.setdefault(partition, []).append(item_id)
    for partition, ids in by_partition.items():
        await memory.index.remove(partition, ids)
    keys = [
        k
        for c in conversations
        for k in (memory.working.turns_key(c), memory.working.loaded_key(c))
    ]
    dropped = await services.redis.delete(*keys) if keys else 0
    return [
        f"memory: {redacted} message(s) redacted, {len(facts)} fact(s), {len(items)} vector(s), "
        f"{dropped} working-memory key(s)"
    ]
