"""Talent card buttons: Shortlist, Profile, More like this, and the role picker.

A click is keyed to the conversation of the card it is on (the card's thread), so the role
chosen in that thread is the one a Shortlist click uses. When that conversation has no
current role, the card asks for one (the workspace's roles in a select, or a new role's
name) and the choice becomes the thread's role, so later clicks need no question.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any

from adapters.slack import home
from adapters.slack.blocks import (
    ACTION_FEEDBACK,
    ACTION_NEW_ROLE,
    ACTION_PICK_ROLE,
    ACTION_PROFILE,
    ACTION_SHORTLIST,
    ACTION_SIMILAR,
    ask_role,
    mark_done,
    profile_blocks,
    profile_view,
    role_chosen,
    talent_blocks,
)
from adapters.slack.commands import ResponseOutlet, command_message
from adapters.slack.mrkdwn import NO_PREVIEWS, escape, to_mrkdwn
from adapters.slack.respond import respond
from bot import metrics
from bot.commands import catalogue
from bot.pipeline import Inbound
from bot.types import InboundMessage

if TYPE_CHECKING:
    from adapters.slack.app import SlackRuntime

log = logging.getLogger(__name__)

MARKDOWN_LIMIT = 12_000  # a markdown block's text


Handler = Callable[
    ["SlackRuntime", dict[str, Any], dict[str, Any], InboundMessage], Awaitable[None]
]


def register(rt: SlackRuntime) -> None:
    app = rt.app

    @app.action(ACTION_SHORTLIST)
    @app.action(ACTION_PROFILE)
    @app.action(ACTION_SIMILAR)
    async def talent_button(ack: Any, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()
        admit(rt, body, action, run_button)

    @app.action(ACTION_FEEDBACK)
    async def feedback(ack: Any, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()
        admit(rt, body, action, record_feedback)

    @app.action(ACTION_PICK_ROLE)
    @app.action(ACTION_NEW_ROLE)
    async def role_picked(ack: Any, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()
        admit(rt, body, action, pick_role)


def admit(rt: SlackRuntime, body: dict[str, Any], action: dict[str, Any], handler: Handler) -> None:
    """Run a click through the engine's admission steps (de-duplicate, members only, rate
    limit) in an owned task; a refusal is told through the click's response_url."""
    text = f"[{action.get('action_id')}] {action.get('value') or ''}".strip()
    message = command_message(body, text)
    url = str(body.get("response_url") or "")

    async def run(inbound: Inbound) -> None:
        await handler(rt, body, action, inbound.message)

    admitted = rt.engine.admission(run)(Inbound(message, ResponseOutlet(rt, url)))
    rt.services.spawn(admitted, name="slack-button")


