"""Context assembly: what the model is given for a turn besides the person's message.

Recent turns (working memory, else PostgreSQL), the current facts of the workspace and the
person, and what semantic memory recalls for this message (time-filtered when the message
names a period), all within a token budget and each item labelled with its date. Any layer
that fails is skipped: a thinner context, never a lost turn.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import Any

import numpy as np
from redis.exceptions import RedisError

from bot import metrics
from bot.embedding import Embedder
from bot.ports import ShortlistLine, ShortlistSource
from bot.types import InboundMessage
from memory.allocate import allocate, item_label
from memory.episodic import EpisodicStore, Turn
from memory.facts import FactStore, FactView
from memory.lexical import query_entities, terms, topic
from memory.recall import Recall, Recalled
from memory.timefilter import TimeRange, parse_time_range
from memory.tokens import estimate_tokens
from memory.working import WorkingMemory

log = logging.getLogger(__name__)

DEFAULT_BUDGET = 4000
TURNS_SHARE = 0.45  # recent turns may take this much of the budget; facts and recall the rest
RECALL_K = 200  # nearest items asked of semantic memory (the budget decides what is shown)


@dataclass(frozen=True)
class Context:
    messages: list[dict[str, Any]]  # Messages API turns, ending with the person's message
    memory: str = ""  # labelled memory items for the system prompt
    tokens: int = 0  # estimated tokens of memory (turns and items), within the budget
    sources: frozenset[int] = frozenset()  # message ids whose content reached the context
    current_facts: tuple[str, ...] = ()  # fact texts fed as current
    embed_ms: float = 0.0  # the message's own embedding
    assemble_ms: float = 0.0  # the time beyond the embedding (other reads overlap it)
    degraded: tuple[str, ...] = field(default=())  # layers that were skipped
    # message ids recall offered the budget (shown or not), each with its place in recall's
    # ranking (0: best): tells a line ranked too low from one retrieval never found, and how
    # far below what the budget held, when evidence is missing
    considered: Mapping[int, int] = field(default_factory=dict)
    # message ids shown by part of their text (`lexical.focused`, or without a sentence that
    # asks: `lexical.told`), not whole: the evaluation says how much of its evidence reached
    # the context that way
    focused: frozenset[int] = frozenset()


def day(at: datetime) -> str:
    return _day(at.date())


@lru_cache(maxsize=4096)
def _day(on: date) -> str:
    # a context labels some hundred lines and facts by their day: each day's text once
    return on.strftime("%a %d %b %Y")


class ContextBuilder:
    def __init__(
        self,
        episodic: EpisodicStore,
        working: WorkingMemory | None,
        recall: Recall | None,
        facts: FactStore | None,
        embedder: Embedder | None,
        *,
        history_turns: int = 20,
        budget: int = DEFAULT_BUDGET,
        last_results: Any = None,  # async (key) -> list[str]
        postgres_up: Any = None,  # () -> bool: False while PostgreSQL is known to be down
        shortlists: ShortlistSource | None = None,
    ) -> None:
        self.shortlists = shortlists
        self.postgres_up = postgres_up or (lambda: True)
        self.episodic = episodic
        self.working = working
        self.recall = recall
        self.facts = facts
        self.embedder = embedder
        self.history_turns = history_turns
        self.budget = budget
        self.last_results = last_results

    async def recent_turns(
        self, message: InboundMessage, inbound_id: int
    ) -> tuple[list[Turn], list[str]]:
        """The conversation's last turns: Redis first, rebuilt from PostgreSQL when lost."""
        conversation = message.key.id
        degraded: list[str] = []
        held: list[Turn] = []
        if self.working is not None:
            try:
                held, complete = await self.working.recent(conversation)
                held = [t for t in held if not (inbound_id > 0 and t.message_id == inbound_id)]
                if complete:
                    return held, degraded
            except RedisError:
                degraded.append("redis")
        if not self.postgres_up():
            return held, [*degraded, "postgres"]
        try:
            # inbound_id is 0 while the message is being stored: leave it out by its own id
            turns = await self.episodic.recent_turns(
                message.key,
                self.history_turns,
                before_id=inbound_id or None,
                leaving_out=message.message_id,
            )
        except Exception as exc:
            # PostgreSQL down: whatever working memory holds is all there is
            metrics.MEMORY_ERRORS.labels("recent_turns").inc()
            log.warning("recent turns unavailable (%s)", type(exc).__name__)
            return held, [*degraded, "postgres"]
        if self.working is not None and "redis" not in degraded:
            try:
                await self.working.replace(conversation, turns)
            except RedisError:
                degraded.append("redis")
        return turns, degraded

    async def embed(self, text: str) -> np.ndarray | None:
        if self.embedder is None:
            return None
        try:
            # the question's topic: names are matched by their words, not by the vector
            return (await self.embedder.queries([topic(text[:2000])]))[0]
        except Exception as exc:
            metrics.MEMORY_ERRORS.labels("embedding").inc()
            log.warning("query embedding failed (%s)", type(exc).__name__)
            return None

    async def build(
        self,
        message: InboundMessage,
        inbound_id: int,
        *,
        query: np.ndarray | Awaitable[np.ndarray | None] | None = None,
        embed: bool = True,
    ) -> Context:
        """The turn's context. `query` is the message's embedding when the caller has it,
        or an awaitable of it (a computation already under way, which the other layers'
        reads overlap); with `embed=False` and no query, semantic recall is skipped (a
        degraded context). `embed_ms` is how long the embedding kept recall waiting."""
        started = time.perf_counter()
        embed_ms = 0.0
        period = parse_time_range(message.text, message.received_at)

        async def recall() -> list[Recalled] | None:
            # the embedding runs while the other layers are read; only recall waits for it
            nonlocal embed_ms
            vector: np.ndarray | None = None
            if isinstance(query, np.ndarray):
                vector = query
            elif query is not None:
                vector = await query
                embed_ms = (time.perf_counter() - started) * 1000
            elif embed and self.recall is not None:
                embed_started = time.perf_counter()
                vector = await self.embed(message.text)
                embed_ms = (time.perf_counter() - embed_started) * 1000
            return await self._recall(message, vector, period)

        (turns, degraded), recalled, facts, shown, lists = await asyncio.gather(
            self.recent_turns(message, inbound_id),
            recall(),
            self._facts(message.workspace, message.person),
            self._shown(message),
            self._shortlists(message.workspace),
        )
        degraded = list(degraded)
        if recalled is None:
            degraded.append("semantic")
        if facts is None:
            degraded.append("facts")
        context = self._assemble(
            message, turns, recalled or [], facts or [], shown, period, tuple(degraded), lists
        )
        total_ms = (time.perf_counter() - started) * 1000
        return Context(
            context.messages,
            context.memory,
            context.tokens,
            context.sources,
            context.current_facts,
            embed_ms,
            total_ms - embed_ms,
            context.degraded,
            context.considered,
            context.focused,
        )

    async def _recall(
        self, message: InboundMessage, query: np.ndarray | None, period: TimeRange | None
    ) -> list[Recalled] | None:
        if self.recall is None or query is None or not self.postgres_up():
            return None
        try:
            return await self.recall.search(
                message.workspace, message.person, query, period=period, text=message.text,
                k=RECALL_K,
            )  # fmt: skip
        except Exception as exc:
            metrics.MEMORY_ERRORS.labels("semantic").inc()
            log.warning("semantic recall unavailable (%s)", type(exc).__name__)
            return None

    async def _facts(self, workspace: str, person: str) -> list[FactView] | None:
        if self.facts is None or not self.postgres_up():
            return None
        try:
            return await self.facts.current(workspace, person, limit=200)
        except Exception as exc:
            metrics.MEMORY_ERRORS.labels("facts").inc()
            log.warning("facts unavailable (%s)", type(exc).__name__)
            return None

    async def _shortlists(self, workspace: str) -> list[ShortlistLine]:
        if self.shortlists is None or not self.postgres_up():
            return []
        try:
            return list(await self.shortlists.lines(workspace))
        except Exception as exc:
            metrics.MEMORY_ERRORS.labels("shortlists").inc()
            log.warning("shortlists unavailable (%s)", type(exc).__name__)
            return []

    async def _shown(self, message: InboundMessage) -> list[str]:
        if self.last_results is None:
            return []
        try:
            return list(await self.last_results(message.key))
        except Exception:
            return []

    def _assemble(
        self,
        message: InboundMessage,
        turns: list[Turn],
        recalled: list[Recalled],
        facts: list[FactView],
        shown: list[str],
        period: TimeRange | None,
        degraded: tuple[str, ...],
        lists: list[ShortlistLine] | None = None,
    ) -> Context:
        budget = self.budget
        sources: set[int] = set()
        # 1. recent turns, newest first, within their share
        kept: list[Turn] = []
        used = 0
        for turn in reversed(turns[-self.history_turns :]):
            cost = estimate_tokens(turn.text) + 8
            if used + cost > budget * TURNS_SHARE:
                if not kept:  # the last turn alone is too long: keep its end
                    keep_chars = int(budget * TURNS_SHARE * 3)
                    kept.append(
                        Turn(
                            turn.role,
                            "…" + turn.text[-keep_chars:],
                            turn.at,
                            turn.user_id,
                            turn.message_id,
                        )
                    )
                    used += estimate_tokens(kept[-1].text) + 8
                break
            kept.append(turn)
            used += cost
        kept.reverse()
        sources.update(t.message_id for t in kept if t.message_id)
        lines: list[str] = [f"## Memory (today is {day(message.received_at)})"]
        if period is not None:
            lines.append(
                f"The message asks about {period.label}: {day(period.start)} to {day(period.end)}."
            )
        used += estimate_tokens(lines[0]) + 30  # and the sections' headings
        results = ""
        if shown:
            results = "Talent results last shown here, in order: " + ", ".join(shown[:20])
            used += estimate_tokens(results)
        # 2. what memory holds for this message: current facts and recalled items compete
        # for the budget in one ranking (recall's order); distinct evidence first
        names = query_entities(message.text)
        focus = frozenset(t for t in terms(message.text) if t not in names)
        picked = allocate(recalled, facts, budget - used, lists or [], focus)
        used += picked.tokens
        sources.update(picked.sources)
        current = [f.text for f in picked.facts]
        if picked.facts:
            lines.append("Current facts (newer facts replace older ones):")
            lines += [_fact_line(f) for f in picked.facts]
        if picked.lists:
            # the workspace's shortlists as its records have them (names even when the
            # message only said "the second one")
            lines.append("Shortlists (latest changes first):")
            lines += [_list_line(entry) for entry in picked.lists]
        if picked.items:
            lines.append(
                "From earlier conversations (oldest first; your own messages unless labelled):"
            )
            lines += _grouped_by_day(picked.items)
        if results:
            lines.append(results)
        memory = "\n".join(lines) if len(lines) > 1 else ""
        return Context(
            messages=as_messages(kept, message.text),
            memory=memory,
            tokens=used,
            sources=frozenset(sources),
            current_facts=tuple(current),
            degraded=degraded,
            considered=_ranks(recalled),
            focused=frozenset(picked.focused - {t.message_id for t in kept}),
        )


