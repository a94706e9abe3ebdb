"""Posting a shortlist in another channel ("post the Inspector Yadav shortlist to #casting",
`/shortlist post #casting Inspector Yadav`), for thread replies and slash commands alike."""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.mrkdwn import NO_PREVIEWS, to_mrkdwn
from bot.commands.catalogue import ChannelPost

log = logging.getLogger(__name__)

NOT_THERE = ("not_in_channel", "channel_not_found", "is_archived")


async def post_elsewhere(
    client: AsyncWebClient, post: ChannelPost, channels: dict[str, str]
) -> str:
    """Post the shortlist in the channel `channels` (lower-case name or id -> id) knows it
    by; what to tell the person."""
    name = post.channel.lstrip("#")
    channel = channels.get(name.lower())
    if not channel:
        return (f"Which channel is #{name}? Type # and pick it from Slack's list, so the "
                "message carries a link to it.")  # fmt: skip
    try:
        await client.chat_postMessage(channel=channel, text=to_mrkdwn(post.text), **NO_PREVIEWS)
    except SlackApiError as exc:
        code = str(exc.response.get("error", "") or f"http_{exc.response.status_code}")
        if code in NOT_THERE:
            return f"I'm not in #{name}: invite me there (`/invite @CastMatch`), then ask again."
        log.warning("shortlist not posted in another channel (%s)", code)
        return f"⚠️ Slack refused the post in #{name} ({code}). Please try again."
    except Exception as exc:
        log.warning("shortlist not posted in another channel (%s)", type(exc).__name__)
        return f"⚠️ I couldn't reach Slack to post in #{name}. Please try again."
    return f"Posted the shortlist in #{name}."
