"""Split WhatsApp text into messages of at most 1,600 characters, in as few messages as fit.

Cuts fall at paragraph boundaries first, then lines, then sentences, then words (a single
unbroken word longer than the limit is cut hard). A code block is never cut open: one that
fits stays whole, a longer one is cut at its lines into blocks that are each closed again.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

LIMIT = 1600  # Twilio's limit on an outbound message Body
FENCE = "```"
_SENTENCE = re.compile(r"(?<=[.!?।…])\s+")


def size(text: str) -> int:
    """Length as Twilio counts it: UTF-16 code units, so an emoji costs two."""
    return len(text.encode("utf-16-le")) // 2


def blocks(text: str) -> list[tuple[str, bool]]:
    """Paragraphs of `text` as (block, is_code); blank lines inside code fences don't split."""
    out: list[tuple[str, bool]] = []
    current: list[str] = []
    in_code = False

    def close(is_code: bool) -> None:
        chunk = "\n".join(current).strip("\n")
        if chunk.strip():
            out.append((chunk, is_code))
        current.clear()

    for line in text.split("\n"):
        if line.lstrip().startswith(FENCE):
            if not in_code:
                close(False)
                current.append(line)
                in_code = True
            else:
                current.append(line)
                close(True)
                in_code = False
            continue
        if not in_code and not line.strip():
            close(False)
            continue
        current.append(line)
    close(in_code)
    return out


def split(text: str, limit: int = LIMIT) -> list[str]:
    """Messages of at most `limit` characters carrying all of `text`, in order."""
    units: list[str] = []
    for block, is_code in blocks(text):
        if size(block) <= limit:
            units.append(block)
        elif is_code:
            units.extend(_split_code(block, limit))
        else:
            units.extend(_fit(block, limit, ("\n", "sentence", " ")))
    return _pack(units, "\n\n", limit)


def _pack(units: Sequence[str], joiner: str, limit: int) -> list[str]:
    messages: list[str] = []
    for unit in units:
        if messages and size(messages[-1]) + size(joiner) + size(unit) <= limit:
            messages[-1] = messages[-1] + joiner + unit
        else:
            messages.append(unit)
    return messages


def _fit(text: str, limit: int, levels: Sequence[str]) -> list[str]:
    if size(text) <= limit:
        return [text]
    if not levels:
        return _hard_cut(text, limit)
    level, rest = levels[0], levels[1:]
    if level == "sentence":
        parts, joiner = _SENTENCE.split(text), " "
    else:
        parts, joiner = text.split(level), level
    if len(parts) < 2:
        return _fit(text, limit, rest)
    pieces: list[str] = []
    for part in parts:
        pieces.extend(_fit(part, limit, rest) if size(part) > limit else [part])
    return _pack([p for p in pieces if p.strip()], joiner, limit)


def _hard_cut(text: str, limit: int) -> list[str]:
    pieces: list[str] = []
    current = ""
    for char in text:
        if size(current) + size(char) > limit:
            pieces.append(current)
            current = ""
        current += char
    if current:
        pieces.append(current)
    return pieces


def _split_code(block: str, limit: int) -> list[str]:
    lines = block.split("\n")
    opening, body = lines[0], lines[1:]
    if body and body[-1].strip() == FENCE:
        body = body[:-1]
    room = limit - size(opening) - size(FENCE) - 2  # two newlines around the code
    chunks: list[str] = []
    for line in body:
        chunks.extend(_hard_cut(line, room) if size(line) > room else [line])
    return [f"{opening}\n{code}\n{FENCE}" for code in _pack(chunks, "\n", room)]
