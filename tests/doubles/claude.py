"""A test double of Claude's Messages API that speaks the real wire format.

It serves `POST /v1/messages` with server-sent events exactly as the API does
(message_start, content_block_start/delta/stop for text and tool_use with
input_json_delta, message_delta, message_stop, ping, error), and 429/529 JSON errors with
`retry-after`, so the official `anthropic` SDK is what the code under test talks to.
Each conversation request (system prompt starting "You are CastMatch") takes the next
scripted behaviour; when the script is empty it answers with a default reply that names the
last user message. Background requests (memory summaries, fact extraction) are recorded
apart and answered from `background_script`, so they never consume a conversation's
script; by default a request that forces a tool (`tool_choice` naming it) gets a
well-formed call of that tool, its input from `background_tool_input(body)` when set, else
an empty one (no facts; a summary of the request's first line), and any other gets "[]".
"""

from __future__ import annotations

import asyncio
import itertools
import json
import secrets
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web


@dataclass
class Reply:
    """Stream `text` in `chunks` pieces, `delay` seconds apart (the first after
    `first_delay` when set: the model's time to first token)."""

    text: str
    chunk_size: int = 8
    delay: float = 0.0
    first_delay: float = 0.0


@dataclass
class ToolCall:
    """Answer with optional text, then a tool_use block (stop_reason tool_use)."""

    name: str
    input: dict[str, Any]
    text: str = ""


@dataclass
class Status:
    """An HTTP error before any streaming (429, 500, 529…)."""

    status: int
    retry_after: float | None = 0.0


@dataclass
class StreamError:
    """Stream `text_before`, then an `error` event (e.g. overloaded mid-stream)."""

    text_before: str = ""
    error_type: str = "overloaded_error"


@dataclass
class Stall:
    """Stream `text_before`, then send nothing for `seconds`."""

    text_before: str = ""
    seconds: float = 3600.0


Behaviour = Reply | ToolCall | Status | StreamError | Stall


