"""Searching memory for one person in one workspace: the only way anything is read back.

Every read is scoped here: only the asking person's private partition and their
workspace's shared one are searched (partitions are named by workspace and person, and
nothing else is ever opened for them), and a person-scope fact is re-checked against its
owner, so another person's text can't reach a context.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
from sqlalchemy.ext.asyncio import async_sessionmaker

from memory.facts import FactStore, WorkspaceFacts
from memory.lexical import query_entities, terms
from memory.rank import fuse
from memory.semantic import Hit, SemanticIndex, person_partition, workspace_partition
from memory.timefilter import TimeRange


@dataclass(frozen=True)
class Recalled:
    """One remembered item, labelled for the model."""

    kind: str  # message | fact | episode
    text: str
    at: datetime
    score: float
    role: str = ""  # for messages: user / assistant
    source_ids: tuple[int, ...] = ()  # message ids it stands for (evidence)
    superseded_at: datetime | None = None
    ref_id: int = 0  # the message, fact or episode row
    focused: bool = False  # shown by its sentences that matter to the question, not whole
    # False when recall knows it holds none of the question's words (no BM25 score): no
    # sentence of it can be cut to them, so the budget needn't look
    worded: bool = True


K_LEXICAL = 60  # items per partition found by their words beyond the nearest vectors


class Recall:
    def __init__(
        self, sessions: async_sessionmaker, index: SemanticIndex, facts: FactStore
    ) -> None:
        self._sessions = sessions
        self.index = index
        self.facts = facts

    async def search(
        self,
        workspace: str,
        person: str,
        query: np.ndarray,
        *,
        k: int = 100,
        period: TimeRange | None = None,
        exclude_messages: frozenset[int] = frozenset(),
        text: str = "",
    ) -> list[Recalled]:
        """The best items for a query vector (and, given the query's `text`, its words),
        best first."""
        partitions = [person_partition(workspace, person), workspace_partition(workspace)]
        since = period.start.timestamp() if period else None
        until = period.end.timestamp() if period else None
        words = terms(text) if text else []
        names = query_entities(text) if text else []
        lexical = K_LEXICAL if words else 0
        # the workspace's fact state is read while the index is searched
        hits, state = await asyncio.gather(
            self.index.search(
                partitions, query, k + len(exclude_messages), since=since, until=until,
                terms=words, k_lexical=lexical, names=names,
            ),
            self.facts.state(workspace),
        )  # fmt: skip
        within = {h.item_id for h in hits}
        if period is not None and len(hits) < k // 2:
            # "last week" with little in it: the answer may be older than the words say
            more = await self.index.search(partitions, query, k, terms=words, k_lexical=lexical)
            hits += [h for h in more if h.item_id not in within]
        ranked = [hit for _, hit in fuse(hits)] if words else hits
        if period is not None and len(within) < len(hits):
            # what the period holds comes first; the older rest only after it
            ranked.sort(key=lambda hit: hit.item_id not in within)
        return _recalled(ranked, state, person, exclude_messages, k + lexical)


def _recalled(
    hits: list[Hit], state: WorkspaceFacts, person: str, exclude: frozenset[int], k: int
) -> list[Recalled]:
    """Hits as labelled items: texts come with the index, fact status from the workspace's
    fact state (so a superseded statement is shown as history, never as current)."""
    out: list[Recalled] = []
    seen: set[tuple[str, int]] = set()
    for hit in hits:  # best first; a row indexed twice (a replay) counts once
        key = (hit.kind, hit.ref_id)
        if key in seen or (hit.kind == "message" and hit.ref_id in exclude):
            continue
        seen.add(key)
        at = datetime.fromtimestamp(hit.at, UTC)
        if hit.kind == "message":
            # shown without the sentences that only ask: the budget goes to what it tells
            # (so shown in part: the evaluation says how much evidence reached it so)
            out.append(Recalled("message", hit.told or hit.text, at, hit.score,
                                "assistant" if hit.assistant else "user", (hit.ref_id,),
                                state.superseded_sources.get(hit.ref_id), hit.ref_id,
                                focused=bool(hit.told), worded=hit.lexical > 0))  # fmt: skip
        elif hit.kind == "fact":
            fact = state.by_id.get(hit.ref_id)
            if fact is None or (fact.scope == "person" and fact.owner != person):
                continue  # erased, or older than the state holds: skip rather than guess
            sources = (fact.source_message_id,) if fact.source_message_id else ()
            out.append(Recalled("fact", fact.text, fact.stated_at, hit.score, "", sources,
                                fact.superseded_at, fact.id))  # fmt: skip
        else:
            out.append(Recalled("episode", hit.text, at, hit.score, ref_id=hit.ref_id))
        if len(out) >= k:
            break
    return out


def utc(at: datetime) -> datetime:
    return at if at.tzinfo else at.replace(tzinfo=UTC)
