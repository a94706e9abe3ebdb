"""Per-person message limit on Slack and WhatsApp, so one runaway sender can't spend the budget.

A sliding one-minute window per person in Redis (a sorted set of arrival times, trimmed and
counted in one transaction), shared by every replica; a fixed calendar minute would let twice
the limit through across its edge. The terminal is never limited. If Redis is down,
messages are let through.
"""

from __future__ import annotations

import logging
import time

from redis.exceptions import RedisError

from bot import metrics
from bot.services import Services
from bot.types import InboundMessage

log = logging.getLogger(__name__)

POLITE_REFUSAL = (
    "You're sending messages faster than I can answer them well ({limit} a minute). "
    "Please wait a minute and try again; your earlier messages are being answered."
)


WINDOW_S = 60.0


class RateLimiter:
    def __init__(self, services: Services) -> None:
        self.services = services
        self.limit = services.settings.rate_limit_per_minute

    async def allow(self, message: InboundMessage) -> bool:
        if self.limit == 0 or message.channel == "console":
            return True
        now = time.time()
        key = self.services.key("rate", message.person)
        try:
            async with self.services.redis.pipeline(transaction=True) as pipe:
                pipe.zremrangebyscore(key, "-inf", now - WINDOW_S)
                pipe.zadd(key, {message.message_id: now})
                _, _, count, _ = await pipe.zcard(key).expire(key, int(WINDOW_S) + 1).execute()
        except RedisError:
            metrics.MEMORY_ERRORS.labels("redis").inc()
            log.warning("redis unavailable for rate limiting; letting the message through")
            return True
        return int(count) <= self.limit
