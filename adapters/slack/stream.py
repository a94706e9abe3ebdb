"""A reply shown progressively in Slack: native streaming, or a posted message edited.

`append` never waits on the network: text goes into a buffer that one writer task per reply
drains. The writer streams with chat.startStream/appendStream/stopStream when the reply is
in a thread; otherwise (and from the first stream error on) it posts a message and edits it
with chat.update. Writes are paced to about one a second per message and within the
workspace's budgets (`throttle.py`); text that arrives meanwhile is coalesced into the next
write, so nothing is dropped and the last write always carries the whole reply. Replies
longer than one Slack message continue in follow-up messages in the same thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_chat_stream import AsyncChatStream
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import files
from adapters.slack.blocks import feedback_block, talent_blocks
from adapters.slack.channel_post import post_elsewhere
from adapters.slack.mrkdwn import NO_PREVIEWS, inert_markdown, to_mrkdwn
from adapters.slack.throttle import FAMILY, MESSAGE_INTERVAL_S, Budgets
from bot.commands.catalogue import ChannelPost
from bot.types import ReplyResult, ToolStep

log = logging.getLogger(__name__)

MESSAGE_LIMIT = 3900  # chat.update fails with msg_too_long a little above 4,000 characters
PLACEHOLDER = "_…_"
GIVE_UP_AFTER_S = 300.0  # a reply that Slack refuses this long after it ended is abandoned
STOP_ERRORS = frozenset({"stopped_by_user", "agent_session_stopped"})
FATAL_ERRORS = frozenset(
    {
        "invalid_auth",
        "not_authed",
        "account_inactive",
        "token_revoked",
        "channel_not_found",
        "not_in_channel",
        "is_archived",
        "missing_scope",
    }
)


STATUS_MAX = 50  # a loading message's length limit
LOADING_MESSAGES = [
    "Reading the brief…",
    "Searching the talent catalogue…",
    "Checking availability and fit…",
    "Writing up the shortlist…",
]


class Tracker(Protocol):
    """Records which Slack message a reply is writing, so a crash can be cleaned up."""

    async def opened(self, conversation: str, **where: Any) -> None: ...

    async def closed(self, conversation: str) -> None: ...


class Stopped(Exception):
    """The person pressed stop: the reply ends where it is."""


@dataclass
class _Segment:
    """One Slack message of the reply: the text from `start` (to `end` once it is full)."""

    start: int
    ts: str = ""
    end: int | None = None
    shown: str = ""  # what the message shows now (mrkdwn for edits)
    shown_end: int = 0  # edits: the offset in the reply's text that `shown` renders up to
    shown_upto: int = 0  # native streams: offset in the reply's text already shown
    handed_upto: int = 0  # native streams: offset handed to `stream` (shown, or to resend)
    stream: AsyncChatStream | None = None  # native streams: slack_sdk's helper
    last_write: float = 0.0
    wrote_text: bool = False


@dataclass
class ReplyTarget:
    """Where a reply goes and who it is for."""

    team: str
    channel: str
    thread_ts: str  # empty: a top-level reply (a DM outside a thread)
    user: str
    assistant_thread: bool = False  # set a status with loading messages while working
    conversation: str = ""  # ConversationKey.id, for the in-flight record
    channels: dict[str, str] = field(default_factory=dict)  # channels the message linked


@dataclass
class ReplyStats:
    writes: int = 0
    first_text_at: float = 0.0
    first_append_at: float = 0.0
    visible: list[str] = field(default_factory=list)  # every text shown, in order (tests)
    steps: list[ToolStep] = field(default_factory=list)  # tool steps reported, in order


def _error(exc: BaseException) -> tuple[str, float | None]:
    """(error code, retry-after seconds for rate limits) of a failed Web API call."""
    if isinstance(exc, SlackApiError):
        response = exc.response
        code = str(response.get("error", "") if isinstance(response.data, dict) else "")
        if response.status_code == 429 or code == "ratelimited":
            try:
                retry = float(response.headers.get("Retry-After", "1"))
            except (TypeError, ValueError):
                retry = 1.0
            return "ratelimited", retry
        return code or f"http_{response.status_code}", None
    return "transport", None


def _task_chunk(step: ToolStep) -> dict[str, Any]:
    """A tool step as Slack's `task_update` stream chunk."""
    title = inert_markdown(step.title)  # a search's words come from Claude: no <!channel>
    chunk = {"type": "task_update", "id": step.id, "title": title, "status": step.status}
    if step.output:
        chunk["output"] = inert_markdown(step.output)
    return chunk


