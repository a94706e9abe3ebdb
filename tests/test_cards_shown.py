"""Which talent cards go with an answer: the people its text names, from every search."""

from __future__ import annotations

from bot.llm.base import LLMResult, named_in
from bot.types import TalentCard


def card(id_: str, name: str) -> TalentCard:
    return TalentCard(id=id_, name=name, score=1.0, why="")


ASHA, MEERA, ASHA_K = card("a", "Asha Patil"), card("m", "Meera Joshi"), card("k", "Asha Kale")


def test_cards_from_every_search_in_the_order_the_text_names_them() -> None:
    result = LLMResult(text="Meera is free in March; Asha Patil has the dance.")
    result.keep_cards([ASHA, MEERA])
    result.keep_cards([card("x", "Ravi Rao")])
    assert result.cards_to_show() == [MEERA, ASHA]


def test_a_text_that_names_nobody_keeps_the_last_results() -> None:
    result = LLMResult(text="Here are the closest matches.")
    result.keep_cards([ASHA])
    result.keep_cards([MEERA])
    assert result.cards_to_show() == [MEERA]


def test_a_shared_first_name_needs_the_full_name() -> None:
    assert named_in([ASHA, ASHA_K], "Asha is great") == []
    assert named_in([ASHA, ASHA_K], "Asha Kale is great") == [ASHA_K]
    assert named_in([MEERA], "Meeraj is someone else") == []
