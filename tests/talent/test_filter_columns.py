"""The filter columns the index keeps in memory allow exactly the profiles SQL allows.

Every comparison runs both on the same seeded catalogue (the sample plus edge cases of a
workspace of the test's own): `FilterColumns.allowed` against the SQL of
`talent.search.filter_clauses`, before and after an edit, a withdrawn consent and an erasure,
and in an index opened afresh (columns read from PostgreSQL, also in the background).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import select

from talent import index as index_module
from talent.cli import forget_talent
from talent.filters import Filters
from talent.importer import import_file, import_records
from talent.index import CatalogueIndex, catalogue_index, indexable
from talent.models import SHARED, Talent
from talent.profile import TalentRecord
from talent.search import catalogues_for, filter_clauses, search
from tests.talent.conftest import profile, write_jsonl
from tests.talent.test_search import sample  # noqa: F401  (the fixture)

# One of each filter, then combinations (an unknown value must allow nobody, as in SQL).
CASES = [
    Filters(),
    Filters(gender="female"),
    Filters(gender="non-binary"),
    Filters(age_min=30),
    Filters(age_max=25),
    Filters(age_min=25, age_max=35),
    Filters(cities=["Mumbai"]),
    Filters(cities=["Pune", "Nagpur"], willing_to_travel=True),
    Filters(willing_to_travel=True),
    Filters(cities=["Atlantis"]),
    Filters(languages=["Marathi"]),
    Filters(languages=["Hindi", "English"]),
    Filters(languages=["Klingon"]),
    Filters(skills=["dancer"]),
    Filters(skills=["kathak", "swimming"]),
    Filters(height_min=175),
    Filters(height_max=160),
    Filters(has_showreel=True),
    Filters(credits_from=2015, credits_to=2018),
    Filters(credits_from=2022),
    Filters(credits_to=2010),
    Filters(gender="male", age_min=40, cities=["Delhi"], languages=["Punjabi"]),
    Filters(gender="female", skills=["dancer"], height_max=165, has_showreel=True),
]


async def _sql(services, filters: Filters, scope: tuple[str, ...]) -> set[int]:
    query = select(Talent.row_id).where(
        *indexable(), Talent.workspace.in_(scope), *filter_clauses(filters)
    )
    async with services.sessions() as session:
        return set((await session.execute(query)).scalars())


async def _assert_same(services, index: CatalogueIndex, scope: tuple[str, ...]) -> None:
    columns = index.filter_columns()
    assert columns is not None
    for filters in CASES:
        held = columns.allowed(filters, scope)
        assert np.all(np.diff(held) > 0)
        assert set(held.tolist()) == await _sql(services, filters, scope), filters.compact()


@pytest.fixture
async def edges(services, sample, prefix: str) -> str:  # noqa: F811
    """Profiles whose columns are missing or odd, in a workspace of their own."""
    records = [
        profile(prefix + "bare", gender=None, birth_year=None, city=None, languages=[],
                skills=[], height_cm=None),
        profile(prefix + "young", birth_year=2010, showreel_url="https://v.example/1",
                credits=[{"title": "Bal Film", "year": 2016}], willing_to_travel=True),
        profile(prefix + "old", gender="male", birth_year=1960, city="Delhi", height_cm=185,
                languages=["Punjabi", "Hindi"], skills=["horse riding", "kathak"]),
        profile(prefix + "nonbinary", gender="non-binary", playing_age_min=28, playing_age_max=34),
        profile(prefix + "hidden", consent=False),
    ]  # fmt: skip
    await import_records(
        services, [TalentRecord.model_validate(r) for r in records], workspace=prefix + "ws"
    )
    return prefix + "ws"


async def test_memory_and_sql_allow_the_same_profiles(services, edges: str) -> None:
    index = await catalogue_index(services)
    for scope in (catalogues_for(None), catalogues_for(edges), (edges,), ("nobody-here",)):
        await _assert_same(services, index, scope)


async def test_they_agree_after_an_edit_a_withdrawal_and_an_erasure(
    services, edges: str, tmp_path: Path, prefix: str
) -> None:
    index = await catalogue_index(services)
    scope = catalogues_for(None)
    mumbai = Filters(cities=["Mumbai"], languages=["Marathi"])
    edited = profile(prefix + "moving", city="Mumbai", languages=["Marathi"])
    await import_file(services, write_jsonl(tmp_path / "a.jsonl", [edited]))
    row_id = await _row_id(services, prefix + "moving")
    assert row_id in index.filter_columns().allowed(mumbai, scope)
    # the same profile moves to Kolkata and speaks Bengali: it leaves the Mumbai answer
    edited.update(city="Kolkata", languages=["Bengali"])
    await import_file(services, write_jsonl(tmp_path / "b.jsonl", [edited]))
    assert row_id not in index.filter_columns().allowed(mumbai, scope)
    assert row_id in index.filter_columns().allowed(Filters(cities=["Kolkata"]), scope)
    await _assert_same(services, index, scope)
    # consent withdrawn: it qualifies for nothing
    edited.update(consent=False)
    await import_file(services, write_jsonl(tmp_path / "c.jsonl", [edited]))
    assert row_id not in index.filter_columns().allowed(Filters(), scope)
    await _assert_same(services, index, scope)
    # given again, then erased
    edited.update(consent=True)
    await import_file(services, write_jsonl(tmp_path / "d.jsonl", [edited]))
    row_id = await _row_id(services, prefix + "moving")
    assert row_id in index.filter_columns().allowed(Filters(cities=["Kolkata"]), scope)
    await forget_talent(services, prefix + "moving")
    assert row_id not in index.filter_columns().allowed(Filters(cities=["Kolkata"]), scope)
    await _assert_same(services, index, scope)
    result = await search(services, "actors in Kolkata who speak Bengali")
    assert prefix + "moving" not in [h.id for h in result.hits]


@pytest.mark.parametrize("large", [False, True])
async def test_an_index_opened_from_its_file_reads_the_columns(
    services, edges: str, monkeypatch: pytest.MonkeyPatch, large: bool
) -> None:
    """Another process (or a restart) opens the saved index: the columns come from
    PostgreSQL, read in the background for a large catalogue, SQL answering meanwhile."""
    await (await catalogue_index(services)).save()
    if large:
        monkeypatch.setattr(index_module, "BACKGROUND_FROM", 1)
    reopened = CatalogueIndex(services)
    await reopened.open()
    await reopened.ready()
    await _assert_same(services, reopened, catalogues_for(edges))


async def test_a_search_under_a_filter_keeps_it_hard(services, edges: str) -> None:
    """The user's view: every result of a filtered search meets the filter."""
    result = await search(services, "male actors over 50 in Delhi who speak Punjabi", limit=20)
    assert result.hits and result.qualified
    async with services.sessions() as session:
        rows = (
            await session.execute(
                select(Talent).where(
                    Talent.id.in_([h.id for h in result.hits]), Talent.workspace == SHARED
                )
            )
        ).scalars()
        for row in rows:
            assert row.gender == "male" and row.city == "Delhi" and "Punjabi" in row.languages
            assert row.playing_age_max >= 50 and row.consent


async def _row_id(services, talent_id: str) -> int:
    async with services.sessions() as session:
        return int(await session.scalar(select(Talent.row_id).where(Talent.id == talent_id)))
