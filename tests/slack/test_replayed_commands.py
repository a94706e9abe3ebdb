"""A slash command or button click Slack delivers twice (a retry, a replay) acts once."""

from __future__ import annotations

import asyncio

import pytest

from tests.slack.stack import Stack, until
from tests.slack.test_end_to_end import command


@pytest.mark.parametrize("socket_mode", [False])
async def test_a_replayed_slash_command_is_answered_once(stack: Stack) -> None:
    url = stack.slack.response_url()
    key = url.rsplit("/", 1)[1]
    form = command("/talent", "Tulu speaking kathak dancers", url, "trigREPLAY1")
    first = await stack.post_form(form)
    second = await stack.post_form(form)  # the same request again, freshly signed
    assert first[0] == second[0] == 200
    await until(lambda: stack.slack.responses[key])
    await asyncio.sleep(1.0)
    assert len(stack.slack.responses[key]) == 1
    assert len(stack.tools_started) == 1
