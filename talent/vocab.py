"""The casting vocabulary: canonical languages, skills and cities, and the words for them.

One table serves the importer (normalising what agencies send), the query parser (reading
what casting directors type, in English, Hindi or Marathi) and the sample generator.
"""

from __future__ import annotations

import re
from functools import cache

from talent.language_names import CLDR_NAMES

# canonical language -> other ways people write it (lower case; Devanagari included)
LANGUAGES: dict[str, tuple[str, ...]] = {
    # a film industry's nickname names its language (Wikipedia, "Cinema of India")
    "Hindi": ("hindi", "हिंदी", "हिन्दी", "bollywood", "बॉलीवुड"),
    "English": ("english", "angrezi", "अंग्रेज़ी", "अंग्रेजी", "इंग्रजी"),
    "Marathi": ("marathi", "मराठी"),
    # with the colloquial demonyms "Gujju" and "Bong" (Oxford Dictionary of English, Indian use)
    "Gujarati": ("gujarati", "gujrati", "गुजराती", "गुजराथी", "gujju", "gujjus"),
    "Bengali": ("bengali", "bangla", "bangali", "बंगाली", "बांग्ला", "बंगला", "bong", "bongs"),
    "Punjabi": ("punjabi", "panjabi", "पंजाबी", "pollywood"),
    "Tamil": ("tamil", "tamilian", "तमिल", "तमिळ", "kollywood", "tamizh", "तमीळ"),
    "Telugu": ("telugu", "तेलुगु", "तेलुगू", "telegu", "तेलगू", "तेलगु"),
    "Malayalam": (
        "malayalam",
        "malayali",
        "malayalee",
        "mallu",
        "मलयालम",
        "मल्याळम",
        "मल्याळी",
        "mollywood",
        "malyalam",
        "मलयाली",
    ),
    "Kannada": ("kannada", "kannad", "kannadiga", "कन्नड़", "कन्नड", "sandalwood", "कन्नडा"),
    "Urdu": ("urdu", "उर्दू"),
    "Odia": ("odia", "oriya", "odiya", "ओड़िया", "उड़िया"),
    "Assamese": ("assamese", "assami", "असमिया"),
    "Konkani": ("konkani", "कोंकणी"),
    "Bhojpuri": ("bhojpuri", "भोजपुरी"),
    "Haryanvi": ("haryanvi", "हरियाणवी"),
    "Rajasthani": ("rajasthani", "marwari", "राजस्थानी", "मारवाड़ी"),
    "Awadhi": ("awadhi", "अवधी"),
    "Maithili": ("maithili", "मैथिली"),
    "Sindhi": ("sindhi", "सिंधी"),
    "Kashmiri": ("kashmiri", "कश्मीरी"),
    "Tulu": ("tulu",),
    "French": ("french",),
    "Spanish": ("spanish",),
}
# More names for the same languages: each language's own name in its own script and the
# industries' "-wood" nicknames (Wikipedia, "List of Indian film industries" and "Cinema of
# India": Tollywood, Ollywood, Dhollywood, Jollywood, Bhojiwood, Coastalwood), the Marathi
# spellings ("आसामी"), and "Maharashtrian" (Oxford: of Maharashtra, whose language is Marathi).
# "Tollywood" also names Bengali cinema (Tollygunge): `talent.query` reads it as Telugu
# unless the query speaks of Bengal, and says so (AMBIGUOUS below).
_MORE_LANGUAGE_NAMES = {
    "Tamil": ("தமிழ்",),
    "Telugu": ("తెలుగు", "tollywood", "टॉलीवुड", "टॉलिवूड"),
    "Kannada": ("ಕನ್ನಡ",),
    "Malayalam": ("മലയാളം",),
    "Bengali": ("বাংলা", "বাঙালি"),
    "Odia": ("ଓଡ଼ିଆ", "ollywood", "ओडिया", "ओरिया"),
    "Gujarati": ("ગુજરાતી", "dhollywood"),
    "Punjabi": ("ਪੰਜਾਬੀ",),
    "Assamese": ("অসমীয়া", "asamiya", "axomiya", "asomiya", "jollywood", "आसामी", "असमी"),
    "Bhojpuri": ("bhojiwood",),
    "Tulu": ("coastalwood", "tuluva", "तुळु", "तुलु"),
    "Marathi": ("maharashtrian", "maharashtrians", "महाराष्ट्रीय", "marathis"),
    "Urdu": ("اردو",),
}
# "Keralite" (Oxford: a native of Kerala, whose language is Malayalam), and the demonyms'
# plurals ("Malayalis", "Tamilians", "Kannadigas", "Bengalis")
_MORE_LANGUAGE_NAMES["Malayalam"] += ("keralite", "keralites", "malayalis", "malayalees")
_MORE_LANGUAGE_NAMES["Tamil"] += ("tamilians",)
_MORE_LANGUAGE_NAMES["Kannada"] += ("kannadigas",)
_MORE_LANGUAGE_NAMES["Bengali"] += ("bengalis", "bangalis")
_MORE_LANGUAGE_NAMES["Punjabi"] += ("punjabis",)
_MORE_LANGUAGE_NAMES["Gujarati"] += ("gujaratis",)
for _language, _names in _MORE_LANGUAGE_NAMES.items():
    LANGUAGES[_language] += _names
