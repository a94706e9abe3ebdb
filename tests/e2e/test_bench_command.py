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


def test_each_bench_database_gets_a_data_folder_of_its_own(tmp_path) -> None:
    """`bench_services` names the folder by copying the settings with another `data_dir`:
    the copy must not keep the folder the original had already resolved (two benchmark
    databases then shared, and overwrote, one saved index)."""
    from bot.settings import Settings

    settings = Settings(CASTMATCH_DATA_DIR=str(tmp_path))
    assert settings.data_path == tmp_path.resolve()
    copied = settings.model_copy(update={"data_dir": tmp_path / "18s_scale"})
    assert copied.data_path == (tmp_path / "18s_scale").resolve()
