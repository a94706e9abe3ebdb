"""More ways of stating a hard constraint (gender, age, language, occupation, birthplace),
and the parser saying how it read a word with two meanings or a misspelt one. Phrasings
are from grammars and dictionaries (see the vocabulary's comments), not evaluation queries."""

from __future__ import annotations

from datetime import date

import pytest

from talent.query import parse

TODAY = date(2026, 11, 24)

CASES: list[tuple[str, dict[str, object]]] = [
    # a relative's gender and work are not the person's: "whose ... is", "married to",
    # a possessive or Hindi/Marathi genitive before the person's kinship
    ("actor whose mother was an actress", {"gender": "male"}),
    ("actress whose father is a politician, Telugu", {"gender": "female", "languages": ["Telugu"]}),
    ("her husband is a film director", {"gender": "female"}),
    ("actor married to an actress", {"gender": "male"}),
    ("a producer's son who acts", {"gender": "male"}),
    ("producer ki beti", {"gender": "female"}),
    ("jiske papa director hain aisi actress", {"gender": "female"}),
    ("अभिनेत्याची मुलगी", {"gender": "female"}),
    ("जिचे वडील निर्माते आहेत अशी अभिनेत्री", {"gender": "female"}),
    ("hero ki maa, 55-65", {"gender": "female", "age_min": 55, "age_max": 65}),  # the part
    ("actress whose dad produces films", {"gender": "female"}),
    ("actress who was directed by her father", {"gender": "female"}),
    # a profession that is someone else's: a passive's agent, the one worked with
    ("actress in a film produced by Karan Johar", {"gender": "female"}),
    ("actress launched by a producer", {"gender": "female"}),
    ("actor who worked with director Mani Ratnam", {"gender": "male"}),
    ("singer by training, actress", {"gender": "female", "skills": ["playback singing"]}),
    # a women's beauty pageant's title says a woman; "Mr. India" (also a film) says nothing
    ("a former Miss Universe", {"gender": "female"}),
    ("Mrs. India winner, 40s", {"gender": "female", "age_min": 40, "age_max": 49}),
    ("Mr. India cast", {}),
    # an age at a past event of the career is not the age now
    ("made her debut aged 15 in Telugu films", {"gender": "female", "languages": ["Telugu"]}),
    ("at age 10 she started acting", {"gender": "female"}),
    ("child artist who debuted at 5, now 25-30", {"age_min": 25, "age_max": 30}),
    ("actress aged 25", {"gender": "female", "age_min": 25, "age_max": 25}),
    # a breakdown's sex letter beside an open age or before one age; not after one number
    ("F 25+", {"gender": "female", "age_min": 25}),
    ("35+ F, Tamil", {"gender": "female", "age_min": 35, "languages": ["Tamil"]}),
    ("M40", {"gender": "male", "age_min": 40, "age_max": 40}),
    ("shoot is 10 m away", {}),
    ("a middle age man", {"gender": "male", "age_min": 45, "age_max": 65}),
    # a decade before a lead's noun is when their films came out, not an age
    ("90s heroine", {"gender": "female", "credits_from": 1990, "credits_to": 1999}),
    ("80s ki heroine chahiye", {"gender": "female", "credits_from": 1980, "credits_to": 1989}),
    ("70s superstar", {"credits_from": 1970, "credits_to": 1979}),
    ("heroine in her 40s", {"gender": "female", "age_min": 40, "age_max": 49}),
    # industries' nicknames and languages' own scripts
    ("Ollywood actors", {"languages": ["Odia"]}),
    ("Dhollywood actress", {"gender": "female", "languages": ["Gujarati"]}),
    ("Maharashtrian actress", {"gender": "female", "languages": ["Marathi"]}),
    ("தமிழ் heroine", {"gender": "female", "languages": ["Tamil"]}),
    ("हिंदीभाषी अभिनेता", {"gender": "male", "languages": ["Hindi"]}),
    # a language named in another Indian language's script (Unicode CLDR's names)
    ("இந்தி பேசும் நடிகை", {"gender": "female", "languages": ["Hindi"]}),
    ("ಹಿಂದಿ ನಟ", {"gender": "male", "languages": ["Hindi"]}),
    ("तामिळ अभिनेत्री", {"gender": "female", "languages": ["Tamil"]}),
    # feminine agent nouns and verbs say a woman; masculine ones say nothing
    ("गायिका", {"gender": "female", "skills": ["playback singing"]}),
    ("गायक", {"skills": ["playback singing"]}),
    ("songstress", {"gender": "female", "skills": ["playback singing"]}),
    ("koi chahiye jo Tamil bolti ho", {"gender": "female", "languages": ["Tamil"]}),
    ("मराठी मुलगी हवी", {"gender": "female", "languages": ["Marathi"]}),
    ("अभिनेत्याची गरज, वय ४५", {"gender": "male", "age_min": 45, "age_max": 45}),
    ("F, 30s, Tamil", {"gender": "female", "age_min": 30, "age_max": 39, "languages": ["Tamil"]}),
    ("actor (F) Hindi", {"gender": "female", "languages": ["Hindi"]}),
    # Hindi and Marathi oblique plurals of professions, family words of parts
    ("निर्माताओं की सूची, पुरुष", {"gender": "male", "skills": ["producer"]}),
    ("मराठी दिग्दर्शकांची यादी", {"languages": ["Marathi"], "skills": ["director"]}),
    ("आजीच्या भूमिकेसाठी", {"gender": "female"}),
    ("widow role, 50s", {"gender": "female", "age_min": 50, "age_max": 59}),
    # counts of each gender ask for both; a refusal said as a want asks for the other
    ("3 actresses and 2 actors, Kannada", {"languages": ["Kannada"]}),
    ("an actor and two actresses", {}),
    ("chaar behenein aur ek bhai", {}),
    ("we are not looking for men, 60+", {"gender": "female", "age_min": 60}),
    ("we don't want boys, Tamil", {"gender": "female", "languages": ["Tamil"]}),
    ("anybody but women, Punjabi", {"gender": "male", "languages": ["Punjabi"]}),
    ("a couple of actors and a couple of actresses", {}),
    (
        "Marathi actor from 25 up to 32",
        {"gender": "male", "languages": ["Marathi"], "age_min": 25, "age_max": 32},
    ),
    # a language no one asks for ("no Hindi needed", "Hindi not required") is no filter;
    # nor a place refused with "wali nahi" ("the one from Delhi, not")
    ("heroine, Tamil, no Hindi needed", {"gender": "female", "languages": ["Tamil"]}),
    ("Bengali must, Hindi not required", {"languages": ["Bengali"]}),
    ("Hindi is optional, Marathi actor", {"gender": "male", "languages": ["Marathi"]}),
    ("Mumbai wala nahi chahiye, ladka", {"gender": "male"}),
    # the person a chat addresses is not the part
    ("bhai zara ek Kannada ladki dhoondh", {"gender": "female", "languages": ["Kannada"]}),
    ("didi, Marathi ladka chahiye", {"gender": "male", "languages": ["Marathi"]}),
    ("bhai ka role, Hindi", {"gender": "male", "languages": ["Hindi"]}),  # the part itself
    # ages
    ("septuagenarian actor", {"gender": "male", "age_min": 70, "age_max": 79}),
    ("40 max, female", {"gender": "female", "age_max": 40}),
    ("atleast 40 male", {"gender": "male", "age_min": 40}),
    ("age more than 50", {"age_min": 51}),
    ("50 onwards", {"age_min": 50}),
    ("कम से कम 40 साल का अभिनेता", {"gender": "male", "age_min": 40}),
    ("अधिकतम 35 वर्ष की अभिनेत्री", {"gender": "female", "age_max": 35}),
    ("किमान ४० वर्षांची अभिनेत्री", {"gender": "female", "age_min": 40}),
    ("45 वर्षीय अभिनेता", {"gender": "male", "age_min": 45, "age_max": 45}),
    ("40 से कम उम्र की महिला", {"gender": "female", "age_max": 39}),  # less than 40
    ("साठीतले अभिनेते", {"gender": "male", "age_min": 60, "age_max": 69}),
    ("साठी ओलांडलेली अभिनेत्री", {"gender": "female", "age_min": 60}),
    ("मालिकेसाठी अभिनेत्री", {"gender": "female"}),  # "-साठी" is "for"
    ("mulgi havi, vay vees te panchvis", {"gender": "female", "age_min": 20, "age_max": 25}),
    ("manus hava, pannas te saath", {"gender": "male", "age_min": 50, "age_max": 60}),
    ("chalishitli bai", {"gender": "female", "age_min": 40, "age_max": 49}),
    # occupations said as a line of work before the performer's noun
    ("TV actress", {"gender": "female", "skills": ["television"]}),
    ("stage actor", {"gender": "male", "skills": ["theatre"]}),
    ("TV host", {"skills": ["television presenter"]}),
    ("woman who has anchored events", {"gender": "female", "skills": ["television presenter"]}),
    ("stand-up comedians, men", {"gender": "male", "skills": ["comedian"]}),  # one profession
    ("नाचणारी अभिनेत्री", {"gender": "female", "skills": ["dancer"]}),
    ("lihinara abhineta", {"gender": "male", "skills": ["writer"]}),
    # a decade of work, not of age, when the query speaks of work and not of age
    ("80s mein kaam karne wale actors", {"credits_from": 1980, "credits_to": 1989}),
    ("70s mein actress", {"gender": "female", "age_min": 70, "age_max": 79}),
    ("films in the past 10 years", {"credits_from": 2016, "credits_to": 2026}),  # not an age
    ("पिछले 5 साल में फ़िल्में", {"credits_from": 2021, "credits_to": 2026}),
    ("actor past 50", {"gender": "male", "age_min": 50}),
    ("actor 60 yrs plus", {"gender": "male", "age_min": 60}),
    ("actresses who have worked as models", {"gender": "female", "skills": ["model"]}),
    # a skill refused is no filter ("not a singer" asked for singers); a wished one ranks
    ("woman, not a dancer, Tamil", {"gender": "female", "languages": ["Tamil"]}),
    ("no models please, male 30-40", {"gender": "male", "age_min": 30, "age_max": 40}),
    ("Hindi hero, dancer nahi chahiye", {"gender": "male", "languages": ["Hindi"]}),
    ("ladki chahiye, dance aaye to achha", {"gender": "female"}),
    ("actress, modelling experience a plus", {"gender": "female"}),
    ("preferably a singer, female", {"gender": "female"}),
    (
        "not only a singer but a dancer too, woman",
        {"gender": "female", "skills": ["playback singing", "dancer"]},
    ),
    # a breakdown's table: the sex letter between bars or after a field's colon
    (
        "Need: M | 40-45 | Marathi",
        {"gender": "male", "age_min": 40, "age_max": 45, "languages": ["Marathi"]},
    ),
    ("Tamil | F | 30s", {"gender": "female", "age_min": 30, "age_max": 39, "languages": ["Tamil"]}),
    # texting's "abv" is above
    ("woman abv 50", {"gender": "female", "age_min": 51}),
    # a brother's wife is a woman's part (Hindi भाभी, Marathi वहिनी)
    ("भाभी का रोल, 30-35", {"gender": "female", "age_min": 30, "age_max": 35}),
    ("वहिनीची भूमिका, मराठी", {"gender": "female", "languages": ["Marathi"]}),
    # "theatre" alone is a background, ranked on; "theatre artist" is the line of work
    ("man with a theatre background, 40s", {"gender": "male", "age_min": 40, "age_max": 49}),
    ("theatre artist, female", {"gender": "female", "skills": ["theatre"]}),
    # "bhai"/"didi" before the request's article or pronoun address the reader
    ("bhai ek Punjabi heroine chahiye", {"gender": "female", "languages": ["Punjabi"]}),
    ("didi mujhe ek ladki chahiye, 25-30", {"gender": "female", "age_min": 25, "age_max": 30}),
    # a feminine verb of doing before its auxiliary, with no "jo"; not "aati" (the
    # language is its subject)
    ("acting bhi karti hai, Tamil", {"gender": "female", "languages": ["Tamil"]}),
    ("नाचती भी है, 30-40", {"gender": "female", "age_min": 30, "age_max": 40, "skills": ["dancer"]}),
    ("actor jiski maa acting karti hai", {"gender": "male"}),
    ("Hindi aati ho, 30-40", {"age_min": 30, "age_max": 40, "languages": ["Hindi"]}),
    # grandparents' words that are also names, as a part; the name alone says nothing
    ("nana ji ka role, 70+", {"gender": "male", "age_min": 70}),
    ("nani ki bhumika, Tamil", {"gender": "female", "languages": ["Tamil"]}),
    ("nani type, Tamil", {"languages": ["Tamil"]}),  # the star's type, or a grandmother's
    # Hindi puts the co-star before "ke opposite" / "के सामने": the one wanted comes after
    (
        "30 saal ki heroine ke opposite hero chahiye, 35-40",
        {"gender": "male", "age_min": 35, "age_max": 40},
    ),
    (
        "40 साल की अभिनेत्री के सामने हीरो चाहिए, 45-50",
        {"gender": "male", "age_min": 45, "age_max": 50},
    ),
    (
        "hero ke opposite 30 saal ki heroine chahiye",
        {"gender": "female", "age_min": 30, "age_max": 30},
    ),
    ("Nani ke saath kaam kiya ho", {}),
    # the villain (खलनायक) says a man unless a person's noun says otherwise
    ("तमिल फिल्मों का खलनायक", {"gender": "male", "languages": ["Tamil"]}),
    ("खलनायक की भूमिका वाली अभिनेत्री", {"gender": "female"}),
    # the people one comes from is no language filter
    ("actress from a Gujarati family, Hindi films", {"gender": "female", "languages": ["Hindi"]}),
    ("actor of Bengali descent", {"gender": "male"}),
    ("actress for a role in a Tamil family drama", {"gender": "female", "languages": ["Tamil"]}),
    # Hindi/Marathi "at the age of N" before a career's start is then, not now
    (
        "15 साल की उम्र में डेब्यू, अब 30 से 40 की अभिनेत्री",
        {"gender": "female", "age_min": 30, "age_max": 40},
    ),
    ("१४ व्या वर्षी पदार्पण केलेला अभिनेता", {"gender": "male"}),
    # a breakdown's "35/40" is the ages from one to the other; a date is no age
    (
        "Tamil, 35/40, actress",
        {"gender": "female", "age_min": 35, "age_max": 40, "languages": ["Tamil"]},
    ),
    ("actress, 12/10 available", {"gender": "female"}),
    # a date keeps the age typed beside it, whichever comes first
    ("actress 25-30, audition 05/08", {"gender": "female", "age_min": 25, "age_max": 30}),
    ("Audition on 10/12, need actress 25-30", {"gender": "female", "age_min": 25, "age_max": 30}),
    ("shoot on 10/12/2026, male 40-50", {"gender": "male", "age_min": 40, "age_max": 50}),
    ("actress 30, available 10.12.2026", {"gender": "female", "age_min": 30, "age_max": 30}),
    ("shoot 14-12-2026, actor 40", {"gender": "male", "age_min": 40, "age_max": 40}),
    ("actor 40, audition 05-08", {"gender": "male", "age_min": 40, "age_max": 40}),
    # a garment size or another field's letter is no sex; a label asking who is
    ("Model for kurti shoot, size: M, 20-25", {"age_min": 20, "age_max": 25, "skills": ["model"]}),
    ("Languages: Hindi | Size: M | actress", {"gender": "female", "languages": ["Hindi"]}),
    ("saree model 30-35, blouse size: S/M", {"age_min": 30, "age_max": 35, "skills": ["model"]}),
    ("Looking for: F", {"gender": "female"}),
    (
        "Role: F, 30s, Tamil",
        {"gender": "female", "age_min": 30, "age_max": 39, "languages": ["Tamil"]},
    ),
    # the shoot's place in Hindi and Marathi order is not where the person lives
    ("नागपुरात शूटिंग आहे, मराठी अभिनेत्री हवी", {"gender": "female", "languages": ["Marathi"]}),
    (
        "Nagpur mein shoot hai, Marathi actress chahiye",
        {"gender": "female", "languages": ["Marathi"]},
    ),
    ("मुंबईची अभिनेत्री", {"gender": "female", "cities": ["Mumbai"]}),
    # "other than Tamil" refuses it: a filter can only ask for a language
    ("other than Tamil, actors 40s", {"age_min": 40, "age_max": 49}),
    # a leading zero beside "age" is a form's, not a date's
    ("child artist, age 05-08", {"age_min": 5, "age_max": 8}),
    # "plus" joining two skills asks for both; "a plus" wishes
    (
        "need a dancer plus singer, female",
        {"gender": "female", "skills": ["dancer", "playback singing"]},
    ),
    ("dancing is a plus, actress 25", {"gender": "female", "age_min": 25, "age_max": 25}),
    # a skill that can't be found is still wanted ("nahi mil rahi")
    (
        "koi achhi singer nahi mil rahi, ladki 20-25 chahiye",
        {"gender": "female", "age_min": 20, "age_max": 25, "skills": ["playback singing"]},
    ),
    # Marathi address to the reader (वहिनी, दादा) is nobody's gender
    ("vahini mala ek actor pahije", {"gender": "male"}),
    ("dada mala ek heroine pahije", {"gender": "female"}),
    # a feminine verb says a woman only when the person wanted is its subject, and not
    # beside its masculine pair
    (
        "kalakar chahiye 30-40, hamari team Pune mein rehti hai",
        {"age_min": 30, "age_max": 40, "cities": ["Pune"]},
    ),
    ("Tamil bolta ho ya bolti ho, 30-40", {"age_min": 30, "age_max": 40, "languages": ["Tamil"]}),
    ("artist chahiye jo Tamil bolta ho ya bolti ho", {"languages": ["Tamil"]}),
    # a skill's noun in the genitive or dative is someone else ("a director's film", "to the
    # director"); in the locative, the field the person is in
    ("प्रसिद्ध दिग्दर्शकाच्या चित्रपटात काम केलेली अभिनेत्री", {"gender": "female"}),
    ("दिग्दर्शकाला आवडेल असा अभिनेता", {"gender": "male"}),
    ("नृत्याचे प्रशिक्षण घेतलेली अभिनेत्री", {"gender": "female", "skills": ["dancer"]}),
    ("राजकारणात असलेली अभिनेत्री", {"gender": "female", "skills": ["politician"]}),
    # "the under-35s": the people under 35
    ("under-35s from the Malayalam industry", {"age_max": 34, "languages": ["Malayalam"]}),
    # Marathi "१५ वर नाटके" counts plays, not years: the age said beside it stays
    ("२० च्या आत चित्रपट केलेली अभिनेत्री, ३० ते ४०", {"gender": "female", "age_min": 30, "age_max": 40}),
    ("१५ वर नाटके केलेला अभिनेता", {"gender": "male"}),
    # Nani is a Telugu star too: "Nani type" is his type, only "nani ka role" a grandmother
    (
        "Nani type actor, Telugu, 30s",
        {"gender": "male", "age_min": 30, "age_max": 39, "languages": ["Telugu"]},
    ),
    # Marathi "च्या आत" (within) after a number, without an ending
    ("५० च्या आत अभिनेत्री", {"gender": "female", "age_max": 49}),
    # Marathi "वर" (above) after a decade of life: from it up
    ("पन्नाशीच्या वर अभिनेता", {"gender": "male", "age_min": 50}),
    ("tishichya var actress", {"gender": "female", "age_min": 30}),
    # Marathi's oblique -ा- before a case ending on a consonant-final noun
    ("राजकारणात सक्रिय अभिनेता", {"gender": "male", "skills": ["politician"]}),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_constraint_phrasing(text: str, expected: dict[str, object]) -> None:
    assert parse(text, today=TODAY).filters.compact() == expected


@pytest.mark.parametrize(
    "text",
    [
        "Calcutta-born actress",
        "कोलकाता में पैदा हुई अभिनेत्री",
        "actress jinka janam Calcutta mein hua",  # the noun "birth" with the place
        "अभिनेत्री, जन्मस्थान: कोलकाता",
        # where someone comes from by birth, not where they are based
        "actress who hails from Calcutta",
        "a native of Calcutta, actress",
        "originally from Calcutta, actress",
    ],
)
def test_born_in_said_place_first(text: str) -> None:
    parsed = parse(text, today=TODAY)
    assert "calcutta" in parsed.born_in and parsed.filters.cities == []
    assert parsed.filters.gender == "female"


def test_a_marathi_oblique_city_is_the_birthplace() -> None:
    assert "pune" in parse("पुण्यात जन्मलेली अभिनेत्री", today=TODAY).born_in  # in Pune


def test_tollywood_is_telugu_and_the_parser_says_so() -> None:
    parsed = parse("Tollywood actresses", today=TODAY)
    assert parsed.filters.languages == ["Telugu"]
    assert any("Bengali" in note for note in parsed.assumed)


def test_tollywood_beside_bengal_is_bengali_cinema() -> None:
    parsed = parse("Tollywood actress from Kolkata, Bengali", today=TODAY)
    assert parsed.filters.languages == ["Bengali"]


def test_a_theatre_background_is_ranked_on() -> None:
    parsed = parse("रंगमंच से जुड़ी अभिनेत्री", today=TODAY)
    assert parsed.filters.skills == [] and "theatre" in parsed.semantic


def test_a_misspelt_language_is_read_and_said() -> None:
    parsed = parse("Malayalum actor, Telgu also", today=TODAY)
    assert parsed.filters.languages == ["Malayalam", "Telugu"]
    assert parsed.assumed == ("'malayalum' read as Malayalam", "'telgu' read as Telugu")


@pytest.mark.parametrize(
    "text",
    [
        "Hindu actress",
        "born in Bengal",
        "actress who wears bangles",
        # English words a typo's distance from a language's name, and states named
        # after their people's language
        "dancer for two item songs",
        "someone with Hollywood experience",
        "a familiar face, 40s",
        "won a Tamil Nadu State award",
        "Maharashtra State award winner",
    ],
)
def test_words_of_their_own_are_no_language(text: str) -> None:
    parsed = parse(text, today=TODAY)
    assert parsed.filters.languages == []
    assert not any("read as" in note for note in parsed.assumed)


def test_a_state_named_after_a_language_still_leaves_the_language_asked_for() -> None:
    parsed = parse("Tamil-speaking actress from Tamil Nadu", today=TODAY)
    assert parsed.filters.languages == ["Tamil"]
    assert "tamil nadu" in parsed.semantic  # the state is left to the ranking


def test_sri_lankan_is_a_country_not_an_honorific() -> None:
    assert parse("Sri Lankan actress", today=TODAY).filters.gender == "female"


def test_a_bare_number_in_a_breakdown_is_an_age_and_said() -> None:
    parsed = parse("Female, 25, Tamil", today=TODAY)
    assert (parsed.filters.age_min, parsed.filters.age_max) == (25, 25)  # playing age
    assert parsed.assumed == ("25 read as a playing age",)
    assert parse("need 20 actresses", today=TODAY).filters.age_min is None


@pytest.mark.parametrize(
    ("text", "meant"),
    [
        ("producer ka beta, 25-30", "son"),  # someone's son: the part, as "mother" is
        ("ब्यूटी क्वीन रह चुकी अभिनेत्री", "beauty queen"),  # loanwords as Hindi writes them
        ("बचपन से अभिनय करने वाली अभिनेत्री", "childhood"),
        # Marathi "from among", genitive and "on" endings come off before the gloss
        ("मालिकांमधून दिसलेला अभिनेता", "television serial"),
        ("खलनायकाच्या भूमिका करणारा", "villain role"),
        ("रंगभूमीवरची अभिनेत्री", "theatre"),
        ("नकारात्मक रोल करने वाली अभिनेत्री", "negative"),
    ],
)
def test_the_words_left_to_rank_on_say_what_was_meant(text: str, meant: str) -> None:
    assert meant in parse(text, today=TODAY).semantic


@pytest.mark.parametrize(
    ("text", "ages"),
    [
        # a refused group of ages ("the under-30s", Oxford's "the over-fifties") leaves
        # the other side of its limit; "other than" and "barring" refuse as "except" does
        ("any Kannada actress except the under-30s", (30, None)),
        ("actresses, not the under-25s", (25, None)),
        ("excluding the over-60s, Hindi actors", (None, 60)),
        ("Tamil actress, barring the over-50s", (None, 50)),
        ("Telugu actors other than the under-40s", (40, None)),
        ("over-60s, Tamil actress", (60, None)),  # not refused: the group itself
        ("the under-30s only", (None, 29)),
    ],
)
def test_a_refused_age_group_keeps_the_other_side(
    text: str, ages: tuple[int | None, int | None]
) -> None:
    filters = parse(text, today=TODAY).filters
    assert (filters.age_min, filters.age_max) == ages


@pytest.mark.parametrize(
    ("text", "ages"),
    [
        # "the over-fifties" in words is the people over fifty (Oxford), not their fifties
        ("the over-fifties, Marathi", (50, None)),
        ("the under-forties, Hindi", (None, 39)),
        ("Tamil actors, except the over-sixties", (None, 60)),
        # a child artist said to have grown up is a past career, not a child's age now
        ("child artists now grown up, Tamil", (None, None)),
        ("a child actor who is all grown up, Hindi", (None, None)),
        ("child stars who are now adults", (None, None)),
        ("need a child artist, Hindi", (5, 12)),
        ("child artist, adult supervision on set", (5, 12)),
    ],
)
def test_decades_in_words_and_grown_up_child_artists(
    text: str, ages: tuple[int | None, int | None]
) -> None:
    filters = parse(text, today=TODAY).filters
    assert (filters.age_min, filters.age_max) == ages


@pytest.mark.parametrize(
    ("text", "gender"),
    [
        # a part played before is past work: the person's own word says the gender
        ("an actor who has played women", "male"),
        ("actress who played a man", "female"),
        ("a man who played the heroine, Tamil", "male"),
        # with nothing else said, the part is all there is to go on
        ("someone who has played a mother, Hindi", "female"),
        ("need someone to play a mother, 50s", "female"),
    ],
)
def test_a_part_played_before_gives_way_to_the_persons_gender(text: str, gender: str) -> None:
    assert parse(text, today=TODAY).filters.gender == gender


@pytest.mark.parametrize(
    ("text", "languages"),
    [
        # a refused language's "or", "nor" or slash refuses the next one too
        ("Bollywood actress, not Tamil or Telugu", ["Hindi"]),
        ("no Hindi or Marathi, Bengali actress", ["Bengali"]),
        ("actress, not Tamil/Telugu", []),
        ("not Tamil, nor Telugu, actress", []),
        ("not Tamil, Telugu actress", ["Telugu"]),  # a comma alone ends the refusal
    ],
)
def test_a_refusal_holds_across_or(text: str, languages: list[str]) -> None:
    assert parse(text, today=TODAY).filters.languages == languages


@pytest.mark.parametrize(
    ("text", "skills"),
    [
        # a skill refused with a negated verb is no filter ...
        ("women who dance but don't sing, Hindi", ["dancer"]),
        ("men who aren't dancers", []),
        ("must not be a model", []),
        # ... nor one joined to a refused skill by "or"
        ("not a singer or dancer, Hindi", []),
        ("no singers or dancers", []),
        # still wanted: a skill beside an unrelated negation
        ("can't find a good dancer, female", ["dancer"]),
        ("a dancer who isn't afraid of heights", ["dancer"]),
    ],
)
def test_a_skill_refused_with_a_verb_or_across_or(text: str, skills: list[str]) -> None:
    assert parse(text, today=TODAY).filters.skills == skills


@pytest.mark.parametrize(
    ("text", "gender", "ages"),
    [
        # the co-star "opposite" the part is someone else: their age and gender are theirs
        ("male lead opposite a 40-year-old actress", "male", (None, None)),
        ("an actress to play opposite a 50-year-old hero, she should be 35-45", "female", (35, 45)),
        ("actor opposite the heroine, Tamil, 30s", "male", (30, 39)),
        # a part being played now gives way to the person's own strong word
        ("a woman playing a man, Hindi", "female", (None, None)),
        ("someone playing a mother, 50s", "female", (50, 59)),
    ],
)
def test_the_co_star_and_the_part_played_are_not_the_person(
    text: str, gender: str, ages: tuple[int | None, int | None]
) -> None:
    filters = parse(text, today=TODAY).filters
    assert (filters.gender, (filters.age_min, filters.age_max)) == (gender, ages)


@pytest.mark.parametrize(
    ("text", "languages"),
    [
        # a language in a clause about a relative is the relative's
        ("actor whose wife is a Telugu actress, Kannada", ["Kannada"]),
        ("her son is a Hindi actor, Bengali actress", ["Bengali"]),
        ("Hindi actress whose mother is a Bengali singer", ["Hindi"]),
        ("married to a Marathi actor, she works in Hindi films", ["Hindi"]),
        # after the relative's clause, the person's own
        ("her husband is a director, she acts in Tamil", ["Tamil"]),
        ("heroine, daughter of an actor - Hindi", ["Hindi"]),
    ],
)
def test_a_relatives_language_is_theirs(text: str, languages: list[str]) -> None:
    assert parse(text, today=TODAY).filters.languages == languages


@pytest.mark.parametrize(
    ("text", "ages"),
    [
        # an age in a clause saying what a relative is, is the relative's
        ("her brother is a 40 year old actor", (None, None)),
        ("married to a 60 year old actor, actress 40-45", (40, 45)),
        ("actress whose husband is in his 50s, she is 35-40", (35, 40)),
        # the part's own age stays ("60 saal ke uncle": a genitive of the age, not a relative)
        ("ek 60 saal ke uncle chahiye", (60, 60)),
        ("actress in her 40s whose son is an actor", (40, 49)),
    ],
)
def test_a_relatives_age_is_theirs(text: str, ages: tuple[int | None, int | None]) -> None:
    filters = parse(text, today=TODAY).filters
    assert (filters.age_min, filters.age_max) == ages


@pytest.mark.parametrize(
    ("text", "gender"),
    [
        # those a voice or a dance is made for give way to the person's own word
        ("a man who dubbed for heroines", "male"),
        ("male dancer who choreographs heroines", "male"),
        ("a woman to voice a hero", "female"),
        # with nothing else said, they are all there is to go on
        ("someone who dubs for heroines, Telugu", "female"),
    ],
)
def test_those_a_voice_is_made_for_give_way(text: str, gender: str) -> None:
    assert parse(text, today=TODAY).filters.gender == gender


@pytest.mark.parametrize(
    ("text", "ages"),
    [
        # a birth decade in words is the same as in digits (TODAY is in 2026)
        ("actresses born in the Sixties, Tamil", (57, 66)),
        ("born in the nineteen-seventies, male", (47, 56)),
        ("born in the late seventies, female", (47, 50)),
        # a decade of life in words stays one
        ("in her fifties", (50, 59)),
    ],
)
def test_a_birth_decade_in_words(text: str, ages: tuple[int | None, int | None]) -> None:
    filters = parse(text, today=TODAY).filters
    assert (filters.age_min, filters.age_max) == ages


@pytest.mark.parametrize(
    ("text", "ages"),
    [
        # "-ish" after a range is the range, not its last number give or take three
        ("40 to 45ish male", (40, 45)),
        ("30-35ish, female", (30, 35)),
        ("thirty to forty-ish, Tamil", (30, 40)),
        ("fifty-ish woman", (47, 53)),  # one number's "-ish" is as before
    ],
)
def test_ish_after_a_range(text: str, ages: tuple[int | None, int | None]) -> None:
    filters = parse(text, today=TODAY).filters
    assert (filters.age_min, filters.age_max) == ages


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        # a skill refused after it: Marathi "नाही" (no), "X not required" said in Hindi and
        # Marathi, "don't send X", a breakdown's bare "no"
        ("गायिका नाही चालणार, मराठी अभिनेत्री", {"gender": "female", "languages": ["Marathi"]}),
        ("singer hona zaroori nahi, Hindi actress", {"gender": "female", "languages": ["Hindi"]}),
        ("नृत्य आवश्यक नाही, मराठी अभिनेता", {"gender": "male", "languages": ["Marathi"]}),
        (
            "dancer mat bhejna, Tamil actress 25-30",
            {"gender": "female", "age_min": 25, "age_max": 30, "languages": ["Tamil"]},
        ),
        ("model pathvu naka, Marathi mulgi", {"gender": "female", "languages": ["Marathi"]}),
        (
            "dancers no, Marathi actress 30s",
            {"gender": "female", "age_min": 30, "age_max": 39, "languages": ["Marathi"]},
        ),
        # ... but one that can't be found is still wanted (Marathi मिळणे, to be found)
        (
            "गायिका नाही मिळत आहे, मराठी",
            {"gender": "female", "languages": ["Marathi"], "skills": ["playback singing"]},
        ),
        # a decade's style is a period, not an age
        ("60s-style cabaret dancer", {"skills": ["dancer"]}),
        ("a 70s era look, actress in her 40s", {"gender": "female", "age_min": 40, "age_max": 49}),
        # a people's name with Gujarati "ben", Bengali "babu": a woman, a man
        (
            "Gujarati ben for a mother role, 50s",
            {"gender": "female", "age_min": 50, "age_max": 59, "languages": ["Gujarati"]},
        ),
        (
            "Bengali babu, 40-50",
            {"gender": "male", "age_min": 40, "age_max": 50, "languages": ["Bengali"]},
        ),
        # ... alone they are names, and say nothing of who is wanted
        ("actresses who worked with Mahesh Babu", {"gender": "female"}),
    ],
)
def test_refusals_styles_and_peoples_words(text: str, wanted: dict[str, object]) -> None:
    assert parse(text, today=TODAY).filters.compact() == wanted


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        # television and theatre as a line of work are filters ("the one of it": wala)...
        (
            "F/40-45/Hindi/TV wali",
            {
                "gender": "female",
                "age_min": 40,
                "age_max": 45,
                "languages": ["Hindi"],
                "skills": ["television"],
            },
        ),
        ("सीरियल वाला अभिनेता", {"gender": "male", "skills": ["television"]}),
        (
            "theatre wala actor, Kannada",
            {"gender": "male", "languages": ["Kannada"], "skills": ["theatre"]},
        ),
        ("थिएटर कलाकार, हिंदी", {"languages": ["Hindi"], "skills": ["theatre"]}),
        # ... and so is a background said to be required
        (
            "M, 60+, Hindi, theatre background required",
            {"gender": "male", "age_min": 60, "languages": ["Hindi"], "skills": ["theatre"]},
        ),
        # ... while a background alone is ranked on
        ("F 40+ Tamil, TV experience", {"gender": "female", "age_min": 40, "languages": ["Tamil"]}),
        # the production cast, an advertisement or a presenter's show is no television work
        (
            "45 yrs+ lady actor for a Kannada TV serial",
            {"gender": "female", "age_min": 45, "languages": ["Kannada"]},
        ),
        ("TV serial ke liye maa, 50s", {"gender": "female", "age_min": 50, "age_max": 59}),
        ("TV ad experience required, model", {"skills": ["model"]}),
        ("टीवी एंकर, पुरुष", {"gender": "male", "skills": ["television presenter"]}),
        (
            "women under 40 who host TV shows",
            {"gender": "female", "age_max": 39, "skills": ["television presenter"]},
        ),
    ],
)
def test_television_and_theatre_as_work(text: str, wanted: dict[str, object]) -> None:
    assert parse(text, today=TODAY).filters.compact() == wanted


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        # a decade's number before Hindi "दशक" (decade) with "पैदा हुई" (born) is a birth
        # decade, also in words ("अस्सी", eighty)
        (
            "अस्सी के दशक में पैदा हुई कन्नड़ अभिनेत्री",
            {"gender": "female", "age_min": 37, "age_max": 46, "languages": ["Kannada"]},
        ),
        ("कलाकार जो 70 के दशक में पैदा हुए", {"age_min": 47, "age_max": 56}),
        # legislators are politicians (not "MP", also Madhya Pradesh)
        (
            "MLA bana actor chahiye, Kannada",
            {"gender": "male", "languages": ["Kannada"], "skills": ["politician"]},
        ),
        ("अभिनेत्री ज्या नंतर खासदार झाल्या", {"gender": "female", "skills": ["politician"]}),
        ("actor from MP", {"gender": "male"}),
        ("former MLAs", {"skills": ["politician"]}),
        # Marathi "समाजसेवक" (social worker); Devanagari "डबिंग" (dubbing)
        ("समाजसेवक अभिनेता", {"gender": "male", "skills": ["philanthropist"]}),
        ("डबिंग करने वाला कलाकार, कन्नड़", {"languages": ["Kannada"], "skills": ["voice acting"]}),
    ],
)
def test_birth_decades_legislators_and_voice_work(text: str, wanted: dict[str, object]) -> None:
    assert parse(text, today=TODAY).filters.compact() == wanted


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        # the lead's age, when the part is the lead's relative, is the lead's
        (
            "need the dad for a 25 yr old lead, male, 55-60",
            {"gender": "male", "age_min": 55, "age_max": 60},
        ),
        ("hero ki maa, hero 30 saal ka, Tamil lady", {"gender": "female", "languages": ["Tamil"]}),
        ("25 saal ke hero ki maa, Hindi", {"gender": "female", "languages": ["Hindi"]}),
        ("२५ वर्षांच्या हिरोच्या आईची भूमिका, मल्याळम", {"gender": "female", "languages": ["Malayalam"]}),
        # ... but the lead's own age, when the lead is wanted, stays
        ("hero 25 saal ka chahiye", {"gender": "male", "age_min": 25, "age_max": 25}),
    ],
)
def test_the_leads_age_when_the_part_is_their_relative(
    text: str, wanted: dict[str, object]
) -> None:
    assert parse(text, today=TODAY).filters.compact() == wanted


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        # Marathi's "also" (-ही) off a profession or a language
        ("अभिनेते जे गायकही आहेत", {"gender": "male", "skills": ["playback singing"]}),
        (
            "दिग्दर्शनही करणाऱ्या तमिळ अभिनेत्री",
            {"gender": "female", "languages": ["Tamil"], "skills": ["director"]},
        ),
        # a relative's work said with Marathi "असलेली" (who is) is theirs
        ("वडील दिग्दर्शक असलेली हिंदी अभिनेत्री", {"gender": "female", "languages": ["Hindi"]}),
        # a star kid is a star's child
        ("star kid hero, Kannada", {"gender": "male", "languages": ["Kannada"]}),
    ],
)
def test_marathi_also_and_whose_and_star_kids(text: str, wanted: dict[str, object]) -> None:
    assert parse(text, today=TODAY).filters.compact() == wanted


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        # a sentence about another part, in a message asking for one person, is theirs
        (
            "Looking for an actress 40-50, Malayalam. Our hero is 60 and does Tamil films.",
            {"gender": "female", "age_min": 40, "age_max": 50, "languages": ["Malayalam"]},
        ),
        (
            "भैया, माँ का रोल है — महिला, 50-60 साल, तेलुगु। हीरो 25 का है, वो फाइनल हो गया।",
            {"gender": "female", "age_min": 50, "age_max": 60, "languages": ["Telugu"]},
        ),
        (
            "Role: dadaji | Age: 70+ | Lang: Hindi | heroine 22 saal ki hai",
            {"gender": "male", "age_min": 70, "languages": ["Hindi"]},
        ),
        (
            "Morning! Two ppl: we've locked the husband (male, 40, Marathi). Now need the WIFE: "
            "35-45, Marathi + Hindi.",
            {"gender": "female", "age_min": 35, "age_max": 45, "languages": ["Marathi", "Hindi"]},
        ),
        # ... and so is a clause that says what the other part is
        (
            "ek aurat chahiye, Tamil, 35-45 yrs, bhabhi ka role hai, hero 40 ka hai",
            {"gender": "female", "age_min": 35, "age_max": 45, "languages": ["Tamil"]},
        ),
        # ... but the part asked for stays, first or not
        (
            "Heroine 22 ki, Tamil. Hero chahiye 30-35, Telugu.",
            {"gender": "male", "age_min": 30, "age_max": 35, "languages": ["Telugu"]},
        ),
        (
            "urgent!! ladki req, 25-35, hindi",
            {"gender": "female", "age_min": 25, "age_max": 35, "languages": ["Hindi"]},
        ),
        # the Devanagari full stop ends a sentence and its last number
        (
            "एक टीवी एंकर चाहिए, महिला, हिंदी, 30-45।",
            {
                "gender": "female",
                "age_min": 30,
                "age_max": 45,
                "languages": ["Hindi"],
                "skills": ["television presenter"],
            },
        ),
    ],
)
def test_another_parts_sentence_is_theirs(text: str, wanted: dict[str, object]) -> None:
    assert parse(text, today=TODAY).filters.compact() == wanted


