"""Talent search at catalogue scale, through the running product (PostgreSQL + the index).

    python -m benchmarks.talent_scale [--profiles 1000000] [--database castmatch_talent_scale]
                                      [--queries 200] [--whole 20] [--generation 2]
                                      [--out scale.json]

`talent_bench._speed` times the vector index alone. This times what a user waits for: a
catalogue of `--profiles` rows in PostgreSQL, the product's own index opened on it
(`talent.index`, rebuilt from PostgreSQL and saved on the first run), and per query:

- `allowed_*`: the ids meeting the hard filters (`talent.search._qualifying`);
- `vectors_*`: the FAISS search over them (`CatalogueIndex.search`);
- `allowed_and_vectors_*`: the two together (`--queries` per filter; the query's
  embedding is computed beforehand and not in it), and `..._cpu_*` the CPU time this
  process spent on them (every thread: PostgreSQL's own work is not in it);
- `search_*`: the whole `search_parsed` (query embedding, full-text rank, credits, rows,
  availability; `--whole` per filter);
- `recall_at_10`: the index search's top 10 against exact inner products over the same
  allowed profiles.

The catalogue is built once and reused while the database holds `--profiles` rows: each
row copies one sample profile's fields (gender, ages, city, languages, skills, credits,
consent...) with a copy of its embedding moved a little, written with COPY (minutes, not the
hours an import would take). The vectors are also kept as `vectors.npy` in the data folder,
for the exact search that recall is measured against.

How a copy is moved is `--generation`: 1 (until 2026-12-07) adds isotropic noise of σ 0.03 a
dimension, which puts a copy as far from its own profile as two random real profiles are
(cosine ~0.86 against ~0.85), so which copies are nearest a query is decided by noise in
384 random directions; 2 (the default) moves it along the directions in which the sample's
real profiles differ, half their spread (cosine ~0.98 to its profile; a real profile's
nearest other profile is at ~0.956). A database keeps the generation it was built with.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import psutil
import psycopg
from psycopg.types.json import Jsonb

from benchmarks.stats import percentile
from bot.jobs import conninfo
from bot.settings import Settings
from castmatch.bench import bench_services
from talent import credits
from talent.filters import Filters
from talent.index import catalogue_index
from talent.profile import TalentRecord, name_key
from talent.query import parse
from talent.sample import read_sample
from talent.search import _qualifying, catalogues_for, search_parsed

if TYPE_CHECKING:
    from bot.services import Services

K = 10

# Hard filters of the kinds coordinators ask for, from broad to narrow (written for this
# benchmark, not taken from any evaluation set).
FILTERS: dict[str, Filters] = {
    "female": Filters(gender="female"),
    "male 25-35": Filters(gender="male", age_min=25, age_max=35),
    "female Mumbai 20-30": Filters(gender="female", cities=["Mumbai"], age_min=20, age_max=30),
    "Delhi or travels, up to 30": Filters(cities=["Delhi"], willing_to_travel=True, age_max=30),
    "Marathi speakers": Filters(languages=["Marathi"]),
    "Hindi+English dancers": Filters(languages=["Hindi", "English"], skills=["dancer"]),
    "male 180+ cm with showreel": Filters(gender="male", height_min=180, has_showreel=True),
    "credits 2015-2018, Pune": Filters(credits_from=2015, credits_to=2018, cities=["Pune"]),
    "female Lucknow kathak": Filters(gender="female", cities=["Lucknow"], skills=["kathak"]),
}
# What the queries ask for beyond the filters (the part that is embedded).
TEXTS = (
    "a stern police officer",
    "warm elderly grandmother",
    "college student, comic timing",
    "menacing villain",
    "village farmer",
    "corporate lawyer in courtroom dramas",
    "romantic lead",
    "army officer",
    "doctor in a hospital drama",
    "street-smart teenager",
)

_COLUMNS = (
    "workspace, id, name, name_key, gender, birth_year, playing_age_min, playing_age_max, "
    "city, travels, languages, skills, height_cm, bio, credits, credit_years, agency, "
    "headshot_url, showreel_url, consent, extra, content_hash, embedding, created_at, updated_at"
)


def _log(text: str) -> None:
    print(f"[talent scale] {time.strftime('%H:%M:%S')} {text}", file=sys.stderr, flush=True)


# -- building the catalogue -------------------------------------------------------------------


def _count(url: str) -> int:
    with psycopg.connect(url) as conn:
        return int(conn.execute("SELECT count(*) FROM talent").fetchone()[0])  # type: ignore[index]


def noisy_copies(base: np.ndarray, picks: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Generation 1: each copy is its profile's vector plus isotropic noise of σ 0.03 a
    dimension (a noise of norm ~0.59, more than the spread between real profiles)."""
    vectors = np.empty((len(picks), base.shape[1]), np.float32)
    for offset in range(0, len(picks), 100_000):
        chunk = base[picks[offset : offset + 100_000]]
        chunk = chunk + rng.standard_normal(chunk.shape).astype(np.float32) * 0.03
        vectors[offset : offset + 100_000] = chunk / np.linalg.norm(chunk, axis=1, keepdims=True)
    return vectors


