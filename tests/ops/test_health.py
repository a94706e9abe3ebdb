"""/healthz, /readyz and disabled channels, over HTTP against the real app."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.engine import Engine
from bot.llm.claude import ClaudeResponder
from bot.llm.offline import OfflineResponder
from bot.server import DRAINING_KEY, build_app
from bot.types import ConversationKey, InboundMessage
from castmatch.app import CHANNELS
from tests.doubles.claude import ClaudeDouble, Status
from tests.doubles.reply import RecordingReply


async def _client(services, engine: Engine) -> TestClient:
    client = TestClient(TestServer(build_app(services, engine, CHANNELS)))
    await client.start_server()
    return client


@pytest.fixture
async def offline(services) -> AsyncIterator[TestClient]:
    client = await _client(services, Engine(services, OfflineResponder()))
    yield client
    await client.close()


async def test_without_a_claude_key_it_is_ready_but_says_llm_is_degraded(offline) -> None:
    assert (await offline.get("/healthz")).status == 200
    response = await offline.get("/readyz")
    report = await response.json()
    assert response.status == 200
    assert set(report["checks"]) == {"postgres", "redis", "index", "llm"}
    assert report["checks"]["postgres"]["status"] == "ok"
    assert report["checks"]["redis"]["status"] == "ok"
    assert report["checks"]["llm"]["status"] == "degraded"
    assert report["status"] == "degraded"


async def test_channels_without_credentials_answer_404(offline) -> None:
    for path in ("/slack/events", "/whatsapp/inbound", "/whatsapp/status"):
        response = await offline.post(path, data=b"x=1")
        assert response.status == 404, path


async def test_a_draining_process_is_not_ready(offline) -> None:
    offline.server.app[DRAINING_KEY].set()
    response = await offline.get("/readyz")
    assert response.status == 503
    assert (await response.json())["status"] == "down"


async def test_claude_failing_shows_in_readiness_until_it_answers_again(
    services, settings, claude: ClaudeDouble
) -> None:
    configured = settings.model_copy(
        update={"anthropic_api_key": "sk-test", "anthropic_base_url": claude.url,
                "claude_max_retries": 0}
    )  # fmt: skip
    responder = ClaudeResponder(configured)
    engine = Engine(services, responder)
    client = await _client(services, engine)
    key = ConversationKey("console", "acme", "health")
    try:
        claude.push(Status(529))
        await engine.handle(InboundMessage(key, "asha", "hi", "m-health-1"), RecordingReply())
        llm = (await (await client.get("/readyz")).json())["checks"]["llm"]
        assert llm["status"] == "degraded" and llm["last_error"]
        await engine.handle(InboundMessage(key, "asha", "hi again", "m-health-2"), RecordingReply())
        llm = (await (await client.get("/readyz")).json())["checks"]["llm"]
        assert llm["status"] == "ok"
    finally:
        await client.close()
        await responder.close()


async def test_metrics_report_the_queues_an_operator_watches(offline) -> None:
    response = await offline.get("/metrics")
    text = await response.text()
    assert response.status == 200 and response.content_type == "text/plain"
    assert 'castmatch_queue_depth{queue="memory_write_behind"} 0.0' in text
    assert 'castmatch_queue_depth{queue="background_tasks"}' in text
