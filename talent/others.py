"""What a casting message says about parts other than the one it asks for.

A WhatsApp or Slack message asking for one person often says who else is in the scene:
"Need an actress 40-50, Malayalam. Our hero is 60 and does Tamil films." The hero's age and
language are the hero's. `blank_others` blanks such sentences and clauses (same length, so
positions hold) before the parser reads gender, age, language and place.

A sentence (or a clause after a comma that says what the part is) is another part's when it
asks for nothing itself and opens with a part that is not the one asked for:
- a crew member the asking sentences don't ask for ("Director's Bengali btw");
- a part of the other sex than the person asked for ("Need a woman ... Hero 35 ka hai");
- a part whose relative or partner is asked for ("hero ki maa ... Hero 28 ka hai", "need a
  wife for the hero ... Hero is 40");
- someone's relative said so ("Her son in the film is 25", "तिचा मुलगा ३० चा");
or, after the first sentence, says a part is already cast ("Heroine already locked",
"लड़की वाला रोल पहले ही कास्ट हो गया है"). The same part named again ("Need a female lead.
Lead is 25-30") is the one asked for, and stays.
"""

from __future__ import annotations

import re

from talent.query_words import KIN, KIN_INDIC

_B = r"(?<![\w\u0900-\u0DFF])"  # word boundaries that know Devanagari
_E = r"(?![\w\u0900-\u0DFF])"

# parts by sex (Hindi/Marathi from McGregor and Molesworth: हीरो, नायिका, बहू, नवरा ...)
_MALE_PARTS = (
    "hero", "husband", "beta", "devar", "pati", "shohar", "munda", "ladka", "शौहर",
    "हीरो", "हिरो", "नायक", "बेटा", "देवर", "पति", "नवरा", "नवऱ्या", "लड़का", "मुलगा",
)  # fmt: skip
_FEMALE_PARTS = (
    "heroine", "wife", "beti", "bahu", "patni", "biwi", "ladki", "mulgi", "बीवी",
    "हीरोइन", "हिरोईन", "हिरोइन", "नायिका", "बेटी", "बहू", "पत्नी", "बायको", "लड़की", "मुलगी",
)  # fmt: skip
# crew and co-performers, who are someone else unless asked for
_CREW = (
    "director", "choreo", "choreographer", "co-star", "costar", "co-host", "cohost",
    "दिग्दर्शक", "निर्देशक", "डायरेक्टर", "सहसूत्रसंचालक", "student", "host", "anchor",
    # ... and the lead, when the asking words name another part ("comedian ... The lead is
    # a woman in her 30s")
    "lead", "protagonist",
)  # fmt: skip
# a relative after a genitive ("hero ki maa"): that relative, not the part, is meant
_KIN_WORDS = "|".join(
    sorted(
        (*KIN, *KIN_INDIC, "maa", "mummy", "mom", "dad", "dost", "friend"), key=len, reverse=True
    )
)
_KIN = r"(?:" + _KIN_WORDS + r")" + _E
# one job said several ways: an anchor is a host, a choreo a choreographer
_SAME_JOB = (
    ("host", "anchor", "emcee", "presenter", "compere"),
    ("choreo", "choreographer"),
    ("director", "direct", "दिग्दर्शक", "निर्देशक", "डायरेक्टर"),
)
_SEX_OF = {**dict.fromkeys(_MALE_PARTS, "male"), **dict.fromkeys(_FEMALE_PARTS, "female")}
_PARTS = sorted((*_MALE_PARTS, *_FEMALE_PARTS, *_CREW), key=len, reverse=True)
_PART = r"(" + "|".join(map(re.escape, _PARTS)) + r")(?:s|es|[\u0900-\u0DFF]*)"

_OPENING = re.compile(
    r"^\s*(?:(?:our|the|my|and|aur|hamari|hamara|hamare|हमारी|हमारा|हमारे|आमची|आमचा|btw"
    r"|fyi|also|plus|but|lekin|now)\s+)*"
    # (not the part's relative: "हिरोची आई", "hero's mother")
    r"(?!\S*?(?:'s|ची|चा|चे|च्या)\s*" + _KIN + r")"
    r"(?:(male|female)\s+(?:lead|co-?star|co-?host|anchor|host)|(?:(?:new|naya|nayi"
    r"|on-?screen|reel)\s+)?"
    + _PART
    + r")(?:'s)?"
    + _E
    # ... not a relative of that part, who may be the one asked for ("Hero ki maa hai"),
    # though the part's own role is that part ("pati ka role 55 ka aadmi karega")
    + r"(?!\s*(?:ki|ke|ka|की|के|का|च्या)\s+"
    + _KIN
    + ")"
)


