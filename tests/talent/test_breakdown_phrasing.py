"""Constraints as breakdowns and chat messages state them: honorifics, refusals, someone
else's relatives, other Indian languages' words and digits, shorthand, the shoot's place."""

from __future__ import annotations

from datetime import date

import pytest

from talent.query import parse

TODAY = date(2026, 11, 24)

CASES: list[tuple[str, dict[str, object]]] = [
    # honorifics before a name say the gender; titles and awards do not
    ("Smt. Kulkarni, a headmistress", {"gender": "female"}),
    ("Mrs Pillai the landlady, Malayalam", {"gender": "female", "languages": ["Malayalam"]}),
    ("Shri Joshi, retired judge", {"gender": "male"}),
    ("श्रीमती देशपांडे", {"gender": "female"}),
    ("Padma Shri actors", {}),
    ("Miss Universe winners", {"gender": "female"}),  # a women's pageant
    # a gender refused is the other one, unless a word says which
    ("no women please, Kannada", {"gender": "male", "languages": ["Kannada"]}),
    ("aurat nahi chahiye", {"gender": "male"}),
    ("girls only, no boys", {"gender": "female"}),
    # a gender word that owns the next person names someone else
    ("the heroine's brother, 25-30", {"gender": "male", "age_min": 25, "age_max": 30}),
    ("villain's wife", {"gender": "female"}),
    ("heroine ke pita ka role", {"gender": "male"}),
    ("Rao's part: a grandmother", {"gender": "female"}),
    ("mother of the hero, 50s", {"gender": "female", "age_min": 50, "age_max": 59}),
    ("Mrs. Kapoor's husband", {"gender": "male"}),
    # family words of parts in Hindi and Marathi
    ("saas ka role", {"gender": "female"}),
    ("devar, 28", {"gender": "male", "age_min": 28, "age_max": 28}),
    # other Indian languages' words for actress/actor, their digits and "from ... to"
    ("বাংলা অভিনেতা", {"gender": "male", "languages": ["Bengali"]}),
    ("மலையாள நடிகர், 40 முதல் 50", {"gender": "male", "age_min": 40, "age_max": 50}),
    ("ಕನ್ನಡ ನಟ, ೩೦-೪೦", {"gender": "male", "languages": ["Kannada"], "age_min": 30, "age_max": 40}),
    ("నటి, 25 నుంచి 30", {"gender": "female", "age_min": 25, "age_max": 30}),
    ("meye, boyosh 20 theke 24", {"gender": "female", "age_min": 20, "age_max": 24}),
    ("ponnu, vayasu 22", {"gender": "female", "age_min": 22, "age_max": 22}),
    ("ગુજરાતી અભિનેત્રી", {"gender": "female", "languages": ["Gujarati"]}),
    ("ਪੰਜਾਬੀ ਅਦਾਕਾਰ, 60 ਸਾਲ ਤੋਂ ਵੱਧ", {"gender": "male", "languages": ["Punjabi"], "age_min": 61}),
    # chat shorthand: "m/f" is either, "gurl" a girl; one playing age for "32 yo"
    ("m/f, Hindi, 20-25", {"languages": ["Hindi"], "age_min": 20, "age_max": 25}),
    ("gurl 32 yo", {"gender": "female", "age_min": 32, "age_max": 32}),
    ("actress approx. 40", {"gender": "female", "age_min": 37, "age_max": 43}),
    ("abt 50", {"age_min": 47, "age_max": 53}),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_breakdown_phrasing(text: str, expected: dict[str, object]) -> None:
    assert parse(text, today=TODAY).filters.compact() == expected


def test_a_misspelt_actress_is_read_and_said() -> None:
    parsed = parse("need an actres for Tamil", today=TODAY)
    assert parsed.filters.gender == "female"
    assert parsed.assumed == ("'actres' read as actress",)
    assert parse("heroin addict, male", today=TODAY).filters.gender == "male"  # a real word


@pytest.mark.parametrize("text", ["Male, 40s. Shoot in Jaipur", "actor, not from Delhi"])
def test_the_shoot_or_a_refused_city_is_no_filter_and_said(text: str) -> None:
    parsed = parse(text, today=TODAY)
    assert parsed.filters.cities == []
    assert len(parsed.assumed) == 1 and "not a filter on where people live" in parsed.assumed[0]


@pytest.mark.parametrize(
    "text", ["actress, not Marathi", "non-Hindi actors", "who don't speak Tamil", "Hindi nahi"]
)
def test_a_refused_language_is_no_filter_and_said(text: str) -> None:
    parsed = parse(text, today=TODAY)
    assert parsed.filters.languages == []
    assert len(parsed.assumed) == 1 and "refused" in parsed.assumed[0]
