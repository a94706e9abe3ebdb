"""`castmatch talent search` answered by the resident search process (`talent.resident`): the
same output as a search in its own process, never a wrong or lost answer whatever state the
resident is in, and gone with the embedded servers' grace period.

Real processes on the embedded default of a data folder per test, as a user runs them."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import sys
from pathlib import Path

import psutil
import pytest

from bot.embedded import EmbeddedServers
from talent import resident_client
from tests.e2e.test_chat import castmatch
from tests.e2e.test_search_command import embedded_env, postgres_pid

pytestmark = pytest.mark.slow

QUERY = "Marathi actress in Pune"


def place_for(env: dict[str, str]) -> resident_client.Place:
    """Where the resident answering `castmatch(env, ...)` listens (same env and folder)."""
    cwd = Path(env["CASTMATCH_DATA_DIR"]).parent
    where = resident_client.place(resident_client.fingerprint({**os.environ, **env}, cwd))
    assert where is not None, "this user's runtime folder is private"
    return where


def answered(folder: Path) -> int:
    """How many searches residents of `folder` answered (their log says each, no query)."""
    try:
        return (folder / "run" / "search.log").read_text().count("answered a search")
    except OSError:
        return 0


def listening(path: Path) -> bool:
    with socket.socket(socket.AF_UNIX) as probe:
        try:
            probe.connect(os.fspath(path))
        except OSError:
            return False
    return True


async def resident_ready(env: dict[str, str]) -> int:
    """The resident's pid once it listens (started by the search before)."""
    where = place_for(env)
    async with asyncio.timeout(120):  # its imports and the model, on a busy machine
        while not listening(where.socket):  # noqa: ASYNC110 (another process, polled)
            await asyncio.sleep(0.2)
    pid, _ = resident_client.holder(where.pid_file)
    assert pid
    return pid


async def gone(pid: int, timeout_s: float) -> None:
    async with asyncio.timeout(timeout_s):
        while psutil.pid_exists(pid):  # noqa: ASYNC110 (another process's state, polled)
            await asyncio.sleep(0.2)


async def search(env: dict[str, str], *args: str) -> tuple[int, str, str]:
    return await castmatch(env, "talent", "search", *args)


async def search_as_seen(env: dict[str, str], *args: str) -> bytes:
    """What one terminal shows: stdout and stderr on one stream, in the order written
    (unbuffered, as a terminal shows each line when it is printed)."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "castmatch.cli", "talent", "search", *args,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
        env={**os.environ, **env, "PYTHONUNBUFFERED": "1"},
        cwd=Path(env["CASTMATCH_DATA_DIR"]).parent,
    )  # fmt: skip
    async with asyncio.timeout(120):
        out, _ = await process.communicate()
    return out


def stop_everything(folder: Path) -> None:
    resident_client.stop(folder.resolve())
    EmbeddedServers(folder).stop_if_unused()


async def test_warm_searches_come_from_the_resident_as_they_would_in_process(tmp_path: Path):
    folder = tmp_path / "data"
    env = embedded_env(folder, grace_s=20)
    in_process = {**env, "CASTMATCH_SEARCH_RESIDENT": "0"}  # another fingerprint: never asked
    try:
        first = await search(env, QUERY, "--json")
        assert first[0] == 0 and json.loads(first[1]), first[2]
        pid = await resident_ready(env)

        asks = [(QUERY, "--json"), (QUERY, "--limit", "3"), ("   ",), ("kathak dancer over 90",)]
        for ask in asks:
            before = answered(folder)
            by_resident = await search(env, *ask)
            assert answered(folder) == before + 1, "the resident answered"
            assert by_resident == await search(in_process, *ask), "byte for byte, exit code too"
        assert by_resident[0] == 0 and by_resident[1].startswith("no profiles match")
        before = answered(folder)
        seen = await search_as_seen(env, QUERY)
        assert answered(folder) == before + 1
        assert seen == await search_as_seen(in_process, QUERY), "filters line first, as before"

        before = answered(folder)
        together = await asyncio.gather(*(search(env, QUERY, "--json") for _ in range(4)))
        assert all(result == first for result in together), "four at once, each whole"
        assert answered(folder) >= before + 1

        top = json.loads(first[1])[0]["id"]
        code, out, err = await castmatch(env, "forget", f"talent:{top}")
        assert code == 0, err
        before = answered(folder)
        code, out, err = await search(env, QUERY, "--json")
        assert answered(folder) == before + 1
        assert code == 0 and top not in {hit["id"] for hit in json.loads(out)}, "forgotten at once"

        newcomer = {"id": "zz-new-1", "name": "Ira Newcomer", "gender": "female"}
        newcomer["bio"] = "Underwater hockey champion and beekeeper."
        catalogue = tmp_path / "new.jsonl"
        catalogue.write_text(json.dumps(newcomer) + "\n", "utf-8")
        code, _, err = await castmatch(env, "talent", "import", str(catalogue))
        assert code == 0, err
        before = answered(folder)
        code, out, err = await search(env, "underwater hockey beekeeper", "--json")
        assert answered(folder) == before + 1
        assert code == 0 and "zz-new-1" in {hit["id"] for hit in json.loads(out)}, "imported: found"

        await gone(pid, 20 + 90)  # the grace period after the last command, on a busy machine
        assert not place_for(env).socket.exists()
        async with asyncio.timeout(60):
            while postgres_pid(folder):  # noqa: ASYNC110 (another process's state, polled)
                await asyncio.sleep(0.2)
    finally:
        stop_everything(folder)


async def test_a_stale_socket_or_a_resident_dying_mid_search_loses_no_answer(tmp_path: Path):
    folder = tmp_path / "data"
    env = embedded_env(folder, grace_s=60)
    where = place_for(env)
    stale = socket.socket(socket.AF_UNIX)
    stale.bind(os.fspath(where.socket))  # a socket file nobody listens on (a killed resident)
    stale.close()
    where.pid_file.write_text("999999 " + str(folder))
    try:
        expected = await search(env, QUERY, "--json")
        assert expected[0] == 0 and json.loads(expected[1]), expected[2]
        pid = await resident_ready(env)
        assert await search(env, QUERY, "--json") == expected

        os.kill(pid, signal.SIGSTOP)  # it takes the next query and never answers ...
        late = asyncio.create_task(search(env, QUERY, "--json"))
        await asyncio.sleep(2)
        os.kill(pid, signal.SIGKILL)  # ... it dies holding it
        assert await late == expected, "searched in its own process instead"
        assert answered(folder) == 1, "only the search before it came from the resident"
    finally:
        stop_everything(folder)


async def test_a_resident_of_other_settings_is_never_asked(tmp_path: Path):
    folder = tmp_path / "data"
    env = embedded_env(folder, grace_s=15)
    other = {**env, "CASTMATCH_LOG_FORMAT": "json"}
    try:
        expected = await search(env, QUERY)
        pid = await resident_ready(env)
        before = answered(folder)
        assert await search(other, QUERY) == expected
        assert answered(folder) == before, "the first resident was not asked"
        other_pid = await resident_ready(other)
        assert other_pid != pid
        # neither keeps the other (nor the servers) alive past the grace period
        await gone(pid, 15 + 90)
        await gone(other_pid, 15 + 90)
        async with asyncio.timeout(60):
            while postgres_pid(folder):  # noqa: ASYNC110 (another process's state, polled)
                await asyncio.sleep(0.2)
    finally:
        stop_everything(folder)
