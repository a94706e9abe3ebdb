"""The query parser, table-driven: phrasing -> filters (only the fields that are set)."""

from __future__ import annotations

from datetime import date

import pytest

from talent.query import parse

TODAY = date(2026, 11, 24)

CASES: list[tuple[str, dict[str, object]]] = [
    # age
    ("actors aged 25-35", {"age_min": 25, "age_max": 35}),
    ("25 to 35 year old actors", {"age_min": 25, "age_max": 35}),
    ("between 30 and 40", {"age_min": 30, "age_max": 40}),
    ("in her 20s", {"gender": "female", "age_min": 20, "age_max": 29}),
    ("in his 40s", {"gender": "male", "age_min": 40, "age_max": 49}),
    ("in their thirties", {"age_min": 30, "age_max": 39}),
    ("early 30s", {"age_min": 30, "age_max": 33}),
    ("mid-twenties", {"age_min": 23, "age_max": 26}),
    ("late 40s", {"age_min": 46, "age_max": 49}),
    ("around 40", {"age_min": 37, "age_max": 43}),
    ("about 55 years", {"age_min": 52, "age_max": 58}),
    ("40ish", {"age_min": 37, "age_max": 43}),
    ("teen", {"age_min": 13, "age_max": 19}),
    ("teenagers", {"age_min": 13, "age_max": 19}),
    ("a kid", {"age_min": 5, "age_max": 12}),
    ("middle-aged", {"age_min": 45, "age_max": 65}),  # the OED: "between about 45 and 65"
    ("elderly", {"age_min": 60, "age_max": 90}),
    ("over 30", {"age_min": 31}),
    ("at least 30", {"age_min": 30}),
    ("30+ years", {"age_min": 30}),
    ("under 25", {"age_max": 24}),
    ("30 year old", {"age_min": 30, "age_max": 30}),
    ("aged 45", {"age_min": 45, "age_max": 45}),
    ("teens", {"age_min": 13, "age_max": 19}),
    # gender
    ("actress", {"gender": "female"}),
    ("a sixty-ish actor", {"gender": "male", "age_min": 57, "age_max": 63}),
    ("female actor", {"gender": "female"}),
    ("45 plus", {"age_min": 45}),
    ("umar 35 ke upar", {"age_min": 36}),  # more than 35, as "over 35"
    ("sixtyish woman", {"gender": "female", "age_min": 57, "age_max": 63}),
    ("Punjabi munda", {"gender": "male", "languages": ["Punjabi"]}),
    ("gaane wali ladki", {"gender": "female", "skills": ["playback singing"]}),
    ("Kannadiga hero", {"gender": "male", "languages": ["Kannada"]}),
    ("45 ki umar ka", {"age_min": 45, "age_max": 45}),
    ("pachaas baras", {"age_min": 50, "age_max": 50}),
    ("son of an actress", {"gender": "male"}),
    ("nieces of film producers", {"gender": "female"}),
    ("actors", {}),
    ("women who began as child stars", {"gender": "female"}),
    ("need a child artist", {"age_min": 5, "age_max": 12}),
    ("women", {"gender": "female"}),
    ("a girl", {"gender": "female"}),
    ("male actors", {"gender": "male"}),
    ("a guy", {"gender": "male"}),
    ("men and women", {}),
    ("non-binary performer", {"gender": "non-binary"}),
    ("ladki", {"gender": "female"}),
    ("ladka", {"gender": "male"}),
    ("aurat", {"gender": "female"}),
    ("aadmi", {"gender": "male"}),
    ("लड़की", {"gender": "female"}),
    ("आदमी", {"gender": "male"}),
    ("मुलगी", {"gender": "female"}),
    ("मुलगा", {"gender": "male"}),
    # cities and travel
    ("in Mumbai", {"cities": ["Mumbai"]}),
    ("Bombay based", {"cities": ["Mumbai"]}),
    ("from Bangalore or Delhi", {"cities": ["Bengaluru", "Delhi"]}),
    ("Mumbai or willing to travel", {"cities": ["Mumbai"], "willing_to_travel": True}),
    ("willing to travel", {"willing_to_travel": True}),
    ("can travel", {"willing_to_travel": True}),
    ("पुणे", {"cities": ["Pune"]}),
    ("मुंबई", {"cities": ["Mumbai"]}),
    # languages and accents
    ("speaks Marathi", {"languages": ["Marathi"]}),
    ("Marathi and Hindi", {"languages": ["Marathi", "Hindi"]}),
    ("bangla speaking", {"languages": ["Bengali"]}),
    ("Haryanvi", {"languages": ["Haryanvi"]}),
    ("मराठी", {"languages": ["Marathi"]}),
    ("भोजपुरी", {"languages": ["Bhojpuri"]}),
    ("British accent", {"skills": ["british accent"]}),
    ("Bengali accent", {"skills": ["bengali accent"]}),
    ("a Tamil accent", {"skills": ["tamil accent"]}),
    ("bambaiya", {"skills": ["mumbaiya accent"]}),
    # skills and synonyms
    ("can do kathak", {"skills": ["kathak"]}),
    ("kalari", {"skills": ["kalaripayattu"]}),
    ("bharatnatyam", {"skills": ["bharatanatyam"]}),
    ("horse riding", {"skills": ["horse riding"]}),
    ("ghudsawari", {"skills": ["horse riding"]}),
    ("swimmers", {"skills": ["swimming"]}),
    ("kushti", {"skills": ["wrestling"]}),
    ("bansuri", {"skills": ["flute"]}),
    ("kick boxing and yoga", {"skills": ["kickboxing", "yoga"]}),
    ("कथक", {"skills": ["kathak"]}),
    # height
    ("5'10\"+", {"height_min": 178}),
    ("over 175 cm", {"height_min": 176}),
    ("at least 170cm", {"height_min": 170}),
    ("under 160 cm", {"height_max": 159}),
    ("6 ft or taller", {"height_min": 183}),
    ("5 foot 4", {"height_min": 160, "height_max": 166}),
    ("5’6” and above", {"height_min": 168}),
    # showreel and credits
    ("with a showreel", {"has_showreel": True}),
    ("has reel", {"has_showreel": True}),
    ("credits 2015-2020", {"credits_from": 2015, "credits_to": 2020}),
    ("worked in 2019", {"credits_from": 2019, "credits_to": 2019}),
    ("credits since 2018", {"credits_from": 2018}),
    ("films before 2010", {"credits_to": 2009}),
    ("work in the 2010s", {"credits_from": 2010, "credits_to": 2019}),
    ("recent credits", {"credits_from": 2024, "credits_to": 2026}),
    # combinations, Hinglish, Hindi, Marathi
    (
        "actors in Mumbai aged 25-35 who speak Marathi and can do kathak",
        {
            "age_min": 25,
            "age_max": 35,
            "cities": ["Mumbai"],
            "languages": ["Marathi"],
            "skills": ["kathak"],
        },
    ),
    (
        "Mumbai mein 20-25 saal ki Marathi bolne wali ladki",
        {
            "cities": ["Mumbai"],
            "age_min": 20,
            "age_max": 25,
            "languages": ["Marathi"],
            "gender": "female",
        },
    ),
    (
        "Haryanvi bolne wala aadmi 40 ke aas paas",
        {"languages": ["Haryanvi"], "gender": "male", "age_min": 37, "age_max": 43},
    ),
    ("30 saal se zyada ladka", {"age_min": 31, "gender": "male"}),
    (
        "मराठी बोलणारी मुलगी 25 ते 30 वर्षांची",
        {"languages": ["Marathi"], "gender": "female", "age_min": 25, "age_max": 30},
    ),
    ("मुंबई की लड़की जो कथक कर सके", {"cities": ["Mumbai"], "gender": "female", "skills": ["kathak"]}),
    ("लड़की 20 से 25 साल", {"gender": "female", "age_min": 20, "age_max": 25}),
    (
        "5'10\"+ male with kalari, willing to travel",
        {
            "height_min": 178,
            "gender": "male",
            "skills": ["kalaripayattu"],
            "willing_to_travel": True,
        },
    ),
    (
        "woman in her late 30s, Punjabi, horse riding, showreel",
        {
            "gender": "female",
            "age_min": 36,
            "age_max": 39,
            "languages": ["Punjabi"],
            "skills": ["horse riding"],
            "has_showreel": True,
        },
    ),
    ("someone who can play a tough cop", {}),
    # Hinglish as typed: romanised Hindi nouns, verb forms, postpositions, number words
    ("Gujarati abhineta", {"gender": "male", "languages": ["Gujarati"]}),
    ("abhinetri 40 ke upar", {"gender": "female", "age_min": 41}),
    ("ladke jo naach sakte hain", {"gender": "male", "skills": ["dancer"]}),
    (  # the feminine verbs say a woman
        "jo gaati bhi ho aur naachti bhi",
        {"gender": "female", "skills": ["playback singing", "dancer"]},
    ),
    ("heroine jo likhti bhi ho", {"gender": "female", "skills": ["writer"]}),
    ("जो नाचती हो ऐसी लड़की", {"gender": "female", "skills": ["dancer"]}),
    ("heroin addict", {}),  # the drug, not a heroine
    ("35 saal tak", {"age_max": 35}),
    ("25 se chhoti", {"age_max": 24}),  # younger than 25
    ("30 aur 40 ke beech", {"age_min": 30, "age_max": 40}),
    ("४० पेक्षा जास्त", {"age_min": 41}),
    ("pachees saal ki", {"age_min": 25, "age_max": 25}),
    ("forty-two years old", {"age_min": 42, "age_max": 42}),
    ("films 2010 ke baad", {"credits_from": 2011}),
    ("2012 se pehle", {"credits_to": 2011}),
    ("2010 से 2015 के बीच", {"credits_from": 2010, "credits_to": 2015}),
    # a birth year is an age, not a credit year
    ("actresses born in 1990", {"gender": "female", "age_min": 36, "age_max": 36}),
    ("born in the 1980s", {"age_min": 37, "age_max": 46}),
    ("born after 1995", {"age_min": 0, "age_max": 30}),
    ("born before 1970", {"age_min": 57}),
    # (the feminine participle "जन्मी" says a woman, as "जन्मलेली" does)
    ("1990 में जन्मी", {"gender": "female", "age_min": 36, "age_max": 36}),
    ("born in Pune in 1985", {"age_min": 41, "age_max": 41}),
    ("aged 60 and above", {"age_min": 60}),
    ("thirty-something", {"age_min": 30, "age_max": 39}),
    # professions said as verbs; "has" is not "as" (a part to play)
    ("actor who has directed films", {"gender": "male", "skills": ["director"]}),
    ("who has written films", {"skills": ["writer"]}),
    ("actors who joined politics", {"skills": ["politician"]}),
    ("३० वर्षांखालील अभिनेत्री", {"gender": "female", "age_max": 29}),
    ("४० वर्षांवरील", {"age_min": 41}),
    ("पंजाबी मुंडा", {"gender": "male", "languages": ["Punjabi"]}),
    # limits said with a negation or after the number
    ("no older than 35", {"age_max": 35}),
    ("up to 35", {"age_max": 35}),
    ("30 or younger", {"age_max": 30}),
    ("over the age of 50", {"age_min": 51}),
    ("maximum age 40", {"age_max": 40}),
    ("35 saal se zyada nahi", {"age_max": 35}),
    ("in their forties and fifties", {"age_min": 40, "age_max": 59}),
    ("gentlemen", {"gender": "male"}),
    ("नायिका", {"gender": "female"}),
    ("40 ke paar", {"age_min": 40}),
    ("Telegu", {"languages": ["Telugu"]}),
    ("actress with a theatre background", {"gender": "female"}),  # ranked on
    ("theatre actress", {"gender": "female", "skills": ["theatre"]}),  # the line of work
    ("under-30 actresses", {"gender": "female", "age_max": 29}),
    ("40-plus", {"age_min": 40}),
    ("between 30 & 40", {"age_min": 30, "age_max": 40}),
    ("a woman of forty", {"gender": "female", "age_min": 40, "age_max": 40}),
    ("40 yrs+", {"age_min": 40}),
    ("auraten jo ga sakti hain", {"gender": "female", "skills": ["playback singing"]}),
    ("aunty type actress", {"gender": "female"}),
    ("adhed umar ka aadmi", {"gender": "male", "age_min": 45, "age_max": 65}),
    ("Bangali heroine", {"gender": "female", "languages": ["Bengali"]}),
    ("anchoring karti hai", {"gender": "female", "skills": ["television presenter"]}),  # -ti: she
    ("worked with Nana Patekar", {}),  # a name, not a grandfather
    ("25 ki ladki", {"gender": "female", "age_min": 25, "age_max": 25}),
    ("top 10 ki list", {}),
    ("30 ke kareeb", {"age_min": 27, "age_max": 33}),
    ("lagbhag 40", {"age_min": 37, "age_max": 43}),
    ("auraton", {"gender": "female"}),
    # a film industry's nickname is its language
    ("Kollywood actress", {"gender": "female", "languages": ["Tamil"]}),
]


