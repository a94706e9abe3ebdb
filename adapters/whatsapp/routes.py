"""HTTP routes of the WhatsApp channel on the `castmatch serve` server.

Inbound: size cap (413) -> form (400) -> signature (403) -> message (400) -> an immediate
200 empty TwiML, with the turn in a task owned by `Services`. Twilio waits at most 15 s and
a plain-text body would be delivered to the person, hence the empty `<Response/>`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from urllib.parse import parse_qsl

from aiohttp import web
from multidict import MultiDict
from redis.exceptions import RedisError

from adapters.whatsapp.channel import MAX_CONCURRENT_TURNS, WhatsAppChannel
from adapters.whatsapp.inbox import BEAT_S, Inbox
from adapters.whatsapp.media import TwilioMedia
from adapters.whatsapp.outbound import WhatsAppMessenger
from adapters.whatsapp.parse import ParseError, parse
from adapters.whatsapp.recovery import register as register_recovery
from adapters.whatsapp.sender import TwilioSender
from adapters.whatsapp.signature import Verifier
from adapters.whatsapp.store import RANKS, WhatsAppStore
from bot.body import TooLarge, read_capped
from bot.engine import Engine
from bot.entry_order import EntryLine
from bot.handoff import HANDOFF_KEY, Consumer, Handoff
from bot.periodic import Periodic
from bot.services import Services
from bot.types import InboundMessage

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 64 * 1024  # a webhook with 10 media URLs is ~3 KB
MAX_FIELDS = 300
READ_TRIES, READ_RETRY_S = 30, 2.0  # the worker reads a queued message for up to a minute
TWIML_EMPTY = '<?xml version="1.0" encoding="UTF-8"?><Response/>'
CHANNEL_KEY = web.AppKey("whatsapp_channel", WhatsAppChannel)
INBOX_KEY = web.AppKey("whatsapp_inbox", Inbox)
SWEEPER_KEY = web.AppKey("whatsapp_inbox_sweeper", Periodic)


def _twiml() -> web.Response:
    return web.Response(text=TWIML_EMPTY, content_type="text/xml")


class FormError(Exception):
    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status


async def read_form(request: web.Request) -> MultiDict[str]:
    """The form-encoded body, capped in size; raises `FormError` (413 or 400)."""
    try:
        raw = await read_capped(request, MAX_BODY_BYTES)
    except TooLarge:
        raise FormError(413, "body too large") from None
    if request.content_type not in ("application/x-www-form-urlencoded", ""):
        raise FormError(400, "expected a form-encoded body")
    try:
        text = raw.decode("utf-8")
        pairs = parse_qsl(
            text, keep_blank_values=True, strict_parsing=False, max_num_fields=MAX_FIELDS
        )
    except (UnicodeDecodeError, ValueError):
        raise FormError(400, "malformed form body") from None
    return MultiDict(pairs)


def _callback_url(request: web.Request, public_url: str) -> str:
    if public_url:
        return public_url + "/whatsapp/status"
    return str(request.url.with_path("/whatsapp/status").with_query(None))


def queue_item(message_id: str, chat: str) -> str:
    """A queued message for the worker: its id, then its conversation (the order key)."""
    return f"{message_id} {chat}"


def chat_of(item: bytes) -> str:
    """A queued item's conversation ("" for an item queued before it carried one)."""
    return item.decode().partition(" ")[2]


