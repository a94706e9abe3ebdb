"""Replies a crashed process left half-written in Slack, closed with a visible note.

While a reply is being written, the Slack message it is writing into is recorded in Redis
under its conversation (the engine runs one turn per conversation at a time). When a new
process starts, `bot.recovery` calls the closer registered here for each reply left
`streaming`: a native stream is stopped with the note, an edited message gets its final
text with the note, or the note is posted in the thread.
"""

from __future__ import annotations

import contextlib
import json
import logging
from typing import TYPE_CHECKING, Any

from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.mrkdwn import NO_PREVIEWS, to_mrkdwn
from adapters.slack.stream import MESSAGE_LIMIT

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)

TTL_S = 24 * 3600


class InflightRecord:
    """Where each conversation's unfinished reply is, in Redis (shared by all processes)."""

    def __init__(self, services: Services) -> None:
        self.services = services

    def _key(self, conversation: str) -> str:
        return self.services.key("slack", "inflight", conversation)

    async def opened(self, conversation: str, **where: Any) -> None:
        with contextlib.suppress(Exception):
            await self.services.redis.set(self._key(conversation), json.dumps(where), ex=TTL_S)

    async def closed(self, conversation: str) -> None:
        with contextlib.suppress(Exception):
            await self.services.redis.delete(self._key(conversation))

    async def find(self, conversation: str) -> dict[str, Any] | None:
        try:
            raw = await self.services.redis.get(self._key(conversation))
        except Exception:
            return None
        return json.loads(raw) if raw else None


async def close_reply(services: Services, row: Any, text: str) -> None:
    """The `reply_closers["slack"]` hook of bot.recovery: show `text`'s ending note."""
    record = InflightRecord(services)
    where = await record.find(row.conversation_id)
    if where is None:
        return
    settings = services.settings
    client = AsyncWebClient(
        token=settings.slack_bot_token, base_url=settings.slack_api_url.rstrip("/") + "/"
    )
    channel, ts, thread = where["channel"], where["ts"], where.get("thread_ts", "")
    note = text[len(row.text) :].strip() if text.startswith(row.text) else text.strip()
    try:
        if where.get("native"):
            try:
                await client.chat_stopStream(channel=channel, ts=ts, markdown_text="\n\n" + note)
                return
            except Exception:
                pass  # the stream already expired: post the note instead
        elif where.get("start", 0) == 0 and len(to_mrkdwn(text)) <= MESSAGE_LIMIT:
            await client.chat_update(channel=channel, ts=ts, text=to_mrkdwn(text))
            return
        extra = {"thread_ts": thread} if thread else {}
        await client.chat_postMessage(channel=channel, text=to_mrkdwn(note), **extra, **NO_PREVIEWS)
    finally:
        await record.closed(row.conversation_id)


def register(services: Services) -> None:
    """Register the closer `bot.recovery` calls for Slack replies left unfinished."""
    services.reply_closers["slack"] = lambda row, text: close_reply(services, row, text)
