"""Slack event payloads -> `InboundMessage` (pure functions, no I/O).

Slack text arrives in its own markup: `<@U123>` mentions, `<https://x|label>` links,
`<#C1|general>` channels and HTML-escaped `&<>`. The engine gets plain readable text.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from bot.types import Attachment, ConversationKey, InboundMessage

# Subtypes that carry a real person's new message; everything else (edits, deletions,
# joins, bot posts) is ignored so the bot never answers itself or loops on edits.
_ANSWERED_SUBTYPES = frozenset({"", "file_share", "thread_broadcast"})
_MARKUP = re.compile(r"<([^<>]*)>")


def unwrap(text: str, bot_user_id: str = "") -> str:
    """Turn Slack markup into plain text: drop the bot's mention, unwrap links and names."""

    def replace(match: re.Match[str]) -> str:
        body = match.group(1)
        target, _, label = body.partition("|")
        if target.startswith("@"):
            user = target[1:]
            if not bot_user_id or user == bot_user_id:
                return ""
            return "@" + (label or user)
        if target.startswith("#"):
            return "#" + (label or target[1:])
        if target.startswith("!"):
            # <!here>, <!channel>, <!subteam^S1|@team>, <!date^…|fallback>
            name = target[1:].split("^", 1)[0]
            return label or ("@" + name if name in ("here", "channel", "everyone") else "")
        if target.startswith("mailto:"):
            return label or target[len("mailto:") :]
        if label and label != target:
            return f"{label} ({target})"
        return target

    plain = _MARKUP.sub(replace, text)
    plain = plain.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return re.sub(r"[ \t]{2,}", " ", plain).strip()


def _ignored(event: Mapping[str, Any], bot_user_id: str) -> bool:
    if event.get("bot_id") or event.get("bot_profile"):
        return True
    if str(event.get("subtype") or "") not in _ANSWERED_SUBTYPES:
        return True
    user = str(event.get("user") or "")
    return not user or (bool(bot_user_id) and user == bot_user_id)


def message_id(event: Mapping[str, Any]) -> str:
    """The de-duplication id: the same Slack message seen twice (a retry, or as both
    `app_mention` and `message.im`) maps to one id."""
    return f"{event.get('channel', '')}:{event.get('ts', '')}"


def parse(event: Mapping[str, Any], team: str, *, bot_user_id: str = "") -> InboundMessage | None:
    """One `app_mention` or `message` event -> an `InboundMessage`, or None when it should
    be ignored (bots, edits, deletions, empty text, missing fields)."""
    kind = event.get("type")
    if kind not in ("app_mention", "message") or _ignored(event, bot_user_id):
        return None
    channel, ts = str(event.get("channel") or ""), str(event.get("ts") or "")
    # The installing team (the envelope's team_id): in a Slack Connect channel the event's
    # own `team` can be the poster's organisation, which must not pick the workspace.
    team = str(team or event.get("team") or "")
    if not channel or not ts or not team:
        return None
    thread = str(event.get("thread_ts") or "")
    if kind == "app_mention" and not thread:
        thread = ts  # a top-level mention is answered in a thread on it
    text = unwrap(str(event.get("text") or ""), bot_user_id)
    files = tuple(
        Attachment(
            url=str(f.get("url_private") or f.get("permalink") or ""),
            content_type=str(f.get("mimetype") or ""),
            name=str(f.get("name") or ""),
        )
        for f in event.get("files") or ()
        if isinstance(f, Mapping) and (f.get("url_private") or f.get("permalink"))
    )
    if not text and not files:
        return None
    received = datetime.now(UTC)
    with contextlib.suppress(ValueError):
        received = datetime.fromtimestamp(float(ts), UTC)
    return InboundMessage(
        key=ConversationKey("slack", team, channel, thread),
        user_id=str(event["user"]),
        text=text,
        message_id=message_id(event),
        attachments=files,
        reply_to=str(event.get("thread_ts") or ""),
        received_at=received,
        # Slack Connect: a guest's own team, which the membership gate checks
        sender_account=str(event.get("user_team") or ""),
    )


def is_direct(event: Mapping[str, Any]) -> bool:
    return event.get("channel_type") == "im" or str(event.get("channel", "")).startswith("D")


_CHANNEL_LINK = re.compile(r"<#([CG][A-Z0-9]{2,30})(?:\|([^>]*))?>")


def channel_links(text: str) -> dict[str, str]:
    """The channels a message links (`<#C123|casting>`): lower-case name -> id (the id
    itself too), so "#casting" in the unwrapped text can be posted to."""
    links: dict[str, str] = {}
    for channel_id, name in _CHANNEL_LINK.findall(text):
        links[channel_id.lower()] = channel_id
        if name:
            links[name.lower()] = channel_id
    return links
