"""The conversation engine: one turn per inbound message, the same for every channel.

A message reaches a turn through the pipeline (`Engine.pipeline`: de-duplicate, membership
gate, rate limit, commands). The turn: wait for the conversation's earlier turn → store the
message while assembling context → Claude (streamed, with tools) → the channel's ReplyStream →
store the reply.
Whatever fails, the person gets a short, honest note and nothing already stored is lost.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from redis.exceptions import RedisError

from bot import metrics
from bot.commands.router import Router
from bot.dedupe import Deduplicate
from bot.early_embedding import EarlyEmbeddings, Embedding
from bot.gate import MembershipGate
from bot.llm.base import LLMError, LLMRequest, LLMResult, Responder
from bot.llm.prompts import system_prompt
from bot.locks import ConversationLocks
from bot.logs import correlation_id
from bot.pipeline import Inbound, Next, Pipeline
from bot.ports import Context, ReplyStats
from bot.ratelimit import RateLimiter
from bot.services import Services
from bot.shown import Shown, last_shown
from bot.tools import ToolContext
from bot.types import ConversationKey, InboundMessage, ReplyResult, ReplyStream

log = logging.getLogger(__name__)

NOTE_UNAVAILABLE = (
    "⚠️ Sorry, I can't reach Claude right now, so I can't answer this. "
    "Your message is saved; please try again in a minute."
)
NOTE_CUT_OFF = "⚠️ My answer was cut off ({reason}). Ask me to continue if you need the rest."
NOTE_NOT_SAVED = (
    "⚠️ Sorry, I couldn't save your message (the database is unavailable), so I didn't "
    "answer it. Please send it again in a minute."
)
NOTE_BROKEN = "⚠️ Sorry, something went wrong on my side while answering. Please try again."
NOTE_INTERRUPTED = "⚠️ I was interrupted (the service is restarting). Please ask again."
NOTE_TOO_LONG = (
    "⚠️ Your message is too long for me ({length:,} characters; the limit is {limit:,}). "
    "It is saved, but please send a shorter version."
)
EMBED_DEADLINE_S = 0.3  # past this, answer without semantic recall rather than queue
MAX_MESSAGE_CHARS = 16_000  # ~4k tokens: longer pastes would crowd out the conversation


@dataclass
class TurnTrace:
    """Monotonic timestamps of one turn, for metrics and the engine-overhead benchmark."""

    received: float = field(default_factory=time.perf_counter)
    locked: float = 0.0  # the conversation's lock was taken
    message_stored: float = 0.0  # the message and its reply row were stored
    context_ready: float = 0.0  # the context was built (its reads overlap the storing)
    llm_started: float = 0.0
    first_text: float = 0.0
    last_text: float = 0.0  # the model's last text piece arrived
    llm_finished: float = 0.0
    stored: float = 0.0
    embed_wait: float = 0.0  # seconds context assembly waited for the message's embedding
    context: float = 0.0  # the rest of context assembly (reads beside the wait overlap it)
    outcome: str = ""  # complete / partial / failed / duplicate / unsaved
    conversation: str = ""  # ConversationKey.id (benchmarks match turns to replies)


class Engine:
    def __init__(
        self,
        services: Services,
        responder: Responder,
        *,
        on_trace: Callable[[TurnTrace], None] | None = None,
    ) -> None:
        self.services = services
        self.responder = responder
        # PostgreSQL first, a Redis write-behind stream while it is down; working memory.
        if services.memory is None:
            raise RuntimeError("no memory is attached: open the services with the features")
        self.memory = services.memory
        self.episodic = self.memory.turns
        self.context = self.memory.context
        self.locks = ConversationLocks(services, services.settings.turn_timeout_s)
        self.dedupe = Deduplicate(services)
        self.early = EarlyEmbeddings(self.context.embed)
        self.gate = MembershipGate(services)
        self.rate_limiter = RateLimiter(services)
        self.router = Router(self)
        self.on_trace = on_trace
        self.llm_failure: tuple[str, float] | None = None  # (kind, when) since the last answer

    def pipeline(self) -> Pipeline:
        """The steps every message takes: de-duplicate → (its query embedding starts) →
        membership gate → rate limit → the command router → this engine's turn."""
        steps = [self.dedupe, self.early, self.gate, self.rate_limiter, self.router]
        return Pipeline(steps, self._turn_for)

    def admission(self, last: Next) -> Pipeline:
        """The same first steps in front of something that is not a turn (a button)."""
        return Pipeline([self.dedupe, self.gate, self.rate_limiter], last)

    async def _turn_for(self, inbound: Inbound) -> None:
        await self.handle(inbound.message, inbound.outlet.reply(inbound.message))

    async def handle(self, message: InboundMessage, reply: ReplyStream) -> TurnTrace:
        """Answer one message that passed the pipeline's steps. Never raises: failures end
        as a note in the reply."""
        trace = TurnTrace(conversation=message.key.id)
        correlation_id.set(message.message_id[-12:])
        metrics.TURNS_IN_FLIGHT.inc()
        # The message's embedding (for semantic recall), started when the message entered
        # the pipeline (else now): computed while the turn waits for its lock and stores
        # the message, not after.
        embedding = self.early.take(message.message_id, message.text)
        try:
            ticket = (message.message_id, message.received_at.timestamp())
            async with self.locks.hold(message.key, ticket):
                await self._guarded_turn(message, reply, trace, embedding)
        except asyncio.CancelledError:
            if not trace.outcome:  # stopped while queued behind an earlier turn
                trace.outcome = "interrupted"
                await asyncio.shield(self.interrupted(message, reply))
            raise
        finally:
            embedding.task.cancel()
            metrics.TURNS_IN_FLIGHT.dec()
            metrics.TURNS.labels(message.channel, trace.outcome or "failed").inc()
            if trace.first_text:
                metrics.FIRST_TOKEN_SECONDS.labels(message.channel).observe(
                    trace.first_text - trace.received
                )
            if trace.stored:
                metrics.REPLY_SECONDS.labels(message.channel).observe(trace.stored - trace.received)
            if self.on_trace is not None:
                self.on_trace(trace)
        return trace

    async def command_turn(
        self,
        message: InboundMessage,
        reply: ReplyStream | None,
        answer: str | Callable[[], Awaitable[tuple[str, ReplyResult]]],
    ) -> None:
        """A command answered without Claude, stored as a turn like any other and in order
        with the conversation's other turns. `answer` is computed under the conversation's
        lock (a shortlist shown after "shortlist her" includes her); `reply` is None when
        the channel has already shown it (a STOP confirmation)."""
        ticket = (message.message_id, message.received_at.timestamp())
        async with self.locks.hold(message.key, ticket):
            try:
                inbound_id = await self.episodic.store_inbound(message)
            except Exception:
                log.exception("could not store a command")
                inbound_id = 0  # the answer is still given; memory keeps what it can
            if inbound_id is None:  # stored before: a retry that slipped past Redis
                return
            if callable(answer):
                try:
                    text, result = await answer()
                except Exception:
                    log.exception("a %s command failed", message.channel)
                    text, result = NOTE_BROKEN, ReplyResult()
            else:
                text, result = answer, ReplyResult()
            if inbound_id:
                with contextlib.suppress(Exception):
                    reply_id = await self.episodic.start_reply(inbound_id, message)
                    stats = ReplyStats(model="command")
                    await self.episodic.finish_reply(reply_id, inbound_id, text, "complete", stats)
                    self.memory.after_turn(message, inbound_id, reply_id)
        if reply is not None:
            await _say(reply, text, result)

    async def say(self, reply: ReplyStream, text: str) -> None:
        """A short complete answer that is not stored (an erasure's confirmation)."""
        await _say(reply, text)

    async def shown(self, key: ConversationKey) -> list[Shown]:
        try:
            return await last_shown(self.services, key)
        except RedisError:
            return []

    async def interrupted(self, message: InboundMessage, reply: ReplyStream) -> None:
        """A message acknowledged but never started (the service is stopping): keep it and
        tell the person, rather than let it vanish. Never raises."""
        try:
            inbound_id = await self.episodic.store_inbound(message)
            if inbound_id is None:
                return  # stored before: its turn ran; its reply (or that reply's recovery) answers
            await self.episodic.close_inbound(inbound_id, "failed")
        except Exception as exc:
            log.warning("could not keep an interrupted message (%s)", type(exc).__name__)
        try:
            await reply.start()
        except Exception:
            log.exception("could not open a reply for the interruption note")
        await _safely_fail(reply, NOTE_INTERRUPTED)

    async def _guarded_turn(
        self,
        message: InboundMessage,
        reply: ReplyStream,
        trace: TurnTrace,
        embedding: Embedding,
    ) -> None:
        """The error boundary: the person always hears something, the process keeps serving."""
        trace.locked = time.perf_counter()
        try:
            with self.services.priority.answering() as shown:
                await self._turn(message, reply, trace, embedding, shown)
        except asyncio.CancelledError:
            trace.outcome = "interrupted"
            await _safely_fail(reply, NOTE_INTERRUPTED)
            raise
        except Exception:
            log.exception("turn failed in a %s conversation", message.channel)
            trace.outcome = "failed"
            await _safely_fail(reply, NOTE_BROKEN)

    async def _turn(
        self,
        message: InboundMessage,
        reply: ReplyStream,
        trace: TurnTrace,
        embedding: Embedding,
        shown: Callable[[], None],
    ) -> None:
        too_long = len(message.text) > MAX_MESSAGE_CHARS
        # The context is read while the message is stored: neither waits for the other.
        building = None
        if not too_long:
            building = asyncio.create_task(self._context(message, trace, embedding))
        try:
            # The message and its reply row in one transaction (a too-long one gets no reply).
            if too_long:
                inbound_id, opened = await self.episodic.store_inbound(message), None
            else:
                opened = await self.episodic.open_turn(message)
                inbound_id = opened[0] if opened else None
        except Exception:
            _drop(building)
            log.exception("could not store an inbound message")
            trace.outcome = "unsaved"
            await reply.start()
            await _safely_fail(reply, NOTE_NOT_SAVED)
            return
        except BaseException:
            _drop(building)
            raise
        if inbound_id is None:  # stored before: a retry that slipped past Redis
            _drop(building)
            trace.outcome = "duplicate"
            return
        if building is None or opened is None:
            _drop(building)
            await self.episodic.close_inbound(inbound_id, "rejected")
            trace.outcome = "rejected"
            await reply.start()
            note = NOTE_TOO_LONG.format(length=len(message.text), limit=MAX_MESSAGE_CHARS)
            await _safely_fail(reply, note)
            return
        reply_id = opened[1]
        trace.message_stored = time.perf_counter()
        context = await building
        trace.context_ready = time.perf_counter()
        request = LLMRequest(
            system=system_prompt(message.channel),
            context=context.memory,
            messages=context.messages,
        )
        await reply.start()
        result = LLMResult()
        # A channel that shows text later than Claude writes it (WhatsApp: whole paragraphs)
        # says when the person can see it; until then the turn keeps background work back.
        # Elsewhere the first piece counts (Slack's posting budget is a platform wait, not
        # CPU this process could give the turn).
        when_shown = getattr(reply, "when_shown", None)
        if when_shown is not None:
            when_shown(shown)

        async def on_text(piece: str) -> None:
            trace.last_text = time.perf_counter()
            if not trace.first_text:
                trace.first_text = trace.last_text
                if when_shown is None:
                    shown()  # other turns' background work may run now
            result.text += piece
            await reply.append(piece)

        # A channel that can show tool steps as they run has `progress` on its reply.
        ctx = ToolContext(
            message=message, services=self.services, progress=getattr(reply, "progress", None)
        )
        status, note = "complete", ""
        trace.llm_started = time.perf_counter()
        try:
            answer = await self.responder.respond(request, on_text, self.services.tools, ctx)
            answer.text = result.text
            result = answer
            self.llm_failure = None
        except asyncio.CancelledError:
            # Shutting down mid-reply: keep what was written, marked partial.
            stats = ReplyStats(model=getattr(self.responder, "model", ""))
            await asyncio.shield(
                self.episodic.finish_reply(reply_id, inbound_id, result.text, "partial", stats)
            )
            raise
        except LLMError as exc:
            log.warning("claude failed (%s) after %d chars", exc.kind, len(result.text))
            metrics.CLAUDE_ERRORS.labels(exc.kind).inc()
            self.llm_failure = (exc.kind, time.time())
            status = "partial" if result.text else "failed"
            note = NOTE_CUT_OFF.format(reason=str(exc)) if result.text else NOTE_UNAVAILABLE
        except Exception:
            # A tool or the channel broke mid-reply: keep what was written, say so.
            log.exception("reply failed in a %s conversation", message.channel)
            status = "partial" if result.text else "failed"
            note = NOTE_BROKEN
        trace.llm_finished = time.perf_counter()
        latency_ms = int((trace.llm_finished - trace.received) * 1000)
        stats = ReplyStats(
            model=result.model or getattr(self.responder, "model", ""),
            input_tokens=result.input_tokens,
            output_tokens=result.output_tokens,
            cache_read_tokens=result.cache_read_tokens,
            latency_ms=latency_ms,
        )
        metrics.CLAUDE_TOKENS.labels("input").inc(result.input_tokens)
        metrics.CLAUDE_TOKENS.labels("output").inc(result.output_tokens)
        metrics.CLAUDE_TOKENS.labels("cache_read").inc(result.cache_read_tokens)
        # Store before showing the end, so a crash after this point loses nothing.
        await self.episodic.finish_reply(reply_id, inbound_id, result.text, status, stats)
        trace.stored = time.perf_counter()
        self.memory.after_turn(message, inbound_id, reply_id)  # facts, vectors: in background
        trace.outcome = status
        if note:
            await _safely_fail(reply, note)
        else:
            await reply.finish(ReplyResult(talent=tuple(result.cards)))

    async def _context(
        self, message: InboundMessage, trace: TurnTrace, embedding: Embedding
    ) -> Context:
        """The turn's context, built while its message is being stored (so the message is
        left out by its platform id rather than its row id)."""
        started = time.perf_counter()
        # The other layers are read while the embedding finishes; only recall waits for it.
        query = self._embedding_within_deadline(embedding)
        context = await self.context.build(message, 0, query=query, embed=False)
        built = time.perf_counter() - started
        trace.embed_wait = context.embed_ms / 1000
        trace.context = built - trace.embed_wait
        metrics.CONTEXT_SECONDS.observe(built)
        return context

    async def _embedding_within_deadline(self, embedding: Embedding) -> Any:
        """The message's embedding, or None when the CPU is too busy to have it in time
        (counted from when it started, as the message entered the pipeline). A late one is
        cancelled: in a burst, embeddings nobody will use would otherwise keep the embedding
        thread busy and make every later message late too."""
        remaining = EMBED_DEADLINE_S - (time.perf_counter() - embedding.started)
        try:
            return await asyncio.wait_for(embedding.task, max(remaining, 0.05))
        except TimeoutError:
            metrics.MEMORY_ERRORS.labels("embedding_deadline").inc()
            log.info("message embedding late; answering without semantic recall")
            return None


async def _say(reply: ReplyStream, text: str, result: ReplyResult | None = None) -> None:
    """A short complete reply that is not Claude's (a command's answer, a notice)."""
    try:
        await reply.start()
        whole = getattr(reply, "complete", None)  # a channel that packs known text better
        if whole is not None:
            await whole(text, result)
            return
        await reply.append(text)
        await reply.finish(result or ReplyResult())
    except Exception:
        log.exception("could not send a notice")


def _drop(task: asyncio.Task[Any] | None) -> None:
    """Cancel a context read whose turn will not run."""
    if task is not None:
        task.cancel()


async def _safely_fail(reply: ReplyStream, note: str) -> None:
    try:
        await reply.fail(note)
    except Exception:
        log.exception("could not show a failure note")
