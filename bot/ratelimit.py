"""Pipeline step: a per-person message limit on Slack and WhatsApp, so one runaway sender
can't spend the budget.

A sliding one-minute window per person in Redis (a sorted set of arrival times, trimmed and
counted in one transaction), shared by every replica; a fixed calendar minute would let twice
the limit through across its edge. The terminal is never limited. If Redis is down,
messages are let through. Over the limit, the first message of the window gets a polite
refusal and the rest are dropped: one paid Twilio message per window, not one per message.
"""

from __future__ import annotations

import logging
import time

from redis.exceptions import RedisError

from bot import metrics
from bot.pipeline import Inbound, Next
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

    @property
    def refusal(self) -> str:
        return POLITE_REFUSAL.format(limit=self.limit)

    async def __call__(self, inbound: Inbound, next: Next) -> None:
        message = inbound.message
        if await self.allow(message):
            await next(inbound)
            return
        metrics.RATE_LIMITED.labels(message.channel).inc()
        if await self._first_in_window(message):
            await inbound.outlet.notice(message, self.refusal)

    async def _first_in_window(self, message: InboundMessage) -> bool:
        try:
            key = self.services.key("rate-refused", message.person)
            return bool(await self.services.redis.set(key, b"1", nx=True, ex=int(WINDOW_S)))
        except RedisError:
            return False

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
