"""Headshots on Slack where a person is shown: a card's Profile button opens the profile in a
modal with the picture (the catalogue's, or one kept from WhatsApp through its
/media/<token> link) and the team's note for the thread's role, and search cards carry the
kept headshot as their image."""

from __future__ import annotations

import json
import secrets

from adapters.slack.blocks import talent_blocks
from bot.tools import ToolContext
from talent.auditions_models import Media
from tests.doubles.slack import TEAM
from tests.slack.conftest import CARDS
from tests.slack.stack import Stack, new_ts, until
from tests.slack.test_end_to_end import click, in_chat


async def _profile_modal(stack: Stack, talent_id: str, thread: str = "") -> dict:
    action = {"type": "button", "action_id": "talent_profile", "value": talent_id,
              "block_id": f"actions:{talent_id}"}  # fmt: skip
    payload, _ = click(stack, talent_blocks(CARDS)[0], action, thread_ts=thread or new_ts())
    opened = len(stack.slack.modals)
    status, _, _ = await stack.post_form({"payload": json.dumps(payload)})
    assert status == 200
    await until(lambda: len(stack.slack.modals) > opened)
    (call,) = [
        c for c in stack.slack.of("views.open") if c.args["trigger_id"] == payload["trigger_id"]
    ]
    return call.args["view"]


async def _profile_reply(stack: Stack, talent_id: str) -> list[dict]:
    return (await _profile_modal(stack, talent_id))["blocks"]


async def _keep_headshot(stack: Stack, talent_id: str) -> str:
    """A headshot row as WhatsApp leaves it (the file itself is not read here)."""
    async with stack.services.sessions() as session, session.begin():
        row = Media(workspace=f"slack:{TEAM}", talent_id=talent_id, kind="headshot",
                    content_type="image/jpeg", size_bytes=1000, key=f"x/{secrets.token_hex(4)}.jpg",
                    sha256="0" * 64)  # fmt: skip
        session.add(row)
        await session.flush()
        await session.refresh(row)
        return row.token


async def test_the_profile_button_shows_the_catalogue_headshot(stack: Stack) -> None:
    blocks = await _profile_reply(stack, "e2e-asha-01")
    assert "Asha Patil" in blocks[0]["text"]["text"]
    assert blocks[-1] == {"type": "image", "image_url": "https://example.com/asha.jpg",
                          "alt_text": "Headshot of Asha Patil"}  # fmt: skip
    # no picture anywhere: the profile alone
    meera = await _profile_reply(stack, "e2e-meera-02")
    assert [b["type"] for b in meera] == ["section"]


async def test_a_headshot_kept_from_whatsapp_shows_on_profile_and_cards(stack: Stack) -> None:
    base = "https://castmatch.example"
    stack.services.settings = stack.services.settings.model_copy(update={"public_url": base})
    token = await _keep_headshot(stack, "e2e-meera-02")
    blocks = await _profile_reply(stack, "e2e-meera-02")
    assert blocks[-1]["type"] == "image" and blocks[-1]["image_url"] == f"{base}/media/{token}"

    ctx = ToolContext(in_chat("C0CAST", new_ts()), stack.services)
    query = {"query": "Meera Joshi, gatka, Pune"}
    outcome = await stack.services.tools.run("search_talent", query, ctx)
    meera = next(c for c in outcome.cards if c.id == "e2e-meera-02")
    section = talent_blocks([meera])[0][0]
    assert section["accessory"]["image_url"] == f"{base}/media/{token}"


async def test_the_profile_modal_has_credits_reel_and_the_team_note_for_the_role(
    stack: Stack,
) -> None:
    thread, role = new_ts(), f"Inspector Yadav {secrets.token_hex(2)}"
    ctx = ToolContext(in_chat("C0CAST", thread), stack.services)
    for tool, args in (
        ("select_role", {"role": role}),
        ("shortlist_add", {"talent": ["e2e-asha-01"]}),
        ("shortlist_note", {"talent": "e2e-asha-01", "note": "strong Haryanvi"}),
    ):
        outcome = await stack.services.tools.run(tool, args, ctx)
        assert not outcome.is_error, outcome.content  # fmt: skip
    view = await _profile_modal(stack, "e2e-asha-01", thread)
    assert view["type"] == "modal" and view["title"]["text"] == "Asha Patil"
    shown = json.dumps(view["blocks"])
    assert "Lakeer" in shown and "https://example.com/asha-reel" in shown
    assert f"Note ({role}):* strong Haryanvi" in shown
    assert not stack.slack.in_thread("C0CAST", thread)  # nothing posted in the thread