def setup_routes(app: web.Application, services: Services, engine: Engine) -> None:
    """Add POST /whatsapp/inbound and /whatsapp/status (only called when WhatsApp is enabled)."""
    settings = services.settings
    verifier = Verifier(settings.twilio_auth_token, settings.public_url)
    sender = TwilioSender(
        settings.twilio_account_sid,
        settings.twilio_auth_token,
        settings.twilio_whatsapp_number,
        api_url=settings.twilio_api_url,
    )
    channel = WhatsAppChannel(services, engine, sender, WhatsAppStore(services))
    app[CHANNEL_KEY] = channel
    # With a turn worker, this process only keeps and queues messages; the worker owns
    # them (its beat keeps them from the sweep) and answers them.
    handoff = app.get(HANDOFF_KEY)
    worker = settings.process_role == "worker"
    owner = handoff.worker_id if handoff is not None else settings.worker_id if worker else ""
    inbox = app[INBOX_KEY] = Inbox(services, owner=owner)
    register_recovery(services, channel)  # interruption notes + queue depth on /metrics
    # features message people first (invitations) and read what they sent (self-tapes)
    messenger = WhatsAppMessenger(settings, sender, channel.store)
    services.messengers["whatsapp"] = messenger
    services.posters["whatsapp"] = messenger  # a director's marks, to the role's chat
    media = services.media_sources["whatsapp"] = TwilioMedia(settings)
    arrivals = EntryLine()

    async def verified_form(request: web.Request) -> MultiDict[str] | web.Response:
        try:
            form = await read_form(request)
        except FormError as exc:
            return web.Response(status=exc.status, text=str(exc))
        if not verifier.valid(request.url, form, request.headers):
            log.warning("whatsapp webhook with a bad signature refused (%s)", request.path)
            return web.Response(status=403, text="invalid signature")
        return form

    async def inbound(request: web.Request) -> web.Response:
        form = await verified_form(request)
        if isinstance(form, web.Response):
            return form
        try:
            message = parse(form, account=settings.twilio_account_sid)
        except ParseError as exc:
            return web.Response(status=400, text=str(exc))
        if message is None:
            return _twiml()
        callback = _callback_url(request, settings.public_url)
        if handoff is not None:
            # Kept and queued before the answer: this loop does nothing else, so the one
            # round trip is short, and the worker (or a sweep) has it whatever happens next.
            queue = handoff.queue("whatsapp")
            item = queue_item(message.message_id, message.key.id)
            if await inbox.keep(message.message_id, form.items(), callback, queue=queue, item=item):
                return _twiml()
        # a person's messages ask for their chat's lock in the order they came
        arrivals.start(
            services.spawn, _take(message, form, callback), name="whatsapp-turn",
            key=message.key.id,
        )  # fmt: skip
        return _twiml()

    async def _take(message: InboundMessage, form: MultiDict[str], callback: str) -> None:
        # Kept first thing, not before the answer: waiting for Redis's reply there made a
        # burst's answers 2-3.5x slower on a busy loop (see benchmarks/README, burst).
        await inbox.keep(message.message_id, form.items(), callback)
        await _answer(message, callback)

    async def _answer(message: InboundMessage, callback: str) -> None:
        failed = False
        try:
            failed = not await channel.process(message, callback)
        finally:
            # A message its pipeline failed on is never dropped: Twilio won't send it again.
            leave = inbox.release if failed else inbox.done
            await asyncio.shield(leave(message.message_id))

    async def sweep() -> None:
        """Beat this process's owner key, then recover what dead processes left."""
        try:
            await inbox.beat()
            for kept in await inbox.claim_orphans():
                if not await channel.recover(kept):
                    await inbox.give_back(kept)
        except RedisError as exc:
            log.warning("whatsapp inbox sweep failed (%s)", type(exc).__name__)

    async def take_queued(item: bytes) -> None:
        """The worker's side: answer a message its web process kept and queued."""
        message_id = item.decode().partition(" ")[0]
        for _ in range(READ_TRIES):  # it is in Redis only: wait out a short outage
            try:
                kept = await inbox.kept(message_id)
                break
            except RedisError:
                await asyncio.sleep(READ_RETRY_S)
        else:  # left in the inbox: the sweep after this worker stops recovers it
            log.error("a queued whatsapp message could not be read from redis")
            return
        if kept is None:
            return  # answered already, or claimed by a sweep
        message = parse(MultiDict(kept.form), account=settings.twilio_account_sid)
        if message is not None:
            await _answer(message, kept.callback)

    def consumers(handoff: Handoff) -> list[Consumer]:
        spawn, limit = services.spawn, MAX_CONCURRENT_TURNS
        # every item is a person's message: they ask for their chat's lock in the order they came
        return [Consumer(handoff, "whatsapp", take_queued, spawn, limit=limit, order_key=chat_of)]

    if worker:
        services.consumers.append(consumers)

    async def start_sweeping(app: web.Application) -> None:
        with contextlib.suppress(RedisError):
            await inbox.open()
        if handoff is not None:
            return  # the worker beats for the messages and sweeps
        await sweep()
        app[SWEEPER_KEY] = Periodic(BEAT_S, sweep, "whatsapp-inbox")

    async def stop_sweeping(app: web.Application) -> None:
        if SWEEPER_KEY in app:
            await app[SWEEPER_KEY].stop()
            await inbox.leave()
        else:
            await inbox.close()

    async def status(request: web.Request) -> web.Response:
        form = await verified_form(request)
        if isinstance(form, web.Response):
            return form
        sid = form.get("MessageSid", "") or form.get("SmsSid", "")
        state = (form.get("MessageStatus", "") or form.get("SmsStatus", "")).lower()
        code_text = form.get("ErrorCode", "").strip()
        if not sid or state not in RANKS or (code_text and not code_text.isdigit()):
            return web.Response(status=400, text="not a message status callback")
        code = int(code_text) if code_text else None
        row = await channel.store.record_status(sid[:64], state, code)
        if row is not None:
            services.spawn(channel.after_status(row), name="whatsapp-status")
        return _twiml()

    async def close_sender(app: web.Application) -> None:
        await media.close()
        await sender.close()

    app.router.add_post("/whatsapp/inbound", inbound)
    app.router.add_post("/whatsapp/status", status)
    app.on_startup.append(start_sweeping)
    app.on_cleanup.append(stop_sweeping)
    app.on_cleanup.append(close_sender)