def test_a_title_read_up_to_its_full_stop_keeps_the_sentence_end() -> None:
    """The catalogue's title match can take the stop after a title; the next sentence, about
    another part, must stay its own."""
    text = "we want the actresses from Kuch Kuch Hota Hai. The host is male, 50ish."
    parsed = parse(text, today=TODAY, titles=["Kuch Kuch Hota Hai."])
    assert parsed.filters.compact() == {"gender": "female"}


def test_who_will_play_another_part_is_theirs() -> None:
    text = "koi Miss India type actress, 40-55, Hindi? pati ka role 55 ka aadmi karega"
    assert parse(text, today=TODAY).filters.compact() == {
        "gender": "female",
        "age_min": 40,
        "age_max": 55,
        "languages": ["Hindi"],
    }


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        # the part asked for keeps what is said of it when named again
        (
            "Looking for a heroine for a Telugu film. Heroine should be 20-25, good dancer.",
            {
                "gender": "female",
                "age_min": 20,
                "age_max": 25,
                "languages": ["Telugu"],
                "skills": ["dancer"],
            },
        ),
        (
            "Need a female lead. Lead is 25-30, Hindi speaking.",
            {"gender": "female", "age_min": 25, "age_max": 30, "languages": ["Hindi"]},
        ),
        (
            "Need an actress for the wife's role. Wife is 35-40, Marathi speaking.",
            {"gender": "female", "age_min": 35, "age_max": 40, "languages": ["Marathi"]},
        ),
        (
            "Bahu ka role. Bahu 22-25, Hindi. Urgently chahiye.",
            {"gender": "female", "age_min": 22, "age_max": 25, "languages": ["Hindi"]},
        ),
        (
            "Need a mother, 45-50. Hero ki maa hai, Hindi bolne wali.",
            {"gender": "female", "age_min": 45, "age_max": 50, "languages": ["Hindi"]},
        ),
        (
            "Need an actress, 25-30. Her mother tongue should be Marathi.",
            {"gender": "female", "age_min": 25, "age_max": 30, "languages": ["Marathi"]},
        ),
        (
            "Hero chahiye, hero 25 saal ka hai, Marathi",
            {"gender": "male", "age_min": 25, "age_max": 25, "languages": ["Marathi"]},
        ),
        (
            "Host: female, 25-35, Hindi. Need ASAP.",
            {
                "gender": "female",
                "age_min": 25,
                "age_max": 35,
                "languages": ["Hindi"],
                "skills": ["television presenter"],
            },
        ),
        (
            "Looking for a Marathi actor. Script lock hai, actor 40-45, Pune based.",
            {
                "gender": "male",
                "age_min": 40,
                "age_max": 45,
                "cities": ["Pune"],
                "languages": ["Marathi"],
            },
        ),
        (
            "Need male / female lead 20-25 Hindi",
            {"age_min": 20, "age_max": 25, "languages": ["Hindi"]},
        ),
    ],
)
def test_the_part_asked_for_named_again_is_theirs(text: str, wanted: dict[str, object]) -> None:
    assert parse(text, today=TODAY).filters.compact() == wanted


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        # a refused line of work is no filter; nor is the show being cast, or "wala" that
        # names no person
        ("No TV actress please", {"gender": "female"}),
        ("TV actors mat bhejna", {}),
        ("For a new Marathi serial actress needed", {"gender": "female", "languages": ["Marathi"]}),
        ("Comedy wala role hai", {}),
        (
            "yaar TV serial wala ladka chahiye, Hindi",
            {"gender": "male", "languages": ["Hindi"], "skills": ["television"]},
        ),
        ("Need web serial actress", {"gender": "female"}),
        # a number's "no." and Marathi "नाही तर" (not only ... but) refuse nothing
        (
            "Female dancers no. 6, age 18-25",
            {"gender": "female", "age_min": 18, "age_max": 25, "skills": ["dancer"]},
        ),
        ("फक्त गायिका नाही तर अभिनेत्रीही हवी", {"gender": "female", "skills": ["playback singing"]}),
        # an apparent-age look stays an age
        (
            "Need a female with late 20s look, Hindi",
            {"gender": "female", "age_min": 26, "age_max": 29, "languages": ["Hindi"]},
        ),
        # "ben" is Gujarati's, "babu" Bengali's, and a relative's word is theirs
        (
            "Need an English Ben Kingsley type actor, 60+",
            {"gender": "male", "age_min": 60, "languages": ["English"]},
        ),
        (
            "Actor to play husband of a Gujarati ben, male 40-45",
            {"gender": "male", "age_min": 40, "age_max": 45, "languages": ["Gujarati"]},
        ),
        # a child artist in a film is a child
        (
            "Marathi film child artist chahiye, boy",
            {"gender": "male", "age_min": 5, "age_max": 12, "languages": ["Marathi"]},
        ),
        # the lead asked for keeps their age
        (
            "Heroine 22 saal ki chahiye, heroine ki maa ka role already cast",
            {"gender": "female", "age_min": 22, "age_max": 22},
        ),
    ],
)
def test_what_the_review_found(text: str, wanted: dict[str, object]) -> None:
    assert parse(text, today=TODAY).filters.compact() == wanted


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        # a language or place wished for is ranked, not required
        (
            "F, 30-40, Hindi must, Marathi a plus. Dance would be nice.",
            {"gender": "female", "age_min": 30, "age_max": 40, "languages": ["Hindi"]},
        ),
        (
            "माँ का रोल, 55-65 की महिला, हिंदी, पंजाबी आती हो तो बढ़िया",
            {"gender": "female", "age_min": 55, "age_max": 65, "languages": ["Hindi"]},
        ),
        ("अभिनेत्री, तमिळ, मल्याळम आली तर बोनस", {"gender": "female", "languages": ["Tamil"]}),
        ("Hindi pref, female, 30s", {"gender": "female", "age_min": 30, "age_max": 39}),
        (
            "Need a girl who can dance, Hindi, Mumbai-based pref",
            {"gender": "female", "languages": ["Hindi"], "skills": ["dancer"]},
        ),
        ("Kolkata based chalega, Bengali actor", {"gender": "male", "languages": ["Bengali"]}),
        # ... while a refusal with "chalega" still refuses
        ("Marathi nahi chalega, Hindi actress", {"gender": "female", "languages": ["Hindi"]}),
        # either of two is no filter on both
        (
            "Tamil or Telugu either is fine, actress 35-45",
            {"gender": "female", "age_min": 35, "age_max": 45},
        ),
        (
            "Need a singer or dancer, female, Malayalam",
            {"gender": "female", "languages": ["Malayalam"]},
        ),
        (
            "Bengali kiva Odia, mulga pahije, 40-55",
            {"gender": "male", "age_min": 40, "age_max": 55},
        ),
        # ... but a family's members offered are the family, and "and" or "/" asks for both
        ("kathak or bharatanatyam dancer, female", {"gender": "female", "skills": ["dancer"]}),
        (
            "bilingual Hindi/English actress",
            {"gender": "female", "languages": ["Hindi", "English"]},
        ),
        # a shoot's place, and a place said not to matter, are no filter
        (
            "शूटिंग पुणे में है, हिंदी भाषी हीरोइन, 25-32",
            {"gender": "female", "age_min": 25, "age_max": 32, "languages": ["Hindi"]},
        ),
        ("shoot Vizag, Telugu hero", {"gender": "male", "languages": ["Telugu"]}),
        (
            "Bengali actor, not necessarily Kolkata-based",
            {"gender": "male", "languages": ["Bengali"]},
        ),
        (
            "बंगाली अभिनेत्री चाहिए, कोलकाता से हो ज़रूरी नहीं",
            {"gender": "female", "languages": ["Bengali"]},
        ),
        ("अभिनेत्री, कन्नड, मुंबईची नसली तरी चालेल", {"gender": "female", "languages": ["Kannada"]}),
        # Marathi "not above 50"; romanised Marathi "born after"
        (
            "गायिका-अभिनेत्री, हिंदी, ५० च्या वर नको",
            {
                "gender": "female",
                "age_max": 50,
                "languages": ["Hindi"],
                "skills": ["playback singing"],
            },
        ),
        (
            "Heroine havi, Telugu, 1980 nantar janmaleli",
            {"gender": "female", "age_min": 0, "age_max": 45, "languages": ["Telugu"]},
        ),
    ],
)
def test_wishes_alternatives_and_places_not_required(text: str, wanted: dict[str, object]) -> None:
    assert parse(text, today=TODAY).filters.compact() == wanted


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        # another part said to be cast already, whoever it is (not the script or the age)
        (
            "Need a boy 18-20. The girl is 18, Marathi, already cast.",
            {"gender": "male", "age_min": 18, "age_max": 20},
        ),
        (
            "Need male actor 30-35. Actress already locked: 28, Tamil.",
            {"gender": "male", "age_min": 30, "age_max": 35},
        ),
        (
            "Looking for a Marathi actor. Script lock hai, actor 40-45, Pune based.",
            {
                "gender": "male",
                "age_min": 40,
                "age_max": 45,
                "cities": ["Pune"],
                "languages": ["Marathi"],
            },
        ),
        # plural parts; an actor asked for is a man; the hero's mother named again is her
        (
            "Need someone to play a teacher, 40-50. Students are 15-16, Marathi.",
            {"age_min": 40, "age_max": 50},
        ),
        (
            "Need an actor 28-35. Heroine is 25, Tamil.",
            {"gender": "male", "age_min": 28, "age_max": 35},
        ),
        (
            "Need a woman for the hero's mother. Hero's mother is 50-55, Bengali.",
            {"gender": "female", "age_min": 50, "age_max": 55, "languages": ["Bengali"]},
        ),
        # one job said two ways
        (
            "Need an anchor, female 25-30. Host must speak Hindi and English.",
            {
                "gender": "female",
                "age_min": 25,
                "age_max": 30,
                "languages": ["Hindi", "English"],
                "skills": ["television presenter"],
            },
        ),
        # a 70s look is the period's; a shoot's place only right after "shoot"
        ("Need a 70s look actress 25-30", {"gender": "female", "age_min": 25, "age_max": 30}),
        (
            "Ad shoot, Delhi based female 25-30",
            {"gender": "female", "age_min": 25, "age_max": 30, "cities": ["Delhi"]},
        ),
        # a city allowed beside a required one joins it; "pref" stays in its own sentence
        ("Delhi based chahiye, Mumbai chalega", {"cities": ["Delhi", "Mumbai"]}),
        (
            "Male 50-60 Gujarati pref. Mumbai based only.",
            {"gender": "male", "age_min": 50, "age_max": 60, "cities": ["Mumbai"]},
        ),
        # "only ... chalega" requires; "great" is no wish; each "will do" is one
        ("Sirf Hindi chalega", {"languages": ["Hindi"]}),
        ("Kathak great hona chahiye", {"skills": ["kathak"]}),
        ("Hindi chalega, Marathi bhi chalega", {}),
        # a list offered with "or", "both" after it, and one also asked for on its own
        (
            "Female 25, Hindi, Marathi or Gujarati",
            {"gender": "female", "age_min": 25, "age_max": 25},
        ),
        ("Tamil or Telugu both needed", {"languages": ["Tamil", "Telugu"]}),
        ("Hindi must. Hindi or English fluency", {"languages": ["Hindi"]}),
        # "Looking for a TV actor" is a TV actor; "TV wali chahiye" too; a voice note is not
        # voice work
        (
            "Looking for a Marathi TV actor 30-40",
            {
                "gender": "male",
                "age_min": 30,
                "age_max": 40,
                "languages": ["Marathi"],
                "skills": ["television"],
            },
        ),
        (
            "TV wali chahiye 25-30, Hindi",
            {
                "gender": "female",
                "age_min": 25,
                "age_max": 30,
                "languages": ["Hindi"],
                "skills": ["television"],
            },
        ),
        ("वॉइस आर्टिस्ट चाहिए", {"skills": ["voice acting"]}),
        ("ऑडिशन व्हॉइस नोट में भेजें", {}),
    ],
)
def test_what_the_second_review_found(text: str, wanted: dict[str, object]) -> None:
    assert parse(text, today=TODAY).filters.compact() == wanted


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        # "final"/"locked" without a person cast, or beside a requirement, is not another's
        (
            "Need female 25-30. Must speak fluent Telugu, to be finalised by the client.",
            {"gender": "female", "age_min": 25, "age_max": 30, "languages": ["Telugu"]},
        ),
        (
            "Need male 40-45. Rate locked at 15k/day, Hindi and Punjabi must.",
            {"gender": "male", "age_min": 40, "age_max": 45, "languages": ["Hindi", "Punjabi"]},
        ),
        (
            "लड़की चाहिए 20-25। डेट्स फाइनल हो गई हैं, मुंबई से होनी ज़रूरी है।",
            {"gender": "female", "age_min": 20, "age_max": 25, "cities": ["Mumbai"]},
        ),
        # a female actor asked for; the hero's relative when nobody asks for that relative
        (
            "Looking for a female actor 25-30, Hindi. Hero is 30, Tamil speaking.",
            {"gender": "female", "age_min": 25, "age_max": 30, "languages": ["Hindi"]},
        ),
        (
            "Need a heroine 22-25, Hindi. Hero's friend is 30, from Delhi.",
            {"gender": "female", "age_min": 22, "age_max": 25, "languages": ["Hindi"]},
        ),
        (
            "हिरोईन हवी 22-25, मराठी. हिरोची आई 55 वर्षांची आहे, गुजराती.",
            {"gender": "female", "age_min": 22, "age_max": 25, "languages": ["Marathi"]},
        ),
        # "directly" is no director, a co-host is the other presenter
        (
            "Need female 25-30, DM me directly. Director is Tamil, 40.",
            {"gender": "female", "age_min": 25, "age_max": 30},
        ),
        (
            "Need a male anchor 30-35, Hindi. Co-host is a female, 28, Marathi speaking.",
            {
                "gender": "male",
                "age_min": 30,
                "age_max": 35,
                "languages": ["Hindi"],
                "skills": ["television presenter"],
            },
        ),
        # a 60s look with grey hair is an age; a shoot's place after "Shoot -"
        (
            "Need male, 60s look, grey hair, Hindi.",
            {"gender": "male", "age_min": 60, "age_max": 69, "languages": ["Hindi"]},
        ),
        ("Shoot - Goa, 3 days. Need male 30-35", {"gender": "male", "age_min": 30, "age_max": 35}),
        # a preferred city beside a required one is no second choice; "preferably" anywhere
        ("Must be Mumbai based. Pune preferred.", {"cities": ["Mumbai"]}),
        (
            "Need female 25-30. Preferably Marathi speaking.",
            {"gender": "female", "age_min": 25, "age_max": 30},
        ),
        (
            "Need a male 30-35 ideally Mumbai based.",
            {"gender": "male", "age_min": 30, "age_max": 35},
        ),
        ("Hindi must, Tamil welcome.", {"languages": ["Hindi"]}),
        # a list's wished end is wished; a voice sample is no voice work
        (
            "Need female 25-30, fluent in Hindi, Bengali or Odia a plus.",
            {"gender": "female", "age_min": 25, "age_max": 30, "languages": ["Hindi"]},
        ),
        ("वॉइस सैंपल भेजें, लड़की चाहिए", {"gender": "female"}),
        ("Mrs. Kapoor's husband", {"gender": "male"}),
    ],
)
def test_what_the_third_review_found(text: str, wanted: dict[str, object]) -> None:
    assert parse(text, today=TODAY).filters.compact() == wanted


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        # a word of address opening a message is nobody's gender, whatever follows it...
        ("Bhai Om Shanti Om ki heroines me se koi?", {"gender": "female"}),
        # (and the hero's sentence is the hero's when heroines, plural, are asked for)
        (
            "Bhai Om Shanti Om ki heroines me se koi? Age koi issue nahi. Hero 50 ka hai.",
            {"gender": "female"},
        ),
        (
            "arre bhai correction, actually 25-30 chahiye, ladki, Telugu",
            {"gender": "female", "age_min": 25, "age_max": 30, "languages": ["Telugu"]},
        ),
        (
            "Bhai Malayalam ladki chahiye 30s mein",
            {"gender": "female", "age_min": 30, "age_max": 39, "languages": ["Malayalam"]},
        ),
        # ... unless it is the part: its role, its type, its age, or all there is
        ("bhai ka role, 25-30", {"gender": "male", "age_min": 25, "age_max": 30}),
        ("dada ji type, 75+, Marathi", {"gender": "male", "age_min": 75, "languages": ["Marathi"]}),
        (
            "भाभी जी टाइप, हिंदी, 35-45",
            {"gender": "female", "age_min": 35, "age_max": 45, "languages": ["Hindi"]},
        ),
        (
            "bhai 25 saal ka, Hindi",
            {"gender": "male", "age_min": 25, "age_max": 25, "languages": ["Hindi"]},
        ),
        ("ताईच्या भूमिकेसाठी ३५-४० ची अभिनेत्री", {"gender": "female", "age_min": 35, "age_max": 40}),
    ],
)
def test_a_word_of_address_opening_a_message(text: str, wanted: dict[str, object]) -> None:
    assert parse(text, today=TODAY).filters.compact() == wanted


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        # a range of days before a month is a date, not ages
        (
            "Need female 25-30. Shoot on 12-15 March",
            {"gender": "female", "age_min": 25, "age_max": 30},
        ),
        ("audition 12-15 March, Hindi actress", {"gender": "female", "languages": ["Hindi"]}),
        ("25-30 may be fine, female", {"gender": "female", "age_min": 25, "age_max": 30}),
        # the one playing another part is that part's
        (
            "Need a male 30-40, Hindi. The actor playing the hero is 28, Telugu.",
            {"gender": "male", "age_min": 30, "age_max": 40, "languages": ["Hindi"]},
        ),
        (
            "Need a hero 25-30. The actor playing the hero should speak Telugu.",
            {"gender": "male", "age_min": 25, "age_max": 30, "languages": ["Telugu"]},
        ),
    ],
)
def test_days_of_a_month_and_who_plays_another_part(text: str, wanted: dict[str, object]) -> None:
    assert parse(text, today=TODAY).filters.compact() == wanted


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        # the part is the relative or partner; the one it is for is someone else
        ("Need a wife for the hero", {"gender": "female"}),
        ("need a husband for the heroine, 35-45", {"gender": "male", "age_min": 35, "age_max": 45}),
        (
            "need a mother for a 40 year old hero, 60-70",
            {"gender": "female", "age_min": 60, "age_max": 70},
        ),
        ("bride for the hero", {"gender": "female"}),
        ("a mother-in-law to the heroine", {"gender": "female"}),
        ("a girlfriend for the lead actor", {"gender": "female"}),
        # the part itself, named after "for": the same person
        ("an actress for the heroine role", {"gender": "female"}),
        # Hindi and Marathi family words of parts, and typed uncles' words only as a part
        ("patni ka role, 30-40", {"gender": "female", "age_min": 30, "age_max": 40}),
        ("बायकोची भूमिका", {"gender": "female"}),
        ("सासूबाई हवी", {"gender": "female"}),
        ("jija ka role", {"gender": "male"}),
        ("नवरा हवा", {"gender": "male"}),
        ("mama ka role", {"gender": "male"}),
        ("mama type, Tamil", {"languages": ["Tamil"]}),
    ],
)
def test_a_relatives_part_gives_its_gender(text: str, wanted: dict[str, object]) -> None:
    assert parse(text, today=TODAY).filters.compact() == wanted


