"""Twilio webhook signatures, checked with the `twilio` package's own `RequestValidator`.

Twilio signs the exact URL it called. Behind a TLS-terminating proxy the app sees another
scheme/host, so when `CASTMATCH_PUBLIC_URL` is set we validate against it + path + query.
"""

from __future__ import annotations

from collections.abc import Mapping

from twilio.request_validator import (
    SIGNATURE_HEADER,
    SIGNATURE_SETTINGS_HEADER,
    RequestValidator,
    get_signature_algorithm,
)
from yarl import URL

__all__ = ["SIGNATURE_HEADER", "Verifier", "signed_url"]


def signed_url(request_url: URL, public_url: str) -> str:
    """The URL Twilio signed: the public base + the request's path and query, when configured."""
    if not public_url:
        return str(request_url)
    return public_url.rstrip("/") + request_url.raw_path_qs


class Verifier:
    """Checks `X-Twilio-Signature` for one auth token (HMAC-SHA1, or SHA-256 when announced)."""

    def __init__(self, auth_token: str, public_url: str = "") -> None:
        self._validator = RequestValidator(auth_token)
        self._public_url = public_url

    def valid(self, request_url: URL, params: object, headers: Mapping[str, str]) -> bool:
        signature = headers.get(SIGNATURE_HEADER, "")
        if not signature:
            return False
        algorithm = get_signature_algorithm(headers.get(SIGNATURE_SETTINGS_HEADER, ""))
        url = signed_url(request_url, self._public_url)
        return bool(self._validator.validate(url, params, signature, algorithm))

    def sign(self, url: str, params: object) -> str:
        """The signature Twilio would send for `url` and `params` (for status-callback tests)."""
        return self._validator.compute_signature(url, params)
