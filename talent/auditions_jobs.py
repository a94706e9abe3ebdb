"""The jobs that message people about auditions: the invitation, then reminders before the
slot or the self-tape deadline. Each job reads the invitation again when it runs, so a
reminder for a self-tape already sent (or an invitation declined) sends nothing."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select

from bot.jobs import attach
from talent.auditions import (
    REMIND,
    SEND,
    AuditionError,
    details,
    invitation_text,
    reminder_text,
    reminder_times,
    set_status,
    zone,
)
from talent.auditions_models import Contact
from talent.models import SHARED, Talent

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)
WINDOW = timedelta(hours=24)  # WhatsApp's customer-care window
NO_WHATSAPP = "WhatsApp is not configured on the server (TWILIO_* settings)"
OUTCOMES = {
    "opted_out": "they sent STOP to this number",
    "bad_number": "the number can't receive WhatsApp messages",
    "window_closed": "outside WhatsApp's 24-hour window and TWILIO_TEMPLATE_SID is unset",
}


async def _window_open(services: Services, workspace: str, phone: str) -> bool:
    async with services.sessions() as session:
        last = await session.scalar(
            select(Contact.last_inbound_at)
            .where(Contact.workspace == workspace, Contact.phone == phone)
            .order_by(Contact.last_inbound_at.desc().nulls_last())
            .limit(1)
        )
    return last is not None and datetime.now(UTC) - last < WINDOW


async def send_invitation(services: Services, *, invitation: int) -> None:
    try:
        inv, role, project, slot = await details(services, invitation)
    except AuditionError:
        return  # deleted with its role
    if inv.status != "queued":
        return  # sent already (a retry after the send), or cancelled
    messenger = services.messengers.get("whatsapp")
    if messenger is None:
        await set_status(services, inv.pk, "failed", NO_WHATSAPP)
        return
    async with services.sessions() as session:
        name = await session.scalar(
            select(Talent.name).where(
                Talent.id == inv.talent_id, Talent.workspace.in_((SHARED, inv.workspace))
            )
        )
    text = invitation_text(inv, role, project, slot, zone(services), name or "")
    window = await _window_open(services, inv.workspace, inv.phone)
    sent = await messenger.send(inv.phone, text, window_open=window)  # raises -> retried
    if not sent.delivered:
        await set_status(services, inv.pk, "failed", OUTCOMES.get(sent.outcome, sent.outcome))
        return
    await set_status(services, inv.pk, "sent", "", message_sid=sent.sid)
    queue = attach(services)
    for number, at in enumerate(reminder_times(inv, slot), start=1):
        await queue.defer(
            REMIND, at=at, queueing_lock=f"audition-remind:{inv.pk}:{number}",
            invitation=inv.pk, number=number,
        )  # fmt: skip


async def remind(services: Services, *, invitation: int, number: int) -> None:
    try:
        inv, role, project, slot = await details(services, invitation)
    except AuditionError:
        return
    if inv.status not in ("sent", "confirmed") or inv.reminders_sent >= number:
        return  # answered, submitted, declined, cancelled; or this reminder went already
    messenger = services.messengers.get("whatsapp")
    if messenger is None:
        return
    text = reminder_text(inv, role, project, slot, zone(services))
    window = await _window_open(services, inv.workspace, inv.phone)
    sent = await messenger.send(inv.phone, text, window_open=window)
    if sent.delivered:
        await set_status(services, inv.pk, inv.status, reminders_sent=number)
    else:
        log.info("audition reminder %s not sent: %s", inv.pk, sent.outcome)


TELL = "castmatch.auditions.tell_inviter"
NEWS = {
    "confirmed": "✅ {name} confirmed the audition for {role}.",
    "declined": "❌ {name} can't do the audition for {role}.",
    "submitted": "🎬 {name} sent the self-tape for {role}.",
}


async def tell_inviter(services: Services, *, invitation: int, status: str) -> None:
    """The coordinator who sent an invitation hears the answer where they sent it from: on
    WhatsApp, or as a Slack direct message (from the terminal, they see it with `auditions`)."""
    try:
        inv, role, _, _ = await details(services, invitation)
    except AuditionError:
        return
    channel, _, to = inv.created_by.partition(":")
    messenger = services.messengers.get(channel)
    if messenger is None or not to or status not in NEWS:
        return
    async with services.sessions() as session:
        name = await session.scalar(
            select(Talent.name).where(
                Talent.id == inv.talent_id, Talent.workspace.in_((SHARED, inv.workspace))
            )
        )
    text = NEWS[status].format(name=name or inv.talent_id, role=role.name)
    # a member who invited has written recently; if not, the channel falls back to the template
    await messenger.send(to, text, window_open=True)


def register(services: Services) -> None:
    queue = attach(services)
    queue.register(SEND, send_invitation)
    queue.register(REMIND, remind)
    queue.register(TELL, tell_inviter)