@pytest.mark.parametrize(
    "text",
    [
        "Marathi नाही तर हिंदी पण चालेल",
        "Marathi nahi to Hindi bhi chalega",
        "Marathi, otherwise Hindi is fine",
        "Tamil warna Telugu",
    ],
)
def test_a_fallback_language_makes_either_do(text: str) -> None:
    parsed = parse(text, today=TODAY)
    assert parsed.filters.languages == []
    assert "either will do" in " ".join(parsed.assumed)


@pytest.mark.parametrize("text", ["Hindi nahi to koi baat nahi", "हिंदी नाही तर चालेल"])
def test_a_language_that_need_not_be_spoken_is_no_filter(text: str) -> None:
    assert parse(text, today=TODAY).filters.languages == []


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        # a breakdown's sex letter anywhere in shorthand; "m" is also Hinglish "mein"
        ("reality show contestant f telugu", {"gender": "female", "languages": ["Telugu"]}),
        (
            "dancer m hindi 30 plus",
            {"gender": "male", "age_min": 30, "languages": ["Hindi"], "skills": ["dancer"]},
        ),
        (
            "Pune m 30 saal ki ladki",
            {"gender": "female", "age_min": 30, "age_max": 30, "cities": ["Pune"]},
        ),
        ("kurta size m, female", {"gender": "female"}),
        # parts named by a man's or a woman's trade, title or family word
        ("a watchman, 50s", {"gender": "male", "age_min": 50, "age_max": 59}),
        ("pujari ka role, Hindi", {"gender": "male", "languages": ["Hindi"]}),
        ("an old village priest", {"gender": "male", "age_min": 60, "age_max": 90}),
        ("Bengali bhadramahila type", {"gender": "female", "languages": ["Bengali"]}),
        ("thatha role, Tamil", {"gender": "male", "languages": ["Tamil"]}),
        ("pishima chahiye, Bengali", {"gender": "female", "languages": ["Bengali"]}),
        ("landlady, 60+", {"gender": "female", "age_min": 60}),
        # Marathi oblique stems and plural-respectful endings of family words
        ("मामांच्या भूमिकेसाठी", {"gender": "male"}),
        ("जावयाचा रोल, मराठी", {"gender": "male", "languages": ["Marathi"]}),
        ("सासऱ्यांची भूमिका", {"gender": "male"}),
    ],
)
def test_shorthand_sex_trades_and_marathi_family_forms(
    text: str, wanted: dict[str, object]
) -> None:
    assert parse(text, today=TODAY).filters.compact() == wanted


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        # birth years between two years, and "born" agreeing with the person
        ("1980 se 1990 ke beech paida hua ladka", {"gender": "male", "age_min": 36, "age_max": 46}),
        ("१९८० ते १९९० दरम्यान जन्मलेली", {"gender": "female", "age_min": 36, "age_max": 46}),
    ],
)
def test_born_between_two_years(text: str, wanted: dict[str, object]) -> None:
    assert parse(text, today=TODAY).filters.compact() == wanted


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("चाळिशीच्या आसपासची अभिनेत्री", {"gender": "female", "age_min": 37, "age_max": 43}),
        # a line of work said with "people" or a Marathi "-मधला", or "wali" before an age
        ("theatre ppl, Hindi", {"languages": ["Hindi"], "skills": ["theatre"]}),
        (
            "serial wali 30-40",
            {"gender": "female", "skills": ["television"], "age_min": 30, "age_max": 40},
        ),
        ("मालिकांमधला अभिनेता", {"gender": "male", "skills": ["television"]}),
    ],
)
def test_a_line_of_work_and_an_age_said_about(text: str, wanted: dict[str, object]) -> None:
    assert parse(text, today=TODAY).filters.compact() == wanted


