"""What the engine needs from the features that plug into it, as typed protocols.

Memory implements `Memory` (the conversation log and context assembly); talent provides
`Shortlists` (a `ShortlistSource` for memory's context, told of changes). The engine, the
recovery sweep and the command router use only these shapes, so `bot/` imports no feature.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from bot.types import InboundMessage


@dataclass(frozen=True)
class ReplyStats:
    model: str = ""
    input_tokens: int = 0
    output_tokens: int = 0
    cache_read_tokens: int = 0
    latency_ms: int = 0


@dataclass(frozen=True)
class UnfinishedReply:
    """A reply a process left `streaming` (it died mid-reply)."""

    id: int
    inbound_id: int
    text: str
    conversation_id: str
    channel: str


@dataclass(frozen=True)
class ShortlistLine:
    at: datetime
    role: str
    text: str  # "Rohan Mehra (dropped: accent)"


class TurnLog(Protocol):
    """Every message and reply, kept (PostgreSQL first, a buffer while it is down)."""

    async def store_inbound(self, message: InboundMessage) -> int | None: ...

    async def start_reply(self, inbound_id: int, message: InboundMessage) -> int: ...

    async def open_turn(self, message: InboundMessage) -> tuple[int, int] | None:
        """`store_inbound` and `start_reply` at once: (message id, reply id), or None when
        the message was stored before."""
        ...

    async def finish_reply(
        self, reply_id: int, inbound_id: int, text: str, status: str, stats: ReplyStats
    ) -> None: ...

    async def close_inbound(self, inbound_id: int, status: str) -> None: ...

    async def unfinished(self) -> list[UnfinishedReply]: ...

    async def close_abandoned(self, reply_id: int, inbound_id: int, text: str) -> bool: ...


class Context(Protocol):
    messages: list[dict[str, Any]]  # Messages API turns, ending with the person's message
    memory: str  # labelled memory items


class ContextAssembler(Protocol):
    async def embed(self, text: str) -> Any: ...

    async def build(
        self, message: InboundMessage, inbound_id: int, *, query: Any = None, embed: bool = True
    ) -> Context:
        """The turn's context without the message itself; `inbound_id` 0 when the message
        may still be being stored (it is then left out by its platform id)."""
        ...


class Memory(Protocol):
    turns: TurnLog
    context: ContextAssembler

    def after_turn(self, message: InboundMessage, inbound_id: int, reply_id: int | None) -> None:
        """Schedule the turn's background memory work (facts, vectors)."""


class ShortlistSource(Protocol):
    async def lines(self, workspace: str) -> Sequence[ShortlistLine]: ...


class Shortlists(ShortlistSource, Protocol):
    """The registered source, told by the writers what changed (so no copy of it is
    shown after the change)."""

    async def changed(self, *workspaces: str) -> None: ...

    async def profiles_changed(self) -> None: ...


@dataclass(frozen=True)
class Sent:
    """What became of a message a feature sent to someone outside a conversation.

    `outcome`: "sent", "template" (outside the 24-hour window, as the approved template),
    "opted_out", "bad_number", "window_closed" (outside the window with no template).
    """

    outcome: str
    sid: str = ""

    @property
    def delivered(self) -> bool:
        return self.outcome in ("sent", "template")


class Messenger(Protocol):
    """A channel that can message a person first (WhatsApp through the business number)."""

    async def send(self, to: str, text: str, *, window_open: bool) -> Sent:
        """Send `text` to `to` (E.164); `window_open` says whether they wrote in the last
        24 hours. Raises on a failure worth retrying."""
        ...


class Poster(Protocol):
    """A channel that can post into one of its conversations unprompted (news for the team
    where a role is discussed: a Slack thread, a WhatsApp chat)."""

    async def post(self, chat: str, thread: str, text: str) -> Sent: ...


@dataclass(frozen=True)
class FetchedMedia:
    data: bytes
    content_type: str


class MediaTooLarge(Exception):
    """The media is over the size limit; nothing past the limit was read."""


class MediaSource(Protocol):
    """A channel's way to download what a person sent (with the channel's credentials)."""

    async def fetch(self, url: str, *, max_bytes: int) -> FetchedMedia: ...


@dataclass(frozen=True)
class GuestAnswer:
    """A feature's answer to someone who is not a member but is expected (a talent replying
    to an audition invitation). `opt_out` set: the channel's STOP/START instead of text."""

    text: str
    opt_out: bool | None = None


GuestHandler = Callable[[InboundMessage], Awaitable[GuestAnswer | None]]
HealthCheck = Callable[[], Awaitable[dict[str, Any]]]
ReplyCloser = Callable[[UnfinishedReply, str], Awaitable[None]]
Eraser = Callable[[str, str], Awaitable[list[str]]]  # (channel, user id) -> lines
# (catalogue profile id, its names) -> lines: erase what names a forgotten profile
ProfileEraser = Callable[[str, Sequence[str]], Awaitable[list[str]]]
