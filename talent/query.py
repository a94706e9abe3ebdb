"""Query understanding: casting-director text (English, Hindi, Marathi, Hinglish) -> filters.

Deterministic on purpose: the same words always give the same filters, so a search can be
explained and tested. Each recognised phrase is cut out of the text; what remains (minus
filler words) is the semantic part, which the embedding search ranks on.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache

from talent.availability_query import take_availability
from talent.dates import MONTHS
from talent.filters import Filters
from talent.others import ASKS, blank_others
from talent.query_words import AGE_WORDS as _AGE_WORDS
from talent.query_words import AGED_LEAD as _AGED_LEAD
from talent.query_words import CHILD_AGED as _CHILD_AGED
from talent.query_words import DECADES as _DECADES
from talent.query_words import (
    FEMALE,
    INDIC_ABOVE,
    INDIC_AGE,
    INDIC_FROM,
    INDIC_YEARS,
    MALE,
    NON_BINARY,
    STOP_WORDS,
    WEAK_FEMALE,
    WEAK_FEMALE_ENDINGS,
    WEAK_MALE,
    WHOSE_HI,
    YOUNG,
    YOUNG_BEFORE,
    YOUNG_WORDS,
)
from talent.query_words import GLOSS as _GLOSS
from talent.query_words import KIN as _KIN
from talent.query_words import KIN_INDIC as _KIN_INDIC
from talent.query_words import KIN_OF as _KIN_OF
from talent.query_words import LEAD_AGED as _LEAD_AGED
from talent.query_words import LEAD_OF_KIN as _LEAD_OF_KIN
from talent.query_words import NUM_WORDS as _NUM_WORDS
from talent.query_words import PART_WORDS as _PART_WORDS
from talent.vocab import (
    AMBIGUOUS_LANGUAGE,
    CITIES,
    FAMILIES,
    LANGUAGES,
    STATES,
    phrase_tables,
)

_STOP = STOP_WORDS
# a title's stand-in while the filters are read: lower-case letters no vocabulary holds
_PLACEHOLDER = "zqtitlez"
_FEMALE_SET, _MALE_SET = frozenset(FEMALE), frozenset(MALE)

# Word edges that also work inside the Indian scripts, Devanagari to Malayalam (U+0900 to
# U+0DFF: their vowel signs are not \w in Python).
_L = r"(?<![\w\u0900-\u0DFF])"
_R = r"(?![\w\u0900-\u0DFF])"


def _words(words: tuple[str, ...] | list[str]) -> str:
    escaped = sorted((re.escape(w) for w in words), key=len, reverse=True)
    return "(?:" + "|".join(escaped) + ")"


_YEARS = (
    r"(?:years?|yrs?\.?|y/?o|y\.\s?o\.?|saal|sal|baras|varsh|बरस|साल|वर्ष|वर्षांची|वर्षांचा|वर्षे"
    r"|वर्षां|वर्षीय|वर्षाची|वर्षाचा|वर्षाचे|वर्षांच्या|वर्षाच्या|वर्षांचे|" + "|".join(INDIC_YEARS) + ")"
)


# Marathi decade-of-life nouns ("तिशी" = one's thirties), with their locative endings.
_MR_DECADES = {"विशी": 20, "तिशी": 30, "चाळिशी": 40, "चाळीशी": 40, "पन्नाशी": 50}
# ... and the half-decade ones (Molesworth's Marathi dictionary: "पंचविशी" = the age of
# twenty-five, "पस्तिशी" = thirty-five), which span five years, and "सत्तरी" (seventy)
_MR_DECADES |= {"पंचविशी": 25, "पस्तिशी": 35, "पस्तीशी": 35, "सत्तरी": 70}
# ... with the other spellings and decades of the same dictionary ("साठी" sixty, "ऐंशी"
# eighty, "नव्वदी" ninety; "साठी" alone is also "for", so it needs an ending or a word
# after it, as "साठीतले", "साठी ओलांडलेले")
_MR_DECADES |= {"वीशी": 20, "तीशी": 30, "पंचेचाळिशी": 45, "साठी": 60, "ऐंशी": 80, "नव्वदी": 90}
_MR_NEEDS_ENDING = frozenset({"साठी", "ऐंशी"})
# the same nouns as typed in romanised Marathi ("tishitli", "chalishichya aat")
_MR_DECADES_LATIN = {"vishi": 20, "panchvishi": 25, "tishi": 30, "pastishi": 35}
_MR_DECADES_LATIN |= {"chalishi": 40, "chaalishi": 40, "pannashi": 50, "sathi": 60}
_MR_DECADES_LATIN |= {"sattari": 70}
_MR_BEFORE_LATIN = re.compile(r"\b(?:aat|aata|khali|khalil)\b")
_MR_PAST_LATIN = re.compile(r"\b(?:pudhe|pudhil|pudhche|paar|par|olandl\w*|nantar|var\w*)\b")
# a bare "१५ वर", "२० च्या आत" before a word that is no person's noun counts things ("१५ वर
# नाटके", over 15 plays), not years
_MR_COUNTED = re.compile(
    r"\s+(?!(?:अभिनेत|कलाकार|पुरुष|स्त्री|महिला|मुल|माणूस|बाई|व्यक्ती|वय|वर्ष|हव|पाहिजे"
    r"|असलेल|आहे)[\u0900-\u0DFF]*)[\u0900-\u0DFF]"
)
# after a decade noun: "...च्या आत/खाली" (before it), "...पुढील/ओलांडलेली/पार" (past it)
_MR_BEFORE, _MR_PAST = re.compile("आत|खाल"), re.compile("ओलांड|पुढ|पार|वर(?!्)|नंतर")
# ... "...च्या आसपास/जवळपास" (about it: Molesworth), the age itself give or take the slack
_MR_AROUND = re.compile("आसपास|जवळपास")
# Marathi and Hindi endings that glue onto a place or language name ("मुंबईतली", "तमिळमध्ये").
_DEV_SUFFIX = (  # ... and "-speaking" glued on: "हिंदीभाषी", "तमिळभाषिक"
    r"(?:तील|तली|तला|तले|मधील|मधली|मधला|मधले|मध्ये|च्या|ची|चा|चे|त|ला|वाली|वाला|वाले|भाषी|भाषिक"
    # Hindi oblique plurals ("गायकों", "निर्माताओं") and Marathi ones ("दिग्दर्शकांची")
    r"|ों|ओं|ांना|ांची|ांचा|ांचे|ांच्या|ांनी|ां"
    # a Marathi noun ending in a consonant takes its oblique -ा- before the locative
    # ("राजकारणात" in politics, "नाटकातील": standard Marathi grammar, Damle); not before the
    # genitive or dative, which make a skill's noun someone else ("दिग्दर्शकाच्या चित्रपटात"
    # in a director's film)
    r"|ात|ातील|ातली|ातला|ातले|ामध्ये|ामधील"
    # ... and before the genitive only when what follows is the person's own experience,
    # training or liking of it ("नृत्याचे प्रशिक्षण", "गायनाचा अनुभव"; Molesworth)
    r"|(?:ाच्या|ाची|ाचा|ाचे)(?=\s*(?:अनुभव|प्रशिक्षण|शिक्षण|ज्ञान|आवड|छंद))"
    # ... and Marathi's "also" (-ही, Molesworth): "गायकही", "दिग्दर्शनही", "हिंदीही"
    r"|ही)?"
)
# Marathi case endings on a person's noun ("अभिनेत्रीची गरज", "पुरुषांना"), and the oblique
# stems of the -आ nouns they glue to ("अभिनेता" -> "अभिनेत्याची"): standard Marathi grammar
# ... and on a noun ending in -आ, its plural or respectful oblique in anusvara ("काकांच्या",
# "बाबांची": the uncle's, the father's)
_ENDINGS_SAID = (
    *("ांना", "ांची", "ांचा", "ांचे", "ांच्या", "ांनी", "ंना", "ंची", "ंचा", "ंचे", "ंच्या", "ंनी"),
    *("ची", "चा", "चे", "च्या", "ला", "ना", "नी", "ने", "ही", "कडे", "शी"),
)
_CASE_ENDINGS = "(?:" + "|".join(_ENDINGS_SAID) + ")?"
_OBLIQUE = {"अभिनेत्या": "male", "अभिनेत्यां": "male", "मुलग्या": "male", "मुलग्यां": "male"}
# ... and the family words' oblique stems (जावई -> जावयाची, भाऊ -> भावाची, नवरा -> नवऱ्याची,
# दीर -> दिराची, सासरे -> सासऱ्यांची)
_OBLIQUE |= dict.fromkeys(("जावया", "जावयां", "भावा", "भावां", "नवऱ्या", "दिरा"), "male")
_OBLIQUE |= dict.fromkeys(("सासऱ्या", "सासऱ्यां"), "male")
# "born" in Hindi and Marathi: masculine, feminine, plural and oblique participles
_BORN_DEV = "जन्मे|जन्मी|जन्मा|जन्मलेली|जन्मलेला|जन्मलेले|जन्मलेल्या"
# "born" before a year, with the abbreviations of biographies and forms (Oxford: "b."
# born; "DOB" date of birth; "YOB" year of birth)
_BIRTH_WORD = (
    r"(?:born|janme|janmi|paida\s+hu[eiaā]"
    # romanised Marathi "जन्मलेली/ला/ले" (born), as typed
    r"|janm(?:a)?le(?:li|la|le|lya)|" + _BORN_DEV + r"|पैदा\s+हु(?:[एई]|आ)|b\.|yob|y\.o\.b\.?"
    r"|dob|d\.o\.b\.?|date\s+of\s+birth|year\s+of\s+birth|birth\s*year"
    # the noun "birth" (जन्म, typed "janam"/"janm") before a year: "janam 1970"
    r"|janam|janm|जन्म)"
)
# the feminine forms of "born" (Hindi जन्मी, पैदा हुई; Marathi जन्मलेली; as typed)
_BORN_FEMININE = re.compile(
    r"(?:janmi|janm(?:a)?leli|paida\s+hui|जन्मी|जन्मलेली|पैदा\s+हुई)(?![\w\u0900-\u0DFF])"
)
# after a birth year: about then ("1970 ke aas paas", "1975 or thereabouts")
_BIRTH_ABOUT = (
    r"(\s*(?:(?:ke|के)\s*)?(?:aas[\s-]*paas|आसपास|आस\s*पास)|\s+or\s+(?:so|thereabouts)"
    r"|\s+(?:approx(?:imately|\.)?|thereabouts))?"
)
# a year or a decade (or its early/mid/late part), or a range of them: "1975", "the late
# 70s", "1982-88", "1965 and 1975", "1970s-80s"
_BIRTH_YEARS = (
    r"(?:(early|mid|late)[\s-]*)?((?:19|20)?\d0'?s|(?:19|20)\d{2}|'\d{2}"
    # ... or a decade's number before the noun "decade": "80 के दशक" ("अस्सी के दशक")
    r"|\d0(?=\s*(?:के|का|ke|ka|च्या)\s*(?:दशक|dashak)))"
    r"(?:\s*(?:-|–|to|and|&|se|से|ते)\s*((?:19|20)?\d{2}(?:'?s)?))?"
)
# a refusal before an age limit says the other side of it: "no one over 35", "nobody
# below 50", "not looking for anyone above 45", "exclude people under 25", "except the
# under-30s" ("other than", "barring": Oxford's senses of "except")
_REFUSE_WHO = (
    r"(?:no|not|nobody|no\s*one|noone|none|no\s+body|without|except|excluding|exclude"
    r"|other\s+than|barring"
    r"|(?:(?:am|are|we're|i'm)\s+)?not\s+(?:looking\s+for|after|casting|considering)"
    r"|(?:don't|dont|do\s+not)\s+(?:want|need|send))"
    r"(?:\s+(?:anyone|anybody|someone|somebody|one|people|persons?|actors?|actress(?:es)?"
    r"|men|women|talents?|candidates?|profiles?))?(?:\s+the)?"
)
# "50-odd", "40 give or take" (Oxford: somewhat more than; approximately), not "30 odd films"
_ODD = (
    r"-?\s*odd(?!\s+(?:films?|movies?|shows?|projects?|credits?|roles?|years?\s+of))"
    r"|(?:years?|yrs?)?\s*(?:,\s*)?give\s+or\s+take"
)
# two limits either way, joined by "or": "under 30 or over 50", "age<30 or >50"
_BELOW = r"(?:under|below|younger\s+than|less\s+than|<)\s*\d{1,2}\b"
_ABOVE = r"(?:over|above|older\s+than|more\s+than|>)\s*\d{1,2}\b"
_EITHER_AGES = re.compile(
    rf"{_BELOW}[^.;\n]{{0,40}}?\bor\b[^.;\n]{{0,20}}?{_ABOVE}"
    rf"|{_ABOVE}[^.;\n]{{0,40}}?\bor\b[^.;\n]{{0,20}}?{_BELOW}"
)
# Years said of a career or of time gone, not of a person: "30 years experience", "20 years
# in theatre", "15 years ago"
_WORK_YEARS = r"(?:years?|yrs?)\s+(?:of\s+)?(?:experience|exp\b|career|ago|back|in\s)"
_YEARS_OF_WORK = r"(?![\s-]*" + _WORK_YEARS + ")"
# A number followed by another unit is no age: "upwards of 60 films", "nobody over 35 lakhs
# fee", "above 45 kg"
_NOT_AN_AGE = (
    r"(?!\s*(?:films?|movies?|shows?|projects?|credits?|roles?|serials?|episodes?|ads?\b"
    r"|minutes?|mins?\b|hours?|hrs?\b|kgs?\b|kilos?|lakhs?|lacs?|crores?|cr\b|k\b|%|cm\b"
    r"|feet|ft\b|inch(?:es)?|followers?|days?\b|weeks?\b|months?\b|" + _WORK_YEARS + "))"
)
# Marathi "वयाचा/वयाची" (of age) between a comparison and its "नाही"
_MR_AGE_OF = r"(?:\s*(?:वयाच[ाीे]|वयाच्या|vayacha|vayachi|vayache))?"
# Hindi "(umar) ka/ki" between a comparison and its "nahi": "45 se kam umar ka nahi"
_AGE_OF = r"(?:\s*(?:umar|umr|उम्र|aayu|आयु)?\s*(?:ka|ki|ke|का|की|के)(?=\s))?"
# Hindi "not" after a comparison: "nahi", and the wish's "na ho" ("60 से अधिक न हो": let it
# not be more than 60; McGregor: न); Marathi "नाही", "नको", and "नसावा/नसावी/नसावे" (should
# not be: Molesworth)
_HI_NOT = r"\s*(?:na(?:hi|hin)|नहीं|नको|(?:na|न)\s+(?:ho|hon|हो|हों|होना))(?![\w\u0900-\u0DFF])"
_MR_NOT = r"\s*(?:नाही|नको|नसाव[ाीे]|nahi|nako|nasav[aie])"
# "N or more/less than that": English "or", Hindi "ya usse" (McGregor: उससे, than that),
# Marathi "किंवा त्याहून/त्यापेक्षा" (Molesworth)
_OR_THAN = (
    r"\s*(?:or|ya|या|किंवा|kinva|kimva)\s*(?:usse|us\s+se|उससे|उस\s+से|त्याहून|त्यापेक्षा|tyahun"
    r"|tyapeksha)"
)
# generations by birth year (Pew Research Center, "Defining generations", 2019)
_GENERATIONS = {
    **dict.fromkeys(("baby boomer", "baby boomers", "boomer", "boomers"), (1946, 1964)),
    **dict.fromkeys(("gen x", "generation x", "genx", "gen xer", "gen xers"), (1965, 1980)),
    **dict.fromkeys(("millennial", "millennials", "gen y", "generation y"), (1981, 1996)),
    **dict.fromkeys(("gen z", "generation z", "genz", "zoomer", "zoomers"), (1997, 2012)),
}


def _ascii_digits(text: str) -> str:
    """Any script's digits ("४५", Bengali "৪৫", Kannada "೪೫") as ASCII ones."""
    return "".join(str(unicodedata.digit(c)) if c.isdecimal() else c for c in text)


# after these a profession names the part, not the person's other job
_PART_LEAD = re.compile(  # a whole word: "has directed" is not "as directed"
    r"(?<![\w\u0900-\u0DFF])(?:play|plays|playing|played|as|role\s+of|part\s+of|casting)"
    r"\s+(?:an?\s+|the\s+)?$"
)


# "worked as a model", "started as a dancer": the person's own work, not a part
_WORKED_AS = re.compile(
    r"(?<![\w\u0900-\u0DFF])(?:works?|worked|working|started|began|served|debuted|career)"
    r"\s+(?:out\s+)?as\s+(?:an?\s+|the\s+)?$"
)


# after a profession one needs not have to play it: "neta ka role", "a politician's part",
# "producer ka kirdar" (the performing ones, dancer or singer, are needed for the part)
_PLAYED = frozenset(
    {"politician", "entrepreneur", "philanthropist", "director", "producer", "writer", "model"}
)
_PART_AFTER = re.compile(
    r"\s*(?:(?:ka|ki|ke|का|की|के|cha|chi|che|चा|ची|चे|'s)\s+|\s)"
    r"(?:role|part|character|kirdar|kirdaar|किरदार|रोल|bhumika|भूमिका)(?![\w\u0900-\u0DFF])"
)


def _is_part(before: str) -> bool:
    """Does the text before a profession make it the part played ("can play a politician")?"""
    return bool(_PART_LEAD.search(before)) and not _WORKED_AS.search(before)


