"""Sending through the official `twilio` client: pacing, retries and Twilio's error codes.

The SDK's hosts are fixed (api.twilio.com, messaging.twilio.com); `TWILIO_API_URL` replaces
both through an HTTP client that rewrites the base URL. `AsyncTwilioHttpClient` opens an
aiohttp session in its constructor, so the client is built lazily inside the running loop.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Sequence
from typing import Any

import aiohttp
from twilio.base.exceptions import TwilioRestException
from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.http.response import Response
from twilio.rest import Client
from yarl import URL

from bot.metrics import platform_trace

log = logging.getLogger(__name__)

WINDOW_CLOSED = 63016  # outside the 24-hour customer-care window: a template is needed
RATE_LIMITED = 63018  # the sender's rate or tier limit
BAD_RECIPIENT = (21211, 63003)  # not a valid (WhatsApp) number
RETRY_STATUS = (429, 500, 502, 503, 504)


class SendError(Exception):
    """A message could not be sent; `code` is Twilio's error code when it gave one."""

    def __init__(self, message: str, *, status: int = 0, code: int | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code


class BadRecipient(SendError):
    """The number can't receive WhatsApp messages: stop sending to it."""


class WindowClosed(SendError):
    """The 24-hour window is closed: only an approved template may be sent."""


class RewritingHttpClient(AsyncTwilioHttpClient):
    """Sends every request for a *.twilio.com host to one base URL (a proxy or a test double)."""

    def __init__(self, base_url: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._base = URL(base_url.rstrip("/")) if base_url else None

    async def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Response:
        return await super().request(method, self.rewrite(url), *args, **kwargs)

    def rewrite(self, url: str) -> str:
        target = URL(url)
        host = target.host or ""
        if self._base is None or not (host == "twilio.com" or host.endswith(".twilio.com")):
            return url
        path = self._base.path.rstrip("/") + target.raw_path
        return str(self._base.with_path(path, encoded=True).with_query(target.raw_query_string))


class Pacer:
    """Spaces sends to stay under a messages-per-second budget; a back-off delays everyone."""

    def __init__(self, per_second: float) -> None:
        self._interval = 1.0 / per_second if per_second > 0 else 0.0
        self._next = 0.0

    async def wait(self) -> None:
        now = time.monotonic()
        slot = max(now, self._next)
        self._next = slot + self._interval
        if slot > now:
            await asyncio.sleep(slot - now)

    def back_off(self, seconds: float) -> None:
        self._next = max(self._next, time.monotonic() + seconds)


class TwilioSender:
    """Messages and typing indicators for one Twilio account."""

    def __init__(
        self,
        account_sid: str,
        auth_token: str,
        sender: str,
        *,
        api_url: str = "",
        per_second: float = 60.0,
        attempts: int = 4,
        backoff_s: float = 0.5,
        timeout_s: float = 10.0,
    ) -> None:
        self._account_sid = account_sid
        self._auth_token = auth_token
        self.sender = sender
        self._api_url = api_url
        self._attempts = attempts
        self._backoff_s = backoff_s
        self._timeout_s = timeout_s
        self.pacer = Pacer(per_second)
        self._client: Client | None = None
        self._http: RewritingHttpClient | None = None

    def client(self) -> Client:
        if self._client is None:
            asyncio.get_running_loop()  # the aiohttp session must belong to the serving loop
            self._http = RewritingHttpClient(
                self._api_url, timeout=self._timeout_s, trace_configs=[platform_trace("twilio")]
            )  # the trace counts writes and 429s for /metrics
            self._client = Client(
                self._account_sid, self._auth_token, http_client=self._http, environment={}
            )
        return self._client

    async def close(self) -> None:
        if self._http is not None:
            await self._http.close()
        self._client = self._http = None

    async def typing(self, message_sid: str) -> None:
        """Show "typing…" (and mark the message read); best effort, never raises."""
        try:
            await self.client().messaging.v2.typing_indicator.create_async(
                channel="whatsapp", message_id=message_sid
            )
        except (TwilioRestException, aiohttp.ClientError, TimeoutError) as exc:
            log.info("typing indicator not shown: %s", _describe(exc))

    async def send(
        self,
        to: str,
        *,
        body: str = "",
        media_url: Sequence[str] = (),
        content_sid: str = "",
        content_variables: str = "",
        status_callback: str = "",
    ) -> tuple[str, str]:
        """Send one message to `to` (`+<digits>`); returns (message SID, status).

        Retries 429/5xx/63018 with back-off; raises `BadRecipient`, `WindowClosed` or
        `SendError` otherwise.
        """
        kwargs: dict[str, Any] = {"to": f"whatsapp:{to}", "from_": self.sender}
        if content_sid:
            kwargs["content_sid"] = content_sid
            if content_variables:
                kwargs["content_variables"] = content_variables
        else:
            kwargs["body"] = body
        if media_url:
            kwargs["media_url"] = list(media_url)
        if status_callback:
            kwargs["status_callback"] = status_callback
        for attempt in range(1, self._attempts + 1):
            await self.pacer.wait()
            try:
                message = await self.client().messages.create_async(**kwargs)
                return str(message.sid), str(message.status or "queued")
            except TwilioRestException as exc:
                code = _code(exc)
                if code in BAD_RECIPIENT:
                    raise BadRecipient(_describe(exc), status=exc.status, code=code) from None
                if code == WINDOW_CLOSED:
                    raise WindowClosed(_describe(exc), status=exc.status, code=code) from None
                retry = exc.status in RETRY_STATUS or code == RATE_LIMITED
                if not retry or attempt == self._attempts:
                    raise SendError(_describe(exc), status=exc.status, code=code) from None
                delay = self._delay(attempt, slow=code == RATE_LIMITED)
                self.pacer.back_off(delay)  # the whole sender slows down, not just this message
                log.warning("twilio %s; retrying in %.2fs", _describe(exc), delay)
            except aiohttp.ClientConnectionError as exc:
                if attempt == self._attempts:
                    raise SendError(f"twilio unreachable: {exc.__class__.__name__}") from None
                await asyncio.sleep(self._delay(attempt))
        raise AssertionError("unreachable")

    def _delay(self, attempt: int, *, slow: bool = False) -> float:
        base = self._backoff_s * (4 if slow else 1)
        return base * 2 ** (attempt - 1) * (0.8 + 0.4 * random.random())


def _code(exc: TwilioRestException) -> int | None:
    try:
        return int(exc.code) if exc.code is not None else None
    except (TypeError, ValueError):
        return None


def _describe(exc: BaseException) -> str:
    # Twilio's messages can quote the number; keep to status and code.
    if isinstance(exc, TwilioRestException):
        return f"HTTP {exc.status} code {exc.code}"
    return exc.__class__.__name__