# ... and each one's name in the other Indian languages' scripts (Unicode CLDR)
for _language, _names in CLDR_NAMES.items():
    LANGUAGES[_language] += _names
# words with a second meaning the parser picks against, and what it says it assumed
AMBIGUOUS_LANGUAGE = {
    "tollywood": (
        "Bengali",
        "Tollywood read as Telugu cinema (Bengali cinema is also called"
        " Tollywood: say Bengali for it)",
    ),
    "टॉलीवुड": ("Bengali", "टॉलीवुड read as Telugu cinema (say Bengali for Bengali cinema)"),
    "टॉलिवूड": ("Bengali", "टॉलिवूड read as Telugu cinema (say Bengali for Bengali cinema)"),
}

# canonical skill -> synonyms (lower case). Accents are skills: they are performed, not spoken.
SKILLS: dict[str, tuple[str, ...]] = {
    "kathak": ("kathak", "kathak dancer", "कथक"),
    "bharatanatyam": ("bharatanatyam", "bharatnatyam", "bharat natyam", "भरतनाट्यम"),
    "odissi": ("odissi",),
    "kuchipudi": ("kuchipudi",),
    "mohiniyattam": ("mohiniyattam",),
    "lavani": ("lavani", "लावणी"),
    "bhangra": ("bhangra", "भांगड़ा"),
    "garba": ("garba", "गरबा"),
    "contemporary dance": ("contemporary dance", "contemporary"),
    "hip hop": ("hip hop", "hip-hop", "hiphop"),
    "salsa": ("salsa",),
    "bollywood dance": ("bollywood dance", "filmi dance"),
    "kalaripayattu": ("kalaripayattu", "kalari", "kalaripayattu martial arts"),
    "gatka": ("gatka",),
    "silambam": ("silambam",),
    "karate": ("karate", "कराटे"),
    "taekwondo": ("taekwondo",),
    "kickboxing": ("kickboxing", "kick boxing"),
    "boxing": ("boxing", "boxer"),
    "mma": ("mma", "mixed martial arts"),
    "stage combat": ("stage combat", "fight choreography"),
    "sword fighting": ("sword fighting", "swordsmanship", "talwarbaazi", "fencing"),
    "wrestling": ("wrestling", "kushti", "pehlwani", "कुश्ती"),
    "horse riding": (
        "horse riding",
        "horseback riding",
        "horse-riding",
        "equestrian",
        "ghudsawari",
        "घुड़सवारी",
        "riding",
    ),
    "swimming": ("swimming", "swimmer", "swim", "tairaki", "तैराकी", "पोहणे"),
    "scuba diving": ("scuba diving", "scuba"),
    "motorbike riding": ("motorbike riding", "bike riding", "motorcycle", "bullet riding"),
    "driving": ("driving", "car driving"),
    "yoga": ("yoga", "योग", "योगा"),
    "gymnastics": ("gymnastics", "gymnast"),
    "parkour": ("parkour",),
    "cricket": ("cricket", "क्रिकेट"),
    "football": ("football", "soccer"),
    "tabla": ("tabla", "तबला"),
    "sitar": ("sitar", "सितार"),
    "flute": ("flute", "bansuri", "बांसुरी"),
    "guitar": ("guitar", "गिटार"),
    "piano": ("piano", "keyboard"),
    "harmonium": ("harmonium",),
    "dhol": ("dhol", "ढोल"),
    "violin": ("violin",),
    "hindustani classical singing": (
        "hindustani classical singing",
        "hindustani classical",
        "classical singing",
        "hindustani vocals",
    ),
    "carnatic singing": ("carnatic singing", "carnatic vocals", "carnatic"),
    "playback singing": ("playback singing", "singing", "singer", "gaana", "गाना"),
    "stand-up comedy": ("stand-up comedy", "stand up comedy", "standup", "stand-up"),
    "improv": ("improv", "improvisation"),
    "mimicry": ("mimicry",),
    "voice acting": ("voice acting", "voiceover", "voice-over", "dubbing"),
    "puppetry": ("puppetry",),
    "magic": ("magic", "magician"),
    "juggling": ("juggling",),
    "british accent": ("british accent", "rp accent", "english accent"),
    "american accent": ("american accent", "us accent"),
    "south indian accent": ("south indian accent", "madrasi accent"),
    "bihari accent": ("bihari accent",),
    "haryanvi accent": ("haryanvi accent",),
    "punjabi accent": ("punjabi accent",),
    "bengali accent": ("bengali accent",),
    "marathi accent": ("marathi accent",),
    "mumbaiya accent": ("mumbaiya accent", "bambaiya accent", "bambaiya", "mumbaiya"),
    "hyderabadi accent": ("hyderabadi accent",),
}

