"""Slack as a `Messenger`: a direct message from the app to a Slack user (how someone who
sent audition invitations from Slack hears the answers), and as a `Poster` into a thread (a
director's marks on a shared shortlist). No 24-hour window applies."""

from __future__ import annotations

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.mrkdwn import escape
from bot.ports import Sent

UNREACHABLE = {"channel_not_found", "user_not_found", "user_disabled", "cannot_dm_bot",
               "not_in_channel", "is_archived"}  # fmt: skip


class SlackMessenger:
    def __init__(self, client: AsyncWebClient) -> None:
        self.client = client

    async def send(self, to: str, text: str, *, window_open: bool) -> Sent:
        """`to` is a Slack user id (U…): posting to it opens the app's DM with them.
        Raises on a failure worth retrying (rate limits, Slack being down)."""
        try:
            answer = await self.client.chat_postMessage(
                channel=to, text=escape(text), unfurl_links=False, unfurl_media=False
            )
        except SlackApiError as exc:
            if exc.response.get("error") in UNREACHABLE:
                return Sent("bad_number")
            raise
        return Sent("sent", str(answer.get("ts") or ""))

    async def post(self, chat: str, thread: str, text: str) -> Sent:
        """Post `text` into a channel's thread (a role's thread) as the app."""
        try:
            answer = await self.client.chat_postMessage(
                channel=chat, thread_ts=thread or None, text=escape(text),
                unfurl_links=False, unfurl_media=False,
            )  # fmt: skip
        except SlackApiError as exc:
            if exc.response.get("error") in UNREACHABLE:
                return Sent("bad_number")
            raise
        return Sent("sent", str(answer.get("ts") or ""))
