"""The last talent results shown in a conversation (working memory), and its current role.

Both live in Redis under the deployment's namespace so "the second one" and "shortlist her"
resolve against what the person actually saw. The memory layer reuses these helpers.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from bot.types import ConversationKey

if TYPE_CHECKING:
    from bot.services import Services

TTL_S = 14 * 24 * 3600  # a casting conversation is picked up again days later


async def remember_results(services: Services, key: ConversationKey, ids: list[str]) -> None:
    """Store the talent ids just shown, in the order shown."""
    await services.redis.set(services.key("last_results", key.id), json.dumps(list(ids)), ex=TTL_S)


async def last_results(services: Services, key: ConversationKey) -> list[str]:
    raw = await services.redis.get(services.key("last_results", key.id))
    if not raw:
        return []
    try:
        value = json.loads(raw)
    except ValueError:
        return []
    return [str(v) for v in value] if isinstance(value, list) else []


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
