"""Run the recall set through the real memory pipeline and measure what reaches the context.

Every message is stored in PostgreSQL and indexed by the same background writer the engine
uses (facts, episodes, vectors in FAISS); each question is then answered by the same
context builder, in a new conversation days later. Metrics:
- evidence recall: share of questions whose evidence messages all reached the context
  (as a recalled message, a recent turn, or the source of a fact shown);
- superseded-as-current: questions where a superseded statement was listed as a current fact;
- distractor leaks: questions whose context held anything of the rival workspace;
- memory tokens per question.
"""

from __future__ import annotations

import asyncio
import secrets
import statistics
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.services import Services
from bot.types import ConversationKey, InboundMessage
from memory.context import ContextBuilder
from memory.eval.dataset import Conversation, content_words, filler, load, rival_text
from memory.models import Message
from memory.runtime import Memory, get_memory

BASE = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)  # day 0: a Monday morning
ACK = "Noted."


async def _store(memory: Memory, ws: str, user: str, chat: str, text: str, at: datetime) -> int:
    async with memory.services.sessions.begin() as session:
        inbound = Message(
            conversation_id=f"slack:{ws}:{chat}:",
            channel="slack",
            workspace=ws,
            user_id=user,
            role="user",
            text=text,
            status="answered",
            platform_message_id=secrets.token_hex(8),
            created_at=at,
            updated_at=at,
        )
        session.add(inbound)
        await session.flush()
        reply = Message(
            conversation_id=inbound.conversation_id,
            channel="slack",
            workspace=ws,
            user_id=user,
            role="assistant",
            text=ACK,
            status="complete",
            reply_to_id=inbound.id,
            created_at=at + timedelta(seconds=5),
            updated_at=at,
        )
        session.add(reply)
        await session.flush()
        inbound_id, reply_id = inbound.id, reply.id
    await memory.writer.index_turn(inbound_id, reply_id)
    return inbound_id


async def _load_person(
    memory: Memory,
    ws: str,
    user: str,
    conv: Conversation,
    texts: dict[str, str],
    filler_texts: list[str],
) -> dict[str, int]:
    """Store one person's history in time order; returns evidence key → message id."""
    timeline = [(m.day, m.key, texts[m.key]) for m in conv.messages]
    last_day = max(q.day for q in conv.questions)
    for n, text in enumerate(filler_texts):
        timeline.append((n * (last_day - 0.5) / max(1, len(filler_texts)) + 0.003, "", text))
    timeline.sort()
    ids: dict[str, int] = {}
    for day, key, text in timeline:
        chat = f"s{int(day)}" if key else f"f{int(day)}"
        ids_key = await _store(memory, ws, user, chat, text, BASE + timedelta(days=day))
        if key:
            ids[key] = ids_key
    return ids


