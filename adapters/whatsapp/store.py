"""What the WhatsApp channel keeps: delivery status per sent message, and opt-outs.

Status callbacks arrive out of order (a late "sent" after "delivered"), so each status has a
rank and a row only ever moves up. Opt-outs live in PostgreSQL (the record) with Redis as the
fast path checked before every send.
"""

from __future__ import annotations

import contextlib
import hashlib
from dataclasses import dataclass

from redis.exceptions import RedisError
from sqlalchemy import text

from adapters.whatsapp.inbox import forget_waiting
from bot.services import Services

# Later states outrank earlier ones; the failures are final.
RANKS = {
    "accepted": 0,
    "scheduled": 0,
    "queued": 1,
    "sending": 2,
    "sent": 3,
    "delivered": 4,
    "read": 5,
    "undelivered": 6,
    "failed": 6,
    "canceled": 6,
}
FAILED = ("failed", "undelivered")
OPT_OUT_CACHE_S = 3600

_UPSERT_STATUS = text(
    """
    INSERT INTO whatsapp_outbound (sid, status, rank, error_code)
    VALUES (:sid, :status, :rank, :error_code)
    ON CONFLICT (sid) DO UPDATE
       SET status = excluded.status, rank = excluded.rank,
           error_code = COALESCE(excluded.error_code, whatsapp_outbound.error_code),
           updated_at = now()
     WHERE whatsapp_outbound.rank < excluded.rank
    RETURNING sid, workspace, recipient, body, status, error_code, fallback_sid
    """
)
_UPSERT_SENT = text(
    """
    INSERT INTO whatsapp_outbound (sid, workspace, recipient, body, status, rank)
    VALUES (:sid, :workspace, :recipient, :body, :status, :rank)
    ON CONFLICT (sid) DO UPDATE
       SET workspace = excluded.workspace, recipient = excluded.recipient,
           body = excluded.body, updated_at = now()
    RETURNING sid, workspace, recipient, body, status, error_code, fallback_sid
    """
)
_CLAIM_FALLBACK = text(
    """
    UPDATE whatsapp_outbound SET fallback_sid = :fallback, updated_at = now()
     WHERE sid = :sid AND fallback_sid IS NULL
    RETURNING sid
    """
)


@dataclass(frozen=True)
class Outbound:
    """One sent message as recorded; `recipient` is empty until our own send is recorded."""

    sid: str
    workspace: str
    recipient: str
    body: str
    status: str
    error_code: int | None
    fallback_sid: str | None


class WhatsAppStore:
    def __init__(self, services: Services) -> None:
        self._services = services

    async def record_sent(
        self, sid: str, *, workspace: str, recipient: str, body: str, status: str
    ) -> Outbound:
        """Record a message Twilio accepted; returns the row (a callback may have come first)."""
        params = {
            "sid": sid,
            "workspace": workspace,
            "recipient": recipient,
            "body": body,
            "status": status,
            "rank": RANKS.get(status, 1),
        }
        async with self._services.db.begin() as conn:
            row = (await conn.execute(_UPSERT_SENT, params)).one()
        return Outbound(*row)

    async def record_status(self, sid: str, status: str, error_code: int | None) -> Outbound | None:
        """Apply one status callback; None when it was older than what we already know."""
        params = {"sid": sid, "status": status, "rank": RANKS[status], "error_code": error_code}
        async with self._services.db.begin() as conn:
            row = (await conn.execute(_UPSERT_STATUS, params)).first()
        return Outbound(*row) if row else None

    async def claim_fallback(self, sid: str, marker: str) -> bool:
        """True for the one caller allowed to send the template fallback for `sid`."""
        async with self._services.db.begin() as conn:
            row = (await conn.execute(_CLAIM_FALLBACK, {"sid": sid, "fallback": marker})).first()
        return row is not None

    async def set_fallback(self, sid: str, fallback_sid: str) -> None:
        async with self._services.db.begin() as conn:
            await conn.execute(
                text("UPDATE whatsapp_outbound SET fallback_sid = :f WHERE sid = :sid"),
                {"sid": sid, "f": fallback_sid},
            )

    async def status_of(self, sid: str) -> Outbound | None:
        async with self._services.db.connect() as conn:
            row = (
                await conn.execute(
                    text(
                        "SELECT sid, workspace, recipient, body, status, error_code, "
                        "fallback_sid FROM whatsapp_outbound WHERE sid = :sid"
                    ),
                    {"sid": sid},
                )
            ).first()
        return Outbound(*row) if row else None

    # Opt-outs --------------------------------------------------------------------------

    def _opt_key(self, workspace: str, user_id: str) -> str:
        # Every send checks it, a stranger's refusal included: name the sender by a digest
        # so no phone number sits in Redis for someone who never became a member.
        return self._services.key("wa-optout", workspace, _digest(user_id))

    async def opted_out(self, workspace: str, user_id: str) -> bool:
        key = self._opt_key(workspace, user_id)
        try:
            cached = await self._services.redis.get(key)
        except RedisError:
            cached = None
        if cached is not None:
            return cached == b"1"
        async with self._services.db.connect() as conn:
            row = (
                await conn.execute(
                    text("SELECT 1 FROM whatsapp_opt_outs WHERE workspace = :w AND user_id = :u"),
                    {"w": workspace, "u": user_id},
                )
            ).first()
        await self._cache(key, row is not None)
        return row is not None

    async def set_opt_out(self, workspace: str, user_id: str, opted_out: bool) -> None:
        params = {"w": workspace, "u": user_id}
        async with self._services.db.begin() as conn:
            if opted_out:
                await conn.execute(
                    text(
                        "INSERT INTO whatsapp_opt_outs (workspace, user_id) VALUES (:w, :u) "
                        "ON CONFLICT DO NOTHING"
                    ),
                    params,
                )
            else:
                await conn.execute(
                    text("DELETE FROM whatsapp_opt_outs WHERE workspace = :w AND user_id = :u"),
                    params,
                )
        await self._cache(self._opt_key(workspace, user_id), opted_out)

    async def _cache(self, key: str, opted_out: bool) -> None:
        # PostgreSQL stays the record; if Redis is down the next check reads it.
        with contextlib.suppress(RedisError):
            await self._services.redis.set(key, b"1" if opted_out else b"0", ex=OPT_OUT_CACHE_S)

    async def forget(self, user_id: str) -> list[str]:
        """Erase one person's WhatsApp records (sent messages, opt-out); a line per table."""
        async with self._services.db.begin() as conn:
            sent = await conn.execute(
                text("DELETE FROM whatsapp_outbound WHERE recipient = :u"), {"u": user_id}
            )
            opt = await conn.execute(
                text("DELETE FROM whatsapp_opt_outs WHERE user_id = :u"), {"u": user_id}
            )
        pattern = self._services.key("wa-optout", "*", _digest(user_id))
        with contextlib.suppress(RedisError):  # the cache expires within the hour anyway
            keys = [key async for key in self._services.redis.scan_iter(match=pattern)]
            if keys:
                await self._services.redis.delete(*keys)
        inbox = self._services.key("whatsapp", "inbox")
        waiting = await forget_waiting(self._services.redis, inbox, user_id)
        return [
            f"PostgreSQL: {sent.rowcount} WhatsApp delivery record(s)",
            f"PostgreSQL: {opt.rowcount} WhatsApp opt-out(s)",
            f"Redis: {waiting} WhatsApp message(s) still waiting for their turn",
        ]


def _digest(user_id: str) -> str:
    return hashlib.sha256(user_id.encode()).hexdigest()[:32]