# a profession that is someone else's: the agent of a passive ("a film produced by",
# "launched by a producer", "discovered by a director", "under a director") or the one
# worked with ("worked with director Mani Ratnam")
_SOMEONE_ELSES_BEFORE = re.compile(
    r"(?<![\w\u0900-\u0DFF])(?:by|under|(?:worked|acted|starred|collaborated|associated)"
    r"\s+with)\s+(?:(?:a|an|the|famous|ace|veteran|renowned|noted|leading|top|big)\s+)*$"
)
_PASSIVE_AFTER = re.compile(r"\s+by(?![\w\u0900-\u0DFF])")
# an age at a past event of the career: "made her debut aged 15", "won it at age 25",
# "at the age of 10 she started acting" (not the age the person is now)
_PAST_EVENT = (
    r"(?:debut(?:ed|s)?|started|began|won|entered|joined|first\s+(?:film|role|movie|show))"
)
# one age, not a range or a limit ("aged 30 to 40", "aged 40+": the person's age now)
_ONE_AGE = r"\s+\d{1,2}\b(?!\s*(?:-|–|\+|to\b|and\b|or\b|plus\b|till\b|until\b))"
_AT = r"(?:at\s+(?:the\s+)?age(?:\s+of)?|at)"
# An age after the event ("debuted aged 14") or a point in time before it ("at 10 she
# started acting") is when it happened; "aged 30 who started in theatre" is the person now.
_PAST_AGE = re.compile(
    r"(?<![\w\u0900-\u0DFF])"
    + _PAST_EVENT
    + r"\b[^,;.]{0,40}?\b((?:aged|"
    + _AT
    + ")"
    + _ONE_AGE
    + ")"
    r"|(?<![\w\u0900-\u0DFF])(" + _AT + _ONE_AGE + r")[^,;.]{0,20}?\b" + _PAST_EVENT + r"\b"
)
# ... and Hindi/Marathi "at the age of N" before such an event ("16 साल की उम्र में डेब्यू",
# "10 saal ki umar mein acting shuru", Marathi "१६ व्या वर्षी पदार्पण": McGregor, Molesworth)
_PAST_AGE_INDIC = re.compile(
    r"(?<![\w\u0900-\u0DFF])(\d{1,2}\s*(?:(?:साल|वर्ष|saal|sal|baras|बरस)\s*)?(?:की|ki)\s*"
    r"(?:उम्र|umar|umr|umra|आयु|aayu)\s*(?:में|mein|me|main)|\d{1,2}\s*(?:व्या|vya)\s*(?:वर्षी|varshi))"
    r"[^,;.]{0,30}?(?:डेब्यू|शुरुआत|पदार्पण|शुरू|debut|shuru|start|सुरुवात|suruvat)"
)
# "started as / former child artist" says how a career began; "need a child artist" is an age
_PAST_CHILD = re.compile(
    r"(?<![\w\u0900-\u0DFF])(?:(?:started|began|debuted|worked|was|were)\s+(?:out\s+)?as"
    r"|former|ex-?)\s+(?:an?\s+)?$"
)
_CHILD_WORK = re.compile(r"\s*(?:artists?|actors?|actress(?:es)?|stars?)(?![\w\u0900-\u0DFF])")
# ... and so does one said to have grown up since: "child artists now grown up", "child
# stars, all grown-up now", "now adults" (Oxford: grown-up, adult)
_GROWN_UP = re.compile(
    r"\s*,?\s*(?:(?:who(?:'s|'re)?|(?:is|are|has|have)|now|since|all)\s+)*(?:grown[\s-]*ups?"
    r"|grown)\b|\s*,?\s*(?:who\s+(?:are|is)\s+|all\s+)?now\s+(?:all\s+)?adults?\b"
)


# Hindi/Marathi postpositions after a year ("2010 ke baad", "2015 पर्यंत") and the English
# preposition each stands for
_YEAR_AFTER = {
    **dict.fromkeys(("ke baad", "ke bad", "के बाद", "नंतर", "च्या नंतर"), "after"),
    **dict.fromkeys(("nantar", "chya nantar"), "after"),  # romanised Marathi
    **dict.fromkeys(("se pehle", "se pahle", "से पहले", "पूर्वी", "च्या आधी", "आधी"), "before"),
    **dict.fromkeys(("ke pehle", "ke pahle", "के पहले"), "before"),
    **dict.fromkeys(("tak", "तक", "पर्यंत"), "until"),
    **dict.fromkeys(("se", "से"), "since"),
    # "between" after a range: "1985 se 1995 ke beech", "१९८५ ते १९९५ दरम्यान" (McGregor:
    # बीच; Molesworth: दरम्यान)
    **dict.fromkeys(("ke beech", "ke bich", "के बीच", "दरम्यान", "च्या दरम्यान"), "in"),
    **dict.fromkeys(("darmyan", "chya darmyan"), "in"),
}


# Hindi agentive "<noun> karne wala/wali/wale" and Marathi "<noun> करणारा/री/रे" say the
# one who does <noun> (McGregor, Outline of Hindi Grammar, the -ne vala agent noun; Marathi
# -णारा): "comedy karne wale" is a comedian, while "comedy" alone stays a genre to search
_ACTIVITY = dict.fromkeys(("comedy", "kamedi", "कॉमेडी", "हास्य", "विनोद"), "comedian")
_ACTIVITY |= dict.fromkeys(("anchoring", "एंकरिंग"), "anchor")
_AGENTIVE = re.compile(
    _L + "(" + "|".join(map(re.escape, _ACTIVITY)) + r")\s+"
    r"(?:(?:karne|करने)\s+(?:wal|waal|वाल)[\w\u0900-\u0DFF]*|kart[aei]|करत[ाीे]"
    r"|करणार[\u0900-\u0DFF]*|करणाऱ्या)" + _R
)


# what separates the items of a list offered as a choice ("kathak, kuchipudi or odissi")
_LIST_GAP = re.compile(r"\s*(?:,|/|-|\bor\b|\bya\b|या|किंवा)?\s*(?:(?:or|ya|या|किंवा)\s+)?")
# "actors and actresses" (or "actresses/actors") names both: no gender to filter on
# ... also with a count before the second ("2 actresses and 1 actor", "an actor and two
# actresses": each noun counts its own people)
_COUNT = (
    r"(?:\s*(?:\d{1,2}|an?|one|two|three|four|five|ek|do|teen|char)\s+"
    r"(?:(?:pair|couple)s?\s+of\s+)?|\s*)"  # "a pair of actors and a pair of actresses"
)
_AND = r"\s*(?:and|&|or|/|aur|या|और|ani|आणि|plus|\+|,)"
_BOTH = re.compile(
    r"\bactors?" + _AND + _COUNT + r"actress(?:es)?\b"
    r"|\bactress(?:es)?" + _AND + _COUNT + r"actors?\b"
)
# casting breakdowns write the part's gender as one letter beside its ages ("F, 30-40",
# "M 25-35", "30-40 F"), an open age ("F 25+", "35+ F") or, first, one age ("M40"; a
# letter after one number is as often metres or minutes: "10 m away")
_BREAKDOWN_SEX = re.compile(
    # first in the query or its field ("F 25+", "Tamil, M 30-40") or glued on ("M40"): a
    # Hinglish "m" after a word is "mein" ("Mumbai m 25 saal ki ladki")
    r"(?:^|(?<=[,(/;|])|(?<![\w.])(?=[mf]\d))\s*([mf])\s*[,/:]?\s*"
    r"(?=\d{2}(?:\s*[-–]\s*\d{2}\b|\s*\+|\b))"
    r"|(?<![\w.])(\d{2}(?:\s*[-–]\s*\d{2}|\s*\+))(\s*[,/]?\s*)([mf])\b(?!\.)"
)
# a casting breakdown's sex letter on its own between commas, brackets or a table's bars
# ("F, 30s, Tamil", "Tamil, F", "actor (F)", "Hindi | F | 35-40"), not in a garment size
# ("S/M", "M/L")
_SEX_LETTER = re.compile(
    # (or after a label's colon: "brief: M | 45-60"; not "Size: M", "Marital status: M")
    r"(?:^|(?<=[,(/;|])|(?<=:)(?<!size:)(?<!status:))(?<![sl]/)(?<![sl]\s/)\s*([mf])\s*"
    r"(?=$|[,);|]|/(?!\s*[lsx]))"
)
# ... or after a label asking who ("Looking for: F", "Role: F"); not after another field's label
# ("Size: M", "Marital status: M")
# ... or anywhere in shorthand ("bigg boss contestant f kannada", "kannada m 45 plus"): "f"
# names no Hindi word; "m" is also Hinglish "mein" (in), so it counts only in a message
# with no Hindi or Marathi words of grammar; neither after a number ("5 m", metres) nor
# a garment's size
_LONE_SEX = re.compile(
    r"(?<![\w'’./&+*-])(?<!\d\s)(?<!size\s)(?<!size:\s)(?<!size-\s)(?<!grade\s)([mf])"
    r"(?![\w'’/&+*-])(?!\.\w)"
)
_HINGLISH_GRAMMAR = re.compile(
    r"\b(?:hai|hain|ho|ki|ka|ke|ko|se|mein|me|chahiye|chaiye|wala|wali|wale|saal|aur|bhi|koi"
    r"|kaam|nahi|jo|kar|kare|karna|kiya|hona|tha|thi|ek|ahe|aahe|pahije|hava|havi|chi|cha"
    r"|che|madhe|madhye|ani|la|var)\b"
)


def _lone_sex_letters(text: str) -> str:
    hinglish = _HINGLISH_GRAMMAR.search(text) is not None
    return _LONE_SEX.sub(
        lambda m: m.group(0) if m.group(1) == "m" and hinglish else _LETTER_SEX[m.group(1)],
        text,
    )


_STATE_OF = {w: state for state, words in STATES.items() for w in (state.lower(), *words)}
_STATE = (
    "("
    + "|".join(
        re.escape(w).replace("\\ ", r"\s+") for w in sorted(_STATE_OF, key=len, reverse=True)
    )
    + ")"
    + r"(?:[\u0900-\u0DFF]*)"
    + _R
)
_LETTER_SEX = {"f": " female ", "m": " male "}
_ASKER = re.compile(
    r"(?<![\w'])(he|she)(\s+(?:wants|needs|requires|is\s+looking|'s\s+looking|asked|asks"
    r"|said|says|is\s+casting|'s\s+casting)\b)"
)
_SEX_AFTER_LABEL = re.compile(
    r"\b((?:looking\s+for|wanted|needed|need|required|requirement|req|role|lead|character"
    r"|artist|talent|cast)\s*:)\s*([mf])\s*(?=$|[,);|])"
)
# a relative clause with a feminine verb says the person wanted is a woman: "jo Tamil bolti
# ho", "जो गाती भी हैं" (Hindi habitual -ती/-ti agrees with its subject; McGregor)
_FEMININE_CLAUSE = re.compile(
    r"(?<![\w\u0900-\u0DFF])(?:jo|जो)\s+(?:[\w\u0900-\u0DFF'-]+\s+){0,4}?"
    r"[\w\u0900-\u0DFF]+(?:ti|ती)\s+(?:(?:bhi|भी)\s+)?(?:ho|hai|hain|hon|हो|है|हैं|हों)"
    r"(?![\w\u0900-\u0DFF])"
)
# ... and, with no "jo", a feminine habitual verb of doing before its auxiliary ("singer hai
# aur acting bhi karti hai", "गाती भी है"): the person wanted is its subject. Verbs whose
# subject is the doer only (McGregor); not "aati" (Hindi aati hai: the language comes) or
# "lagti", whose subject is the thing.
_FEMININE_VERB = re.compile(
    r"(?<![\w\u0900-\u0DFF])(?:karti|karati|gaati|gati|nachti|naachti|bolti|likhti|rehti"
    r"|rahti|jaanti|janti|nibhati|padhti|khelti|करती|गाती|नाचती|बोलती|लिखती|रहती|जानती"
    r"|निभाती|पढ़ती|खेलती)\s+(?:(?:bhi|भी)\s+)?(?:hai|hain|ho|hon|है|हैं|हो|हों)"
    r"(?![\w\u0900-\u0DFF])"
)
# ... its masculine form: both in one request ("bolta ho ya bolti ho", "karta/karti") ask
# for anyone
_MASCULINE_VERB = re.compile(
    r"(?<![\w\u0900-\u0DFF])(?:karta|karata|gaata|gata|nachta|naachta|bolta|likhta|rehta"
    r"|rahta|jaanta|janta|nibhata|padhta|khelta|करता|गाता|नाचता|बोलता|लिखता|रहता|जानता"
    r"|निभाता|पढ़ता|खेलता)(?![\w\u0900-\u0DFF])"
)
# a clause about the asker's own ("hamari agency Mumbai mein kaam karti hai", "मेरी टीम ...
# रहती है"): its verb's subject is theirs, not the person wanted
_OWN_CLAUSE = re.compile(
    r"(?:^|[,.;:!?|\n])[^,.;:!?|\n]*(?<![\w\u0900-\u0DFF])"
    r"(?:hamari|humari|hamaari|meri|apni|हमारी|मेरी|अपनी)(?![\w\u0900-\u0DFF])[^,.;:!?|\n]*$"
)


def _feminine_verb(text: str) -> bool:
    """Does a feminine habitual verb say the person wanted is a woman?"""
    if _MASCULINE_VERB.search(text):
        return False
    return any(
        _OWN_CLAUSE.search(text, 0, found.start()) is None
        for found in _FEMININE_VERB.finditer(text)
    )


