"""Doubles of Claude, Slack and Twilio for the ops tests (one each per test)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.doubles.claude import ClaudeDouble
from tests.doubles.slack import SlackDouble
from tests.doubles.twilio import TwilioDouble
from tests.whatsapp.fixtures import ACCOUNT, TOKEN


@pytest.fixture
async def claude() -> AsyncIterator[ClaudeDouble]:
    double = ClaudeDouble()
    await double.start()
    yield double
    await double.close()


@pytest.fixture
async def slack() -> AsyncIterator[SlackDouble]:
    double = SlackDouble()
    await double.start()
    yield double
    await double.close()


@pytest.fixture
async def twilio() -> AsyncIterator[TwilioDouble]:
    double = TwilioDouble(account_sid=ACCOUNT, auth_token=TOKEN)
    await double.start()
    yield double
    await double.close()
