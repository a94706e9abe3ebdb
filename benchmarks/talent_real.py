"""Search quality on real people: the Wikipedia-derived catalogue and hand-written queries.

The queries (`talent/eval/real_queries.jsonl`, committed) say what they ask for in `where`;
the expected people are computed here from the source's own facts (`truth.jsonl`, built by
`scripts/build_real_eval.py`), never from CastMatch's parser. When the built catalogue is
absent the figures say so and are skipped: the data is not part of the repository.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import re
import statistics
import time
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from benchmarks.stats import percentile
from talent.importer import import_records, validate
from talent.query import parse
from talent.reader import read_records
from talent.search import search_parsed

if TYPE_CHECKING:
    from bot.services import Services

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "talent" / "eval" / "real_queries.jsonl"
HARD = ("gender", "age", "languages", "occupations")  # conditions no result may break


def data_dir() -> Path | None:
    """Where the built catalogue is: $CASTMATCH_REAL_EVAL_DIR, else talent/eval/real."""
    configured = os.environ.get("CASTMATCH_REAL_EVAL_DIR", "")
    folder = Path(configured) if configured else ROOT / "talent" / "eval" / "real"
    ready = (folder / "catalogue.jsonl").is_file() and (folder / "truth.jsonl").is_file()
    return folder if ready else None


def read_queries() -> list[dict[str, Any]]:
    return [json.loads(line) for line in QUERIES.read_text("utf-8").splitlines() if line]


def read_truth(folder: Path) -> dict[str, dict[str, Any]]:
    lines = (folder / "truth.jsonl").read_text("utf-8").splitlines()
    return {fact["id"]: fact for fact in map(json.loads, filter(None, lines))}


def title_key(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", title.lower())


def _age(fact: dict[str, Any], today: date) -> int | None:
    year = fact.get("birth_year")
    return None if year is None else today.year - int(year)


def _ages(where: dict[str, Any], today: date) -> tuple[int, int] | None:
    """The ages a query asks for: `age` [low, high], or `birth_years` [first, last] read
    as the ages those years give this year (the query file holds years, not ages that
    would drift by one each new year)."""
    if "birth_years" in where:
        first, last = where["birth_years"]
        return (today.year - last, today.year - first)
    return tuple(where["age"]) if "age" in where else None


def matches(
    fact: dict[str, Any], where: dict[str, Any], truth: dict[str, Any], today: date
) -> bool:
    """Does this person answer the query, by the source's facts?"""
    age = _age(fact, today)
    ages = _ages(where, today)
    credits = fact.get("credits", [])
    tests = [
        "gender" not in where or fact.get("gender") == where["gender"],
        ages is None or (age is not None and ages[0] <= age <= ages[1]),
        set(where.get("languages", ())) <= set(fact.get("languages", ())),
        set(where.get("occupations", ())) <= set(fact.get("occupations", ())),
    ]
    if "film" in where:
        wanted = title_key(where["film"])
        tests.append(
            any(
                title_key(c["title"]) == wanted and where.get("year", c["year"]) == c["year"]
                for c in credits
            )
        )
    if "credit_years" in where:
        low, high = where["credit_years"]
        tests.append(any(low <= c["year"] <= high for c in credits))
    if "worked_with" in where:
        other = truth.get(where["worked_with"], {})
        theirs = {(title_key(c["title"]), c["year"]) for c in other.get("credits", [])}
        mine = {(title_key(c["title"]), c["year"]) for c in credits}
        tests.append(fact["id"] != other.get("id") and bool(theirs & mine))
    if "text" in where:
        tests.append(any(re.search(p, fact["lead"], re.I) for p in where["text"]))
    if "born_in" in where:
        places = "|".join(where["born_in"])
        born = r"\b(?i:born)\b[^.]{0,60}?\b(?:" + places + r")\b"
        tests.append(bool(re.search(born, fact["lead"])))
    return all(tests)


def expected(where: dict[str, Any], truth: dict[str, dict[str, Any]], today: date) -> set[str]:
    return {
        pid for pid, fact in truth.items() if fact["consent"] and matches(fact, where, truth, today)
    }


def violation(fact: dict[str, Any], where: dict[str, Any], today: date) -> str | None:
    """The hard condition a result breaks (playing age = real age ± 3), or None."""
    if not fact.get("consent", True):
        return "consent"
    if "gender" in where and fact.get("gender") != where["gender"]:
        return "gender"
    ages = _ages(where, today)
    if ages is not None:
        age = _age(fact, today)
        if age is None or age + 3 < ages[0] or age - 3 > ages[1]:
            return "age"
    if not set(where.get("languages", ())) <= set(fact.get("languages", ())):
        return "languages"
    if not set(where.get("occupations", ())) <= set(fact.get("occupations", ())):
        return "occupations"
    return None