# words for a woman or a man that are also names ("Ben", Mahesh "Babu"), so a person only
# after a people's name: Gujarati "બેન" (ben, sister: a woman, as "Hansaben"), Bengali
# "বাবু"/Hindi "बाबू" (babu, a gentleman; "babumoshai", sir) (Wiktionary; McGregor):
# "Gujarati ben", "Bengali babu"
_PEOPLE_PERSON = {"ben": "female", "babu": "male", "babumoshai": "male"}
_PEOPLE_OF = {"ben": "Gujarati", "babu": "Bengali", "babumoshai": "Bengali"}
_PEOPLE_PERSON_AFTER = re.compile(
    r"(?<![\w\u0900-\u0DFF])((?:"
    + "|".join(sorted({w for w in (*LANGUAGES["Gujarati"], *LANGUAGES["Bengali"]) if w.isascii()}))
    + r")\s+)("
    + "|".join(_PEOPLE_PERSON)
    + r")(?![\w\u0900-\u0DFF])"
)
# grandparents' words that are also actors' names ("Nani", "Dada"), as a part: "nani ka
# role", "nana ji ki bhumika" (McGregor: नानी maternal grandmother, नाना, दादा grandfathers);
# not "Nani type", "Nani jaisa": Nani is also a Telugu star
_GRANDPARENTS = {"nani": "female", "नानी": "female", "nana": "male", "नाना": "male"}
_GRANDPARENTS |= {"dada": "male", "दादा": "male"}
# ... and uncles' words typed in Latin letters that are also other words: Hindi "mama" (the
# mother's brother; English "mama" is a mother), "tau" (the father's elder brother), "jeth"
# (the husband's elder brother; also a month), as a part (McGregor)
_GRANDPARENTS |= {"mama": "male", "tau": "male", "jeth": "male"}
_GRANDPARENT_PART = (
    r"(?<![\w\u0900-\u0DFF])(" + "|".join(_GRANDPARENTS) + r")(?:\s*(?:ji|जी))?"
    r"(?:\s+(?:ka|ki|ke|का|की|के))?\s+(?:role|kirdar|kirdaar|किरदार|रोल|भूमिका|bhumika)"
    r"(?![\w\u0900-\u0DFF])"
)
# "90s mein kaam", "९० च्या दशकात": a decade of time when the query speaks of work done then
# and gives no sign of an age ("in her 70s", "umar")
_ERA_IN = re.compile(
    r"(?<![\w'])(?:19)?([3-9]0)'?s\s+(?:mein|me|में|madhye|मध्ये)(?![\w\u0900-\u0DFF])"
)
_WORK_DONE = re.compile(
    r"(?<![\w\u0900-\u0DFF])(?:kaam|kam|work(?:ed|ing)?|active|release[ds]?|debut(?:ed)?"
    r"|career|काम|सक्रिय|रिलीज़?|डेब्यू)(?![\w\u0900-\u0DFF])"
)
_AGE_CUE = re.compile(
    r"(?<![\w\u0900-\u0DFF])(?:her|his|their|age[ds]?|umar|umr|उम्र|आयु|वय|vay|saal|साल"
    r"|years?|yrs)(?![\w\u0900-\u0DFF])"
)
# "stage actor", "comic actor": the line of work before a performer's noun (an
# encyclopaedia's "theatre actor", "comedian"); the person's noun stays for the gender.
# "TV actress", "serial actress", "daily soap actor": an encyclopaedia's "television actress"
_LINE_OF_WORK = {
    "television": r"(?<!web\s)(?:(?:(?:film|films|movie)\s*(?:and|&|/)\s*)?(?:tv|television"
    + r"|टीवी|टीव्ही|टेलीविजन)(?:\s*(?:serial|soap))?|(?:daily\s+)?soap|serial|सीरियल|सिरियल|मालिका"
    # ... Marathi "मालिकांमधली अभिनेत्री" (the actress of serials: -मधला/-तला, Molesworth)
    + r"(?:ंमधल[ाीे]|ंमधल्या|ंतल[ाीे]|ंतल्या|ंतील)?)",
    # ... with the Hindi loanword "थिएटर" (McGregor) beside रंगमंच
    # ... and नाट्य (drama: McGregor, Molesworth), as in "नाट्य कलाकार"
    "theatre": r"(?:stage|theatre|theater|रंगमंच|रंगभूमी|थिएटर|थियेटर|नाट्य)",
    "comedian": r"(?:comic|comedy|हास्य|विनोदी|hasya|vinodi)",
}
_PERFORMER = (
    # ... Hindi "wala" between them or alone ("theatre wala actor", "TV wali": the one
    # of it, McGregor: वाला)
    r"(?=(?:[\s-]+(?:wal[aei]|waal[aei]|वाल[ाीे])(?:\s+[\w\u0900-\u0DFF]+)?)?\s+(?:actors?"
    r"|actress(?:es)?|artists?|artistes?|stars?|personalit(?:y|ies)"
    # ... or "people" ("theatre people", "theatre ppl": Oxford, and the texting spelling)
    r"|people|ppl|folks?"
    # ... or the person's noun after "wala": "TV serial wala ladka", "serial wali mulgi"
    r"|ladka|ladki|ladke|banda|bandi|aadmi|aurat|mulga|mulgi|लड़का|लड़की|मुलगा|मुलगी"
    r"|अभिनेत्री|अभिनेत्रियाँ|अभिनेता|अभिनेते|कलाकार|नट|नटी|abhineta|abhinetri|kalakar)"
    r"(?![\w\u0900-\u0DFF])|[\s-]+(?:wal[aei]|waal[aei]|वाल[ाीे])(?=\s*(?:[,.;!?|)]|$|\d|chahiye|चाहिए"
    r"|pahije|पाहिजे|hav[aei]|हव[ाीे]|needed|required)))"
)
# the performer's noun after a line of work, to read a refusal after it
_PERFORMER_END = re.compile(
    r"(?:[\s-]+(?:wal[aei]|waal[aei]|वाल[ाीे]))?(?:\s*(?:actors?|actress(?:es)?|artists?"
    r"|artistes?|stars?|personalit(?:y|ies)|अभिनेत्री|अभिनेत्रियाँ|अभिनेता|अभिनेते|कलाकार|नट|नटी"
    r"|abhineta|abhinetri|kalakar))?"
)
# Latin words near a language's name are read as it ("Telgu", "Malayalum"), but not these
# words of their own ("Hindu", "Bengal", "Maratha", "bangles"); the parser says so
_NOT_LANGUAGES = frozenset(
    {
        *(
            "hindu",
            "hindus",
            "bengal",
            "punjab",
            "gujarat",
            "maratha",
            "marathas",
            "assam",
            "sindh",
        ),
        *("bangle", "bangles", "canada", "malaya"),
        # states one or two letters from their people's language (Wikipedia, "States and
        # union territories of India"): "Maharashtra State Film Award" asks for no Marathi
        *("maharashtra", "haryana", "rajasthan", "kashmir", "tamilnadu", "tamilnad"),
        # English words as close to a language's name as a typo ("item songs" is no
        # "bongs", "Hollywood" no "Bollywood", "familiar" no "Tamilian"): every word of
        # SCOWL's American English list (Debian's wamerican) within the edit distance
        # `misspelt_languages` allows
        *("assumes", "bangs", "bonds", "bones", "bongo", "bongos", "bonus", "borgs", "bungs"),
        *("familial", "familiar", "familiars", "gongs", "guarani", "hinds", "hollywood"),
        *("longs", "malayan", "malls", "marathon", "marathons", "mariachis", "mathis"),
        *("namibian", "namibians", "plywood", "pollywog", "pollywogs", "siamese", "songs"),
        *("tahitian", "tahitians", "tongs"),
    }
)
# after a language's name, the word that makes it a state's ("Tamil Nadu State Film
# Award", "born in Tamil Nadu"): a place, for the ranking, not the language
_STATE_AFTER = re.compile(r"[\s-]*(?:nadu|नाडु|नाडू)(?![\w\u0900-\u0DFF])", re.IGNORECASE)
# ... or the people one comes from ("a Punjabi family", "of Bengali descent", "Gujarati
# parents"): an origin, not the language one works in
_ORIGIN_AFTER = re.compile(
    r"[\s-]+(?:descent|origin|parents|parentage|roots|heritage|ancestry)(?![\w\u0900-\u0DFF])"
)
# ... and a family one is from ("from a Punjabi family", "Punjabi parivar se"), not a
# "Tamil family drama"
_FAMILY_AFTER = re.compile(
    r"[\s-]+(?:famil(?:y|ies)|household|parivar|parivaar|परिवार|कुटुंब|खानदान|khandaan"
    r"|khandan)(?:\s+(?:se|से)|तील|ातील|ातून)?(?![\w\u0900-\u0DFF])"
    r"(?!\s+(?:drama|dramas|films?|movies?|shows?|serials?|entertainers?|comed(?:y|ies)|sagas?"
    r"|thrillers?|audiences?))"
)
_FROM_BEFORE = re.compile(r"(?<![\w\u0900-\u0DFF])(?:from|into|to|of|in)\s+(?:an?\s+|the\s+)?$")
_DECADE_NAMES = "|".join(w for w in _DECADES if w != "teens")
# "under 40s", "over-60s", "the over-fifties", "the under-35s" (Oxford): the age itself,
# not the decade
_UNDER_OVER_DECADE = re.compile(
    r"\b(under|over|above|below)[\s-](?:(\d)0'?s|(" + _DECADE_NAMES + r")|(\d[1-9])s)\b"
)
_BIRTH_DECADE_WORDS = re.compile(
    r"\b(born\s+in\s+(?:the\s+)?(?:(?:early|mid|late)[\s-]*)?)?(nineteen[\s-]*)?("
    + _DECADE_NAMES
    + r")\b"
)
_REFUSED_BEFORE = re.compile(_L + _REFUSE_WHO + r"\s+$")
# "40s and above", "50s or older", "30s+": from that decade up
_DECADE_AND_UP = re.compile(
    r"\b(\d)0'?s\s*(?:(?:and|or|&)\s*(?:above|over|older|up|upwards|more)|\+|plus)(?![\w+])"
)
# performers' gendered nouns long enough that one wrong letter still names them ("actrss")
_MISSPELT_TARGETS = {
    **dict.fromkeys(("actress", "actresses", "heroine", "heroines"), "female"),
    "abhinetri": "female",
    "abhineta": "male",
}
# before a city, words that make it no filter on where the person lives: the shoot's place
# ("shoot in Hyderabad", "shooting at", "location:") or a place refused ("not from Mumbai",
# "except Delhi"), which a filter cannot say
_NOT_HOME = re.compile(
    r"(?<![\w\u0900-\u0DFF])(?:(?:(?:shoot(?:ing)?|शूटिंग|शूट|चित्रीकरण)\s*(?:in|at|:)"
    r"|(?:shot|filming|schedule|location|set)\s*(?:in|at|:)"
    r"|(?:not|no|except|excluding|outside)\s+(?:necessarily\s+)?(?:from|in|based\s+in)?|non)"
    r"\s*[-,]?\s*"
    # ... or right after "shoot": "shoot Vizag", "Shoot - Goa", "शूटिंग पुणे में" (not "Ad
    # shoot, Delhi based female": `_BASED_AFTER`)
    r"|(?:shoot(?:ing)?|शूटिंग|शूट|चित्रीकरण)\s*[-–,:]?\s*)$"
)
_SHOOT_JUST_BEFORE = re.compile(r"(?:shoot(?:ing)?|शूटिंग|शूट|चित्रीकरण)\s*[-–,:]?\s*$")
_BASED_AFTER = re.compile(r"[\s-]*based(?![\w\u0900-\u0DFF])")
# ... or after it, in Hindi and Marathi order: "Nagpur mein shoot hai", "नागपुरात शूटिंग
# आहे", "हैदराबाद में शूट है" (the shoot's place, not the person's)
_SHOOT_AFTER = re.compile(
    r"\s*(?:(?:mein|me|main|में|मध्ये)\s+)?(?:shoot(?:ing)?|filming|शूट|शूटिंग|चित्रीकरण)"
    r"(?![\w\u0900-\u0DFF])"
)
# before a language, a refusal: "not Telugu", "non-Hindi", "who don't speak Tamil"
_NOT_SPOKEN = re.compile(
    r"(?<![\w\u0900-\u0DFF])(?:no|not|non|except|excluding|other\s+than"
    r"|(?:don't|dont|doesn't|do\s+not|does\s+not|can't|cannot)\s+speak)\s*-?\s*$"
)
# a refusal holds across "or": "not Tamil or Telugu", "no Hindi nor Marathi", "not Tamil/Telugu"
_OR_NEXT = re.compile(r"\s*,?\s*(?:or|nor)\s+|\s*/\s*")
# between two choices: "Tamil or Telugu", "ya", Hindi "या", Marathi "किंवा" ("kiva"), "अथवा"
# "otherwise" offers the next as a fallback, so either will do: "Marathi, otherwise Hindi",
# "Marathi nahi to Hindi", "मराठी नाही तर हिंदी", "Tamil warna Telugu" (Oxford: otherwise,
# else, failing that; McGregor: नहीं तो, वरना, ना हो तो; Molesworth: नाहीतर, नसेल तर)
_OTHERWISE = (
    r"(?:or\s+)?(?:otherwise|else|failing\s+(?:that|which|this)|if\s+not(?:\s+then)?)"
    r"|(?:nahi|nahin|nahi\s+ho|na\s+ho|नहीं|नहीं\s+हो|न\s+हो|ना\s+हो)\s+(?:to|toh|तो)"
    r"|warna|varna|वरना|vrna|नाहीतर|nahitar|naahitar|(?:नाही|nahi|naahi|नसेल|nasel|नसली|nasli)"
    r"\s+(?:तर|tar)"
)
_EITHER_GAP = re.compile(
    r"\s*,?\s*(?:(?:or|ya|या|किंवा|kiva|kinva|अथवा|athva|athava|" + _OTHERWISE + r")\s+(?:an?\s+)?)+"
)
# "voice" in Devanagari is voice work as the English "voice artist", "voice-over" are
# (not a "वॉइस नोट", a voice note, nor "वॉइस सैंपल")
_VOICE_WORK = (
    r"(?<![\w\u0900-\u0DFF])(?:वॉइस|व्हॉइस|वॉयस)[\s-]*(?:आर्टिस्ट|ओवर|ओव्हर|एक्टिंग|एक्टर|डबिंग)"
    r"(?![\w\u0900-\u0DFF])"
)
# said acceptable, beside a requirement: "Mumbai chalega", "Pune also fine", "पुणे चालेल"
_ACCEPTABLE_AFTER = re.compile(
    r"\s*(?:(?:also|bhi|भी|pan|पण)\s+)?(?:chalega|chalegi|चलेगा|चलेगी|chalel|चालेल|ok|okay"
    r"|fine|welcome|(?:is\s+)?(?:also\s+)?(?:ok|okay|fine|welcome))(?![\w\u0900-\u0DFF])"
)
_LIST_COMMA = re.compile(r"\s*[,/]\s*")
_BOTH_AFTER = re.compile(r"\s*(?:both|dono|donon|दोनों|दोन्ही|donhi)(?![\w\u0900-\u0DFF])")
_OR_NEXT_SKILL = re.compile(r"\s*,?\s*(?:or|nor)\s+(?:an?\s+)?|\s*/\s*")
# ... or after it, in Hindi/Marathi: "Hindi nahi", "मुंबई नको"
# (also "Delhi wali nahi", "Mumbai se nahi": the one from there, not them), or in English:
# "Hindi not required", "Hindi optional" (asked for by no one: no filter)
_REFUSED_AFTER = re.compile(
    r"\s*(?:(?:wal[aei]|waal[aei]|वाल[ाीे]|se|से|ka|ki|ke|का|की|के)\s+)?"
    # ... Marathi "नाही" (no, not) and "नकोत" (not wanted, plural) beside Hindi's (Molesworth)
    r"(?:nahi|nahin|नहीं|नाही|नको|नकोत|nako|nakot)"
    # not "nahi mil rahi" (can't be found: still wanted; Hindi milna, McGregor; Marathi
    # मिळणे) nor the question "nahi hai kya?" nor "nahi to" (otherwise: an alternative)
    r"(?!\s+(?:mil|मिल|मिळ|dikh|दिख|disat|दिसत|hai\s+kya|है\s+क्या"
    r"|(?:तर|tar|to|toh|तो)(?![\w\u0900-\u0DFF])"
    # ... unless what follows says that will do too: "Hindi nahi to koi baat nahi", "नाही तर
    # चालेल" (McGregor: चलना, to do; Molesworth: चालणे, हरकत objection)
    r"(?!\s+(?:koi|कोई|chal|चल|चाल|thik|theek|ठीक|ok|okay|fine|bhi|भी|हरकत|harkat|harakat))))"
    # "X hona zaroori nahi", "X आवश्यक नाही", "X chi garaj nahi": X is not required (McGregor:
    # ज़रूरी necessary; Molesworth: आवश्यक, गरज need)
    r"|\s*(?:(?:se|से|ki|की|ka|का)\s+)?(?:(?:hona|honi|hone|ho|होना|होनी|होने|हो|chi|ची)\s+)?"
    r"(?:zaroori|zaruri|jaruri|jaroori"
    r"|ज़रूरी|जरूरी|aavashyak|avashyak|आवश्यक|garaj|गरज)\s+(?:nahi|nahin|नहीं|नाही)"
    # Marathi "मुंबईची नसली तरी चालेल" (even if not from Mumbai, it will do: Molesworth)
    r"|\s*(?:ची|चा|चे|chi|cha|che)?\s*(?:नसली|नसला|नसले|nasli|nasla|nasle)\s+(?:तरी|tari)"
    # "X mat bhejna", "X पाठवू नका": do not send X (McGregor: मत, don't; Molesworth: नका)
    r"|\s*(?:mat|मत)\s+(?:bhej|भेज|de|दे|dikha|दिखा)[\w\u0900-\u0DFF]*"
    r"|\s*(?:pathvu|pathavu|पाठवू|dakhvu|दाखवू)\s+(?:naka|नका)"
    # a breakdown's bare English "no" closing the item: "dancers no, Marathi actress"
    r"|\s*[:-]?\s*no(?!\.?\s*(?:\d|required|req\b|of\b))(?=\s*(?:[,.;!)|]|$))"
    r"|\s*(?:is\s+)?(?:not\s+(?:required|needed|necessary|mandatory|compulsory|a\s+must"
    r"|important|essential)|optional|not\s+a\s+requirement)"
    r"(?![\w\u0900-\u0DFF])"
)
# before a skill, a refusal: "not a singer", "no singers pls", "without dancing", "except
# models" (a filter can only ask for a skill; "not only a singer" asks for one)
# ... or said with a negated verb: "don't sing", "can't dance", "aren't dancers", "must not
# be a model" (English "-n't" contractions, Oxford)
_NOT_SKILL = re.compile(
    r"(?<![\w\u0900-\u0DFF])(?:no|not|non|except|excluding|without|neither|nor"
    r"|(?:don't|dont|do\s+not|doesn't|does\s+not)\s+(?:want|need)"
    r"|don't|doesn't|didn't|can't|cannot|isn't|aren't|wasn't|weren't|mustn't|shouldn't)"
    r"\s*-?\s*(?:be\s+)?(?:an?\s+|any\s+)?$"
)
# a skill wished for, not required: "singer bhi ho to badhiya" (then all the better),
# "dancing a plus", "modelling preferred", "preferably a dancer" (Oxford: "a plus", an
# advantage; "preferably", "ideally"): ranked, not filtered
_WISHED_AFTER = re.compile(
    # ("aaye": Hindi "aana", to know a skill, McGregor; "sone pe suhaga", all the better)
    r"\s*(?:(?:bhi|भी)\s+)?(?:(?:ho|hai|hain|hon|aaye|aye|aata|aati|aate|हो|है|हों|आए|आये"
    r"|आता|आती)\s+){0,2}(?:to|toh|तो)\s+"
    r"(?:(?:aur|और|zyada|ज़्यादा|ज्यादा)\s+)?(?:badhiya|badiya|achha|accha|acha|achchha"
    r"|better|best|bonus|plus|बढ़िया|बढ़िया|अच्छा|बेहतर|sone\s+pe\s+suhaga|सोने\s+पे\s+सुहागा)"
    # Marathi "येत असेल तर उत्तम", "आली तर बोनस", "kela asel tar chhan" (if so, all the
    # better: Molesworth's तर, if; उत्तम, छान)
    r"|\s*(?:(?:ye|yet|येत|aali|ali|आली|kela|keli|केला|केली)\s+)?(?:(?:asel|असेल|asla|असला"
    r"|asli|असली)\s+)?(?:tar|तर)\s+(?:uttam|उत्तम|chhan|chan|छान|bara|बरं|bonus|बोनस"
    r"|changla|changle|चांगलं|चांगले)"
    # "Hindi pref", "would be nice", "also welcome", "chalega" (will do: acceptable, McGregor)
    r"|\s*(?:would\s+be|will\s+be|is|are|also)\s+(?:also\s+)?(?:nice|great|welcome)"
    r"(?![\w\u0900-\u0DFF])"
    # "Bengali is ok too", "also fine", "is fine as well": acceptable beside another
    r"|\s*(?:(?:is|are)\s+)?(?:also\s+(?:ok|okay|fine)|(?:ok|okay|fine)\s+(?:too|as\s+well))"
    r"(?![\w\u0900-\u0DFF])"
    r"|\s*(?:(?:also|bhi|भी|pan|पण)\s+)?(?:pref\.?|welcome|chalega|chalegi|chalenge"
    r"|चलेगा|चलेगी|chalel|चालेल)(?![\w\u0900-\u0DFF])"
    r"|\s*(?:skills?\s+|experience\s+|background\s+|bg\s+|training\s+)?"
    r"(?:(?:is|are|would\s+be|will\s+be)\s+)?(?:an?\s+)?"
    r"(?:added\s+advantage|preferred|preferable|desirable|nice\s+to\s+have|good\s+to\s+have)"
    r"(?![\w\u0900-\u0DFF])"
    # "a plus", "is a bonus", or the word closing its phrase ("dance plus,"); a bare "plus"
    # before another word joins them ("dancer plus singer": both)
    r"|\s*(?:skills?\s+|experience\s+|background\s+|bg\s+|training\s+)?"
    r"(?:(?:is|are|would\s+be|will\s+be)\s+)?"
    r"(?:(?:an?\s+)(?:plus|bonus|advantage)(?![\w\u0900-\u0DFF])"
    r"|(?:plus|bonus|advantage)(?=\s*(?:[,.;!)|]|$)))"
)
# "theatre" and "TV" on their own are what someone has done, a background their biography
# tells ("a theatre background", "worked in theatre", "रंगमंच से जुड़ी", "did TV serials"),
# ranked on; the line of work ("theatre actor", "TV actress", "serial wali": an
# encyclopaedia's occupation) is taken before, by `line_of_work`, and stays a filter
_BACKGROUNDS = frozenset({"theatre", "television"})
# a period or another age said beside it ("for a period film", "actress 25-30")
_PERIOD_OR_AGE = re.compile(
    r"\b(?:period|era|retro|vintage|set\s+in|19\d\d)\b|\b\d{2}\s*(?:-|–|to)\s*\d{2}\b"
    r"|\b\d{2}\s*(?:yrs?|years?|saal|y/o)\b"
)
# a range of days before a month's name ("may" left out: also the verb)
_DAY_RANGE = re.compile(
    r"(?<![\w\u0900-\u0DFF])[0-3]?\d(?:st|nd|rd|th)?\s*(?:-|–|to)\s*[0-3]?\d(?:st|nd|rd|th)?\s+"
    r"(?:" + "|".join(sorted((m for m in MONTHS if m != "may"), key=len, reverse=True)) + r")\.?"
    r"(?![\w\u0900-\u0DFF])"
)
_LOOK_AFTER = re.compile(r"[\s-]*(?:look|looks|vibe)(?![\w\u0900-\u0DFF])")
# the production being cast, or an advertisement, is not the person's television work: "for
# a Kannada TV serial", "TV serial ke liye", "serial mein role", "TV ads", "TV commercial"
_PRODUCTION_BEFORE = re.compile(
    r"(?<![\w\u0900-\u0DFF])(?<!looking\s)(?<!searching\s)(?<!search\s)(?<!scouting\s)for\s+(?:(?:an?|the|our|my|this|upcoming|new)\s+)*"
    r"(?:[\w\u0900-\u0DFF]+\s+){0,2}$|(?<![\w\u0900-\u0DFF])web\s+$"
)
_PRODUCTION_AFTER = re.compile(
    r"s?\s*(?:ke\s+liye|ke\s+liya|के\s+लिए|के\s+लिये|sathi|साठी"
    r"|(?:mein|me|में|madhe|madhye|मध्ये|मधील|madhil)\s+(?:ek\s+)?(?:role|रोल|bhumika|भूमिका"
    r"|kirdar|kirdaar|किरदार|part)"
    r"|ads?|adverts?|advertisements?|commercials?|promos?)(?![\w\u0900-\u0DFF])"
)
_PRESENTER_WORDS = _words([w for w, skill in phrase_tables()[1] if skill == "television presenter"])
_PRESENTER_AFTER = re.compile(r"s?[\s-]+" + _PRESENTER_WORDS + _R)
_PRESENTER_BEFORE = re.compile(_L + _PRESENTER_WORDS + r"[\s-]+(?:(?:on|a|the)\s+)?$")


