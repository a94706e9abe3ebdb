"""Names and loanwords written in Devanagari, found in English bios by their consonants.

"फ़िल्मफ़ेयर", "बिग बॉस", "पद्म श्री" are English or Sanskrit names typed in Hindi or
Marathi; the bios spell them "Filmfare", "Bigg Boss", "Padma Shri". Romanised by
`anyascii`, then reduced to a consonant skeleton (vowels, aspiration and doubled letters
dropped: Devanagari leaves vowels unwritten where English writes them, and the other way
round), both sides meet: "flmfr", "bgbs", "pdmsr". Short skeletons say too little, so a
single word needs three consonants and a pair of neighbouring words four.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterable

from anyascii import anyascii

_DEVANAGARI = re.compile(r"[\u0900-\u097F]")
_WORD = re.compile(r"[\w\u0900-\u097F]+")


def skeleton(text: str) -> str:
    """The consonants of `text` as said: "Filmfare" and "फ़िल्मफ़ेयर" both give "flmfr"."""
    text = text.replace("\u0902", "\u0928\u094d")  # anusvara: the nasal "n" ("नंदी" = Nandi)
    s = re.sub(r"[^a-z]", "", anyascii(text).lower()).replace("ph", "f")
    s = s.translate(str.maketrans("wzqc", "vjkk")).replace("x", "ks")
    s = re.sub(r"[aeiouyh]", "", s)
    return re.sub(r"(.)\1+", r"\1", s)


def query_keys(words: Iterable[str]) -> set[str]:
    """Skeletons of the Devanagari words of a query, alone and with their neighbour (which
    may be an English gloss: "नंदी award" spells "Nandi Award")."""
    words = list(words)
    keys = {skeleton(w) for w in words if _DEVANAGARI.search(w)}
    keys = {k for k in keys if len(k) >= 3}
    pairs = {
        skeleton(a) + skeleton(b)
        for a, b in itertools.pairwise(words)
        if _DEVANAGARI.search(a) or _DEVANAGARI.search(b)
    }
    return keys | {k for k in pairs if len(k) >= 4}


def spelled(keys: set[str], text: str) -> set[str]:
    """The `keys` the words of `text` (alone or with a neighbour) spell."""
    words = [skeleton(w) for w in _WORD.findall(text)]
    return keys & (set(words) | {a + b for a, b in itertools.pairwise(words)})


def scores(keys: set[str], texts: dict[int, str]) -> dict[int, float]:
    """id -> the summed rarity (inverse document frequency among `texts`) of the keys its
    text spells, for the texts spelling any."""
    if not keys:
        return {}
    found = {row_id: spelled(keys, text) for row_id, text in texts.items()}
    df = {k: sum(1 for hits in found.values() if k in hits) for k in keys}
    n = len(texts)
    rarity = {k: math.log(1 + (n - d + 0.5) / (d + 0.5)) for k, d in df.items()}
    return {row_id: sum(rarity[k] for k in hits) for row_id, hits in found.items() if hits}
