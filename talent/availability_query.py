"""The availability words of a search: "available 10–20 March", "free March 10-20",
"not on hold elsewhere", "no other holds". Cut out of the query like the other filters."""

from __future__ import annotations

import re
from datetime import date
from typing import Protocol

from talent.dates import DateError, find_span

_FREE = re.compile(
    r"(?<![\w-])(?:available|free|availability)(?:\s+(?:on|from|between|for|during|in))?\s+"
)
_NOT_HELD = re.compile(
    r"(?<![\w-])(?:not\s+(?:on\s+(?:a\s+)?hold|held|pencil+ed|booked)"
    r"(?:\s+(?:elsewhere|anywhere|for\s+(?:an)?other\s+projects?))?"
    r"|no\s+(?:other\s+)?holds?|without\s+(?:other\s+|any\s+)?holds?)(?![\w-])"
)


class Cuttable(Protocol):
    text: str
    f: dict[str, object]
    hits: list[tuple[int, str]]


def take_availability(parser: Cuttable, today: date) -> None:
    """Set `available_from/to` and `not_on_hold` on the parser's filters and cut the words."""
    for match in list(_FREE.finditer(parser.text)):
        try:
            found = find_span(parser.text[match.end() :], today=today)
        except DateError:
            continue
        if found is None or found.begin != 0:
            continue
        end = match.end() + found.end
        parser.f["available_from"] = found.span.start
        parser.f["available_to"] = found.span.end
        _cut(parser, match.start(), end)
        break
    for match in list(_NOT_HELD.finditer(parser.text)):
        parser.f["not_on_hold"] = True
        _cut(parser, match.start(), match.end())


def _cut(parser: Cuttable, start: int, end: int) -> None:
    parser.hits.append((start, parser.text[start:end].strip()))
    parser.text = parser.text[:start] + " " * (end - start) + parser.text[end:]
