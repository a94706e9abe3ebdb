"""Downloading what a person sent on WhatsApp (a `MediaSource`).

Twilio's media URLs need the account's credentials and answer with a redirect to a CDN:
the credentials go only to Twilio's own hosts (or `TWILIO_API_URL`, which stands in for
them), never to wherever a redirect points. Reading stops at the size limit.
"""

from __future__ import annotations

import aiohttp
from yarl import URL

from bot.ports import FetchedMedia, MediaTooLarge
from bot.settings import Settings

MAX_REDIRECTS = 3
CHUNK = 64 * 1024


def is_twilio(url: str) -> bool:
    host = URL(url).host or ""
    return URL(url).scheme == "https" and (host == "twilio.com" or host.endswith(".twilio.com"))


class TwilioMedia:
    def __init__(self, settings: Settings) -> None:
        self._auth = aiohttp.BasicAuth(settings.twilio_account_sid, settings.twilio_auth_token)
        self._api_url = settings.twilio_api_url
        self._session: aiohttp.ClientSession | None = None

    def _rewrite(self, url: str) -> str:
        if not self._api_url:
            return url
        base = URL(self._api_url.rstrip("/"))
        target = URL(url)
        path = base.path.rstrip("/") + target.raw_path
        return str(base.with_path(path, encoded=True).with_query(target.raw_query_string))

    async def fetch(self, url: str, *, max_bytes: int) -> FetchedMedia:
        if not is_twilio(url):
            raise ValueError("not a Twilio media URL")
        if self._session is None:
            timeout = aiohttp.ClientTimeout(total=120, sock_connect=10, sock_read=30)
            self._session = aiohttp.ClientSession(timeout=timeout)
        target, auth = self._rewrite(url), self._auth
        for _ in range(MAX_REDIRECTS + 1):
            async with self._session.get(target, auth=auth, allow_redirects=False) as response:
                if response.status in (301, 302, 303, 307, 308):
                    location = URL(response.headers.get("Location", ""))
                    target = str(URL(target).join(location))
                    auth = None  # a CDN gets no credentials
                    continue
                response.raise_for_status()
                declared = response.content_length
                if declared is not None and declared > max_bytes:
                    raise MediaTooLarge(f"{declared} bytes")
                data = bytearray()
                async for chunk in response.content.iter_chunked(CHUNK):
                    data += chunk
                    if len(data) > max_bytes:
                        raise MediaTooLarge(f"over {max_bytes} bytes")
                kind = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
                return FetchedMedia(bytes(data), kind)
        raise ValueError("too many redirects")

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None
