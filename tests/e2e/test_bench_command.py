"""`castmatch bench --database NAME`: a name it can safely drop and recreate, or a clear no."""

from __future__ import annotations

import pytest

from tests.e2e.test_chat import castmatch


@pytest.mark.parametrize(
    "name",
    ["Bench", "bench;drop", "1bench", "b" * 64, "", "castmatch", "postgres", "castmatch_run"],
)
async def test_a_database_name_bench_cant_use_is_refused_before_anything_runs(
    settings_env: dict[str, str], name: str
) -> None:
    code, out, err = await castmatch(settings_env, "bench", "--only", "engine", "--database", name)
    assert code == 2
    assert "is not a database name castmatch bench can use" in err
    assert out == ""
