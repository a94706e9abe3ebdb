"""Memory fixtures: an engine on the Claude double, and helpers to wait for background work."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from bot.engine import Engine
from bot.llm.claude import ClaudeResponder
from bot.settings import Settings
from bot.types import ConversationKey, InboundMessage
from tests.doubles.claude import ClaudeDouble

DAY1 = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)  # a Monday


@pytest.fixture
async def engine(services, settings: Settings, claude: ClaudeDouble) -> AsyncIterator[Engine]:
    configured = settings.model_copy(
        update={"anthropic_api_key": "sk-test", "anthropic_base_url": claude.url}
    )
    responder = ClaudeResponder(configured)
    yield Engine(services, responder)
    await responder.close()


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def say(
    text: str,
    *,
    workspace: str,
    user: str,
    chat: str = "",
    at: datetime | None = None,
    channel: str = "slack",
) -> InboundMessage:
    key = ConversationKey(channel, workspace, chat or f"D-{user}")  # type: ignore[arg-type]
    return InboundMessage(
        key=key,
        user_id=user,
        text=text,
        message_id=uuid.uuid4().hex,
        received_at=at or datetime.now(UTC),
        workspace=workspace,  # as the membership gate resolves it
    )


async def drain(services) -> None:  # type: ignore[no-untyped-def]
    """Wait for background memory work (indexing, replays) to finish."""
    for _ in range(50):
        pending = [t for t in services.background if not t.done()]
        if not pending:
            return
        await asyncio.wait(pending, timeout=30)


def days(n: float) -> timedelta:
    return timedelta(days=n)