def _owners_relative(owner: str) -> re.Pattern[str]:
    """A sentence opening with `owner`'s relative ("Hero's mother", "sarpanch ki biwi"); the
    relative's word is the last group."""
    return re.compile(
        r"^\s*(?:(?:the|our|my|and|aur|btw)\s+)*" + owner
        + r"(?:'s|ची|चा|चे|च्या|\s+(?:ki|ke|ka|की|के|का))\s*(" + _KIN_WORDS + r")"
    )  # fmt: skip


_PARTS_RELATIVE = _owners_relative(_PART)
# "also" after a job: the one asked for does it too (Hindi भी, Marathi पण: McGregor, Molesworth)
_ALSO = re.compile(r"\s*(?:bhi|भी|too|also|as\s+well|पण|pan)" + _E)
# anyone's relative: "Sarpanch ki biwi 50 ki hai", "the doctor's wife is 40"
_SOMEONES_RELATIVE = _owners_relative(r"[\w\u0900-\u0DFF]+")
# a relative said several ways
_SAME_KIN = (
    ("mother", "mom", "maa", "mummy", "माँ", "मां", "आई", "aai", "amma"),
    ("father", "dad", "papa", "pita", "पिता", "वडील", "baap", "बाप"),
)
# "The actor playing the hero is 28": the one playing another part
_PLAYER_OPENING = re.compile(
    r"^\s*(?:(?:the|our|and|btw)\s+)*(?:actor|actress|artist|person|guy|girl|one)\s+"
    r"(?:playing|who\s+plays|doing)\s+(?:the\s+|our\s+)?" + _PART + _E
)
# a sentence opening with someone's part: "मुलीचं काम ...", "beti ka role ...", "the hero's
# part ..." (the genitive: 's, Hindi का/की/के, Marathi -चं/-ची/-चा/-चे; McGregor, Molesworth)
_OWNED_PART_OPENING = re.compile(
    r"^\s*(?:(?:the|our|and|aur|btw)\s+)*([\w\u0900-\u0DFF]+?)(?:'s|चं|ची|चा|चे|च्या"
    r"|\s+(?:ka|ki|ke|का|की|के))\s+(?:role|part|character|kirdar|काम|भूमिका|रोल|किरदार)" + _E
)
_RELATIVE_OPENING = re.compile(
    r"^\s*(?:his|her|their|uska|uski|uske|तिचा|तिची|तिचे|त्याचा|त्याची|त्याचे)\s+"
    r"(?:(?:on-?screen|reel)\s+)?(?:mother(?!\s*tongue)|father|son|daughter|husband|wife"
    r"|brother|sister|maa|papa|beta|beti|मुलगा|मुलगी|आई|वडील|नवरा|बायको)" + _E
)
_CAST_ALREADY = re.compile(
    _B + r"(?:locked|lock\s+hai|final\s+(?:hai|ho\s+gaya|ho\s+gayi)|finali[sz]ed|already\s+"
    r"(?:cast|final|lock)|cast\s+ho\s+(?:chuka|chuki|gaya|gayi)|कास्ट\s+(?:हो|झाला|झाली|झालाय)"
    r"|फाइनल\s+हो|ठरला|ठरलाय|ठरली)" + _E
)
# who is cast already: a part, or a person's word
_CAST_WHO = re.compile(
    _B + r"(?:" + _PART + r"|girl|boy|actress|actor|brother|sister|daughter|son|mother|father"
    r"|dancer|male|female|man|woman|ladki|ladka|munda|mulgi|mulga|पुरुष|स्त्री|लड़की|लड़का"
    r"|मुलगी|मुलगा)" + _E
)
# a requirement said in the sentence keeps it: "Telugu must, to be finalised by the client"
_REQUIRED = re.compile(
    _B + r"(?:must|only|should|required|req|zaroori|zaruri|jaruri|ज़रूरी|जरूरी|hona|honi|होनी"
    r"|होना|असावी|असावा|असावे|pahije|पाहिजे|chahiye|चाहिए)" + _E
)
# what else is "locked" or "final" in a brief: the script, dates, budget, place, look, age
_NOT_CAST = re.compile(
    _B + r"(?:script|dates?|budget|location|venue|look|call|age|schedule|shoot|shooting|project"
    r"|rate|brand|event|character|role|umar|वय|उम्र|डेट्स|स्क्रिप्ट|शूटिंग|रोल)" + _E
)
# a sentence or clause saying what the part is, or who will play it
_CLAIM = re.compile(
    _B + r"(?:is|was|will\s+be|hai|hain|thi|tha|है|हैं|आहे|आहेत"
    r"|karega|karegi|karenge|करेगा|करेगी|करेंगे|करेल)" + _E
)
ASKS = re.compile(
    _B + r"(?:needs?|needed|wants?|wanted|looking|require|required|req|reqd|seeking"
    r"|find|search|chahiye|chaiye|chahie|chahye|चाहिए|चाहिये|hava|havi|हवा|हवी"
    r"|हवे|हवेत|pahije|पाहिजे|batao|बताओ|bhejo|भेजो)" + _E
)
# the words that say the asked person's sex: women's and men's nouns, the parts above and
# the family parts of casting ("maa ka role", "sasur", McGregor; "आई", Molesworth)
_FEMALE_WORDS = (
    "female", "woman", "women", "lady", "ladies", "girl", "actress", "actresses", "aurat",
    "mahila", "mother", "mom", "maa", "bhabhi", "didi", "mausi", "saas", "dadi", "nani",
    "स्त्री", "महिला", "औरत", "अभिनेत्री", "बाई", "माँ", "मां", "आई", "भाभी", "सास", "f",
    "दादी", "नानी", "आजी", "मावशी", "काकी", "मौसी",
)  # fmt: skip
_MALE_WORDS = (
    "male", "man", "men", "gent", "guy", "boy", "aadmi", "banda", "father", "dad", "papa",
    "pita", "uncle", "dadaji", "nanaji", "sasur", "chacha", "kaka", "पुरुष", "आदमी",
    "अभिनेता", "पिता", "वडील", "ससुर", "m", "mulga", "दादाजी", "नानाजी", "चाचा", "काका",
    "मामा", "बाबा", "आजोबा",
)  # fmt: skip
_FEMALE_ASKED = re.compile(
    _B + "(?:" + "|".join((*_FEMALE_WORDS, *_FEMALE_PARTS)) + ")(?:s|es)?" + _E
)
_MALE_ASKED = re.compile(_B + "(?:" + "|".join((*_MALE_WORDS, *_MALE_PARTS)) + ")(?:s|es)?" + _E)
# someone's relative or partner asked for: "mother of the hero", "a wife for the hero",
# "opposite the heroine" (not "looking for a heroine")
_FOR_ANOTHER = (
    _B + r"(?:(?:mother|father|mom|dad|parent|wife|husband|sister|brother|son|daughter"
    r"|friend|uncle|aunt|maa|papa|role|part)s?\s+(?:of|for|to)|opposite)\s+"
    r"(?:an?\s+|the\s+|our\s+)?(?:\S+\s+)?"
)
# someone asked for by what they are ("writer", "anyone from the cast"), not by sex
_PERFORMER = re.compile(
    _B + r"(?:actors?|actress(?:es)?|artists?|kalakar|कलाकार|अभिनेत\S*|dancers?|singers?|models?"
    r"|comedians?|writers?|producers?|politicians?|anyone|someone|anybody|somebody|people"
    r"|persons?|cast|koi|कोई|कोणी|कुणी)" + _E
)
# ... and "but" (Hindi लेकिन/lekin, मगर/magar: McGregor) between two clauses, which says
# one thing and then another ("The director is a Marathi guy but he wants a Hindi lead")
_BUT = r"|\s(?:but|lekin|magar|लेकिन|मगर)\s"
_SENTENCE_END = re.compile(r"([.!?;\n|]+" + _BUT + ")")
# ... and " / ", a breakdown's fields, when there are three or more
_SLASHES = re.compile(r"\s/\s")
_SENTENCE_OR_FIELD_END = re.compile(r"(\s/\s|[.!?;\n|]+" + _BUT + ")")


