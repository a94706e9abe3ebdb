"""A test double of Slack's Web API and Socket Mode, speaking the real wire formats.

It serves `POST /api/<method>` the way slack.com does (Bearer token, form, query or JSON
arguments; HTTP 200 with `{"ok": false, "error": …}` for most failures; 429 with
`Retry-After`), keeps the messages it was asked to post, edit and stream, and records every
call. Faults can be scripted per method. `apps.connections.open` hands out a websocket URL
served here, so `slack_sdk`'s Socket Mode client connects to the double; tests push
envelopes into it and read the acknowledgements. `response_url`s are served too.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import itertools
import json
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

BOT_TOKEN = "xoxb-test-token"
APP_TOKEN = "xapp-1-test-token"
TEAM = "T0CAST"
BOT_USER = "UBOTCAST"
BOT_ID = "BBOTCAST"
SIGNING_SECRET = "test-signing-secret"
EDIT_LIMIT = 4000  # chat.update answers msg_too_long above this


def signed_headers(
    body: str, *, secret: str = SIGNING_SECRET, timestamp: int | None = None, json: bool = True
) -> dict[str, str]:
    """Headers Slack sends: v0=HMAC-SHA256("v0:{ts}:{body}") keyed with the signing secret."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": f"v0={digest}",
        "Content-Type": "application/json" if json else "application/x-www-form-urlencoded",
    }


@dataclass
class Call:
    method: str
    args: dict[str, Any]
    at: float
    status: int = 200
    error: str = ""


@dataclass
class Message:
    channel: str
    ts: str
    text: str
    thread_ts: str = ""
    blocks: list[dict[str, Any]] = field(default_factory=list)
    streaming: bool = False
    history: list[str] = field(default_factory=list)  # every visible text, in order
    writes: list[float] = field(default_factory=list)  # when each write landed
    tasks: dict[str, dict[str, Any]] = field(default_factory=dict)  # task_update chunks by id
    files: list[dict[str, Any]] = field(default_factory=list)  # files shared with it
    streamed: bool = False  # written by chat.startStream


@dataclass
class Fault:
    """Answer calls to `method` (or "*") with an error: `times` calls, or until `until`."""

    method: str
    error: str = "ratelimited"
    status: int = 200
    retry_after: float | None = None
    times: int = 1
    until: float = 0.0

    def matches(self, method: str, now: float) -> bool:
        if self.method not in ("*", method):
            return False
        return now < self.until if self.until else self.times > 0


REQUIRED: dict[str, tuple[str, ...]] = {
    "chat.postMessage": ("channel",),
    "chat.postEphemeral": ("channel", "user"),
    "chat.update": ("channel", "ts"),
    "chat.delete": ("channel", "ts"),
    "chat.startStream": ("channel", "thread_ts"),
    "chat.appendStream": ("channel", "ts"),
    "chat.stopStream": ("channel", "ts"),
    "assistant.threads.setStatus": ("channel_id", "thread_ts", "status"),
    "assistant.threads.setTitle": ("channel_id", "thread_ts", "title"),
    "assistant.threads.setSuggestedPrompts": ("channel_id", "prompts"),
    "views.publish": ("user_id", "view"),
    "views.open": ("trigger_id", "view"),
}
WRITES = (
    "chat.postMessage",
    "chat.update",
    "chat.startStream",
    "chat.appendStream",
    "chat.stopStream",
)


TASK_STATUSES = ("pending", "in_progress", "complete", "error")


def _chunk_error(chunk: Any) -> str:
    """Why Slack would refuse a stream chunk ("" when it is well formed)."""
    if not isinstance(chunk, dict):
        return "not an object"
    kind = chunk.get("type")
    if kind == "markdown_text":
        return "" if isinstance(chunk.get("text"), str) else "markdown_text needs text"
    if kind == "task_update":
        if not chunk.get("id") or not chunk.get("title"):
            return "task_update needs id and title"
        return "" if chunk.get("status") in TASK_STATUSES else "bad task status"
    if kind == "plan_update":
        return "" if chunk.get("title") else "plan_update needs a title"
    if kind == "blocks":
        return "" if isinstance(chunk.get("blocks"), list) else "blocks needs a list"
    return f"unknown chunk type {kind!r}"


