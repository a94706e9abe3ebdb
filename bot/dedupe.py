"""Pipeline step: drop a message this deployment has already taken (a platform retry, or the
same Slack message seen as both `app_mention` and `message.im`)."""

from __future__ import annotations

import logging
from collections import OrderedDict

from redis.exceptions import RedisError

from bot import metrics
from bot.pipeline import Inbound, Next
from bot.services import Services

log = logging.getLogger(__name__)

DEDUPE_TTL_S = 3 * 24 * 3600  # Slack and Twilio retry within minutes; keep ids for days
RECENT_IDS = 10_000  # ids this process remembers locally, in front of Redis


class Deduplicate:
    def __init__(self, services: Services) -> None:
        self.services = services
        self._recent: OrderedDict[tuple[str, str], None] = OrderedDict()

    async def __call__(self, inbound: Inbound, next: Next) -> None:
        message = inbound.message
        if await self.first_time(message.channel, message.message_id):
            await next(inbound)
        else:
            log.info("duplicate %s message ignored", message.channel)

    async def first_time(self, channel: str, message_id: str) -> bool:
        """True the first time this platform message is seen (across processes).

        A local memory of recent ids answers first, so retries reaching this process are
        dropped even while Redis (the cross-process claim) is failing.
        """
        seen = (channel, message_id)
        if seen in self._recent:
            return False
        self._recent[seen] = None
        if len(self._recent) > RECENT_IDS:
            self._recent.popitem(last=False)
        key = self.services.key("seen", channel, message_id)
        try:
            return bool(await self.services.redis.set(key, b"1", nx=True, ex=DEDUPE_TTL_S))
        except RedisError:
            metrics.MEMORY_ERRORS.labels("redis").inc()
            # PostgreSQL's unique (channel, message id) still stops a second reply.
            log.warning("redis unavailable for de-duplication; relying on PostgreSQL")
            return True
