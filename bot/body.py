"""Reading a request body whole, but never more than a route allows, nor for long.

Bodies are read before their signature can be checked, so anyone can send one: a body that
doesn't arrive within `DEADLINE_S` gets 408, and at most `READING` bodies are read at once
(503 beyond that, which Slack and Twilio retry), so slow clients can't hold every socket.
"""

from __future__ import annotations

import asyncio

from aiohttp import web

DEADLINE_S = 5.0  # a real webhook body (a few KB) arrives in milliseconds
MAX_READING = 64
READING = asyncio.Semaphore(MAX_READING)


class TooLarge(Exception):
    """The body is over the route's limit (answer 413)."""


async def read_capped(request: web.Request, limit: int) -> bytes:
    """The whole body, or `TooLarge` as soon as it passes `limit` bytes; 408 when it is too
    slow to arrive, 503 when too many bodies are being read.

    `StreamReader.read(n)` returns what has arrived so far, not n bytes: a body that comes in
    several TCP segments must be read to its end (this once cut long messages short).
    """
    if request.content_length is not None and request.content_length > limit:
        raise TooLarge
    if READING.locked():
        raise web.HTTPServiceUnavailable(headers={"Retry-After": "1"}, text="busy")
    async with READING:
        try:
            async with asyncio.timeout(DEADLINE_S):
                return await _read(request, limit)
        except TimeoutError:
            raise web.HTTPRequestTimeout(
                headers={"Connection": "close"}, text="body too slow"
            ) from None


async def _read(request: web.Request, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while chunk := await request.content.read(64 * 1024):
        size += len(chunk)
        if size > limit:
            raise TooLarge
        chunks.append(chunk)
    return b"".join(chunks)
