"""A client that sends its body slowly (or never) can't hold a socket and a task for long,
and only so many unauthenticated bodies are read at once."""

from __future__ import annotations

import asyncio

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from bot import body
from bot.body import read_capped


async def _echo(request: web.Request) -> web.Response:
    return web.Response(body=await read_capped(request, 1024))


@pytest.fixture
async def server(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(body, "DEADLINE_S", 0.5, raising=False)
    monkeypatch.setattr(body, "READING", asyncio.Semaphore(2), raising=False)
    app = web.Application()
    app.router.add_post("/in", _echo)
    server = TestServer(app)
    await server.start_server()
    yield server
    await server.close()


async def _stall(server: TestServer) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    reader, writer = await asyncio.open_connection(server.host, server.port)
    writer.write(b"POST /in HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly ten b")
    await writer.drain()
    return reader, writer


async def _status(reader: asyncio.StreamReader) -> int:
    line = await asyncio.wait_for(reader.readline(), 10)
    return int(line.split()[1])


async def test_a_body_that_never_finishes_gets_408(server: TestServer) -> None:
    reader, writer = await _stall(server)
    assert await _status(reader) == 408
    writer.close()


async def test_too_many_unfinished_bodies_get_503_while_others_wait(server: TestServer) -> None:
    held = [await _stall(server) for _ in range(2)]
    await asyncio.sleep(0.1)
    reader, writer = await _stall(server)
    assert await _status(reader) == 503
    for r, w in held:
        assert await _status(r) == 408
        w.close()
    writer.close()
