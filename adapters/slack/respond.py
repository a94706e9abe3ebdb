"""Answers that don't go through the Web API client: POSTs to a `response_url`."""

from __future__ import annotations

import logging
from typing import Any

import aiohttp
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.mrkdwn import NO_PREVIEWS

log = logging.getLogger(__name__)


async def respond(client: AsyncWebClient, url: str, body: dict[str, Any]) -> bool:
    """POST to a response_url (its host is Slack's, or the test double's) on the client's
    pooled session; True when Slack took it."""
    session = client.session
    own = session is None or session.closed
    if own:
        session = aiohttp.ClientSession()
    assert session is not None
    try:
        body = {**body, **NO_PREVIEWS}
        async with session.post(url, json=body, timeout=aiohttp.ClientTimeout(total=10)) as resp:
            if resp.status >= 400:
                log.warning("response_url answered %d", resp.status)
                return False
            return True
    except (aiohttp.ClientError, TimeoutError) as exc:
        log.warning("response_url failed: %s", type(exc).__name__)
        return False
    finally:
        if own:
            await session.close()
