"""Film and show titles a query names, found in the catalogue's credits.

A title made of ordinary words ("Son of Sardaar", "Hindi Medium", "Madras Cafe", "Mr. and
Mrs. Khiladi") must not be read as a gender, language or city. Only text written as a title
counts: quoted ('2 States', 'बॉम्बे टॉकीज़'), a run of two or more capitalised words or
numbers ("Housefull 3"), or one capitalised word with its year ("Mard (1985)") or after
"the cast of" / "the film" ("the cast of Mard"); in lower case, two or more words beside a
word for a film's people ("son of sardaar cast", "who acted in dulhe raja"); and only
when some profile in scope holds a credit of that title. So "Maa ka role" or a lower-case
"hindi medium" stays a filter, as typed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from sqlalchemy import or_, select

from talent.credits import said_keys, title_key
from talent.index import indexable
from talent.models import CreditRow, Talent
from talent.query import ParsedQuery, parse
from talent.query_words import FEMALE, MALE, NUM_WORDS, STOP_WORDS, WEAK_MALE
from talent.vocab import CITIES, LANGUAGES, PROFESSIONS, SKILLS

if TYPE_CHECKING:
    from bot.services import Services

_MAX_WORDS = 8
_CUE_CHARS = 60  # the longest cue ("were in the film", "star cast of the") and its spaces
# small words a title keeps in lower case between capitalised ones (English articles and
# prepositions; Hindi postpositions and conjunctions, as the source's own title rule)
_JOINERS = frozenset(
    {*("of", "the", "and", "a", "an", "in", "on", "to", "at", "for", "vs"), "na", "ki", "ka"}
    | {"ke", "ko", "se", "aur", "hai", "ho", "mein", "main", "de", "da", "di"}
)
_QUOTED = re.compile(r"'([^']{2,80})'|\"([^\"]{2,80})\"|‘([^’]{2,80})’|“([^”]{2,80})”")
# a word, in Latin letters or Devanagari (whose vowel signs are no \w), without dandas
_WORD = re.compile(r"(?:[^\W_]|[\u0900-\u0963\u0966-\u097F])+(?:[.'’](?:[^\W_]|[\u0900-\u097F])+)*")
_ABBREVIATION = re.compile(r"[A-Z][a-z]{0,2}\.")  # "Mr.", "Mrs.", "No.", "Dr.": not a full stop
_YEAR_AFTER = re.compile(r"\s*\(?\s*(?:19|20)\d{2}\b")
# "acted in X", "X cast", "X wali actresses" (Hindi "the actresses of X"): X names a film
_ACTED_IN = re.compile(
    r"\b(?:acted|worked|starred|appeared|was|were)\s+in\s+(?:the\s+)?(?:film\s+|movie\s+)?$",
    re.IGNORECASE,
)
_CAST_AFTER = re.compile(
    r"\s*(?:cast|star\s*cast|starcast|(?:ke|ki|wali|wale|waali|waale)\s+(?:actress(?:es)?|actors?"
    r"|heroines?|heroes?|kalakar|cast)|(?:mein|me)\s+(?:kaam|kam))\b",
    re.IGNORECASE,
)
# ... in Hindi and Marathi: "बॉम्बे वेलवेट की कास्ट", "... के कलाकार", "... मधले कलाकार", "... में
# किसने काम किया", "... की हीरोइन" (the postpositions of, from, in before the film's people)
_CAST_AFTER_DEV = re.compile(
    r"\s*(?:के|की|का|वाले|वाली|वाल्या|मधले|मधील|मधल्या|मधली|मधला|मध्ये|में|च्या|ची|चे|चा)\s+"
    r"(?:कास्ट|स्टारकास्ट|स्टार\s*कास्ट|कलाकार|कलाकारों|अभिनेता|अभिनेते|अभिनेत्री|अभिनेत्रियां|अभिनेत्रियाँ|अभिनेत्रियों"
    r"|हीरोइन|हिरोईन|हीरो|हिरो|नायिका|नायक|किसने|कौन)(?![\w\u0900-\u0DFF])"
)
_DEVANAGARI_WORD = re.compile(r"[\u0900-\u097F]+")
# "the cast of Mard", "the film Lajja": what follows names a film, one word or more
_CAST_OF = re.compile(
    r"(?:\b(?:cast|crew|star\s*cast)\s+of|\b(?:film|movie|picture|serial|show))\s+(?:the\s+)?$",
    re.IGNORECASE,
)


# Words a casting request is made of: a run of nothing else ("Ladies Only", "Bhai Bhai",
# "Bombay to Goa") is read as the request it also is, unless quoted, dated or after "the cast
# of" ("only", Hindi "sirf"/"bas": Oxford, McGregor)
_ORDINARY = frozenset(
    w.lower() for w in (*FEMALE, *MALE, *WEAK_MALE, *STOP_WORDS, *NUM_WORDS, "only", "sirf", "bas")
) | frozenset(w.lower() for table in (LANGUAGES, CITIES) for k, v in table.items() for w in (k, *v))


def _says_more(words: list[str]) -> bool:
    """Does a run hold a word no request is made of (a number of three digits or more
    counts: "Chachi 420"; one or two digits may be an age)?"""
    return any(len(w) > 2 if w.isdigit() else w.lower().rstrip(".") not in _ORDINARY for w in words)


def _titled(word: str) -> bool:
    return word[:1].isupper() or word[:1].isdigit()


def candidates(text: str) -> Iterator[str]:
    """Parts of `text` written as a title: quoted, or capitalised runs (see above)."""
    for m in _QUOTED.finditer(text):
        yield next(g for g in m.groups() if g).strip()
    words = [(m.start(), _end(text, m), m.group()) for m in _WORD.finditer(text)]
    for i, (start, _, first) in enumerate(words):
        if not _titled(first):
            continue
        for j in range(i, min(i + _MAX_WORDS, len(words))):
            _, end, word = words[j]
            gap = text[words[j - 1][1] : words[j][0]] if j > i else ""
            if not re.fullmatch(r"[\s:&-]*", gap):
                break  # a comma, bracket or full stop ends a title
            if not _titled(word) and word.lower() not in _JOINERS:
                break
            span = text[start:end]
            lettered = any(w[:1].isupper() for _, _, w in words[i : j + 1])
            if not _titled(word) or not lettered:
                continue  # a joiner ends no title; "25 and 32" is an age, not a title
            if _YEAR_AFTER.match(text, end) or _cue_before(_CAST_OF, text, start):
                yield span  # dated or named as a film: a title, whatever its words
            elif j > i and _says_more([w for _, _, w in words[i : j + 1]]):
                yield span
    yield from _cued(text, words)
    yield from _dated_devanagari(text, words)
    yield from _dated_lower(text, words)


# a year after a word in lower case: "lajja 2001 ka cast", "border 97", "krantiveer '94";
# two digits only when no age range or limit goes on ("dancer 25-30", "model 25 se upar")
_YEAR_NEXT = re.compile(
    r"\s*(?:(?:19|20)\d{2}(?!\d)|'?\d{2}(?!\d)(?!\s*(?:[-–+/]|to\b|plus\b|yrs?\b|years?\b"
    r"|saal\b|sal\b|se\b|ke\s+(?:upar|neeche|niche|aas)|and\b|or\b|ya\b|y/?o\b|ish\b)))"
)
# ... and not a word of a request: a skill, a profession ("dancer 25" is no film's year)
_WORKS = frozenset(
    w.lower() for table in (SKILLS, PROFESSIONS) for k, v in table.items() for w in (k, *v)
)


def _dated_lower(text: str, words: list[tuple[int, int, str]]) -> Iterator[str]:
    """One word in lower case right before a year (with capitals it is read above): which
    word is a title, the catalogue's credits decide."""
    for start, end, word in words:
        if (
            not _titled(word)
            and _YEAR_NEXT.match(text, end)
            and _says_more([word])
            and word.lower() not in _WORKS
        ):
            yield text[start:end]