def _presenter_beside(text: str, m: re.Match[str]) -> bool:
    return bool(
        _PRESENTER_AFTER.match(text, m.end())
        or _PRESENTER_BEFORE.search(text, max(0, m.start() - 30), m.start())
    )


# ... unless it is said to be required: "theatre background required", "theatre zaroori",
# "रंगभूमीचा अनुभव आवश्यक" (Molesworth: आवश्यक necessary)
_REQUIRED_AFTER = re.compile(
    r"[\s-]*(?:(?:background|experience|exp|training|बैकग्राउंड|अनुभव|anubhav)[\s-]*)?"
    r"(?:(?:is|a)\s+)?(?:required|reqd|req|must|mandatory|compulsory|essential|necessary"
    r"|zaroori|zaruri|jaruri|ज़रूरी|जरूरी|आवश्यक|hona\s+chahiye|होना\s+चाहिए|हवा|हवी|pahije|पाहिजे"
    # ... "TV kiya hona chahiye" (should have done TV: McGregor, करना)
    r"|(?:kiya|kia|किया)\s+(?:hona\s+chahiye|होना\s+चाहिए))"
    r"(?![\w\u0900-\u0DFF])"
)
_TRAINING_AFTER = re.compile(r"[\s-]*(?:training|trained|workshops?)(?![\w\u0900-\u0DFF])")
# ... or said before it: "must have done TV", "should have theatre experience", "has to have
# worked in TV"
_REQUIRED_BEFORE = re.compile(
    r"(?<![\w\u0900-\u0DFF])(?:must|should|has\s+to|have\s+to|needs?\s+to)\s+have"
    r"(?:\s+(?:done|worked\s+(?:in|on)|acted\s+in|been\s+(?:in|on)))?\s+(?:some\s+)?$"
)
# a place's "-based" or "ki/se" before a wish: "Mumbai-based preferred", "Mumbai ki ho to"
_PLACE_SUFFIX = re.compile(r"[\s-]*(?:based|ka|ki|ke|se|का|की|के|से|ची|चा|चे)?(?![\w\u0900-\u0DFF])")
_WISHED_BEFORE = re.compile(
    r"(?:(?:^|[,;:|(.!?\n–-]|\band)\s*(?:preferred|pref\.?)"
    r"|(?<![\w\u0900-\u0DFF])(?:preferably|ideally))\s+(?:an?\s+)?"
    # ... or of the one wished for: "ideally someone who's also hosted shows"
    r"(?:(?:someone|somebody|one|a\s+person)\s+(?:who|that)(?:'s|\s+has|\s+is|\s+can)?\s+"
    r"(?:also\s+)?(?:been\s+an?\s+|done\s+)?)?"
    # ... a place said with its verb: "preferably based in Mumbai", "ideally living in Pune"
    r"(?:(?:based|living|located|staying|settled)\s+(?:in|at|out\s+of)\s+|from\s+)?$"
)
# "only Hindi chalega", "फक्त मराठी चालेल": "will do" after "only" requires it
_ONLY_BEFORE = re.compile(
    r"(?<![\w\u0900-\u0DFF])(?:only|sirf|bas|सिर्फ़|सिर्फ|बस|फक्त|fakt|phakt|keval|केवल|केवळ)\s+$"
)
# the person a chat opens by addressing ("bhai, ek kaam kar", "didi pls find..."): Hindi
# kinship words are everyday forms of address (Wiktionary: भाई, दीदी, "used as a term of
# address"), so at the head of a message, before a comma or a request, they name no part
_ADDRESS = re.compile(
    r"^\s*(?:(?:hi|hello|hey|arre|arey|oye|namaste|namaskar|नमस्ते|नमस्कार)\s*[,!]?\s*)?"
    r"(?:bhai|bhaiya|bhaiyya|bhaisaab|didi|bhabhi|भाई|भैया|दीदी|भाभी"
    # ... Marathi's brother, sister and brother's wife said to someone (Molesworth: दादा,
    # ताई, वहिनी, भाऊ)
    r"|dada|tai|vahini|bhau|दादा|ताई|वहिनी|भाऊ"
    # ... and Urdu's respectful "sir" (Platts: जनाब, साहब), the same way
    r"|janab|sahab|saheb|sahib|जनाब|साहब|साहेब)(?:\s*(?:ji|जी))?+(?![\w\u0900-\u0DFF])"
    # ... unless the word is the part: "bhai ka role", "didi type", "bhabhi jaisi", "bhai
    # 25 saal ka", or all there is
    r"(?!\s*$|\s+(?:ka|ki|ke|का|की|के|chi|cha|che|ची|चा|चे|च्या|jaisa|jaisi|jaise|जैसा|जैसी"
    r"|type|types|typ|टाइप|role|roles|रोल|bhumika|भूमिका|kirdar|किरदार|wala|wali|wale|वाला|वाली"
    r"|mhanun|म्हणून|as"
    r"|ke\s+liye|के\s+लिए|\d)(?![\w\u0900-\u0DFF])|\s*\d|\s*(?:ka|ki|ke|का|की|के)$)"
)
# a form's field or a breakdown's "only" with the letter: "gender: F", "sex - M", "F only"
_SEX_FIELD = re.compile(
    r"\b(?:gender|sex)\s*[:=\-–]?\s*[mf](?![\w/.])|(?<![\w/.])[mf]\s+only\b"
    r"|\bonly\s+[mf](?![\w/.])"
)
# "m/f", "f/m": either sex (a breakdown's "any")
_EITHER_SEX = re.compile(r"(?<![\w/])(?:m\s*/\s*f|f\s*/\s*m)(?![\w/])")
_GENDER_OF = {**dict.fromkeys(FEMALE, "female"), **dict.fromkeys(MALE, "male")}
_ALL_GENDER_WORDS = _words(list(_GENDER_OF))
_CO_STAR = re.compile(
    _L + r"(?<!ke\s)(?<!के\s)opposite\s+(?:(?:an?|the|his|her|their)\s+)?"
    r"(?:\d{1,2}[\s-]*(?:years?|yrs?)[\s-]*old[\s-]+|\d0s\s+)?(?:(?!(?:of|to|type|number)\s)[a-z'-]+\s+){0,2}?"
    + _words([*_GENDER_OF, *WEAK_MALE, "actors", "lead", "leads", "star", "stars"])
    + _R
)
# ... and in Hindi's order, the co-star before the postposition: "Tamil heroine ke opposite
# ek hero", "40 साल की अभिनेत्री के सामने हीरो" (McGregor: सामने, facing)
_CO_STAR_BEFORE = re.compile(
    _L
    + r"(?:\d{1,2}\s*(?:saal|sal|साल)\s*(?:ki|ka|की|का)\s+)?(?:[\w\u0900-\u0DFF'-]+\s+){0,2}?"
    + _words([*_GENDER_OF, *WEAK_MALE])
    + r"\s+(?:ke|के)\s+(?:opposite|saamne|samne|सामने)"
    + _R
)
# built once (each joins hundreds of words): the person words a number can belong to ("25 ki
# ladki"), each gender's words with Marathi case endings, and the language names a typo can
# be one edit from
_PERSON = _words([*FEMALE, *MALE, *WEAK_MALE, "actors", "kalakar", "कलाकार"])
_GENDER_PATTERNS = tuple(
    (value, _L + _words(words) + _CASE_ENDINGS + _R)
    for value, words in (
        ("non-binary", NON_BINARY), ("female", FEMALE), ("male", (*MALE, *_OBLIQUE))
    )
)  # fmt: skip
_SPELLED_LANGUAGES = {
    w: lang
    for lang, words in LANGUAGES.items()
    for w in (lang.lower(), *words)
    if w.isascii() and w.isalpha() and len(w) >= 5 and lang not in ("English", "French", "Spanish")
}
# a gender word refused: "no male actors", "not a woman", "ladka nahi", "पुरुष नहीं"
_NEGATED_BEFORE = re.compile(
    _L
    + r"(?:no|not|non-?|without|except|excluding|exclude|excl\.?|barring|bina|बिना"
    # ... or a refusal said as a want: "not looking for men", "don't want boys"
    + r"|(?:(?:am|are|we're|i'm)\s+)?not\s+(?:looking\s+for|after|casting)"
    + r"|(?:anyone|anybody|any\s+one|all)\s+but"  # "anyone but men": except them
    + r"|(?:don't|dont|do\s+not)\s+(?:want|need)|no\s+need\s+(?:of|for)"
    # ... or said of the one wanted: "anyone who isn't a woman", "must not be male"
    + r"|(?:is|are|must|should|can|could|will|would)(?:n't|nt|\s+not)(?:\s+be)?|not\s+be)"
    + r"\s+(?:an?\s+|any\s+)?("
    + _ALL_GENDER_WORDS
    + ")"
    + _R
)
_NEGATED_AFTER = re.compile(
    _L + "(" + _ALL_GENDER_WORDS + r")\s+(?:(?:bilkul|bhi)\s+)?(?:nahi|nahin|नहीं|नको|nako|mat)" + _R
)
# a gender word that owns the next noun names someone else: "the hero's elder sister",
# "heroine's father", Hindi/Marathi "hero ke bade bhai" (but "Sharma's role" is the part)
# a part played before is the person's past work, not the part wanted: "an actor who has
# played women" is a man; the gender counts only when nothing else says one. A part
# "playing" now gives way to the person's own strong word ("a woman playing a man")
_PLAYED_BEFORE = re.compile(
    r"(?<![\w\u0900-\u0DFF])play(?:ed|ing)\s+(?:(?:an?|the|many|several|some|both)\s+)?$"
)
# the people a voice or a dance is made for are someone else, who gives way to the person's
# own word: "a man who dubbed for heroines", "male dancer who choreographs heroines"
_SERVED_BEFORE = re.compile(
    r"(?<![\w\u0900-\u0DFF])(?:(?:dub(?:s|bed|bing)?|(?:voice|dubbing)\s+(?:artist|actor)s?)"
    r"\s+for|voic(?:e|es|ed|ing)(?:\s+for)?|choreograph(?:s|ed|ing)?|coach(?:es|ed|ing)?)"
    r"\s+(?:(?:an?|many|several|top|leading|the|other)\s+)*$"
)
# the part a relative or partner is asked for: "a wife for the hero", "mother to a
# 20-year-old heroine" (the hero, and their age, are someone else's; not "an actress for
# the heroine role", the part itself)
_DET = r"(?:the|a|an|our|my|his|her|their|this|that)"
_PARTNER_OF = re.compile(
    _L
    + _words([w for w in _GENDER_OF if w not in ("male", "female", "males", "females")])
    # ("to" before a determiner: "a woman to play the mother" is the part)
    + r"(?:[\s-]in[\s-]laws?)?\s+(?:for\s+(?:_DET\s+)?|to\s+_DET\s+)".replace("_DET", _DET)
    + r"((?:\d{1,2}[\s-]*(?:years?|yrs?)[\s-]*old[\s-]+)?(?:(?![a-z]+ing\s)[a-z'-]+\s+){0,2}?"
    + _ALL_GENDER_WORDS
    + ")"
    + _R
    + r"(?!\s*(?:'s|role|roles|part|parts|character|kirdar))"
)
_OWNER = re.compile(
    r"'s\s+(?!(?:role|part|character|kirdar)\b)(?:\w+\s+){0,2}?"
    + _ALL_GENDER_WORDS
    + _R
    + r"|\s+(?:ka|ki|ke|का|की|के|chi|cha|che|chya|ची|चा|चे|च्या)\s+(?:[\w\u0900-\u0DFF]+\s+){0,2}?"
    + _ALL_GENDER_WORDS
    + _R
)
# Words that describe a relative of the person, not the person: "whose father is a
# politician", "her husband is a director" (the relative and what they are), "married to
# an actress", "a producer's son", "director ki beti", "अभिनेत्याची मुलगी" (the relative's
# noun before the word for the person's kinship), "जिसके पिता अभिनेता हैं", "jiske papa
# producer hain", "जिचे वडील दिग्दर्शक आहेत" (Hindi and Marathi "whose ... is")
_KIN_WORD = _words([*_KIN, *_KIN_INDIC]) + r"s?"
# the rest of a clause about a relative, up to where the person is spoken of again ("whose
# father is a director and who is a trained dancer", "... aisi actress chahiye")
_ABOUT_THEM = (
    r"(?:(?!\s(?:and\s+(?:who|is|also|has|can|does|she|he|herself|himself)|but|who|jo|aisi"
    r"|aisa|aise|wali|wala|waali|waala)\b)[^,;.\n|)])*"  # (a line or a field ends it too)
)
_SAID_OF = re.compile(r"\s*(?:whose|his|her|their|married)\s")
_RELATIVE_IS = re.compile(
    "|".join(
        (
            _L + r"(?:whose|his|her|their)\s+(?:grand)?((?:" + _KIN_WORD + r")\s+"
            r"(?:is|was|are|were)\s+" + _ABOUT_THEM + ")",
            # "whose father directed films": the clause is about the father
            _L + r"whose\s+((?:grand)?(?:" + _KIN_WORD + r")" + _R + _ABOUT_THEM + ")",
            # "directed by her father", "lives with his wife"
            _L + r"(?:by|with)\s+(?:his|her|their)\s+((?:grand)?" + _KIN_WORD + ")" + _R,
            _L + r"married\s+(?:to\s+)?((?:a|an|the)\s+" + _ABOUT_THEM + ")",
            _L
            + r"([\w\u0900-\u0DFF]+)(?:'s|\s+(?:ka|ki|ke|का|की|के))\s+(?:grand)?"
            + _KIN_WORD
            + _R,
            # (before the Marathi genitive below: "जिचे" ends as one)
            _L
            + "(?:"
            + "|".join(WHOSE_HI)
            + r"|जिचे|जिची|जिचा|ज्याचे|ज्याची|ज्याचा|ज्यांचे|ज्यांची)\s+((?:"
            + _KIN_WORD
            + r")\s+[^,;.\n|]*?)"
            # (the subjunctive "ho" of a wish: "jiska pati director ho", McGregor)
            r"\s+(?:hai|hain|ho|hon|the|thi|tha|है|हैं|हो|हों|थे|थी|था|आहे|आहेत|होते|होती|होता)" + _R,
            _L + r"([\u0900-\u0DFF]+(?:ची|चा|चे|च्या))\s+" + _KIN_WORD + _R,
            # Marathi "वडील दिग्दर्शक असलेली अभिनेत्री": one whose father is a director
            # (असलेला/असलेली, who is: Molesworth)
            _L + r"((?:" + _KIN_WORD + r")\s+[^,;.\n|]*?)\s+(?:असलेल[ाीे]|असलेल्या|असणार[ाीे])" + _R,
        )
    )
)
# honorifics before a name say the person's gender (Oxford: Mr, Mrs, Ms, Miss; Indian
# usage: Shri/Shree/Sri, Smt./Shrimati, Kumari, Sushri, Tamil Thiru/Thirumathi); not in a
# title ("Padma Shri", "Mr. India", "Miss World", "Sri Lanka") nor the verb "miss"
_HONORIFIC = re.compile(
    r"(?<![\w\u0900-\u0DFF])((?:padma|पद्म)\s*|(?:to|not|never|will|don't|dont|won't)\s+)?"
    r"(mr|mrs|ms|smt|mister|shri|shree|sri|shrimati|srimati|kumari|sushri|thiru|thirumathi"
    r"|miss|श्री|श्रीमती|कुमारी|सुश्री|श्रीमान)(\.?\s+)([^\W\d_][\w\u0900-\u0DFF]*)"
    r"('s(?!\s+(?:role|part|character|kirdar)\b))?"  # "Mrs. Rao's husband": someone else
)
_FEMALE_TITLES = frozenset(
    {"mrs", "ms", "smt", "shrimati", "srimati", "kumari", "sushri", "thirumathi", "miss"}
    | {"श्रीमती", "कुमारी", "सुश्री"}
)
_NOT_NAMES = frozenset(
    {"india", "world", "universe", "earth", "international", "asia", "lanka", "lankan"}
    | {"lankans", "and", "&", "or"}
)


# beauty pageants whose title-holders are women (Wikipedia: Femina Miss India, Miss World,
# Miss Universe, Miss Earth, Miss Asia Pacific International, Mrs. India): "a former Miss
# India" is a woman ("Mr. India" is also a film, and says nothing)
_PAGEANTS = frozenset({"india", "world", "universe", "earth", "asia", "international"})
_ABOUT_PAGEANT = re.compile(r"\b(?:for|with|of|by|at|judged?|judges)\s*$")


def _honorific(m: re.Match[str]) -> str:
    if not m.group(1) and m.group(2) in ("miss", "mrs") and m.group(4) in _PAGEANTS:
        # a contestant; not "Miss India's father", "choreographer for Miss India"
        if m.group(5) or _ABOUT_PAGEANT.search(m.string, 0, m.start()):
            return m.group(0)
        return f" female {m.group(0)}"
    if m.group(1) or m.group(5) or m.group(4) in _NOT_NAMES or m.group(4) in STOP_WORDS:
        return m.group(0)
    word = "female" if m.group(2) in _FEMALE_TITLES else "male"
    return f" {word} {m.group(4)}"


_LIMIT_REFUSED = re.compile(
    _L
    + r"(?:no|not\s+any|none\s+of\s+the)\s+("
    + _ALL_GENDER_WORDS
    + r")\s+(over|above|older\s+than|past|beyond|under|below|younger\s+than)\s+(?=\d{1,2}(?!\d))"
)


def _birth_decade(m: re.Match[str]) -> str:
    """ "born in the sixties" -> "born in the 60s", "nineteen-seventies" -> "1970s"; a
    decade word said of neither stays ("in her fifties")."""
    if not (m.group(1) or m.group(2)):
        return m.group(0)
    return f"{m.group(1) or ''}{'19' if m.group(2) else ''}{_DECADES[m.group(3)]}s"


def _decade_age(m: re.Match[str]) -> int:
    """The age an `_UNDER_OVER_DECADE` match names: "60s" or "sixties" -> 60."""
    return int(m.group(2)) * 10 if m.group(2) else _DECADES[m.group(3)]


def _limit_refused(m: re.Match[str]) -> str:
    upper = m.group(2) in ("over", "above", "past", "beyond") or m.group(2).startswith("older")
    return f" {m.group(1)} {'at most' if upper else 'at least'} "


def _negated(m: re.Match[str]) -> str:
    return f" not_{_GENDER_OF[m.group(1)]} "


@dataclass(frozen=True)
class ParsedQuery:
    text: str
    filters: Filters
    semantic: str  # what is left for the embedding search ("" when nothing is)
    recognised: tuple[str, ...]  # the phrases that became filters, in order of appearance
    born_in: tuple[str, ...] = ()  # a birthplace asked for, with its other names (not a filter)
    # film titles the query names, read as titles only: "Hindi Medium" asks for no language
    titles: tuple[str, ...] = ()
    # how a word with another meaning, or a misspelt one, was read ("Tollywood read as
    # Telugu cinema ..."): shown beside the results, so the person can correct it
    assumed: tuple[str, ...] = ()


