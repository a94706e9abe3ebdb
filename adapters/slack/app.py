"""The Bolt app: one set of handlers for HTTP (`/slack/events`) and Socket Mode alike.

Every handler acknowledges at once and runs the real work in a task owned by `services`
(Bolt runs with `process_before_response=True`, so nothing runs in tasks Bolt forgets).
Retries are de-duplicated through the engine's claim in Redis, across processes.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import aiohttp
from slack_bolt.async_app import AsyncApp
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncRateLimitErrorRetryHandler,
    async_default_handlers,
)
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import buttons, commands, home
from adapters.slack.authorize import CachedAuthorize
from adapters.slack.parse import channel_links, is_direct, parse
from adapters.slack.recovery import InflightRecord
from adapters.slack.stream import ReplyTarget, SlackReply
from adapters.slack.throttle import Budgets
from bot import metrics
from bot.commands import catalogue as commands_catalogue
from bot.pipeline import Inbound, Pipeline
from bot.types import InboundMessage

if TYPE_CHECKING:
    from bot.engine import Engine
    from bot.services import Services

log = logging.getLogger(__name__)

# Slack turns in flight in this process (each mostly waits on Claude or on its workspace's
# write budget). Past this an event is refused with 503 + Retry-After: Slack sends it again.
MAX_TURNS = 512
RATE_LIMIT_RETRIES = 2  # one-off Web API calls answered 429 are tried this many times more
# Tools whose run changes what the Home tab shows (roles, shortlists): it is republished.
CHANGES_SHORTLISTS = ("select_role-", "shortlist_add-", "shortlist_remove-",
                      "shortlist_set_status-", "shortlist_move-")  # fmt: skip
NOTE_LEFT_OPEN = "⚠️ Sorry, my answer stopped unexpectedly. Please ask again."
NOTE_NOT_TAKEN = (
    "⚠️ Sorry, I couldn't take your message just now (the service is overloaded). "
    "Please send it again in a minute."
)
SUGGESTED_PROMPTS = [
    {
        "title": "Find talent",
        "message": "Find Marathi-speaking actresses in Pune, playing age 25-30",
    },
    {"title": "Dancers", "message": "Who can do kathak and horse riding in Mumbai?"},
    {"title": "My shortlist", "message": "Show my shortlist"},
    {"title": "How to use", "message": "help"},
]


def api_base_url(url: str) -> str:
    """SLACK_API_URL with exactly one trailing slash (the SDK appends the method name)."""
    return url.rstrip("/") + "/"


@dataclass
class SlackRuntime:
    """What every Slack handler shares in this process."""

    services: Services
    engine: Engine
    app: AsyncApp
    client: AsyncWebClient
    budgets: Budgets = field(default_factory=Budgets)
    active: dict[tuple[str, str], SlackReply] = field(default_factory=dict)
    bot_user_id: str = ""
    turns: int = 0  # accepted messages whose turn has not ended
    # Replies write through a client without slack_sdk's rate-limit retries: a 429 there
    # pauses the whole workspace's budget and the text keeps coalescing (stream.py).
    stream_client: AsyncWebClient | None = None
    pipeline: Pipeline = field(init=False)
    _turn_ended_event: asyncio.Event = field(default_factory=asyncio.Event, init=False)

    def __post_init__(self) -> None:
        if self.stream_client is None:
            self.stream_client = self.client
        # The engine's steps, ending in a turn that also tracks the reply (to stop it).
        self.pipeline = Pipeline(self.engine.pipeline().steps, self._answer)

    async def open(self) -> None:
        """Give the Web API client one pooled HTTP session (created inside the loop), traced
        for /metrics (writes, 429s)."""
        if self.client.session is None or self.client.session.closed:
            connector = aiohttp.TCPConnector(limit=512, ttl_dns_cache=300)
            self.client.session = aiohttp.ClientSession(
                connector=connector, trace_configs=[metrics.platform_trace("slack")]
            )
        assert self.stream_client is not None
        self.stream_client.session = self.client.session

    async def close(self) -> None:
        session = self.client.session
        if session is not None and not session.closed:
            await session.close()

    # -- turns -------------------------------------------------------------------------

    def reply_for(self, message: InboundMessage, event: Mapping[str, Any]) -> SlackReply:
        direct = is_direct(event)
        target = ReplyTarget(
            team=message.key.account,
            channel=message.key.chat,
            thread_ts=message.key.thread,
            user=message.user_id,
            assistant_thread=direct and bool(message.key.thread),
            conversation=message.key.id,
            channels=channel_links(str(event.get("text") or "")),
        )
        assert self.stream_client is not None
        tracker = InflightRecord(self.services)
        return SlackReply(self.stream_client, self.budgets, target, tracker=tracker)

    @property
    def full(self) -> bool:
        """Whether this process holds as many Slack turns as it takes (see `MAX_TURNS`)."""
        return self.turns >= MAX_TURNS

    async def accept(self, message: InboundMessage, event: Mapping[str, Any]) -> None:
        """Answer the message in an owned task, through the engine's pipeline."""
        inbound = Inbound(message, EventOutlet(self, event))
        self.turns += 1
        task = self.services.spawn(
            self._never_silent(inbound), name=f"slack-turn-{message.message_id}"
        )
        task.add_done_callback(self._turn_ended)

    def _turn_ended(self, _: asyncio.Task[Any]) -> None:
        self.turns -= 1
        self._turn_ended_event.set()

    async def room(self) -> None:
        """Wait until this process takes another Slack turn (see `MAX_TURNS`)."""
        while self.full:
            self._turn_ended_event.clear()
            await self._turn_ended_event.wait()

    async def _never_silent(self, inbound: Inbound) -> None:
        """The pipeline, and a note asking to send it again when a step before the turn
        failed (PostgreSQL out of connections): a message is never met with silence."""
        try:
            await self.pipeline(inbound)
        except Exception:
            log.exception("a slack message failed before its turn")
            assert isinstance(inbound.outlet, EventOutlet)
            if not inbound.outlet.replied:
                reply = self.reply_for(inbound.message, inbound.outlet.event)
                with contextlib.suppress(Exception):
                    await reply.fail(NOTE_NOT_TAKEN)

    async def _answer(self, inbound: Inbound) -> None:
        assert isinstance(inbound.outlet, EventOutlet)
        inbound.outlet.replied = True  # the turn closes its own reply, whatever happens
        await self._turn(inbound.message, inbound.outlet.event)

    async def _turn(self, message: InboundMessage, event: Mapping[str, Any]) -> None:
        reply = self.reply_for(message, event)
        task = asyncio.current_task()
        reply.on_stop = task.cancel if task is not None else None
        where = (message.key.chat, message.key.thread)
        self.active[where] = reply
        try:
            await self.engine.handle(message, reply)
        except asyncio.CancelledError:
            if not reply.stopped:
                raise  # shutting down: the engine already closed the reply with a note
            log.info("slack reply stopped by the person")
        finally:
            if self.active.get(where) is reply:
                del self.active[where]
            if not reply.stopped:
                await reply.ensure_closed(NOTE_LEFT_OPEN)
            if reply.target.assistant_thread:  # after the turn: a role it chose is in the title
                self.services.spawn(_title_thread(self, message), name="slack-thread-title")
            if any(step.id.startswith(CHANGES_SHORTLISTS) for step in reply.stats.steps):
                home.refresh(self, message.key.account, message.user_id, message.message_id)


