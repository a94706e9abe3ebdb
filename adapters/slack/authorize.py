"""Who the bot is, asked of Slack once per process and kept.

Bolt's default single-team authorization calls `auth.test` on the first request and drops
that request if the call fails; a 429 at start-up would lose events already acknowledged.
Here the answer is cached and a rate-limited or failing `auth.test` is retried, honouring
Retry-After, before the event is handled.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from slack_bolt.authorization import AuthorizeResult
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

log = logging.getLogger(__name__)

ATTEMPTS = 6


class CachedAuthorize:
    def __init__(self, client: AsyncWebClient, token: str) -> None:
        self._client = client
        self._token = token
        self._result: AuthorizeResult | None = None
        self._lock = asyncio.Lock()

    async def result(self) -> AuthorizeResult:
        if self._result is not None:
            return self._result
        async with self._lock:  # one auth.test for a burst of first events
            if self._result is None:
                self._result = await self._ask()
        return self._result

    async def _ask(self) -> AuthorizeResult:
        for attempt in range(ATTEMPTS):
            try:
                response = await self._client.auth_test(token=self._token)
                return AuthorizeResult.from_auth_test_response(
                    bot_token=self._token, auth_test_response=response
                )
            except SlackApiError as exc:
                if exc.response.status_code != 429 and exc.response.status_code < 500:
                    raise  # a bad token: retrying won't help
                if attempt == ATTEMPTS - 1:
                    raise
                wait = float(exc.response.headers.get("Retry-After", 2**attempt))
                log.warning(
                    "auth.test failed (%s); retrying in %.0f s", exc.response.status_code, wait
                )
                await asyncio.sleep(min(wait, 30.0))
        raise RuntimeError("unreachable")

    def as_bolt_authorize(self) -> Callable[[], Awaitable[AuthorizeResult]]:
        """A plain function: Bolt passes arguments by the names a callable declares."""

        async def authorize() -> AuthorizeResult:
            return await self.result()

        return authorize
