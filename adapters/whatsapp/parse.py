"""Twilio's WhatsApp inbound webhook form -> `InboundMessage` (pure; no I/O).

Twilio adds fields without notice, so only the fields we use are read and everything else is
ignored. Missing or malformed required fields raise `ParseError` with the field's name; a
well-formed request that is not a WhatsApp message for us gives `None`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import urlsplit

from bot.types import Attachment, ConversationKey, InboundMessage

MAX_MEDIA = 10  # WhatsApp carries at most 10 media items; never trust NumMedia beyond that
MAX_BODY_CHARS = 4096  # WhatsApp's own text limit; a longer Body is not from WhatsApp
MAX_SID_CHARS = 64

_SID = re.compile(r"^[A-Za-z]{2}[A-Za-z0-9]{8,62}$")
_WA_ID = re.compile(r"^[0-9]{5,20}$")
_ADDRESS = re.compile(r"^whatsapp:\+([0-9]{5,20})$")


class ParseError(ValueError):
    """The form is not a usable Twilio WhatsApp webhook; the message names the field."""


def _field(form: Mapping[str, str], name: str) -> str:
    value = form.get(name, "")
    if not isinstance(value, str):
        raise ParseError(f"{name}: expected text")
    return value.strip()


def _sid(form: Mapping[str, str], name: str, *, required: bool) -> str:
    value = _field(form, name)
    if not value:
        if required:
            raise ParseError(f"{name}: missing")
        return ""
    if not _SID.match(value):
        raise ParseError(f"{name}: not a Twilio SID")
    return value


def number_of(address: str) -> str:
    """`whatsapp:+919876543210` -> `+919876543210`; raises `ParseError` otherwise."""
    match = _ADDRESS.match(address.strip())
    if not match:
        raise ParseError("address: expected whatsapp:+<digits>")
    return "+" + match.group(1)


def sender_of(form: Mapping[str, str]) -> str:
    """Who sent a WhatsApp form: `+<WaId>` when Twilio gives it, else From's number."""
    wa_id = _field(form, "WaId")
    if wa_id:
        if not _WA_ID.match(wa_id):
            raise ParseError("WaId: expected digits")
        return "+" + wa_id
    return number_of(_field(form, "From"))


def _media(form: Mapping[str, str]) -> tuple[Attachment, ...]:
    raw = _field(form, "NumMedia") or "0"
    if not raw.isdigit():
        raise ParseError("NumMedia: expected a non-negative integer")
    count = min(int(raw[:4]), MAX_MEDIA)
    attachments = []
    for index in range(count):
        url = _field(form, f"MediaUrl{index}")
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ParseError(f"MediaUrl{index}: expected an http(s) URL")
        kind = _field(form, f"MediaContentType{index}")[:100]
        attachments.append(Attachment(url=url, content_type=kind, name=f"media{index}"))
    return tuple(attachments)


def parse(form: Mapping[str, str], *, account: str) -> InboundMessage | None:
    """Normalise one inbound webhook form.

    `account` is our Twilio account SID: a form signed for another account is refused. The
    person is keyed on `WaId` (as `+<digits>`, the E.164 form `castmatch forget` takes); the
    workspace is the business number the message was sent to.
    """
    form_account = _field(form, "AccountSid")
    if form_account and account and form_account != account:
        raise ParseError("AccountSid: not this account")
    sender = _field(form, "From")
    if not sender.startswith("whatsapp:"):
        if not sender:
            raise ParseError("From: missing")
        return None  # SMS or another channel on the same number: not ours to answer
    message_sid = _sid(form, "MessageSid", required=False) or _sid(
        form, "SmsMessageSid", required=True
    )
    user = sender_of(form)
    to = _field(form, "To")
    if not to:
        raise ParseError("To: missing")
    business = number_of(to)
    body = _field(form, "Body")
    if len(body) > MAX_BODY_CHARS:
        raise ParseError(f"Body: longer than {MAX_BODY_CHARS} characters")
    # A quick-reply button's payload is the machine-meaningful part; the text is its label.
    payload = _field(form, "ButtonPayload")[:MAX_BODY_CHARS]
    text = payload or body or _field(form, "ButtonText")[:MAX_BODY_CHARS]
    attachments = _media(form)
    if not text and not attachments:
        return None  # reactions, location-only and other events carry nothing to answer
    return InboundMessage(
        key=ConversationKey(channel="whatsapp", account=business, chat=user),
        user_id=user,
        text=text,
        message_id=message_sid,
        user_name=_field(form, "ProfileName")[:200],
        attachments=attachments,
        reply_to=_sid(form, "OriginalRepliedMessageSid", required=False),
    )