@cache
def _phrase_regex(kind: int) -> tuple[re.Pattern[str], dict[str, str]]:
    pairs = phrase_tables()[kind]
    lookup = dict(pairs)
    alternatives = "|".join(re.escape(p) for p, _ in pairs)
    # "swimmers", "jugglers"; an English -ing borrowed into Devanagari is written -िंग
    # (शूटिंग, मॉडलिंग), so a loanword's stem in the table also stands for its activity
    plural = "(?:s|es|िंग)?" if kind == 1 else ""
    ending = plural + _DEV_SUFFIX  # "swimmers"; "मुंबईतली", "तमिळमध्ये"
    return re.compile(_L + "(" + alternatives + ")" + ending + _R), lookup


class _Parser:
    def __init__(self, text: str, today: date) -> None:
        self.original = text
        lowered = re.sub(r"[‘’]", "'", re.sub(r"[“”″]", '"', text.lower()))
        # a decade in words as a birth decade: "born in the Sixties", "nineteen-seventies"
        lowered = _BIRTH_DECADE_WORDS.sub(_birth_decade, lowered)
        lowered = _number_words(_ascii_digits(lowered))  # "forty-plus" -> "40-plus"
        # "40 to 45ish", "30-35-ish": the range, its "-ish" (Oxford: approximately) left to
        # the playing-age slack, not the last number alone
        lowered = re.sub(r"\b(\d{1,2}\s*(?:-|–|to)\s*\d{1,2})\s*-?\s*ish\b", r"\1", lowered)
        # texting abbreviations of comparisons (Wiktionary: "abv" above)
        lowered = re.sub(r"\babv\b\.?", "above", lowered)
        lowered = _ADDRESS.sub(lambda m: " " * len(m.group(0)), lowered)  # "bhai, ..."
        # the Devanagari full stop (danda) ends a sentence as "." does: "30-45।", "तेलुगु।"
        lowered = lowered.replace("।", ".")
        # one's "mother tongue" (Oxford: native language) names no mother
        lowered = re.sub(r"\bmother[\s-]*tongues?\b", " ", lowered)
        lowered = blank_others(lowered)  # "...Our hero is 60": the hero's, not the person's
        # "he wants a ...", "she needs a ...": the one asking (a director, a client), not
        # the person asked for
        lowered = _ASKER.sub(lambda m: " " * len(m.group(1)) + m.group(2), lowered)
        # ("except the over-60s" keeps its "over" for the refusal to turn round)
        lowered = _UNDER_OVER_DECADE.sub(
            lambda m: (
                f"{m.group(1)} {m.group(4) or _decade_age(m)}"
                if m.group(4)  # "over 45s": over 45, as said
                or m.group(1) in ("under", "below")
                or _REFUSED_BEFORE.search(m.string, 0, m.start())
                else f"{_decade_age(m)} plus"
            ),
            lowered,
        )
        lowered = _DECADE_AND_UP.sub(lambda m: f"{m.group(1)}0 plus", lowered)
        # "age > 40", ">=40", "< 30": the signs of a form or spreadsheet, in words
        lowered = re.sub(
            r"(?:\bage\s*)?(>=|≥|=>|>|<=|≤|=<|<)\s*(?=\d{1,2}(?!\d))",
            lambda m: (
                {">": " over ", "<": " under "}.get(m.group(1), " at least ")
                if m.group(1) in (">", "<", ">=", "≥", "=>")
                else " at most "
            ),
            lowered,
        )
        lowered = _BREAKDOWN_SEX.sub(_breakdown_sex, lowered)
        lowered = _EITHER_SEX.sub(" male or female ", lowered)  # "m/f any"
        lowered = _SEX_FIELD.sub(  # first: "gender: F" is the field's name and the letter
            lambda m: " female " if "f" in m.group(0)[-7:] else " male ", lowered
        )
        lowered = _SEX_LETTER.sub(lambda m: " female " if m.group(1) == "f" else " male ", lowered)
        lowered = _SEX_AFTER_LABEL.sub(
            lambda m: m.group(1) + (" female " if m.group(2) == "f" else " male "), lowered
        )
        lowered = _lone_sex_letters(lowered)  # "contestant f kannada", "comedian m tamil"
        lowered = _HONORIFIC.sub(_honorific, lowered)  # "Smt. Rao" -> "female rao"
        # "no women over 45": women, none of them over 45 (a limit refused, not the gender)
        lowered = _LIMIT_REFUSED.sub(_limit_refused, lowered)
        lowered = _NEGATED_BEFORE.sub(_negated, lowered)  # "no male actors", "ladka nahi"
        lowered = _NEGATED_AFTER.sub(_negated, lowered)
        self.feminine_clause = bool(_FEMININE_CLAUSE.search(lowered)) and not (
            _MASCULINE_VERB.search(lowered)  # "jo Tamil bolta ho ya bolti ho": anyone
        )
        # (read before the skills take "गाती"; a relative's clause is not the person's)
        self.feminine_verb = _feminine_verb(_RELATIVE_IS.sub(" ", lowered))
        self.assumed: list[str] = []
        # the agent noun for the activity; the participle stays ("wali" says a woman)
        lowered = _AGENTIVE.sub(
            lambda m: _ACTIVITY[m.group(1)] + m.group(0)[len(m.group(1)) :], lowered
        )
        # "under-30", "over-50", "40-plus": the hyphen joins what a space would
        lowered = re.sub(
            r"\b(under|over|above|below|sub)-(?=\d)|(?<=\d)-(?=plus\b)", r"\1 ", lowered
        )
        # "opposite a 40-year-old actress": the co-star, not the person (Oxford: opposite,
        # in a complementary role to another performer)
        lowered = _CO_STAR.sub(lambda m: " " * len(m.group(0)), lowered)
        lowered = _CO_STAR_BEFORE.sub(lambda m: " " * len(m.group(0)), lowered)
        self.text = " " + lowered + " "
        self.born_in: list[str] = []
        self.decades: tuple[int, int] | None = None  # the ages the decades said so far
        self.year = today.year
        self.f: dict[str, object] = {}
        self.hits: list[tuple[int, str]] = []
        self.gendered: set[str] = set()  # genders said by a skill's word ("businesswoman")
        self.ranked_words: list[str] = []  # skills offered as a choice, left to the ranking

    def take(self, pattern: str, on_match: Callable[[re.Match[str]], bool | None]) -> None:
        """Apply `on_match` to each match; cut the match out unless it returns False."""

        def replace(match: re.Match[str]) -> str:
            if on_match(match) is False:
                return match.group(0)
            self.hits.append((match.start(), match.group(0).strip()))
            return " " * len(match.group(0))

        self.text = re.sub(pattern, replace, self.text)

    def one_age_range(self) -> None:
        """ "under 30 or over 50" asks for two ranges, and a minimum above the maximum is
        none: neither can be searched as one range, so no age limit rather than the ages
        between or no one at all (said in `assumed`)."""
        low, high = self.f.get("age_min"), self.f.get("age_max")
        if _EITHER_AGES.search(self.original.lower()) is None and (
            low is None or high is None or low <= high
        ):
            return
        self.f.pop("age_min", None)
        self.f.pop("age_max", None)
        self.assumed.append("the ages asked for are not one range: no age limit")

    def set_range(self, low_key: str, high_key: str, low: int | None, high: int | None) -> None:
        if low is not None:
            self.f[low_key] = low
        if high is not None:
            self.f[high_key] = high

    # -- the parts, most specific first, so "over 175 cm" is height and not an age ----------

    def height(self) -> None:
        qual = (
            r"(?:(over|above|taller than|at least|min(?:imum)?|under|below|shorter than"
            r"|up to|upto|max(?:imum)?)\s+)?"
        )
        more = r"(\s*\+|\s+(?:or|and)\s+(?:taller|more|above|over|up))?"
        feet = (
            _L
            + qual
            + r"([4-7])\s*(?:'|ft\.?|feet|foot|फुट|फ़ुट)\s*"
            + r"(?:(\d{1,2})\s*(?:\"|''|in\.?|inch(?:es)?|इंच)?)?"
            + more
            + _R.replace("(?!", "(?!\\d|")
        )

        def on_feet(m: re.Match[str]) -> None:
            cm = round(int(m.group(2)) * 30.48 + int(m.group(3) or 0) * 2.54)
            self._height(m.group(1), m.group(4), cm)

        self.take(feet, on_feet)
        metric = _L + qual + r"(\d{3})\s*(?:cm|cms|centimet(?:er|re)s?|सेमी)" + more + _R

        def on_cm(m: re.Match[str]) -> None:
            self._height(m.group(1), m.group(3), int(m.group(2)))

        self.take(metric, on_cm)
        self.take(
            _L + r"(?:height|tall|lamba|lambi|लंबी|लंबा)" + _R,
            lambda m: "height_min" in self.f or "height_max" in self.f or False,
        )

    def _height(self, qualifier: str | None, more: str | None, cm: int) -> None:
        if more or qualifier in ("over", "above", "taller than", "at least", "min", "minimum"):
            self.f["height_min"] = cm + (1 if qualifier in ("over", "above", "taller than") else 0)
        elif qualifier:
            self.f["height_max"] = cm - (
                1 if qualifier in ("under", "below", "shorter than") else 0
            )
        else:
            self.f["height_min"], self.f["height_max"] = cm - 3, cm + 3

    def credits(self) -> None:
        lead = (
            r"(?:(?:credits?|worked|work|films?|shows?|projects?|releases?|series)"
            r"\s+(?:\w+\s+){0,2}?)?"
        )
        year = r"((?:19|20)\d{2})"
        span = (
            _L
            + lead
            + r"(?:(in|from|between|since|after|before|during|till|until)\s+)?"
            + r"(?<![/.])(?<!\d-)"  # a date's year ("shoot on 10/12/2026") is no film's
            + year
            + r"(?:\s*(?:-|–|to|and|se|aur|से|और|ते)\s*"
            + year
            + r"(?:\s*(?:ke|के)\s*(?:beech|bich|बीच)|\s*(?:च्या)?\s*दरम्यान)?)?"
            + r"(?:\s*("
            + "|".join(re.escape(w).replace("\\ ", r"\s+") for w in _YEAR_AFTER)
            + r"))?"
            + _R
        )

        def on_span(m: re.Match[str]) -> None:
            word, low, high = m.group(1), int(m.group(2)), m.group(3)
            # a Hindi/Marathi postposition says what an English preposition would
            word = word or _YEAR_AFTER.get(re.sub(r"\s+", " ", m.group(4) or ""), "")
            if high:
                self.set_range("credits_from", "credits_to", low, int(high))
            elif word in ("since", "after"):
                self.f["credits_from"] = low + (1 if word == "after" else 0)
            elif word in ("before", "till", "until"):
                self.f["credits_to"] = low - (1 if word == "before" else 0)
            else:
                self.set_range("credits_from", "credits_to", low, low)

        # Hindi/Marathi "1990 के दशक में", "९० च्या दशकात" (दशक = decade), before a year
        dashak = _L + lead + r"((?:19|20)?\d0)'?s?\s*(?:के|का|ke|ka|च्या)\s*(?:दशक|dashak)\S*" + _R
        self.take(dashak, lambda m: self._credit_decade(_decade_start(m.group(1), None)))
        self.take(span, on_span)
        decade = _L + lead + r"(?:in\s+the\s+)?((?:19|20)\d0)'?s" + _R
        self.take(
            decade,
            lambda m: self.set_range(
                "credits_from", "credits_to", int(m.group(1)), int(m.group(1)) + 9
            ),
        )
        # "active in the 70s", "the nineties": a decade of time ("in her 70s" is an age)
        short = _L + lead + r"(?:(?:in|during|from)\s+)?the\s+'?(?:(\d)0'?s|("
        short += _words([w for w in _DECADES if w != "teens"]) + r"))" + _R
        self.take(short, lambda m: self._credit_decade(_decade_start(m.group(1), m.group(2))))
        # "90s heroine", "80s ki heroine", "70s superstar": the decade of the films a lead
        # (hero, heroine: the lead roles of Indian films) or star was in, not an age; a
        # "50s heroine" or "60s hero" is a parent's part (a lead of the 1950s is 85 or more)
        lead_of = (
            _L + r"'?([7-9])0'?s\s+(?:(?:ki|ke|ka|की|के|का)\s+)?(?=(?:heroines?|heroes|hero"
            r"|superstars?|stars?|हीरोइन|हिरोईन|हीरो|नायिका|नायक)" + _R + ")"
        )
        self.take(lead_of, lambda m: self._credit_decade(1900 + int(m.group(1)) * 10))
        # "in the past 10 years", "पिछले 5 साल में": a span of time up to now, not an age
        last = (
            r"(?:in\s+)?(?:the\s+)?(?:past|last|pichhle|pichle|पिछले|गेल्या|मागील)\s+(\d{1,2})\s*"
            r"(?:years?|yrs?|saal|sal|साल|वर्षां?त?|वर्षे)"
        )
        self.take(
            _L + last + _R,
            lambda m: self.set_range(
                "credits_from", "credits_to", self.year - int(m.group(1)), self.year
            ),
        )
        recent = _L + r"recent(?:ly)?\s+(?:credits?|work|films?|shows?|projects?)" + _R
        self.take(
            recent, lambda m: self.set_range("credits_from", "credits_to", self.year - 2, self.year)
        )

    def _credit_decade(self, first: int) -> None:
        self.set_range("credits_from", "credits_to", first, first + 9)

    def age(self) -> None:
        # "40 years of age or older"; not "over 40 years (of) experience"
        unit = _YEARS_OF_WORK + r"\s*" + _YEARS + r"?(?:\s+of\s+age)?" + _NOT_AN_AGE
        # "debuted aged 14", "at age 10 she started acting": an age then, not now
        self.text = _PAST_AGE.sub(lambda m: _blank_group(m, 1) or _blank_group(m, 2), self.text)
        self.text = _PAST_AGE_INDIC.sub(lambda m: _blank_group(m, 1), self.text)
        # "12-15 March": days of a month, not ages (availability reads them when asked for)
        self.text = _DAY_RANGE.sub(lambda m: " " * len(m.group(0)), self.text)
        # "over the age of 50" says "over 50"
        self.text = re.sub(
            r"(?<=\s)the\s+age\s+of(?=\s)", lambda m: " " * len(m.group(0)), self.text
        )
        # "from 30 up to 40", "30 till 40": a range, before "up to 40" reads as a limit
        up_to = _L + r"(?:from\s+)?(\d{1,2})\s*(?:up\s*to|upto|till|until)\s*(\d{1,2})" + unit + _R
        self.take(up_to, lambda m: self._age(int(m.group(1)), int(m.group(2))))
        self._age_limits(unit)
        # an age's leading zero beside "age" is a form's ("age 05-08"); elsewhere it says a date
        self.text = re.sub(
            r"\b(aged?|ages)(\s+)0(\d)(?:(\s*[-–]\s*)0?(\d))?",
            lambda m: (
                m.group(1) + m.group(2) + m.group(3) + (m.group(4) or "") + (m.group(5) or "")
            ),
            self.text,
        )
        # a date is no range of ages: its day or month written with a leading zero
        # ("audition 05-08"), or a year after it ("shoot 14-12-2026")
        span = (
            _L
            + r"(?:aged?\s+|between\s+)?(?!0)(\d{1,2})\s*"
            + r"(?:-|–|to|and|&|through|thru|se|aur|से|और|ते|te|व|"
            + "|".join(INDIC_FROM)
            + r")\s*(?!0)(\d{1,2})(?!\s*[-–/.]\s*\d)"
            + unit
            + r"(?:\s*(?:ke|के)\s*(?:beech|bich|बीच)|\s*(?:च्या)?\s*दरम्यान)?"
            + _R
        )
        self.take(span, lambda m: self._age(int(m.group(1)), int(m.group(2))))
        # a breakdown's "35/40": the ages from one to the other (two-digit, rising). A date
        # has a month, so one of its numbers is 12 or less ("05/08", "10/12/2026": left for
        # availability to read), and no third part
        slash = _L + r"(\d{2})\s*/\s*(\d{2})(?!\s*/\s*\d)" + unit + _R

        def on_slash(m: re.Match[str]) -> bool | None:
            low, high = int(m.group(1)), int(m.group(2))
            return self._age(low, high) if 12 < low < high else False

        self.take(slash, on_slash)
        decade_word = _words(list(_DECADES))
        decade = (
            _L
            + r"(?:in\s+(?:her|his|their|the)\s+)?(early|mid|late)?"
            # ("mid-to-late 30s"; only after a first part: "x - late 50s" is late 50s)
            + r"(?(1)(?:[\s-]*(?:to|-|or)[\s-]*(early|mid|late))?)[\s-]*(?:(\d)0'?s|"
            + decade_word
            + r")(?:\s+(?:mein|me|में))?"
            + _R
            # "a 60s-style cabaret dancer", "90s era look": a period's style, not an age
            + r"(?![\s-]*(?:style|styled|era|retro|vintage|inspired|themed))"
        )
        self.take(decade, self._decade_unless_period_look)
        marathi = (
            _L + "(" + _words(list(_MR_DECADES)) + r")([\u0900-\u0DFF]*)"
            # "वर" above (Molesworth), not "वर्ष" (year)
            + r"(\s*(?:ओलांड|आत|खाल|पुढ|पार|नंतर|वर(?!्)|आसपास|जवळपास)[\u0900-\u0DFF]*)?" + _R
        )  # fmt: skip
        self.take(marathi, self._marathi_decade)  # "चाळिशी ओलांडलेली": past forty
        latin = (
            r"\b(" + _words(list(_MR_DECADES_LATIN)) + r")([a-z]*)"
            + r"(\s*(?:chya\s*)?(?:aat|aata|khali|khalil|pudhe|pudhil|pudhche|paar|par"
            + r"|olandl[a-z]*|nantar|var|varil|varchi|varcha|varche)\b)?"
        )  # fmt: skip
        self.take(latin, self._marathi_decade_latin)  # "tishitli", "pannashichya pudhe"
        around = (
            _L
            # "approx.", "apprx", "abt": chat abbreviations of "approximately", "about"
            + r"(?:around|about|approx(?:imately|\.)?|apprx|abt|roughly|~|close to|nearly"
            + r"|lagbhag|takreeban"
            + r"|taqreeban|लगभग|तकरीबन|करीब|क़रीब|सुमारे|साधारण)\s*(\d{1,2})"
            + unit
            + _R
            + r"|"
            + _L
            + r"(\d{1,2})\s*(?:ish|-ish|"
            + _ODD
            + r"|"
            + _YEARS
            + r"?\s*(?:ke|के)\s*(?:aas[\s-]*paas|around|kareeb|karib|qareeb|qarib|आसपास"
            + r"|आस\s*पास|करीब|क़रीब))"
            + _R
            + r"|"
            + _L
            + r"(\d{1,2})\s*(?:वर्षां|वर्षा)?च्या\s*आसपास"
            + _R
        )

        def on_around(m: re.Match[str]) -> None:
            age = _number(m)
            self._age(age - 3, age + 3)

        self.take(around, on_around)
        # "45 +/- 3", "45 ± 5 yrs": around, by as many years as said
        plus_minus = _L + r"(\d{2})" + unit + r"\s*(?:\+/-|\+-|±)\s*(\d{1,2})" + unit + _R
        self.take(
            plus_minus,
            lambda m: self._age(
                int(m.group(1)) - int(m.group(2)), int(m.group(1)) + int(m.group(2))
            ),
        )
        plus = (
            _L
            + r"(?:over|above|older than|at least|minimum|min)\s+(\d{1,2})"
            + unit
            + _R
            + r"|"
            + _L
            + r"(\d{1,2})\s*(?:\+|plus)\s*(?:"
            + _YEARS
            + _R
            + r")?"
            + r"|"
            + _L
            + r"(\d{1,2})"
            + unit
            + r"\s*(?:(?:ke|के)\s*)?(?:paar|पार)"  # "40 ke paar", "पचास के पार"
            + _R
            + r"|"
            + _L
            + r"(\d{1,2})"
            + unit
            + r"\s*(?:(?:se|से|ke|के)\s*(?:zyada|jyada|adhik|upar|oopar|bade|badi|bada|ऊपर|ज़्यादा"
            + r"|ज्यादा|अधिक|बड़े|बड़ी|बड़ा)|पेक्षा\s*(?:जास्त|अधिक|मोठी|मोठा|मोठे)|च्या\s*(?:वर|पुढे)"
            + r"|(?:peksha|pexa)\s*(?:jast|jasta|jaast|adhik|motha|mothi)|chya\s*(?:var|pudhe)|"
            + "|".join(INDIC_ABOVE)
            + ")"
            + _R
        )

        def on_plus(m: re.Match[str]) -> bool | None:
            value = int(next(g for g in m.groups() if g is not None))
            # "over 50" leaves 50 out, as "under 25" leaves 25 out; "50+", "at least 50" keep it;
            # so do Hindi/Marathi comparatives ("50 से ज़्यादा", "५० पेक्षा जास्त": more than 50)
            strict = m.group(4) is not None or (
                m.group(1) is not None and re.match(r"\s*(?:over|above|older)", m.group(0))
            )
            return self._age(value + 1 if strict else value, None)

        and_up = (
            _L
            + r"(?:aged?\s+)?(\d{1,2})"
            + unit
            + r"\s*(?:(?:and|or|&)\s*(?:above|over|older|up|upwards|more|plus)|\+|plus)"
            + _R.replace("(?!", "(?!\\+|")
        )
        self.take(and_up, lambda m: self._age(int(m.group(1)), None))  # "60 and above"
        something = _L + r"(\d)0[\s-]*(?:something|somethings)" + _R  # "30-something"
        # "about to turn 40", "turning 50": the year before it; "just turned 30": the year after
        self.take(
            _L + r"(?:about\s+to\s+turn|turning|soon\s+to\s+be)\s+(\d{2})" + _R,
            lambda m: self._age(int(m.group(1)) - 1, int(m.group(1))),
        )
        self.take(
            _L + r"(?:just\s+)?turned\s+(\d{2})" + _R,
            lambda m: self._age(int(m.group(1)), int(m.group(1)) + 1),
        )
        # "looks 30", "can pass for 25": a playing age
        self.take(
            _L
            + r"(?:looks?|(?:can|could)\s+pass\s+(?:for|as)|passes\s+for)\s+(?:about\s+)?(\d{2})"
            + unit
            + _R,
            lambda m: self._age(int(m.group(1)), int(m.group(1))),
        )
        # "pushing 50": the years just below it
        self.take(
            _L + r"pushing\s+(\d{2})" + _R,
            lambda m: self._age(int(m.group(1)) - 4, int(m.group(1))),
        )
        self.take(something, lambda m: self._age(int(m.group(1)) * 10, int(m.group(1)) * 10 + 9))
        self.take(plus, on_plus)
        under = (
            _L
            + r"(?:under|below|sub|younger than|less than|at most|max(?:imum)?)\s+(\d{1,2})"
            + unit
            + _R
            + r"|"
            + _L
            + r"(\d{1,2})"
            + unit
            + r"\s*(?:(?:se|से|ke|के)\s*(?:kam|chhot[aei]|neeche|niche|andar|कम|छोट[ाेी]|नीचे|अंदर)"
            + r"|पेक्षा\s*(?:कमी|लहान)|(?:tak|तक|पर्यंत)"
            # romanised Marathi: "35 peksha kami", "35 chya aat"
            + r"|(?:peksha|pexa)\s*(?:kami|lahan)|(?:chya\s*)?(?:aat|khali|khalil))"
            + _R
        )

        def on_under(m: re.Match[str]) -> None:
            value = int(m.group(1) or m.group(2))
            # "below 35", "35 से कम" (less than 35) leave 35 out; "35 तक" (up to), "35 के
            # अंदर" (within) keep it
            strict = not re.search(r"at most|max|tak|तक|पर्यंत|andar|अंदर", m.group(0))
            self._age(None, value - 1 if strict else value)

        self.take(under, on_under)
        # Marathi: "३० वर्षांखालील" (under 30), "४० वर्षांवरील" (over 40), glued to the noun
        marathi = (
            _L
            # ("४५ च्या आत" within 45, "५० च्या खाली": the adverb alone too)
            + r"(\d{1,2})\s*(वर्षां|वर्षे|वर्ष)?(?:च्या)?\s*(खाल|आत|वर|पुढ)"
            + r"(ील|ची|चा|चे|ली|ला|ले|ी|े)?"
            + _R
        )

        def on_marathi(m: re.Match[str]) -> bool | None:
            if not (m.group(2) or m.group(4)) and _MR_COUNTED.match(m.string, m.end()):
                return False  # "१५ वर नाटके": over 15 plays, a count of things
            if m.group(3) in ("खाल", "आत"):  # below / above the number, which is left out
                return self._age(None, int(m.group(1)) - 1)
            return self._age(int(m.group(1)) + 1, None)

        self.take(marathi, on_marathi)
        exact = (
            _L
            + r"(?:aged?|umar|umr|उम्र|आयु|aayu|वय|vay|"
            + "|".join(INDIC_AGE)
            + r")\s*:?\s+(\d{1,2})"
            + unit
            + _R
            + r"|"
            + _L
            + r"(\d{1,2})"
            + _YEARS_OF_WORK  # "30 years experience", "15 years ago": no age
            + r"[\s-]*"
            + _YEARS
            + r"(?:[\s-]*old)?(?:\s+(?:ki|ka|ke|की|का|के))?"
            + _R
            + r"|"
            + _L
            + r"(\d{1,2})\s*(?:ki|ke|की|के)\s+(?:umar|umr|उम्र)(?:\s+(?:ki|ka|ke|की|का|के))?"
            + _R
        )

        def on_exact(m: re.Match[str]) -> bool | None:
            # one playing age: a profile's playing range (birth year ± 3) gives the slack
            value = int(m.group(1) or m.group(2) or m.group(3))
            return self._age(value, value)

        self.take(exact, on_exact)
        # "a woman of 40": the person's age (the person's word stays for `gender`)
        person_of = _L + r"(?:woman|women|man|men|lady|girl|boy|actor|actress)\s+of\s+(\d{2})" + _R
        self.take(
            person_of,
            lambda m: self._age(int(m.group(1)), int(m.group(1))) or False,
        )
        # Hinglish "25 ki ladki", "40 ka aadmi": a number owned by the person is their age
        self.take(
            _L + r"(\d{2})\s+(?:ki|ka|की|का)\s+(?=" + _PERSON + _R + ")",
            lambda m: self._age(int(m.group(1)), int(m.group(1))),
        )
        # "teen", "elderly": only when no number said it already
        self.take(_L + _words(list(_AGE_WORDS)) + _R, self._age_word)
        # "a middle age man": the noun typed for the adjective, only before the person's noun
        # ("middle age crisis" is no age; middle age 45-65, Oxford English Dictionary)
        middle = _L + r"middle[\s-]age(?=\s" + _PERSON + _R + ")"
        self.take(middle, lambda m: self._age_word(m, (45, 65)))
        # "a youngster", "युवक", "नौजवान", and "young"/"yuva"/"तरुण"/"jawan" right before the
        # person's noun ("young actress", "तरुण मुलगी"): the youth ages, when the query says
        # no number (a young person's noun also stays for its gender). Elsewhere the
        # adjective describes the part and is left to the ranking: "a young 40", "young at
        # heart", "Yuva cast", "Young Tiger", "young girl role, actress can be 35".
        # The noun may follow a word the filters took ("young Tamil actresses", blanked by
        # now) or one more adjective ("young and talented actresses", "young Marathi mulgi").
        one_more = r"(?:\s+(?:and\s+)?(?!(?:at|of|in|for|by|with|from|to|heart)\b)[^\W\d_]+)?"
        young = _L + "(?:" + _words(list(YOUNG_WORDS)) + "|(?:" + _words(list(YOUNG_BEFORE))
        young += r")(?=" + one_more + r"\s+" + _PERSON + _R + "))" + _R
        self.take(young, self._young)
        # "an old lady", "buddhi aurat": old before a person's noun (the romanised बूढ़ा/बूढ़ी
        # typed with a double d is also "intellect" or the Buddha, so only there)
        # ... or one more word between ("an old temple priest"), not "old-world", "old school"
        between = r"(?:(?!(?:fashioned|school|world|time|timey|style|days|friend)\b)[^\W\d_]+\s+)?"
        old = _L + r"(?:old|aged|buddh[aei]|boodh[aei]|budh[ae]|बूढ़[ाीे])(?=\s" + between
        old += _PERSON + _R + ")"
        self.take(old, self._old)
        self._bare_age()

    def _bare_age(self) -> None:
        """A breakdown's bare number ("Female, 25, Tamil", "actress 25"), when nothing else
        gave an age: that playing age, said in `assumed`."""
        if "age_min" in self.f or "age_max" in self.f:
            return
        bare = r"(?:^|[,;/(|]|(?<![\w\u0900-\u0DFF])" + _PERSON + r")\s*(\d{2})\s*(?=$|[,;/)|])"

        def on_bare(m: re.Match[str]) -> bool | None:
            age = int(m.group(1))
            if not 15 <= age <= 90:
                return False
            self.assumed.append(f"{age} read as a playing age")
            self.hits.append((m.start(1), m.group(1)))
            self._age(age, age)
            return False  # the person's word stays for `gender` (a bare number ranks nothing)

        self.text = self.text.strip()
        self.take(bare, on_bare)
        self.text = " " + self.text + " "

    def _marathi_decade(self, m: re.Match[str]) -> bool | None:
        start = _MR_DECADES[m.group(1)]
        tail = m.group(2) + (m.group(3) or "")
        if m.group(1) in _MR_NEEDS_ENDING and not (
            m.group(3)
            or re.fullmatch("त|तील|तला|तली|तले|तल्या|तलं", m.group(2))
            or re.match("पार|ओलांड|पुढ|नंतर", m.group(2))  # "साठीपार": past sixty
        ):
            return False  # "साठी" alone, or "साठीचे", is "for"
        if _MR_AROUND.search(tail):  # "पस्तिशीच्या आसपास": about thirty-five
            return self._age(start - 3, start + 3)
        return self._decade_of_life(start, _MR_BEFORE.search(tail), _MR_PAST.search(tail))

    def _marathi_decade_latin(self, m: re.Match[str]) -> bool | None:
        start = _MR_DECADES_LATIN[m.group(1)]
        tail = m.group(2) + " " + (m.group(3) or "")
        if m.group(1) == "sathi" and not (m.group(3) or m.group(2).startswith("t")):
            return False  # "sathi" is also "for" (and "saathi" a companion)
        before, past = _MR_BEFORE_LATIN.search(tail), _MR_PAST_LATIN.search(tail)
        return self._decade_of_life(start, before, past)

    def _decade_of_life(self, start: int, before: object, past: object) -> bool | None:
        if before:  # "पस्तिशीच्या आत": not yet thirty-five
            return self._age(None, start - 1)
        if past:
            return self._age(start, None)
        return self._age(start, start + (9 if start % 10 == 0 else 4))

    def _age_word(self, m: re.Match[str], ages: tuple[int, int] | None = None) -> bool | None:
        if "age_min" in self.f or "age_max" in self.f:
            return False
        if m.group(0).strip().startswith("kid") and re.search(
            r"(?:star|celebrity|industry)[\s-]*$", self.text[: m.start()]
        ):
            return False  # "star kid": a star's child, grown or not (Oxford: star kid)
        work = _CHILD_WORK.match(self.text, m.end())
        if work and (
            _PAST_CHILD.search(self.text[: m.start()]) or _GROWN_UP.match(self.text, work.end())
        ):
            return False  # "started as a child artist": a past career, not today's age
        return self._age(*(ages or _AGE_WORDS[m.group(0).strip()]))

    def _old(self, m: re.Match[str]) -> bool | None:
        """ "an old lady": old age, unless the part is what is old ("played an old woman")."""
        if re.search(r"\bplay(?:s|ed|ing)?\s+(?:an?\s+|the\s+)?$", self.text[: m.start()]):
            return False
        return self._age_word(m, (60, 90))

    def _young(self, m: re.Match[str]) -> bool:
        """A young person's noun gives the youth ages (when no number did) and stays for the
        gender ("युवक" a young man)."""
        if "age_min" in self.f or "age_max" in self.f or re.search(r"\d", self.text):
            return False
        self._age(*YOUNG)
        word = m.group(0).strip()
        if word in _GENDER_OF or word in WEAK_MALE:
            self.hits.append((m.start(), word))
            return False
        return True

    def _age(self, low: int | None, high: int | None) -> bool | None:
        if low is not None and high is not None and low > high:
            low, high = high, low
        if (high is not None and high > 99) or (low is not None and low > 99):
            return False
        self.set_range("age_min", "age_max", None if low is None else max(low, 0), high)
        return None

    def _age_limits(self, unit: str) -> None:
        """Limits said with a negation or after the number: "no older than 35", "up to 35",
        "30 or younger", "maximum age 40" (before "older than 35" reads it the other way)."""
        at_most = (
            _REFUSE_WHO + r"\s+(?:older\s+than|over|above|more\s+than|past|beyond)\s+(\d{1,2})"
            + unit
            + r"|(?:up\s*to|upto|till|until|max(?:imum)?\s+age(?:\s+of)?|age\s+limit(?:\s+of)?)"
            + r"\s+(\d{1,2})" + unit
            + r"|(\d{1,2})" + unit + r"\s*(?:or|and)\s+(?:younger|under|below|less)"
            + r"|(\d{1,2})" + unit + r"\s*(?:se|से|ke|के)\s*(?:zyada|jyada|adhik|upar|oopar|ज़्यादा"
            # "35 se zyada (umar ka) nahi", "50 के ऊपर नहीं"
            + r"|ज्यादा|अधिक|ऊपर)" + _AGE_OF + _HI_NOT
            # Marathi "not more than": "३५ पेक्षा जास्त (वयाची) नाही/नको/नसावी", romanised too
            + r"|(\d{1,2})" + unit + r"\s*(?:पेक्षा|peksha|pexa)\s*(?:जास्त|अधिक|मोठ[ाीे]|jast|jaast"
            + r"|motha|mothi)" + _MR_AGE_OF + _MR_NOT
            # ... and "not above": "५० च्या वर नको" (Molesworth: वर, above)
            + r"|(\d{1,2})" + unit + r"\s*(?:च्या|chya)\s*(?:वर|var)" + _MR_AGE_OF + _MR_NOT
            # "40 or less", Hindi "40 ya usse kam", Marathi "४० किंवा त्याहून कमी"
            + r"|(\d{1,2})" + unit + _OR_THAN + r"\s*(?:kam|कम|कमी|kami|less|younger)"
            + r"|(\d{1,2})" + unit + r"\s*max(?:imum)?(?![\w\u0900-\u0DFF])"  # "40 max"
            + r"|(?:not?\s+(?:to\s+)?exceed(?:ing)?|at\s+the\s+most)\s+(\d{1,2})" + unit
            # Hindi "at the most" ("ज़्यादा से ज़्यादा"), "maximum" ("अधिकतम"), Marathi "कमाल",
            # "जास्तीत जास्त", Devanagari and romanised (the dictionaries' idioms)
            + r"|(?:(?:zyada|jyada|ज़्यादा|ज्यादा|adhik|अधिक)\s*(?:se|से)\s*(?:zyada|jyada|ज़्यादा"
            + r"|ज्यादा|adhik|अधिक)|adhiktam|अधिकतम|कमाल|जास्तीत\s*जास्त|jastit\s*jast)"
            + r"\s*(?:(?:umar|umr|उम्र|आयु|वय|vay)\s*)?(\d{1,2})" + unit
        )  # fmt: skip
        self.take(_L + "(?:" + at_most + ")" + _R, lambda m: self._age(None, _number(m)))
        at_least = (
            _REFUSE_WHO + r"\s+(?:younger\s+than|under|below|less\s+than)\s+(\d{1,2})" + unit
            + r"|min(?:imum)?\s+age(?:\s+of)?\s+(\d{1,2})" + unit
            + r"|(\d{1,2})" + unit + r"\s*(?:se|से)\s*(?:kam|कम)" + _AGE_OF + _HI_NOT
            # Marathi "not less than": "४५ पेक्षा कमी (वयाचा) नाही", romanised too
            + r"|(\d{1,2})" + unit + r"\s*(?:पेक्षा|peksha|pexa)\s*(?:कमी|लहान|kami|lahan)"
            + _MR_AGE_OF + _MR_NOT
            # "40 or more", Hindi "50 ya usse zyada", Marathi "४० किंवा त्याहून जास्त"
            + r"|(\d{1,2})" + unit + _OR_THAN
            + r"\s*(?:zyada|jyada|adhik|upar|ज़्यादा|ज्यादा|अधिक|ऊपर|जास्त|jast|more|older)"
            + r"|at\s*least\s+(\d{1,2})" + unit  # "atleast 40", as often typed
            + r"|(\d{1,2})" + unit + r"\s*(?:onwards|upwards|or\s+more|and\s+more|min(?:imum)?)"
            # Hindi "at least" ("कम से कम"), "minimum" ("न्यूनतम"), Marathi "किमान", "कमीत कमी"
            + r"|(?:(?:kam|कम)\s*(?:se|से)\s*(?:kam|कम)|nyuntam|न्यूनतम|किमान|kiman|कमीत\s*कमी"
            + r"|kamit\s*kami)\s*(?:(?:umar|umr|उम्र|आयु|वय|vay)\s*)?(\d{1,2})" + unit
        )  # fmt: skip
        self.take(_L + "(?:" + at_least + ")" + _R, lambda m: self._age(_number(m), None))
        # "age more than 50", "upwards of 50", "north of 50" (Oxford: more than): over 50
        more = r"(?:(?:age\s+)?more\s+than|upwards?\s+of|north\s+of|in\s+excess\s+of)"
        more += r"\s+(\d{1,2})" + unit
        self.take(_L + more + _R, lambda m: self._age(_number(m) + 1, None))
        # "past 50", "on the wrong side of 50" (Oxford: older than); not "the past 5 years"
        past = r"(?<!the\s)(?:past|(?:on\s+)?the\s+wrong\s+side\s+of)\s+([1-9]\d)" + unit
        self.take(_L + past + _R, lambda m: self._age(_number(m), None))

    def _decade_unless_period_look(self, m: re.Match[str]) -> bool | None:
        """ "a 70s look" is the 1970s' look (nobody of 70 plays a 70s look), while "a late
        20s look" is the age the person looks."""
        if (
            m.group(3)
            and int(m.group(3)) >= 6
            and not m.group(1)  # "late 60s look": an age
            and _LOOK_AFTER.match(self.text, m.end())
            and _PERIOD_OR_AGE.search(self.original.lower())
        ):
            return False
        return self._decade(m)

    def _decade(self, m: re.Match[str]) -> None:
        owner = re.search(r"\b(her|his)\b", m.group(0))
        if owner:  # "in her 20s" also says who
            self.f.setdefault("gender", "female" if owner.group(1) == "her" else "male")
        base = int(m.group(3)) * 10 if m.group(3) else None
        if base is None:
            word = m.group(0).strip().split()[-1]
            for name, value in _DECADES.items():
                if name in m.group(0):
                    base = value
                    break
            else:  # pragma: no cover - the regex only matches listed words
                raise ValueError(word)
        if base == 10:
            self._age(13, 19)
            return
        parts = {"early": (0, 3), "mid": (3, 6), "late": (6, 9)}
        low, high = parts.get(m.group(1) or "", (0, 9))
        if m.group(2):  # "mid-to-late 30s": from the first part to the second
            high = parts[m.group(2)][1]
        low, high = base + low, base + high
        if self.decades:  # "in their forties and fifties": both
            low, high = min(low, self.decades[0]), max(high, self.decades[1])
        self.decades = (low, high)
        self._age(low, high)

    def line_of_work(self) -> None:
        for skill, words in _LINE_OF_WORK.items():

            def on_work(m: re.Match[str], skill: str = skill) -> bool | None:
                if _is_part(self.text[: m.start()]):
                    return False  # "can play a comic actor": the part
                if skill == "television" and _PRODUCTION_BEFORE.search(
                    self.text, max(0, m.start() - 40), m.start()
                ):
                    return False  # "for a new Marathi serial actress needed": the show cast
                after = _PERFORMER_END.match(self.text, m.end())
                if _NOT_SKILL.search(self.text, max(0, m.start() - 30), m.start()) or (
                    after and _REFUSED_AFTER.match(self.text, after.end())
                ):
                    self.assumed.append(f"'{m.group(0).strip()}' refused: not a filter")
                    return None  # "no TV actors", "TV actors mat bhejna"
                self._add_skill(skill)
                return None

            self.take(_L + words + _PERFORMER, on_work)
        self.take(_VOICE_WORK, lambda m: self._add_skill("voice acting"))

    def _add_skill(self, skill: str) -> None:
        skills = list(self.f.get("skills", []))  # type: ignore[call-overload]
        self.f["skills"] = skills + ([] if skill in skills else [skill])

    def era(self) -> None:
        """ "90s mein kaam karne wali": the decade the work was done in, not an age."""
        if _WORK_DONE.search(self.text) and not _AGE_CUE.search(self.text):
            self.take(_ERA_IN.pattern, lambda m: self._credit_decade(1900 + int(m.group(1))))

    def misspelt_languages(self) -> None:
        """A word one letter away from a language's name (two for long names) is that
        language, said aloud in `assumed`: "Telgu" is Telugu, "Malayalum" Malayalam."""
        names = _SPELLED_LANGUAGES

        def on_word(m: re.Match[str]) -> bool | None:
            word = m.group(0)
            if word in _STOP or word in _NOT_LANGUAGES or word in names or len(word) < 5:
                return False
            for name, lang in names.items():
                if abs(len(name) - len(word)) <= 2 and _edits(word, name) <= (
                    2 if len(name) >= 8 else 1
                ):
                    langs = list(self.f.get("languages", []))  # type: ignore[call-overload]
                    self.f["languages"] = langs + ([] if lang in langs else [lang])
                    self.assumed.append(f"'{word}' read as {lang}")
                    return None
            return False

        self.take(r"(?<![\w'-])[a-z]+(?![\w'-])", on_word)

    def travel(self) -> None:
        words = (
            r"(?:willing|open|ready|happy|able)\s+to\s+(?:travel|relocate)|can\s+travel|travels|"
            r"(?:or\s+)?anywhere\s+in\s+india|travel\s+kar\s+(?:sake|sakti|sakta|sakte)|"
            r"travel\s+karne\s+(?:ko|ke\s+liye)\s+(?:tayyar|taiyar|ready)|outstation"
        )
        self.take(
            _L + r"(?:or\s+)?(?:" + words + r")" + _R,
            lambda m: self.f.__setitem__("willing_to_travel", True),
        )

    def showreel(self) -> None:
        reel = (
            r"(?:with\s+(?:a\s+)?|has\s+(?:a\s+)?|having\s+(?:a\s+)?)?"
            r"(?:show\s*reels?|demo\s+reels?|reels?|video\s+reels?|शोरील)"
            r"(?:\s+(?:wali|wala|wale|वाली|वाला))?"
        )
        self.take(_L + reel + _R, lambda m: self.f.__setitem__("has_showreel", True))

    def birth_years(self) -> None:
        """ "born in 1990", "born in the 80s", "born after 1995", "b. 1975", "yob 1982-88",
        "1985-born", "90s kid", "1990 ke baad paida hui", "millennial": an age, not a credit
        year."""
        born = _BIRTH_WORD
        # "born in Pune in 1990": the place stays for `birthplace`, the year goes
        place = r"(\s+(?:in|at)\s+[^\W\d]+(?:\s+[^\W\d]+)?\s+(?=(?:in|after|before)\s))?"
        # ("Born: 1990s", "Born - 1990s": a form's label)
        pattern = (
            _L + born + place + r"\s*[:-]?\s*(in|after|before|since|during|around|between|from)?"
        )
        pattern += r"\s*(?:the\s+)?(?:years?\s+)?" + _BIRTH_YEARS + _BIRTH_ABOUT + _R

        for m in list(re.finditer(pattern, self.text)):
            word = "around" if m.group(6) else m.group(2) or "in"
            if self._born(word, m.group(3), m.group(4), m.group(5)):
                self._feminine_born(m.group(0))
                # blank what was read; "born in Pune" stays for `birthplace`
                cut = m.end(1) if m.group(1) else m.start()
                self.text = self.text[:cut] + " " * (m.end() - cut) + self.text[m.end() :]
                self.hits.append((cut, m.group(0)[cut - m.start() :].strip()))
        # the year first: "1990 में जन्मी", "1980 के दशक में जन्मी", "१९७० नंतर जन्मलेले",
        # "1990 ke baad paida hui", "1985-born", "80s born", and "90s kid" (a child then)
        after = "|".join(
            re.escape(w).replace("\\ ", r"\s+") for w in _YEAR_AFTER if w not in ("se", "से")
        )
        first = (
            _L + _BIRTH_YEARS
            + r"(\s*(?:के|का|ke|ka|च्या)\s*(?:दशक|dashak)[\u0900-\u0DFF]*)?"
            + r"(?:\s*(" + after + r"))?"
            + r"(?:\s*(?:में|मध्ये|mein|me|madhye))?[\s-]*(" + born + r"|kids?|bab(?:y|ies))" + _R
        )  # fmt: skip

        def on_first(m: re.Match[str]) -> bool | None:
            word = _YEAR_AFTER.get(re.sub(r"\s+", " ", m.group(5) or ""), "in")
            said = m.group(2) + ("s" if m.group(4) else "")  # "1980 के दशक": the 1980s
            if m.group(6).startswith(("kid", "bab")) and not said.endswith("s"):
                return False  # "a 1990 kid" is no way to say it; "90s kid" is
            if not self._born(word, m.group(1), said, m.group(3)):
                return False
            self._feminine_born(m.group(6))
            return None

        self.take(first, on_first)
        # the generations, by the birth years the Pew Research Center gives them
        generation = "|".join(re.escape(w).replace("\\ ", r"[\s-]*") for w in _GENERATIONS)
        self.take(_L + "(?:" + generation + ")" + _R, self._generation)

    def _feminine_born(self, said: str) -> None:
        """ "जन्मलेली", "janmi", "paida hui": the participle agrees with a woman (McGregor,
        Molesworth), which says her gender when no noun does."""
        if _BORN_FEMININE.search(said):
            self.feminine_verb = True

    def _generation(self, m: re.Match[str]) -> bool | None:
        said = re.sub(r"(?<=gen)(?=[xyz])|(?<=generation)(?=[xyz])", " ", m.group(0).strip())
        first, last = _GENERATIONS[re.sub(r"[\s-]+", " ", said)]
        if last > self.year or "age_min" in self.f or "age_max" in self.f:
            return False
        self.set_range("age_min", "age_max", self.year - last, self.year - first)
        return None

    def _born(self, word: str, part: str | None, said: str, until: str | None = None) -> bool:
        """Born in `said` (a year or a decade, or its early/mid/late part; up to `until` when
        a range): the ages that makes today."""
        digits = said.rstrip("s").rstrip("'").lstrip("'")  # "'82": 1982
        first = int(digits) if len(digits) == 4 else 1900 + int(digits)
        if len(digits) == 2 and int(digits) < 30:
            first += 100  # "the 10s", "the 20s" are this century's
        last = first + 9 if said.endswith("s") else first
        if part and said.endswith("s"):  # "the late 70s": 1976-1979
            low, high = {"early": (0, 3), "mid": (3, 6), "late": (6, 9)}[part]
            first, last = first + low, first + high
        if until:  # "1982-88", "1965 and 1975", "1970s-80s"
            end_digits = until.rstrip("s").rstrip("'")
            end = int(end_digits) if len(end_digits) == 4 else first // 100 * 100 + int(end_digits)
            end += 9 if until.endswith("s") else 0
            if end < first:
                return False
            last = end
        earliest: int | None = first
        if word == "around":
            earliest, last = first - 3, last + 3
        elif word in ("after", "since"):
            earliest, last = (last if until else first) + (word == "after"), self.year
        elif word in ("before", "until"):
            earliest, last = None, first - (word == "before")
        if last > self.year:
            return False
        oldest = None if earliest is None else self.year - earliest
        self.set_range("age_min", "age_max", max(self.year - last, 0), oldest)
        return True

    def birthplace(self) -> None:
        """ "born in Bombay" names a birthplace (read in the bio), not where someone is based."""
        pattern, lookup = _phrase_regex(2)
        born = _L + r"(?:born|janme|" + _BORN_DEV + r")\s+(?:and\s+raised\s+)?(?:in\s+|at\s+)?"
        # where someone comes from by birth (Oxford: a "native" of a place was born there;
        # to "hail from" is to come from): not where they are based now
        native = _L + r"(?:(?:a\s+)?native\s+of|hail(?:s|ed|ing)?\s+from|originally\s+from)\s+"

        def on_born(m: re.Match[str]) -> None:
            city = lookup[m.group(1)]
            names = [city, *CITIES.get(city, ())]
            self.born_in.extend(n for n in names if n.isascii() and n not in self.born_in)

        self.take(born + pattern.pattern[len(_L) :], on_born)
        self.take(native + pattern.pattern[len(_L) :], on_born)
        # the place first: Hindi/Marathi "मुंबई में जन्मी", "कोलकाता में पैदा हुई" (पैदा होना,
        # to be born), romanised "Mumbai mein janmi", and English "Bombay-born"
        after = (
            r"(?:[\s-]*(?:में|मध्ये|त|mein|me|madhye|madhe))?[\s-]*(?:" + _BORN_DEV
            + r"|पैदा\s*हु[एईआ]|paida\s+hu[eia]|janm[eia]|janmleli|janmlela|janmlele|born)"
        )  # fmt: skip
        self.take(pattern.pattern[: -len(_R)] + after + _R, on_born)
        # the noun "birth" (जन्म, typed "janam"/"janm") with the place: "jinka janam Pune mein
        # hua", "जन्म पुणे में हुआ", "जन्मस्थान: पुणे" (Hindi/Marathi: birth took place in X)
        birth = (
            _L + r"(?:janam|janm|जन्म)(?:\s*(?:sthan|sthaan|स्थान|sthal|स्थळ))?\s*:?\s+"
            + pattern.pattern[len(_L) : -len(_R)]
            + r"(?:\s*(?:mein|me|में|madhye|मध्ये)?\s*(?:hua|huaa|hui|हुआ|हुई|jhala|jhali|झाला|झाली))?"
            + _R
        )  # fmt: skip
        self.take(birth, on_born)
        # ... and a state ("born in Orissa", "केरल में जन्मी"): ranked on, as a city is
        for place in (born + _STATE, native + _STATE, _STATE[: -len(_R)] + after + _R):
            self.take(place, self._born_in_state)

    def _born_in_state(self, m: re.Match[str]) -> None:
        state = _STATE_OF[m.group(1)]
        names = [state, *STATES[state]]
        self.born_in.extend(n for n in names if n.isascii() and n not in self.born_in)

    def phrases(self, kind: int, key: str) -> None:
        pattern, lookup = _phrase_regex(kind)
        found: list[str] = []
        spans: list[tuple[int, int, str]] = []
        before = self.text
        refused_end = [-1]  # where the last refused language ended
        wished: list[str] = []  # places said acceptable: one more a city list allows
        all_wished: list[str] = []  # every value wished for (ranked)

        def on_phrase(m: re.Match[str]) -> bool | None:
            if kind == 1 and _is_part(self.text[: m.start()]):
                return False  # "can play a politician": the part, left to the semantic search
            if (
                kind == 1
                and lookup[m.group(1)] in _PLAYED
                and _PART_AFTER.match(self.text, m.end())
            ):
                return False  # "neta ka role", "politician's part": the same
            if kind == 1 and (
                _SOMEONE_ELSES_BEFORE.search(self.text, max(0, m.start() - 60), m.start())
                or (m.group(0).endswith(("ed", "en")) and _PASSIVE_AFTER.match(self.text, m.end()))
            ):
                return False  # "produced by", "worked with director X": another's work
            refused_after = _REFUSED_AFTER.match(self.text, m.end())
            if kind == 2 and (
                (
                    _NOT_HOME.search(self.text[: m.start()])
                    and not (
                        _SHOOT_JUST_BEFORE.search(self.text[: m.start()])
                        and _BASED_AFTER.match(self.text, m.end())
                    )
                )
                or _SHOOT_AFTER.match(self.text, m.end())
                or refused_after
            ):
                # "shoot in Hyderabad", "not from Mumbai": not where the person must live
                self.assumed.append(f"'{m.group(0).strip()}' is not a filter on where people live")
                return None
            if kind == 0 and _STATE_AFTER.match(self.text, m.end()):
                return False  # "Tamil Nadu": the state
            family = _FAMILY_AFTER.match(self.text, m.end())
            if kind == 0 and (
                _ORIGIN_AFTER.match(self.text, m.end())
                or (family and family.group(0).rstrip().endswith(("se", "से", "तील", "ातून")))
                or (family and _FROM_BEFORE.search(self.text, max(0, m.start() - 12), m.start()))
            ):
                return False  # "from a Punjabi family": where one comes from, ranked on
            # a wish after a place may follow its "-based": "Mumbai-based preferred"
            place = _PLACE_SUFFIX.match(self.text, m.end()) if kind == 2 else None
            place_end = place.end() if place else m.end()
            if (
                _WISHED_AFTER.match(self.text, place_end)
                or _WISHED_BEFORE.search(self.text, max(0, m.start() - 50), m.start())
            ) and not (
                _REFUSED_AFTER.match(self.text, m.end())
                or _ONLY_BEFORE.search(self.text, max(0, m.start() - 12), m.start())
            ):
                # "singer bhi ho to badhiya", "Hindi a plus", "Mumbai-based preferred": left
                # to the ranking (and an alternative to what it is joined to by "or")
                spans.append((m.start(), m.end(), lookup[m.group(1)]))
                all_wished.append(lookup[m.group(1)])
                if _ACCEPTABLE_AFTER.match(self.text, place_end):
                    wished.append(lookup[m.group(1)])
                return False
            if kind == 1 and (
                _NOT_SKILL.search(self.text, max(0, m.start() - 30), m.start())
                or refused_after
                or _OR_NEXT_SKILL.fullmatch(self.text, refused_end[0], m.start())
            ):
                # "not a singer", "singer nahi": a filter can only ask for a skill
                self.assumed.append(f"'{m.group(0).strip()}' refused: not a filter")
                refused_end[0] = m.end()
                return None
            if (
                kind == 1
                and lookup[m.group(1)] == "television"
                and (
                    _PRODUCTION_AFTER.match(self.text, m.end())
                    or _PRODUCTION_BEFORE.search(self.text, max(0, m.start() - 40), m.start())
                    or _presenter_beside(self.text, m)
                )
            ):
                # "for a TV serial", "TV ad": the production cast; "TV anchor", "hosts TV
                # shows": a presenter's work, not a television actor's
                return False
            if (
                kind == 1
                and lookup[m.group(1)] in _BACKGROUNDS
                and not _REQUIRED_AFTER.match(self.text, m.end())
                and not (
                    _REQUIRED_BEFORE.search(self.text, max(0, m.start() - 40), m.start())
                    # (training is no line of work: "must have theatre training" is ranked)
                    and not _TRAINING_AFTER.match(self.text, m.end())
                )
            ):
                # "theatre background", "रंगमंच से जुड़ी": ranked on (a refused one, above, is
                # cut from the words ranked on)
                return False
            if kind == 0 and (
                _NOT_SPOKEN.search(self.text[: m.start()])
                or refused_after
                or _OR_NEXT.fullmatch(self.text, refused_end[0], m.start())
            ):
                # "not Telugu", "non-Hindi": a filter can only ask for a language
                self.assumed.append(f"'{m.group(0).strip()}' refused: not a filter")
                refused_end[0] = m.end()
                return None
            found.append(lookup[m.group(1)])
            spans.append((m.start(), m.end(), lookup[m.group(1)]))
            if m.group(1) in _FEMALE_SET:  # "businesswoman": a skill and a gender
                self.gendered.add("female")
            elif m.group(1) in _MALE_SET:
                self.gendered.add("male")
            return None

        self.take(pattern.pattern, on_phrase)
        if kind == 0:
            found = self._ambiguous_languages(found, before)
        # "<language> accent" when the vocabulary lacks that accent: keep it as a skill
        if kind == 1:
            self.take(
                _L + r"([a-z]+)\s+accent" + _R,
                lambda m: found.append(f"{m.group(1)} accent"),
            )
        if kind == 1:
            found = self._choices_as_family(found, spans, before)
        if kind in (0, 1):
            found = self._alternatives_ranked(found, spans, before, frozenset(all_wished))
        if kind == 2 and found:  # "Delhi based chahiye, Mumbai chalega": either city
            found += [city for city in wished if city not in found]
        if found:
            existing = list(self.f.get(key, []))  # type: ignore[call-overload]
            self.f[key] = existing + [v for v in found if v not in existing]

    def _alternatives_ranked(
        self,
        found: list[str],
        spans: list[tuple[int, int, str]],
        text: str,
        wished: frozenset[str] = frozenset(),
    ) -> list[str]:
        """ "Tamil or Telugu", "singer ya dancer", "तमिळ किंवा तेलुगु": either is asked for,
        and a filter can only ask for all, so both are ranked on and said in `assumed`."""
        listed = sorted(spans)
        either: set[str] = set()
        group, offered = [listed[0]] if listed else [], False
        for a, b in itertools.pairwise(listed):
            gap = text[a[1] : b[0]]
            either_gap = _EITHER_GAP.fullmatch(gap) is not None
            if either_gap or _LIST_COMMA.fullmatch(gap):
                if either_gap and any(span[2] in wished for span in (a, b)):
                    group = [a]  # "Hindi, Bengali or Odia a plus": Bengali or Odia wished
                group.append(b)
                offered = offered or either_gap
                continue
            either |= self._offered(group, offered, text)
            group, offered = [b], False
        either |= self._offered(group, offered, text)
        # one also asked for on its own ("Hindi must. Hindi or English fluency") stays
        either = {value for value in either if sum(1 for span in spans if span[2] == value) < 2}
        said = " or ".join(sorted(either))
        either &= set(found)
        if not either:
            return found
        self.ranked_words.extend(sorted(either))
        self.assumed.append(f"{said}: either will do, so neither is a filter")
        return [value for value in found if value not in either]

    @staticmethod
    def _offered(group: list[tuple[int, int, str]], offered: bool, text: str) -> set[str]:
        """The values of a list joined by "or" ("Hindi, Marathi or Gujarati"), unless it
        says both are needed ("Tamil or Telugu both needed")."""
        if not offered or len(group) < 2 or _BOTH_AFTER.match(text, group[-1][1]):
            return set()
        return {span[2] for span in group}

    def _ambiguous_languages(self, found: list[str], text: str) -> list[str]:
        """ "Tollywood" is Telugu cinema, or Bengali cinema when the query speaks of Bengal;
        a default taken is said in `assumed`."""
        for word, (other, note) in AMBIGUOUS_LANGUAGE.items():
            if not re.search(_L + re.escape(word) + _R, text):
                continue
            said_default = found.count("Telugu") > 1 or re.search(r"telugu|तेलुगु|तेलुगू", text)
            if re.search(r"bengal|bangla|kolkata|calcutta|tollygunge|बंगाल|बांग्ला|कोलकाता", text):
                found = [other if f == "Telugu" and not said_default else f for f in found]
            elif not said_default:
                self.assumed.append(note)
        return list(dict.fromkeys(found))

    def _choices_as_family(
        self, found: list[str], spans: list[tuple[int, int, str]], text: str
    ) -> list[str]:
        """ "Kathak, Bharatanatyam or Kuchipudi": a list of one family's members offers a
        choice, so the family is the filter and the members rank by their words."""
        for family, members in FAMILIES.items():
            listed = sorted(span for span in spans if span[2] in members)
            gaps = [text[a[1] : b[0]] for a, b in itertools.pairwise(listed)]
            if len(listed) < 2 or not all(_LIST_GAP.fullmatch(gap) for gap in gaps):
                continue
            names = {span[2] for span in listed}
            self.ranked_words.extend(sorted(names))
            found = [family if skill == listed[0][2] else skill for skill in found]
            found = list(dict.fromkeys(s for s in found if s not in names))
        return found

    def about_relatives_hidden(
        self, run: Callable[[], None], kin_of: bool = True, said_of: bool = False
    ) -> None:
        """Run a pass with the words about a relative ("daughter of <a producer>", "a 10
        year old son") hidden: they describe someone else, not the gender or skills asked
        for. Without `kin_of`, only the clauses saying what a relative is ("whose wife is a
        Telugu actress"): "daughter of an actor - Hindi" runs on to the person's language."""
        hidden = [(m.start(1), m.end()) for m in _KIN_OF.finditer(self.text)] if kin_of else []
        # `said_of`: only the English clauses ("whose/her brother is ...", "married to ..."),
        # not a genitive, which an age can own too ("60 saal ke uncle": the part's age)
        hidden += [
            _filled_span(m)
            for m in _RELATIVE_IS.finditer(self.text)
            if not said_of or _SAID_OF.match(m.group(0))
        ]
        self.children_hidden(run, hidden)

    def partners_hidden(self, run: Callable[[], None]) -> None:
        """Run a pass (gender, age) with the one a relative or partner is asked for hidden:
        "a wife for the hero", "a mother for a 40 year old hero"."""
        self._run_hidden(run, [m.span(1) for m in _PARTNER_OF.finditer(self.text)])

    def children_hidden(self, run: Callable[[], None], hidden: list[tuple[int, int]]) -> None:
        """Run a pass with `hidden` and every child given with an age ("a 10 year old
        daughter": not the person's age) hidden."""
        hidden = hidden + [m.span() for m in _CHILD_AGED.finditer(self.text)]
        # the lead whose relative is the part, and their age: "hero ki maa, hero 30 saal ka"
        hidden += [m.span() for m in _AGED_LEAD.finditer(self.text)]
        for lead in {m.group(1) for m in _LEAD_OF_KIN.finditer(self.text)}:
            aged = _LEAD_AGED.replace("{lead}", re.escape(lead))
            hidden += [
                m.span()
                for m in re.finditer(aged, self.text)  # not "heroine 22 saal ki chahiye"
                if not ASKS.search(re.split(r"[,.;!?|]", self.text[m.end() :], maxsplit=1)[0])
            ]
        self._run_hidden(run, hidden)

    def _run_hidden(self, run: Callable[[], None], hidden: list[tuple[int, int]]) -> None:
        """Run a pass with the text's `hidden` spans blanked, then put them back."""
        kept = self.text
        for start, end in hidden:
            self.text = self.text[:start] + "\x00" * (end - start) + self.text[end:]
        run()
        for start, end in hidden:
            self.text = self.text[:start] + kept[start:end] + self.text[end:]

    def gender(self) -> None:
        seen: set[str] = set(self.gendered)
        if _BOTH.search(self.text):  # "actors and actresses": either gender
            seen |= {"female", "male"}
        # a word left over one letter away from "actress" ("actrss"), said aloud
        self.take(r"(?<![\w'-])[a-z]{6,}(?![\w'-])", lambda m: self._misspelt_gender(m, seen))
        # "no men", "ladka nahi": the other gender, unless a word says one
        refused: set[str] = set()
        self.take(_L + r"not_(female|male)" + _R, lambda m: refused.add(m.group(1)))
        # "nani ka role", "dada ji ki bhumika": a grandparent's part (the words are also names)
        self.take(  # the words stay: the part, ranked on as "mother" is
            _GRANDPARENT_PART, lambda m: seen.add(_GRANDPARENTS[m.group(1)]) or False
        )
        played: set[str] = set()  # "has played women": past parts
        playing: set[str] = set()  # "a woman playing a man": the part now
        for value, pattern in _GENDER_PATTERNS:
            self.take(pattern, lambda m, v=value: self._gender_word(m, v, seen, played, playing))
        if not seen:  # "someone playing a mother", "actor playing a mother": the part's
            seen = playing
        if not seen and len(refused) == 1:
            seen.add("male" if refused == {"female"} else "female")
        if not seen and self.feminine_clause:  # "jo Tamil bolti ho"
            seen.add("female")
        if not seen and self.feminine_verb:  # "acting bhi karti hai"
            seen.add("female")
        if not seen:  # a feminine verb or participle: "bolne wali", "काम करणारी"
            feminine = _words(WEAK_FEMALE) + "|[\u0900-\u0dff]+" + _words(WEAK_FEMALE_ENDINGS)
            self.take(_L + "(?:" + feminine + ")" + _R, lambda m: seen.add("female"))
        if not seen:
            self.take(_L + _words(WEAK_MALE) + _R, lambda m: self._gender_word(m, "male", seen))
        if not seen:  # "someone who has played a mother": all there is to go on
            seen = played
        if len(seen) == 1:
            self.f["gender"] = seen.pop()

    def people_person(self) -> None:
        """ "Gujarati ben", "Bengali babu": a woman, a man (alone, the words are names);
        the people's name stays for the languages."""

        def on_word(m: re.Match[str]) -> str:
            if m.group(1).strip() not in LANGUAGES[_PEOPLE_OF[m.group(2)]]:
                return m.group(0)  # "Bengali ben": not that people's word
            self.gendered.add(_PEOPLE_PERSON[m.group(2)])
            return m.group(1) + " " * len(m.group(2))

        self.text = _PEOPLE_PERSON_AFTER.sub(on_word, self.text)

    def _misspelt_gender(self, m: re.Match[str], seen: set[str]) -> bool | None:
        """ "actrss", "heroin": one letter away from a performer's gendered noun, said aloud."""
        word = m.group(0)
        if word in _GENDER_OF or word in _STOP or word == "heroin":  # the drug, a real word
            return False
        for noun, value in _MISSPELT_TARGETS.items():
            if abs(len(noun) - len(word)) <= 1 and _edits(word, noun) == 1:
                seen.add(value)
                self.assumed.append(f"'{word}' read as {noun}")
                return None
        return False

    @staticmethod
    def _gender_word(
        m: re.Match[str],
        value: str,
        seen: set[str],
        played: set[str] | None = None,
        playing: set[str] | None = None,
    ) -> bool | None:
        if _OWNER.match(m.string, m.end()):
            return False  # "the hero's sister", "hero ke bhai": someone else, not the part
        if playing is not None and _SERVED_BEFORE.search(m.string, 0, m.start()):
            playing.add(value)  # a heroine's dubbing artist is likely a woman, if none is said
            return False
        part = _PLAYED_BEFORE.search(m.string, 0, m.start())
        if part and played is not None and playing is not None:
            (played if part.group(0).lstrip().startswith("played") else playing).add(value)
            return False  # the words stay for the ranking
        seen.add(value)
        # "mother", "hero" also describe the part: keep them for the semantic search too
        # (with a Marathi case ending too: "काकांच्या भूमिकेसाठी", "आईची भूमिका")
        word = m.group(0).strip()
        stems = {word} | {word[: -len(e)] for e in _ENDINGS_SAID if word.endswith(e)}
        return False if stems & _PART_WORDS else None

    def remainder(self) -> str:
        words = re.findall(r"[\w\u0900-\u0DFF'-]+", self.text)
        kept = [w for w in words if w.strip("'-") and w not in _STOP and not w.isdigit()]
        kept += self.ranked_words
        # Hinglish casting words the embedding model knows poorly get their English meaning
        return " ".join(_gloss(w) for w in kept)


