"""End to end through the real server: signed webhooks in, Twilio REST calls out."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import text

from adapters.whatsapp.format import to_whatsapp
from adapters.whatsapp.routes import TWIML_EMPTY
from bot.shown import Shown, remember
from bot.types import ConversationKey
from tests.doubles.claude import Reply, Stall
from tests.doubles.twilio import Callback, Fail
from tests.whatsapp.conftest import new_wa_id
from tests.whatsapp.fixtures import inbound

REPLY = """\
I found **three** strong options for the *Marathi* role.

## Shortlist

1. **Priya Nair** (24-30, Pune): kathak, speaks Marathi and Hindi.
2. **Ravi Deshmukh** (28-34, Mumbai): theatre, horse riding.

| Name | City |
|---|---|
| Asha Rao | Nashik |

See [her reel](https://example.com/reel) before Friday. Want me to shortlist them?"""


async def settle(seconds: float = 0.3) -> None:
    await asyncio.sleep(seconds)


def to(wa_id: str) -> str:
    return f"whatsapp:+{wa_id}"


async def test_typing_then_messages_carry_every_word_in_order(stack):
    stack.claude.push(Reply(REPLY, chunk_size=6, delay=0.005))
    wa_id = new_wa_id()
    form = inbound("who speaks Marathi?", wa_id=wa_id)
    status, kind, body = await stack.post(form)
    assert (status, kind, body) == (200, "text/xml", TWIML_EMPTY)
    await stack.twilio.wait_for(lambda t: any("shortlist them" in b for b in t.bodies()))
    mine = [e for e in stack.twilio.events if e[1].get("To") in (None, to(wa_id))]
    assert mine[0] == ("typing", mine[0][1]) and mine[0][1]["messageId"] == form["MessageSid"]
    bodies = [e[1]["Body"] for e in mine if e[0] == "message"]
    assert len(bodies) == 2  # the first paragraph at once, then the rest in one message
    assert bodies[0] == "I found *three* strong options for the _Marathi_ role."
    assert " ".join(bodies).split() == to_whatsapp(REPLY).split()
    assert "*Shortlist*" in bodies[1] and "her reel (https://example.com/reel)" in bodies[1]
    assert "- *Asha Rao* · City: Nashik" in bodies[1]
    assert all(m["From"] == "whatsapp:+14155238886" for m in stack.twilio.messages)
    assert stack.twilio.messages[-1]["StatusCallback"] == stack.url + "/whatsapp/status"


async def test_a_retried_message_sid_gets_one_reply(stack):
    wa_id = new_wa_id()
    form = inbound("hello there", wa_id=wa_id)
    answers = await asyncio.gather(*(stack.post(form) for _ in range(4)))
    assert {a[0] for a in answers} == {200}
    await stack.twilio.wait_for(lambda t: t.bodies(f"+{wa_id}"))
    await settle()
    await stack.post(form)  # a late retry, after the reply
    await settle()
    assert stack.twilio.bodies(f"+{wa_id}") == ["You said: hello there"]
    assert len([t for t in stack.twilio.typing if t["messageId"] == form["MessageSid"]]) == 1


async def test_forged_or_unsigned_requests_get_403_and_nothing(stack):
    wa_id = new_wa_id()
    form = inbound("hello", wa_id=wa_id)
    url = stack.inbound_url
    forged = {"X-Twilio-Signature": "AAAAAAAAAAAAAAAAAAAAAAAAAAA="}
    async with stack.session.post(url, data=form, headers=forged) as response:
        assert response.status == 403
    assert (await stack.post(form, sign=False))[0] == 403
    assert (await stack.post(form, path="/whatsapp/status", sign=False))[0] == 403
    await settle()
    assert not stack.twilio.bodies(f"+{wa_id}") and not stack.claude.requests


async def test_bad_bodies_get_400_or_413_and_no_turn(stack):
    url = stack.inbound_url
    async with stack.session.post(
        url, data=b"\xff\xfe=\xff", headers={"Content-Type": "application/x-www-form-urlencoded"}
    ) as response:
        assert response.status == 400
    big = {"Body": "x" * 70_000}
    async with stack.session.post(url, data=big) as response:
        assert response.status == 413
    bad = inbound("hi") | {"NumMedia": "lots"}
    assert (await stack.post(bad))[0] == 400
    sms = inbound("hi") | {"From": "+14155550100"}
    assert (await stack.post(sms))[:2] == (200, "text/xml")
    await settle()
    assert not stack.twilio.messages


async def test_stop_silences_and_start_resumes(stack):
    wa_id = new_wa_id()
    me = f"+{wa_id}"
    await stack.post(inbound("STOP", wa_id=wa_id))
    await stack.twilio.wait_for(lambda t: t.bodies(me))
    assert "START" in stack.twilio.bodies(me)[0]
    await stack.post(inbound("are you there?", wa_id=wa_id))
    await settle(0.5)
    assert len(stack.twilio.bodies(me)) == 1 and not stack.claude.requests
    await stack.post(inbound("start", wa_id=wa_id))
    await stack.twilio.wait_for(lambda t: len(t.bodies(me)) == 2)
    assert "Welcome back" in stack.twilio.bodies(me)[1]
    await stack.post(inbound("back again", wa_id=wa_id))
    await stack.twilio.wait_for(lambda t: len(t.bodies(me)) == 3)
    assert stack.twilio.bodies(me)[2] == "You said: back again"


async def test_media_is_stored_and_acknowledged(stack):
    wa_id = new_wa_id()
    media = "https://api.twilio.com/2010-04-01/Accounts/AC/Messages/MM1/Media/ME1"
    form = inbound("", wa_id=wa_id, NumMedia="1", MediaUrl0=media, MediaContentType0="image/jpeg")
    await stack.post(form)
    await stack.twilio.wait_for(lambda t: t.bodies(f"+{wa_id}"))
    first = stack.twilio.bodies(f"+{wa_id}")[0]
    assert "1 image file(s)" in first and "Whose is it?" in first and media not in first
    async with stack.services.db.connect() as conn:
        row = (
            await conn.execute(
                text("SELECT attachments FROM messages WHERE platform_message_id = :sid"),
                {"sid": form["MessageSid"]},
            )
        ).one()
    assert media in row.attachments


async def test_rate_limits_and_server_errors_are_retried(stack):
    stack.twilio.push(Fail(429, 20429, "Too Many Requests"), Fail(503))
    wa_id = new_wa_id()
    await stack.post(inbound("retry please", wa_id=wa_id))
    await stack.twilio.wait_for(lambda t: t.bodies(f"+{wa_id}"), within=15)
    assert stack.twilio.bodies(f"+{wa_id}") == ["You said: retry please"]
    assert len(stack.twilio.attempts) == 3


async def test_a_bad_recipient_stops_the_reply(stack):
    stack.claude.push(Reply("First paragraph.\n\nSecond paragraph.\n\nThird.", chunk_size=4))
    stack.twilio.push(Fail(400, 21211, "The 'To' number is not a valid phone number."))
    wa_id = new_wa_id()
    await stack.post(inbound("hi", wa_id=wa_id))
    await stack.twilio.wait_for(lambda t: t.attempts)
    await settle(0.8)
    assert len(stack.twilio.attempts) == 1 and not stack.twilio.messages


@pytest.mark.parametrize("extra_settings", [{"twilio_template_sid": "HX" + "1" * 32}])
async def test_closed_window_falls_back_to_the_template(stack):
    stack.twilio.push(Callback("failed", 63016))
    wa_id = new_wa_id()
    await stack.post(inbound("hello later", wa_id=wa_id))
    await stack.twilio.wait_for(lambda t: any(m.get("ContentSid") for m in t.messages))
    template = [m for m in stack.twilio.messages if m.get("ContentSid")]
    assert len(template) == 1 and template[0]["ContentSid"] == "HX" + "1" * 32
    assert "You said: hello later" in template[0]["ContentVariables"]
    assert ("failed", 200) in stack.twilio.callbacks


async def test_status_callbacks_are_recorded_out_of_order_safely(stack):
    wa_id = new_wa_id()
    await stack.post(inbound("status please", wa_id=wa_id))
    await stack.twilio.wait_for(lambda t: t.bodies(f"+{wa_id}"))
    message = stack.twilio.messages[-1]
    callback = message["StatusCallback"]
    for state in ("delivered", "sent", "read", "delivered"):
        assert await stack.twilio.fire_status(callback, message["sid"], state) == 200
    wrong = "https://elsewhere.example.com/whatsapp/status"  # signed for another URL: refused
    await stack.twilio.fire_status(wrong, message["sid"], "failed", post_to=callback)
    assert stack.twilio.callbacks[-1] == ("failed", 403)
    async with stack.services.db.connect() as conn:
        row = (
            await conn.execute(
                text("SELECT status, recipient FROM whatsapp_outbound WHERE sid = :sid"),
                {"sid": message["sid"]},
            )
        ).one()
    assert (row.status, row.recipient) == ("read", f"+{wa_id}")


async def test_help_and_picking_from_the_last_list(stack):
    wa_id = new_wa_id()
    me = f"+{wa_id}"
    await stack.post(inbound("help", wa_id=wa_id))
    await stack.twilio.wait_for(lambda t: t.bodies(me))
    assert (
        "*STOP*" in stack.twilio.bodies(me)[0]
        and len(stack.twilio.bodies(me)) == 1
        and not stack.claude.requests
    )
    await stack.post(inbound("2", wa_id=wa_id))
    await stack.twilio.wait_for(lambda t: len(t.bodies(me)) == 2)
    assert "no recent list" in stack.twilio.bodies(me)[1]
    await remember(  # what a search in this chat showed
        stack.services,
        ConversationKey("whatsapp", "+14155238886", me),
        [Shown("t1", "Priya Nair"), Shown("t2", "Ravi Deshmukh")],
    )
    await stack.post(inbound("shortlist 2 for Inspector", wa_id=wa_id))
    await stack.twilio.wait_for(lambda t: len(t.bodies(me)) == 3)
    asked = stack.claude.requests[-1]["messages"][-1]["content"]
    assert "Ravi Deshmukh (talent id t2)" in str(asked) and "Inspector" in str(asked)


@pytest.mark.parametrize("extra_settings", [{"rate_limit_per_minute": 2}])
async def test_a_runaway_sender_gets_a_polite_refusal_not_a_turn(stack):
    wa_id = new_wa_id()
    for n in range(3):
        await stack.post(inbound(f"question {n}", wa_id=wa_id))
        await stack.twilio.wait_for(lambda t, n=n: len(t.bodies(f"+{wa_id}")) > n)
    bodies = stack.twilio.bodies(f"+{wa_id}")
    assert bodies[:2] == ["You said: question 0", "You said: question 1"]
    assert "faster than I can answer" in bodies[2] and "2 a minute" in bodies[2]
    others = new_wa_id()  # someone else is not held back
    await stack.post(inbound("hello", wa_id=others))
    await stack.twilio.wait_for(lambda t: t.bodies(f"+{others}"))
    assert stack.twilio.bodies(f"+{others}") == ["You said: hello"]


HELD = 40  # more replies in flight at once than the channel used to allow (32)


@pytest.mark.parametrize("extra_settings", [{"claude_idle_timeout_s": 120.0}])
async def test_a_message_is_answered_while_many_earlier_replies_are_still_streaming(stack):
    """A burst: forty people's replies are mid-stream (Claude still writing them); the
    forty-first person is answered then, not after one of them ends."""
    stack.claude.push(*[Stall("Looking into it.\n\n", seconds=600) for _ in range(HELD)])
    held = [new_wa_id() for _ in range(HELD)]
    for wa_id in held:
        await stack.post(inbound("who could play the inspector?", wa_id=wa_id))
    await stack.twilio.wait_for(lambda t: all(t.bodies(f"+{w}") for w in held), within=60)
    newcomer = new_wa_id()
    await stack.post(inbound("hello", wa_id=newcomer))
    await stack.twilio.wait_for(lambda t: t.bodies(f"+{newcomer}"), within=60)
    assert stack.twilio.bodies(f"+{newcomer}") == ["You said: hello"]
    assert stack.claude.in_flight == HELD  # every earlier reply is still being written
    await stack.claude.close()  # the held streams break: their turns end with a note
    await stack.twilio.wait_for(lambda t: all(len(t.bodies(f"+{w}")) == 2 for w in held), 60)
