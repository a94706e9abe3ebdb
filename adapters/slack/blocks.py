"""Talent results as Block Kit cards, and the card updates after a button click (pure).

Each card is a section (name, playing age, city, languages, skills, why it matched, the
headshot as an image accessory) and an actions row: Shortlist, Profile, More like this.
Button values carry the talent id, so a click needs no other state.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping, Sequence
from typing import Any

from adapters.slack.mrkdwn import escape, link
from bot.types import TalentCard

MAX_CARDS = 10  # three blocks a card keeps a message far below Slack's 50 blocks
SECTION_LIMIT = 2900  # a section's text may hold 3,000 characters

ACTION_SHORTLIST = "talent_shortlist"
ACTION_PROFILE = "talent_profile"
ACTION_SIMILAR = "talent_similar"
ACTION_PICK_ROLE = "talent_pick_role"  # the role picker's static select
ACTION_NEW_ROLE = "talent_new_role"  # the picker's "or name a new role" input
ACTION_FEEDBACK = "answer_feedback"  # 👍 / 👎 under a streamed answer
ACTIONS = (ACTION_SHORTLIST, ACTION_PROFILE, ACTION_SIMILAR)
MAX_OPTIONS = 100  # a static select holds at most 100 options
OPTION_VALUE_LIMIT = 150


def card_text(card: TalentCard) -> str:
    facts = [f"*{escape(card.name)}*"]
    if card.age_range:
        facts.append(f"plays {escape(card.age_range)}")
    if card.city:
        facts.append(escape(card.city))
    lines = [" · ".join(facts)]
    if card.languages:
        lines.append("Languages: " + escape(", ".join(card.languages)))
    if card.skills:
        lines.append("Skills: " + escape(", ".join(card.skills)))
    if card.why:
        lines.append(f"_{escape(card.why)}_")
    if card.availability:
        lines.append(":spiral_calendar_pad: " + escape(card.availability))
    if card.showreel_url:
        lines.append(link(card.showreel_url, "Showreel"))
    return "\n".join(lines)[:SECTION_LIMIT]


def card_blocks(card: TalentCard) -> list[dict[str, Any]]:
    section: dict[str, Any] = {
        "type": "section",
        "block_id": f"talent:{card.id}"[:255],
        "text": {"type": "mrkdwn", "text": card_text(card)},
    }
    if card.headshot_url.startswith(("https://", "http://")):
        section["accessory"] = {
            "type": "image",
            "image_url": card.headshot_url,
            "alt_text": f"Headshot of {card.name}"[:2000],
        }
    buttons = [
        _button("Shortlist", ACTION_SHORTLIST, card.id, style="primary"),
        _button("Profile", ACTION_PROFILE, card.id),
        _button("More like this", ACTION_SIMILAR, card.id),
    ]
    actions = {"type": "actions", "block_id": f"actions:{card.id}"[:255], "elements": buttons}
    return [section, actions]


def profile_blocks(text: str, name: str, headshot_url: str) -> list[dict[str, Any]]:
    """A profile (mrkdwn) as a section, with the headshot below it when there is one."""
    blocks: list[dict[str, Any]] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": text[:SECTION_LIMIT]}}
    ]
    if headshot_url.startswith(("https://", "http://")):
        blocks.append({"type": "image", "image_url": headshot_url,
                       "alt_text": f"Headshot of {name}"[:2000]})  # fmt: skip
    return blocks


def profile_view(
    text: str, name: str, headshot_url: str, note: str = "", note_role: str = ""
) -> dict[str, Any]:
    """A profile as a modal: the facts, credits, bio and showreel link (mrkdwn), the team's
    note on this person's shortlist entry for the conversation's role, then the headshot."""
    blocks = profile_blocks(text, name, "")
    if note:
        label = f"Note ({escape(note_role)})" if note_role else "Note"
        blocks.append({"type": "context", "elements": [
            {"type": "mrkdwn", "text": f"*{label}:* {escape(note)}"[:SECTION_LIMIT]}]})  # fmt: skip
    blocks += profile_blocks("", name, headshot_url)[1:]
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": (name[:24] or "Profile")},
        "close": {"type": "plain_text", "text": "Close"},
        "blocks": blocks,
    }


def _button(label: str, action_id: str, value: str, style: str = "") -> dict[str, Any]:
    button: dict[str, Any] = {
        "type": "button",
        "text": {"type": "plain_text", "text": label},
        "action_id": action_id,
        "value": value[:2000],
    }
    if style:
        button["style"] = style
    return button


def talent_blocks(cards: Sequence[TalentCard], title: str = "") -> tuple[list[dict[str, Any]], str]:
    """(blocks, fallback text) for a list of talent results."""
    shown = list(cards)[:MAX_CARDS]
    blocks: list[dict[str, Any]] = []
    if title:
        blocks.append(
            {"type": "section", "text": {"type": "mrkdwn", "text": title[:SECTION_LIMIT]}}
        )
    for index, card in enumerate(shown):
        if index:
            blocks.append({"type": "divider"})
        blocks.extend(card_blocks(card))
    if len(cards) > len(shown):
        more = f"…and {len(cards) - len(shown)} more. Ask me to narrow the search."
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": more}]})
    names = escape(", ".join(c.name + (f" ({c.city})" if c.city else "") for c in shown))
    fallback = (title + "\n" if title else "") + f"Talent: {names}" if shown else "No talent found."
    return blocks, fallback


def mark_done(
    blocks: Sequence[dict[str, Any]], talent_id: str, action_id: str, note: str
) -> list[dict[str, Any]]:
    """The message's blocks after a click: the clicked button gives way to a short note."""
    updated = copy.deepcopy(list(blocks))
    for block in updated:
        if block.get("type") != "actions" or block.get("block_id") != f"actions:{talent_id}":
            continue
        block["elements"] = [
            e for e in block.get("elements", []) if e.get("action_id") != action_id
        ]
        index = updated.index(block)
        context = {
            "type": "context",
            "block_id": f"done:{action_id}:{talent_id}"[:255],
            "elements": [{"type": "mrkdwn", "text": note}],
        }
        if not block["elements"]:
            updated[index] = context
        else:
            updated.insert(index + 1, context)
        break
    return updated


