"""Searching memory for one person in one workspace: the only way anything is read back.

Every read is scoped here: a person's private partition and the workspace's shared one,
and rows are re-checked against the workspace and owner after the index answers, so a
stale or misfiled vector can never put another person's text into a context.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
from sqlalchemy import select
from sqlalchemy.ext.asyncio import async_sessionmaker

from memory.facts import FactStore
from memory.models import Episode, Message
from memory.semantic import SemanticIndex, person_partition, workspace_partition
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
    ) -> list[Recalled]:
        partitions = [person_partition(workspace, person), workspace_partition(workspace)]
        since = period.start.timestamp() if period else None
        until = period.end.timestamp() if period else None
        hits = await self.index.search(
            partitions, query, k + len(exclude_messages), since=since, until=until
        )
        if period is not None and len(hits) < k // 2:
            # "last week" with little in it: the answer may be older than the words say
            seen = {h.item_id for h in hits}
            more = await self.index.search(partitions, query, k)
            hits += [h for h in more if h.item_id not in seen]
        scores = {(h.kind, h.item_id): h.score for h in hits}
        return await self._load(workspace, person, scores, exclude_messages, k)

    async def _load(
        self,
        workspace: str,
        person: str,
        scores: dict[tuple[str, int], float],
        exclude: frozenset[int],
        k: int,
    ) -> list[Recalled]:
        from memory.models import MemoryItem

        item_ids = [item_id for (_, item_id) in scores]
        if not item_ids:
            return []
        channel, _, user_id = person.partition(":")
        async with self._sessions() as session:
            refs = (
                await session.execute(
                    select(MemoryItem.id, MemoryItem.kind, MemoryItem.ref_id).where(
                        MemoryItem.id.in_(item_ids), MemoryItem.workspace == workspace
                    )
                )
            ).all()
            by_ref = {(r.kind, r.ref_id): scores[(r.kind, r.id)] for r in refs}
            message_ids = [
                ref for (kind, ref) in by_ref if kind == "message" and ref not in exclude
            ]
            messages = (
                (
                    await session.execute(
                        select(Message.id, Message.role, Message.text, Message.created_at).where(
                            Message.id.in_(message_ids),
                            Message.workspace == workspace,
                            Message.channel == channel,
                            Message.user_id == user_id,
                        )
                    )
                ).all()
                if message_ids
                else []
            )
            episode_ids = [ref for (kind, ref) in by_ref if kind == "episode"]
            episodes = (
                (
                    await session.execute(
                        select(Episode).where(
                            Episode.id.in_(episode_ids),
                            Episode.workspace == workspace,
                            Episode.owner == person,
                        )
                    )
                )
                .scalars()
                .all()
                if episode_ids
                else []
            )
        fact_ids = [ref for (kind, ref) in by_ref if kind == "fact"]
        facts = await self.facts.by_ids(fact_ids, workspace, person)
        superseded = await self.facts.superseded_sources(workspace, [m.id for m in messages])
        out = [
            Recalled(
                "message",
                m.text,
                m.created_at,
                by_ref[("message", m.id)],
                m.role,
                (m.id,),
                superseded.get(m.id),
            )
            for m in messages
        ]
        out += [
            Recalled(
                "fact",
                f.text,
                f.stated_at,
                by_ref[("fact", f.id)],
                "",
                (f.source_message_id,) if f.source_message_id else (),
                f.superseded_at,
            )
            for f in facts
        ]
        out += [
            Recalled("episode", e.summary, e.ended_at, by_ref[("episode", e.id)], "", ())
            for e in episodes
        ]
        out.sort(key=lambda r: r.score, reverse=True)
        return out[:k]


def utc(at: datetime) -> datetime:
    return at if at.tzinfo else at.replace(tzinfo=UTC)
