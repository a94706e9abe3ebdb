"""Slack test fixtures: the Web API double, a real AsyncWebClient on it, request signing."""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import AsyncIterator

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from tests.doubles.slack import BOT_TOKEN, SlackDouble

SIGNING_SECRET = "test-signing-secret"


@pytest.fixture
async def slack() -> AsyncIterator[SlackDouble]:
    double = SlackDouble()
    await double.start()
    yield double
    await double.close()


@pytest.fixture
async def web_client(slack: SlackDouble) -> AsyncIterator[AsyncWebClient]:
    yield AsyncWebClient(token=BOT_TOKEN, base_url=slack.base_url + "/api/")


def signed_headers(
    body: str, *, secret: str = SIGNING_SECRET, timestamp: int | None = None, json: bool = True
) -> dict[str, str]:
    """Headers Slack would send: v0=HMAC-SHA256("v0:{ts}:{body}") with the signing secret."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": f"v0={digest}",
        "Content-Type": "application/json" if json else "application/x-www-form-urlencoded",
    }
