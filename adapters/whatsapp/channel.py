"""The WhatsApp channel: one inbound message -> commands or an engine turn -> messages out.

Runs in an owned background task after the webhook has been answered. Everything that sends
goes through `deliver`, which checks the opt-out, records the message for status callbacks
and turns Twilio's error codes into "stop this reply".
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import Sequence
from dataclasses import replace

from multidict import MultiDict

from adapters.whatsapp.inbox import Kept
from adapters.whatsapp.parse import parse
from adapters.whatsapp.sender import BadRecipient, SendError, TwilioSender, WindowClosed
from adapters.whatsapp.store import FAILED, Outbound, WhatsAppStore
from adapters.whatsapp.stream import WhatsAppReply
from bot.engine import Engine
from bot.entry_order import enter_in_order
from bot.pipeline import Inbound
from bot.services import Services
from bot.types import InboundMessage

log = logging.getLogger(__name__)

CONFIRM_STOP = "You won't get any more messages from CastMatch. Send START to resume."
CONFIRM_START = "Welcome back! CastMatch will answer your messages again. Send HELP for tips."
# A turn mostly waits on Claude's stream, not on this process: a small cap only made a burst's
# later messages wait whole replies for a slot (WhatsApp first text p95 3.9 s in a 150-message
# burst at 32). This bounds memory in a flood; it is WhatsApp's own, so Slack's rate limits
# (Slack turns waiting for their workspace's budget) never hold a WhatsApp turn back.
MAX_CONCURRENT_TURNS = 256
_TEMPLATE_TEXT = re.compile(r"\s+")


class WhatsAppChannel:
    def __init__(
        self, services: Services, engine: Engine, sender: TwilioSender, store: WhatsAppStore
    ) -> None:
        self.services = services
        self.engine = engine
        self.sender = sender
        self.store = store
        self.template_sid = services.settings.twilio_template_sid
        self._order: dict[str, asyncio.Lock] = {}
        # Bounded concurrency: a burst queues here instead of starving the webhook's answers.
        self._slots = asyncio.Semaphore(MAX_CONCURRENT_TURNS)
        self._waiting: dict[str, int] = {}
        self.pipeline = engine.pipeline()

    # inbound ---------------------------------------------------------------------------

    async def process(self, message: InboundMessage, status_callback: str = "") -> bool:
        """Handle one verified inbound message (in its own task; never raises). False when
        its pipeline failed (e.g. PostgreSQL refusing connections before the turn): the
        caller leaves it for the inbox's sweep to recover.

        Tasks start in the order the webhooks arrived (or the queue held them) and each
        asks for the chat's lock after the one started before it has (`enter_in_order`:
        each first keeps or reads its message in Redis, an await that may return out of
        order); waiters are FIFO, so two quick messages from one person are answered in the
        order they were sent.
        """
        await enter_in_order()
        chat = message.key.id
        lock = self._order.setdefault(chat, asyncio.Lock())
        self._waiting[chat] = self._waiting.get(chat, 0) + 1
        started = False
        outlet = WhatsAppOutlet(self, status_callback)
        try:
            async with lock, self._slots:
                started = True
                await self.pipeline(Inbound(message, outlet))
        except asyncio.CancelledError:
            if not started:  # stopping while it queued: keep it and say so
                reply = self.reply_for(message, status_callback)
                await asyncio.shield(self.engine.interrupted(message, reply))
            raise
        except Exception:
            log.exception("whatsapp message %s failed", message.message_id)
            return False
        finally:
            self._waiting[chat] -= 1
            if not self._waiting[chat]:
                del self._waiting[chat]
                self._order.pop(chat, None)
        return True

    async def recover(self, kept: Kept) -> bool:
        """A message a process that died had taken but not answered: kept, and the person
        told to ask again (as when the service stops), unless its turn had stored it (the
        recovery of its unfinished reply tells them) or the sender may not use this
        workspace (a stranger gets no row and no note). Never raises: False when it could
        not be done (PostgreSQL still unreachable), so the sweep tries again."""
        try:
            message = parse(MultiDict(kept.form), account=self.services.settings.twilio_account_sid)
            if message is None:
                return True
            gate = self.engine.gate
            workspace = await gate.directory.workspace_of(message.key.home)
            if await gate.refusal(message, workspace) is not None:
                return True
            message = replace(message, workspace=workspace, received_at=kept.at)
            await self.engine.interrupted(message, self.reply_for(message, kept.callback))
        except Exception:
            log.exception("a whatsapp message left by a stopped process could not be recovered")
            return False
        return True

    def reply_for(self, message: InboundMessage, callback: str = "") -> WhatsAppReply:
        ws, user = message.key.account, message.user_id

        async def deliver(body: str, media: Sequence[str]) -> bool:
            return await self.deliver(ws, user, body, media=media, callback=callback)

        async def typing() -> None:
            await self.sender.typing(message.message_id)

        return WhatsAppReply(deliver, on_start=typing)

    # outbound ----------------------------------------------------------------------------

    async def deliver(
        self,
        workspace: str,
        user: str,
        body: str,
        *,
        media: Sequence[str] = (),
        callback: str = "",
        force: bool = False,
    ) -> bool:
        """Send one message; False when this reply must stop (never raises)."""
        if not force:
            try:
                silenced = await self.store.opted_out(workspace, user)
            except Exception as exc:  # unknown is not "not opted out": don't send
                log.warning("whatsapp opt-out lookup failed (%s); not sending", type(exc).__name__)
                return False
            if silenced:
                return False
        try:
            sid, status = await self.sender.send(
                user, body=body, media_url=media, status_callback=callback
            )
        except BadRecipient as exc:
            log.warning("whatsapp recipient can't receive messages (%s); stopping reply", exc)
            return False
        except WindowClosed:
            await self._window_closed(workspace, user, body, callback)
            return False
        except SendError as exc:
            log.error("whatsapp message not sent: %s", exc)
            return False
        try:
            row = await self.store.record_sent(
                sid, workspace=workspace, recipient=user, body=body, status=status
            )
        except Exception as exc:
            # Sent: the rest of the reply still goes; only this message's status tracking
            # (the template fallback if it fails later) is lost.
            log.warning("whatsapp message %s sent but not recorded (%s)", sid, type(exc).__name__)
            return True
        if row.status in FAILED:  # its failure callback beat our own record
            await self.after_status(row)
        return True

    async def after_status(self, row: Outbound) -> None:
        """React to a recorded failure: the 24-hour window closed -> the template fallback."""
        if row.status not in FAILED:
            return
        log.warning("whatsapp message %s %s (code %s)", row.sid, row.status, row.error_code)
        retry = row.error_code == 63016 and row.recipient and row.fallback_sid is None
        if retry and await self.store.claim_fallback(row.sid, "pending"):
            await self._window_closed(row.workspace, row.recipient, row.body, "", sid=row.sid)

    async def _window_closed(
        self, workspace: str, user: str, body: str, callback: str, *, sid: str = ""
    ) -> None:
        if not self.template_sid:
            log.warning(
                "whatsapp 24-hour window closed and TWILIO_TEMPLATE_SID is unset: "
                "the reply was not delivered"
            )
            return
        # Template variables may not hold newlines or long runs of spaces.
        variables = json.dumps({"1": _TEMPLATE_TEXT.sub(" ", body).strip()[:1000]})
        try:
            fallback, _ = await self.sender.send(
                user,
                content_sid=self.template_sid,
                content_variables=variables,
                status_callback=callback,
            )
        except SendError as exc:
            log.error("whatsapp template fallback failed: %s", exc)
            return
        log.info("whatsapp window closed; sent template %s as %s", self.template_sid, fallback)
        if sid:
            await self.store.set_fallback(sid, fallback)
        await self.store.record_sent(
            fallback, workspace=workspace, recipient=user, body=body, status="queued"
        )
        await self.store.claim_fallback(fallback, "template")  # a template is never retried


class WhatsAppOutlet:
    """How the pipeline answers one inbound WhatsApp message (with its status callback)."""

    def __init__(self, channel: WhatsAppChannel, callback: str) -> None:
        self.channel = channel
        self.callback = callback

    def reply(self, message: InboundMessage) -> WhatsAppReply:
        return self.channel.reply_for(message, self.callback)

    async def notice(self, message: InboundMessage, text: str) -> None:
        await self.channel.deliver(
            message.key.account, message.user_id, text, callback=self.callback
        )

    async def set_opt_out(self, message: InboundMessage, on: bool) -> str:
        """STOP / START: silence first (so nothing queued after a STOP slips out), then
        confirm (a STOP's confirmation is the one message sent after it)."""
        store, account, user = self.channel.store, message.key.account, message.user_id
        await store.set_opt_out(account, user, on)
        text = CONFIRM_STOP if on else CONFIRM_START
        await self.channel.deliver(account, user, text, callback=self.callback, force=on)
        return text

    async def opted_out(self, message: InboundMessage) -> bool:
        """Whether the sender said STOP. A lookup that fails (PostgreSQL unreachable or out
        of connections) must not lose the message, which Twilio will not send again: it
        goes on to its turn and is stored, and every send checks again (`deliver`), so
        nothing reaches a person whose opt-out can't be ruled out."""
        try:
            return await self.channel.store.opted_out(message.key.account, message.user_id)
        except Exception as exc:
            log.warning("whatsapp opt-out lookup failed (%s); checked again before sending",
                        type(exc).__name__)  # fmt: skip
            return False

    async def forget(self, message: InboundMessage) -> list[str]:
        return await self.channel.store.forget(message.user_id)
