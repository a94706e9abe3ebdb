"""Hybrid search over the sample catalogue: filters never violated, consent, forget, JSON."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import select

from talent import index as index_module
from talent import vectors
from talent.cli import forget_talent, search_command
from talent.filters import Filters
from talent.importer import import_file
from talent.index import CatalogueIndex, catalogue_index, database_state
from talent.models import SHARED, Talent
from talent.sample import load_sample_catalogue, read_sample
from talent.search import search
from talent.shortlists import add as shortlist_add
from talent.shortlists import ensure_role, show
from talent.vectors import VectorStore
from tests.talent.conftest import profile, write_jsonl

QUERIES = [
    "actors in Mumbai aged 25-35 who speak Marathi and can do kathak",
    "woman in her 20s from Delhi",
    "man around 40 with a showreel",
    "5'10\"+ male who can do horse riding",
    "Mumbai mein 20-30 saal ki Marathi bolne wali ladki",
    "मराठी बोलणारी मुलगी 25 ते 35 वर्षांची",
    "menacing villain in his 50s",
    "Punjabi speaking actress under 165 cm",
    "credits 2020-2024 comic timing",
    "Pune or willing to travel, swimming",
    "teen girl bharatanatyam",
    "someone who can play a tough cop",
]


@pytest.fixture
async def sample(services) -> list[str]:
    """The sample catalogue in the shared catalogue (loaded once per test database)."""
    async with services.sessions() as session:
        present = await session.scalar(
            select(Talent.row_id).where(Talent.id == "cm-00001", Talent.workspace == SHARED)
        )
    if present is None:
        await load_sample_catalogue(services)
    records, _ = read_sample()
    return [r.id for r in records if not r.consent]


def violates(row: Talent, f: Filters) -> list[str]:
    """Checked in Python, independently of the SQL that selected the rows."""
    bad = []
    if f.gender and row.gender != f.gender:
        bad.append("gender")
    if f.age_min is not None and (row.playing_age_max or -1) < f.age_min:
        bad.append("age_min")
    if f.age_max is not None and (row.playing_age_min or 999) > f.age_max:
        bad.append("age_max")
    if f.cities and row.city not in f.cities and not (f.willing_to_travel and row.travels):
        bad.append("city")
    if f.willing_to_travel and not f.cities and not row.travels:
        bad.append("travel")
    if not set(f.languages) <= set(row.languages):
        bad.append("languages")
    if not set(f.skills) <= set(row.skills):
        bad.append("skills")
    if f.height_min is not None and (row.height_cm or 0) < f.height_min:
        bad.append("height_min")
    if f.height_max is not None and (row.height_cm or 999) > f.height_max:
        bad.append("height_max")
    if f.has_showreel and not row.showreel_url:
        bad.append("showreel")
    if f.credits_from or f.credits_to:
        low, high = f.credits_from or 0, f.credits_to or 9999
        if not any(low <= y <= high for y in row.credit_years):
            bad.append("credits")
    if not row.consent:
        bad.append("consent")
    return bad


async def test_filters_are_never_violated(services, sample: list[str]) -> None:
    for query in QUERIES:
        result = await search(services, query, limit=20)
        assert result.hits or result.qualified == 0, query
        ids = [h.id for h in result.hits]
        async with services.sessions() as session:
            rows = (await session.execute(select(Talent).where(Talent.id.in_(ids)))).scalars()
            for row in rows:
                assert not violates(row, result.filters), (query, row.id, result.filters)
        for hit in result.hits:
            assert 0.0 <= hit.card.score <= 1.0 and hit.card.why
        scores = [h.card.score for h in result.hits]
        assert scores == sorted(scores, reverse=True)


async def test_why_names_filters_and_a_phrase(services, sample: list[str]) -> None:
    result = await search(services, "Marathi speaking women in Mumbai who have played a cop")
    top = result.hits[0].card
    assert "speaks Marathi" in top.why and "in Mumbai" in top.why and "female" in top.why
    assert "“" in top.why  # the profile phrase that matched


async def test_consent_false_is_never_returned(
    services, sample: list[str], tmp_path: Path, prefix: str
) -> None:
    hidden = set(sample)
    assert hidden, "the sample should include people who withdrew consent"
    for query in ("actor", "Mumbai", "women in Mumbai", *QUERIES[:4]):
        result = await search(services, query, limit=100)
        assert not hidden & {h.id for h in result.hits}
    bio = "Zorblax is an underwater puppeteer who juggles flaming torches on stilts."
    record = profile(prefix + "shy", bio=bio, consent=False, city="Goa")
    path = write_jsonl(tmp_path / "c.jsonl", [record])
    await import_file(services, path)
    result = await search(services, "underwater puppeteer with flaming torches on stilts in Goa")
    assert prefix + "shy" not in [h.id for h in result.hits]
    record["consent"] = True
    await import_file(services, write_jsonl(tmp_path / "c.jsonl", [record]))
    result = await search(services, "underwater puppeteer with flaming torches on stilts in Goa")
    assert result.hits[0].id == prefix + "shy"


async def test_search_command_json(services, sample: list[str], capsys) -> None:
    code = await search_command(services, "kathak dancer in Pune", as_json=True, limit=5)
    assert code == 0
    results = json.loads(capsys.readouterr().out)
    assert 1 <= len(results) <= 5
    for item in results:
        assert set(item) == {"id", "name", "score", "why"}
        assert isinstance(item["score"], float) and 0 <= item["score"] <= 1
        assert isinstance(item["why"], str) and item["why"]
    assert await search_command(services, "  ", as_json=True, limit=5) == 2


async def test_forget_talent(services, sample: list[str], tmp_path: Path, prefix: str) -> None:
    bio = "Quillon is a left-handed archer and falconer from the Thar desert."
    path = write_jsonl(tmp_path / "f.jsonl", [profile(prefix + "gone", bio=bio)])
    await import_file(services, path)
    role = await ensure_role(services, prefix + "ws", "Archer")
    await shortlist_add(services, role, [prefix + "gone"], actor="test")
    assert (await search(services, "left-handed archer falconer Thar desert")).hits[0].id == (
        prefix + "gone"
    )
    said = await forget_talent(services, prefix + "gone")
    assert "1 profile" in said and "1 shortlist entry" in said
    result = await search(services, "left-handed archer falconer Thar desert")
    assert prefix + "gone" not in [h.id for h in result.hits]
    assert await show(services, role) == []
    index = await catalogue_index(services)
    await index.ensure_fresh(force=True)
    assert index.state is not None and index.state.count == index.size
    again = await forget_talent(services, prefix + "gone")
    assert again.startswith("Nothing to forget")


async def test_index_is_rebuilt_when_missing_or_stale(services, sample: list[str]) -> None:
    index = await catalogue_index(services)
    size = index.size
    index.path.unlink()
    fresh = CatalogueIndex(services)
    await fresh.open()
    assert fresh.size == size and fresh.path.exists()
    index.meta_path.write_text(json.dumps({"count": 1, "newest": ""}))
    stale = CatalogueIndex(services)
    await stale.open()
    assert stale.size == size


def test_exact_and_selector_strategies_agree() -> None:
    rng = np.random.default_rng(7)
    vectors = rng.standard_normal((5000, 32)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    store = VectorStore(32)
    ids = np.arange(100, 5100, dtype=np.int64)
    store.upsert(ids, vectors)
    query = vectors[10]
    allowed = ids[::7]
    exact_ids, exact_scores = store._search_exact(query.reshape(1, -1), 10, allowed)
    index_ids, index_scores = store._search_index(query.reshape(1, -1), 10, allowed)
    assert exact_ids.tolist() == index_ids.tolist()
    assert np.allclose(exact_scores, index_scores, atol=1e-5)
    assert set(exact_ids.tolist()) <= set(allowed.tolist())
    assert store.search(query, 5, np.array([], dtype=np.int64))[0].size == 0
    store.remove(ids[:10])
    assert 100 not in store.search(query, 5)[0].tolist()


def _ivf_store(count: int, seed: int) -> tuple[VectorStore, np.ndarray, np.ndarray]:
    """A small trained IVF holding `count` random unit vectors under ids 1..count."""
    rng = np.random.default_rng(seed)
    vectors = rng.standard_normal((count, 32)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    ids = np.arange(1, count + 1, dtype=np.int64)
    store = VectorStore(32, kind="ivf", nlist=16)
    store.train(vectors)
    store.upsert(ids, vectors)
    return store, ids, vectors


def test_ivf_filtered_search_is_exact_for_selective_filters() -> None:
    store, ids, vectors = _ivf_store(4000, seed=11)
    query = vectors[5]
    allowed = ids[::50]  # 80 ids: scored one by one through the id map
    got, _ = store.search(query, 10, allowed)
    expected = allowed[np.argsort(-(vectors[allowed - 1] @ query))[:10]]
    assert got.tolist() == expected.tolist()


def test_ivf_search_under_a_broad_filter_returns_only_allowed_profiles() -> None:
    """Past the exact-subset limit a filter goes to the IVF with a selector and wider probing:
    nobody outside the filter comes back, and (every list probed at this size) the nearest
    allowed profiles are the ones found."""
    store, ids, vectors = _ivf_store(9000, seed=13)
    allowed = ids[::3]  # 3,000 ids, a third of the catalogue
    query = vectors[7]
    got, _ = store.search(query, 10, allowed)
    assert set(got.tolist()) <= set(allowed.tolist())
    expected = allowed[np.argsort(-(vectors[allowed - 1] @ query))[:10]]
    assert got.tolist() == expected.tolist()


def test_ivf_search_probes_a_broad_filter_and_scans_a_narrow_one_exactly(monkeypatch) -> None:
    """A 1M catalogue's choice in miniature (16 lists, one probed before widening): a broad
    filter probes a few lists with a selector and returns only allowed profiles; a narrow one,
    whose widened probe would reach half the lists, scans them all and finds exactly
    the nearest allowed profiles, query after query."""
    monkeypatch.setattr(vectors, "IVF_EXACT_LIMIT", 50)  # (1M: 2,000 through the id map)
    store, ids, matrix = _ivf_store(9000, seed=14)
    store.filtered_nprobe = 1
    broad, narrow = ids[::3], ids[::50]  # a third; 180 profiles, 2%
    assert store.strategy(len(broad)) == "index+selector"
    assert store.strategy(len(narrow)) == "exact-scan"
    for row in range(0, 400, 20):
        got, _ = store.search(matrix[row], 10, broad)
        assert len(got) == 10 and set(got.tolist()) <= set(broad.tolist())
        got, _ = store.search(matrix[row], 10, narrow)
        expected = narrow[np.argsort(-(matrix[narrow - 1] @ matrix[row]))[:10]]
        assert got.tolist() == expected.tolist()


async def test_a_large_catalogue_is_rebuilt_as_an_ivf_index(
    services, sample: list[str], monkeypatch
) -> None:
    """Past the size where one exact scan is too slow (here lowered to fit the sample), the
    product's own rebuild makes an IVF index, saves it, reopens it, and still finds people."""
    monkeypatch.setattr(vectors, "IVF_FROM", 100)
    index = await catalogue_index(services)
    index.path.unlink()
    large = CatalogueIndex(services)
    await large.open()
    assert large.store.kind == "ivf" and large.size == index.size
    reopened = CatalogueIndex(services)
    await reopened.open()
    assert reopened.store.kind == "ivf" and reopened.size == index.size
    async with services.sessions() as session:
        row_id, blob = (
            await session.execute(
                select(Talent.row_id, Talent.embedding)
                .where(Talent.consent.is_(True), Talent.embedding.is_not(None))
                .limit(1)
            )
        ).one()
    found, sims = await reopened.search(np.frombuffer(blob, dtype=np.float32), 5, None)
    assert row_id in found and sims[0] > 0.999  # (another file's import may hold a twin)
    monkeypatch.undo()
    index.path.unlink()  # the rest of the session gets the flat index back
    restored = CatalogueIndex(services)
    await restored.open()
    assert restored.store.kind == "flat"