class EventOutlet:
    """How the pipeline answers a Slack message event."""

    def __init__(self, rt: SlackRuntime, event: Mapping[str, Any]) -> None:
        self.rt = rt
        self.event = event
        self.replied = False  # a reply was opened for this message (a turn, a command)

    def reply(self, message: InboundMessage) -> SlackReply:
        self.replied = True
        return self.rt.reply_for(message, self.event)

    async def notice(self, message: InboundMessage, text: str) -> None:
        await commands.whisper(self.rt, message, text)


def build_runtime(services: Services, engine: Engine, *, verify: bool = True) -> SlackRuntime:
    """The Slack runtime of one server (shared by its HTTP route and Socket Mode).
    `verify`: Bolt checks requests' signatures (off where they were checked before)."""
    settings = services.settings
    where = {
        "token": settings.slack_bot_token,
        "base_url": api_base_url(settings.slack_api_url),
        "timeout": 15,
    }
    # One-off calls (Home tab, modals, files, titles, posts) wait out a 429 and try again
    # with slack_sdk's own handler; reply writes pace themselves (stream_client).
    retries = [*async_default_handlers(), AsyncRateLimitErrorRetryHandler(RATE_LIMIT_RETRIES)]
    client = AsyncWebClient(**where, retry_handlers=retries)  # type: ignore[arg-type]
    stream_client = AsyncWebClient(**where)  # type: ignore[arg-type]
    app = AsyncApp(
        client=client,
        authorize=CachedAuthorize(client, settings.slack_bot_token).as_bolt_authorize(),
        signing_secret=settings.slack_signing_secret,
        request_verification_enabled=verify,
        process_before_response=True,  # we ack fast and own our tasks
        name="castmatch",
        logger=logging.getLogger("slack_bolt"),
    )
    runtime = SlackRuntime(
        services=services, engine=engine, app=app, client=client, stream_client=stream_client
    )
    register(runtime)
    services.queue_depths["slack_replies"] = lambda: len(runtime.active)
    return runtime


