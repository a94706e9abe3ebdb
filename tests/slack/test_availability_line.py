"""A card says when the person is held or away, in every channel's rendering."""

from __future__ import annotations

from adapters.slack.blocks import card_text
from adapters.whatsapp.stream import talent_list
from bot.types import TalentCard

CARD = TalentCard(
    id="cm-1", name="Amruta Joshi", score=0.9, why="speaks Marathi", age_range="28-34",
    city="Pune", availability="1st hold 10–20 Mar, Inspector Yadav · free 1–15 Apr",
)  # fmt: skip


def test_slack_and_whatsapp_cards_show_the_availability_line() -> None:
    assert "1st hold 10–20 Mar, Inspector Yadav · free 1–15 Apr" in card_text(CARD)
    listing, _ = talent_list([CARD])
    assert "🗓 1st hold 10–20 Mar, Inspector Yadav · free 1–15 Apr" in listing


def test_no_line_when_nothing_is_recorded() -> None:
    plain = TalentCard(id="cm-2", name="Rohan", score=0.5, why="x")
    assert "🗓" not in talent_list([plain])[0] and ":spiral" not in card_text(plain)
