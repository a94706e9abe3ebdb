"""The app's Home tab: the workspace's projects and roles with shortlist counts by status,
each role opening its shortlist in a modal. Published when a person opens the tab and again
after they change a shortlist from a card, through the engine's admission (members only)."""

from __future__ import annotations

import json
import logging
from collections import Counter
from typing import TYPE_CHECKING, Any

from adapters.slack.mrkdwn import escape, to_mrkdwn
from bot.commands import catalogue
from bot.pipeline import Inbound
from bot.types import ConversationKey, InboundMessage

if TYPE_CHECKING:
    from adapters.slack.app import SlackRuntime

log = logging.getLogger(__name__)

ACTION_OPEN_ROLE = "home_open_role"
MAX_ROLES = 30  # a Home view holds at most 100 blocks (a divider and title per project too)
NO_ROLES = (
    "No roles yet. Tell me in a message which role you are casting "
    '("this is for Inspector Yadav") and it will show here.'
)
MODAL_PEOPLE = 90  # a modal holds at most 100 blocks
STATUS_ORDER = ("considered", "audition", "callback", "booked", "dropped")


def home_message(team: str, user: str, event_id: str) -> InboundMessage:
    """The person looking at the Home tab, as the engine's admission sees them."""
    key = ConversationKey("slack", team, user, "")
    return InboundMessage(key=key, user_id=user, text="[home]", message_id=f"home:{event_id}")


def recent(roles: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The newest roles first (the list comes oldest first), as many as the view holds."""
    return list(reversed(roles[-MAX_ROLES:]))


def counts_line(entries: list[dict[str, Any]]) -> str:
    counts = Counter(str(e.get("status") or "considered") for e in entries)
    order = [s for s in STATUS_ORDER if counts[s]] + sorted(set(counts) - set(STATUS_ORDER))
    return " · ".join(f"{counts[s]} {s}" for s in order) or "nobody yet"


def home_view(roles: list[dict[str, Any]], counts: dict[tuple[str, str], str]) -> dict:
    """The Home tab's view: per project its roles, each with counts and an Open button."""
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": "CastMatch"}},
    ]
    if not roles:
        blocks.append(_section(NO_ROLES))
    project = None
    for role in recent(roles):
        if role["project"] != project:
            project = role["project"]
            blocks += [{"type": "divider"}, _section(f"*{escape(str(project))}*")]
        value = json.dumps({"r": role["role"], "p": role["project"]})[:2000]
        line = f"*{escape(str(role['role']))}*\n{counts.get((project, role['role']), '')}"
        blocks.append(
            {
                **_section(line),
                "accessory": {
                    "type": "button",
                    "action_id": ACTION_OPEN_ROLE,
                    "text": {"type": "plain_text", "text": "Open shortlist"},
                    "value": value,
                },
            }
        )
    return {"type": "home", "blocks": blocks}


def modal_blocks(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A shortlist in a modal: one section per person, their headshot beside them."""
    if not entries:
        return [_section("Nobody on it yet.")]
    blocks = []
    for i, e in enumerate(entries[:MODAL_PEOPLE]):
        name = str(e.get("name") or e.get("talent_id"))
        block = _section(
            f"{e.get('position', i + 1)}. *{escape(name)}*, "
            f"{escape(str(e.get('age_range') or '?'))}, {escape(str(e.get('city') or '?'))}: "
            f"{escape(str(e.get('status')))}"
        )
        picture = str(e.get("headshot_url") or "")
        if picture.startswith(("https://", "http://")):
            block["accessory"] = {"type": "image", "image_url": picture,
                                  "alt_text": f"Headshot of {name}"[:2000]}  # fmt: skip
        blocks.append(block)
    if len(entries) > MODAL_PEOPLE:
        more = len(entries) - MODAL_PEOPLE
        blocks.append(_section(f"…and {more} more (`shortlist show` lists everyone)."))
    return blocks


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text[:3000]}}


class HomeOutlet:
    """A refusal (not a member, too many requests) is shown on the Home tab itself."""

    def __init__(self, rt: SlackRuntime, user: str) -> None:
        self.rt, self.user = rt, user

    def reply(self, message: InboundMessage) -> Any:
        raise RuntimeError("the Home tab is not a conversation")

    async def notice(self, message: InboundMessage, text: str) -> None:
        view = {"type": "home", "blocks": [_section(to_mrkdwn(text))]}
        await self.rt.client.views_publish(user_id=self.user, view=view)


def refresh(rt: SlackRuntime, team: str, user: str, event_id: str) -> None:
    """Publish the person's Home tab in an owned task, after the admission steps."""
    message = home_message(team, user, event_id)

    async def run(inbound: Inbound) -> None:
        await publish(rt, inbound.message)

    admitted = rt.engine.admission(run)(Inbound(message, HomeOutlet(rt, user)))
    rt.services.spawn(admitted, name="slack-home-tab")


async def publish(rt: SlackRuntime, message: InboundMessage) -> None:
    try:
        _, roles = await catalogue.roles(rt.services, message)
        counts = {}
        for role in recent(roles):
            entries = await catalogue.shortlist_entries(
                rt.services, message, role["role"], role["project"]
            )
            counts[(role["project"], role["role"])] = counts_line(entries)
        view = home_view(roles, counts)
    except catalogue.Unavailable as exc:
        view = {"type": "home", "blocks": [_section(f"⚠️ {escape(str(exc))}")]}
    try:
        await rt.client.views_publish(user_id=message.user_id, view=view)
    except Exception as exc:
        log.warning("home tab not published (%s)", type(exc).__name__)


def register(rt: SlackRuntime) -> None:
    @rt.app.action(ACTION_OPEN_ROLE)
    async def open_role(ack: Any, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()
        team = str((body.get("team") or {}).get("id") or body.get("team_id") or "")
        user = str((body.get("user") or {}).get("id") or "")
        message = home_message(team, user, str(body.get("trigger_id") or action.get("action_ts")))
        trigger = str(body.get("trigger_id") or "")

        async def run(inbound: Inbound) -> None:
            await _open_shortlist(rt, inbound.message, action, trigger)

        admitted = rt.engine.admission(run)(Inbound(message, HomeOutlet(rt, user)))
        rt.services.spawn(admitted, name="slack-home-open")


async def _open_shortlist(
    rt: SlackRuntime, message: InboundMessage, action: dict[str, Any], trigger: str
) -> None:
    """A role's shortlist in a modal."""
    try:
        choice = json.loads(str(action.get("value") or "{}"))
        role, project = str(choice["r"]), choice.get("p")
        entries = await catalogue.shortlist_entries(rt.services, message, role, project)
        blocks = modal_blocks(entries)
    except (ValueError, KeyError):
        return
    except catalogue.Unavailable as exc:
        blocks = [_section(f"⚠️ {escape(str(exc))}")]
    view = {
        "type": "modal",
        "title": {"type": "plain_text", "text": role[:24] or "Shortlist"},
        "blocks": blocks,
    }
    try:
        await rt.client.views_open(trigger_id=trigger, view=view)
    except Exception as exc:
        log.warning("shortlist modal not opened (%s)", type(exc).__name__)
