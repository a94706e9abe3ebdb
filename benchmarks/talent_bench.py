"""Talent search benchmark: quality on real people and on the sample, speed and scale.

`castmatch bench` calls `run(services, quick=...)`. The headline is quality on real people
(`benchmarks/talent_real.py`: a Wikipedia-derived catalogue with hand-written queries,
skipped when that catalogue is not built). Quality on the generated sample runs beside it.
Both run the real hybrid search over private copies, in workspaces of their own that are
removed afterwards. Speed uses synthetic vectors shaped like the catalogue's
(noisy copies of real profile embeddings), at 10K and 100K (and 1M unless quick).
"""

from __future__ import annotations

import asyncio
import secrets
import statistics
import sys
import time
from typing import TYPE_CHECKING, Any

import numpy as np
from sqlalchemy import delete

from benchmarks import talent_real
from talent.importer import import_records
from talent.index import catalogue_index
from talent.models import Talent
from talent.query import parse
from talent.sample import load_sample_catalogue, read_evaluation, read_sample
from talent.search import search_parsed
from talent.vectors import TRAIN_SAMPLE, VectorStore

if TYPE_CHECKING:
    from bot.services import Services

K = 10


def _log(text: str) -> None:
    print(f"[talent bench] {text}", file=sys.stderr, flush=True)


async def run(services: Services, *, quick: bool) -> dict[str, Any]:
    started = time.perf_counter()
    workspace = f"__bench_{secrets.token_hex(4)}"
    results: dict[str, Any] = {}
    try:
        _log("real people: loading the built catalogue (if any) and running its queries")
        results["real"] = await talent_real.evaluate(services, workspace + "_real")
    finally:
        await _drop_workspace(services, workspace + "_real")
    try:
        _log("loading a private copy of the sample catalogue")
        load = await load_sample_catalogue(services, workspace=workspace)
        results["import"] = {
            "precomputed_vectors_profiles_per_s": round(load.per_second, 1),
            "profiles": load.valid,
        }
        _log("quality: labelled queries")
        results["quality"] = await _quality(services, workspace)
        _log("import throughput with embedding")
        results["import"]["with_embedding_profiles_per_s"] = await _import_with_embedding(
            services, workspace, 16 if quick else 256
        )
    finally:
        await _drop_workspace(services, workspace)
    sizes = [10_000, 100_000] if quick else [10_000, 100_000, 1_000_000]
    results["speed"] = {}
    for size in sizes:
        _log(f"speed: {size:,} vectors")
        results["speed"][f"{size // 1000}K"] = await asyncio.to_thread(
            _speed, size, 60 if quick else 300
        )
    results["seconds"] = round(time.perf_counter() - started, 1)
    return results


# -- quality ----------------------------------------------------------------------------------


async def _quality(services: Services, workspace: str) -> dict[str, Any]:
    evaluation = await asyncio.to_thread(read_evaluation)
    records, _ = await asyncio.to_thread(read_sample)
    profiles = {r.id: r for r in records}
    rows: list[dict[str, Any]] = []
    latencies: list[float] = []
    for item in evaluation:
        t0 = time.perf_counter()
        result = await search_parsed(
            services, parse(item["query"]), limit=20, catalogues=[workspace]
        )
        latencies.append((time.perf_counter() - t0) * 1000)
        got = [h.id for h in result.hits]
        expected = set(item["expected"])
        top5 = got[:5]
        rows.append({
            "lang": item["lang"],
            "p5": sum(1 for g in top5 if g in expected) / min(5, len(expected)),
            "r20": sum(1 for g in got if g in expected) / min(20, len(expected)),
            "results": len(got),
            "violations": sum(1 for g in got if _violates(profiles[g], item["conditions"])),
        })  # fmt: skip
    total_results = sum(r["results"] for r in rows) or 1
    by_lang: dict[str, dict[str, float]] = {}
    for lang in sorted({r["lang"] for r in rows}):
        subset = [r for r in rows if r["lang"] == lang]
        by_lang[lang] = {
            "queries": len(subset),
            "precision_at_5": round(statistics.mean(r["p5"] for r in subset), 3),
            "recall_at_20": round(statistics.mean(r["r20"] for r in subset), 3),
        }
    return {
        "queries": len(rows),
        "non_english_queries": sum(1 for r in rows if r["lang"] != "en"),
        "precision_at_5": round(statistics.mean(r["p5"] for r in rows), 3),
        "recall_at_20": round(statistics.mean(r["r20"] for r in rows), 3),
        "filter_violation_share": round(sum(r["violations"] for r in rows) / total_results, 4),
        "by_language": by_lang,
        "search_ms_p50": round(_pct(latencies, 50), 1),
        "search_ms_p99": round(_pct(latencies, 99), 1),
    }


