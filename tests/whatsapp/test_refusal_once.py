"""Over the rate limit, a sender gets one refusal per window, not one paid message each."""

from __future__ import annotations

import asyncio

import pytest

from tests.whatsapp.conftest import new_wa_id
from tests.whatsapp.fixtures import inbound


@pytest.mark.parametrize("extra_settings", [{"rate_limit_per_minute": 2}])
async def test_a_flood_over_the_limit_gets_one_refusal(stack) -> None:
    wa_id = new_wa_id()
    for n in range(2):
        await stack.post(inbound(f"question {n}", wa_id=wa_id))
        await stack.twilio.wait_for(lambda t, n=n: len(t.bodies(f"+{wa_id}")) > n)
    for n in range(2, 8):
        await stack.post(inbound(f"question {n}", wa_id=wa_id))
    await stack.twilio.wait_for(lambda t: len(t.bodies(f"+{wa_id}")) > 2)
    await asyncio.sleep(1.0)  # any further refusal would have been sent by now
    bodies = stack.twilio.bodies(f"+{wa_id}")
    refusals = [b for b in bodies if "faster than I can answer" in b]
    assert len(refusals) == 1, bodies
    assert len(bodies) == 3