def test_with_abbreviated_names_a_co_star() -> None:
    from talent.credits import _one_word_names

    assert _one_word_names("anyone who worked w/ rekha? f") == {"rekha"}


def _names(text: str, name: str) -> bool:
    """Does `text` name the catalogue's `name` as the one worked with?"""
    from talent import names
    from talent.credits import names_said

    said = names_said(text)
    return name.lower() in said.typed or any(names.same(run, name) for run in said.spoken)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("माधुरी दीक्षितसोबत काम केलेली अभिनेत्री", "Madhuri Dixit"),
        ("जूही चावला के साथ काम कर चुके अभिनेता", "Juhi Chawla"),
        ("काजोलसोबत काम केलेले", "Kajol"),
        ("rekha ji ke saath kaam kiya ho", "Rekha"),
        # spelled otherwise in Latin: a vowel's length, a schwa, aspiration, z for झ
        ("जॉन अब्राहम के साथ काम किया हो", "John Abraham"),
        ("प्रीती झिंटासोबत काम केलेल्या अभिनेत्री", "Preity Zinta"),
        ("रानी मुखर्जी के साथ काम कर चुकी अभिनेत्रियाँ", "Rani Mukerji"),
        ("शाहरुख़ ख़ान के साथ काम कर चुके", "Shah Rukh Khan"),
        # ... and in another Indic script (Bengali, Telugu)
        ("মাধুরী দীক্ষিত এর সাথে, worked with", "Madhuri Dixit"),
        ("worked with మహేష్ బాబు", "Mahesh Babu"),
    ],
)
def test_a_co_star_named_in_devanagari_or_with_ji(text: str, name: str) -> None:
    assert _names(text, name)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # "काजल" (kohl) is not the actress Kajol, though its consonants are hers
        ("काजल के साथ काम किया हो", "Kajol"),
        # common words beside "with" are no name: "कम" (less) is not "Kim"
        ("रेखा के साथ काम कर चुकी, 70 से कम उम्र", "Kim"),
        ("रेखा के साथ काम कर चुकी, 70 से कम उम्र", "Kamal Kapoor"),
        # a surname alone is not someone else's whole name, though said alike (dīkṣit)
        ("worked with दीक्षित", "Deeksha Seth"),
    ],
)
def test_a_common_word_is_not_taken_for_a_name(text: str, name: str) -> None:
    assert not _names(text, name)


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        # "but" turns from someone else to the person asked for
        (
            "The director is a Tamil guy but he wants a Telugu-speaking actress, 25-30",
            {"gender": "female", "age_min": 25, "age_max": 30, "languages": ["Telugu"]},
        ),
        (
            "Need a woman, 30-40, but she must speak Tamil",
            {"gender": "female", "age_min": 30, "age_max": 40, "languages": ["Tamil"]},
        ),
    ],
)
def test_but_turns_to_the_person_asked_for(text: str, wanted: dict[str, object]) -> None:
    assert parse(text, today=TODAY).filters.compact() == wanted


