"""Slash commands (/talent, /shortlist, /castmatch); card buttons are in buttons.py.

A slash command is acknowledged at once with an ephemeral line, turned into the shared
command grammar's text (`/talent X` is `search X`, `/shortlist X` is `shortlist X`,
`/castmatch X` is `X`) and sent through the engine's pipeline like any message; the answer
comes back through the command's `response_url`. Slash commands don't work inside threads;
there "@CastMatch shortlist …" is the same command, answered in the thread.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from adapters.slack import files
from adapters.slack.blocks import talent_blocks
from adapters.slack.channel_post import post_elsewhere
from adapters.slack.mrkdwn import NO_PREVIEWS, escape, to_mrkdwn
from adapters.slack.parse import channel_links, unwrap
from adapters.slack.respond import respond
from bot.commands.catalogue import ChannelPost
from bot.pipeline import Inbound
from bot.types import ConversationKey, InboundMessage, ReplyResult

if TYPE_CHECKING:
    from adapters.slack.app import SlackRuntime
    from adapters.slack.stream import SlackReply

log = logging.getLogger(__name__)

SLASH_TEXT = {"talent": "search {}", "shortlist": "shortlist {}", "castmatch": "{}"}
WELCOME = (
    "*CastMatch* finds talent in your catalogue and keeps your team's shortlists. Ask in "
    "plain words (_Marathi-speaking actresses in Pune, 25-30, who can do kathak_) or say "
    "`help` for the commands."
)


# -- shared helpers --------------------------------------------------------------------


async def say(rt: SlackRuntime, message: InboundMessage, text: str) -> None:
    thread = {"thread_ts": message.key.thread} if message.key.thread else {}
    try:
        await rt.client.chat_postMessage(
            channel=message.key.chat, text=text, **thread, **NO_PREVIEWS
        )
    except Exception as exc:
        log.warning("slack post failed: %s", type(exc).__name__)


async def whisper(rt: SlackRuntime, message: InboundMessage, text: str) -> None:
    """A message only the person sees (chat.postEphemeral), where they wrote."""
    thread = {"thread_ts": message.key.thread} if message.key.thread else {}
    try:
        await rt.client.chat_postEphemeral(
            channel=message.key.chat, user=message.user_id, text=text, **thread
        )
    except Exception as exc:
        log.warning("slack ephemeral post failed: %s", type(exc).__name__)


async def _respond(rt: SlackRuntime, url: str, body: dict[str, Any]) -> None:
    await respond(rt.client, url, body)


def command_message(body: Mapping[str, Any], text: str) -> InboundMessage:
    """A slash command or button click as an InboundMessage. A click is keyed to the
    conversation of the message it was on (its thread), so the role chosen there applies;
    slash commands can't be used in threads and get the channel's key."""
    team = str(body.get("team_id") or (body.get("team") or {}).get("id") or "")
    user = str(body.get("user_id") or (body.get("user") or {}).get("id") or "")
    channel = str(body.get("channel_id") or (body.get("channel") or {}).get("id") or user)
    container, clicked = body.get("container") or {}, body.get("message") or {}
    thread = str(container.get("thread_ts") or clicked.get("thread_ts") or "")
    trigger = str(body.get("trigger_id") or body.get("action_ts") or time.time())
    return InboundMessage(
        key=ConversationKey("slack", team, channel, thread),
        user_id=user,
        text=text,
        message_id=f"cmd:{trigger}",
        sender_account=str((body.get("user") or {}).get("team_id") or ""),
    )


def slash_channels(body: Mapping[str, Any]) -> dict[str, str]:
    """The channels a slash command can post to by name: those its text links (escaped
    `<#C…|name>`) and the channel it was typed in."""
    channels = channel_links(str(body.get("text") or ""))
    here, name = str(body.get("channel_id") or ""), str(body.get("channel_name") or "")
    if here and name:
        channels.setdefault(name.lower(), here)
    return channels


class ResponseOutlet:
    """How the pipeline answers a slash command or a button: through its response_url.
    `channels`: the channels the command named (lower-case name or id -> id)."""

    def __init__(self, rt: SlackRuntime, url: str, channels: dict[str, str] | None = None) -> None:
        self.rt = rt
        self.url = url
        self.channels = channels or {}

    def reply(self, message: InboundMessage) -> ResponseReply | SlackReply:
        if self.url:
            return ResponseReply(self.rt, self.url, message, self.channels)
        return self.rt.reply_for(message, {})

    async def notice(self, message: InboundMessage, text: str) -> None:
        if self.url:
            await _respond(self.rt, self.url, {"response_type": "ephemeral", "text": text})
        else:
            await whisper(self.rt, message, text)


class ResponseReply:
    """A reply posted once, whole, to a slash command's response_url: talent results for
    the channel (so everyone there can use the buttons), anything else only to the person."""

    def __init__(
        self,
        rt: SlackRuntime,
        url: str,
        message: InboundMessage | None = None,
        channels: dict[str, str] | None = None,
    ) -> None:
        self.rt = rt
        self.url = url
        self.message = message
        self.channels = channels or {}
        self.text = ""

    async def start(self) -> None:
        return None

    async def append(self, text: str) -> None:
        self.text += text

    async def finish(self, result: ReplyResult) -> None:
        post = result.extra.get("post")
        if isinstance(post, ChannelPost):  # `/shortlist post #casting ROLE`
            self.text = await post_elsewhere(self.rt.client, post, self.channels)
        export = files.export_of(result)
        if export is not None and self.message is not None:
            key = self.message.key
            if await files.share(self.rt.client, export, key.chat, key.thread):
                self.text = export.summary + " The CSV is in the channel."
        if result.talent:
            title = self.text.strip().splitlines()[0] if self.text.strip() else "Talent"
            title = to_mrkdwn(title[:200]) or "Talent"
            blocks, fallback = talent_blocks(list(result.talent), title=f"*{title}*")
            body: dict[str, Any] = {
                "response_type": "in_channel",
                "text": fallback,
                "blocks": blocks,
            }
        else:
            body = {"response_type": "ephemeral", "text": to_mrkdwn(self.text or "(no answer)")}
        await _respond(self.rt, self.url, {"replace_original": False, **body})

    async def fail(self, note: str) -> None:
        text = (self.text.rstrip() + "\n\n" if self.text.strip() else "") + note
        await _respond(self.rt, self.url, {"response_type": "ephemeral", "text": to_mrkdwn(text)})


# -- Bolt wiring ---------------------------------------------------------------------------


def register(rt: SlackRuntime) -> None:
    app = rt.app

    async def slash(ack: Any, body: dict[str, Any], name: str) -> None:
        # Slack's markup (escaped &<>, <@U…>) -> plain words; echoed escaped again
        text = unwrap(str(body.get("text") or ""))
        ack_text = {
            "talent": f"Searching the catalogue for “{escape(text[:200])}”…",
            "shortlist": "Working on the shortlist…",
            "castmatch": "One moment…",
        }[name]
        await ack({"response_type": "ephemeral", "text": ack_text})
        command = SLASH_TEXT[name].format(text).strip() or "help"
        message = command_message(body, command)
        outlet = ResponseOutlet(rt, str(body.get("response_url") or ""), slash_channels(body))
        rt.services.spawn(rt.pipeline(Inbound(message, outlet)), name=f"slack-/{name}")

    @app.command("/talent")
    async def talent_command(ack: Any, body: dict[str, Any]) -> None:
        await slash(ack, body, "talent")

    @app.command("/shortlist")
    async def shortlist_command(ack: Any, body: dict[str, Any]) -> None:
        await slash(ack, body, "shortlist")

    @app.command("/castmatch")
    async def castmatch_command(ack: Any, body: dict[str, Any]) -> None:
        await slash(ack, body, "castmatch")
