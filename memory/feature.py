"""The memory feature's start-up hook: the recall tool, readiness, and pending replays."""

from __future__ import annotations

import logging
from typing import Any

from bot.services import Services
from memory import moves
from memory.forget import forget_person, forget_profile
from memory.runtime import Memory, get_memory
from memory.tool import recall_tool

log = logging.getLogger(__name__)


async def setup(services: Services) -> None:
    memory = get_memory(services)
    services.memory = memory
    services.tools.add(recall_tool())
    services.directory.movers.append(moves.mover(memory))
    services.erasers.append(lambda channel, user: forget_person(services, channel, user))
    services.profile_erasers.append(
        lambda talent_id, names: forget_profile(services, talent_id, names)
    )
    services.spawn(_drop_stale(memory), name="memory-stale-partitions")
    services.health_checks["memory"] = lambda: health(services)
    services.queue_depths["memory_write_behind"] = memory.buffer.pending  # waiting for PostgreSQL
    services.queue_depths["memory_indexing"] = lambda: len(memory.backlog)
    # Load the embedding model now, so the first turn's recall isn't lost to its load time;
    # not in a web process whose turn worker runs the turns (its weights are 68 MiB resident
    # once loaded, `bot/e5engine.py`)
    if services.settings.process_role != "web":
        services.spawn(services.embedder.queries(["warm-up"]), name="embedder-warm-up")
    try:
        if await memory.buffer.pending():
            services.spawn(memory.replay(), name="memory-replay")
    except Exception:
        log.warning("could not check the write-behind stream at start-up")


async def _drop_stale(memory: Memory) -> None:
    try:
        await moves.drop_stale_partitions(memory)
    except Exception:
        log.warning("could not delete renamed memory partitions; retried at next start")


async def health(services: Services) -> dict[str, Any]:
    """Memory's part of /readyz: degraded while turns wait in the write-behind stream."""
    memory = get_memory(services)
    report: dict[str, Any] = {
        "status": "ok",
        "loaded_partitions": memory.index.loaded_partitions(),
        "rebuilds": memory.index.stats.rebuilds,
    }
    try:
        pending = await memory.buffer.pending()
    except Exception:
        report.update(status="degraded", note="working memory unavailable (Redis)")
        return report
    report["pending_writes"] = pending
    if pending:
        if memory.gate.open:  # PostgreSQL may be back: try now
            services.spawn(memory.replay(), name="memory-replay")
        report.update(status="degraded", note=f"{pending} write(s) waiting for PostgreSQL")
    elif not memory.gate.open:
        report.update(status="degraded", note="PostgreSQL unavailable; memory from Redis")
    return report
