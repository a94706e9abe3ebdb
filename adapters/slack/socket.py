"""Slack Socket Mode: the same Bolt app and handlers, fed over a websocket.

`apps.connections.open` goes to SLACK_API_URL like every other Web API call, so a proxy or
a test double can stand in for Slack.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

from adapters.slack.app import SlackRuntime

if TYPE_CHECKING:
    pass


async def start_socket_mode(runtime: SlackRuntime) -> AsyncSocketModeHandler | None:
    """Connect when SLACK_APP_TOKEN is set; the caller closes the handler on shutdown."""
    settings = runtime.services.settings
    if not (settings.slack_enabled and settings.slack_app_token):
        return None
    await runtime.open()
    handler = AsyncSocketModeHandler(
        runtime.app, app_token=settings.slack_app_token, web_client=runtime.client
    )
    await handler.connect_async()
    return handler
