"""Pipeline step: only the people a workspace allows get a turn (closed by default).

- WhatsApp: members of the workspace the business number belongs to.
- Slack: users of the installing team or of a team linked to the same workspace; a Slack
  Connect guest (another team) is refused, never given a workspace of their own team.
- Terminal: whoever runs `castmatch chat` on the machine.

The message leaves the gate carrying its workspace (the linked one). Anyone refused gets
one short fixed reply at most once per rolling 24 hours per workspace and sender (a marker
in Redis, shared by replicas); later messages are dropped. A refusal stores nothing and
asks Claude nothing, so a stranger cannot spend the company's budget or fill its history.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import replace

from redis.exceptions import RedisError

from bot import metrics
from bot.pipeline import Inbound, Next
from bot.services import Services
from bot.types import InboundMessage

log = logging.getLogger(__name__)

REFUSAL_WINDOW_S = 24 * 3600
NOT_A_MEMBER = (
    "Sorry, this CastMatch assistant is private to a casting team, and your number is not "
    "on its list. Ask the team's admin to add you."
)
OTHER_TEAM = (
    "Sorry, CastMatch here works only for members of the workspace that installed it; "
    "guests from other organisations can't use it."
)


class MembershipGate:
    def __init__(self, services: Services) -> None:
        self.services = services
        self.directory = services.directory

    async def __call__(self, inbound: Inbound, next: Next) -> None:
        message = inbound.message
        workspace = await self.directory.workspace_of(message.key.home)
        reason = await self.refusal(message, workspace)
        if reason is None:
            await next(inbound.with_message(replace(message, workspace=workspace)))
            return
        if reason == "not_member" and await self._guest(
            inbound, replace(message, workspace=workspace)
        ):
            return
        metrics.REFUSED.labels(message.channel, reason).inc()
        log.info("refused a %s message: %s", message.channel, reason)
        if await self._first_refusal(workspace, message.person):
            metrics.REFUSAL_NOTICES.labels(message.channel, reason).inc()
            text = OTHER_TEAM if reason == "other_team" else NOT_A_MEMBER
            try:
                await inbound.outlet.notice(message, text)
            except Exception:
                log.exception("could not send a refusal")

    async def _guest(self, inbound: Inbound, message: InboundMessage) -> bool:
        """Someone a feature expects (a talent answering an invitation) gets that feature's
        answer instead of a refusal; no turn, nothing in the workspace's history."""
        for handler in self.services.guests:
            try:
                answer = await handler(message)
            except Exception:
                log.exception("a guest handler failed")
                continue
            if answer is None:
                continue
            metrics.GUESTS.labels(message.channel).inc()
            opt_out = getattr(inbound.outlet, "set_opt_out", None)
            if answer.opt_out is not None and opt_out is not None:
                await opt_out(message, answer.opt_out)
            elif answer.text:
                await inbound.outlet.notice(message, answer.text)
            return True
        return False

    async def refusal(self, message: InboundMessage, workspace: str) -> str | None:
        """Why this sender may not use `workspace`, or None when they may."""
        if message.channel == "console":
            return None
        if message.channel == "slack":
            sender_team = message.sender_account or message.key.account
            if sender_team == message.key.account:
                return None
            theirs = await self.directory.workspace_of(f"slack:{sender_team}")
            return None if theirs == workspace else "other_team"
        if await self.directory.role(workspace, message.person) is None:
            return "not_member"
        return None

    async def _first_refusal(self, workspace: str, person: str) -> bool:
        # The marker names the sender by a digest: no phone number sits in Redis for it.
        digest = hashlib.sha256(f"{workspace}\0{person}".encode()).hexdigest()[:32]
        key = self.services.key("refused", digest)
        try:
            return bool(await self.services.redis.set(key, b"1", nx=True, ex=REFUSAL_WINDOW_S))
        except RedisError:
            metrics.MEMORY_ERRORS.labels("redis").inc()
            return False  # can't tell: stay silent rather than send a paid message each time
