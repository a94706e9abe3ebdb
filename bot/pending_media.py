"""Media sent without a word of who it is for waits here (per conversation, an hour) until
the next message says ("Amruta's headshot"). Only the platform's references are kept, in
Redis, never the files."""

from __future__ import annotations

import contextlib
import json
from typing import TYPE_CHECKING

from redis.exceptions import RedisError

from bot.types import Attachment, ConversationKey

if TYPE_CHECKING:
    from bot.services import Services

KEEP_S = 3600


def _key(services: Services, key: ConversationKey) -> str:
    return services.key("pending-media", key.id)


async def remember(
    services: Services, key: ConversationKey, attachments: tuple[Attachment, ...]
) -> None:
    items = [{"url": a.url, "type": a.content_type, "name": a.name} for a in attachments]
    # Redis down: the person is asked to send it again with its caption
    with contextlib.suppress(RedisError):
        await services.redis.set(_key(services, key), json.dumps(items), ex=KEEP_S)


async def take(services: Services, key: ConversationKey) -> tuple[Attachment, ...]:
    """The waiting media (and forget them: each file is attached once)."""
    try:
        raw = await services.redis.getdel(_key(services, key))
    except RedisError:
        return ()
    if not raw:
        return ()
    return tuple(
        Attachment(i["url"], i.get("type", ""), i.get("name", "")) for i in json.loads(raw)
    )


async def waiting(services: Services, key: ConversationKey) -> bool:
    try:
        return bool(await services.redis.exists(_key(services, key)))
    except RedisError:
        return False