# Hindi and Marathi case and number endings, longest first ("नाटकांतून" = from plays,
# "पुरस्कारों" = awards, "मालिकांमध्ये" = in serials), taken off to find a word's gloss
_ENDINGS = sorted(
    {
        *("ांमध्ये", "ांतून", "ातून", "तून", "मध्ये", "ांत", "ांना", "ांनी", "ांची", "ांचा"),
        *("ांचे", "ाची", "ाचा", "ाचे", "ात", "ाला", "ाने", "ची", "चा", "चे", "ला", "ने", "त"),
        *("ियों", "ियां", "ियाँ", "ों", "ें", "ीं", "ाएं", "ाएँ", "ा", "े", "ी", "ां"),
        *("ावर", "वर", "ेत", "ेला", "ेची", "ेचा", "ेने"),  # Marathi "रंगमंचावर", "स्पर्धेत"
        # Marathi "from among" (-मधून), the genitive's oblique (-च्या) and "on"'s genitive
        # ("मालिकांमधून", "खलनायकाच्या", "रंगभूमीवरचा"): standard Marathi grammar
        *("ांमधून", "मधून", "ाच्या", "च्या", "वरचा", "वरची", "वरचे", "वरील"),
    },
    key=len,
    reverse=True,
)


def _gloss(word: str) -> str:
    """The English gloss of a word, or of its stem without a Hindi/Marathi ending."""
    if word in _GLOSS or not re.search(r"[\u0900-\u0DFF]", word):
        return _GLOSS.get(word, word)
    for ending in _ENDINGS:
        stem = word[: -len(ending)]
        if word.endswith(ending) and len(stem) >= 2:
            for candidate in (stem, stem + "ा", stem + "ी"):  # "नाटकां" -> "नाटक"
                if candidate in _GLOSS:
                    return _GLOSS[candidate]
    return word