def split_point(text: str, limit: int) -> int:
    """Where to end a message holding `text` that is over `limit`: a paragraph, line or
    word break in the second half of the window, else a hard cut."""
    window = text[:limit]
    for sep in ("\n\n", "\n", " "):
        cut = window.rfind(sep)
        if cut >= limit // 2:
            return cut + len(sep)
    return limit


class SlackReply:
    """The `ReplyStream` for one Slack reply."""

    def __init__(
        self,
        client: AsyncWebClient,
        budgets: Budgets,
        target: ReplyTarget,
        *,
        native: bool = True,
        on_stop: Callable[[], None] | None = None,
        tracker: Tracker | None = None,
        interval_s: float = MESSAGE_INTERVAL_S,
        limit: int = MESSAGE_LIMIT,
    ) -> None:
        self.client = client
        self.budgets = budgets
        self.target = target
        self.native = native and bool(target.thread_ts)
        self.on_stop = on_stop
        self.tracker = tracker
        self.interval_s = interval_s
        self.limit = limit
        self.text = ""
        self.result: ReplyResult | None = None
        self.done = False
        self.stopped = False
        self.stats = ReplyStats()
        self._segments: list[_Segment] = [_Segment(0)]
        self._wake = asyncio.Event()
        self._ended = asyncio.Event()  # set when the reply is whole: waits for pace end
        self._writer: asyncio.Task[None] | None = None
        self._closed_at = 0.0
        self._status_task: asyncio.Task[None] | None = None
        self._steps: dict[str, ToolStep] = {}  # tool steps not yet written to the stream
        self.feedback = True  # Claude's answers end with 👍/👎; a command's don't
        self.cards_shown = False  # the talent cards went out with the stream's end
        self._cards_refused = False  # Slack refused them there (a card's image, say)

    # -- ReplyStream -------------------------------------------------------------------

    async def start(self) -> None:
        if self._writer is None:
            if self.target.thread_ts:  # any thread: chat:write sets a status in channels too
                self._status_task = asyncio.create_task(self._set_status())
            self._writer = asyncio.create_task(self._run(), name="slack-reply")

    async def append(self, text: str) -> None:
        if text and not self.done:
            if not self.stats.first_append_at:
                self.stats.first_append_at = time.monotonic()
            self.text += text
            self._wake.set()

    async def progress(self, step: ToolStep) -> None:
        """A tool step started or ended: a task line in the native stream (coalesced with
        the text into the next paced write), else the thread's status line."""
        if self.done or self.stopped:
            return
        self.stats.steps.append(step)
        if self.native:
            self._steps[step.id] = step  # a later status of the same step replaces it
            self._wake.set()
        elif self.target.thread_ts and step.status == "in_progress":
            previous = self._status_task
            if previous is not None and not previous.done():
                previous.cancel()  # only the newest step's status matters
            self._status_task = asyncio.create_task(self._set_status(step.title))

    async def finish(self, result: ReplyResult) -> None:
        self.result = result
        await self._close()

    async def complete(self, text: str, result: ReplyResult | None = None) -> None:
        """A whole answer known at once (a command's): a file it carries is shared in the
        thread and the text says so; if Slack refuses the file, the text holds it."""
        self.feedback = False
        post = (result.extra if result is not None else {}).get("post")
        if isinstance(post, ChannelPost):
            text = await post_elsewhere(self.client, post, self.target.channels)
        export = files.export_of(result)
        if export is not None:
            t = self.target
            if await files.share(self.client, export, t.channel, t.thread_ts):
                text = export.summary + " The CSV file is attached here."
        await self.append(text)
        await self.finish(result or ReplyResult())

    async def fail(self, note: str) -> None:
        if self.stopped:
            return  # the person stopped it; no note about an interruption they asked for
        if not self.done:
            note = note.strip() or "Something went wrong."
            if not note.startswith("⚠️"):
                note = "⚠️ " + note
            self.text += ("\n\n" if self.text.strip() else "") + note
        await self._close()

    # -- lifecycle ---------------------------------------------------------------------

    async def _close(self) -> None:
        if self._writer is None:
            await self.start()
        self.done = True
        self._closed_at = time.monotonic()
        self._ended.set()
        self._wake.set()
        assert self._writer is not None
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.shield(self._writer)

    async def ensure_closed(self, note: str) -> None:
        """Close a reply the engine left open (it raised or was cancelled)."""
        if not self.done:
            await self.fail(note)

    async def _set_status(self, step: str = "") -> None:
        """The thread's "is working…" line; a tool step's title once one runs."""
        loading = [step[:STATUS_MAX]] if step else LOADING_MESSAGES
        with contextlib.suppress(Exception):
            await self.client.assistant_threads_setStatus(
                channel_id=self.target.channel,
                thread_ts=self.target.thread_ts,
                status="is working…" if step else "is searching the catalogue…",
                loading_messages=loading,
            )

    # -- the writer --------------------------------------------------------------------

    async def _run(self) -> None:
        try:
            await self._write_all()
        finally:
            if self.tracker is not None and self.target.conversation:
                await self.tracker.closed(self.target.conversation)

    async def _track(self, segment: _Segment) -> None:
        if self.tracker is not None and self.target.conversation:
            await self.tracker.opened(
                self.target.conversation, channel=self.target.channel, ts=segment.ts,
                thread_ts=self.target.thread_ts, native=self.native, start=segment.start,
            )  # fmt: skip

    async def _write_all(self) -> None:
        failures = 0
        while True:
            try:
                if self.stopped:
                    return
                self._wake.clear()  # before reading the text, so no append is missed
                progressed = await (self._native_step() if self.native else self._edit_step())
                failures = 0
                if self.done and not progressed and self._complete():
                    break
                if not progressed:
                    await self._wait()
            except Stopped:
                self.stop()
                return
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                code, retry = _error(exc)
                if retry is not None:
                    family = FAMILY.get(getattr(exc, "method", ""), "")
                    self._pause(family, retry)
                    await asyncio.sleep(min(retry, 0.05))
                elif self.native:
                    log.info("slack stream failed (%s); continuing with message edits", code)
                    await self._leave_stream()
                elif code in FATAL_ERRORS or self._given_up():
                    log.error("slack reply abandoned after %s", code)
                    return
                else:
                    failures += 1
                    log.warning("slack write failed (%s), attempt %d", code, failures)
                    if code == "msg_too_long":
                        self.limit = max(500, int(self.limit * 0.7))
                    elif failures >= 3:
                        self._restart_segment()
                    await asyncio.sleep(min(0.2 * 2**failures, 5.0))
        if self._has_cards() and not self.stopped:  # the stream ended without them
            await self._post_cards()

    def _given_up(self) -> bool:
        return self.done and time.monotonic() - self._closed_at > GIVE_UP_AFTER_S

    def _pause(self, family: str, seconds: float) -> None:
        families = [family] if family else ["edit", "append", "post"]
        for name in families:
            self.budgets.get(self.target.team, name, self.target.channel).pause(seconds)

    async def _wait(self) -> None:
        """Sleep until there is something new to write (or the reply ends)."""
        if self.done:
            await asyncio.sleep(0.02)
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), timeout=5.0)

    def stop(self) -> None:
        """The person pressed stop (agent_session_stopped): end the reply where it is."""
        if not self.stopped:
            self.stopped = True
            self._wake.set()
            if self.on_stop is not None:
                self.on_stop()

    def _complete(self) -> bool:
        segment = self._segments[-1]
        if self.native:
            return (not segment.ts and not self.text) or segment.end is not None
        return bool(segment.ts) and segment.shown == self._render(segment)

    async def _pace(self, segment: _Segment, urgent: bool) -> None:
        """Keep to ~1 write a second per message (the first text goes at once). The reply
        ending cuts the wait short: its last write carries the whole text at once."""
        if segment.wrote_text and not urgent:
            delay = segment.last_write + self.interval_s - time.monotonic()
            if delay > 0 and not self._ended.is_set():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._ended.wait(), delay)

    async def _call(self, method: str, urgent: bool, **kwargs: Any) -> Any:
        if method == "chat.postMessage":
            kwargs.update(NO_PREVIEWS)
        return await self._write(method, urgent, lambda: self.client.api_call(method, json=kwargs))

    async def _write(self, method: str, urgent: bool, send: Callable[[], Awaitable[Any]]) -> Any:
        """One write within the workspace's budget for `method`; errors say which method
        (a 429 pauses its family) and a stop by the person raises `Stopped`."""
        budget = self.budgets.get(self.target.team, FAMILY[method], self.target.channel)
        await budget.acquire(urgent=urgent, hurry=self._ended)
        try:
            response = await send()
        except SlackApiError as exc:
            exc.method = method  # type: ignore[attr-defined]
            code, _ = _error(exc)
            if code in STOP_ERRORS:
                raise Stopped from exc
            raise
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise ConnectionError(str(exc)) from exc
        self.stats.writes += 1
        return response

    def _seen(self, text: str) -> None:
        if not self.stats.first_text_at and text.strip() and text != PLACEHOLDER:
            self.stats.first_text_at = time.monotonic()
        self.stats.visible.append(text)

    # -- native streaming ------------------------------------------------------------
    # slack_sdk's AsyncChatStream makes the calls (startStream with the first text, then
    # appendStream, stopStream); this writer decides when. It is asked to write at once
    # (buffer of 1), and text it was handed whose write failed stays in its buffer and goes
    # with its next write: `handed_upto` runs ahead of `shown_upto` until then.

    async def _open_stream(self) -> AsyncChatStream:
        t = self.target
        return await self.client.chat_stream(
            channel=t.channel, thread_ts=t.thread_ts, recipient_user_id=t.user,
            recipient_team_id=t.team, buffer_size=1,
        )  # fmt: skip

    async def _native_step(self) -> bool:
        segment = self._segments[-1]
        if segment.end is not None:
            return False
        if segment.stream is None:
            if self.done and len(self.text) <= segment.start and not self._steps:
                return False  # nothing to show: no empty message
            segment.stream = await self._open_stream()
            segment.shown_upto = segment.handed_upto = segment.start
        held = segment.handed_upto > segment.shown_upto  # a failed write's text, to resend
        pending = self.text[segment.handed_upto :]
        room = self.limit - (segment.handed_upto - segment.start)
        if pending and len(pending) > room:
            cut = segment.handed_upto + split_point(pending, room)
            if cut > segment.handed_upto or held:
                await self._native_append(segment, cut, True)
            await self._native_stop(segment)
            self._segments.append(_Segment(segment.shown_upto))
            return True
        if pending or held or self._steps:
            urgent = self.done or not segment.wrote_text  # the first write goes out at once
            await self._pace(segment, urgent=urgent)
            await self._native_append(
                segment, min(len(self.text), segment.start + self.limit), urgent
            )
            return True
        if self.done:
            # The answer's cards and (for a whole answer, not one cut off by a failure) the
            # feedback buttons are attached under the text as the stream stops.
            attach = self._has_cards() and not self._cards_refused
            cards = talent_blocks(self.result.talent)[0] if attach and self.result else []
            end = cards + ([feedback_block()] if self.result is not None and self.feedback else [])
            try:
                await self._native_stop(segment, end)
            except SlackApiError as exc:
                if not cards or _error(exc)[0] != "invalid_blocks":
                    raise
                self._cards_refused = True  # stop without them; they are posted after
                return True
            self.cards_shown = bool(cards)
            return True
        return False

    def _has_cards(self) -> bool:
        return self.result is not None and bool(self.result.talent) and not self.cards_shown

    async def _native_append(self, segment: _Segment, upto: int, urgent: bool) -> None:
        """Hand the stream the text up to `upto` and the tool steps not yet shown."""
        stream = segment.stream
        assert stream is not None
        text = self.text[segment.handed_upto : upto]
        steps = list(self._steps.values())
        chunks = [_task_chunk(step) for step in steps] if steps else None
        method = "chat.appendStream" if stream.ts else "chat.startStream"
        segment.handed_upto = max(upto, segment.handed_upto)
        await self._write(
            method, urgent, lambda: stream.append(markdown_text=inert_markdown(text), chunks=chunks)
        )
        if not segment.ts and stream.ts:
            segment.ts = str(stream.ts)
            await self._track(segment)
        for step in steps:
            if self._steps.get(step.id) is step:
                del self._steps[step.id]  # a newer status that arrived meanwhile stays
        wrote_text = segment.handed_upto > segment.shown_upto
        segment.shown_upto = segment.handed_upto
        segment.last_write = time.monotonic()
        if wrote_text:  # task lines alone don't hold back the first text
            segment.wrote_text = True
            self._seen(self.text[segment.start : segment.shown_upto])

    async def _native_stop(
        self, segment: _Segment, blocks: list[dict[str, Any]] | None = None
    ) -> None:
        """End the segment's message (with `blocks` under its text); the stream sends any
        text it still held."""
        stream = segment.stream
        assert stream is not None
        end = {"blocks": blocks} if blocks else {}
        await self._write("chat.stopStream", True, lambda: stream.stop(**end))
        segment.ts = segment.ts or str(stream.ts or "")
        segment.shown_upto = segment.handed_upto
        segment.end = segment.shown_upto

    async def _leave_stream(self) -> None:
        """The stream broke: keep what it shows, replay the rest as posted messages."""
        segment = self._segments[-1]
        if segment.ts and segment.end is None:
            with contextlib.suppress(Exception):
                await self.client.chat_stopStream(channel=self.target.channel, ts=segment.ts)
        self.native = False
        self._steps.clear()  # edits show steps as the thread's status instead
        if segment.ts:
            segment.end = segment.shown_upto
            self._segments.append(_Segment(segment.shown_upto))
        # a segment that never started simply becomes the first posted message

    # -- posted message + edits --------------------------------------------------------

    def _render(self, segment: _Segment) -> str:
        end = segment.end if segment.end is not None else len(self.text)
        text = to_mrkdwn(self.text[segment.start : end])
        return text or PLACEHOLDER

    def _restart_segment(self) -> None:
        """A message that can't be edited any more: continue the reply in a new one."""
        segment = self._segments[-1]
        if segment.ts and segment.end is None:
            segment.end = max(segment.start, segment.shown_end)
            self._segments.append(_Segment(segment.end))

    def _fit(self, segment: _Segment) -> str:
        """The segment's mrkdwn, ending the message early when the reply outgrew it."""
        if segment.end is None and len(self.text) - segment.start > self.limit:
            segment.end = segment.start + split_point(self.text[segment.start :], self.limit)
        visible = self._render(segment)
        while len(visible) > MESSAGE_LIMIT:
            # mrkdwn came out longer than the Markdown: end the message earlier
            end = segment.end if segment.end is not None else len(self.text)
            segment.end = segment.start + split_point(
                self.text[segment.start : end], int((end - segment.start) * 0.8)
            )
            visible = self._render(segment)
        return visible

    async def _edit_step(self) -> bool:
        segment = self._segments[-1]
        t = self.target
        visible = self._fit(segment)
        final = self.done or segment.end is not None
        rendered_to = segment.end if segment.end is not None else len(self.text)
        if not segment.ts:
            thread = {"thread_ts": t.thread_ts} if t.thread_ts else {}
            response = await self._call(
                "chat.postMessage", True, channel=t.channel, text=visible, **thread
            )
            segment.ts = str(response["ts"])
            await self._track(segment)
        elif visible != segment.shown:
            urgent = final or not segment.wrote_text
            await self._pace(segment, urgent=urgent)
            visible = self._fit(segment)  # take what arrived meanwhile
            rendered_to = segment.end if segment.end is not None else len(self.text)
            await self._call("chat.update", urgent, channel=t.channel, ts=segment.ts, text=visible)
        else:
            if segment.end is not None:
                self._segments.append(_Segment(segment.end))
                return True
            return False
        segment.shown = visible
        segment.shown_end = rendered_to
        segment.last_write = time.monotonic()
        segment.wrote_text = segment.wrote_text or visible != PLACEHOLDER
        self._seen(visible)
        return True

    # -- talent cards ------------------------------------------------------------------

    async def _post_cards(self) -> None:
        assert self.result is not None
        t = self.target
        blocks, fallback = talent_blocks(self.result.talent)
        thread = {"thread_ts": t.thread_ts} if t.thread_ts else {}
        for attempt in range(5):
            try:
                await self._call(
                    "chat.postMessage",
                    True,
                    channel=t.channel,
                    text=fallback,
                    blocks=blocks,
                    **thread,
                )
                return
            except Exception as exc:
                code, retry = _error(exc)
                if retry is not None:
                    self._pause("post", retry)
                    continue
                log.warning("talent cards not posted (%s), attempt %d", code, attempt + 1)
                await asyncio.sleep(0.5 * (attempt + 1))
