"""Resolving "the second one", "the last three", "her", "2 and 4" against the results shown."""

from __future__ import annotations

import re
from collections.abc import Sequence

_ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "pehla": 1,
    "pehli": 1,
    "pehle": 1,
    "doosra": 2,
    "doosri": 2,
    "dusra": 2,
    "dusri": 2,
    "teesra": 3,
    "teesri": 3,
    "chautha": 4,
    "chauthi": 4,
    "paanchva": 5,
    "paanchvi": 5,
    "पहला": 1,
    "पहली": 1,
    "दूसरा": 2,
    "दूसरी": 2,
    "तीसरा": 3,
    "तीसरी": 3,
    "पहिला": 1,
    "पहिली": 1,
    "दुसरा": 2,
    "दुसरी": 2,
    "तिसरा": 3,
    "तिसरी": 3,
}
_COUNTS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "do": 2,
    "teen": 3,
    "char": 4,
    "paanch": 5,
}
_LAST = r"(?:last|bottom|aakhri|akhri|आखिरी|शेवटचा|शेवटची)"
_FIRST = r"(?:first|top|pehle|पहले)"
_PRONOUNS = {
    "her",
    "him",
    "them",
    "this one",
    "that one",
    "that person",
    "this person",
    "use",
    "usko",
    "ise",
    "isko",
    "उसे",
    "इसे",
    "तिला",
    "त्याला",
}
_ALL = {"all", "all of them", "everyone", "sab", "sabko", "सब", "सबको", "सगळे"}


class UnresolvedReference(ValueError):
    """A reference that can't be resolved; the message says why, for Claude or the person."""


def _count(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    return _COUNTS.get(word)


def resolve(reference: str, shown: Sequence[str]) -> list[str]:
    """Talent ids the reference points at, in the order shown; raises when it can't tell."""
    text = re.sub(r"\s+", " ", reference.strip().lower()).removeprefix("the ").strip(" .?!")
    if not shown:
        raise UnresolvedReference("no results have been shown in this conversation yet")
    if text in shown or reference.strip() in shown:
        return [reference.strip()]
    if text in _ALL:
        return list(shown)
    if text in _PRONOUNS:
        if text == "them" or len(shown) == 1:
            return list(shown)
        raise UnresolvedReference(
            f"{len(shown)} people were shown; say which one (e.g. 'the second')"
        )
    match = re.fullmatch(
        rf"(?:{_LAST}|{_FIRST})\s+(\w+)(?:\s+(?:ones?|results?|people|of them))?", text
    )
    if match:
        count = _count(match.group(1))
        if count is None and match.group(1) in ("one", "result", "person"):
            count = 1
        if count is not None:
            count = min(count, len(shown))
            is_last = re.match(_LAST, text) is not None
            return list(shown[-count:]) if is_last else list(shown[:count])
    if re.fullmatch(rf"{_LAST}(?:\s+(?:one|result|person|wala|wali))?", text):
        return [shown[-1]]
    positions = _positions(text)
    if positions:
        out = []
        for position in positions:
            if not 1 <= position <= len(shown):
                raise UnresolvedReference(
                    f"only {len(shown)} results were shown; there is no #{position}"
                )
            out.append(shown[position - 1])
        return list(dict.fromkeys(out))
    raise UnresolvedReference(f"could not tell who {reference!r} refers to")


def _positions(text: str) -> list[int]:
    """'second', '2nd', '#2', 'number 2', '2 and 4', 'doosri wali', '1-3'."""
    span = re.fullmatch(r"#?(\d+)\s*(?:-|to)\s*#?(\d+)", text)
    if span:
        low, high = int(span.group(1)), int(span.group(2))
        return list(range(low, high + 1)) if low <= high else []
    tokens = re.split(r"\s*(?:,|and|&|aur|और|\s)\s*", text)
    out: list[int] = []
    for token in tokens:
        token = token.strip("#.")
        if token in ("", "one", "wala", "wali", "wale", "number", "no", "result", "person", "ones"):
            continue
        ordinal = re.fullmatch(r"(\d+)(?:st|nd|rd|th)?", token)
        if ordinal:
            out.append(int(ordinal.group(1)))
        elif token in _ORDINALS:
            out.append(_ORDINALS[token])
        else:
            return []
    return out
