"""Words for lexical recall: the terms of a text, and a BM25 index over a partition's items.

Dense recall finds paraphrases; names, rare words and numbers ("LGBTQ", "Inspector
Yadav", "2022") are found more reliably by the words themselves. Terms are lower-cased,
stemmed (Snowball, English) content words; Devanagari words are kept as they are.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

import numpy as np
import snowballstemmer

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|[\u0900-\u097f]+")
# Function words of English and of romanised Hindi: they say nothing about a topic.
_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "of",
        "for",
        "to",
        "in",
        "on",
        "at",
        "by",
        "with",
        "from",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "am",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "who",
        "whom",
        "whose",
        "what",
        "which",
        "when",
        "where",
        "why",
        "how",
        "did",
        "do",
        "does",
        "doing",
        "done",
        "we",
        "our",
        "ours",
        "us",
        "you",
        "your",
        "yours",
        "i",
        "me",
        "my",
        "mine",
        "he",
        "she",
        "his",
        "her",
        "hers",
        "him",
        "they",
        "them",
        "their",
        "theirs",
        "there",
        "here",
        "not",
        "no",
        "yes",
        "can",
        "could",
        "should",
        "would",
        "will",
        "shall",
        "may",
        "might",
        "must",
        "have",
        "has",
        "had",
        "having",
        "any",
        "some",
        "as",
        "so",
        "if",
        "but",
        "about",
        "after",
        "before",
        "now",
        "then",
        "than",
        "too",
        "very",
        "just",
        "also",
        "still",
        "only",
        "again",
        "all",
        "ever",
        "every",
        "get",
        "got",
        "go",
        "going",
        "let",
        "lets",
        "say",
        "said",
        "tell",
        "told",
        "like",
        "really",
        "much",
        "many",
        "more",
        "most",
        "such",
        "own",
        "same",
        "other",
        "into",
        "over",
        "under",
        "up",
        "down",
        "out",
        "off",
        "one",
        "ever",
        "s",
        "t",
        "re",
        "ve",
        "ll",
        "d",
        "m",
        "kya",
        "kaun",
        "kaunsi",
        "kaunsa",
        "kis",
        "kisko",
        "kab",
        "kahan",
        "kaisa",
        "kaisi",
        "kitni",
        "kitna",
        "ke",
        "ki",
        "ka",
        "ko",
        "hai",
        "tha",
        "thi",
        "the",
        "hona",
        "honi",
        "chahiye",
        "mein",
        "se",
        "ne",
        "bhi",
        "aur",
        "ya",
        "par",
        "pe",
        "wala",
        "wali",
        "wale",
        "yeh",
        "woh",
    ]
)
_STEMMER = snowballstemmer.stemmer("english")
K1, B = 1.2, 0.75


def stem(word: str) -> str:
    if not word.isascii() or word.isdigit():
        return word
    return _stem_ascii(word)


# Only the words the stemmer reads are cached: numbers (a phone number, a fee, a date) and
# Devanagari words come back as they are, and each new number would have taken a place.
@lru_cache(maxsize=200_000)
def _stem_ascii(word: str) -> str:
    return _STEMMER.stemWord(word.split("'")[0])


_NAME = re.compile(r"\b[A-Z][a-zA-Z]+|[A-Z]{2,}")


def entities(text: str) -> list[str]:
    """The names a text mentions (capitalised words: people, places, projects, roles), as
    terms. A sentence's first word counts too: a speaker's "Melanie:" is one."""
    found = (stem(w.lower()) for w in _NAME.findall(text))
    return list(dict.fromkeys(w for w in found if w not in _STOP and len(w) > 1))


def query_entities(text: str) -> list[str]:
    """The names a question asks about: capitalised words past its first one (which is
    capitalised anyway), or the first one when it is no function word."""
    words = _NAME.findall(text)
    start = text.lstrip()
    names = [w for w in words if not start.startswith(w)] + [
        w for w in words[:1] if start.startswith(w) and w.lower() not in _STOP
    ]
    return list(dict.fromkeys(s for s in (stem(w.lower()) for w in names) if s not in _STOP))


# A transcript line's speaker label: "Maria: …", "Rohan Mehra: …" (one or two capitalised
# words, then a colon) at the start of a text.
_SPEAKER = re.compile(r"\s*([A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)?):\s")


def speakers(text: str) -> list[str]:
    """The speaker label of a text written as a transcript line ("Maria: I joined a gym"),
    as terms; none for a plain message."""
    match = _SPEAKER.match(text)
    if not match:
        return []
    found = (stem(w.lower()) for w in match.group(1).split())
    return [w for w in dict.fromkeys(found) if w not in _STOP and len(w) > 1]


MIN_TOPIC_TERMS = 1  # no content word left without the names: keep the question whole


def topic(text: str) -> str:
    """A question without the names it asks about, for its query vector.

    In a long history of a few people nearly every line is about one of them, so a name
    in the query vector pulls in lines for who they are about, not for what is asked
    ("What European countries has Maria been to?" finds Maria's lines, not the trips).
    The names are still matched by their words (BM25 and the entity lift); a question
    that is mostly a name ("Who is Rohan Mehra?") is kept whole.
    """
    start = text.lstrip()
    names = [w for w in _NAME.findall(text) if not start.startswith(w)]
    if not names:
        return text
    rest = text
    for name in dict.fromkeys(names):
        rest = re.sub(rf"\b{re.escape(name)}(?:'s)?\b", " ", rest)
    rest = re.sub(r"\s+", " ", rest).strip()
    return rest if len(terms(rest)) >= MIN_TOPIC_TERMS else text


_SENTENCE = re.compile(r"[^.!?]+[.!?]*")


def asking(text: str) -> float:
    """The share of a line (by characters) that asks rather than tells: its sentences that
    end in a question mark. "Wow! How did it feel?" is all asking; "I joined a gym last
    week. How are you?" mostly tells. A transcript line's speaker label is neither."""
    label = _SPEAKER.match(text)
    body = text[label.end() :] if label else text
    sentences = [s.strip() for s in _SENTENCE.findall(body)]
    total = sum(len(s) for s in sentences)
    return sum(len(s) for s in sentences if s.endswith("?")) / total if total else 0.0


def told(text: str) -> str:
    """A line without the sentences that only ask, when something else is left ("Wow! I
    finished my screenplay. How are you?" → "Wow! I finished my screenplay."): what the line
    tells costs the budget less. A line that only asks is kept whole."""
    if "?" not in text:
        return text
    label = _SPEAKER.match(text)
    head, body = (text[: label.end()], text[label.end() :]) if label else ("", text)
    sentences = [s.strip() for s in _SENTENCE.findall(body) if s.strip()]
    kept = [s for s in sentences if not s.endswith("?")]
    if not kept or len(kept) == len(sentences):
        return text
    return head + " ".join(kept)


@lru_cache(maxsize=8192)
def _sentences(body: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """A text's sentences with their terms, kept for the lines recalled again and again (a
    person's history is searched on every turn): a context focuses some 200 lines. Terms
    in a tuple: as a frozenset they were over half of an entry's ~1.9 KB (8,192 entries)."""
    found = (s.strip() for s in _SENTENCE.findall(body))
    return tuple((s, tuple(dict.fromkeys(terms(s)))) for s in found if s)


def focused(text: str, focus: frozenset[str] | set[str]) -> str:
    """A line by its sentences that hold one of the question's topic terms, each with the
    sentences either side (what the topic word is about is often said beside it: "I joined
    a nearby church. I wanted to feel closer to my faith."), keeping the speaker label, so
    the budget holds more lines. The whole line when no sentence holds a focus term (the
    vector found it, not the words: nothing tells which sentence matters) or when every
    sentence would be kept anyway."""
    if not focus:
        return text
    label = _SPEAKER.match(text)
    head, body = (text[: label.end()], text[label.end() :]) if label else ("", text)
    if not _over_two_sentences(body):
        return text  # a hit's neighbours are all there is: nothing would be cut
    split = _sentences(body)
    sentences = [sentence for sentence, _ in split]
    hits = [n for n, (_, words) in enumerate(split) if not focus.isdisjoint(words)]
    near = (hit + step for hit in hits for step in (-1, 0, 1))
    keep = sorted({n for n in near if 0 <= n < len(sentences)})
    if not hits or len(keep) == len(sentences):
        return text
    shown, last = [], -2
    for n in keep:
        shown.append(sentences[n] if n == last + 1 else f"… {sentences[n]}")
        last = n
    return head + " ".join(shown) + (" …" if last < len(sentences) - 1 else "")


def _over_two_sentences(body: str) -> bool:
    """Has the text three sentences or more (as `_sentences` counts them)? Told without
    splitting the rest or reading its words."""
    count = 0
    for found in _SENTENCE.finditer(body):
        if not found.group().isspace():
            count += 1
            if count > 2:
                return True
    return False


def terms(text: str) -> list[str]:
    """The content terms of a text, in order (repeats kept)."""
    return [stem(w) for w in _WORD.findall(text.lower()) if w not in _STOP and len(w) > 1]


class LexicalIndex:
    """BM25 over one partition's items (positions as in the partition), append-only."""

    def __init__(self) -> None:
        self.postings: dict[str, list[int]] = {}
        self.names: dict[str, list[int]] = {}  # entity term → positions naming it
        self.speakers: dict[str, list[int]] = {}  # speaker term → lines they said
        self.lengths: list[int] = []
        self.asks: list[float] = []  # share of each item that only asks (`asking`)
        self.told: dict[int, str] = {}  # position → its text without what only asks (`told`)

    def __len__(self) -> int:
        return len(self.lengths)

    def add(self, texts: Iterable[str]) -> None:
        for text in texts:
            position = len(self.lengths)
            words = terms(text)
            self.lengths.append(len(words))
            self.asks.append(asking(text))
            if (short := told(text)) != text:  # worked out once here, not on every search
                self.told[position] = short
            for term in set(words):
                self.postings.setdefault(term, []).append(position)
            for name in entities(text):
                self.names.setdefault(name, []).append(position)
            for name in speakers(text):
                self.speakers.setdefault(name, []).append(position)

    def rebuild(self, texts: Sequence[str]) -> None:
        self.postings, self.names, self.speakers, self.lengths, self.asks = {}, {}, {}, [], []
        self.told = {}
        self.add(texts)

    def about(self, names: Sequence[str]) -> dict[int, float]:
        """Position → share of the given entities the item names."""
        out: dict[int, float] = {}
        for name in names:
            for position in self.names.get(name, ()):
                out[position] = out.get(position, 0.0) + 1 / len(names)
        return out

    def said_by(self, names: Sequence[str]) -> set[int]:
        """Positions of the transcript lines said by one of the given entities."""
        return {position for name in names for position in self.speakers.get(name, ())}

    def scores(self, query_terms: Sequence[str]) -> dict[int, float]:
        """Position → BM25 score, for the items holding any of the terms."""
        count = len(self.lengths)
        if not count:
            return {}
        average = sum(self.lengths) / count or 1.0
        out: dict[int, float] = {}
        for term in dict.fromkeys(query_terms):
            postings = self.postings.get(term)
            if not postings:
                continue
            idf = math.log(1 + (count - len(postings) + 0.5) / (len(postings) + 0.5))
            for position in postings:
                norm = K1 * (1 - B + B * self.lengths[position] / average)
                out[position] = out.get(position, 0.0) + idf * (K1 + 1) / (1 + norm)
        return out

    def nbytes(self) -> int:
        postings = [*self.postings.values(), *self.names.values(), *self.speakers.values()]
        told = sum(60 + len(t) for t in self.told.values())
        return 16 * len(self.lengths) + sum(60 + 8 * len(p) for p in postings) + told


def top(scores: dict[int, float], k: int) -> list[tuple[int, float]]:
    if not scores:
        return []
    positions = np.fromiter(scores.keys(), np.int64, len(scores))
    values = np.fromiter(scores.values(), np.float64, len(scores))
    order = np.argsort(-values)[:k]
    return [(int(positions[n]), float(values[n])) for n in order]
