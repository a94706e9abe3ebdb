"""Signed inbound webhook forms, built with Twilio's real signing algorithm."""

from __future__ import annotations

import secrets

from twilio.request_validator import RequestValidator

ACCOUNT = "AC" + "0" * 32
TOKEN = "test-auth-token"
BUSINESS = "whatsapp:+14155238886"


def sid(prefix: str = "SM") -> str:
    return prefix + secrets.token_hex(16)


def inbound(body: str = "hello", *, wa_id: str = "919876543210", **extra: str) -> dict[str, str]:
    """A WhatsApp inbound form as Twilio posts it."""
    message_sid = extra.pop("MessageSid", sid())
    form = {
        "SmsMessageSid": message_sid,
        "NumMedia": "0",
        "ProfileName": "Asha",
        "MessageType": "text",
        "SmsSid": message_sid,
        "WaId": wa_id,
        "SmsStatus": "received",
        "Body": body,
        "To": BUSINESS,
        "NumSegments": "1",
        "ReferralNumMedia": "0",
        "MessageSid": message_sid,
        "AccountSid": ACCOUNT,
        "From": f"whatsapp:+{wa_id}",
        "ApiVersion": "2010-04-01",
    }
    form.update(extra)
    return form


def signature(url: str, form: dict[str, str], token: str = TOKEN) -> str:
    return RequestValidator(token).compute_signature(url, form)
