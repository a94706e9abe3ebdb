"""People's names across scripts: "प्रीती झिंटा" is the catalogue's "Preity Zinta".

A name in an Indic script (Devanagari, Bengali, Gurmukhi, Gujarati, Odia, Tamil, Telugu,
Kannada, Malayalam) is romanised by `indic_transliteration` (ISO 15919), its silent inherent
vowels dropped by Hindi's schwa deletion, then its diacritics; a catalogue name is Latin
already. Both are folded to how the name is said, by general rules of romanising Indian
names, not by any one spelling:
- the short a goes (romanisations write a schwa or leave it out: "Chawla", "चावला");
- aspiration goes (kh, gh, ch, jh, th, dh, ph, bh are written with or without the h);
  sh (ś, ṣ) is s, ph is f, an English c before e/i is s and otherwise k;
- vowel length goes, and the other vowels fall into two classes, i (i, ī, e, ai, y) and u
  (u, ū, o, au, the English ô), as names are spelled either way ("Preity", "प्रीती");
- an h closing a syllable is not said ("John", "जॉन"); w is v, z is j, q is k, x is ks;
  a nasal before a consonant is n (the anusvara); doubled letters are one.
The consonants left (`skeleton`) are what names are looked up by (`Talent.name_sound`);
the whole folded name (`said`) then decides: equal, or, for a name of four consonants or
more, nearly equal (a Latin spelling may write a vowel the script leaves out: "Mukerji",
"मुखर्जी").
"""

from __future__ import annotations

import asyncio
import difflib
import functools
import re
import unicodedata
from collections.abc import Callable, Iterable

# Unicode blocks of the Indic scripts the library reads, by its scheme names
_SCRIPTS = (
    ("\u0900", "\u097f", "devanagari"),
    ("\u0980", "\u09ff", "bengali"),
    ("\u0a00", "\u0a7f", "gurmukhi"),
    ("\u0a80", "\u0aff", "gujarati"),
    ("\u0b00", "\u0b7f", "oriya"),
    ("\u0b80", "\u0bff", "tamil"),
    ("\u0c00", "\u0c7f", "telugu"),
    ("\u0c80", "\u0cff", "kannada"),
    ("\u0d00", "\u0d7f", "malayalam"),
)
INDIC = re.compile(r"[\u0900-\u0d7f]")
_RUN = re.compile(r"[\u0900-\u0d7f]+")
# Malayalam's chillu letters are a consonant with a virama (Unicode's own equivalence),
# which the library does not read
_CHILLU = str.maketrans(
    {
        "\u0d7a": "\u0d23\u0d4d",
        "\u0d7b": "\u0d28\u0d4d",
        "\u0d7c": "\u0d30\u0d4d",
        "\u0d7d": "\u0d32\u0d4d",
        "\u0d7e": "\u0d33\u0d4d",
    }
)
MIN_FUZZY = 4  # consonants a name needs before a nearly equal spelling counts
_NEAR = 0.8  # how nearly equal (difflib's ratio of the folded names)


@functools.cache
def _transliterate() -> Callable[[str, str, str], str]:
    """The library's transliterate, imported when first needed: loading its scheme tables
    takes a quarter of a second, which a Latin-only import or CLI start need not pay."""
    from indic_transliteration.sanscript import transliterate

    return transliterate


async def ready() -> None:
    """Load the transliteration tables off the event loop (once)."""
    if _transliterate.cache_info().currsize == 0:
        await asyncio.to_thread(_transliterate)


def _script(run: str) -> str | None:
    return next((name for low, high, name in _SCRIPTS if low <= run[0] <= high), None)


def romanised(text: str) -> str:
    """`text` with its Indic-script words in plain Latin letters, as said ("जॉन अब्राहम" ->
    "jon abraham", "चावला" -> "chavla"), the rest as it was."""

    def latin(m: re.Match[str]) -> str:
        run = m.group(0).translate(_CHILLU)
        script = _script(run)
        said = _transliterate()(run, script, "iso") if script else run
        said = _without_schwa(unicodedata.normalize("NFC", said))
        plain = unicodedata.normalize("NFKD", said).encode("ascii", "ignore").decode()
        return plain.replace("c", "ch")  # ISO's c is च, written "ch" (and छ "chh")

    return _RUN.sub(latin, text)


