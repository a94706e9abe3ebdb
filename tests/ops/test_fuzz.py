"""The HTTP routes of the real server, fuzzed end to end: arbitrary bodies and headers to
/slack/events and /whatsapp/inbound never get a 5xx, never start a turn without a valid
signature, and always get a clear answer; oversized bodies are refused before parsing."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from urllib.parse import urlencode

import aiohttp
import pytest
from aiohttp import web
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.whatsapp.parse import MAX_BODY_CHARS
from bot.engine import Engine
from bot.llm.claude import ClaudeResponder
from bot.server import BODY_LIMITS, build_app
from castmatch.app import CHANNELS
from tests.doubles.claude import ClaudeDouble
from tests.doubles.slack import BOT_TOKEN, SIGNING_SECRET, SlackDouble, signed_headers
from tests.doubles.twilio import TwilioDouble
from tests.slack.stack import event_body, mention
from tests.whatsapp.fixtures import ACCOUNT, BUSINESS, TOKEN, inbound, signature

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@dataclass
class Server:
    url: str
    session: aiohttp.ClientSession
    claims: list[str]  # every message that reached the engine's de-duplication (a turn's start)

    async def post(self, path: str, data: bytes, headers: dict[str, str]) -> tuple[int, str]:
        async with self.session.post(self.url + path, data=data, headers=headers) as response:
            return response.status, await response.text()


@pytest.fixture
async def server(services, claude: ClaudeDouble, slack: SlackDouble, twilio: TwilioDouble):  # type: ignore[no-untyped-def]
    configured = services.settings.model_copy(
        update={
            "anthropic_api_key": "sk-test",
            "anthropic_base_url": claude.url,
            "slack_bot_token": BOT_TOKEN,
            "slack_signing_secret": SIGNING_SECRET,
            "slack_api_url": slack.base_url + "/api",
            "twilio_account_sid": ACCOUNT,
            "twilio_auth_token": TOKEN,
            "twilio_whatsapp_number": BUSINESS,
            "twilio_api_url": twilio.url,
            "rate_limit_per_minute": 0,
        }
    )
    running = dataclasses.replace(services, settings=configured)
    responder = ClaudeResponder(configured)
    engine = Engine(running, responder)
    claims: list[str] = []
    real_claim = engine.dedupe.first_time

    async def counting_claim(channel: str, message_id: str) -> bool:
        claims.append(message_id)
        return await real_claim(channel, message_id)

    engine.dedupe.first_time = counting_claim  # type: ignore[method-assign]
    runner = web.AppRunner(build_app(running, engine, CHANNELS), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    async with aiohttp.ClientSession() as session:
        yield Server(f"http://127.0.0.1:{port}", session, claims)
    await runner.cleanup()
    await responder.close()


# -- strategies -------------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner,
                                                                max_size=4),
    max_leaves=12,
)  # fmt: skip
slack_like = st.fixed_dictionaries(
    {"type": st.sampled_from(["event_callback", "url_verification", "block_actions", "x"])},
    optional={"event": json_values, "team_id": st.text(max_size=8), "challenge": json_values,
              "event_id": st.text(max_size=12)},
)  # fmt: skip
bodies = st.one_of(
    st.binary(max_size=600),
    st.text(max_size=300).map(str.encode),
    json_values.map(lambda v: json.dumps(v).encode()),
    slack_like.map(lambda v: json.dumps(v).encode()),
    st.dictionaries(st.text(max_size=10), st.text(max_size=20), max_size=6).map(
        lambda d: urlencode(d).encode()
    ),
)
content_types = st.sampled_from(
    ["application/json", "application/x-www-form-urlencoded", "text/plain", "", "multipart/x"]
)
header_text = st.text(
    st.characters(min_codepoint=32, max_codepoint=126), max_size=80
)  # what HTTP allows in a header value
timestamps = st.one_of(header_text, st.integers(0, 2**40).map(str), st.just(str(int(time.time()))))
forms = st.dictionaries(
    st.sampled_from(["MessageSid", "SmsMessageSid", "From", "To", "Body", "WaId", "AccountSid",
                     "NumMedia", "MediaUrl0", "MediaContentType0", "ProfileName",
                     "ButtonPayload", "x"]) | st.text(max_size=8),
    st.text(max_size=40),
    max_size=10,
)  # fmt: skip


# -- Slack ------------------------------------------------------------------------------


@FUZZ
@given(body=bodies, content_type=content_types, ts=timestamps, sig=header_text)
async def test_slack_unsigned_or_forged_requests_get_401_and_no_turn(
    server: Server, body: bytes, content_type: str, ts: str, sig: str
) -> None:
    before = len(server.claims)
    headers = {"Content-Type": content_type, "X-Slack-Request-Timestamp": ts,
               "X-Slack-Signature": sig}  # fmt: skip
    status, _ = await server.post("/slack/events", body, headers)
    assert status == 401
    assert len(server.claims) == before


@FUZZ
@given(body=bodies, content_type=content_types)
async def test_slack_signed_garbage_is_400_or_acknowledged_never_5xx(
    server: Server, body: bytes, content_type: str
) -> None:
    text = body.decode("utf-8", errors="replace")
    headers = signed_headers(text) | {"Content-Type": content_type}
    status, _ = await server.post("/slack/events", text.encode(), headers)
    assert status in (200, 400)


@FUZZ
@given(ts=st.integers(0, 2**33), wrong_secret=st.booleans())
async def test_slack_stale_or_wrongly_keyed_signature_is_refused(
    server: Server, ts: int, wrong_secret: bool
) -> None:
    fresh = abs(time.time() - ts) <= 300
    body = json.dumps(event_body(mention("hello there")))
    secret = "not-the-secret" if wrong_secret else SIGNING_SECRET
    status, _ = await server.post(
        "/slack/events", body.encode(), signed_headers(body, secret=secret, timestamp=ts)
    )
    assert status == (200 if fresh and not wrong_secret else 401)


# -- WhatsApp ---------------------------------------------------------------------------


@FUZZ
@given(body=bodies, content_type=content_types, sig=header_text)
async def test_whatsapp_unsigned_or_forged_requests_get_4xx_and_no_turn(
    server: Server, body: bytes, content_type: str, sig: str
) -> None:
    before = len(server.claims)
    headers = {"Content-Type": content_type} | ({"X-Twilio-Signature": sig} if sig else {})
    status, answer = await server.post("/whatsapp/inbound", body, headers)
    assert status in (400, 403), answer
    assert len(server.claims) == before


@FUZZ
@given(form=forms, sign_as=st.sampled_from(["none", "other-token", "other-url", "valid"]))
async def test_whatsapp_forms_answer_twiml_or_a_clear_4xx(
    server: Server, form: dict[str, str], sign_as: str
) -> None:
    before = len(server.claims)
    url = server.url + "/whatsapp/inbound"
    headers: dict[str, str] = {}
    if sign_as == "valid":
        headers["X-Twilio-Signature"] = signature(url, form)
    elif sign_as == "other-token":
        headers["X-Twilio-Signature"] = signature(url, form, token="wrong-token")
    elif sign_as == "other-url":
        headers["X-Twilio-Signature"] = signature(url + "?x=1", form)
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    async with server.session.post(url, data=urlencode(form), headers=headers) as response:
        status, kind = response.status, response.content_type
    if sign_as != "valid":
        assert status == 403
        assert len(server.claims) == before
    else:
        assert status in (200, 400)
        if status == 200:
            assert kind == "text/xml"


status_forms = st.dictionaries(
    st.sampled_from(["MessageSid", "MessageStatus", "ErrorCode", "To", "From", "AccountSid",
                     "SmsStatus", "ChannelToAddress", "x"]) | st.text(max_size=8),
    st.text(max_size=40) | st.sampled_from(["delivered", "read", "failed", "undelivered"]),
    max_size=8,
)  # fmt: skip


@FUZZ
@given(form=status_forms, signed=st.booleans())
async def test_whatsapp_status_callbacks_never_fail_and_need_a_signature(
    server: Server, form: dict[str, str], signed: bool
) -> None:
    url = server.url + "/whatsapp/status"
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if signed:
        headers["X-Twilio-Signature"] = signature(url, form)
    status, answer = await server.post("/whatsapp/status", urlencode(form).encode(), headers)
    assert status in ((200, 204, 400) if signed else (403,)), answer


# -- body limits --------------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(BODY_LIMITS))
async def test_oversized_bodies_are_refused_before_parsing(server: Server, path: str) -> None:
    limit = BODY_LIMITS[path]
    big = b"a=" + b"x" * limit
    status, _ = await server.post(path, big, {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 413

    async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: the route's read cap
        for _ in range(limit // 8192 + 2):
            yield b"x" * 8192

    streamed = aiohttp.payload.AsyncIterablePayload(chunks())
    async with server.session.post(server.url + path, data=streamed) as response:
        assert response.status == 413
    assert not server.claims


async def test_the_longest_message_whatsapp_allows_is_answered(server: Server) -> None:
    form = inbound("नमस्ते" * (MAX_BODY_CHARS // len("नमस्ते")))  # ~37 KB once form-encoded
    body = urlencode(form).encode()
    assert 30_000 < len(body) < BODY_LIMITS["/whatsapp/inbound"]

    async def pieces() -> AsyncIterator[bytes]:  # as a slow network delivers it
        for start in range(0, len(body), 4096):
            await asyncio.sleep(0.01)
            yield body[start : start + 4096]

    url = server.url + "/whatsapp/inbound"
    headers = {"Content-Type": "application/x-www-form-urlencoded",
               "X-Twilio-Signature": signature(url, form)}  # fmt: skip
    payload = aiohttp.payload.AsyncIterablePayload(pieces())
    async with server.session.post(url, data=payload, headers=headers) as response:
        assert response.status == 200, await response.text()
    for _ in range(100):  # its turn starts just after the answer (the message is kept first)
        if server.claims:
            break
        await asyncio.sleep(0.05)
    assert server.claims == [form["MessageSid"]]
