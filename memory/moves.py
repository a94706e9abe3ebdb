"""Memory's part of linking a channel account to a workspace: its history, facts, episodes
and semantic items move to the workspace's name; caches on every replica are told.

Semantic partitions are named by workspace, so moved items get new partition names; the
old partitions' index files are listed in `memory_stale_partitions` and deleted after the
move commits (and at start-up, for the upgrade's renames), so no copy is left behind.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.workspaces.directory import Mover
from memory.models import Episode, Fact, MemoryItem, Message
from memory.runtime import Memory

log = logging.getLogger(__name__)

_STALE = text(
    "INSERT INTO memory_stale_partitions (partition) SELECT DISTINCT partition "
    "FROM memory_items WHERE workspace = :old ON CONFLICT DO NOTHING"
)
_RENAME_ITEMS = text(
    "UPDATE memory_items SET workspace = CAST(:new AS varchar), partition = CASE WHEN "
    "partition LIKE 'p|%' THEN 'p|' || CAST(:new AS varchar) || '|' || owner "
    "ELSE 'w|' || CAST(:new AS varchar) END WHERE workspace = :old"
)


def mover(memory: Memory) -> Mover:
    async def rows(session: AsyncSession, old: str, new: str) -> Sequence[str]:
        counts = []
        for model, label in ((Message, "message"), (Fact, "fact"), (Episode, "episode")):
            result = await session.execute(
                update(model).where(model.workspace == old).values(workspace=new)
            )
            if result.rowcount:
                counts.append(f"{result.rowcount} {label}(s)")
        await session.execute(_STALE, {"old": old})
        await session.execute(_RENAME_ITEMS, {"old": old, "new": new})
        return [f"memory moved: {', '.join(counts)}"] if counts else []

    async def after(old: str, new: str) -> None:
        await memory.facts.changed(old)
        await memory.facts.changed(new)
        async with memory.services.sessions() as session:
            moved = list(
                await session.scalars(
                    select(MemoryItem.partition).where(MemoryItem.workspace == new).distinct()
                )
            )
        for partition in moved:  # replicas holding one rebuild it on their next read
            await memory.index.drop(partition)
        await drop_stale_partitions(memory)

    return Mover("memory", rows, after)


async def drop_stale_partitions(memory: Memory) -> int:
    """Delete the index files of partitions that were renamed away. Returns how many."""
    async with memory.services.sessions() as session, session.begin():
        stale = list(await session.scalars(text("SELECT partition FROM memory_stale_partitions")))
        if not stale:
            return 0
        for partition in stale:
            await memory.index.drop(partition)
        await session.execute(
            text("DELETE FROM memory_stale_partitions WHERE partition = ANY(:p)"), {"p": stale}
        )
    log.info("dropped %d renamed memory partition(s)", len(stale))
    return len(stale)