def _block_error(block: Any) -> str:
    """Why Slack would refuse a context_actions block ("" otherwise; others pass)."""
    if not isinstance(block, dict) or block.get("type") != "context_actions":
        return ""
    elements = block.get("elements") or []
    if not 1 <= len(elements) <= 5:
        return "context_actions needs 1-5 elements"
    for element in elements:
        if element.get("type") != "feedback_buttons":
            continue
        for side in ("positive_button", "negative_button"):
            button = element.get(side) or {}
            text = button.get("text") or {}
            if text.get("type") != "plain_text" or not 0 < len(text.get("text") or "") <= 75:
                return f"{side} needs plain_text of 1-75 characters"
            if not button.get("value"):
                return f"{side} needs a value"
    return ""


def _apply_chunks(message: Message, chunks: list[dict[str, Any]]) -> None:
    """Stream chunks as Slack shows them: text appended, task lines updated by id."""
    for chunk in chunks:
        if chunk["type"] == "markdown_text":
            message.text += chunk["text"]
        elif chunk["type"] == "task_update":
            message.tasks[chunk["id"]] = {**message.tasks.get(chunk["id"], {}), **chunk}


class SlackDouble:
    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.messages: dict[tuple[str, str], Message] = {}
        self.responses: dict[str, list[dict[str, Any]]] = {}  # response_url id -> bodies
        self.faults: list[Fault] = []
        self.slow: dict[str, float] = {}  # method -> seconds its answer is held back
        self.acks: dict[str, dict[str, Any]] = {}  # envelope id -> ack
        self.uploads: dict[str, dict[str, Any]] = {}  # file id -> name, length, content
        self.home: dict[str, dict[str, Any]] = {}  # user -> their published Home view
        self.modals: list[dict[str, Any]] = []  # views opened, in order
        self.base_url = ""
        self._ts = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self._sockets: list[web.WebSocketResponse] = []
        self._socket_ready = asyncio.Event()
        self._ack_events: dict[str, asyncio.Event] = {}

    # -- lifecycle ---------------------------------------------------------------------

    async def start(self, port: int = 0) -> str:
        app = web.Application(client_max_size=10 * 1024**2)
        app.router.add_post("/api/{method}", self._api)
        app.router.add_get("/api/{method}", self._api)
        app.router.add_post("/response/{id}", self._response_url)
        app.router.add_post("/upload/{file_id}", self._upload)
        app.router.add_get("/socket", self._socket)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", port)
        await site.start()
        bound = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.base_url = f"http://127.0.0.1:{bound}"
        return self.base_url + "/api/"

    async def close(self) -> None:
        for ws in list(self._sockets):
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    # -- scripting and reading ---------------------------------------------------------

    def fail(
        self,
        method: str,
        error: str = "ratelimited",
        *,
        status: int = 200,
        retry_after: float | None = None,
        times: int = 1,
        seconds: float = 0.0,
    ) -> Fault:
        """Script failures; `status=429` with `retry_after` is Slack's rate limiting."""
        fault = Fault(
            method,
            error,
            status,
            retry_after,
            times,
            time.monotonic() + seconds if seconds else 0.0,
        )
        self.faults.append(fault)
        return fault

    def response_url(self) -> str:
        key = secrets.token_hex(6)
        self.responses[key] = []
        return f"{self.base_url}/response/{key}"

    def of(self, *methods: str) -> list[Call]:
        return [c for c in self.calls if c.method in methods and not c.error]

    def in_thread(self, channel: str, thread_ts: str) -> list[Message]:
        found = [
            m for m in self.messages.values() if m.channel == channel and m.thread_ts == thread_ts
        ]
        return sorted(found, key=lambda m: float(m.ts))

    def thread_text(self, channel: str, thread_ts: str) -> str:
        """The thread's answers (streamed ones with their end blocks; card posts left out)."""
        return "\n".join(
            m.text for m in self.in_thread(channel, thread_ts) if not m.blocks or m.streamed
        )

    # -- the Web API -------------------------------------------------------------------

    async def _args(self, request: web.Request) -> dict[str, Any]:
        args: dict[str, Any] = dict(request.query)
        if request.content_type == "application/json":
            body = await request.json()
            if isinstance(body, dict):
                args.update(body)
        elif request.can_read_body:
            args.update(dict(await request.post()))
        for name in ("blocks", "prompts", "view", "chunks"):
            if isinstance(args.get(name), str):
                with contextlib.suppress(ValueError):
                    args[name] = json.loads(args[name])
        return args

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args = await self._args(request)
        auth = request.headers.get("Authorization", "")
        token = auth.removeprefix("Bearer ").strip() or str(args.pop("token", ""))
        call = Call(method, {k: v for k, v in args.items() if k != "token"}, time.monotonic())
        self.calls.append(call)
        now = time.monotonic()
        for fault in self.faults:
            if fault.matches(method, now):
                fault.times -= 1
                call.status, call.error = fault.status, fault.error
                headers = {}
                if fault.retry_after is not None:
                    headers["Retry-After"] = str(
                        int(fault.retry_after) if fault.retry_after >= 1 else fault.retry_after
                    )
                return web.json_response(
                    {"ok": False, "error": fault.error}, status=fault.status, headers=headers
                )
        expected = APP_TOKEN if method == "apps.connections.open" else BOT_TOKEN
        if not token:
            return self._error(call, "not_authed")
        if token != expected:
            return self._error(call, "invalid_auth")
        missing = [name for name in REQUIRED.get(method, ()) if not args.get(name)]
        if missing:
            return self._error(call, "invalid_arguments", f"missing required field: {missing[0]}")
        handler = getattr(self, "_" + method.replace(".", "_"), None)
        if handler is None:
            return self._error(call, "unknown_method")
        result = handler(args)
        if method in self.slow:  # done, but the answer comes late (past a client's timeout)
            await asyncio.sleep(self.slow[method])
        if isinstance(result, str):
            return self._error(call, result)
        return web.json_response({"ok": True, **result})

    def _error(self, call: Call, error: str, detail: str = "") -> web.Response:
        call.error = error
        body: dict[str, Any] = {"ok": False, "error": error}
        if detail:
            body["response_metadata"] = {"messages": [f"[ERROR] {detail}"]}
        return web.json_response(body)

    def _new_ts(self) -> str:
        return f"{int(time.time())}.{next(self._ts):06d}"

    def _write(self, message: Message) -> None:
        message.history.append(message.text)
        message.writes.append(time.monotonic())

    def _auth_test(self, args: dict[str, Any]) -> dict[str, Any]:
        return {
            "url": "https://castmatch-test.slack.com/",
            "team": "Test Casting",
            "user": "castmatch",
            "team_id": TEAM,
            "user_id": BOT_USER,
            "bot_id": BOT_ID,
            "is_enterprise_install": False,
        }

    def _apps_connections_open(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"url": self.base_url.replace("http://", "ws://") + "/socket"}

    def _chat_postMessage(self, args: dict[str, Any]) -> dict[str, Any] | str:
        if not args.get("text") and not args.get("blocks"):
            return "no_text"
        message = Message(
            str(args["channel"]),
            self._new_ts(),
            str(args.get("text") or ""),
            str(args.get("thread_ts") or ""),
            list(args.get("blocks") or []),
        )
        self.messages[(message.channel, message.ts)] = message
        self._write(message)
        return {
            "channel": message.channel,
            "ts": message.ts,
            "message": {"text": message.text, "ts": message.ts},
        }

    def _chat_postEphemeral(self, args: dict[str, Any]) -> dict[str, Any] | str:
        if not args.get("text") and not args.get("blocks"):
            return "no_text"
        return {"message_ts": self._new_ts()}

    def _chat_update(self, args: dict[str, Any]) -> dict[str, Any] | str:
        message = self.messages.get((str(args["channel"]), str(args["ts"])))
        if message is None:
            return "message_not_found"
        if message.streaming:
            return "streaming_state_conflict"
        if not args.get("text") and not args.get("blocks"):
            return "no_text"
        if len(str(args.get("text") or "")) > EDIT_LIMIT:
            return "msg_too_long"
        if "text" in args:
            message.text = str(args["text"])
        if "blocks" in args:
            message.blocks = list(args.get("blocks") or [])
        self._write(message)
        return {"channel": message.channel, "ts": message.ts, "text": message.text}

    def _chat_startStream(self, args: dict[str, Any]) -> dict[str, Any] | str:
        channel = str(args["channel"])
        if not channel.startswith("D") and not (
            args.get("recipient_user_id") and args.get("recipient_team_id")
        ):
            return "missing_recipient_user_id"
        chunks = args.get("chunks") or []
        if not isinstance(chunks, list) or any(_chunk_error(c) for c in chunks):
            return "invalid_chunks"
        message = Message(
            channel,
            self._new_ts(),
            str(args.get("markdown_text") or ""),
            str(args["thread_ts"]),
            streaming=True,
            streamed=True,
        )
        _apply_chunks(message, chunks)
        self.messages[(channel, message.ts)] = message
        self._write(message)
        return {"channel": channel, "ts": message.ts}

    def _streaming(self, args: dict[str, Any]) -> Message | str:
        message = self.messages.get((str(args["channel"]), str(args["ts"])))
        if message is None:
            return "message_not_found"
        if not message.streaming:
            return "message_not_in_streaming_state"
        return message

    def _chat_appendStream(self, args: dict[str, Any]) -> dict[str, Any] | str:
        if not args.get("markdown_text") and not args.get("chunks"):
            return "invalid_arguments"
        if len(str(args.get("markdown_text") or "")) > 12000:
            return "msg_too_long"
        chunks = args.get("chunks") or []
        if not isinstance(chunks, list) or any(_chunk_error(c) for c in chunks):
            return "invalid_chunks"
        message = self._streaming(args)
        if isinstance(message, str):
            return message
        message.text += str(args.get("markdown_text") or "")
        _apply_chunks(message, chunks)
        self._write(message)
        return {"channel": message.channel, "ts": message.ts}

    def _chat_stopStream(self, args: dict[str, Any]) -> dict[str, Any] | str:
        message = self._streaming(args)
        if isinstance(message, str):
            return message
        if any(_block_error(b) for b in args.get("blocks") or []):
            return "invalid_blocks"
        chunks = args.get("chunks") or []
        if not isinstance(chunks, list) or any(_chunk_error(c) for c in chunks):
            return "invalid_chunks"
        message.text += str(args.get("markdown_text") or "")
        _apply_chunks(message, chunks)
        message.streaming = False
        if args.get("blocks"):
            message.blocks = list(args["blocks"])
        self._write(message)
        return {"channel": message.channel, "ts": message.ts, "message": {"text": message.text}}

    def _assistant_threads_setStatus(self, args: dict[str, Any]) -> dict[str, Any] | str:
        if len(args.get("loading_messages") or []) > 10:
            return "invalid_arguments"
        return {}

    def _assistant_threads_setTitle(self, args: dict[str, Any]) -> dict[str, Any]:
        return {}

    def _assistant_threads_setSuggestedPrompts(self, args: dict[str, Any]) -> dict[str, Any] | str:
        prompts = args.get("prompts")
        if not isinstance(prompts, list) or not prompts or len(prompts) > 4:
            return "invalid_arguments"
        if any(not p.get("title") or not p.get("message") for p in prompts):
            return "invalid_arguments"
        return {}

    # -- files (files_upload_v2: get a URL, POST the bytes there, complete) -----------

    def _files_getUploadURLExternal(self, args: dict[str, Any]) -> dict[str, Any] | str:
        if not args.get("filename") or not str(args.get("length") or "").isdigit():
            return "invalid_arguments"
        file_id = f"F{next(self._ts):08d}"
        self.uploads[file_id] = {"name": str(args["filename"]), "length": int(args["length"])}
        return {"upload_url": f"{self.base_url}/upload/{file_id}", "file_id": file_id}

    async def _upload(self, request: web.Request) -> web.Response:
        upload = self.uploads.get(request.match_info["file_id"])
        if upload is None:
            return web.Response(status=404)
        data = await request.read()
        if len(data) != upload["length"]:
            return web.Response(status=400, text="length mismatch")
        upload["content"] = data
        return web.Response(text=f"OK - {len(data)}")

    def _files_completeUploadExternal(self, args: dict[str, Any]) -> dict[str, Any] | str:
        try:
            files = json.loads(str(args.get("files") or ""))
        except ValueError:
            return "invalid_arguments"
        if not isinstance(files, list) or not files:
            return "invalid_arguments"
        shared = []
        for f in files:
            upload = self.uploads.get(str(f.get("id")))
            if upload is None or "content" not in upload:
                return "file_not_found"
            shared.append({"id": f["id"], "title": f.get("title") or upload["name"], **upload})
        if args.get("channel_id"):
            message = Message(
                str(args["channel_id"]),
                self._new_ts(),
                str(args.get("initial_comment") or ""),
                str(args.get("thread_ts") or ""),
                files=shared,
            )
            self.messages[(message.channel, message.ts)] = message
            self._write(message)
        return {"files": [{"id": f["id"], "title": f["title"]} for f in shared]}

    def _views_publish(self, args: dict[str, Any]) -> dict[str, Any] | str:
        view = args["view"]
        if not isinstance(view, dict) or view.get("type") != "home":
            return "invalid_arguments"
        if len(view.get("blocks") or []) > 100:
            return "invalid_arguments"
        self.home[str(args["user_id"])] = view
        return {"view": view}

    def _views_open(self, args: dict[str, Any]) -> dict[str, Any] | str:
        view = args["view"]
        if not isinstance(view, dict) or view.get("type") != "modal":
            return "invalid_arguments"
        if len((view.get("title") or {}).get("text") or "") > 24:
            return "invalid_arguments"
        self.modals.append(view)
        return {"view": view}

    # -- response_url --------------------------------------------------------------------

    async def _response_url(self, request: web.Request) -> web.Response:
        key = request.match_info["id"]
        if key not in self.responses:
            return web.Response(status=404, text="expired_url")
        if len(self.responses[key]) >= 5:
            return web.Response(status=404, text="used_url")
        self.responses[key].append(await request.json())
        return web.Response(text="ok")

    # -- Socket Mode -----------------------------------------------------------------------

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        self._sockets.append(ws)
        await ws.send_json(
            {
                "type": "hello",
                "num_connections": len(self._sockets),
                "connection_info": {"app_id": "A0CAST"},
            }
        )
        self._socket_ready.set()
        try:
            async for frame in ws:
                if frame.type != WSMsgType.TEXT:
                    continue
                ack = json.loads(frame.data)
                envelope = str(ack.get("envelope_id", ""))
                self.acks[envelope] = {**ack, "at": time.monotonic()}
                if envelope in self._ack_events:
                    self._ack_events[envelope].set()
        finally:
            self._sockets.remove(ws)
        return ws

    async def wait_socket(self, within: float = 10.0) -> None:
        await asyncio.wait_for(self._socket_ready.wait(), within)

    async def send_envelope(
        self, kind: str, payload: dict[str, Any], *, retry: int = 0, wait_ack: float = 5.0
    ) -> dict[str, Any]:
        """Push one Socket Mode envelope (events_api, slash_commands, interactive) and
        return the app's acknowledgement."""
        await self.wait_socket()
        envelope = secrets.token_hex(8)
        self._ack_events[envelope] = asyncio.Event()
        await self._sockets[-1].send_json(
            {
                "envelope_id": envelope,
                "type": kind,
                "payload": payload,
                "accepts_response_payload": kind != "events_api",
                "retry_attempt": retry,
                "retry_reason": "timeout" if retry else "",
            }
        )
        await asyncio.wait_for(self._ack_events[envelope].wait(), wait_ack)
        return self.acks[envelope]
