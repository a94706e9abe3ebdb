"""Engine overhead: what the engine adds around Claude, with a Claude double answering at once.

Overhead = (message reaches the engine → request leaves for Claude) + (Claude's last event →
turn stored). Measured over many turns across many conversations, several in flight at once,
through the real SDK, PostgreSQL and Redis.
"""

from __future__ import annotations

import asyncio
import secrets
import sys
from typing import TYPE_CHECKING, Any

from benchmarks import corpus
from benchmarks.stats import keep, ms, percentile
from bot.engine import Engine, TurnTrace
from bot.llm.claude import ClaudeResponder
from bot.types import ConversationKey, InboundMessage
from tests.doubles.claude import ClaudeDouble, Reply
from tests.doubles.reply import RecordingReply

if TYPE_CHECKING:
    from bot.services import Services


async def run(services: Services, *, quick: bool) -> dict[str, Any]:
    double = _Claude()
    await double.start()
    settings = services.settings.model_copy(
        update={"anthropic_api_key": "sk-bench", "anthropic_base_url": double.url}
    )
    responder = ClaudeResponder(settings)
    traces: list[TurnTrace] = []
    engine = Engine(services, responder, on_trace=traces.append)
    workspace = "bench-" + secrets.token_hex(4)
    figures: dict[str, Any] = {}
    try:
        await _warm_up(engine, workspace)
        # ≥1,000 turns across ≥100 conversations, one at a time (the engine's own cost),
        # then ten at a time (what queueing on two shared cores adds; fewer when quick).
        runs = (("sequential", 1, 100), ("ten_in_flight", 10, 30 if quick else 100))
        for label, parallel, conversations in runs:
            traces.clear()
            await _turns(
                engine, workspace, conversations=conversations, turns_each=10, parallel=parallel
            )
            figures[label] = _summary(traces, label)
    finally:
        await responder.close()
        await double.close()
    figures["target_p99_ms"] = 15
    return figures


class _Claude(ClaudeDouble):
    """Answers at once with a varied casting reply (not one fixed sentence)."""

    def _default(self, body: dict[str, Any]) -> Reply:
        self.requests.clear()  # flat memory over many turns
        return Reply(corpus.reply("Shall I shortlist any of them?"), chunk_size=400)


async def _turns(
    engine: Engine, workspace: str, *, conversations: int, turns_each: int, parallel: int
) -> None:
    keys = [ConversationKey("console", workspace, f"c{n}") for n in range(conversations)]
    queue: asyncio.Queue[ConversationKey] = asyncio.Queue()
    for _ in range(turns_each):
        for key in keys:
            queue.put_nowait(key)

    async def worker() -> None:
        while not queue.empty():
            await engine.handle(_message(queue.get_nowait()), RecordingReply())

    await asyncio.gather(*(worker() for _ in range(parallel)))


def _summary(traces: list[TurnTrace], label: str) -> dict[str, Any]:
    done = [t for t in traces if t.outcome == "complete"]
    before = [t.llm_started - t.received for t in done]
    after = [t.stored - t.llm_finished for t in done]
    total = [b + a for b, a in zip(before, after, strict=True)]
    keep(f"engine.{label}_overhead", total)
    # The same without the wait for the message's embedding (a model run the memory
    # benchmark reports on its own) and without memory's context assembly.
    bare = [x - t.embed_wait - t.context for x, t in zip(total, done, strict=True)]
    # The parts before Claude, in order: the conversation's lock; then storing the message
    # and its reply row beside building the context; then the request leaving.
    parts = {
        "lock": [t.locked - t.received for t in done],
        "store_message": [t.message_stored - t.locked for t in done],
        "context_wall": [t.context_ready - t.locked for t in done],
        "request": [t.llm_started - max(t.message_stored, t.context_ready) for t in done],
    }
    print(f"[engine bench] {len(done)} turns measured", file=sys.stderr)
    return {
        "turns": len(done),
        "overhead_p50_ms": ms(percentile(total, 50)),
        "overhead_p99_ms": ms(percentile(total, 99)),
        "overhead_without_memory_p50_ms": ms(percentile(bare, 50)),
        "overhead_without_memory_p99_ms": ms(percentile(bare, 99)),
        "embedding_wait_p50_ms": ms(percentile([t.embed_wait for t in done], 50)),
        "embedding_wait_p99_ms": ms(percentile([t.embed_wait for t in done], 99)),
        "context_assembly_p50_ms": ms(percentile([t.context for t in done], 50)),
        "context_assembly_p99_ms": ms(percentile([t.context for t in done], 99)),
        "before_claude_p50_ms": ms(percentile(before, 50)),
        "before_claude_p99_ms": ms(percentile(before, 99)),
        "after_claude_p50_ms": ms(percentile(after, 50)),
        "after_claude_p99_ms": ms(percentile(after, 99)),
        **{
            f"{name}_p{q}_ms": ms(percentile(values, q))
            for name, values in parts.items()
            for q in (50, 99)
        },
    }


async def _warm_up(engine: Engine, workspace: str) -> None:
    key = ConversationKey("console", workspace, "warm-up")
    for _ in range(20):
        await engine.handle(_message(key), RecordingReply())


def _message(key: ConversationKey) -> InboundMessage:
    # varied texts: every message's embedding, facts and vectors are real work, as in use
    return InboundMessage(
        key=key, user_id=key.chat, text=corpus.message(), message_id=secrets.token_hex(12)
    )