def _ranks(recalled: list[Recalled]) -> dict[int, int]:
    """Message id → the place of the first recalled item standing for it."""
    ranks: dict[int, int] = {}
    for place, item in enumerate(recalled):
        for source in item.source_ids:
            ranks.setdefault(source, place)
    return ranks


def _fact_line(fact: FactView) -> str:
    who = "your preference" if fact.scope == "person" else fact.kind
    return f"- [{day(fact.stated_at)}] ({who}) {fact.text}"


def _list_line(entry: ShortlistLine) -> str:
    return f"- [{day(entry.at)}] {entry.role}: {entry.text}"


def _item_line(item: Recalled) -> str:
    """A recalled item under its day's heading: its label (none for the person's own
    messages), then the text."""
    return f"- {item_label(item)}{_shown(item.text)}"


def _grouped_by_day(items: list[Recalled]) -> list[str]:
    lines: list[str] = []
    last = None
    for item in sorted(items, key=lambda i: i.at):
        if item.at.date() != last:
            lines.append(f"{day(item.at)}:")
            last = item.at.date()
        lines.append(_item_line(item))
    return lines


def _shown(text: str) -> str:
    return text if len(text) < 1200 else text[:1200] + "…"


def _recalled_line(item: Recalled) -> str:
    when = day(item.at)
    if item.kind == "message":
        who = "assistant" if item.role == "assistant" else "you"
        label = f"{when} {item.at.strftime('%H:%M')}, {who}"
    elif item.kind == "episode":
        label = f"{when}, conversation summary"
    else:
        label = f"{when}, fact"
    if item.superseded_at is not None:
        label += f"; superseded on {day(item.superseded_at)}"
    return f"- [{label}] {_shown(item.text)}"


def as_messages(turns: list[Turn], current: str) -> list[dict[str, Any]]:
    """Alternating user/assistant turns that start with the person and end with `current`.

    The Messages API requires strict alternation, so neighbours of one role are merged.
    Earlier turns of the person carry their date, so "yesterday" can be reasoned about.
    """
    messages: list[dict[str, Any]] = []
    pieces = [
        (turn.role, turn.text if turn.role == "assistant" else f"[{day(turn.at)}] {turn.text}")
        for turn in turns
    ] + [("user", current)]
    for role, text in pieces:
        role = "assistant" if role == "assistant" else "user"
        if not messages and role == "assistant":
            continue
        if messages and messages[-1]["role"] == role:
            messages[-1]["content"] += "\n\n" + text
        else:
            messages.append({"role": role, "content": text})
    return messages
