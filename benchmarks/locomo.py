"""LoCoMo evidence recall through the real engine (see memory/eval/locomo.py).

    python -m benchmarks.locomo [--split dev|test] [--limit N] [--claude-facts]

Runs on a `castmatch_locomo` database of its own (recreated), and is also part of
`castmatch bench --only memory`. Skipped, with a note, when the data set is absent.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import Any

from bot.llm.claude import ClaudeResponder
from bot.services import Services
from memory.eval import locomo
from tests.doubles.claude import ClaudeDouble
from tests.doubles.reply import RecordingReply


async def _drain(services: Services) -> None:
    while pending := [t for t in services.background if not t.done()]:
        await asyncio.wait(pending)


async def run(
    services: Services, *, splits: tuple[str, ...] = ("dev", "test"), limit: int | None = None
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

    def responder() -> ClaudeResponder:
        responders.append(ClaudeResponder(settings))
        return responders[-1]

    try:
        return await locomo.evaluate(
            services,
            responder,
            RecordingReply,
            lambda: _drain(services),
            path=path,
            splits=splits,
            limit=limit,
        )
    finally:
        for made in responders:
            await made.close()
        await double.close()


def main() -> int:
    from castmatch.bench import bench_services
    from bot.settings import Settings

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("dev", "test", "both"), default="dev")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--database", default="castmatch_locomo", help="recreated on each run")
    args = parser.parse_args()
    splits = ("dev", "test") if args.split == "both" else (args.split,)

    async def go() -> dict[str, Any]:
        async with bench_services(Settings(), name=args.database) as services:
            return await run(services, splits=splits, limit=args.limit)

    figures = asyncio.run(go())
    text = json.dumps(figures, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
