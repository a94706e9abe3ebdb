"""Reading a request body whole, but never more than a route allows."""

from __future__ import annotations

from aiohttp import web


class TooLarge(Exception):
    """The body is over the route's limit (answer 413)."""


async def read_capped(request: web.Request, limit: int) -> bytes:
    """The whole body, or `TooLarge` as soon as it passes `limit` bytes.

    `StreamReader.read(n)` returns what has arrived so far, not n bytes: a body that comes in
    several TCP segments must be read to its end (this once cut long messages short).
    """
    if request.content_length is not None and request.content_length > limit:
        raise TooLarge
    chunks: list[bytes] = []
    size = 0
    while chunk := await request.content.read(64 * 1024):
        size += len(chunk)
        if size > limit:
            raise TooLarge
        chunks.append(chunk)
    return b"".join(chunks)
