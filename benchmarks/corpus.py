"""Realistic, varied texts for the benchmarks, so no cache (embeddings, recall) skips work
that real traffic costs: the casting recall set's messages and questions
(`memory/eval/recall_set.txt`) and the real-people search queries
(`talent/eval/real_queries.jsonl`), English, Hindi, Marathi and Hinglish."""

from __future__ import annotations

import functools
import json
import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_LINE = re.compile(r"^(?:m\d+|Q):\s*(.+)$")


@functools.cache
def texts() -> tuple[str, ...]:
    """Every message and question of the two sets (a few hundred distinct texts)."""
    found: list[str] = []
    recall = (ROOT / "memory" / "eval" / "recall_set.txt").read_text(encoding="utf-8")
    for line in recall.splitlines():
        match = _LINE.match(line.strip())
        if match:
            found.append(match.group(1))
    queries = (ROOT / "talent" / "eval" / "real_queries.jsonl").read_text(encoding="utf-8")
    found += [json.loads(line)["query"] for line in queries.splitlines() if line.strip()]
    return tuple(dict.fromkeys(found))


def message(rng: random.Random | None = None) -> str:
    """One person's message: a text of the sets, never twice the same string."""
    rng = rng or random.Random()
    return f"{rng.choice(texts())} ({rng.randrange(10**6):06d})"


def reply(closing: str, rng: random.Random | None = None) -> str:
    """An answer shaped like Claude's: a paragraph of two or three of the sets' sentences,
    then `closing` (a fixed last paragraph, so a driver can tell the reply is whole)."""
    rng = rng or random.Random()
    return " ".join(rng.sample(texts(), rng.randint(2, 3))) + "\n\n" + closing
