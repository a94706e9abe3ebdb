"""Erasure: `castmatch forget CHANNEL:USER_ID` removes a person from every memory layer."""

from __future__ import annotations

from bot.services import Services
from memory.episodic import EpisodicStore


async def forget_person(services: Services, channel: str, user_id: str) -> list[str]:
    """Erase one person; returns a line per layer saying what was removed."""
    removed = await EpisodicStore(services.sessions).forget_person(channel, user_id)
    report = [f"PostgreSQL: {removed} message(s)"]
    pattern = services.key("*", f"{channel}:*:{user_id}*")
    keys = [key async for key in services.redis.scan_iter(match=pattern, count=500)]
    if keys:
        await services.redis.delete(*keys)
    report.append(f"Redis: {len(keys)} key(s)")
    return report