@dataclass
class ClaudeDouble:
    token_delay: float = 0.0  # default delay between chunks of the default reply
    first_token_delay: float = 0.0  # default delay before the default reply's first chunk
    requests: list[dict[str, Any]] = field(default_factory=list)
    background_requests: list[dict[str, Any]] = field(default_factory=list)
    background_script: deque[Behaviour] = field(default_factory=deque)
    # body → the forced tool's input, for background requests (None: a minimal valid one)
    background_tool_input: Callable[[dict[str, Any]], dict[str, Any]] | None = None
    headers: list[dict[str, str]] = field(default_factory=list)
    script: deque[Behaviour] = field(default_factory=deque)
    default_text: str = ""
    in_flight: int = 0
    max_in_flight: int = 0  # the most streams open at once
    url: str = ""
    _runner: web.AppRunner | None = None

    def push(self, *behaviours: Behaviour) -> None:
        self.script.extend(behaviours)

    async def start(self, port: int = 0) -> str:
        app = web.Application(client_max_size=20 * 1024**2)
        app.router.add_post("/v1/messages", self._messages)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", port)
        await site.start()
        bound = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{bound}"
        return self.url

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    # --- the API -------------------------------------------------------------------------

    async def _messages(self, request: web.Request) -> web.StreamResponse:
        if not (request.headers.get("x-api-key") or request.headers.get("authorization")):
            return _error(401, "authentication_error", "x-api-key header is required")
        if "anthropic-version" not in request.headers:
            return _error(400, "invalid_request_error", "anthropic-version header is required")
        try:
            body = await request.json()
        except json.JSONDecodeError:
            return _error(400, "invalid_request_error", "body is not JSON")
        problem = _validate(body)
        if problem:
            return _error(400, "invalid_request_error", problem)
        if not _is_conversation(body):
            self.background_requests.append(body)
            script, fallback = self.background_script, self._background_default(body)
        else:
            self.requests.append(body)
            self.headers.append(dict(request.headers))
            script, fallback = self.script, self._default(body)
        behaviour = script.popleft() if script else fallback
        if isinstance(behaviour, Status):
            extra = {}
            if behaviour.retry_after is not None:
                extra["retry-after"] = str(behaviour.retry_after)
            kind = {429: "rate_limit_error", 529: "overloaded_error"}.get(
                behaviour.status, "api_error"
            )
            return _error(behaviour.status, kind, "scripted failure", extra)
        if not body.get("stream"):
            return _error(400, "invalid_request_error", "the double only serves streams")
        return await self._stream(request, body, behaviour)

    def _background_default(self, body: dict[str, Any]) -> Behaviour:
        choice = body.get("tool_choice") or {}
        if choice.get("type") != "tool":
            return Reply("[]")
        if self.background_tool_input is not None:
            return ToolCall(choice["name"], self.background_tool_input(body))
        if choice["name"] == "record_summary":
            first = _user_text(body).splitlines()[0] if _user_text(body) else "a conversation"
            return ToolCall(choice["name"], {"summary": first[:300]})
        return ToolCall(choice["name"], {"facts": []})

    def _default(self, body: dict[str, Any]) -> Reply:
        last = body["messages"][-1]["content"]
        if not isinstance(last, str):
            last = " ".join(b.get("text", "") for b in last if isinstance(b, dict))
        text = self.default_text or f"You said: {last[:200]}"
        return Reply(text, delay=self.token_delay, first_delay=self.first_token_delay)

    async def _stream(
        self, request: web.Request, body: dict[str, Any], behaviour: Behaviour
    ) -> web.StreamResponse:
        response = web.StreamResponse(
            headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache",
                     "request-id": "req_" + secrets.token_hex(8)}
        )  # fmt: skip
        await response.prepare(request)
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            return await self._events(response, body, behaviour)
        finally:
            self.in_flight -= 1

    async def _events(
        self, response: web.StreamResponse, body: dict[str, Any], behaviour: Behaviour
    ) -> web.StreamResponse:
        stream = _Sse(response)
        usage = {"input_tokens": _count(body), "output_tokens": 1,
                 "cache_read_input_tokens": 0, "cache_creation_input_tokens": 0}  # fmt: skip
        await stream.send("message_start", {"type": "message_start", "message": {
            "id": "msg_" + secrets.token_hex(12), "type": "message", "role": "assistant",
            "model": body["model"], "content": [], "stop_reason": None,
            "stop_sequence": None, "usage": usage}})  # fmt: skip
        await stream.send("ping", {"type": "ping"})
        index = 0
        text = getattr(behaviour, "text", "") or getattr(behaviour, "text_before", "")
        delay = getattr(behaviour, "delay", 0.0) or self.token_delay
        chunk = getattr(behaviour, "chunk_size", 8)
        first_delay = getattr(behaviour, "first_delay", 0.0)
        output_tokens = 0
        if text:
            await stream.block_start(index, {"type": "text", "text": ""})
            for start in range(0, len(text), chunk):
                pause = first_delay if start == 0 and first_delay else delay
                if pause:
                    await asyncio.sleep(pause)
                piece = text[start : start + chunk]
                output_tokens += 1
                await stream.send("content_block_delta", {"type": "content_block_delta",
                    "index": index, "delta": {"type": "text_delta", "text": piece}})  # fmt: skip
            if isinstance(behaviour, Stall):
                await asyncio.sleep(behaviour.seconds)
            if isinstance(behaviour, StreamError):
                await stream.send("error", {"type": "error", "error": {
                    "type": behaviour.error_type, "message": "Overloaded"}})  # fmt: skip
                return response
            await stream.send("content_block_stop", {"type": "content_block_stop", "index": index})
            index += 1
        elif isinstance(behaviour, Stall):
            await asyncio.sleep(behaviour.seconds)
        elif isinstance(behaviour, StreamError):
            await stream.send("error", {"type": "error", "error": {
                "type": behaviour.error_type, "message": "Overloaded"}})  # fmt: skip
            return response
        stop_reason = "end_turn"
        if isinstance(behaviour, ToolCall):
            stop_reason = "tool_use"
            tool_id = "toolu_" + secrets.token_hex(10)
            block = {"type": "tool_use", "id": tool_id, "name": behaviour.name, "input": {}}
            await stream.block_start(index, block)
            raw = json.dumps(behaviour.input)
            for start in range(0, len(raw), 16):
                await stream.send("content_block_delta", {"type": "content_block_delta",
                    "index": index, "delta": {"type": "input_json_delta",
                    "partial_json": raw[start : start + 16]}})  # fmt: skip
            await stream.send("content_block_stop", {"type": "content_block_stop", "index": index})
        await stream.send("message_delta", {"type": "message_delta",
            "delta": {"stop_reason": stop_reason, "stop_sequence": None},
            "usage": {"output_tokens": max(output_tokens, 1)}})  # fmt: skip
        await stream.send("message_stop", {"type": "message_stop"})
        return response


