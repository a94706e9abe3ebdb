"""What `castmatch forget talent:ID` removes beyond the profile and its shortlist rows:
holds, availability windows (and, as features add tables, more rows about the person)."""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, update
from sqlalchemy.ext.asyncio import AsyncSession

from talent.auditions_models import Contact, Invitation, Media, Slot
from talent.holds_models import Availability, Hold
from talent.models import CurrentRole, Project, Role, ShortlistEntry, ShortlistEvent
from talent.share_models import ShareLink

if TYPE_CHECKING:
    from bot.services import Services

# (label, eraser): each deletes one kind of row about the person and says how many
Eraser = Callable[[AsyncSession, str], Awaitable[int]]


async def _holds(session: AsyncSession, talent_id: str) -> int:
    result = await session.execute(
        delete(Hold).where(Hold.talent_id == talent_id).returning(Hold.pk)
    )
    return len(result.all())


async def _windows(session: AsyncSession, talent_id: str) -> int:
    result = await session.execute(
        delete(Availability).where(Availability.talent_id == talent_id).returning(Availability.pk)
    )
    return len(result.all())


async def _contacts(session: AsyncSession, talent_id: str) -> int:
    result = await session.execute(
        delete(Contact).where(Contact.talent_id == talent_id).returning(Contact.phone)
    )
    return len(result.all())


async def _invitations(session: AsyncSession, talent_id: str) -> int:
    result = await session.execute(
        delete(Invitation).where(Invitation.talent_id == talent_id).returning(Invitation.pk)
    )
    return len(result.all())


async def _media(session: AsyncSession, talent_id: str) -> int:
    result = await session.execute(
        delete(Media).where(Media.talent_id == talent_id).returning(Media.key)
    )
    keys = [k for (k,) in result.all()]
    session.info.setdefault("media_keys", []).extend(keys)  # files go after the commit
    return len(keys)


ERASERS: list[tuple[str, Eraser]] = [
    ("hold", _holds),
    ("availability window", _windows),
    ("WhatsApp number", _contacts),
    ("audition invitation", _invitations),
    ("stored file", _media),
]


async def forget_number(services: Services, channel: str, user_id: str) -> list[str]:
    """`castmatch forget whatsapp:+91…`: the number leaves contacts and invitations (the
    invitations stay for the casting record, without it)."""
    if channel != "whatsapp":
        return []
    async with services.sessions() as session, session.begin():
        contacts = await session.execute(
            delete(Contact).where(Contact.phone == user_id).returning(Contact.talent_id)
        )
        invitations = await session.execute(
            update(Invitation)
            .where(Invitation.phone == user_id)
            .values(phone="")
            .returning(Invitation.pk)
        )
        counts = len(contacts.all()), len(invitations.all())
    return [f"talent contacts: {counts[0]}", f"audition invitations: {counts[1]}"]


async def pseudonymise(services: Services, channel: str, user_id: str) -> list[str]:
    """`castmatch forget CHANNEL:ID`: the team's record (who made a role, who moved whom on a
    shortlist) stays, under one opaque id instead of the person's number or Slack id; the
    current-role choice of their own conversations goes."""
    person = f"{channel}:{user_id}"
    alias = "erased:" + secrets.token_hex(6)  # the same for all of this person's rows
    changed = 0
    async with services.sessions() as session, session.begin():
        for model, column in (
            (Project, Project.created_by),
            (Role, Role.created_by),
            (ShortlistEntry, ShortlistEntry.updated_by),
            (ShortlistEvent, ShortlistEvent.actor),
            (Slot, Slot.created_by),
            (Invitation, Invitation.created_by),
            (Contact, Contact.updated_by),
            (Media, Media.created_by),
            (Hold, Hold.updated_by),
            (Availability, Availability.created_by),
            (ShareLink, ShareLink.created_by),
        ):
            result = await session.execute(
                update(model).where(column == person).values({column.key: alias})
            )
            changed += int(result.rowcount or 0)
        roles = await session.execute(
            delete(CurrentRole).where(_theirs(CurrentRole.conversation_id, channel, user_id))
        )
        # A shared link's news then goes to the role's latest conversation instead.
        await session.execute(
            update(ShareLink)
            .where(_theirs(ShareLink.conversation_id, channel, user_id))
            .values(conversation_id="")
        )
    return [f"shortlist records made anonymous: {changed}, current roles: {roles.rowcount or 0}"]


def _theirs(conversation: Any, channel: str, user_id: str) -> Any:
    """SQL: the conversation id is one of the person's own conversations."""
    return conversation.startswith(f"{channel}:", autoescape=True) & (
        conversation.contains(f":{user_id}:", autoescape=True)
        | conversation.endswith(f":{user_id}", autoescape=True)
    )


async def erase_rows(session: AsyncSession, talent_id: str) -> list[str]:
    """Delete every row of the registered kinds; one 'N thing(s)' part for each kind found."""
    parts = []
    for label, eraser in ERASERS:
        count = await eraser(session, talent_id)
        if count:
            parts.append(f"{count} {label}{'s' if count != 1 else ''}")
    return parts
