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

from redis.exceptions import RedisError

from adapters.whatsapp.commands import HELP, Command, parse_command
from adapters.whatsapp.sender import BadRecipient, SendError, TwilioSender, WindowClosed
from adapters.whatsapp.store import FAILED, Outbound, WhatsAppStore
from adapters.whatsapp.stream import WhatsAppReply
from bot.engine import Engine
from bot.pipeline import Inbound, Next
from bot.services import Services
from bot.tools import ToolContext
from bot.types import InboundMessage, ReplyResult, TalentCard

log = logging.getLogger(__name__)

CONFIRM_STOP = "You won't get any more messages from CastMatch. Send START to resume."
CONFIRM_START = "Welcome back! CastMatch will answer your messages again. Send HELP for tips."
NO_LIST = "I have no recent list to pick from. Search first, e.g. _search dancers in Pune_."
NOT_IN_LIST = "The last list has {count} result(s); pick a number from 1 to {count}."
MEDIA_SAVED = (
    "Got it: {what} saved with this conversation. Tell me what you'd like me to do with it."
)
LAST_LIST_TTL_S = 7 * 24 * 3600
MAX_CONCURRENT_TURNS = 32  # turns mostly wait on Claude; this caps bursts, not throughput
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
        self.pipeline = engine.pipeline(router=self._route)

    # inbound ---------------------------------------------------------------------------

    async def process(self, message: InboundMessage, status_callback: str = "") -> None:
        """Handle one verified inbound message (in its own task; never raises).

        Tasks start in the order the webhooks arrived and take the chat's lock before their
        first await (an uncontended asyncio lock doesn't yield; waiters are FIFO), so two
        quick messages from one person are answered in the order they were sent.
        """
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
        finally:
            self._waiting[chat] -= 1
            if not self._waiting[chat]:
                del self._waiting[chat]
                self._order.pop(chat, None)

    async def _route(self, inbound: Inbound, next: Next) -> None:
        """The text commands (a pipeline step after the gate and the rate limit)."""
        message = inbound.message
        callback = getattr(inbound.outlet, "callback", "")
        account, user = message.key.account, message.user_id
        command = parse_command(message.text)
        if command.kind == "stop":
            # Silence first, so nothing queued after this STOP slips out; then confirm.
            await self.store.set_opt_out(account, user, True)
            await self.deliver(account, user, CONFIRM_STOP, callback=callback, force=True)
            return
        if command.kind == "start":
            await self.store.set_opt_out(account, user, False)
            await self.deliver(account, user, CONFIRM_START, callback=callback)
            return
        if await self.store.opted_out(account, user):
            return  # silenced until START: no turn, no reply
        await self.sender.typing(message.message_id)
        reply = inbound.outlet.reply(message)
        if command.kind == "help":
            await self._direct(reply, HELP)
        elif command.kind == "forget":
            await self._forget(message, reply)
        elif command.kind == "search" and "search_talent" in self.services.tools:
            await self._search(message, command, reply)
        elif command.kind in ("pick", "shortlist") and command.number:
            await self._pick(inbound, command, reply, next)
        elif message.attachments and not message.text.strip():
            await self._media_only(message, reply)
        else:
            if command.kind == "search":
                message = replace(message, text=f"Search the talent catalogue: {command.arg}")
            await next(inbound.with_message(_described(message)))

    def reply_for(self, message: InboundMessage, callback: str = "") -> WhatsAppReply:
        ws, user = message.key.account, message.user_id

        async def deliver(body: str, media: Sequence[str]) -> bool:
            return await self.deliver(ws, user, body, media=media, callback=callback)

        async def remember(cards: Sequence[TalentCard]) -> None:
            await self._remember(message, cards)

        return WhatsAppReply(deliver, on_talent=remember)

    async def _direct(
        self, reply: WhatsAppReply, text: str, result: ReplyResult | None = None
    ) -> None:
        await reply.start()
        await reply.complete(text, result)

    async def _forget(self, message: InboundMessage, reply: WhatsAppReply) -> None:
        from memory.forget import forget_person

        report = await forget_person(self.services, "whatsapp", message.user_id)
        report += await self.store.forget(message.user_id)
        text = "Done. I erased what I kept about you:\n\n" + "\n".join(f"- {r}" for r in report)
        await self._direct(reply, text)

    async def _search(
        self, message: InboundMessage, command: Command, reply: WhatsAppReply
    ) -> None:
        ctx = ToolContext(message=message, services=self.services)
        outcome = await self.services.tools.run("search_talent", {"query": command.arg}, ctx)
        if outcome.is_error:
            await self._direct(reply, f"The search failed: {outcome.as_text()[:300]}")
        elif not outcome.cards:
            await self._direct(reply, "Nobody in the catalogue matches that. Try a wider search.")
        else:
            await self._direct(reply, "", ReplyResult(talent=tuple(outcome.cards)))

    async def _pick(
        self, inbound: Inbound, command: Command, reply: WhatsAppReply, next: Next
    ) -> None:
        message = inbound.message
        listed = await self._last_list(message)
        if not listed:
            await self._direct(reply, NO_LIST)
            return
        if not 1 <= command.number <= len(listed):
            await self._direct(reply, NOT_IN_LIST.format(count=len(listed)))
            return
        person = listed[command.number - 1]
        who = (
            f"number {command.number} of the last list: {person['name']} (talent id {person['id']})"
        )
        if command.kind == "shortlist":
            text = f"Shortlist {who}" + (f" {command.arg}" if command.arg else "")
        else:
            text = f"Tell me more about {who}"
        await next(inbound.with_message(replace(message, text=text)))

    async def _media_only(self, message: InboundMessage, reply: WhatsAppReply) -> None:
        stored = await self.engine.episodic.store_inbound(message)
        kinds = sorted({a.content_type.split("/")[0] or "file" for a in message.attachments})
        what = f"{len(message.attachments)} {'/'.join(kinds)} file(s)"
        if stored is None:
            log.info("media message %s was stored before", message.message_id)
        await self._direct(reply, MEDIA_SAVED.format(what=what))

    # last results, for "2" and "shortlist 2" ---------------------------------------------

    def _list_key(self, message: InboundMessage) -> str:
        return self.services.key("wa-last", f"whatsapp:{message.key.account}:{message.user_id}")

    async def _remember(self, message: InboundMessage, cards: Sequence[TalentCard]) -> None:
        listed = [{"id": c.id, "name": c.name} for c in cards[:10]]
        await self.services.redis.set(
            self._list_key(message), json.dumps(listed).encode(), ex=LAST_LIST_TTL_S
        )

    async def _last_list(self, message: InboundMessage) -> list[dict[str, str]]:
        try:
            raw = await self.services.redis.get(self._list_key(message))
        except RedisError:
            return []
        return json.loads(raw) if raw else []

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
        if not force and await self.store.opted_out(workspace, user):
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
        row = await self.store.record_sent(
            sid, workspace=workspace, recipient=user, body=body, status=status
        )
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


def _described(message: InboundMessage) -> InboundMessage:
    """Tell Claude that media came with the caption (it sees text only)."""
    if not message.attachments:
        return message
    kinds = ", ".join(a.content_type or "file" for a in message.attachments)
    return replace(message, text=f"{message.text}\n\n[attached: {kinds}]")


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