def _violates(record: Any, cond: dict[str, Any]) -> bool:
    """A result breaking one of the query's hard conditions (character types are soft)."""
    low, high = record.playing_age_min, record.playing_age_max
    return not all([
        "gender" not in cond or record.gender == cond["gender"],
        "age" not in cond or (low is not None and high >= cond["age"][0] and low <= cond["age"][1]),
        "city" not in cond or record.city == cond["city"],
        "language" not in cond or cond["language"] in record.languages,
        "skill" not in cond or cond["skill"] in record.skills,
        "height_min" not in cond or (record.height_cm or 0) >= cond["height_min"],
        "showreel" not in cond or bool(record.showreel_url),
        record.consent,
    ])  # fmt: skip


async def _import_with_embedding(services: Services, workspace: str, count: int) -> float:
    records, _ = await asyncio.to_thread(read_sample)
    fresh = [r.model_copy(update={"id": f"emb-{r.id}"}) for r in records[:count]]
    report = await import_records(services, fresh, workspace=workspace)
    return round(report.per_second, 1)


async def _drop_workspace(services: Services, workspace: str) -> None:
    async with services.sessions() as session, session.begin():
        removed = (
            (
                await session.execute(
                    delete(Talent).where(Talent.workspace == workspace).returning(Talent.row_id)
                )
            )
            .scalars()
            .all()
        )
    index = await catalogue_index(services)
    await index.apply({}, list(removed))


# -- speed and scale ---------------------------------------------------------------------------


def _synthetic(n: int, seed: int) -> np.ndarray:
    """Noisy copies of real profile embeddings: clustered like a real catalogue."""
    records, vectors = read_sample()
    base = np.vstack([vectors[r.id] for r in records]) if vectors else None
    rng = np.random.default_rng(seed)
    if base is None:
        base = rng.standard_normal((2000, 384)).astype(np.float32)
    out = np.empty((n, base.shape[1]), np.float32)
    step = 100_000
    for offset in range(0, n, step):
        m = min(step, n - offset)
        picks = base[rng.integers(0, len(base), m)]
        noise = rng.standard_normal(picks.shape).astype(np.float32) * 0.03
        chunk = picks + noise
        chunk /= np.linalg.norm(chunk, axis=1, keepdims=True)
        out[offset : offset + m] = chunk
    return out


def _mixed(data: np.ndarray, count: int, seed: int) -> np.ndarray:
    """Harder queries: the normalised sum of two random catalogue vectors, whose nearest
    neighbours straddle two clusters (a noisy copy's lie in its own, which any IVF finds)."""
    rng = np.random.default_rng(seed)
    mixed = data[rng.integers(0, len(data), count)] + data[rng.integers(0, len(data), count)]
    return mixed / np.linalg.norm(mixed, axis=1, keepdims=True)


def _speed(n: int, n_queries: int) -> dict[str, Any]:
    data = _synthetic(n, seed=n)
    queries = _synthetic(n_queries, seed=n + 1)
    mixed = _mixed(data, n_queries, seed=n + 3)
    ids = np.arange(1, n + 1, dtype=np.int64)
    t0 = time.perf_counter()
    # the index the product builds for a catalogue this size (talent.index._rebuild):
    # flat, or IVF trained on the first TRAIN_SAMPLE rows
    store = VectorStore.for_size(data.shape[1], n)
    if not store.trained:
        store.train(data[:TRAIN_SAMPLE])
    for offset in range(0, n, 200_000):
        store.index.add_with_ids(data[offset : offset + 200_000], ids[offset : offset + 200_000])
    build_s = time.perf_counter() - t0
    rng = np.random.default_rng(n + 2)
    out: dict[str, Any] = {
        "index": store.kind
        + (
            f" (nlist {store.index.nlist}, nprobe {store.nprobe}, "
            f"filtered {store.filtered_nprobe}/sqrt(share))"
            if store.kind == "ivf"
            else ""
        ),
        "build_s": round(build_s, 1),
        "memory_mb": round((n * data.shape[1] * 4 + n * 8) / 2**20, 1),
    }
    for label, share in (
        ("unfiltered", None),
        ("filter_0.1pct", 0.001),
        ("filter_1pct", 0.01),
        ("filter_20pct", 0.2),
    ):
        allowed = None
        if share is not None:
            allowed = np.sort(rng.choice(ids, max(int(n * share), 10), replace=False))
        times, cpu, recalls = [], [], []
        for q in queries:
            started, started_cpu = time.perf_counter(), time.thread_time()
            got, _ = store.search(q, K, allowed)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.thread_time() - started_cpu) * 1000)
            recalls.append(len(set(got.tolist()) & _exact(data, ids, q, allowed)) / K)
        mixed_recalls = [
            len(set(store.search(q, K, allowed)[0].tolist()) & _exact(data, ids, q, allowed)) / K
            for q in mixed
        ]
        out[label] = {
            "strategy": store.strategy(None if allowed is None else len(allowed)),
            "p50_ms": round(_pct(times, 50), 2),
            "p99_ms": round(_pct(times, 99), 2),
            "cpu_p50_ms": round(_pct(cpu, 50), 2),
            "cpu_p99_ms": round(_pct(cpu, 99), 2),
            "recall_at_10": round(statistics.mean(recalls), 4),
            "recall_at_10_mixed": round(statistics.mean(mixed_recalls), 4),
        }
    return out