# Professions besides acting (the occupations an encyclopaedia lead names): the English agent
# noun and its verb forms, and the standard Hindi/Marathi dictionary words for it (masculine
# and feminine forms, Devanagari and romanised). `talent.query` does not read them as a filter
# after "play"/"as a" ("can play a politician" asks for a part, not a profession).
PROFESSIONS: dict[str, tuple[str, ...]] = {
    "dancer": (
        "dancer", "dancers", "dance", "dances", "dancing", "nartaki", "nartak", "नर्तक",
        "नर्तकी", "नृत्यांगना", "डांसर", "नाचने वाली", "नाचने वाला", "नाचणारी", "नाचणारा",
        "नाचणारे",
    ),
    "director": (
        "director", "directors", "directs", "direct", "directed", "directing", "filmmaker",
        "film-maker", "nirdeshak", "निर्देशक", "दिग्दर्शक", "डायरेक्टर",
    ),
    "producer": (
        "producer", "producers", "produces", "produce", "produced", "producing",
        "film producer", "nirmata", "निर्माता", "निर्मात्री", "प्रोड्यूसर", "निर्माती",
    ),
    "writer": (
        "writer", "writers", "writes", "write", "screenwriter", "author", "lekhak", "lekhika",
        "लेखक", "लेखिका", "पटकथा लेखक", "रायटर",
    ),
    "model": (
        "model", "models", "modelling", "modeling", "fashion model", "मॉडल", "मॉडेल", "मॉडलिंग",
    ),
    "politician": (
        "politician", "politicians", "rajneta", "राजनेता", "राजनीतिज्ञ", "राजकारणी",
    ),
    "television presenter": (
        "television presenter", "tv presenter", "presenter", "presenters", "anchor", "anchors",
        "tv anchor", "tv host", "television host", "host", "एंकर", "सूत्रधार", "निवेदक",
        "निवेदिका",
    ),
    "theatre": ("theatre", "theater", "stage actor", "stage artist", "rangmanch", "रंगमंच"),
    # an encyclopaedia's "television actor/actress": work in TV serials and shows
    # (its phrases, "TV actress", "serial actor", are `talent.query`'s line of work)
    "television": (
        "television", "tv", "टीवी", "टीव्ही", "टेलीविजन", "धारावाहिक", "सीरियल", "सिरियल", "मालिका",
    ),
    "comedian": (
        "comedian", "comedians", "comedienne", "hasya kalakar", "हास्य कलाकार", "कॉमेडियन",
        "विनोदी अभिनेता", "विनोदी अभिनेत्री",
        # a stand-up comedian is a comedian (one profession, not two skills to hold)
        "stand-up comedian", "standup comedian", "stand up comedian", "stand-up comic",
    ),
    "entrepreneur": (
        "entrepreneur", "entrepreneurs", "businessman", "businesswoman", "उद्यमी", "उद्योजक",
    ),
    "philanthropist": ("philanthropist", "philanthropists", "समाजसेवी"),
}  # fmt: skip
SKILLS["playback singing"] += (
    "sings", "sing", "singers", "gayak", "gayika", "गायक", "गायिका", "गाने वाली",
    "गाने वाला", "गाणारी", "गाणारा", "गाणारे",
    # the Devanagari words above, romanised as they are typed in Hinglish
    "gaane wali", "gaane wala", "gaane wale", "gane wali", "gane wala", "gaayak", "gaayika",
)  # fmt: skip
PROFESSIONS["dancer"] += (
    "naachne wali", "naachne wala", "naachne wale", "nachne wali", "nachne wala",
)  # fmt: skip
# Hindi/Marathi verbs for a profession in their usual forms (infinitive, oblique, habitual
# -ti/-ta/-te, "can X" with sakna), Devanagari and romanised: "jo naachti ho", "गा सकती".
_VERB_STEMS = {"dancer": ("naach", "nach", "नाच"), "writer": ("likh", "लिख")}
_VERB_STEMS |= {"playback singing": ("gaa", "गा")}
SKILLS["playback singing"] += ("ga sake", "ga sakti", "ga sakta", "ga sakte")  # one "a" typed