def neighbour_copies(base: np.ndarray, picks: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Generation 2: each copy is its profile's vector moved along the directions in which
    the sample's real profiles differ (noise with the sample's own covariance, at
    `NEIGHBOUR_SCALE` of its size): a distinct person like that one, nearer to it than its
    nearest real neighbour is."""
    centred = base - base.mean(axis=0)
    _, spread, directions = np.linalg.svd(centred, full_matrices=False)
    scale = (spread / np.sqrt(len(base)) * NEIGHBOUR_SCALE).astype(np.float32)
    directions = directions.astype(np.float32)
    vectors = np.empty((len(picks), base.shape[1]), np.float32)
    for offset in range(0, len(picks), 100_000):
        chunk = base[picks[offset : offset + 100_000]]
        weights = rng.standard_normal((len(chunk), len(scale))).astype(np.float32) * scale
        chunk = chunk + weights @ directions
        vectors[offset : offset + 100_000] = chunk / np.linalg.norm(chunk, axis=1, keepdims=True)
    return vectors


GENERATIONS = {1: noisy_copies, 2: neighbour_copies}
# Generation 2's noise, as a share of the sample's own spread: a copy's cosine to its profile
# ~0.98, where a sample profile's nearest other profile is at ~0.956 (median) and two
# random ones at ~0.854.
NEIGHBOUR_SCALE = 0.5


def catalogue_vectors(n: int, generation: int) -> tuple[list[TalentRecord], np.ndarray, np.ndarray]:
    """The sample records, which one each of `n` profiles copies, and their vectors."""
    records, by_id = read_sample()
    base = np.vstack([by_id[r.id] for r in records])
    rng = np.random.default_rng(n)
    picks = rng.integers(0, len(records), n)
    return records, picks, GENERATIONS[generation](base, picks, rng)


def build_catalogue(url: str, n: int, vectors_path: Path, generation: int) -> None:
    """Fill an empty catalogue with `n` copies of sample profiles (blocking; a thread)."""
    records, picks, vectors = catalogue_vectors(n, generation)
    now = time.strftime("%Y-%m-%d %H:%M:%S+00", time.gmtime())
    with psycopg.connect(url) as conn:
        with conn.cursor() as cur, cur.copy(f"COPY talent ({_COLUMNS}) FROM STDIN") as copy:
            for n_row, pick in enumerate(picks.tolist()):
                r = records[pick]
                copy.write_row((
                    "", f"s{n_row + 1:07d}", r.name, name_key(r.name), r.gender, r.birth_year,
                    r.playing_age_min, r.playing_age_max, r.city, r.travels, r.languages,
                    r.skills, r.height_cm, r.bio, Jsonb([c.model_dump() for c in r.credits]),
                    r.credit_years(), r.agency, r.headshot_url, r.showreel_url, r.consent,
                    Jsonb({}), "scale", vectors[n_row].tobytes(), now, now,
                ))  # fmt: skip
                if n_row % 100_000 == 0:
                    _log(f"profiles written: {n_row:,}")
        _log("credit rows")
        rows = conn.execute("SELECT row_id, id FROM talent ORDER BY row_id").fetchall()
        with (
            conn.cursor() as cur,
            cur.copy(
                "COPY talent_credits (talent_row_id, title, title_key, initials, sound_key, year, "
                "role) FROM STDIN"
            ) as copy,
        ):
            for row_id, talent_id in rows:
                r = records[picks[int(talent_id[1:]) - 1]]
                for c in credits.rows_for(row_id, [c.model_dump() for c in r.credits]):
                    copy.write_row(tuple(c.values()))
        conn.commit()
        ids = np.array([row_id for row_id, _ in rows], dtype=np.int64)
    # the state autovacuum would soon leave a catalogue in (statistics, visibility map)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE) talent")
        conn.execute("VACUUM (ANALYZE) talent_credits")
    np.save(vectors_path, vectors)
    np.save(vectors_path.with_name("ids.npy"), ids)


# -- measuring --------------------------------------------------------------------------------


def _exact(scores: np.ndarray, ids: np.ndarray, allowed: Any) -> set[int]:
    """The true top 10 among the allowed profiles, from every profile's exact score for
    the query (`scores[i]` belongs to row id `ids[i]`)."""
    rows = np.arange(len(ids)) if allowed is None else np.searchsorted(ids, allowed)
    if not len(rows):
        return set()
    picked = scores[rows]
    top = np.argpartition(-picked, K)[:K] if len(rows) > K else np.arange(len(rows))
    return set(ids[rows[top]].tolist())


async def measure(
    services: Services, vectors: np.ndarray, ids: np.ndarray, rounds: int, whole: int
) -> dict[str, Any]:
    """Per filter: `rounds` queries timing the allowed ids and the vector search, then
    `whole` queries timing the whole search (slower; fewer)."""
    index = await catalogue_index(services)
    scope = catalogues_for(None)
    embedded = await services.embedder.queries(list(TEXTS))
    exact_scores = [await asyncio.to_thread(vectors.__matmul__, q) for q in embedded]
    cases = [("unfiltered", Filters()), *FILTERS.items()]
    out: dict[str, Any] = {"profiles": index.size, "index": index.store.kind}
    columns = getattr(index, "columns", None)  # (the code before them has none)
    if columns is not None:
        out["filter_columns_mb"] = round(columns.memory_bytes() / 2**20, 1)
    if index.path.exists():  # the vectors and id map as saved: what the index holds
        out["index_file_mb"] = round(index.path.stat().st_size / 2**20, 1)
    out["process_rss_mb"] = round(psutil.Process().memory_info().rss / 2**20, 1)
    for label, filters in cases:
        allowed_ms, vector_ms, both_ms, cpu_ms, search_ms, recalls = [], [], [], [], [], []
        qualified = 0
        for n in range(rounds):
            vector = embedded[n % len(TEXTS)]
            t0, cpu0 = time.perf_counter(), time.process_time()
            allowed, count = await _qualifying(services, filters, scope)
            t1 = time.perf_counter()
            got, _ = await index.search(vector, K, allowed)
            t2, cpu2 = time.perf_counter(), time.process_time()
            cpu_ms.append((cpu2 - cpu0) * 1000)
            allowed_ms.append((t1 - t0) * 1000)
            vector_ms.append((t2 - t1) * 1000)
            both_ms.append((t2 - t0) * 1000)
            truth = await asyncio.to_thread(_exact, exact_scores[n % len(TEXTS)], ids, allowed)
            recalls.append(len(set(got.tolist()) & truth) / max(1, min(K, len(truth))))
            qualified = count if count is not None else index.size
        for n in range(whole):
            t0 = time.perf_counter()
            await search_parsed(services, parse(TEXTS[n % len(TEXTS)]), filters=filters)
            search_ms.append((time.perf_counter() - t0) * 1000)
        out[label] = {
            "qualified": qualified,
            **_pcts("allowed", allowed_ms),
            **_pcts("vectors", vector_ms),
            **_pcts("allowed_and_vectors", both_ms),
            **_pcts("allowed_and_vectors_cpu", cpu_ms),
            **_pcts("search", search_ms),
            "recall_at_10": round(statistics.mean(recalls), 4),
        }
        _log(f"{label}: {out[label]}")
    return out


def _pcts(name: str, values: list[float]) -> dict[str, float]:
    return {
        f"{name}_p50_ms": round(percentile(values, 50), 2),
        f"{name}_p99_ms": round(percentile(values, 99), 2),
    }


async def main(args: argparse.Namespace) -> dict[str, Any]:
    settings = Settings()
    async with bench_services(settings, name=args.database, fresh=False) as services:
        url = conninfo(services.settings.sqlalchemy_url)
        folder = services.settings.data_path
        vectors_path = folder / "vectors.npy"
        generation_path = folder / "generation"
        have = await asyncio.to_thread(_count, url)
        if have != args.profiles or not vectors_path.exists():
            if have:
                raise SystemExit(f"{args.database} holds {have:,} profiles, not {args.profiles:,}")
            folder.mkdir(parents=True, exist_ok=True)
            _log(f"building {args.profiles:,} profiles into {args.database}")
            await asyncio.to_thread(
                build_catalogue, url, args.profiles, vectors_path, args.generation
            )
            generation_path.write_text(str(args.generation))
        # (a catalogue built before generations were recorded is generation 1)
        built = int(generation_path.read_text()) if generation_path.exists() else 1
        if built != args.generation:
            raise SystemExit(
                f"{args.database} holds generation {built}'s vectors, not {args.generation}'s: "
                "name another database"
            )
        vectors = np.load(vectors_path)
        ids = np.load(vectors_path.with_name("ids.npy"))
        _log("opening the product's index (rebuilt from PostgreSQL when not saved)")
        started = time.perf_counter()
        index = await catalogue_index(services)  # (opened at start-up, maybe before the build)
        await index.ensure_fresh(force=True)
        took = time.perf_counter() - started
        _log(f"index open: {index.size:,} ({index.store.kind}) in {took:.0f} s")
        ready = getattr(index, "ready", None)  # (the code before the memory columns has none)
        if ready is not None:
            await ready()
        figures = await measure(services, vectors, ids, args.queries, args.whole)
        return {"generation": args.generation, **figures}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--profiles", type=int, default=1_000_000)
    parser.add_argument("--database", default="castmatch_talent_scale")
    parser.add_argument(
        "--queries", type=int, default=200, help="per filter, allowed ids + vectors"
    )
    parser.add_argument("--whole", type=int, default=20, help="per filter, whole searches")
    parser.add_argument(
        "--generation",
        type=int,
        choices=sorted(GENERATIONS),
        default=2,
        help="how profile vectors are made: 1 isotropic noise, 2 along the sample's spread",
    )
    parser.add_argument("--out", type=Path)
    arguments = parser.parse_args()
    figures = asyncio.run(main(arguments))
    print(json.dumps(figures, indent=2))
    if arguments.out:
        arguments.out.write_text(json.dumps(figures, indent=2))
