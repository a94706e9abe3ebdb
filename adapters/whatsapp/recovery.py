"""WhatsApp's part of crash recovery and metrics: a reply a dead process left unfinished gets
the interruption note as a message (sent messages can't be edited), and the channel's queue
of turns is reported on /metrics."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from adapters.whatsapp.channel import WhatsAppChannel
    from bot.services import Services
    from memory.episodic import UnfinishedReply

log = logging.getLogger(__name__)


def chat_of(conversation_id: str) -> tuple[str, str]:
    """(workspace, person) of a WhatsApp conversation id `whatsapp:<business>:<person>:`.
    The business number may itself hold a colon (`whatsapp:+1…`), so split from the right."""
    head, person, _thread = conversation_id.rsplit(":", 2)
    return head.split(":", 1)[1], person


async def close_reply(channel: WhatsAppChannel, row: UnfinishedReply, text: str) -> None:
    """Send the note that ends `text`: what the person already got stays as it was."""
    workspace, person = chat_of(row.conversation_id)
    note = text[len(row.text) :].strip() if row.text and text.startswith(row.text) else text
    if not await channel.deliver(workspace, person, note.strip()):
        log.warning("the interruption note could not be sent on whatsapp")


def register(services: Services, channel: WhatsAppChannel) -> None:
    """Hook the channel into `bot.recovery` and the /metrics queue depths."""
    services.reply_closers["whatsapp"] = lambda row, text: close_reply(channel, row, text)
    # turns queued or running, per chat (the channel bounds how many run at once)
    services.queue_depths["whatsapp_turns"] = lambda: sum(channel._waiting.values())
