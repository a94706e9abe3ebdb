"""The normalised types every channel speaks: what came in, and how a reply goes out.

Adapters build an `InboundMessage`; the engine answers through the adapter's `ReplyStream`.
Nothing in `bot/`, `memory/` or `talent/` ever sees a raw Slack or Twilio payload.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal, Protocol, runtime_checkable

Channel = Literal["console", "slack", "whatsapp"]
CHANNELS: tuple[Channel, ...] = ("console", "slack", "whatsapp")


@dataclass(frozen=True, slots=True)
class ConversationKey:
    """Where a conversation lives, in the channel's own ids: channel, account (a Slack team,
    a WhatsApp business number, a terminal workspace name), chat and thread.

    `thread` is empty for a conversation without threads (a DM, a WhatsApp chat, a terminal).
    The casting company the account belongs to is the message's `workspace`, not part of the
    key, so linking an account to a company never renames its conversations.
    """

    channel: Channel
    account: str
    chat: str
    thread: str = ""

    def __post_init__(self) -> None:
        if self.channel not in CHANNELS:
            raise ValueError(f"unknown channel {self.channel!r}")
        if not self.account or not self.chat:
            raise ValueError("a conversation needs an account and a chat")

    @property
    def id(self) -> str:
        """A stable string form, used as a key in Redis and PostgreSQL."""
        return ":".join((self.channel, self.account, self.chat, self.thread))

    @property
    def home(self) -> str:
        """The account as a workspace id: `slack:T…`, `whatsapp:+…`; a terminal workspace
        is its own name. It is the workspace until the account is linked to another."""
        return self.account if self.channel == "console" else f"{self.channel}:{self.account}"


@dataclass(frozen=True, slots=True)
class Attachment:
    """A reference to media the person sent (stored as a reference, never downloaded blindly)."""

    url: str
    content_type: str = ""
    name: str = ""


@dataclass(frozen=True, slots=True)
class InboundMessage:
    """One message from a person, normalised by its adapter.

    `workspace` is the casting company whose data the message may see: the adapter leaves
    it empty (it becomes the key's `home`) and the membership gate sets the linked one.
    `sender_account` is the sender's own account when it may differ from the key's (a Slack
    Connect guest's team); empty means the same.
    """

    key: ConversationKey
    user_id: str
    text: str
    message_id: str
    user_name: str = ""
    attachments: tuple[Attachment, ...] = ()
    reply_to: str = ""
    received_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    workspace: str = ""
    sender_account: str = ""

    def __post_init__(self) -> None:
        if not self.workspace:
            object.__setattr__(self, "workspace", self.key.home)
        if not self.user_id:
            raise ValueError("an inbound message needs a user id")
        if not self.message_id:
            raise ValueError("an inbound message needs a platform message id")
        if "\x00" in self.text:
            # PostgreSQL text can't hold NUL; it carries nothing a person meant to say.
            object.__setattr__(self, "text", self.text.replace("\x00", ""))

    @property
    def channel(self) -> Channel:
        return self.key.channel

    @property
    def person(self) -> str:
        """The person as `channel:user_id`, the form `castmatch forget` takes."""
        return f"{self.key.channel}:{self.user_id}"


@dataclass(frozen=True, slots=True)
class TalentCard:
    """A talent search result as a channel shows it (Slack cards, a WhatsApp list, text)."""

    id: str
    name: str
    score: float
    why: str
    age_range: str = ""
    city: str = ""
    gender: str = ""
    languages: tuple[str, ...] = ()
    skills: tuple[str, ...] = ()
    headshot_url: str = ""
    showreel_url: str = ""
    availability: str = ""  # holds and free/unavailable windows: "1st hold 10–20 Mar, …"


@dataclass(frozen=True, slots=True)
class ReplyResult:
    """What a finished reply carries besides its text."""

    talent: tuple[TalentCard, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ToolStep:
    """One tool run as a person sees it while Claude works ("Searching the catalogue…").

    `status` is "in_progress", then "complete" or "error"; `output` is a short result line.
    A channel that can show steps has an async `progress(step)` method on its reply.
    """

    id: str
    title: str
    status: str = "in_progress"
    output: str = ""


@runtime_checkable
class ReplyStream(Protocol):
    """One reply, shown progressively by its channel within the platform's limits.

    The engine calls `start` once, `append` for each piece of Markdown text as Claude writes
    it, then exactly one of `finish` or `fail`. `fail` keeps whatever was already shown and
    adds a short note. Channels must never drop text that was appended.

    Optional: `when_shown(callback)`, for a channel that shows text later than it is
    appended (WhatsApp's whole paragraphs): it calls `callback` once the person can see
    the first text. Without it the engine counts the first appended piece as shown.
    """

    async def start(self) -> None: ...

    async def append(self, text: str) -> None: ...

    async def finish(self, result: ReplyResult) -> None: ...

    async def fail(self, note: str) -> None: ...