def _exact(
    data: np.ndarray, ids: np.ndarray, q: np.ndarray, allowed: np.ndarray | None
) -> set[int]:
    if allowed is None:
        scores = data @ q
        top = np.argpartition(-scores, K)[:K]
        return set(ids[top].tolist())
    scores = data[allowed - 1] @ q  # ids are 1..n
    top = np.argpartition(-scores, K)[:K]
    return set(allowed[top].tolist())


def _pct(values: list[float], pct: float) -> float:
    return float(np.percentile(values, pct)) if values else 0.0


def table(results: dict[str, Any]) -> str:
    """A readable summary for `castmatch bench`."""
    lines = _real_table(results.get("real", {}))
    q = results.get("quality", {})
    lines += [
        f"sample quality (generated): {q.get('queries')} queries "
        f"({q.get('non_english_queries')} hi/mr/hinglish) "
        f"P@5 {q.get('precision_at_5')}  R@20 {q.get('recall_at_20')}  "
        f"violations {q.get('filter_violation_share')}  search p50 {q.get('search_ms_p50')} ms "
        f"p99 {q.get('search_ms_p99')} ms",
    ]
    for lang, row in q.get("by_language", {}).items():
        lines.append(
            f"  {lang:9} n={row['queries']:<3} "
            f"P@5 {row['precision_at_5']}  R@20 {row['recall_at_20']}"
        )
    imp = results.get("import", {})
    lines.append(
        f"import: {imp.get('precomputed_vectors_profiles_per_s')} profiles/s "
        f"(precomputed vectors), {imp.get('with_embedding_profiles_per_s')} profiles/s (embedding)"
    )
    for size, row in results.get("speed", {}).items():
        parts = [f"{size:>5} {row['index']}, {row['memory_mb']} MB, build {row['build_s']} s"]
        for label in ("unfiltered", "filter_0.1pct", "filter_1pct", "filter_20pct"):
            r = row[label]
            parts.append(
                f"    {label:13} {r['strategy']:15} p50 {r['p50_ms']} ms  p99 {r['p99_ms']} ms  "
                f"(CPU {r['cpu_p50_ms']} / {r['cpu_p99_ms']} ms)  recall@10 "
                f"{r['recall_at_10']}, mixed queries {r['recall_at_10_mixed']}"
            )
        lines.extend(parts)
    return "\n".join(lines)


def _real_table(real: dict[str, Any]) -> list[str]:
    if "skipped" in real or not real:
        return [f"real people: skipped ({real.get('skipped', 'not run')})"]
    lines = [
        f"real people: {real['profiles']} profiles, {real['queries']} queries; hard-filter "
        f"violations {real['hard_filter_violations']}, consent violations "
        f"{real['consent_violations']}; search p50 {real['search_ms_p50']} ms "
        f"p99 {real['search_ms_p99']} ms"
    ]
    for split in ("test", "dev"):
        row = real["by_split"].get(split, {})
        kinds = "  ".join(
            f"{kind} {row[kind]}"
            for kind in ("structured", "credits", "descriptive")
            if kind in row
        )
        lines.append(
            f"  {split:5} n={row.get('queries')} P@5 {row.get('precision_at_5')}  ({kinds})  "
            f"R@20 {row.get('recall_at_20')}  violations {row.get('violations')}"
        )
    for lang, row in real.get("by_language", {}).items():
        lines.append(f"  {lang:9} n={row['queries']:<3} P@5 {row['precision_at_5']}")
    return lines
