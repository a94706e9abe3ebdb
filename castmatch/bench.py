"""`castmatch bench`: every benchmark of the project, one table, one JSON file.

Benchmarks run against a database of their own (`castmatch_bench`, or `--database NAME`,
on the configured or embedded server, recreated each run) and a Redis namespace of their
own, so a user's data is never touched. The code lives in `benchmarks/` beside the test
doubles it drives.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import json
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import psycopg

from bot.embedded import EmbeddedServers, database_url_for
from bot.settings import Settings

if TYPE_CHECKING:
    from bot.services import Services

BENCHMARKS = ("engine", "memory", "talent", "slack", "whatsapp", "load", "jobs", "share")
ROOT = Path(__file__).resolve().parent.parent


def _bench_database(base_url: str, name: str = "castmatch_bench", fresh: bool = True) -> str:
    """A database called `name` on the same server, recreated unless `fresh` is False."""
    url = database_url_for(base_url, name)
    admin = base_url.replace("postgresql+psycopg://", "postgresql://", 1)
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if exists and not fresh:
            return url
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return url


async def run_bench(
    settings: Settings,
    *,
    out: Path | None,
    quick: bool,
    only: str,
    database: str = "castmatch_bench",
) -> int:
    if not (ROOT / "benchmarks").is_dir():
        print("castmatch bench: run it from a source checkout (benchmarks/ is missing)",
              file=sys.stderr)  # fmt: skip
        return 2
    sys.path.insert(0, str(ROOT))  # benchmarks/ and tests/doubles/ are not installed
    wanted = [name.strip() for name in only.split(",") if name.strip()] or list(BENCHMARKS)
    unknown = sorted(set(wanted) - set(BENCHMARKS))
    if unknown:
        print(f"castmatch bench: unknown benchmark(s) {', '.join(unknown)}; "
              f"choose from {', '.join(BENCHMARKS)}", file=sys.stderr)  # fmt: skip
        return 2
    results: dict[str, Any] = {"quick": quick, "started": time.strftime("%Y-%m-%dT%H:%M:%S")}
    async with bench_services(settings, name=database) as services:
        for name in wanted:
            try:
                module = importlib.import_module(f"benchmarks.{name}_bench")
            except ModuleNotFoundError as exc:
                results[name] = {"error": f"not available: {exc}"}
                continue
            started = time.perf_counter()
            try:
                results[name] = await module.run(services, quick=quick)
            except Exception as exc:  # one broken benchmark must not hide the others
                results[name] = {"error": f"{type(exc).__name__}: {exc}"}
            results[name]["seconds"] = round(time.perf_counter() - started, 1)
    previous = await asyncio.to_thread(_previous, out)
    print(table(results, previous))
    if out is not None:
        await asyncio.to_thread(out.write_text, json.dumps(results, indent=2, default=str))
        print(f"\nfigures written to {out}", file=sys.stderr)
        from benchmarks import growth, plots, stats

        for path in await asyncio.to_thread(plots.write, out, dict(stats.SAMPLES)):
            print(f"plot written to {path}", file=sys.stderr)
        rss_plot = await asyncio.to_thread(growth.write, out)
        if rss_plot is not None:
            print(f"plot written to {rss_plot}", file=sys.stderr)
    return 0


def _previous(out: Path | None) -> dict[str, Any]:
    """The figures of the last run written to `out` (shown beside this run's), if any."""
    if out is None or not out.is_file():
        return {}
    try:
        loaded = json.loads(out.read_text())
    except (OSError, ValueError):
        return {}
    return loaded if isinstance(loaded, dict) else {}


@contextlib.asynccontextmanager
async def bench_services(
    settings: Settings, *, name: str = "castmatch_bench", fresh: bool = True
) -> AsyncIterator[Services]:
    """Services on a database and Redis namespace of their own (embedded servers when no
    URLs are set), recreated on each run."""
    from castmatch.app import open_castmatch

    embedded = None
    base_url, redis_url = settings.sqlalchemy_url, settings.redis_url
    if not base_url or not redis_url:
        embedded = EmbeddedServers(settings.data_path)
        urls = await asyncio.to_thread(embedded.start)
        base_url, redis_url = base_url or urls.database_url, redis_url or urls.redis_url
    try:
        bench_settings = settings.model_copy(
            update={
                "database_url": await asyncio.to_thread(_bench_database, base_url, name, fresh),
                "redis_url": redis_url,
                "redis_namespace": name.replace("_", "-"),
                "data_dir": settings.data_path / name.removeprefix("castmatch_"),
                "rate_limit_per_minute": 0,
                "sample_catalogue": False,
            }
        )
        async with open_castmatch(bench_settings) as services:
            yield services
    finally:
        if embedded is not None:
            await asyncio.to_thread(embedded.release)


def table(results: dict[str, Any], previous: dict[str, Any] | None = None) -> str:
    """One row per figure: benchmark, figure, value, and the previous run's value (when
    `previous`, the last JSON written to the same file, has it)."""
    rows = [("benchmark", "figure", "value", "previous")]
    for name, figures in results.items():
        if not isinstance(figures, dict):
            continue
        before = dict(_flatten(previous.get(name) or {})) if previous else {}
        for figure, value in _flatten(figures):
            old = before.get(figure)
            rows.append((name, figure, _show(value), "" if old is None else _show(old)))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
             for row in rows]  # fmt: skip
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(line.rstrip() for line in lines)


def _flatten(figures: dict[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    flat: list[tuple[str, Any]] = []
    for key, value in figures.items():
        if isinstance(value, dict):
            flat.extend(_flatten(value, f"{prefix}{key}."))
        elif not isinstance(value, list):
            flat.append((f"{prefix}{key}", value))
    return flat


def _show(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.3f}".rstrip("0").rstrip(".")
    return str(value)