def test_ivf_exact_search_skips_ids_it_does_not_hold() -> None:
    """A filter's ids can name a profile the index no longer holds (changed since): the
    others are still ranked exactly, and removing and re-adding a profile works."""
    store, ids, vectors = _ivf_store(3000, seed=12)
    assert store.remove(ids[:3]) == 3
    allowed = np.concatenate([ids[:3], ids[3::40]])
    got, _ = store.search(vectors[0], 10, allowed)
    present = ids[3::40]
    expected = present[np.argsort(-(vectors[present - 1] @ vectors[0]))[:10]]
    assert got.tolist() == expected.tolist()
    store.upsert(ids[:1], vectors[:1])
    assert store.search(vectors[0], 1, allowed)[0].tolist() == [1]


ARCHER_QUERY = "left-handed archer and falconer from the Thar desert"


async def test_a_stale_large_index_serves_while_a_new_one_builds(
    services, sample, tmp_path: Path, prefix: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(index_module, "BACKGROUND_FROM", 1)  # the sample counts as large
    await catalogue_index(services)  # this process's index, saved with the catalogue's state
    serving = CatalogueIndex(services)
    await serving.open()  # another replica's index: loaded from the same file
    assert not serving.rebuilding

    # "another replica" imports a profile: the serving index no longer matches PostgreSQL
    bio = "Quillon is a left-handed archer and falconer from the Thar desert."
    await import_file(services, write_jsonl(tmp_path / "q.jsonl", [profile(prefix + "q", bio=bio)]))
    services.provide(serving)  # searches now go through the stale one

    release = asyncio.Event()
    real_build = serving._build

    async def held_build(wanted):  # type: ignore[no-untyped-def]
        await release.wait()  # the rebuild is slow: searches must not wait for it
        return await real_build(wanted)

    monkeypatch.setattr(serving, "_build", held_build)
    serving._checked_at = 0.0  # due for its periodic check
    await serving.ensure_fresh()
    async with asyncio.timeout(30):
        while not serving.rebuilding:  # noqa: ASYNC110 (the background check starts it)
            await asyncio.sleep(0.01)
    size_before = serving.size

    found = await search(services, ARCHER_QUERY)
    assert found.hits and found.hits[0].id == prefix + "q"
    assert serving.rebuilding and serving.size == size_before  # answered by the old index

    release.set()
    async with asyncio.timeout(120):
        while serving.rebuilding:  # noqa: ASYNC110
            await asyncio.sleep(0.05)
    assert serving.state == await database_state(services)
    assert serving.size == size_before + 1  # the new index holds the profile itself
    again = await search(services, ARCHER_QUERY)
    assert again.hits[0].id == prefix + "q"
