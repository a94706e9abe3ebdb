"""Auditions, the numbers a workspace knows for people, the media it was sent and its
shared-shortlist links follow a channel account into the workspace it is linked to.

Runs before the shortlists' mover: a role merging into the workspace's one of the same
name is deleted by that mover (its slots, invitations and links would go with it), so
they are pointed at the surviving role first. Where both sides know a number for the same
person, the workspace's own stays.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.workspaces.directory import Mover
from talent.auditions_models import Contact, Invitation, Media, Slot
from talent.share_models import ShareLink
from talent.twins import twins

_BY_ROLE = (Slot, Invitation, Media, ShareLink)


async def _move_rows(session: AsyncSession, old: str, new: str) -> Sequence[str]:
    pairs = await twins(session, old, new)
    for role, twin in pairs.roles.items():
        for model in _BY_ROLE:
            await session.execute(update(model).where(model.role_pk == role).values(role_pk=twin))
    counts = {}
    for model, label in ((Slot, "slot"), (Invitation, "invitation"), (Media, "file")):
        counts[label] = await session.scalar(select(func.count()).where(model.workspace == old))
    for model in _BY_ROLE:
        await session.execute(update(model).where(model.workspace == old).values(workspace=new))
    known = select(Contact.talent_id).where(Contact.workspace == new)
    await session.execute(
        delete(Contact).where(Contact.workspace == old, Contact.talent_id.in_(known))
    )
    await session.execute(update(Contact).where(Contact.workspace == old).values(workspace=new))
    moved = ", ".join(f"{n} {label}(s)" for label, n in counts.items() if n)
    return [f"auditions and media: {moved} moved"] if moved else []


def mover() -> Mover:
    return Mover("auditions", _move_rows)
