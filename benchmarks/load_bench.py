"""`castmatch bench` wrapper of the loopback load (benchmarks/load.py): the same figures, on
the bench database. Quick: 200 conversations for 6 s on one process, then on two replicas,
waiting at most 5 s for a reply (~40 s in all); otherwise 500 conversations for 60 s each."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from benchmarks.load import run_load
from bot.services import Services


async def run(services: Services, *, quick: bool) -> dict[str, Any]:
    settings = services.settings
    conversations, duration, timeout = (200, 6.0, 5.0) if quick else (500, 60.0, 60.0)
    results: dict[str, Any] = {}
    for replicas in (1, 2):
        name = "one_process" if replicas == 1 else "two_replicas"
        figures = await run_load(
            label=name,
            database_url=settings.database_url,
            redis_url=settings.redis_url,
            namespace=f"{settings.redis_namespace}-load{replicas}",
            data_dir=Path(tempfile.mkdtemp(prefix="castmatch-load-")),
            conversations=conversations,
            duration=duration,
            replicas=replicas,
            turn_timeout=timeout,
        )
        figures["rss_growth_after_warmup_mb"] = max(
            r["growth_after_warmup"] for r in figures.pop("rss_mb")
        )
        slopes = [r["slope_mb_per_min"] for r in figures["rss_growth"] if "slope_mb_per_min" in r]
        figures["rss_slope_after_warmup_mb_per_min"] = max(slopes) if slopes else None
        results[name] = figures
    return results