def _blocks(body: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The clicked message's blocks. Cards attached to a streamed answer sit under its text,
    which may not be among the blocks: it is carried as a markdown block, so replacing the
    blocks after a click keeps the answer."""
    message = body.get("message") or {}
    blocks = list(message.get("blocks") or [])
    types = {block.get("type") for block in blocks}
    text = str(message.get("text") or "")
    if text and "context_actions" in types and not types & {"markdown", "rich_text"}:
        blocks.insert(0, {"type": "markdown", "text": text[:MARKDOWN_LIMIT]})
    return blocks


async def run_button(
    rt: SlackRuntime, body: dict[str, Any], action: dict[str, Any], message: InboundMessage
) -> None:
    action_id, talent_id = str(action.get("action_id")), str(action.get("value") or "")
    try:
        if action_id == ACTION_SHORTLIST:
            current, roles = await catalogue.roles(rt.services, message)
            if current is None:
                blocks = ask_role(_blocks(body), talent_id, roles)
                await show(rt, body, {"replace_original": True, "blocks": blocks,
                                      "text": "Which role is this for?"})  # fmt: skip
                return
            note = await catalogue.shortlist_change(rt.services, message, "add", talent_id)
            home.refresh(rt, message.key.account, message.user_id, message.message_id)
            blocks = mark_done(_blocks(body), talent_id, action_id,
                               f"✅ {escape(note)} (by <@{message.user_id}>)")  # fmt: skip
            await show(rt, body, {"replace_original": True, "blocks": blocks, "text": escape(note)})
            return
        if action_id == ACTION_PROFILE:
            data = await catalogue.profile_data(rt.services, message, talent_id)
            text = to_mrkdwn(catalogue.profile_text(data, talent_id))
            name, picture = str(data.get("name") or talent_id), str(data.get("headshot_url") or "")
            if await open_profile(rt, body, message, talent_id, text, name, picture):
                return
            reply = {"text": text, "blocks": profile_blocks(text, name, picture)}
        else:
            cards = await catalogue.similar(rt.services, message, talent_id)
            blocks, fallback = talent_blocks(cards, title="*More like this*")
            reply = (
                {"text": fallback, "blocks": blocks} if cards else {"text": "Nobody similar found."}
            )
    except catalogue.Unavailable as exc:
        reply = {"text": f"⚠️ {escape(str(exc))}"}
    await answer_in_thread(rt, body, reply)


async def open_profile(
    rt: SlackRuntime,
    body: Mapping[str, Any],
    message: InboundMessage,
    talent_id: str,
    text: str,
    name: str,
    picture: str,
) -> bool:
    """The profile in a modal over the card (views.open with the click's trigger_id, which
    Slack honours for 3 s); False when Slack refused it, so the caller answers in the thread."""
    trigger = str(body.get("trigger_id") or "")
    if not trigger:
        return False
    note, role = "", ""
    try:
        role = (await catalogue.roles(rt.services, message))[0] or ""
        if role:
            entries = await catalogue.shortlist_entries(rt.services, message, role)
            entry = next((e for e in entries if e.get("talent_id") == talent_id), {})
            note = str(entry.get("note") or "")
    except catalogue.Unavailable:
        pass  # the profile without the team's note
    try:
        await rt.client.views_open(
            trigger_id=trigger, view=profile_view(text, name, picture, note, role)
        )
    except Exception as exc:
        log.info("profile modal not opened (%s); answering in the thread", type(exc).__name__)
        return False
    return True


async def pick_role(
    rt: SlackRuntime, body: dict[str, Any], action: dict[str, Any], message: InboundMessage
) -> None:
    """A role chosen in a card's picker: it becomes the thread's role, then the person is
    shortlisted for it."""
    if action.get("type") == "static_select":
        try:
            choice = json.loads(str((action.get("selected_option") or {}).get("value") or ""))
        except ValueError:
            return
        talent_id, role, project = str(choice.get("t")), str(choice.get("r")), choice.get("p")
    else:  # the "new role" input: its block carries the person's id
        talent_id = str(action.get("block_id") or "").partition(":")[2]
        role, project = str(action.get("value") or "").strip(), None
    if not talent_id or not role:
        return
    try:
        role = await catalogue.choose_role(rt.services, message, role, project)
        note = await catalogue.shortlist_change(rt.services, message, "add", talent_id)
        text = (
            f"✅ {escape(note)} (by <@{message.user_id}>). "
            f"{escape(role)} is now this conversation's role."
        )
    except catalogue.Unavailable as exc:
        text = f"⚠️ {escape(str(exc))}"
    blocks = role_chosen(_blocks(body), talent_id, text)
    await show(rt, body, {"replace_original": True, "blocks": blocks, "text": text})


FEEDBACK_KEPT_S = 180 * 86400
FEEDBACK_VALUES = frozenset({"good", "bad"})


async def record_feedback(
    rt: SlackRuntime, body: dict[str, Any], action: dict[str, Any], message: InboundMessage
) -> None:
    """A 👍/👎 under an answer: kept per person and answer (a changed mind replaces the
    vote) and counted in /metrics once per person, answer and vote."""
    value = str(action.get("value") or "")
    answer_ts = str((body.get("container") or {}).get("message_ts") or "")
    if value not in FEEDBACK_VALUES or not answer_ts:
        return
    key = rt.services.key("slack", "feedback", message.key.account, message.key.chat, answer_ts)
    try:
        before = await rt.services.redis.hget(key, message.user_id)
        await rt.services.redis.hset(key, message.user_id, value)
        await rt.services.redis.expire(key, FEEDBACK_KEPT_S)
    except Exception as exc:
        log.warning("feedback not kept (%s)", type(exc).__name__)
        return
    previous = before.decode() if isinstance(before, bytes) else before
    if previous != value:
        metrics.ANSWER_FEEDBACK.labels("slack", value).inc()
    url = str(body.get("response_url") or "")
    if url:
        thanks = "Thanks, noted." if value == "good" else "Thanks, noted. Tell me what was off?"
        await respond(rt.client, url, {"response_type": "ephemeral", "replace_original": False,
                                       "text": thanks})  # fmt: skip


async def answer_in_thread(rt: SlackRuntime, body: Mapping[str, Any], reply: dict) -> None:
    """Answer a click in the card's thread (or ephemerally through its response_url)."""
    container = body.get("container") or {}
    thread_ts = str(
        container.get("thread_ts")
        or (body.get("message") or {}).get("thread_ts")
        or container.get("message_ts")
        or ""
    )
    channel = str((body.get("channel") or {}).get("id") or "")
    if channel and thread_ts:
        try:
            await rt.client.chat_postMessage(
                channel=channel, thread_ts=thread_ts, **reply, **NO_PREVIEWS
            )
            return
        except Exception as exc:
            log.info("button answer as a thread reply failed (%s)", type(exc).__name__)
    url = str(body.get("response_url") or "")
    if url:
        await respond(
            rt.client, url, {"response_type": "ephemeral", "replace_original": False, **reply}
        )


async def show(rt: SlackRuntime, body: Mapping[str, Any], update: dict[str, Any]) -> None:
    """Replace the clicked message: through response_url (works for ephemeral results too),
    else with chat.update."""
    url = str(body.get("response_url") or "")
    if url and await respond(rt.client, url, update):
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