async def evaluate(
    services: Services,
    *,
    filler_per_user: int = 60,
    limit: int | None = None,
    concurrency: int = 6,
) -> dict[str, Any]:
    memory = get_memory(services)
    conversations = load()[:limit]
    run = secrets.token_hex(3)
    started = time.perf_counter()
    # Embed everything once, in big batches (the writer then finds it in its cache).
    rivals = {m.key: rival_text(m.text) for c in conversations for m in c.messages}
    fills = {c.id: filler(filler_per_user, seed=n) for n, c in enumerate(conversations)}
    passages = {m.text for c in conversations for m in c.messages}
    passages |= {t for t, _ in rivals.values()} | {t for f in fills.values() for t in f} | {ACK}
    await memory.writer.embeddings.passages(sorted(passages))
    embed_s = time.perf_counter() - started

    gate = asyncio.Semaphore(concurrency)

    async def load_one(n: int, conv: Conversation) -> tuple[dict[str, int], str, list[str]]:
        async with gate:
            ws = f"eval-{run}-{conv.id}"
            own = {m.key: m.text for m in conv.messages}
            ids = await _load_person(memory, ws, f"U{conv.id}", conv, own, fills[conv.id])
            rival = {m.key: rivals[m.key][0] for m in conv.messages}
            await _load_person(
                memory,
                f"{ws}-rival",
                f"R{conv.id}",
                conv,
                rival,
                fills[conv.id][: filler_per_user // 4],
            )
            names = sorted({name for m in conv.messages for name in rivals[m.key][1]})
            return ids, ws, names

    loaded = await asyncio.gather(*(load_one(n, c) for n, c in enumerate(conversations)))
    load_s = time.perf_counter() - started - embed_s

    # the baseline: what a memory of recent turns and facts alone (no semantic recall) finds
    baseline = ContextBuilder(memory.turns, memory.working, None, memory.facts, None)
    rows: list[dict[str, Any]] = []
    for conv, (ids, ws, rival_names) in zip(conversations, loaded, strict=True):
        texts = {m.key: m.text for m in conv.messages}
        for n, question in enumerate(conv.questions):
            message = InboundMessage(
                key=ConversationKey("slack", ws, f"q{n}"),
                user_id=f"U{conv.id}",
                text=question.text,
                message_id=secrets.token_hex(8),
                received_at=BASE + timedelta(days=question.day, hours=3),
                workspace=ws,
            )
            context = await memory.context.build(message, 0)
            shown = context.memory + " " + " ".join(str(m["content"]) for m in context.messages)
            found = all(ids[e] in context.sources or texts[e] in shown for e in question.evidence)
            plain = await baseline.build(message, 0)
            plain_shown = plain.memory + " " + " ".join(str(m["content"]) for m in plain.messages)
            found_plain = all(
                ids[e] in plain.sources or texts[e] in plain_shown for e in question.evidence
            )
            stale = [s for s in question.superseded if texts[s] in context.current_facts]
            leaks = [name for name in rival_names if name in shown]
            overlap = content_words(question.text) & set().union(
                *(content_words(texts[e]) for e in question.evidence)
            )
            rows.append(
                {
                    "conversation": conv.id,
                    "kind": question.kind,
                    "found": found,
                    "found_baseline": found_plain,
                    "tokens": context.tokens,
                    "superseded_as_current": bool(stale),
                    "leaks": leaks,
                    "no_shared_word": not overlap,
                    "embed_ms": context.embed_ms,
                    "assemble_ms": context.assemble_ms,
                }
            )
    return _summary(rows, len(conversations), filler_per_user, embed_s, load_s)


def _summary(
    rows: list[dict[str, Any]],
    conversations: int,
    filler_per_user: int,
    embed_s: float,
    load_s: float,
) -> dict[str, Any]:
    tokens = sorted(r["tokens"] for r in rows)
    by_kind: dict[str, list[bool]] = {}
    for r in rows:
        by_kind.setdefault(r["kind"], []).append(r["found"])
    return {
        "conversations": conversations,
        "questions": len(rows),
        "filler_messages_per_person": filler_per_user,
        "share_no_shared_content_word": round(
            sum(r["no_shared_word"] for r in rows) / len(rows), 3
        ),
        "evidence_recall": round(sum(r["found"] for r in rows) / len(rows), 3),
        "evidence_recall_by_kind": {k: round(sum(v) / len(v), 3) for k, v in by_kind.items()},
        "evidence_recall_no_shared_word": round(
            sum(r["found"] for r in rows if r["no_shared_word"])
            / max(1, sum(r["no_shared_word"] for r in rows)),
            3,
        ),
        "evidence_recall_recent_and_facts_only": round(
            sum(r["found_baseline"] for r in rows) / len(rows), 3
        ),
        "superseded_fed_as_current": sum(r["superseded_as_current"] for r in rows),
        "distractor_leaks": sum(bool(r["leaks"]) for r in rows),
        "context_tokens_mean": round(statistics.mean(tokens)),
        "context_tokens_p50": tokens[len(tokens) // 2],
        "context_tokens_max": tokens[-1],
        "missed": [f"{r['conversation']}:{r['kind']}" for r in rows if not r["found"]],
        "superseded_cases": [r["conversation"] for r in rows if r["superseded_as_current"]],
        "embed_all_s": round(embed_s, 1),
        "load_s": round(load_s, 1),
    }
