"""Media people send (headshots, self-tapes): checked, downloaded through the channel's
`MediaSource` (with its credentials; the platform URL is never stored or shown), kept in
the media store (`talent.media_store`: the data folder, or S3 when configured), and
attached to a profile and perhaps an audition invitation."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select

from bot.ports import MediaTooLarge
from bot.types import Attachment, InboundMessage
from talent.auditions_models import Media
from talent.media_store import media_store

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)
TYPES = {  # what people send on WhatsApp for casting, and the file extension kept
    "image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp", "image/heic": ".heic",
    "video/mp4": ".mp4", "video/3gpp": ".3gp", "video/quicktime": ".mov",
    "audio/ogg": ".ogg", "audio/mpeg": ".mp3", "audio/mp4": ".m4a", "audio/amr": ".amr",
}  # fmt: skip
KINDS = ("headshot", "self_tape", "photo", "video", "voice")


class MediaError(ValueError):
    """The file can't be kept; the message is shown to the person as is."""


@dataclass(frozen=True)
class Stored:
    pk: int
    kind: str
    content_type: str
    size_bytes: int

    def describe(self) -> str:
        return f"{self.kind.replace('_', '-')} ({self.content_type}, {_size(self.size_bytes)})"


def _size(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB" if n >= 100_000 else f"{max(1, n // 1000)} KB"


def kind_for(requested: str, content_type: str) -> str:
    """A headshot must be an image and a self-tape a video; 'media' means by its type."""
    major = content_type.split("/")[0]
    if requested == "headshot" and major != "image":
        raise MediaError("a headshot has to be a photo (JPEG or PNG)")
    if requested == "self_tape" and major != "video":
        raise MediaError("a self-tape has to be a video (MP4)")
    if requested in KINDS:
        return requested
    return {"image": "photo", "video": "video", "audio": "voice"}[major]


async def store(
    services: Services,
    message: InboundMessage,
    attachment: Attachment,
    *,
    talent_id: str,
    kind: str,
    role_pk: int | None = None,
    invitation_pk: int | None = None,
) -> Stored:
    """Check, download and keep one attachment; raises `MediaError` with a clear reason."""
    limit = int(services.settings.media_max_mb * 1_000_000)
    declared = attachment.content_type.split(";")[0].strip().lower()
    if declared not in TYPES:
        raise MediaError(
            f"I can't keep {declared or 'that kind of file'}: send a photo (JPEG, PNG), "
            "a video (MP4) or a voice note"
        )
    kind = kind_for(kind, declared)
    source = services.media_sources.get(message.channel)
    if source is None:
        raise MediaError("I can't download files from this channel")
    try:
        fetched = await source.fetch(attachment.url, max_bytes=limit)
    except MediaTooLarge:
        raise MediaError(
            f"that file is over the {services.settings.media_max_mb:g} MB limit; "
            "send a shorter or smaller version"
        ) from None
    content_type = fetched.content_type if fetched.content_type in TYPES else declared
    digest = hashlib.sha256(fetched.data).hexdigest()
    workspace_dir = hashlib.sha256(message.workspace.encode()).hexdigest()[:16]
    key = f"{workspace_dir}/{_safe(talent_id)}/{digest[:24]}{TYPES[content_type]}"
    try:
        await media_store(services).put(key, fetched.data, content_type)
    except OSError as exc:  # S3 down or refusing, a full disk: nothing was kept
        log.warning("media store refused a file: %s", exc)
        raise MediaError("I couldn't save that file just now; send it again in a minute") from None
    async with services.sessions() as session, session.begin():
        row = Media(
            workspace=message.workspace, talent_id=talent_id, role_pk=role_pk,
            invitation_pk=invitation_pk, kind=kind, content_type=content_type,
            size_bytes=len(fetched.data), key=key, sha256=digest, created_by=message.person,
        )  # fmt: skip
        session.add(row)
        await session.flush()
        return Stored(row.pk, kind, content_type, len(fetched.data))


def _safe(talent_id: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in talent_id)[:100] or "_"


async def listing(services: Services, workspace: str, talent_id: str) -> list[Media]:
    async with services.sessions() as session:
        return list(
            await session.scalars(
                select(Media)
                .where(Media.workspace == workspace, Media.talent_id == talent_id)
                .order_by(Media.created_at.desc())
            )
        )


async def erase(services: Services, keys: list[str]) -> None:
    """Delete stored files (after their rows are gone)."""
    await media_store(services).delete(keys)
