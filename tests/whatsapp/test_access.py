"""Who may talk to a company's WhatsApp number, end to end through the real server: the
Twilio double, the Claude double, real PostgreSQL and Redis, and the real `castmatch`
command in its own process for the members' list."""

from __future__ import annotations

import asyncio

import psycopg
import pytest

from bot.gate import NOT_A_MEMBER
from tests.e2e.test_chat import castmatch
from tests.whatsapp.conftest import new_wa_id
from tests.whatsapp.fixtures import BUSINESS, inbound


def stored(database_url: str, user: str) -> int:
    url = database_url.replace("postgresql+psycopg://", "postgresql://", 1)
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT count(*) FROM messages WHERE user_id = %s", (user,)).fetchone()
    return int(row[0]) if row else 0


async def settle() -> None:
    await asyncio.sleep(0.5)  # the webhook is answered before the message is processed


async def scraped(stack, name: str) -> float:
    """A counter's value as /metrics shows it (0 before its first count)."""
    async with stack.session.get(stack.url + "/metrics") as response:
        body = await response.text()
    values = [float(line.rsplit(" ", 1)[1]) for line in body.splitlines() if line.startswith(name)]
    return sum(values)


REFUSAL_NOTICES = 'castmatch_refusal_notices_total{channel="whatsapp",reason="not_member"}'


async def test_a_stranger_gets_exactly_one_refusal_and_costs_nothing(stack, settings_env):
    wa_id = new_wa_id()
    notices = await scraped(stack, REFUSAL_NOTICES)
    for n in range(4):
        status, _, _ = await stack.post(
            inbound(f"show me your shortlists {n}", wa_id=wa_id), member=False
        )
        assert status == 200
    await stack.twilio.wait_for(lambda t: t.bodies(f"+{wa_id}"))
    await settle()
    assert stack.twilio.bodies(f"+{wa_id}") == [NOT_A_MEMBER]
    assert not stack.claude.requests
    assert stored(settings_env["DATABASE_URL"], f"+{wa_id}") == 0
    assert await scraped(stack, REFUSAL_NOTICES) == notices + 1  # counted, once
    # The once-a-day marker in Redis names the sender by a digest, never by the number.
    markers = stack.services.redis.scan_iter(match=stack.services.key("refused", "*"))
    assert [key async for key in markers if wa_id.encode() not in key]
    # Nor does any other key (the opt-out check before the refusal's send included).
    everything = stack.services.redis.scan_iter(match=stack.services.key("*"))
    assert [key async for key in everything if wa_id.encode() in key] == []


async def test_members_added_and_removed_by_the_cli_take_effect_without_a_restart(
    stack, settings_env
):
    wa_id = new_wa_id()
    await stack.post(inbound("hello?", wa_id=wa_id), member=False)
    await stack.twilio.wait_for(lambda t: t.bodies(f"+{wa_id}"))

    code, out, err = await castmatch(
        settings_env, "members", "add", BUSINESS, f"whatsapp:+{wa_id}", "whatsapp:+919812345678"
    )
    assert code == 0, err
    assert "2 member(s)" in out
    await stack.post(inbound("find kathak dancers", wa_id=wa_id), member=False)
    await stack.twilio.wait_for(lambda t: len(t.bodies(f"+{wa_id}")) == 2)
    assert stack.twilio.bodies(f"+{wa_id}")[1] == "You said: find kathak dancers"

    code, out, err = await castmatch(
        settings_env, "members", "remove", BUSINESS, f"whatsapp:+{wa_id}"
    )
    assert code == 0, err
    asked = len(stack.claude.requests)
    await stack.post(inbound("still there?", wa_id=wa_id), member=False)
    await settle()
    # Refused again; the refusal itself was already sent within the last 24 hours.
    assert len(stack.twilio.bodies(f"+{wa_id}")) == 2
    assert len(stack.claude.requests) == asked


async def test_members_commands_check_every_id_before_changing_anything(stack, settings_env):
    good = f"whatsapp:+{new_wa_id()}"
    code, _, err = await castmatch(settings_env, "members", "add", BUSINESS, good, "whatsapp:12345")
    assert code == 2 and "whatsapp:12345" in err and "\n" not in err.strip()
    code, out, _ = await castmatch(settings_env, "members", "list", BUSINESS)
    assert code == 0 and good not in out
    code, _, err = await castmatch(settings_env, "members", "add", "no-such-company", good)
    assert code == 2 and "no workspace" in err


@pytest.mark.parametrize("extra_settings", [{"rate_limit_per_minute": 2}])
async def test_over_the_limit_is_refused_once_per_window_not_per_message(stack):
    wa_id = new_wa_id()
    for n in range(5):
        await stack.post(inbound(f"question {n}", wa_id=wa_id))
        await stack.twilio.wait_for(lambda t, n=n: len(t.bodies(f"+{wa_id}")) >= min(n + 1, 3))
    await settle()
    bodies = stack.twilio.bodies(f"+{wa_id}")
    assert len(bodies) == 3 and "faster than I can answer" in bodies[2]


async def test_a_replayed_stop_older_than_the_redis_window_changes_nothing(stack):
    wa_id = new_wa_id()
    me = f"+{wa_id}"
    stop = inbound("STOP", wa_id=wa_id)
    await stack.post(stop)
    await stack.twilio.wait_for(lambda t: len(t.bodies(me)) == 1)
    await stack.post(inbound("START", wa_id=wa_id))
    await stack.twilio.wait_for(lambda t: len(t.bodies(me)) == 2)
    # Days later the Redis claim on the STOP's MessageSid has expired; Twilio signatures
    # carry no timestamp, so a captured request can be sent again.
    async for key in stack.services.redis.scan_iter(match=stack.services.key("seen", "*")):
        await stack.services.redis.delete(key)
    stack.engine.dedupe._recent.clear()  # and the process was restarted since
    await stack.post(stop)
    await settle()
    await stack.post(inbound("still listening?", wa_id=wa_id))
    await stack.twilio.wait_for(lambda t: len(t.bodies(me)) == 3)
    assert stack.twilio.bodies(me)[2] == "You said: still listening?"
