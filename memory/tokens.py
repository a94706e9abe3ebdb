"""A fast token estimate for budgeting (no tokenizer call on the hot path).

Latin text runs about four characters per token; Devanagari and other non-Latin scripts
far fewer, so they are counted more heavily. It errs on the side of overcounting.
"""

from __future__ import annotations


def estimate_tokens(text: str) -> int:
    if not text:
        return 0
    if text.isascii():  # the common case, without a per-character loop
        return 1 + len(text) // 4
    non_ascii = sum(1 for ch in text if ord(ch) > 127)
    return 1 + (len(text) - non_ascii) // 4 + (non_ascii * 2) // 3