def _dated_devanagari(text: str, words: list[tuple[int, int, str]]) -> Iterator[str]:
    """Runs of Devanagari words right before a year: "मृत्युदंड (1997)" (a script with no
    capitals marks a title by its year, quotes or cue; which run is the title, the
    catalogue's credits decide)."""
    for i, (start, _, first) in enumerate(words):
        if not _DEVANAGARI_WORD.fullmatch(first):
            continue
        for j in range(i, min(i + _MAX_WORDS, len(words))):
            _, end, word = words[j]
            if not _DEVANAGARI_WORD.fullmatch(word) or (
                j > i and not re.fullmatch(r"\s+", text[words[j - 1][1] : words[j][0]])
            ):
                break
            if _YEAR_AFTER.match(text, end) and _says_more([w for _, _, w in words[i : j + 1]]):
                yield text[start:end]  # not "अभिनेत्री 1990 में जन्मी" (also a film's name)


def _cued(text: str, words: list[tuple[int, int, str]]) -> Iterator[str]:
    """Runs of two or more words, in any case, right beside a word for a film's people:
    "son of sardaar cast", "bombay talkies wali actresses", "who acted in dulhe raja"."""
    for i, (start, _, _) in enumerate(words):
        before = _cue_before(_CAST_OF, text, start) or _cue_before(_ACTED_IN, text, start)
        for j in range(i + 1, min(i + _MAX_WORDS, len(words))):
            if not re.fullmatch(r"[\s:&-]*", text[words[j - 1][1] : words[j][0]]):
                break
            end = words[j][1]
            after = _CAST_AFTER.match(text, end) or _CAST_AFTER_DEV.match(text, end)
            if (before or after) and _says_more([w for _, _, w in words[i : j + 1]]):
                yield text[start:end]


