"""The ids people type for workspaces, channels and members, checked at the edge.

A channel account is `slack:T…` (a Slack team) or `whatsapp:+<E.164>` (a business number);
a member is `slack:U…` or `whatsapp:+<E.164>`. Anything else named as a workspace is a
terminal workspace name, which may not borrow the channels' prefixes.
"""

from __future__ import annotations

import re

PREFIXES = ("slack:", "whatsapp:")
MAX_NAME = 100

_E164 = r"\+[1-9][0-9]{6,14}"
_ACCOUNT = re.compile(rf"^(?:slack:[TE][A-Z0-9]{{2,30}}|whatsapp:{_E164})$")
_MEMBER = re.compile(rf"^(?:slack:[UW][A-Z0-9]{{2,30}}|whatsapp:{_E164})$")
_NAME = re.compile(r"^[^\s:][^\x00-\x1f]*$")


class IdError(ValueError):
    """A malformed id; the message says which and why, in one line."""


def account(value: str) -> str:
    """A channel account id (`slack:T…`, `whatsapp:+…`), as given."""
    value = value.strip()
    if not _ACCOUNT.match(value):
        raise IdError(
            f"{value!r} is not a channel account: expected slack:T… (a Slack team id) "
            "or whatsapp:+<number in E.164, e.g. +14155238886>"
        )
    return value


def member(value: str) -> str:
    """A member id (`slack:U…`, `whatsapp:+…`), as given."""
    value = value.strip()
    if not _MEMBER.match(value):
        raise IdError(
            f"{value!r} is not a member id: expected whatsapp:+<number in E.164, "
            "e.g. +919876543210> or slack:U… (a Slack user id)"
        )
    return value


def is_account(value: str) -> bool:
    return bool(_ACCOUNT.match(value.strip()))


def terminal_name(value: str) -> str:
    """A workspace name for the terminal or a new company: not a channel's prefixed id."""
    value = value.strip()
    if value.lower().startswith(PREFIXES):
        raise IdError(
            f"{value!r}: a workspace name may not start with slack: or whatsapp: "
            "(those name a Slack team's or a WhatsApp number's own workspace)"
        )
    if not value or len(value) > MAX_NAME or not _NAME.match(value):
        raise IdError(
            f"{value!r} is not a workspace name: 1-{MAX_NAME} characters, no control "
            "characters, not starting with a space or a colon"
        )
    return value


def workspace(value: str) -> str:
    """A workspace as named on the command line: a channel account (its workspace) or a
    company name."""
    value = value.strip()
    return account(value) if value.lower().startswith(PREFIXES) else terminal_name(value)
