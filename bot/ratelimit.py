"""Per-person message limit on Slack and WhatsApp, so one runaway sender can't spend the budget.

A fixed one-minute window per person in Redis (INCR + EXPIRE in one pipeline), shared by
every replica. The terminal is never limited. If Redis is down, messages are let through.
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


class RateLimiter:
    def __init__(self, services: Services) -> None:
        self.services = services
        self.limit = services.settings.rate_limit_per_minute

    async def allow(self, message: InboundMessage) -> bool:
        if self.limit == 0 or message.channel == "console":
            return True
        window = int(time.time() // 60)
        key = self.services.key("rate", message.person, str(window))
        try:
            async with self.services.redis.pipeline(transaction=True) as pipe:
                count, _ = await pipe.incr(key).expire(key, 120).execute()
        except RedisError:
            metrics.MEMORY_ERRORS.labels("redis").inc()
            log.warning("redis unavailable for rate limiting; letting the message through")
            return True
        return int(count) <= self.limit
