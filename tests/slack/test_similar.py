"""A card's "More like this": people like that person, of their gender and playing age."""

from __future__ import annotations

import json
from pathlib import Path

from bot.commands import catalogue
from talent.importer import import_file
from tests.slack.stack import Stack, new_ts
from tests.slack.test_end_to_end import in_chat

# Like Asha in language, dance and city, but not in gender or playing age.
UNLIKE = [
    {"id": "e2e-ravi-03", "name": "Ravi Kulkarni", "gender": "male", "birth_year": 1997,
     "city": "Pune", "languages": ["Marathi"], "skills": ["kathak"]},
    {"id": "e2e-sulbha-04", "name": "Sulbha Deshmukh", "gender": "female", "birth_year": 1960,
     "city": "Pune", "languages": ["Marathi"], "skills": ["kathak"]},
]  # fmt: skip


def ages(age_range: str) -> tuple[int, int]:
    low, _, high = age_range.partition("-")
    return int(low), int(high)


async def test_more_like_this_keeps_the_age_range_and_gender(stack: Stack, tmp_path: Path) -> None:
    path = tmp_path / "e2e-unlike.jsonl"
    path.write_text("".join(json.dumps(p) + "\n" for p in UNLIKE))
    await import_file(stack.services, path)
    message = in_chat("C0CAST", new_ts())
    asha = await catalogue.profile_data(stack.services, message, "e2e-asha-01")
    low, high = ages(asha["playing_age"])
    cards = await catalogue.similar(stack.services, message, "e2e-asha-01")
    ids = [c.id for c in cards]
    assert "e2e-meera-02" in ids and "e2e-asha-01" not in ids
    assert "e2e-ravi-03" not in ids and "e2e-sulbha-04" not in ids
    for card in cards:
        assert card.gender == "female", card
        card_low, card_high = ages(card.age_range)
        assert card_low <= high and card_high >= low, (card.name, card.age_range, asha)