def _breakdown_sex(m: re.Match[str]) -> str:
    letter = m.group(1) or m.group(4)
    word = " female " if letter == "f" else " male "
    return word if m.group(1) else m.group(2) + m.group(3) + word


def _decade_start(digits: str | None, word: str | None) -> int:
    """The first year of a decade said as "70s", "1990", "2000" or "seventies" ("the 20s"
    and "the 10s" are this century's)."""
    if word:
        short = _DECADES[word]
    elif digits and len(digits) == 4:
        return int(digits)
    else:
        short = int(digits or 0) * (10 if len(digits or "") == 1 else 1)
    return 1900 + short if short >= 30 else 2000 + short


def _edits(a: str, b: str) -> int:
    """Edit distance with adjacent swaps (optimal string alignment): "telgu" -> "telugu" 1."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        row = [i]
        for j, cb in enumerate(b, 1):
            cost = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cost = min(cost, prev2[j - 2] + 1)
            row.append(cost)
        prev2, prev = prev, row
    return prev[-1]


def _blank_group(m: re.Match[str], n: int) -> str:
    """The match with its group `n` as spaces ('' when that group took no part)."""
    if m.group(n) is None:
        return ""
    start, end = m.span(n)
    return m.string[m.start() : start] + " " * (end - start) + m.string[end : m.end()]


def _filled_span(m: re.Match[str]) -> tuple[int, int]:
    """Where the one group a match of several alternatives filled is."""
    return next(m.span(n) for n in range(1, len(m.groups()) + 1) if m.group(n) is not None)


def _number(m: re.Match[str]) -> int:
    """The one number group a match of several alternatives filled."""
    return int(next(g for g in m.groups() if g is not None))


def _number_words(text: str) -> str:
    """ "fifty-ish", "around forty", "तीस के आसपास": number words as digits."""
    words = _L + "(" + _words(list(_NUM_WORDS)) + ")(?:(?=(?:ish|something)" + _R + ")|" + _R + ")"
    text = re.sub(words, lambda m: str(_NUM_WORDS[m.group(1)]), text)
    # "saath" (60) is "with" too, but not as the end of a range ("pachaas se saath")
    return re.sub(r"(\d{2}\s*(?:-|–|to|te|se|से|ते)\s*)saa?th\b", r"\g<1>60", text)


def _shield(text: str, titles: Sequence[str]) -> tuple[str, dict[str, str]]:
    """Each title in `text` as a placeholder word no filter reads ("Son of Sardaar" says no
    gender), and the title each placeholder stands for, to give its words back to the
    semantic part."""
    shielded, placeholders = text, {}
    for n, title in enumerate(sorted(titles, key=len, reverse=True)[:26]):
        word = _PLACEHOLDER + chr(ord("a") + n)
        if title and title in shielded:
            # a title read up to the full stop after it keeps the stop: the sentence ends
            end = re.search(r"[.!?;।]+$", title)
            shielded = shielded.replace(title, f" {word} {end.group(0) if end else ''}")
            placeholders[word] = title
    # a title's year in two digits is that year, not an age: "krantiveer 94", "border '97"
    shielded = re.sub(
        r"(" + _PLACEHOLDER + r"[a-z]\s*)'?(\d{2})(?![\d\w])",
        lambda m: m.group(1) + ("19" if int(m.group(2)) >= 30 else "20") + m.group(2),
        shielded,
    )
    return shielded, placeholders


def parse(text: str, *, today: date | None = None, titles: Sequence[str] = ()) -> ParsedQuery:
    """Split a casting query into hard filters and the semantic remainder. `titles`: parts
    of `text` that name a film or show (see talent.titles), whose words are no filter."""
    shielded, placeholders = _shield(text, titles)
    parser = _Parser(shielded, today or date.today())
    take_availability(parser, today or date.today())  # dates first: "10-20" is not an age
    parser.height()
    parser.birth_years()  # before credits: "born in 1990" is not a 1990 credit
    parser.credits()
    parser.travel()
    parser.showreel()
    parser.era()
    parser.birthplace()
    parser.line_of_work()  # before skills: "stage actor" is theatre, "comic actor" a comedian
    parser.about_relatives_hidden(lambda: parser.phrases(1, "skills"))  # before languages
    # before languages: "Gujarati ben" is a woman (not in "husband of a Gujarati ben")
    parser.about_relatives_hidden(parser.people_person)
    # (a relative's language is theirs: "actor whose wife is a Telugu actress")
    parser.about_relatives_hidden(lambda: parser.phrases(0, "languages"), kin_of=False)
    parser.phrases(2, "cities")
    parser.misspelt_languages()  # after every table has taken its words
    # after phrases: "in her 20s" keeps "her" for gender; a relative's age is theirs ("her
    # brother is a 40 year old actor")
    parser.partners_hidden(
        lambda: parser.about_relatives_hidden(parser.age, kin_of=False, said_of=True)
    )
    parser.partners_hidden(lambda: parser.about_relatives_hidden(parser.gender))
    parser.one_age_range()
    filters = Filters.model_validate(parser.f)
    recognised = tuple(text for _, text in sorted(parser.hits))
    semantic = " ".join(_title_words(placeholders.get(w), w) for w in parser.remainder().split())
    return ParsedQuery(
        text=text,
        filters=filters,
        semantic=semantic.strip(),
        recognised=recognised,
        born_in=tuple(parser.born_in),
        assumed=tuple(parser.assumed),
        titles=tuple(placeholders.values()),
    )


def _title_words(title: str | None, word: str) -> str:
    if title is None:
        return word
    return " ".join(w for w in re.findall(r"[\w\u0900-\u0DFF]+", title.lower()) if w not in _STOP)