# ISO 15919's vowels (long ones, diphthongs and the English o first) and its consonants
# (an aspirate, "kh", is one)
_VOWELS = r"ai|au|r̥̄|r̥|l̥|[āīūēōôêæaiueo]"
_UNIT = re.compile(_VOWELS + r"|[^\Waiueoāīūēōôêæ]\W*(?:h(?![aiueoāīūēōôêæ]\W*h))?")
_VOWEL = re.compile(_VOWELS)
_WORD = re.compile(r"(?:[^\W\d_]|[\u0300-\u036f])+")  # letters and their combining marks


def _without_schwa(iso: str) -> str:
    """Hindi's schwa deletion (Ohala's rule): the inherent a the script writes is not said
    at a word's end, nor between a vowel and consonant and a consonant and vowel, from the
    right ("शाहरुख" śāharukha -> śāhrukh, "सिमरन" simarana -> simran)."""
    return _WORD.sub(lambda m: _word_without_schwa(m.group(0)), iso)


def _word_without_schwa(word: str) -> str:
    units = _UNIT.findall(word)
    if "".join(units) != word:
        return word  # something the rule does not know: left as written
    for i in range(len(units) - 1, 1, -1):
        if units[i] != "a" or _vowel(units[i - 1]):
            continue  # only the inherent a, after a consonant
        vowel_before = _vowel(units[i - 2])
        end = i == len(units) - 1
        inside = i + 2 < len(units) and not _vowel(units[i + 1]) and _vowel(units[i + 2])
        if end or (vowel_before and inside):
            del units[i]
    return "".join(units)


def _vowel(unit: str) -> bool:
    return _VOWEL.fullmatch(unit) is not None


def said(name: str) -> str:
    """A name folded to how it is said (see the module's note): "Preity Zinta" and
    "प्रीती झिंटा" both give "pritijint"."""
    s = unicodedata.normalize("NFKD", romanised(name)).encode("ascii", "ignore").decode()
    s = " " + re.sub(r"[^a-z]+", " ", s.lower()) + " "
    s = re.sub(r" hr", " r", s)  # ऋ written "hri" ("Hrithik", "ऋतिक")
    s = s.replace("ph", "f").replace("ch", "C")  # C: च, written "ch" or (ISO) "c"
    s = re.sub(r"c(?=[eiy])", "s", s).replace("c", "k").replace("C", "c")  # English c
    s = re.sub(r"([kgCjtdbrs])h", r"\1", s)  # aspirates, and sh (ś, ṣ) as s
    s = re.sub(r"(?<=[aeiouy])h(?![aeiouy])", "", s)  # an h after a vowel, unsaid ("John")
    s = s.translate(str.maketrans("wzqeoy", "vjkiui")).replace("x", "ks")
    s = re.sub(r"[mn](?=[bcdfgjklpqrstvxz])", "n", s)  # the anusvara before a consonant
    s = re.sub(r"[a\s]+", "", s)  # the short a, written or not; and word breaks
    return re.sub(r"(.)\1+", r"\1", s)[:300]


def skeleton(name: str) -> str:
    """The consonants of `said(name)`: what names are looked up by."""
    return re.sub(r"(.)\1+", r"\1", re.sub(r"[iu]", "", said(name)))[:300]


def same(asked: str, name: str) -> bool:
    """Does `asked` (as a query writes it, in any script) say the name `name`?"""
    a, b = said(asked), said(name)
    if not a or not b or _one_word(asked) != _one_word(name):
        return False  # a lone word ("दीक्षित") is no part of a longer name (Deeksha Seth)
    if a == b:
        return True
    bones = skeleton(asked)
    return (
        len(bones) >= MIN_FUZZY
        and bones == skeleton(name)
        and difflib.SequenceMatcher(None, a, b).ratio() >= _NEAR
    )


def _one_word(name: str) -> bool:
    return len(re.findall(r"[^\W\d_]+", romanised(name))) == 1


def best(asked: str, names: Iterable[str]) -> list[str]:
    """The `names` that `asked` says, the closest first."""
    a = said(asked)
    found = [n for n in names if same(asked, n)]
    return sorted(found, key=lambda n: -difflib.SequenceMatcher(None, a, said(n)).ratio())
