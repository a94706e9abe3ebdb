"""A test double of Twilio's REST API that speaks the real wire format.

Serves `POST /2010-04-01/Accounts/{AccountSid}/Messages.json` (form-encoded, HTTP Basic
auth with the account SID and auth token) answering a JSON Message resource, and
`POST /v2/Indicators/Typing.json` (the WhatsApp typing indicator), so the official `twilio`
SDK is what the code under test talks to. Message creates take the next scripted behaviour
(`Fail` answers an error such as 429 or 400 code 21211; `Callback` accepts the message and
then fires a signed status callback such as `failed` with 63016). `fire_status` and `sign`
sign requests the way Twilio does, for any URL.
"""

from __future__ import annotations

import asyncio
import base64
import secrets
import time
from collections import deque
from dataclasses import dataclass, field
from email.utils import formatdate
from typing import Any

import aiohttp
from aiohttp import web
from multidict import MultiDict
from twilio.request_validator import RequestValidator


@dataclass
class Fail:
    """Answer the next message create with an HTTP error (Twilio's JSON error body)."""

    status: int
    code: int | None = None
    message: str = "scripted failure"


@dataclass
class Callback:
    """Accept the next message, then POST a signed status callback to its StatusCallback."""

    status: str
    error_code: int | None = None
    delay: float = 0.0


Behaviour = Fail | Callback