def blank_others(text: str) -> str:
    """`text` (lower-cased) with other parts' sentences and clauses blanked."""
    fields = len(_SLASHES.findall(text)) >= 3
    pieces = (_SENTENCE_OR_FIELD_END if fields else _SENTENCE_END).split(text)
    # re.split gives text, end, text, end, ..., text: each sentence with its end
    sentences = [a + b for a, b in zip(pieces[::2], [*pieces[1::2], ""], strict=True)]
    if "".join(sentences) != text or sum(1 for s in sentences if s.strip()) < 2:
        return _clauses_blanked(text)
    asking = [ASKS.search(s) is not None for s in sentences]
    first = next(i for i, s in enumerate(sentences) if s.strip())
    asked_text = " ".join(s for s, asks in zip(sentences, asking, strict=True) if asks)
    out = []
    for i, (sentence, asks) in enumerate(zip(sentences, asking, strict=True)):
        # what the rest asks for: the asking sentences, or all the others when none asks
        rest = asked_text or " ".join(s for n, s in enumerate(sentences) if n != i)
        others = not asks and (
            (
                i > first
                and _CAST_ALREADY.search(sentence)
                and _CAST_WHO.search(sentence)
                and not _NOT_CAST.search(sentence)
                and not _REQUIRED.search(sentence)
            )
            or ((i != first or any(asking)) and _about_another(sentence, rest))
            or (i > first and any(asking) and _owned_part(sentence, rest))
        )
        # (a clause is weighed against what the other sentences ask, not its own sentence)
        elsewhere = " ".join(
            s for n, s in enumerate(sentences) if n != i and (asking[n] or not any(asking))
        )
        out.append(" " * len(sentence) if others else _clauses_blanked(sentence, elsewhere))
    return "".join(out)