class _Sse:
    def __init__(self, response: web.StreamResponse) -> None:
        self.response = response

    async def send(self, event: str, data: dict[str, Any]) -> None:
        await self.response.write(f"event: {event}\ndata: {json.dumps(data)}\n\n".encode())

    async def block_start(self, index: int, block: dict[str, Any]) -> None:
        await self.send("content_block_start",
            {"type": "content_block_start", "index": index, "content_block": block})  # fmt: skip


def _user_text(body: dict[str, Any]) -> str:
    """The text of a request's last user message."""
    content = body["messages"][-1]["content"]
    if isinstance(content, str):
        return content
    return " ".join(b.get("text", "") for b in content if isinstance(b, dict))


def _is_conversation(body: dict[str, Any]) -> bool:
    system = body.get("system", "")
    if isinstance(system, list):
        system = system[0].get("text", "") if system else ""
    return str(system).startswith("You are CastMatch")


def _validate(body: dict[str, Any]) -> str:
    """Reject what the real API rejects, so mistakes show up in tests."""
    for name in ("model", "max_tokens", "messages"):
        if name not in body:
            return f"{name}: Field required"
    messages = body["messages"]
    if not messages or messages[0]["role"] != "user":
        return "messages: first message must use the user role"
    for before, after in itertools.pairwise(messages):
        if before["role"] == after["role"]:
            return "messages: roles must alternate between user and assistant"
    choice = body.get("tool_choice") or {}
    if choice.get("type") == "tool":
        names = {tool.get("name") for tool in body.get("tools", [])}
        if choice.get("name") not in names:
            return "tool_choice: the named tool is not among the request's tools"
    if "temperature" in body and str(body["model"]).startswith("claude-haiku-5"):
        return "temperature: not supported by this model"
    return ""


def _count(body: dict[str, Any]) -> int:
    return max(1, len(json.dumps(body["messages"])) // 4)


def _error(
    status: int, kind: str, message: str, headers: dict[str, str] | None = None
) -> web.Response:
    payload = {"type": "error", "error": {"type": kind, "message": message}}
    return web.json_response(payload, status=status, headers=headers or {})


def memory_text(body: dict[str, Any]) -> str:
    """The memory a conversation request carried (a marked data block in its messages)."""
    return " ".join(
        m["content"]
        for m in body["messages"]
        if m["role"] == "user"
        and isinstance(m["content"], str)
        and m["content"].startswith("<castmatch-data")
    )


def person_turns(body: dict[str, Any]) -> list[dict[str, Any]]:
    """The request's conversation without the memory data block and its acknowledgement."""
    out: list[dict[str, Any]] = []
    skip_ack = False
    for m in body["messages"]:
        content = m["content"]
        if m["role"] == "user" and isinstance(content, str) and content.startswith("<castmatch-"):
            skip_ack = True
            continue
        if skip_ack and m["role"] == "assistant":
            skip_ack = False
            continue
        out.append(m)
    return out