async def load(services: Services, folder: Path, workspace: str) -> int:
    """Import the built catalogue into `workspace`. Embeddings are cached beside it
    (`embeddings.npz`, keyed by each profile's passage), so only the first run embeds."""
    _, raw = await asyncio.to_thread(read_records, folder / "catalogue.jsonl")
    valid, _ = await asyncio.to_thread(validate, raw)
    records = [r for _, r in valid]
    cache = folder / "embeddings.npz"
    cached = await asyncio.to_thread(_read_cache, cache)
    keys = {r.id: hashlib.sha256(r.passage().encode()).hexdigest() for r in records}
    vectors = {r.id: cached[keys[r.id]] for r in records if keys[r.id] in cached}
    missing = [r for r in records if r.id not in vectors]
    if missing:
        matrix = await services.embedder.passages([r.passage() for r in missing])
        vectors.update({r.id: matrix[i] for i, r in enumerate(missing)})
        fresh = {keys[r.id]: vectors[r.id] for r in records}
        await asyncio.to_thread(_write_cache, cache, fresh)
    report = await import_records(services, records, workspace=workspace, vectors=vectors)
    return report.valid


def _read_cache(path: Path) -> dict[str, np.ndarray]:
    if not path.is_file():
        return {}
    with np.load(path) as data:
        return dict(zip(data["keys"].tolist(), data["vectors"], strict=True))


def _write_cache(path: Path, vectors: dict[str, np.ndarray]) -> None:
    keys = np.array(list(vectors))
    np.savez(path.with_suffix(".tmp.npz"), keys=keys, vectors=np.vstack(list(vectors.values())))
    path.with_suffix(".tmp.npz").replace(path)


async def evaluate(services: Services, workspace: str) -> dict[str, Any]:
    folder = data_dir()
    if folder is None:
        return {
            "skipped": "real-people catalogue not built: see talent/eval/SOURCE.md "
            "(scripts/build_real_eval.py; or set CASTMATCH_REAL_EVAL_DIR)"
        }
    started = time.perf_counter()
    profiles = await load(services, folder, workspace)
    load_s = time.perf_counter() - started
    truth = await asyncio.to_thread(read_truth, folder)
    today = date.today()
    rows, latencies = [], []
    for item in read_queries():
        want = expected(item["where"], truth, today)
        if not want:
            continue  # nothing in this catalogue answers it: no precision to measure
        t0 = time.perf_counter()
        result = await search_parsed(
            services, parse(item["query"]), limit=20, catalogues=[workspace]
        )
        latencies.append((time.perf_counter() - t0) * 1000)
        got = [h.id for h in result.hits]
        broken = [violation(truth[g], item["where"], today) for g in got if g in truth]
        rows.append({
            "id": item["id"], "split": item["split"], "kind": item["kind"],
            "lang": item["lang"], "query": item["query"], "expected": len(want),
            "p5": sum(1 for g in got[:5] if g in want) / min(5, len(want)),
            "r20": sum(1 for g in got if g in want) / min(20, len(want)),
            "results": len(got),
            "violations": sum(1 for b in broken if b and b != "consent"),
            "consent_violations": sum(1 for b in broken if b == "consent"),
            "top5": got[:5],
        })  # fmt: skip
    return {
        "profiles": profiles,
        "load_s": round(load_s, 1),
        "queries": len(rows),
        "by_split": {
            split: _summary(r for r in rows if r["split"] == split) for split in ("dev", "test")
        },
        "by_language": {
            lang: _summary(r for r in rows if r["lang"] == lang)
            for lang in sorted({r["lang"] for r in rows})
        },
        "hard_filter_violations": sum(r["violations"] for r in rows),
        "consent_violations": sum(r["consent_violations"] for r in rows),
        "search_ms_p50": round(percentile(latencies, 50), 1),
        "search_ms_p99": round(percentile(latencies, 99), 1),
        "per_query": rows,
    }


def _summary(rows: Iterable[dict[str, Any]]) -> dict[str, Any]:
    rows = list(rows)
    out: dict[str, Any] = {"queries": len(rows)}
    if not rows:
        return out
    out["precision_at_5"] = round(statistics.mean(r["p5"] for r in rows), 3)
    out["recall_at_20"] = round(statistics.mean(r["r20"] for r in rows), 3)
    out["violations"] = sum(r["violations"] for r in rows)
    for kind in ("structured", "credits", "descriptive"):
        subset = [r for r in rows if r["kind"] == kind]
        if subset:
            out[kind] = round(statistics.mean(r["p5"] for r in subset), 3)
    return out
