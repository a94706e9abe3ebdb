"""'Someone like Preity Zinta', 'प्रीती झिंटा जैसी कोई': a person the catalogue holds, asked
for as the model of whom to find.

The one named (by `talent.credits.people`: typed, or said in an Indic script) lends the
search their profile's embedding, beside the query's own; they are not among the results.
"Like" is English "like", "similar to"; Hindi जैसा/जैसी/जैसे (jaisa, McGregor) and Marathi
सारखा/सारखी/सारखे (Molesworth) after the name, or "type". A one-word name counts only
typed with a capital in Latin letters ("Kajol jaisi"): alone, a lower-case or Devanagari
word is as likely a word ("nani type", "नानी जैसी" is a grandmother).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from sqlalchemy import select

from talent import names
from talent.credits import NamesSaid, people
from talent.index import indexable
from talent.models import Talent
from talent.query import STOP_WORDS

if TYPE_CHECKING:
    from bot.services import Services

_W = r"[\w\u0900-\u0D7F]"
_AFTER = re.compile(
    r"(?:\s+(?:jaisa|jaisi|jaise|जैसा|जैसी|जैसे|सारखा|सारखी|सारखे|सारखं|type|टाइप)"
    # (Marathi's is glued on too: "प्रीती झिंटासारखी")
    r"|(?<=[\u0900-\u097F])(?:सारखा|सारखी|सारखे|सारखं))(?!" + _W + ")",
    re.IGNORECASE,
)
_BEFORE = re.compile(
    r"(?<!" + _W + r")(?:like|similar\s+to|resembling|in\s+the\s+mould\s+of)\s+", re.IGNORECASE
)
_WORDS = re.compile(r"(?:[^\W_]|[\u0900-\u0D7F])+")
_MAX = 4  # words in a name


@dataclass(frozen=True)
class Model:
    row_ids: frozenset[int]  # everyone of that name (one, mostly)
    name: str
    vector: np.ndarray  # the mean of their embeddings


def names_likened(text: str, recognised: Sequence[str] = ()) -> NamesSaid:
    """The names `text` asks for someone like: runs of words just before "jaisi" or just
    after "like", none a word the parser read (`recognised`: "Nani type" is a part)."""
    read = {w.lower() for phrase in recognised for w in _WORDS.findall(phrase)}
    runs: list[list[str]] = []
    for m in _AFTER.finditer(text):
        before = _WORDS.findall(text[max(0, m.start() - 120) : m.start()])
        runs += [before[-n:] for n in range(1, min(_MAX, len(before)) + 1)]
    for m in _BEFORE.finditer(text):
        after = _WORDS.findall(text[m.end() : m.end() + 120])
        runs += [after[:n] for n in range(1, min(_MAX, len(after)) + 1)]
    typed, spoken = set(), set()
    for run in runs:
        if any(w.lower() in STOP_WORDS or w.lower() in read for w in run):
            continue
        indic = [bool(names.INDIC.search(w)) for w in run]
        if all(indic) and len(run) > 1:
            spoken.add(names.romanised(" ".join(run)).lower())
        elif not any(indic) and (len(run) > 1 or run[0][:1].isupper()):
            typed.add(" ".join(run).lower())
    return NamesSaid(typed, spoken)


async def model(
    services: Services, text: str, scope: Sequence[str], recognised: Sequence[str] = ()
) -> Model | None:
    """The person `text` asks for someone like, with their profile's embedding."""
    if not _AFTER.search(text) and not _BEFORE.search(text):
        return None
    if names.INDIC.search(text):
        await names.ready()
    found = await people(services, names_likened(text, recognised), scope)
    if not found:
        return None
    async with services.sessions() as session:
        rows = (
            await session.execute(
                select(Talent.row_id, Talent.name, Talent.embedding).where(
                    Talent.row_id.in_(found), *indexable()
                )
            )
        ).all()
    if not rows:
        return None
    vectors = np.stack([np.frombuffer(row[2], dtype=np.float32) for row in rows])
    return Model(frozenset(int(row[0]) for row in rows), rows[0][1], vectors.mean(axis=0))
