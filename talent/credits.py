"""Credits as rows: written with each profile on import, found by title in a query.

A title is matched on its letters and digits ("3 Idiots" = "3 idiots"), on its initials
("ZNMD" = "Zindagi Na Milegi Dobara"), or on how it sounds across scripts ("ओम शांति ओम" =
"Om Shanti Om": both transliterated by `anyascii`, then spelling variants folded), so
coordinators can write it the way they say it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from anyascii import anyascii
from sqlalchemy import delete, func, insert, literal, or_, select
from sqlalchemy.dialects.postgresql import REGCONFIG
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from talent import names
from talent.index import indexable
from talent.lexical import document
from talent.models import CreditRow, Talent
from talent.query import STOP_WORDS
from talent.query_words import GLOSS

if TYPE_CHECKING:
    from bot.services import Services

_MAX_WORDS = 8  # longest title looked for in a query, in words


def title_key(title: str) -> str:
    return re.sub(r"[\W_]+", "", title.lower())[:300]


# Devanagari's vocalic r (ऋ, and its sign ृ) is said "ri" in Hindi and Marathi and so
# romanised ("मृत्युदंड" Mrityudand, "ऋषि" Rishi); anyascii writes a bare "r"
_VOCALIC_R = {"\u090b": "\u0930\u093f", "\u0943": "\u094d\u0930\u093f"}
# ... and its anusvara (ं) is an n before most consonants and at a word's end ("मैं" main,
# "शांति" Shanti), which the romanised title writes; anyascii writes an "m"
# ... as is the chandrabindu (ँ), the same nasal ("हूँ" hoon: "Main Hoon Na")
_DEVANAGARI_SAID = str.maketrans({**_VOCALIC_R, "\u0902": "\u0928\u094d", "\u0901": "\u0928\u094d"})
# English abbreviations of titles as they are said, and so written in Devanagari
# ("Mr. India" = "मिस्टर इंडिया", "Mrs." = "मिसेज़")
_SAID = {"mr": "mistr", "mrs": "misez"}


def sound_key(title: str, *, loanword: bool = False) -> str:
    """Letters as said, not spelled: Devanagari and romanised Hindi meet here. `loanword`:
    a word's last e left out, as English loanwords end in Devanagari where they are spelled
    "ay" or "ey" ("बॉम्बे" Bombay, "हॉलिडे" Holiday; a query's title is looked up both ways,
    the credits keep theirs, so "Bose" stays apart from "Boss")."""
    s = re.sub(r"[^a-z0-9]+", " ", anyascii(title.translate(_DEVANAGARI_SAID)).lower())
    s = " ".join(_SAID.get(w, w) for w in s.split())
    s = re.sub(r"([kgcjtdpbs])h", r"\1", s)  # aspirates and "sh": kh -> k, sh -> s
    s = s.replace("w", "v").replace("z", "j").replace("q", "k").replace("y", "")
    s = re.sub(r"ee|ii", "i", s)
    s = re.sub(r"oo|uu", "u", s)
    # anusvara written m or n, inside a word ("Mard", "मर्द": a word's first m is an m)
    s = re.sub(r"(?<=[a-z])[mn](?=[bcdfgjklpqrstvxz])", "n", s)
    s = re.sub(r"(.)\1+", r"\1", s)  # doubled letters
    if loanword:
        s = re.sub(r"(?<=[a-z])e(?= |$)", "", s)
    # no "a" at all: Devanagari leaves the inherent vowel unwritten, romanisations don't
    return re.sub(r"[a ]+", "", s)[:300]


def initials(title: str) -> str:
    return "".join(w[0] for w in re.findall(r"[^\W_]+", title.lower()))[:40]


def rows_for(row_id: int, credits: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "talent_row_id": row_id,
            "title": str(c["title"])[:300],
            "title_key": title_key(str(c["title"])),
            "initials": initials(str(c["title"])),
            "sound_key": sound_key(str(c["title"])),
            "year": c.get("year"),
            "role": str(c.get("role") or ""),
        }
        for c in credits
        if c.get("title")
    ]


async def replace_credits(session: AsyncSession, written: dict[int, list[dict[str, Any]]]) -> None:
    """Make the credit rows of these profiles (row_id -> credits) exactly these."""
    if not written:
        return
    await session.execute(delete(CreditRow).where(CreditRow.talent_row_id.in_(list(written))))
    rows = [r for row_id, credits in written.items() for r in rows_for(row_id, credits)]
    if rows:
        await session.execute(insert(CreditRow), rows)


@dataclass(frozen=True)
class TitleMatch:
    title: str
    year: int | None


# Hindi and Marathi words around a title that are not part of it
_NOT_TITLE = {
    *("कलाकार", "कलाकारों", "अभिनेता", "अभिनेत्री", "अभिनेते", "काम"),
    *("फिल्म", "फिल्मों", "फ़िल्म", "चित्रपट", "चित्रपटात"),
}


def said_keys(text: str) -> set[str]:
    """The sound keys a title written in a query may have: as said, and as a loanword."""
    return {sound_key(text), sound_key(text, loanword=True)}


def sound_keys(text: str) -> list[str]:
    """Sound keys of runs of Devanagari words (a title written in Hindi or Marathi)."""
    words = [w for w in re.findall(r"[\u0900-\u097F]+", text) if w not in _NOT_TITLE]
    # a title's small words are part of it ("चंबल की कसम", "कल हो ना हो", "दिल से"), but
    # none starts one
    first = [w not in STOP_WORDS for w in words]
    keys = {
        key
        for i in range(len(words))
        for j in range(i + 1, min(i + _MAX_WORDS, len(words)) + 1)
        if first[i]
        if j - i > 1 or words[i] not in GLOSS  # "पुरस्कार" alone is "award", not a title
        for key in said_keys(" ".join(words[i:j]))
    }
    # one short word is a title too when quoted or dated ("'लज्जा' (2001)": Lajja)
    short = _short_keys(text)
    return sorted({k for k in keys if len(k) >= 3} | short)


_DATED_WORD = re.compile(
    r"(?<![\u0900-\u097F])['‘\"“]?([\u0900-\u097F]+)(?:['’\"”]\s*|\s*)\(?\s*(?:19|20)\d{2}\b"
    r"|['‘\"“]([\u0900-\u097F]+)['’\"”]"
)


def _short_keys(text: str) -> set[str]:
    return {k for m in _DATED_WORD.finditer(text) for k in said_keys(m.group(1) or m.group(2))}


def candidate_keys(text: str) -> tuple[list[str], list[str]]:
    """Title keys (runs of words) and initials (single upper-case words) a query may name.
    A single word counts as a title only when written with a capital or a digit, so
    "love stories" does not become the film "Love"."""
    words = re.findall(r"[^\W_]+", text)
    keys: set[str] = set()
    for start in range(len(words)):
        for end in range(start + 1, min(start + _MAX_WORDS, len(words)) + 1):
            run = words[start:end]
            if len(run) == 1 and not (
                run[0][:1].isupper() or run[0].isdigit() or _dated(words, end)
            ):
                continue
            if len(run) == 1 and start == 0 and not (_lone_title(words) or _dated(words, end)):
                continue  # the first word of a sentence is capitalised anyway
            keys.add(title_key(" ".join(run)))
    acronyms = [_spelled_out(w) for w in words if _ACRONYM.fullmatch(w)]
    acronyms = [a for a in acronyms if len(a) >= 3]
    return sorted(k for k in keys if len(k) >= 2), acronyms


def _dated(words: list[str], end: int) -> bool:
    """Is the word before `end` followed by a year ("lajja 2001")? A word typed in lower
    case names a film then too (two digits are as likely an age: left to titles.py)."""
    return end < len(words) and _YEAR_WORD.fullmatch(words[end]) is not None


_YEAR_WORD = re.compile(r"(?:19|20)\d{2}")


# "ZNMD", and "K3G": a digit after a letter repeats it (Kabhi Khushi Kabhie Gham)
_ACRONYM = re.compile(r"(?=.*[A-Z].*[A-Z0-9])(?:[A-Z][2-4]?){2,}[A-Z]?")


def _spelled_out(acronym: str) -> str:
    return re.sub(r"([a-z])(\d)", lambda m: m.group(1) * int(m.group(2)), acronym.lower())


def name_runs(text: str) -> dict[str, str]:
    """Title keys lying strictly inside a run of two or more capitalised words, with that
    run: "boss" -> "Bigg Boss", "dixit" -> "Madhuri Dixit"."""
    words = re.findall(r"[^\W_]+", text)
    out: dict[str, str] = {}
    start = 0
    for end in range(len(words) + 1):
        if end < len(words) and words[end][:1].isupper() and words[end].lower() not in _FILLER:
            continue
        for i in range(start, end):
            for j in range(i + 1, end + 1):
                if (i, j) != (start, end):
                    out.setdefault(title_key(" ".join(words[i:j])), " ".join(words[start:end]))
        start = end + 1
    return out


def _lone_title(words: list[str]) -> bool:
    """A capitalised first word still names a title when nothing else in the query says
    anything ("Border (1997) cast", "Lajja wali actresses"): the rest is years and filler."""
    rest = [w for w in words[1:] if not w.isdigit() and w.lower() not in _FILLER]
    return bool(words) and not rest


_FILLER = STOP_WORDS | {"actresses", "actress", "film", "films", "movie", "starcast", "kalakar"}


async def matches(
    services: Services,
    text: str,
    where: Sequence[ColumnElement[bool]],
    titles: Sequence[str] = (),
) -> dict[int, list[TitleMatch]]:
    """row_id -> the credits named in `text`, among the profiles `where` allows. Only the
    longest title named counts ("Zindagi Na Milegi Dobara", not also "Dobara"). `titles`:
    the titles the query was read with (see talent.titles), a lower-case one too."""
    keys, acronyms = candidate_keys(text)
    keys = sorted({*keys, *(title_key(t) for t in titles)})
    sounds = sound_keys(text)
    if not keys and not acronyms and not sounds:
        return {}
    hit = [CreditRow.title_key.in_(keys)] if keys else []
    if sounds:
        hit.append(CreditRow.sound_key.in_(sounds))
    if acronyms:
        hit.append(CreditRow.initials.in_(acronyms))
    query = (
        select(
            CreditRow.talent_row_id,
            CreditRow.title,
            CreditRow.title_key,
            CreditRow.year,
            CreditRow.sound_key,
        )
        .join(Talent, Talent.row_id == CreditRow.talent_row_id)
        .where(or_(*hit), *indexable(), *where)
    )
    async with services.sessions() as session:
        found = (await session.execute(query)).all()
    found = await _not_part_of_a_name(services, found, name_runs(text))
    if not found:
        return {}
    # the longest title named, by what matched it: its letters, or (a title written in
    # Devanagari) its sound, so two spellings of one film ("Mrityudata", "Mrityudaata")
    # both count
    said, heard = set(keys), set(sounds)
    by_sound = {i for i, row in enumerate(found) if row[2] not in said and row[4] in heard}
    letters = [len(row[2]) for i, row in enumerate(found) if i not in by_sound] or [0]
    sounds_ = [len(row[4]) for i, row in enumerate(found) if i in by_sound] or [0]
    out: dict[int, list[TitleMatch]] = {}
    for i, (row_id, title, key, year, sound) in enumerate(found):
        longest = len(sound) == max(sounds_) if i in by_sound else len(key) == max(letters)
        if longest or key in acronyms:
            out.setdefault(int(row_id), []).append(TitleMatch(title, year))
    return out


async def _not_part_of_a_name(
    services: Services, found: list[Any], runs: dict[str, str]
) -> list[Any]:
    """Drop titles matched by a part of a longer capitalised name that profiles mention
    as a whole: "Bigg Boss" is a show in the bios, not the film "Boss"."""
    wider = {runs[row[2]] for row in found if row[2] in runs}
    if not wider:
        return found
    known = set()
    async with services.sessions() as session:
        for phrase in sorted(wider):
            query = func.phraseto_tsquery(literal("simple").cast(REGCONFIG), phrase)
            hit = await session.scalar(
                select(Talent.row_id).where(*indexable(), document().op("@@")(query)).limit(1)
            )
            if hit is not None:
                known.add(phrase)
    return [f for f in found if runs.get(f[2]) not in known]


_WITH = re.compile(
    # ("w/": with, as abbreviated in notes and texts, Oxford)
    # (Marathi सोबत, बरोबर also typed "sobat", "barobar": Molesworth)
    r"(?<![\w\u0900-\u097F])(?:with|w/(?!o)|alongside|opposite|saath|sath|के\s+साथ|सोबत|बरोबर"
    r"|sobat|barobar"
    # ... and a co-star's (Oxford: co-star, a performer appearing with another): "co-stars
    # of Rekha", "जॉन अब्राहम के को-स्टार" (romanised first: "ko-star")
    r"|co-?stars?\s+of|ko-?s?tar)"
    r"(?![\w\u0900-\u097F])",
    re.IGNORECASE,
)


# one word beside "with" may be a one-word screen name ("worked with Kajol", "Rekha ke
# saath"): only there, since alone a word is rarely a name
_ONE_AFTER = re.compile(r"\s+([^\W\d_]{3,})(?![\w'])")
_ONE_BEFORE = re.compile(
    r"(?<![\w'])([^\W\d_]{3,})(?:\s+(?:ji|जी|sir|saab|sahab|madam))?\s+(?:(?:ke|के|ki|की)\s+)?$"
)
# a name written in an Indic script is read romanised (talent.names: "हेमा मालिनी" -> "hema
# malini") and matched by how it sounds; a Marathi postposition glued on ("काजोलसोबत",
# "...च्यासोबत") is taken apart first
_GLUED = re.compile(r"(?<=[\u0900-\u097F])(?:च्या)?(सोबत|बरोबर)")
_WITH_WORDS = frozenset({"साथ", "सोबत", "बरोबर"})


def _romanised(text: str) -> str:
    text = _GLUED.sub(r" \1", text).replace("सोबत", " sobat ").replace("बरोबर", " barobar ")
    return names.romanised(text).lower()


def _one_word_names(text: str) -> set[str]:
    found = set()
    for m in _WITH.finditer(text):
        english = not m.group(0).lower().startswith(("saath", "sath", "sobat", "barobar", "ko"))
        after = _ONE_AFTER.match(text, m.end()) if english else None
        # Hindi and Marathi postpositions follow the name
        before = None if english else _ONE_BEFORE.search(text, max(0, m.start() - 40), m.start())
        found |= {w.group(1) for w in (after, before) if w}
    return found - STOP_WORDS


@dataclass(frozen=True)
class NamesSaid:
    """The names a query may give for the one worked with: as typed (`name_key`s), and
    runs of words typed in an Indic script, romanised, to be matched by sound."""

    typed: set[str]
    spoken: set[str]


def names_said(text: str) -> NamesSaid:
    """Runs of two to four words, or one word beside "with"; none when it says no "with"."""
    said = _romanised(text.lower())
    if not _WITH.search(said):
        return NamesSaid(set(), set())
    words = re.findall(r"[^\W_]+", said)
    runs = {" ".join(words[i : i + n]) for n in (2, 3, 4) for i in range(len(words) - n + 1)}
    runs |= _one_word_names(said)
    # runs of words typed in an Indic script, none a stop word ("के", "काम")
    indic = [
        (w, bool(names.INDIC.search(w)) and w not in STOP_WORDS | _WITH_WORDS)
        for w in re.findall(r"(?:[^\W_]|[\u0900-\u0D7F])+", _GLUED.sub(r" \1", text.lower()))
    ]
    spoken = {
        " ".join(_romanised(w).strip() for w, _ in indic[i : i + n])
        for n in (1, 2, 3, 4)
        for i in range(len(indic) - n + 1)
        if all(ok for _, ok in indic[i : i + n])
    }
    spoken = {r for r in spoken if " " in r or r in runs}  # one word only beside "with"
    return NamesSaid(runs - spoken, spoken)


async def _named(services: Services, text: str, scope: Sequence[str]) -> list[int]:
    """Row ids of the people `text` says it worked with."""
    if names.INDIC.search(text):
        await names.ready()
    return await people(services, names_said(text), scope)


async def people(services: Services, said: NamesSaid, scope: Sequence[str]) -> list[int]:
    """Row ids of the people named: by their name as typed, or by its sound for a name
    typed in another script (the closest spelling of each)."""
    if not said.typed and not said.spoken:
        return []
    sounds = sorted({names.skeleton(run) for run in said.spoken} - {""})
    async with services.sessions() as session:
        rows = (
            await session.execute(
                select(Talent.row_id, Talent.name, Talent.name_key).where(
                    or_(
                        Talent.name_key.in_(sorted(said.typed)),
                        Talent.name_sound.in_(sounds),
                    ),
                    Talent.workspace.in_(scope),
                )
            )
        ).all()
    found = {int(r) for r, _, key in rows if key in said.typed}
    by_name: dict[str, list[int]] = {}
    for row_id, name, _ in rows:
        by_name.setdefault(name, []).append(int(row_id))
    for run in said.spoken:
        closest = names.best(run, by_name)
        if closest:
            found.update(by_name[closest[0]])
    return sorted(found)


async def costars(
    services: Services, text: str, scope: Sequence[str], where: Sequence[ColumnElement[bool]]
) -> dict[int, list[TitleMatch]]:
    """ "worked with Madhuri Dixit": row_id -> the credits shared with the person named
    (same title, same year where both give one), among the profiles `where` allows."""
    named = await _named(services, text, scope)
    if not named:
        return {}
    async with services.sessions() as session:
        theirs = CreditRow.__table__.alias("theirs")
        query = (
            select(CreditRow.talent_row_id, CreditRow.title, CreditRow.year)
            .join(theirs, theirs.c.title_key == CreditRow.title_key)
            .join(Talent, Talent.row_id == CreditRow.talent_row_id)
            .where(
                theirs.c.talent_row_id.in_(named),
                CreditRow.talent_row_id.not_in(named),
                or_(
                    theirs.c.year.is_(None),
                    CreditRow.year.is_(None),
                    theirs.c.year == CreditRow.year,
                ),
                *indexable(),
                *where,
            )
        )
        found = (await session.execute(query)).all()
    out: dict[int, list[TitleMatch]] = {}
    for row_id, title, year in found:
        out.setdefault(int(row_id), []).append(TitleMatch(title, year))
    return out