def _without(blocks: Sequence[Mapping[str, Any]], prefixes: tuple[str, ...]) -> list[dict]:
    return [dict(b) for b in blocks if not str(b.get("block_id") or "").startswith(prefixes)]


def role_options(talent_id: str, roles: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The picker's options: each role as "Role (Project)", its value naming both."""
    options = []
    for role in roles:
        value = json.dumps(
            {"t": talent_id, "r": role.get("role"), "p": role.get("project")},
            ensure_ascii=False,
            separators=(",", ":"),
        )
        if len(value) > OPTION_VALUE_LIMIT:
            continue  # Slack would refuse the whole message
        label = f"{role.get('role')} ({role.get('project')})"
        options.append({"text": {"type": "plain_text", "text": label[:75]}, "value": value})
    return options[:MAX_OPTIONS]


def ask_role(
    blocks: Sequence[Mapping[str, Any]], talent_id: str, roles: Sequence[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """The card after Shortlist was clicked in a conversation without a current role: a
    role picker (the workspace's roles, or a new role's name) below the person's buttons."""
    updated = _without(copy.deepcopy(list(blocks)), (f"pick:{talent_id}", f"newrole:{talent_id}"))
    picker: list[dict[str, Any]] = []
    options = role_options(talent_id, roles)
    if options:
        picker.append(
            {
                "type": "section",
                "block_id": f"pick:{talent_id}"[:255],
                "text": {"type": "mrkdwn", "text": "*Which role is this for?*"},
                "accessory": {
                    "type": "static_select",
                    "action_id": ACTION_PICK_ROLE,
                    "placeholder": {"type": "plain_text", "text": "Choose a role"},
                    "options": options,
                },
            }
        )
    picker.append(
        {
            "type": "input",
            "block_id": f"newrole:{talent_id}"[:255],
            "dispatch_action": True,
            "label": {
                "type": "plain_text",
                "text": "Or name a new role" if options else "Which role is this for?",
            },
            "element": {
                "type": "plain_text_input",
                "action_id": ACTION_NEW_ROLE,
                "placeholder": {"type": "plain_text", "text": "e.g. Inspector Yadav"},
            },
        }
    )
    for index, block in enumerate(updated):
        if block.get("block_id") == f"actions:{talent_id}":
            return updated[: index + 1] + picker + updated[index + 1 :]
    return updated + picker


def role_chosen(
    blocks: Sequence[Mapping[str, Any]], talent_id: str, note: str
) -> list[dict[str, Any]]:
    """The card after a role was picked: the picker gives way to the Shortlist outcome."""
    updated = _without(copy.deepcopy(list(blocks)), (f"pick:{talent_id}", f"newrole:{talent_id}"))
    return mark_done(updated, talent_id, ACTION_SHORTLIST, note)


def feedback_block() -> dict[str, Any]:
    """Slack's thumbs up / down under an answer (a context_actions block)."""

    def button(emoji: str, value: str, label: str) -> dict[str, Any]:
        text = {"type": "plain_text", "text": emoji}
        return {"text": text, "value": value, "accessibility_label": label}

    return {
        "type": "context_actions",
        "elements": [
            {
                "type": "feedback_buttons",
                "action_id": ACTION_FEEDBACK,
                "positive_button": button("👍", "good", "This answer helped"),
                "negative_button": button("👎", "bad", "This answer did not help"),
            }
        ],
    }