@pytest.mark.parametrize(
    "text", ["Hindi actor, preferably based in Mumbai", "dancer, ideally living in Pune"]
)
def test_a_place_preferred_with_its_verb_is_no_filter(text: str) -> None:
    assert parse(text, today=TODAY).filters.cities == []


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        # a wish said of a background, of a second language, of the one wished for
        ("Kannada actor, singing background a plus", {"gender": "male", "languages": ["Kannada"]}),
        ("Telugu pref, but Tamil is fine too", {}),
        (
            "Hindi actress, ideally someone who can dance",
            {"gender": "female", "languages": ["Hindi"]},
        ),
    ],
)
def test_wishes_said_of_a_background_a_language_or_someone(
    text: str, wanted: dict[str, object]
) -> None:
    assert parse(text, today=TODAY).filters.compact() == wanted


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        # another part's clause or sentence: the lead when a dancer is asked for, the
        # director's language, who plays the daughter
        (
            "any gender — dancer, Telugu, 45-60. The lead is a woman in her 30s.",
            {"age_min": 45, "age_max": 60, "languages": ["Telugu"], "skills": ["dancer"]},
        ),
        (
            "help chahiye, director Bengali hai lekin film Hindi mein hai — ladka chahiye 25-30",
            {"gender": "male", "age_min": 25, "age_max": 30, "languages": ["Hindi"]},
        ),
        (
            "Need a Tamil actor, 50-60. The daughter's part is played by a 20 year old.",
            {"gender": "male", "age_min": 50, "age_max": 60, "languages": ["Tamil"]},
        ),
        # ... but a part named first is the one asked for
        (
            "maa ka role hai — 55 se upar, Hindi",
            {"gender": "female", "age_min": 56, "languages": ["Hindi"]},
        ),
    ],
)
def test_other_parts_said_in_passing(text: str, wanted: dict[str, object]) -> None:
    assert parse(text, today=TODAY).filters.compact() == wanted