def _clauses_blanked(sentence: str, rest: str = "") -> str:
    """`sentence` with its clauses about another part blanked; `rest`: what the other
    sentences ask ("director Tamil hai lekin ... ladki chahiye": the director's clause)."""
    clauses = sentence.split(",")
    return ",".join(
        " " * len(clause)
        if n
        and _CLAIM.search(clause)
        and not ASKS.search(clause)
        and _about_another(clause, ",".join(clauses[:n] + clauses[n + 1 :]) + " " + rest)
        else clause
        for n, clause in enumerate(clauses)
    )


def _owned_part(sentence: str, asked: str) -> bool:
    """ "मुलीचं काम २० वर्षांची करेल", "The hero's part is played by a 30-year-old": a later
    sentence saying who plays someone's part, unless the asking words ask for that one."""
    owned = _OWNED_PART_OPENING.match(sentence)
    if owned is None or not _CLAIM.search(sentence) or not _names_someone(asked):
        return False
    return re.search(_B + re.escape(owned.group(1)[:4]), asked) is None


def _about_another(sentence: str, asked: str) -> bool:
    if _RELATIVE_OPENING.match(sentence):
        return True
    player = _PLAYER_OPENING.match(sentence)
    if player:  # the one playing a part not asked for
        return re.search(_B + re.escape(_stem(player.group(1))), asked) is None
    relative = _PARTS_RELATIVE.match(sentence)
    if relative:  # "Hero's mother is 50": hers, unless a mother is what is asked for
        kin = relative.group(2)
        same = next((g for g in _SAME_KIN if kin in g), (kin,))
        return re.search(_B + "(?:" + "|".join(map(re.escape, same)) + ")", asked) is None
    someones = _SOMEONES_RELATIVE.match(sentence)
    if someones:  # a relative of the other sex than the one asked for is someone else
        kin_sex, asked_sex = _asked_sex(someones.group(1)), _asked_sex(asked)
        if kin_sex is not None and asked_sex is not None and kin_sex != asked_sex:
            return True
    opening = _OPENING.match(sentence)
    if opening is None:
        return False
    sex_word, part = opening.group(1), opening.group(2)
    if part is None:  # "female lead", "male co-host"
        return _asked_sex(asked) not in (None, sex_word)
    stem = _stem(part)
    if stem in _CREW and _ALSO.match(sentence, opening.end()):
        return False  # "निर्देशक भी हो", "director bhi ho": the one asked for is one too
    if stem in _CREW:  # when the rest asks for someone else by name ("we want actresses")
        same = next((g for g in _SAME_JOB if stem in g), (stem,))
        named = re.search(_B + "(?:" + "|".join(map(re.escape, same)) + r")(?:s|es)?" + _E, asked)
        return named is None and _names_someone(asked)
    if _relative_of(stem, asked):
        return True
    asked_sex = _asked_sex(asked)
    return asked_sex is not None and asked_sex != _SEX_OF[stem]


def _names_someone(asked: str) -> bool:
    return _asked_sex(asked) is not None or _PERFORMER.search(asked) is not None


def _stem(part: str) -> str:
    return next(p for p in _PARTS if part.startswith(p))


def _relative_of(part: str, asked: str) -> bool:
    """Does the asking text ask for the part's relative or partner ("hero ki maa", "the
    hero's mother", "mother of the hero", "a wife for the hero", "हिरोच्या आईची")?"""
    p = re.escape(part)
    return bool(
        re.search(
            _B + p + r"(?:'s|\s*(?:ki|ke|ka|की|के|का)\s|च्या)(?!\s*(?:role|part|character|रोल))",
            asked,
        )
        or re.search(_FOR_ANOTHER + p, asked)
    )


def _asked_sex(asked: str) -> str | None:
    """The sex of the person asked for, when the asking words give one and only one."""
    # not the part whose relative or partner is asked for: "for the hero", "hero ki maa"
    plain = re.sub(_FOR_ANOTHER + r"\S+", " ", asked)
    plain = re.sub(
        _B + r"\S+(?:'s|\s+(?:ki|ke|ka|की|के|का)(?=\s)|च्या)(?=\s*" + _KIN + ")", " ", plain
    )
    female = _FEMALE_ASKED.search(plain) is not None
    male = _MALE_ASKED.search(plain) is not None or (
        not female and re.search(_B + r"actors?" + _E, plain) is not None
    )
    if female == male:
        return None
    return "female" if female else "male"
