"""The Home tab: projects and roles with shortlist counts, a role's shortlist in a modal,
refreshed when a card's Shortlist button changes a list."""

from __future__ import annotations

import json
import secrets

from adapters.slack.blocks import talent_blocks
from bot.tools import ToolContext
from tests.doubles.claude import Reply, ToolCall
from tests.doubles.slack import TEAM
from tests.slack.conftest import CARDS
from tests.slack.stack import Stack, event_body, mention, new_ts, until
from tests.slack.test_end_to_end import in_chat, shortlist_click, updated_card


def home_text(stack: Stack) -> str:
    return json.dumps(stack.slack.home.get("U0DIRECTOR") or {})


async def open_home(stack: Stack) -> None:
    event = {"type": "app_home_opened", "user": "U0DIRECTOR", "channel": "D0DIRECT",
             "tab": "home", "event_ts": new_ts()}  # fmt: skip
    stack.slack.home.pop("U0DIRECTOR", None)
    status, _, _ = await stack.post_json(event_body(event))
    assert status == 200


async def test_the_home_tab_lists_roles_with_counts_and_opens_a_shortlist(stack: Stack) -> None:
    role = f"Inspector Yadav {secrets.token_hex(2)}"
    thread = new_ts()
    ctx = ToolContext(in_chat("C0CAST", thread), stack.services)
    outcome = await stack.services.tools.run("select_role", {"role": role}, ctx)
    assert not outcome.is_error, outcome.content
    added = await stack.services.tools.run("shortlist_add", {"talent": ["e2e-meera-02"]}, ctx)
    assert not added.is_error, added.content

    await open_home(stack)
    await until(lambda: role in home_text(stack))
    view = stack.slack.home["U0DIRECTOR"]
    (section,) = [b for b in view["blocks"] if role in json.dumps(b)]
    assert "1 considered" in section["text"]["text"]
    button = section["accessory"]
    assert button["text"]["text"] == "Open shortlist"

    payload_open = {"type": "block_actions", "team": {"id": TEAM}, "user": {"id": "U0DIRECTOR"},
               "container": {"type": "view", "view_id": "V1"}, "trigger_id": f"trig{new_ts()}",
               "view": view, "actions": [{**button, "action_ts": new_ts(),
                                          "block_id": "b1"}]}  # fmt: skip
    status, _, _ = await stack.post_form({"payload": json.dumps(payload_open)})
    assert status == 200
    (modal,) = await until(lambda: [m for m in stack.slack.modals if "Meera" in json.dumps(m)])
    assert "Meera Joshi" in modal["blocks"][0]["text"]["text"]

    # A card's Shortlist button in that thread adds Asha: the Home tab shows 2.
    payload, key = shortlist_click(stack, "e2e-asha-01", talent_blocks(CARDS)[0], thread)
    await updated_card(stack, payload, key)
    await until(lambda: "2 considered" in home_text(stack))

    # Opened again, the modal shows each person with their headshot beside them
    before = len(stack.slack.modals)
    payload = {**payload_open, "trigger_id": f"trig{new_ts()}"}
    status, _, _ = await stack.post_form({"payload": json.dumps(payload)})
    assert status == 200
    (modal,) = await until(lambda: stack.slack.modals[before:])
    rows = {b["text"]["text"]: b.get("accessory") for b in modal["blocks"] if "text" in b}
    (asha,) = [a for text, a in rows.items() if "Asha" in text]
    (meera,) = [a for text, a in rows.items() if "Meera Joshi" in text]
    assert asha == {"type": "image", "image_url": "https://example.com/asha.jpg",
                    "alt_text": "Headshot of Asha Patil"}  # fmt: skip
    assert meera is None  # no picture on file: no empty frame


async def test_a_shortlist_change_claude_makes_refreshes_the_home_tab(stack: Stack) -> None:
    role = f"Havaldar {secrets.token_hex(2)}"
    thread = new_ts()
    stack.slack.home.pop("U0DIRECTOR", None)
    stack.claude.push(
        ToolCall("select_role", {"role": role}),
        ToolCall("shortlist_add", {"talent": ["e2e-asha-01"]}),
        Reply("Added."),
    )
    await stack.post_json(event_body(mention(f"add Asha to {role}", thread_ts=thread)))
    await until(lambda: role in home_text(stack) and "1 considered" in home_text(stack))


async def test_a_rate_limited_home_tab_is_published_after_slack_s_retry_after(
    stack: Stack,
) -> None:
    # One-off calls use slack_sdk's rate-limit retry handler: the 429 is waited out.
    stack.slack.fail("views.publish", status=429, retry_after=1)
    await open_home(stack)
    await until(lambda: "CastMatch" in home_text(stack))
    statuses = [c.status for c in stack.slack.calls if c.method == "views.publish"]
    assert statuses == [429, 200]
