"""Talent answering an audition invitation on WhatsApp. They are not members of the
workspace, so the membership gate asks this handler before refusing them: YES/NO confirm or
decline, a video is the self-tape that was asked for, STOP/START are the channel's own.
Anyone without an invitation from this workspace is left to the gate (None)."""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING

from sqlalchemy import select, update

from bot.commands.grammar import START_WORDS, STOP_WORDS
from bot.db import utcnow
from bot.jobs import attach
from bot.ports import GuestAnswer
from bot.types import InboundMessage
from talent import media
from talent.auditions import details, project_title, set_status
from talent.auditions_jobs import TELL
from talent.auditions_models import ANSWERABLE, Contact, Invitation

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)

YES = re.compile(r"^(?:yes|y|ok|okay|confirm(?:ed)?|sure|haan|ha|ji|हाँ|हां|हो|1)\b", re.I)
NO = re.compile(r"^(?:no|n|decline|can'?t|cannot|nahi|nahin|नहीं|नाही|2)\b", re.I)


class Guests:
    def __init__(self, services: Services) -> None:
        self.services = services

    async def __call__(self, message: InboundMessage) -> GuestAnswer | None:
        if message.channel != "whatsapp":
            return None
        open_ = await self._invitations(message)
        if not open_:
            return None
        await self._seen(message)
        word = " ".join(message.text.lower().split()).strip(".!")
        if word in STOP_WORDS or word in START_WORDS:
            return GuestAnswer("", opt_out=word in STOP_WORDS)
        if message.attachments:
            return await self._self_tape(message, open_)
        target = self._target(message, open_)
        if YES.match(word):
            return await self._answer(target, "confirmed")
        if NO.match(word):
            return await self._answer(target, "declined")
        _, role, project, _ = await details(self.services, target.pk)
        if target.kind == "self_tape":
            return GuestAnswer(
                f"Please send your self-tape for {project_title(role, project)} as a video "
                "here, or reply NO if you can't."
            )
        return GuestAnswer(
            f"Please reply YES to confirm your audition for {project_title(role, project)}, "
            "or NO if you can't make it."
        )

    async def _invitations(self, message: InboundMessage) -> list[Invitation]:
        async with self.services.sessions() as session:
            return list(
                await session.scalars(
                    select(Invitation)
                    .where(
                        Invitation.workspace == message.workspace,
                        Invitation.phone == message.user_id,
                        Invitation.status.in_(ANSWERABLE),
                    )
                    .order_by(Invitation.updated_at.desc(), Invitation.pk.desc())
                )
            )

    async def _seen(self, message: InboundMessage) -> None:
        """They wrote: WhatsApp's 24-hour window is open for free-form messages again."""
        async with self.services.sessions() as session, session.begin():
            await session.execute(
                update(Contact)
                .where(Contact.workspace == message.workspace, Contact.phone == message.user_id)
                .values(last_inbound_at=utcnow())
            )

    @staticmethod
    def _target(message: InboundMessage, open_: list[Invitation]) -> Invitation:
        """The invitation they replied to (WhatsApp's reply), else the latest one sent."""
        for invitation in open_:
            if message.reply_to and invitation.message_sid == message.reply_to:
                return invitation
        waiting = [i for i in open_ if i.status == "sent"]
        return (waiting or open_)[0]

    async def _tell(self, invitation: Invitation, status: str) -> None:
        """The inviter hears the answer (a job: the reply to the talent doesn't wait)."""
        await attach(self.services).defer(TELL, invitation=invitation.pk, status=status)

    async def _answer(self, invitation: Invitation, status: str) -> GuestAnswer:
        await set_status(self.services, invitation.pk, status)
        if invitation.status != status:
            await self._tell(invitation, status)
        _, role, project, _ = await details(self.services, invitation.pk)
        title = project_title(role, project)
        if status == "declined":
            return GuestAnswer(f"Thank you for letting us know. We've noted you can't do {title}.")
        if invitation.kind == "self_tape":
            return GuestAnswer(
                f"Thank you! Please send your self-tape for {title} here as a video."
            )
        return GuestAnswer(f"Thank you, your audition for {title} is confirmed. See you there!")

    async def _self_tape(self, message: InboundMessage, open_: list[Invitation]) -> GuestAnswer:
        asked = [i for i in open_ if i.kind == "self_tape" and i.status != "declined"]
        target = asked[0] if asked else self._target(message, open_)
        kind = "self_tape" if asked else "media"
        kept, problems = [], []
        for attachment in message.attachments:
            try:
                kept.append(
                    await media.store(
                        self.services, message, attachment, talent_id=target.talent_id,
                        kind=kind, role_pk=target.role_pk, invitation_pk=target.pk,
                    )
                )  # fmt: skip
            except media.MediaError as exc:
                problems.append(str(exc))
            except Exception:
                log.exception("could not keep a file a talent sent")
                problems.append("I couldn't download that file; please send it again")
        _, role, project, _ = await details(self.services, target.pk)
        title = project_title(role, project)
        if kept and asked:
            await set_status(self.services, target.pk, "submitted")
            await self._tell(target, "submitted")
            text = f"Thank you! Your self-tape for {title} has reached the casting team."
        elif kept:
            text = f"Thank you, the casting team for {title} will see your file."
        else:
            text = "Sorry, " + "; ".join(dict.fromkeys(problems)) + "."
        if kept and problems:
            text += " But: " + "; ".join(dict.fromkeys(problems)) + "."
        return GuestAnswer(text)
