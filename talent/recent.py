"""A conversation's current role, cached in Redis (the last results shown are `bot.shown`).

It lives in Redis under the deployment's namespace so "the second one" and "shortlist her"
resolve against what the person actually saw. The memory layer reuses these helpers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.types import ConversationKey

if TYPE_CHECKING:
    from bot.services import Services

TTL_S = 14 * 24 * 3600  # a casting conversation is picked up again days later


async def remember_role(services: Services, key: ConversationKey, role_pk: int) -> None:
    await services.redis.set(services.key("current_role", key.id), str(role_pk), ex=TTL_S)


async def cached_role(services: Services, key: ConversationKey) -> int | None:
    raw = await services.redis.get(services.key("current_role", key.id))
    try:
        return int(raw) if raw else None
    except ValueError:
        return None


async def forget_role(services: Services, key: ConversationKey) -> None:
    await services.redis.delete(services.key("current_role", key.id))