def _team(body: Mapping[str, Any], context: Mapping[str, Any]) -> str:
    return str(body.get("team_id") or context.get("team_id") or "")


def register(rt: SlackRuntime) -> None:
    app = rt.app

    @app.event("app_mention")
    async def on_mention(body: dict[str, Any], event: dict[str, Any], context: Any) -> None:
        message = parse(event, _team(body, context), bot_user_id=context.get("bot_user_id", ""))
        if message is not None:
            await rt.accept(message, event)

    @app.event("message")
    async def on_message(body: dict[str, Any], event: dict[str, Any], context: Any) -> None:
        # Only DMs (and assistant threads, which are DMs); channel chatter needs a mention.
        if not is_direct(event):
            return
        message = parse(event, _team(body, context), bot_user_id=context.get("bot_user_id", ""))
        if message is not None:
            await rt.accept(message, event)

    @app.event("assistant_thread_started")
    async def on_thread_started(event: dict[str, Any]) -> None:
        thread = event.get("assistant_thread") or {}
        channel, ts = str(thread.get("channel_id", "")), str(thread.get("thread_ts", ""))
        if channel and ts:
            rt.services.spawn(_welcome_thread(rt, channel, ts), name="slack-thread-start")

    @app.event("assistant_thread_context_changed")
    @app.event("app_context_changed")
    async def on_context_changed() -> None:
        return None  # nothing to do: we keep our own history

    @app.event("app_home_opened")
    async def on_home_opened(event: dict[str, Any], body: dict[str, Any], context: Any) -> None:
        if event.get("tab") == "home" and event.get("user"):
            event_id = str(body.get("event_id") or event.get("event_ts") or "")
            home.refresh(rt, _team(body, context), str(event["user"]), event_id)
        elif event.get("tab") == "messages" and event.get("channel") and event.get("user"):
            rt.services.spawn(
                _welcome_dm(rt, _team(body, context), str(event["user"]), str(event["channel"])),
                name="slack-home",
            )

    @app.event("agent_session_stopped")
    async def on_stopped(event: dict[str, Any]) -> None:
        thread = event.get("assistant_thread") or event
        where = (
            str(thread.get("channel_id") or thread.get("channel") or ""),
            str(thread.get("thread_ts") or ""),
        )
        reply = rt.active.get(where)
        if reply is not None:
            reply.stop()

    commands.register(rt)
    buttons.register(rt)
    home.register(rt)

    @app.event(re.compile(".*"))
    async def on_other_event() -> None:
        return None  # acknowledged and ignored: a 404 would only make Slack retry


async def _welcome_thread(rt: SlackRuntime, channel: str, thread_ts: str) -> None:
    with contextlib.suppress(Exception):
        await rt.client.assistant_threads_setSuggestedPrompts(
            channel_id=channel, thread_ts=thread_ts, title="Try asking:", prompts=SUGGESTED_PROMPTS
        )


TITLE_MAX = 60


def thread_title(request: str, role: str | None = None) -> str:
    """A thread's title from its first request, after the role it is for:
    "Inspector Yadav: Haryanvi cop 40-50"."""
    words = " ".join(request.split())
    room = TITLE_MAX - (len(role) + 2 if role else 0)
    if len(words) > room:
        cut = words.rfind(" ", 0, max(room - 1, 1))
        words = words[: cut if cut > room // 2 else room - 1].rstrip(" ,.;:") + "…"
    return f"{role}: {words}" if role else words


async def _title_thread(rt: SlackRuntime, message: InboundMessage) -> None:
    """Title an assistant thread after its first request (once, across processes)."""
    key = message.key
    if not message.text.strip():
        return
    try:
        first = await rt.services.redis.set(
            rt.services.key("slack", "titled", key.account, key.chat, key.thread),
            b"1",
            nx=True,
            ex=30 * 86400,
        )
    except Exception:
        return
    if not first:
        return
    role: str | None = None
    with contextlib.suppress(Exception):
        role, _ = await commands_catalogue.roles(rt.services, message)
    with contextlib.suppress(Exception):
        await rt.client.assistant_threads_setTitle(
            channel_id=key.chat, thread_ts=key.thread, title=thread_title(message.text, role)
        )


async def _welcome_dm(rt: SlackRuntime, team: str, user: str, channel: str) -> None:
    """Greet a person the first time they open the Messages tab (once, across processes)."""
    key = rt.services.key("slack", "welcomed", team, user)
    try:
        first = await rt.services.redis.set(key, b"1", nx=True)
    except Exception:
        return
    if first:
        with contextlib.suppress(Exception):
            await rt.client.chat_postMessage(channel=channel, text=commands.WELCOME)