@pytest.mark.parametrize(("text", "name"), [("male co-stars of Rekha", "rekha")])
def test_a_co_star_of_someone_names_them(text: str, name: str) -> None:
    assert _names(text, name)


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        # a bound refused is the other bound: "not above 50", "let it not be more than 60"
        ("अभिनेता, 50 के ऊपर नहीं", {"gender": "male", "age_max": 50}),
        ("उम्र 60 से अधिक न हो, हिंदी", {"age_max": 60, "languages": ["Hindi"]}),
        ("अभिनेत्री, वय ३५ पेक्षा जास्त नसावे", {"gender": "female", "age_max": 35}),
        ("45 ke upar", {"age_min": 46}),
        # "N or more/less than that"
        ("aurat, 50 ya usse zyada", {"gender": "female", "age_min": 50}),
        ("अभिनेता, 40 या उससे अधिक उम्र", {"gender": "male", "age_min": 40}),
        ("actress 30 ya usse kam", {"gender": "female", "age_max": 30}),
        ("४० किंवा त्याहून कमी", {"age_max": 40}),
        # the gender said not to be: "isn't a woman", "must not be male"
        ("anyone who isn't a woman, Hindi", {"gender": "male", "languages": ["Hindi"]}),
        (
            "model, must not be male, 35 or younger",
            {"gender": "female", "age_max": 35, "skills": ["model"]},
        ),
        # a range's second part after a dash: "- late 50s to early 60s" is 56-63
        (
            "mother's part - late 50s to early 60s",
            {"gender": "female", "age_min": 56, "age_max": 63},
        ),
        ("mid-to-late 30s", {"age_min": 33, "age_max": 39}),
        # a background said to be required before it, or "kiya hona chahiye" after it
        ("must have done TV, Hindi", {"languages": ["Hindi"], "skills": ["television"]}),
        ("should have done theatre", {"skills": ["theatre"]}),
        ("TV kiya hona chahiye, aurat", {"gender": "female", "skills": ["television"]}),
        ("has done TV", {}),
    ],
)
def test_bounds_refused_or_joined_and_backgrounds_required(
    text: str, wanted: dict[str, object]
) -> None:
    assert parse(text, today=TODAY).filters.compact() == wanted


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        # a relative's clause ends with its line: the next field is the part's own
        (
            "Playing age: 70-85 (his wife is 65)\nLanguage: Hindi, Punjabi\nGender: M",
            {"gender": "male", "age_min": 70, "age_max": 85, "languages": ["Hindi", "Punjabi"]},
        ),
        # a crew job with "also" is the one asked for: "should also be a director"
        (
            "पुरुष | 40-55 | तेलुगु | निर्देशक भी हो",
            {
                "gender": "male",
                "age_min": 40,
                "age_max": 55,
                "languages": ["Telugu"],
                "skills": ["director"],
            },
        ),
        (
            "Hero 30. Director Tamil hai. Need a girl 20-25",
            {"gender": "female", "age_min": 20, "age_max": 25},
        ),
        # a form's "Born - 1990s" is a birth decade, not credits
        ("Born - 1990s\nladki", {"gender": "female", "age_min": 27, "age_max": 36}),
        # नाट्य (drama) is theatre: "नाट्य कलाकार", a theatre artist
        (
            "नाट्य अभिनेत्री, मराठी",
            {"gender": "female", "languages": ["Marathi"], "skills": ["theatre"]},
        ),
    ],
)
def test_brief_fields_keep_their_own(text: str, wanted: dict[str, object]) -> None:
    assert parse(text, today=TODAY).filters.compact() == wanted


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        # a relative of someone, of the other sex than the one asked for, is someone else
        (
            "Gender - aadmi\nUmar - 55-65\nSarpanch ki biwi 50 ki hai",
            {"gender": "male", "age_min": 55, "age_max": 65},
        ),
        ("Sarpanch ki biwi chahiye, 40-50", {"gender": "female", "age_min": 40, "age_max": 50}),
        # a sex letter as a label's value, in a Hinglish brief
        (
            "Bhai log ek brief: M | 45-60 | Malayalam",
            {"gender": "male", "age_min": 45, "age_max": 60, "languages": ["Malayalam"]},
        ),
        ("Size: M, ladki chahiye", {"gender": "female"}),
    ],
)
def test_someones_relative_and_a_labelled_sex_letter(text: str, wanted: dict[str, object]) -> None:
    assert parse(text, today=TODAY).filters.compact() == wanted
