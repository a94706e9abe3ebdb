"""Memory's shortlist lines follow a change at once, in this process and in the others (a
second replica, the turn worker beside the web process), not after their copy expires."""

from __future__ import annotations

from pathlib import Path

from redis.asyncio import Redis

from bot.tools import ToolContext
from talent.context import WorkspaceShortlists
from talent.importer import import_file
from tests.talent.conftest import message, profile, write_jsonl


async def _setup(services, tmp_path: Path, prefix: str) -> tuple[ToolContext, str, str]:
    first, second = prefix + "one", prefix + "two"
    records = [profile(first, name=f"Amruta Quill {prefix}"), profile(second, name="Ira Fenn")]
    await import_file(services, write_jsonl(tmp_path / "a.jsonl", records))
    ctx = ToolContext(message(prefix + "ws"), services)
    await services.tools.run("shortlist_add", {"talent": [first], "role": "Inspector"}, ctx)
    return ctx, first, second


async def test_a_shortlist_change_shows_in_the_next_context(
    services, tmp_path: Path, prefix: str
) -> None:
    ctx, first, second = await _setup(services, tmp_path, prefix)
    workspace = prefix + "ws"
    before = await services.shortlists.lines(workspace)
    assert [line.text for line in before] == [f"Amruta Quill {prefix} (considered)"]

    await services.tools.run("shortlist_add", {"talent": [second], "role": "Inspector"}, ctx)
    after = await services.shortlists.lines(workspace)
    assert "Ira Fenn (considered)" in [line.text for line in after]

    await services.tools.run(
        "shortlist_set_status", {"talent": [first], "status": "dropped", "reason": "dates"}, ctx
    )
    texts = [line.text for line in await services.shortlists.lines(workspace)]
    assert f"Amruta Quill {prefix} (dropped: dates)" in texts


async def test_another_process_sees_the_change_at_once(
    services, tmp_path: Path, prefix: str
) -> None:
    ctx, first, second = await _setup(services, tmp_path, prefix)
    workspace = prefix + "ws"
    # the other replica's copy, on the same Redis and namespace
    other = WorkspaceShortlists(
        services.sessions, services.redis, services.settings.redis_namespace
    )
    assert len(await other.lines(workspace)) == 1

    await services.tools.run("shortlist_remove", {"talent": [first], "role": "Inspector"}, ctx)
    assert await other.lines(workspace) == []

    # a consent withdrawn by an import shows as withdrawn there too
    await services.tools.run("shortlist_add", {"talent": [second], "role": "Inspector"}, ctx)
    assert [line.text for line in await other.lines(workspace)] == ["Ira Fenn (considered)"]
    withdrawn = [profile(second, name="Ira Fenn", consent=False)]
    await import_file(services, write_jsonl(tmp_path / "b.jsonl", withdrawn))
    texts = [line.text for line in await other.lines(workspace)]
    assert texts == ["(withdrawn) (considered)"]


async def test_without_redis_the_lines_are_still_read(
    services, tmp_path: Path, prefix: str
) -> None:
    await _setup(services, tmp_path, prefix)
    unreachable = Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.2)
    try:
        lonely = WorkspaceShortlists(services.sessions, unreachable, "castmatch")
        lines = await lonely.lines(prefix + "ws")
        assert [line.text for line in lines] == [f"Amruta Quill {prefix} (considered)"]
        await lonely.changed(prefix + "ws")  # can't tell the others: no error either
    finally:
        await unreachable.aclose()