@dataclass
class TwilioDouble:
    account_sid: str = "AC" + "0" * 32
    auth_token: str = "test-auth-token"
    latency: float = 0.0  # seconds each API request takes
    script: deque[Behaviour] = field(default_factory=deque)
    messages: list[dict[str, Any]] = field(default_factory=list)  # accepted message creates
    attempts: list[dict[str, Any]] = field(default_factory=list)  # every message create
    typing: list[dict[str, Any]] = field(default_factory=list)
    events: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # both, in order
    callbacks: list[tuple[str, int]] = field(default_factory=list)  # (status, HTTP answer)
    url: str = ""
    media: dict[str, tuple[bytes, str]] = field(default_factory=dict)  # media SID -> file
    media_requests: list[tuple[str, bool]] = field(default_factory=list)  # (path, had auth)
    _runner: web.AppRunner | None = None
    _tasks: set[asyncio.Task[Any]] = field(default_factory=set)
    _arrived: asyncio.Condition | None = None

    def push(self, *behaviours: Behaviour) -> None:
        self.script.extend(behaviours)

    async def start(self) -> str:
        app = web.Application()
        app.router.add_post("/2010-04-01/Accounts/{account}/Messages.json", self._create)
        app.router.add_post("/v2/Indicators/Typing.json", self._typing)
        app.router.add_get(
            "/2010-04-01/Accounts/{account}/Messages/{message}/Media/{media}", self._media
        )
        app.router.add_get("/cdn/{media}", self._cdn)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"
        self._arrived = asyncio.Condition()
        return self.url

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        if self._runner is not None:
            await self._runner.cleanup()

    # --- helpers for tests ---------------------------------------------------------------

    def sign(self, url: str, params: Any) -> str:
        return RequestValidator(self.auth_token).compute_signature(url, params)

    def bodies(self, to: str = "") -> list[str]:
        return [m["Body"] for m in self.messages if not to or m["To"] == f"whatsapp:{to}"]

    async def wait_for(self, predicate: Any, within: float = 10.0) -> None:
        """Wait until `predicate(self)` holds (checked on every request that arrives)."""
        assert self._arrived is not None
        async with self._arrived:
            await asyncio.wait_for(self._arrived.wait_for(lambda: predicate(self)), within)

    async def fire_status(
        self, url: str, sid: str, status: str, error_code: int | None = None, *, post_to: str = ""
    ) -> int:
        """POST a status callback signed for `url` (to `post_to` when a proxy sits between)."""
        form = {
            "AccountSid": self.account_sid,
            "MessageSid": sid,
            "SmsSid": sid,
            "MessageStatus": status,
            "SmsStatus": status,
            "ChannelPrefix": "whatsapp",
            "ApiVersion": "2010-04-01",
        }
        if error_code is not None:
            form["ErrorCode"] = str(error_code)
        headers = {"X-Twilio-Signature": self.sign(url, form)}
        async with (
            aiohttp.ClientSession() as session,
            session.post(post_to or url, data=form, headers=headers) as response,
        ):
            self.callbacks.append((status, response.status))
            await self._notify()
            return response.status

    def add_media(self, data: bytes, content_type: str) -> str:
        """A file a person sent; returns its MediaUrl as Twilio gives it in the webhook."""
        sid = "ME" + secrets.token_hex(16)
        self.media[sid] = (data, content_type)
        message = "MM" + secrets.token_hex(16)
        return (
            f"https://api.twilio.com/2010-04-01/Accounts/{self.account_sid}"
            f"/Messages/{message}/Media/{sid}"
        )

    # --- the API -------------------------------------------------------------------------

    async def _media(self, request: web.Request) -> web.StreamResponse:
        """Media need the account's credentials, then redirect to a CDN (as Twilio does)."""
        self.media_requests.append((request.path, "Authorization" in request.headers))
        if not self._authorised(request):
            return _error(401, 20003, "Authenticate")
        if request.match_info["media"] not in self.media:
            return _error(404, 20404, "The requested resource was not found")
        raise web.HTTPTemporaryRedirect(f"{self.url}/cdn/{request.match_info['media']}")

    async def _cdn(self, request: web.Request) -> web.Response:
        self.media_requests.append((request.path, "Authorization" in request.headers))
        data, kind = self.media[request.match_info["media"]]
        return web.Response(body=data, content_type=kind)

    def _authorised(self, request: web.Request) -> bool:
        expected = f"{self.account_sid}:{self.auth_token}".encode()
        header = request.headers.get("Authorization", "")
        return header == "Basic " + base64.b64encode(expected).decode()

    async def _notify(self) -> None:
        if self._arrived is not None:
            async with self._arrived:
                self._arrived.notify_all()

    async def _create(self, request: web.Request) -> web.Response:
        if not self._authorised(request) or request.match_info["account"] != self.account_sid:
            return _error(401, 20003, "Authenticate")
        form = MultiDict(await request.post())
        record = {key: form.get(key, "") for key in form}
        record["MediaUrl"] = form.getall("MediaUrl", [])
        record["at"] = time.perf_counter()
        self.attempts.append(record)
        if self.latency:
            await asyncio.sleep(self.latency)
        try:
            behaviour = self.script.popleft() if self.script else None
            if isinstance(behaviour, Fail):
                return _error(behaviour.status, behaviour.code, behaviour.message)
            if not form.get("To") or not form.get("From"):
                return _error(400, 21604, "A 'To' and a 'From' phone number are required.")
            if not (form.get("Body") or form.get("ContentSid") or record["MediaUrl"]):
                return _error(400, 21619, "A text message body or media URL must be specified.")
            if len(form.get("Body", "")) > 1600:
                return _error(400, 21617, "The concatenated message body exceeds 1600 chars.")
            sid = "SM" + secrets.token_hex(16)
            record["sid"] = sid
            self.messages.append(record)
            self.events.append(("message", record))
            callback = form.get("StatusCallback", "")
            if isinstance(behaviour, Callback) and callback:
                task = asyncio.create_task(self._later(callback, sid, behaviour))
                self._tasks.add(task)
                task.add_done_callback(self._tasks.discard)
            return web.json_response(self._resource(sid, form), status=201)
        finally:
            await self._notify()

    async def _later(self, url: str, sid: str, behaviour: Callback) -> None:
        await asyncio.sleep(behaviour.delay)
        await self.fire_status(url, sid, behaviour.status, behaviour.error_code)

    def _resource(self, sid: str, form: MultiDict[str]) -> dict[str, Any]:
        now = formatdate(usegmt=True)
        uri = f"/2010-04-01/Accounts/{self.account_sid}/Messages/{sid}.json"
        return {
            "account_sid": self.account_sid,
            "api_version": "2010-04-01",
            "body": form.get("Body", ""),
            "date_created": now,
            "date_sent": None,
            "date_updated": now,
            "direction": "outbound-api",
            "error_code": None,
            "error_message": None,
            "from": form.get("From"),
            "messaging_service_sid": None,
            "num_media": str(len(form.getall("MediaUrl", []))),
            "num_segments": "1",
            "price": None,
            "price_unit": None,
            "sid": sid,
            "status": "queued",
            "subresource_uris": {"media": uri.replace(".json", "/Media.json")},
            "to": form.get("To"),
            "uri": uri,
        }

    async def _typing(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return _error(401, 20003, "Authenticate")
        form = await request.post()
        if form.get("channel") != "whatsapp" or not form.get("messageId"):
            return _error(400, 21211, "Invalid messageId")
        record = {"channel": form["channel"], "messageId": form["messageId"]}
        record["at"] = time.perf_counter()
        self.typing.append(record)
        self.events.append(("typing", record))
        await self._notify()
        return web.json_response({"success": True})


def _error(status: int, code: int | None, message: str) -> web.Response:
    body = {
        "code": code,
        "message": message,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status,
    }
    return web.json_response(body, status=status)