def _cue_before(cue: re.Pattern[str], text: str, start: int) -> bool:
    """Does `cue` end right before `start`? Only the last few words are looked at, so a
    pasted breakdown costs a scan of its length, not of its length squared."""
    return cue.search(text, max(0, start - _CUE_CHARS), start) is not None


def _end(text: str, word: re.Match[str]) -> int:
    """Where a word ends, with its full stop when it is an abbreviation ("Mr.", "No.")."""
    dotted = _ABBREVIATION.fullmatch(text, word.start(), word.end() + 1)
    return word.end() + 1 if dotted else word.end()


async def named(services: Services, text: str, scope: Sequence[str]) -> list[str]:
    """The parts of `text` that name a credit some profile in `scope` holds, longest
    first and not overlapping."""
    spans = sorted(set(candidates(text)), key=len, reverse=True)
    if not spans:
        return []
    keys = {title_key(s): s for s in spans}
    sounds = {k: s for s in spans if not s.isascii() for k in said_keys(s) if len(k) >= 3}
    hit = [CreditRow.title_key.in_(sorted(keys))]
    if sounds:
        hit.append(CreditRow.sound_key.in_(sorted(sounds)))
    query = (
        select(CreditRow.title_key, CreditRow.sound_key)
        .join(Talent, Talent.row_id == CreditRow.talent_row_id)
        .where(or_(*hit), Talent.workspace.in_(scope), *indexable())
        .distinct()
    )
    async with services.sessions() as session:
        found = (await session.execute(query)).all()
    held = {keys[k] for k, _ in found if k in keys} | {sounds[s] for _, s in found if s in sounds}
    out: list[str] = []
    for span in spans:  # longest first: "Raja Rani" before "Raja"
        if span in held and not any(span in longer for longer in out):
            out.append(span)
    return out


async def read_as_titles(
    services: Services, parsed: ParsedQuery, scope: Sequence[str]
) -> ParsedQuery:
    """`parsed` again with the titles it names shielded from the filters, when that changes
    them; said in `assumed`, so the person can see and correct it."""
    if parsed.titles:
        return parsed
    titles = await named(services, parsed.text, scope)
    if not titles:
        return parsed
    again = parse(parsed.text, titles=titles)
    if again.filters == parsed.filters:
        return parsed
    notes = tuple(f"'{t}' read as a title, not as a filter" for t in again.titles)
    return replace(again, assumed=again.assumed + notes)
