"""The start-up hook: tools registered; the sample loads only into a freshly created database."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from talent import feature, search_feature
from talent.models import Talent


@pytest.mark.parametrize("fresh", [False, True])
async def test_setup_registers_tools_and_loads_sample_only_when_fresh(
    services, monkeypatch: pytest.MonkeyPatch, fresh: bool
) -> None:
    assert "search_talent" in services.tools and "shortlist_add" in services.tools
    loads: list[object] = []

    async def fake_load(running: object) -> None:
        loads.append(running)

    monkeypatch.setattr(search_feature, "load_sample_catalogue", fake_load)
    monkeypatch.setattr(services.settings, "sample_catalogue", True)
    services.fresh_database = fresh
    await feature.setup(services)
    assert loads == ([services] if fresh else [])
    await search_feature.setup(services)  # what `castmatch talent search` attaches alone
    assert loads == ([services, services] if fresh else [])


async def test_sample_profiles_are_valid_and_sized() -> None:
    from talent.sample import read_evaluation, read_sample

    records, vectors = read_sample()
    assert len(records) >= 2000 and len(vectors) == len(records)
    assert sum(r.city == "Mumbai" for r in records) > len(records) / 2
    evaluation = read_evaluation()
    assert len(evaluation) >= 50
    assert sum(item["lang"] != "en" for item in evaluation) >= 20


async def test_sample_loads_into_its_own_workspace(services) -> None:
    from talent.sample import load_sample_catalogue

    report = await load_sample_catalogue(services, workspace="__sample_test")
    assert report.rejected == [] and report.valid >= 2000
    again = await load_sample_catalogue(services, workspace="__sample_test")
    assert again.unchanged == report.valid and again.added == 0
    async with services.sessions() as session:
        count = await session.scalar(
            select(func.count()).where(Talent.workspace == "__sample_test")
        )
    assert count == report.valid