def test_enough_phrasings() -> None:
    assert len(CASES) >= 80


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_parse(text: str, expected: dict[str, object]) -> None:
    """Every case is read on 24 November 2026 (ages from birth years depend on it)."""
    assert parse(text, today=TODAY).filters.compact() == expected


@pytest.mark.parametrize(
    ("text", "semantic"),
    [
        ("someone who can play a tough cop", "play tough cop"),
        ("menacing villain in his 50s", "menacing villain"),
        ("women in Mumbai with comic timing", "comic timing"),
        ("actors in Mumbai aged 25-35 who speak Marathi", ""),
        ("koi villain type actor jo Haryanvi bolta ho", "villain"),
        # biography words glossed in English, so English bios' full text meets them
        ("नाटक और टीवी से आई अभिनेत्री", "theatre play television"),
        ("सौंदर्य प्रतियोगिता जीती हुई", "beauty contest pageant won"),
        # ... also under a Hindi/Marathi case ending
        ("नाटकांतून आलेली", "theatre play"),
        ("मालिकांमध्ये काम करणारी", "television serial"),
        ("पुरस्कारों से सम्मानित", "award honoured"),
    ],
)
def test_semantic_remainder(text: str, semantic: str) -> None:
    assert parse(text, today=TODAY).semantic == semantic


def test_recognised_phrases_are_reported_in_order() -> None:
    parsed = parse("Marathi women in Pune aged 25-35", today=TODAY)
    assert parsed.recognised == ("marathi", "women", "pune", "aged 25-35")


def test_a_refused_background_is_not_ranked_on():
    parsed = parse("actress, no theatre background, film only")
    assert parsed.filters.compact() == {"gender": "female"}
    assert "theatre" not in parsed.semantic
    assert "theatre" in parse("actress with a theatre background").semantic


def test_a_first_name_that_means_role_is_kept_as_typed():
    assert "bhumika" in parse("actress like Bhumika Chawla, Telugu").semantic
