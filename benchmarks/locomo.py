"""LoCoMo evidence recall through the real engine (see memory/eval/locomo.py).

    python -m benchmarks.locomo [--split dev|test|both] [--limit N] [--extraction rules|claude]
        [--keep --database NAME [--conversations conv-47,conv-48]] [--explain FILE]

Runs on a `castmatch_locomo` database of its own (recreated), and is also part of
`castmatch bench --only memory`. Skipped, with a note, when the data set is absent.

`--extraction claude` sends fact extraction and episode summaries through the Claude path
(forced tool calls, pydantic validation) against the Claude double, which answers each
with a well-formed call: the facts the rules find in the message, and the conversation's
first lines as its summary. It measures that path's plumbing end to end (tool call →
validation → facts → index → recall), not Claude's own judgement of what is a fact.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from bot import metrics
from bot.llm.claude import ClaudeResponder
from bot.services import Services
from memory.eval import locomo
from memory.extract import extract_facts
from memory.runtime import get_memory
from memory.summarise import ClaudeSummariser
from tests.doubles.claude import ClaudeDouble
from tests.doubles.reply import RecordingReply


async def _drain(services: Services) -> None:
    while pending := [t for t in services.background if not t.done()]:
        await asyncio.wait(pending)


async def run(
    services: Services,
    *,
    splits: tuple[str, ...] = ("dev", "test"),
    limit: int | None = None,
    run_name: str = "",
    extraction: str = "rules",
    only: tuple[str, ...] = (),
    explain: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    path = locomo.data_path(services.settings.data_path.parent)
    if not path.exists():
        return {
            "skipped": f"no LoCoMo copy at {path} (set CASTMATCH_LOCOMO_PATH; "
            "snap-research/LoCoMo data/locomo10.json, CC BY-NC 4.0, never committed)"
        }
    double = ClaudeDouble(default_text="Noted.")
    await double.start()
    settings = services.settings.model_copy(
        update={"anthropic_api_key": "sk-bench", "anthropic_base_url": double.url}
    )
    responders: list[ClaudeResponder] = []
    memory = get_memory(services)
    rules = memory.writer.summariser
    if extraction == "claude":
        double.background_tool_input = _well_formed_call
        memory.writer.summariser = ClaudeSummariser(settings)

    def responder() -> ClaudeResponder:
        responders.append(ClaudeResponder(settings))
        return responders[-1]

    fallbacks_before = _fallbacks()
    try:
        figures = await locomo.evaluate(
            services,
            responder,
            RecordingReply,
            lambda: _drain(services),
            path=path,
            splits=splits,
            limit=limit,
            run=run_name,
            only=only,
            explain=explain,
        )
        if extraction == "claude":  # the path really taken: forced calls made, none fell back
            figures["extraction"] = {
                "forced_tool_calls": sum(
                    1 for b in double.background_requests if b.get("tool_choice")
                ),
                "fallbacks": _fallbacks() - fallbacks_before,
            }
        return figures
    finally:
        if memory.writer.summariser is not rules:
            await memory.writer.summariser.client.close()  # type: ignore[attr-defined]
            memory.writer.summariser = rules
        for made in responders:
            await made.close()
        await double.close()


def _fallbacks() -> float:
    """Extraction fallbacks counted so far (castmatch_memory_extraction_fallbacks_total)."""
    return sum(
        sample.value
        for family in metrics.REGISTRY.collect()
        if family.name == "castmatch_memory_extraction_fallbacks"
        for sample in family.samples
        if sample.name.endswith("_total")
    )


def _well_formed_call(body: dict[str, Any]) -> dict[str, Any]:
    """The double's answer to a forced extraction or summary call."""
    content = body["messages"][-1]["content"]
    if body["tool_choice"]["name"] == "record_summary":
        return {"summary": " / ".join(content.splitlines()[:4])[:700] or "(empty)"}
    return {"facts": [asdict(fact) for fact in extract_facts(content)]}


def main() -> int:
    from bot.settings import Settings
    from castmatch.bench import bench_services

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("dev", "test", "both"), default="dev")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--database", default="castmatch_locomo")
    parser.add_argument("--extraction", choices=("rules", "claude"), default="rules")
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the database and ask again what an earlier --keep run stored (for tuning)",
    )
    parser.add_argument(
        "--conversations",
        default="",
        help="only these (comma-separated, e.g. conv-47,conv-48): with --keep, several "
        "processes can feed one database, each its own conversations",
    )
    parser.add_argument(
        "--explain",
        type=Path,
        default=None,
        help="with --split dev: write each question's row (evidence found, the missed "
        "turns' places in recall's ranking) to this file, one JSON object a line",
    )
    args = parser.parse_args()
    if args.explain and args.split != "dev":
        parser.error("--explain lists questions and failures: the development half only")
    splits = ("dev", "test") if args.split == "both" else (args.split,)
    only = tuple(c.strip() for c in args.conversations.split(",") if c.strip())
    unknown = [c for c in only if not any(c in locomo.SPLITS[s] for s in splits)]
    if unknown:
        parser.error(f"not in the {args.split} half: {', '.join(unknown)}")

    explain: list[dict[str, Any]] | None = [] if args.explain else None

    async def go() -> dict[str, Any]:
        async with bench_services(Settings(), name=args.database, fresh=not args.keep) as services:
            return await run(
                services,
                splits=splits,
                limit=args.limit,
                run_name="kept" if args.keep else "",
                extraction=args.extraction,
                only=only,
                explain=explain,
            )

    figures = asyncio.run(go())
    text = json.dumps(figures, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text)
    if args.explain and explain is not None:
        args.explain.write_text("".join(json.dumps(row) + "\n" for row in explain))
    return 0


if __name__ == "__main__":
    sys.exit(main())
