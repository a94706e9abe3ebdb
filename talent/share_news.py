"""A director's mark on a shared page, told to the team where the role is discussed: the
conversation the link was shared from, else the latest one working on the role."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from sqlalchemy import select

from talent.models import CurrentRole
from talent.share_links import Opened

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)


def news_text(role: str, name: str, decision: str, comment: str) -> str:
    said = f": “{comment}”" if comment else ""
    return f"Director via shared link on {role}: {name} — {decision.upper()}{said}"


async def where_to_tell(services: Services, opened: Opened) -> str:
    if opened.link.conversation_id.startswith(("slack:", "whatsapp:")):
        return opened.link.conversation_id
    async with services.sessions() as session:
        found = await session.scalar(
            select(CurrentRole.conversation_id)
            .where(CurrentRole.role_pk == opened.role.pk)
            .where(
                CurrentRole.conversation_id.like("slack:%")
                | CurrentRole.conversation_id.like("whatsapp:%")
            )
            .order_by(CurrentRole.updated_at.desc())
            .limit(1)
        )
    return found or ""


async def tell_team(
    services: Services, opened: Opened, name: str, decision: str, comment: str
) -> None:
    conversation = await where_to_tell(services, opened)
    channel, _, rest = conversation.partition(":")
    poster = services.posters.get(channel)
    if poster is None:
        return  # shared from the terminal, or the channel is not running here
    _account, _, place = rest.partition(":")
    chat, _, thread = place.partition(":")
    try:
        sent = await poster.post(chat, thread, news_text(opened.role.name, name, decision, comment))
    except Exception:
        log.warning("could not tell the team about a director's mark", exc_info=True)
        return
    if not sent.delivered:
        log.info("a director's mark was not delivered (%s)", sent.outcome)
