"""Files shared in Slack (a shortlist's CSV), through slack_sdk's `files_upload_v2`
(files.getUploadURLExternal, the upload, files.completeUploadExternal; needs files:write)."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.mrkdwn import to_mrkdwn
from bot.commands.catalogue import ExportFile
from bot.types import ReplyResult

log = logging.getLogger(__name__)


def export_of(result: ReplyResult | None) -> ExportFile | None:
    """The file a reply carries, if any."""
    file = (result.extra if result is not None else {}).get("file")
    return file if isinstance(file, ExportFile) else None


async def share(
    client: AsyncWebClient, file: ExportFile, channel: str, thread_ts: str = ""
) -> bool:
    """Share the file where the person asked, with its summary as the comment; False when
    Slack refused (no files:write, not in the channel…), so the caller can fall back."""
    where: dict[str, Any] = {"thread_ts": thread_ts} if thread_ts else {}
    try:
        await client.files_upload_v2(
            channel=channel,
            content=file.content,
            filename=file.filename,
            title=file.title,
            initial_comment=to_mrkdwn(file.summary),
            **where,
        )
    except Exception as exc:
        log.warning("slack file share failed (%s); sending it as text", type(exc).__name__)
        return False
    return True