def _verb_forms(stem: str) -> tuple[str, ...]:
    devanagari = stem[0] >= "\u0900"
    endings = ("ना", "ने", "ती", "ता", "ते") if devanagari else ("na", "ne", "ti", "ta", "te")
    can = ("सके", "सकती", "सकता", "सकते", "सकने")
    can = can if devanagari else ("sake", "sakti", "sakta", "sakte", "sakne")
    return tuple(stem + e for e in endings) + tuple(f"{stem} {c}" for c in can)


for _skill, _stems in _VERB_STEMS.items():
    _table = SKILLS if _skill in SKILLS else PROFESSIONS
    _table[_skill] += tuple(form for stem in _stems for form in _verb_forms(stem))
PROFESSIONS["dancer"] += ("naach",)
PROFESSIONS["dancer"] += ("डांस",)  # the English loanword in Devanagari (McGregor)
PROFESSIONS["writer"] += ("लिहिते", "लिहितो", "लिहिणारी", "लिहिणारा", "लिहिणारे")
PROFESSIONS["director"] += ("direction", "directorial", "nirdeshan", "निर्देशन", "दिग्दर्शन")
PROFESSIONS["writer"] += ("wrote", "written", "writing")
PROFESSIONS["politician"] += ("politics", "rajneeti", "राजनीति", "राजकारण")
PROFESSIONS["model"] += ("modelled", "modeled")
PROFESSIONS["television presenter"] += ("anchoring", "hosting", "hosted", "hosts")
# the other verb forms, and "compere"/"emcee" (Oxford: a presenter; Indian English usage)
PROFESSIONS["television presenter"] += ("anchored", "compere", "compered", "compering")
PROFESSIONS["television presenter"] += ("emcee", "emcees", "emceed")
PROFESSIONS["dancer"] += ("nritya", "नृत्य")
SKILLS["playback singing"] += ("sang", "sung")
# Hindi/Marathi dictionary words for a playback singer and for playback singing
SKILLS["playback singing"] += ("पार्श्वगायक", "पार्श्वगायिका", "पार्श्वगायन", "पार्श्व गायक")
SKILLS["playback singing"] += ("पार्श्व गायिका", "parshvagayak", "parshva gayak")
SKILLS["voice acting"] += ("voice actor", "voice artist", "dubbing artist")
# "vocalist" is a singer and "comics" (the noun's plural; the adjective "comic" is left out:
# "comic roles" asks for a part) are comedians (Oxford English Dictionary)
SKILLS["playback singing"] += ("vocalist", "vocalists")
PROFESSIONS["comedian"] += ("comics",)
# "funnyman" (Oxford: a comedian; it also says a man, `talent.query_words.MALE`), and the
# everyday Hindi "neta" (McGregor: नेता, a political leader)
PROFESSIONS["comedian"] += ("funnyman", "funnymen")
PROFESSIONS["politician"] += ("neta", "netas", "नेता")
# legislators: "MLA" (Oxford: Member of the Legislative Assembly, in India), Hindi सांसद
# (member of parliament) and विधायक (legislator) (McGregor), Marathi खासदार and आमदार (the
# same, Molesworth; Wiktionary). Not "MP": also Madhya Pradesh
PROFESSIONS["politician"] += ("mla", "mlas", "सांसद", "विधायक", "खासदार", "आमदार")
# Marathi समाजसेवक/समाजसेविका (social worker, Molesworth) beside Hindi समाजसेवी
PROFESSIONS["philanthropist"] += ("समाजसेवक", "समाजसेविका", "samajsevak", "samajsevika")
# dubbing and voice work in Devanagari, as English loanwords are written (McGregor)
SKILLS["voice acting"] += ("डबिंग", "व्हॉइसओवर", "वॉइसओवर")
# Feminine agent nouns (Hindi/Marathi -इका, -ई, -त्री; English -ess, -woman: McGregor's
# Outline of Hindi Grammar, the Oxford dictionary) and activity nouns ("लेखन" writing,
# "गायन" singing, "निर्मिती" production, "सूत्रसंचालन" compering): the same professions.
# `talent.query_words.FEMININE_AGENTS` says which of them also say a woman.
PROFESSIONS["dancer"] += ("नर्तिका", "nartika", "danseuse", "ballerina", "नर्तकियां")
PROFESSIONS["director"] += ("निर्देशिका", "nirdeshika", "दिग्दर्शिका", "digdarshika")
PROFESSIONS["director"] += ("दिग्दर्शक", "digdarshak")
PROFESSIONS["producer"] += ("निर्मिती", "निर्माण", "nirmiti", "nirmatri")
PROFESSIONS["writer"] += ("लेखन", "lekhan", "लेखिकाएं", "scriptwriter", "script writer")
PROFESSIONS["television presenter"] += (
    "सूत्रसंचालक", "सूत्रसंचालिका", "सूत्रसंचालन", "प्रस्तोता", "प्रस्तोत्री", "होस्ट",
    "anchorwoman", "anchorman", "compere", "emcee", "vj", "vjs", "video jockey",
)  # fmt: skip
SKILLS["playback singing"] += ("गायन", "gayan", "songstress", "crooner", "गायिकाएं", "गायिकाएँ")
# Marathi agent participles romanised as typed ("नाचणारी" nachnari, "गाणारा" ganara,
# "लिहिणारे" lihinare) and their oblique plural in Devanagari ("-णाऱ्या")
for _skill, _stems in {"dancer": ("nach", "naach"), "writer": ("lihi",)}.items():
    PROFESSIONS[_skill] += tuple(s + e for s in _stems for e in ("nara", "nari", "nare", "narya"))
