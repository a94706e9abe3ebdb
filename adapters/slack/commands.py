"""Slash commands (/talent, /shortlist, /castmatch) and card buttons.

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

import aiohttp

from adapters.slack.blocks import (
    ACTION_PROFILE,
    ACTION_SHORTLIST,
    ACTION_SIMILAR,
    mark_done,
    talent_blocks,
)
from adapters.slack.mrkdwn import to_mrkdwn
from bot.commands import catalogue
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
        await rt.client.chat_postMessage(channel=message.key.chat, text=text, **thread)
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
    """POST to a response_url (its host is Slack's, or the test double's)."""
    session = rt.client.session
    own = session is None or session.closed
    if own:
        session = aiohttp.ClientSession()
    assert session is not None
    try:
        async with session.post(url, json=body, timeout=aiohttp.ClientTimeout(total=10)) as resp:
            if resp.status >= 400:
                log.warning("response_url answered %d", resp.status)
    except (aiohttp.ClientError, TimeoutError) as exc:
        log.warning("response_url failed: %s", type(exc).__name__)
    finally:
        if own:
            await session.close()


def command_message(body: Mapping[str, Any], text: str) -> InboundMessage:
    """A slash command or button click as an InboundMessage of the person's DM-like key."""
    team = str(body.get("team_id") or (body.get("team") or {}).get("id") or "")
    user = str(body.get("user_id") or (body.get("user") or {}).get("id") or "")
    channel = str(body.get("channel_id") or (body.get("channel") or {}).get("id") or user)
    trigger = str(body.get("trigger_id") or body.get("action_ts") or time.time())
    return InboundMessage(
        key=ConversationKey("slack", team, channel),
        user_id=user,
        text=text,
        message_id=f"cmd:{trigger}",
        sender_account=str((body.get("user") or {}).get("team_id") or ""),
    )


class ResponseOutlet:
    """How the pipeline answers a slash command or a button: through its response_url."""

    def __init__(self, rt: SlackRuntime, url: str) -> None:
        self.rt = rt
        self.url = url

    def reply(self, message: InboundMessage) -> ResponseReply | SlackReply:
        if self.url:
            return ResponseReply(self.rt, self.url)
        return self.rt.reply_for(message, {})

    async def notice(self, message: InboundMessage, text: str) -> None:
        if self.url:
            await _respond(self.rt, self.url, {"response_type": "ephemeral", "text": text})
        else:
            await whisper(self.rt, message, text)


class ResponseReply:
    """A reply posted once, whole, to a slash command's response_url: talent results for
    the channel (so everyone there can use the buttons), anything else only to the person."""

    def __init__(self, rt: SlackRuntime, url: str) -> None:
        self.rt = rt
        self.url = url
        self.text = ""

    async def start(self) -> None:
        return None

    async def append(self, text: str) -> None:
        self.text += text

    async def finish(self, result: ReplyResult) -> None:
        if result.talent:
            title = self.text.strip().splitlines()[0] if self.text.strip() else "Talent"
            blocks, fallback = talent_blocks(list(result.talent), title=f"*{title[:200]}*")
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
        text = str(body.get("text") or "").strip()
        ack_text = {
            "talent": f"Searching the catalogue for “{text[:200]}”…",
            "shortlist": "Working on the shortlist…",
            "castmatch": "One moment…",
        }[name]
        await ack({"response_type": "ephemeral", "text": ack_text})
        command = SLASH_TEXT[name].format(text).strip() or "help"
        message = command_message(body, command)
        outlet = ResponseOutlet(rt, str(body.get("response_url") or ""))
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

    @app.action(ACTION_SHORTLIST)
    @app.action(ACTION_PROFILE)
    @app.action(ACTION_SIMILAR)
    async def talent_button(ack: Any, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()
        message = command_message(body, f"[{action.get('action_id')}] {action.get('value')}")
        url = str(body.get("response_url") or "")

        async def run(inbound: Inbound) -> None:
            await _run_button(rt, body, action, inbound.message)

        admitted = rt.engine.admission(run)(Inbound(message, ResponseOutlet(rt, url)))
        rt.services.spawn(admitted, name="slack-button")


async def _run_button(
    rt: SlackRuntime, body: dict[str, Any], action: dict[str, Any], message: InboundMessage
) -> None:
    action_id, talent_id = str(action.get("action_id")), str(action.get("value") or "")
    user = message.user_id
    container = body.get("container") or {}
    thread_ts = str(
        container.get("thread_ts") or (body.get("message") or {}).get("thread_ts") or ""
    )
    try:
        if action_id == ACTION_SHORTLIST:
            note = await catalogue.shortlist_change(rt.services, message, "add", talent_id)
            blocks = mark_done(
                (body.get("message") or {}).get("blocks") or [],
                talent_id,
                action_id,
                f"✅ {note} (by <@{user}>)",
            )
            update = {"replace_original": True, "blocks": blocks, "text": note}
            await _show(rt, body, update)
            return
        if action_id == ACTION_PROFILE:
            reply = {"text": to_mrkdwn(await catalogue.profile(rt.services, message, talent_id))}
        else:
            cards = await catalogue.similar(rt.services, message, talent_id)
            blocks, fallback = talent_blocks(cards, title="*More like this*")
            reply = (
                {"text": fallback, "blocks": blocks} if cards else {"text": "Nobody similar found."}
            )
    except catalogue.Unavailable as exc:
        reply = {"text": f"⚠️ {exc}"}
    channel = str((body.get("channel") or {}).get("id") or "")
    thread = {"thread_ts": thread_ts or str(container.get("message_ts") or "")}
    if channel and thread["thread_ts"]:
        try:
            await rt.client.chat_postMessage(channel=channel, **thread, **reply)
            return
        except Exception as exc:
            log.info("button answer as a thread reply failed (%s)", type(exc).__name__)
    url = str(body.get("response_url") or "")
    if url:
        await _respond(rt, url, {"response_type": "ephemeral", "replace_original": False, **reply})


async def _show(rt: SlackRuntime, body: Mapping[str, Any], update: dict[str, Any]) -> None:
    """Replace the clicked message: through response_url (works for ephemeral results too),
    else with chat.update."""
    url = str(body.get("response_url") or "")
    if url:
        await _respond(rt, url, update)
        return
    channel = str((body.get("channel") or {}).get("id") or "")
    ts = str((body.get("container") or {}).get("message_ts") or "")
    if channel and ts:
        try:
            await rt.client.chat_update(
                channel=channel, ts=ts, text=update["text"], blocks=update["blocks"]
            )
        except Exception as exc:
            log.warning("could not update the clicked message: %s", type(exc).__name__)
