"""Names and loanwords typed in Devanagari meet their English spelling in the bios."""

from __future__ import annotations

import pytest

from talent import translit


@pytest.mark.parametrize(
    ("devanagari", "latin"),
    [("फ़िल्मफ़ेयर", "Filmfare"), ("फिल्मफेअर", "Filmfare"), ("नंदी", "Nandi"), ("केरळ", "Kerala")],
)
def test_a_name_in_devanagari_has_the_skeleton_of_its_english_spelling(
    devanagari: str, latin: str
) -> None:
    assert translit.skeleton(devanagari) == translit.skeleton(latin)


def test_short_words_say_too_little_to_match_alone() -> None:
    assert translit.query_keys(["नंदी"]) == set()  # "nd": too many English words spell it
    assert translit.query_keys(["नंदी", "पुरस्कार"]) == {"prskr", "ndprskr"}


def test_the_bios_spelling_a_devanagari_name_score_by_its_rarity() -> None:
    keys = translit.query_keys(["ज़ूम्बा", "क्विवर", "वाली"])
    bios = {
        1: "She was a housemate on Zoomba Quiver in 2012.",
        2: "A stage actress from Pune.",
        3: "Known for Zoomba dance videos.",
    }
    scores = translit.scores(keys, bios)
    assert set(scores) == {1, 3} and scores[1] > scores[3]


def test_a_short_name_pairs_with_its_english_gloss_neighbour() -> None:
    # "नंदी पुरस्कार" is read "नंदी award": the pair spells "Nandi Award" in the bios
    keys = translit.query_keys(["नंदी", "award", "winner"])
    assert translit.spelled(keys, "He won the Nandi Award twice.") == {"ndvrd"}
    assert translit.spelled(keys, "An award winner from Nandyal.") == set()