SKILLS["playback singing"] += ("ganara", "ganari", "ganare", "ganarya", "गाणाऱ्या")
PROFESSIONS["dancer"] += ("नाचणाऱ्या",)
PROFESSIONS["writer"] += ("लिहिणाऱ्या",)
SKILLS.update(PROFESSIONS)

# Skills that stand for a family: asking for a dancer finds the kathak dancer too.
FAMILIES: dict[str, tuple[str, ...]] = {
    "dancer": (
        "kathak", "bharatanatyam", "odissi", "kuchipudi", "mohiniyattam", "lavani", "bhangra",
        "garba", "contemporary dance", "hip hop", "salsa", "bollywood dance",
    ),
    "playback singing": ("hindustani classical singing", "carnatic singing"),
    # stand-up comedy is performed by a comedian (Wikipedia, "Stand-up comedy")
    "comedian": ("stand-up comedy",),
}  # fmt: skip

# canonical city -> other spellings
CITIES: dict[str, tuple[str, ...]] = {
    # the Devanagari names include the old names and the Marathi spellings
    "Mumbai": ("mumbai", "bombay", "bambai", "मुंबई", "बंबई", "बॉम्बे"),
    "Delhi": ("delhi", "new delhi", "dilli", "दिल्ली"),
    # ... and Marathi's oblique stem of a name ending in -े before its case endings
    # ("पुण्यात" in Pune, "पुण्याची" of Pune: standard Marathi grammar)
    "Pune": ("pune", "poona", "पुणे", "पूना", "पुण्या"),
    "Bengaluru": (
        "bengaluru",
        "bangalore",
        "बेंगलुरु",
        "बेंगलूरु",
        "बंगळुरू",
        "बंगळूरु",
        "बेंगळुरू",
        "बंगलौर",
        "बैंगलोर",
        "बंगलोर",
    ),
    "Kolkata": ("kolkata", "calcutta", "कोलकाता", "कलकत्ता", "कोलकत्ता"),
    "Chennai": ("chennai", "madras", "चेन्नई", "चेन्नै", "मद्रास"),
    "Hyderabad": ("hyderabad", "हैदराबाद", "हैद्राबाद"),
    "Ahmedabad": ("ahmedabad", "अहमदाबाद"),
    "Jaipur": ("jaipur", "जयपुर"),
    "Lucknow": ("lucknow", "लखनऊ"),
    "Chandigarh": ("chandigarh", "चंडीगढ़"),
    "Kochi": ("kochi", "cochin", "कोच्चि", "कोचीन"),
    "Goa": ("goa", "गोवा"),
    "Indore": ("indore", "इंदौर"),
    "Bhopal": ("bhopal", "भोपाल"),
    "Patna": ("patna", "पटना"),
    "Nagpur": ("nagpur", "नागपुर"),
    "Guwahati": ("guwahati",),
    "Thiruvananthapuram": ("thiruvananthapuram", "trivandrum", "तिरुवनंतपुरम", "त्रिवेंद्रम"),
    "Dehradun": ("dehradun",),
}
# Cities renamed since independence, under their new names with the old ones (Wikipedia,
# "List of renamed places in India"), so "born in Mysore" also finds "born in Mysuru"
CITIES |= {
    "Mysuru": ("mysuru", "mysore", "मैसूर", "म्हैसूर"),
    "Mangaluru": ("mangaluru", "mangalore", "मंगलुरु", "मंगलौर", "मंगळूर"),
    "Tumakuru": ("tumakuru", "tumkur", "तुमकुर"),
    "Belagavi": ("belagavi", "belgaum", "बेलगाम", "बेळगाव", "belgaon"),
    "Hubballi": ("hubballi", "hubli", "हुबली"),
    "Kalaburagi": ("kalaburagi", "gulbarga", "गुलबर्गा"),
    "Shivamogga": ("shivamogga", "shimoga"),
    "Vadodara": ("vadodara", "baroda", "वडोदरा", "बड़ौदा", "बडोदा"),
    "Prayagraj": ("prayagraj", "allahabad", "प्रयागराज", "इलाहाबाद"),
    "Varanasi": ("varanasi", "benares", "banaras", "benaras", "वाराणसी", "बनारस"),
    "Shimla": ("shimla", "simla", "शिमला"),
    "Gurugram": ("gurugram", "gurgaon", "गुरुग्राम", "गुड़गांव"),
    "Kozhikode": ("kozhikode", "calicut", "कोझिकोड"),
    "Thrissur": ("thrissur", "trichur", "त्रिशूर"),
    "Kollam": ("kollam", "quilon"),
    "Alappuzha": ("alappuzha", "alleppey"),
    "Palakkad": ("palakkad", "palghat"),
    "Kannur": ("kannur", "cannanore"),
    "Thalassery": ("thalassery", "tellicherry"),
    "Puducherry": ("puducherry", "pondicherry", "पुडुचेरी", "पांडिचेरी"),
    "Visakhapatnam": ("visakhapatnam", "vizag", "vishakhapatnam", "विशाखापत्तनम"),
    "Vijayawada": ("vijayawada", "bezawada"),
    "Tiruchirappalli": ("tiruchirappalli", "trichy", "tiruchi", "trichinopoly"),
    "Thanjavur": ("thanjavur", "tanjore"),
    "Thoothukudi": ("thoothukudi", "tuticorin"),
    "Kanpur": ("kanpur", "cawnpore", "कानपुर"),
    "Nashik": ("nashik", "nasik", "नाशिक", "नासिक"),
}


