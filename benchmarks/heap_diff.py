"""Where a long run's memory goes: turns through the real engine and memory in this process
(a Claude double answering at once with varied casting replies, PostgreSQL and Redis), then
what the Python heap holds after them that it did not hold after the warm-up.

    python -m benchmarks.heap_diff [--rounds 20] [--conversations 40] [--memory-index-mb N]
                                   [--database castmatch_bench_heap]

A warm-up of `--warmup-rounds` rounds (one turn per conversation each) fills what fills
once (models, pools, the first partitions); tracemalloc starts after it. Each round after
is one more turn in every conversation, and its background indexing is awaited, so what is
left is what the turns keep. Printed: RSS, traced heap and the semantic memory's held bytes
after the warm-up and at the end, the lines whose allocations grew most, and the object
types whose counts grew (a per-turn leak shows as counts that grow with the rounds).
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import gc
import secrets
import sys
import tracemalloc
from typing import Any

import psutil

from benchmarks import corpus
from benchmarks.engine_bench import _Claude, _message
from bot.engine import Engine
from bot.heap import malloc_trim
from bot.llm.claude import ClaudeResponder
from bot.types import ConversationKey
from tests.doubles.reply import RecordingReply

MB = 2**20
TOP = 20


async def _round(engine: Engine, keys: list[ConversationKey], services: Any) -> None:
    """One turn in every conversation, eight at a time, then their background work."""
    queue = list(keys)

    async def worker() -> None:
        while queue:
            await engine.handle(_message(queue.pop()), RecordingReply())

    await asyncio.gather(*(worker() for _ in range(8)))
    indexing = [t for t in services.background if t.get_name().startswith("memory-")]
    await asyncio.gather(*indexing, return_exceptions=True)  # what the next round reads


def _trim() -> None:
    """Hand the C allocator's free pages back to the OS (glibc only): RSS that drops here
    was held free by malloc's arenas, not by live objects."""
    if (trim := malloc_trim()) is not None:
        trim()


def _type_counts() -> collections.Counter[str]:
    gc.collect()
    return collections.Counter(type(o).__qualname__ for o in gc.get_objects())


def _state(label: str, services: Any) -> dict[str, float]:
    index = getattr(services, "memory", None)
    held = index.index.held_bytes() / MB if index is not None else 0.0
    info = psutil.Process().memory_info()
    state = {
        "rss_mb": info.rss / MB,
        "anonymous_mb": (info.rss - info.shared) / MB,  # without mapped files (the model's)
        "traced_mb": tracemalloc.get_traced_memory()[0] / MB if tracemalloc.is_tracing() else 0,
        "memory_index_mb": held,
    }
    print(f"{label}: " + ", ".join(f"{k} {v:.1f}" for k, v in state.items()), file=sys.stderr)
    return state


async def run(args: argparse.Namespace) -> int:
    from bot.settings import load_settings
    from castmatch.bench import bench_services

    settings = load_settings()
    if args.memory_index_mb:
        settings = settings.model_copy(update={"memory_index_mb": args.memory_index_mb})
    double = _Claude()
    await double.start()
    async with bench_services(settings, name=args.database) as services:
        settings = services.settings.model_copy(
            update={"anthropic_api_key": "sk-heap", "anthropic_base_url": double.url}
        )
        responder = ClaudeResponder(settings)
        engine = Engine(services, responder)
        workspace = "heap-" + secrets.token_hex(3)
        keys = [ConversationKey("console", workspace, f"c{n}") for n in range(args.conversations)]
        try:
            for _ in range(args.warmup_rounds):
                await _round(engine, keys, services)
            before_types = _type_counts()
            tracemalloc.start(args.frames)
            first = tracemalloc.take_snapshot()
            start = _state("after warm-up", services)
            for number in range(args.rounds):
                await _round(engine, keys, services)
                if (number + 1) % 5 == 0:
                    _state(f"round {number + 1}", services)
            gc.collect()
            last = tracemalloc.take_snapshot()
            end = _state("end", services)
            _trim()
            _state("end, after malloc_trim (what the C allocator held free)", services)
            after_types = _type_counts()
        finally:
            await responder.close()
            await double.close()
    turns = args.rounds * args.conversations
    print(f"\n{turns} turns after warm-up; RSS {end['rss_mb'] - start['rss_mb']:+.1f} MB "
          f"(anonymous {end['anonymous_mb'] - start['anonymous_mb']:+.1f} MB), "
          f"traced {end['traced_mb'] - start['traced_mb']:+.1f} MB, memory index "
          f"{end['memory_index_mb'] - start['memory_index_mb']:+.1f} MB")  # fmt: skip
    ignore = [tracemalloc.Filter(False, tracemalloc.__file__)]
    grown = last.filter_traces(ignore).compare_to(first.filter_traces(ignore), args.group)
    print(f"\nallocations that grew most (by {args.group}):")
    for stat in grown[:TOP]:
        where = stat.traceback.format(limit=args.frames)[-2:] if args.group == "traceback" else []
        print(f"  {stat.size_diff / 1024:+9.1f} KiB {stat.count_diff:+7d} blocks  "
              f"{stat.traceback[0]}" + "".join(f"\n      {w.strip()}" for w in where))  # fmt: skip
    print("\nobject types whose counts grew:")
    for name, count in (after_types - before_types).most_common(TOP):
        print(f"  {count:+8d}  {name}  ({count / turns:.2f} a turn)")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.heap_diff", description=__doc__)
    parser.add_argument("--rounds", type=int, default=20, help="turns per conversation measured")
    parser.add_argument("--warmup-rounds", type=int, default=5)
    parser.add_argument("--conversations", type=int, default=40)
    parser.add_argument("--memory-index-mb", type=int, default=0)
    parser.add_argument("--frames", type=int, default=1, help="tracemalloc frames kept")
    parser.add_argument("--group", choices=("lineno", "traceback"), default="lineno")
    parser.add_argument("--database", default="castmatch_bench_heap")
    corpus.texts()  # read before tracing starts
    return asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    sys.exit(main())
