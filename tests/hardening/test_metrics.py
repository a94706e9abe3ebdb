"""/metrics leaks no secrets and, with CASTMATCH_METRICS_TOKEN set, answers only its bearer."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from prometheus_client import generate_latest

from bot import metrics
from bot.engine import Engine
from bot.llm.offline import OfflineResponder
from bot.server import build_app
from castmatch.app import CHANNELS

TOKEN = "scrape-me-not-7f3a"


async def _post_through_trace(platform: str, paths: list[str]) -> None:
    async def ok(request: web.Request) -> web.Response:
        return web.json_response({"ok": True})

    app = web.Application()
    app.router.add_post("/{tail:.*}", ok)
    server = TestServer(app)
    await server.start_server()
    try:
        async with aiohttp.ClientSession(trace_configs=[metrics.platform_trace(platform)]) as s:
            for path in paths:
                async with s.post(server.make_url(path), json={}) as response:
                    assert response.status == 200
    finally:
        await server.close()


async def test_a_response_url_secret_never_becomes_a_metrics_label() -> None:
    secret = "B0hooksecretQx9Zr"
    await _post_through_trace(
        "slack",
        [
            f"/commands/T0/123/{secret}",
            f"/actions/T0/456/{secret}2",
            "/api/chat.postMessage",
        ],
    )
    text = generate_latest(metrics.REGISTRY).decode()
    assert secret not in text
    assert 'method="chat.postMessage"' in text
    assert 'platform="slack",method="other"' in text or 'method="other",platform="slack"' in text


async def test_unknown_paths_share_one_label_so_the_label_set_stays_bounded() -> None:
    await _post_through_trace("twilio", [f"/2010-04-01/Accounts/AC1/x{i}" for i in range(5)])
    text = generate_latest(metrics.REGISTRY).decode()
    assert not any(f'method="x{i}"' in text for i in range(5))


@pytest.fixture
def settings_env(settings_env: dict[str, str]) -> dict[str, str]:
    return {**settings_env, "CASTMATCH_METRICS_TOKEN": TOKEN}


@pytest.fixture
async def client(services) -> AsyncIterator[TestClient]:
    app = build_app(services, Engine(services, OfflineResponder()), CHANNELS)
    client = TestClient(TestServer(app))
    await client.start_server()
    yield client
    await client.close()


async def test_metrics_need_the_bearer_token_when_one_is_set(client: TestClient) -> None:
    assert (await client.get("/metrics")).status == 401
    wrong = await client.get("/metrics", headers={"Authorization": "Bearer nope"})
    assert wrong.status == 401
    assert TOKEN not in await wrong.text()
    right = await client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert right.status == 200
    assert "castmatch_turns_in_flight" in await right.text()
    assert (await client.get("/healthz")).status == 200  # health stays open