def _lookup(table: dict[str, tuple[str, ...]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for canonical, words in table.items():
        out[canonical.lower()] = canonical
        for word in words:
            out[word.lower()] = canonical
    return out


_LANG = _lookup(LANGUAGES)
_SKILL = _lookup(SKILLS)
_CITY = _lookup(CITIES)


def _clean(value: str) -> str:
    return re.sub(r"\s+", " ", value.strip().lower())


def canonical_language(value: str) -> str:
    """'marathi' -> 'Marathi'; an unknown language keeps its words, title-cased."""
    cleaned = _clean(value)
    return _LANG.get(cleaned) or cleaned.title()


def canonical_skill(value: str) -> str:
    """'kalari' -> 'kalaripayattu'; an unknown skill is kept in lower case."""
    cleaned = _clean(value)
    return _SKILL.get(cleaned, cleaned)


def canonical_city(value: str) -> str:
    cleaned = _clean(value)
    return _CITY.get(cleaned) or cleaned.title()


@cache
def phrase_tables() -> tuple[
    tuple[tuple[str, str], ...], tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]
]:
    """(phrase, canonical) pairs per kind, longest phrase first, for the query parser."""

    def pairs(lookup: dict[str, str]) -> tuple[tuple[str, str], ...]:
        return tuple(sorted(lookup.items(), key=lambda item: -len(item[0])))

    return pairs(_LANG), pairs(_SKILL), pairs(_CITY)


# India's states, as birthplaces ("born in Orissa", "a native of Kerala"): ranked on in the
# bio, never a filter on where someone lives. The names of the Constitution's First Schedule
# (Wikipedia, "States and union territories of India") with their former names (Orissa ->
# Odisha 2011, Uttaranchal -> Uttarakhand 2007, Pondicherry -> Puducherry 2006, Madras
# State -> Tamil Nadu 1969, Mysore State -> Karnataka 1973) and Hindi spellings
STATES: dict[str, tuple[str, ...]] = {
    "Odisha": ("odisha", "orissa", "ओडिशा", "उड़ीसा", "उडीसा", "ओडिसा"),
    "Kerala": ("kerala", "केरल", "केरळ"),
    "Punjab": ("punjab", "पंजाब"),
    "Gujarat": ("gujarat", "गुजरात"),
    "Maharashtra": ("maharashtra", "महाराष्ट्र"),
    "Karnataka": ("karnataka", "mysore state", "कर्नाटक"),
    "Tamil Nadu": ("tamil nadu", "tamilnadu", "madras state", "तमिलनाडु", "तमिळनाडू"),
    "Andhra Pradesh": ("andhra pradesh", "andhra", "आंध्र प्रदेश"),
    "Telangana": ("telangana", "तेलंगाना", "तेलंगणा"),
    "West Bengal": ("west bengal", "bengal", "पश्चिम बंगाल", "बंगाल"),
    "Bihar": ("bihar", "बिहार"),
    "Uttar Pradesh": ("uttar pradesh", "उत्तर प्रदेश"),
    "Madhya Pradesh": ("madhya pradesh", "मध्य प्रदेश"),
    "Rajasthan": ("rajasthan", "राजस्थान"),
    "Haryana": ("haryana", "हरियाणा"),
    "Himachal Pradesh": ("himachal pradesh", "himachal", "हिमाचल प्रदेश"),
    "Uttarakhand": ("uttarakhand", "uttaranchal", "उत्तराखंड"),
    "Jharkhand": ("jharkhand", "झारखंड"),
    "Chhattisgarh": ("chhattisgarh", "छत्तीसगढ़"),
    "Assam": ("assam", "असम"),
    "Jammu and Kashmir": ("jammu and kashmir", "kashmir", "जम्मू और कश्मीर", "कश्मीर"),
    "Manipur": ("manipur", "मणिपुर"),
    "Meghalaya": ("meghalaya", "मेघालय"),
    "Tripura": ("tripura", "त्रिपुरा"),
    "Sikkim": ("sikkim", "सिक्किम"),
    "Nagaland": ("nagaland", "नागालैंड"),
    "Mizoram": ("mizoram", "मिजोरम"),
    "Arunachal Pradesh": ("arunachal pradesh", "अरुणाचल प्रदेश"),
    "Puducherry": ("puducherry", "pondicherry", "पुडुचेरी", "पांडिचेरी"),
}
