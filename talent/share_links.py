"""Signed, expiring links to one role's shortlist (`/s/<token>` on `castmatch serve`).

A token is a link's random id signed with the deployment's key (itsdangerous): a token
whose signature does not match was tampered with (404); a genuine one whose link expired
or was revoked is gone (410). Links are scoped to one role of one workspace.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from itsdangerous import BadSignature, Signer
from sqlalchemy import select, update

from bot.db import utcnow
from talent.models import Role
from talent.share_models import ShareKey, ShareLink

if TYPE_CHECKING:
    from bot.services import Services

DEFAULT_EXPIRY = timedelta(days=7)
MAX_EXPIRY = timedelta(days=365)
_SALT = "castmatch.shortlist-link"
_DURATION = re.compile(r"^\s*(\d+)\s*([mhdw])\s*$", re.IGNORECASE)
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


class LinkError(ValueError):
    """A duration or link that can't be used; the message says why."""


class Tampered(LookupError):
    """Not a token this deployment signed (404)."""


class Gone(LookupError):
    """A genuine link that expired or was revoked (410)."""


@dataclass(frozen=True)
class Opened:
    link: ShareLink
    role: Role


def parse_duration(text: str) -> timedelta:
    """`7d`, `12h`, `30m`, `2w`, between one minute and a year."""
    match = _DURATION.match(text or "")
    if not match:
        raise LinkError(f"expiry must look like 7d, 12h or 30m; got {text!r}")
    span = timedelta(**{_UNITS[match.group(2).lower()]: int(match.group(1))})
    if not timedelta(minutes=1) <= span <= MAX_EXPIRY:
        raise LinkError("expiry must be between 1 minute and 365 days")
    return span


def base_url(services: Services) -> str:
    return services.settings.public_url or f"http://localhost:{services.settings.port}"


async def _signer(services: Services) -> Signer:
    async with services.sessions() as session:
        secret = await session.scalar(select(ShareKey.secret).where(ShareKey.pk == 1))
    if not secret:
        raise RuntimeError("the shared-link signing key is missing; run the migrations")
    return Signer(secret, salt=_SALT)


async def share(
    services: Services,
    role: Role,
    *,
    expires_in: timedelta = DEFAULT_EXPIRY,
    actor: str = "",
    conversation_id: str = "",
) -> tuple[str, datetime]:
    """A new link to `role`'s shortlist: (URL, when it expires)."""
    now = utcnow()
    link = ShareLink(
        link_id=secrets.token_hex(16),
        workspace=role.workspace,
        role_pk=role.pk,
        conversation_id=conversation_id,
        created_by=actor,
        created_at=now,
        expires_at=now + expires_in,
    )
    async with services.sessions() as session, session.begin():
        session.add(link)
    token = (await _signer(services)).sign(link.link_id).decode()
    return f"{base_url(services)}/s/{token}", link.expires_at


async def unshare(services: Services, role: Role) -> int:
    """Revoke every open link to `role`'s shortlist; how many were open."""
    now = utcnow()
    async with services.sessions() as session, session.begin():
        result = await session.execute(
            update(ShareLink)
            .where(ShareLink.role_pk == role.pk, ShareLink.revoked_at.is_(None))
            .where(ShareLink.expires_at > now)
            .values(revoked_at=now)
        )
    return int(result.rowcount or 0)


async def open_link(services: Services, token: str) -> Opened:
    """The link and its role, or Tampered / Gone."""
    try:
        link_id = (await _signer(services)).unsign(token.encode()).decode()
    except (BadSignature, UnicodeError, ValueError):
        raise Tampered() from None
    async with services.sessions() as session:
        link = await session.scalar(select(ShareLink).where(ShareLink.link_id == link_id))
        role = await session.get(Role, link.role_pk) if link is not None else None
    if link is None or role is None:
        raise Gone()  # signed by us, but the role (or the link) was deleted since
    if link.revoked_at is not None or link.expires_at <= utcnow():
        raise Gone()
    return Opened(link, role)
