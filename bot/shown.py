"""The talent last shown in a conversation, in the order shown, so "2", "the second one" and
"shortlist her" resolve against what the person actually saw. Kept in Redis (working
memory) under the deployment's namespace; the talent tools write it, the command router and
memory's context read it."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.types import ConversationKey

if TYPE_CHECKING:
    from bot.services import Services

TTL_S = 14 * 24 * 3600  # a casting conversation is picked up again days later


@dataclass(frozen=True)
class Shown:
    id: str
    name: str = ""


async def remember(services: Services, key: ConversationKey, shown: Sequence[Shown]) -> None:
    value = json.dumps([[s.id, s.name] for s in shown])
    await services.redis.set(services.key("last_results", key.id), value, ex=TTL_S)


async def last_shown(services: Services, key: ConversationKey) -> list[Shown]:
    raw = await services.redis.get(services.key("last_results", key.id))
    try:
        value = json.loads(raw) if raw else []
    except ValueError:
        return []
    if not isinstance(value, list):
        return []
    # entries are [id, name]; a bare id is what earlier releases stored
    return [
        Shown(str(v[0]), str(v[1])) if isinstance(v, list) and v else Shown(str(v)) for v in value
    ]


async def forget_profile(services: Services, talent_id: str) -> int:
    """Take a forgotten profile out of every conversation's last results; how many lists."""
    changed = 0
    async for key in services.redis.scan_iter(match=services.key("last_results", "*"), count=500):
        raw = await services.redis.get(key)
        try:
            value = json.loads(raw) if raw else []
        except ValueError:
            continue
        if not isinstance(value, list):
            continue
        kept = [v for v in value if (v[0] if isinstance(v, list) and v else v) != talent_id]
        if len(kept) != len(value):
            await services.redis.set(key, json.dumps(kept), keepttl=True)
            changed += 1
    return changed


async def last_ids(services: Services, key: ConversationKey) -> list[str]:
    return [s.id for s in await last_shown(services, key)]
