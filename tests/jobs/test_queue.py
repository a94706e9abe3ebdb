"""The job queue on the real PostgreSQL: jobs wait for their time, survive a restart, run
once across two workers, come back when their worker died, and show on /metrics."""

from __future__ import annotations

import asyncio
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from bot.jobs import STALLED_AFTER_S, attach
from bot.metrics import QUEUE_DEPTH, refresh_queue_depths
from castmatch.app import open_castmatch

RAN = "ran"  # a Redis list per test: what the task saw (shared by every process and worker)


def _register(services, name: str, key: str) -> None:
    async def record(services, *, item: str) -> None:
        await services.redis.rpush(key, item)

    attach(services).register(name, record)


async def _drain(services, concurrency: int = 2) -> None:
    """Work until nothing is due (a worker of this process)."""
    await attach(services).work(asyncio.Event(), concurrency=concurrency, wait=False)


async def _ran(services, key: str) -> list[str]:
    return [v.decode() for v in await services.redis.lrange(key, 0, -1)]


async def test_a_job_survives_a_restart_and_waits_for_its_time(settings) -> None:
    name, key = f"test.record.{secrets.token_hex(3)}", f"jobs:{secrets.token_hex(4)}"
    async with open_castmatch(settings) as first:  # e.g. `castmatch chat` defers and exits
        _register(first, name, key)
        queue = attach(first)
        await queue.defer(name, item="now")
        later = datetime.now(UTC) + timedelta(hours=1)
        job = await queue.defer(name, at=later, item="later")
    async with open_castmatch(settings) as second:  # a server starting afterwards
        _register(second, name, key)
        await _drain(second)
        assert await _ran(second, key) == ["now"]  # the later one waits in PostgreSQL
        async with second.db.begin() as conn:
            await conn.execute(
                text("UPDATE procrastinate_jobs SET scheduled_at = now() WHERE id = :id"),
                {"id": job},
            )
        await _drain(second)
        assert await _ran(second, key) == ["now", "later"]


async def test_two_workers_run_each_job_once(settings) -> None:
    name, key = f"test.record.{secrets.token_hex(3)}", f"jobs:{secrets.token_hex(4)}"
    async with open_castmatch(settings) as one, open_castmatch(settings) as two:
        _register(one, name, key)
        _register(two, name, key)
        for n in range(40):
            await attach(one).defer(name, item=str(n))
        await asyncio.gather(_drain(one, 4), _drain(two, 4))
        done = await _ran(one, key)
    assert sorted(done, key=int) == [str(n) for n in range(40)]  # none twice, none lost


async def test_a_queueing_lock_keeps_one_reminder_waiting(settings) -> None:
    name = f"test.record.{secrets.token_hex(3)}"
    async with open_castmatch(settings) as services:
        _register(services, name, "unused")
        queue = attach(services)
        lock = f"reminder:{secrets.token_hex(3)}"
        at = datetime.now(UTC) + timedelta(days=1)
        assert await queue.defer(name, at=at, queueing_lock=lock, item="a") is not None
        assert await queue.defer(name, at=at, queueing_lock=lock, item="b") is None


async def test_a_job_whose_worker_died_runs_again(settings) -> None:
    name, key = f"test.record.{secrets.token_hex(3)}", f"jobs:{secrets.token_hex(4)}"
    async with open_castmatch(settings) as services:
        _register(services, name, key)
        queue = attach(services)
        job = await queue.defer(name, item="again")
        # a worker took it and died: its heartbeat stopped long ago
        async with services.db.begin() as conn:
            worker = await conn.scalar(
                text(
                    "INSERT INTO procrastinate_workers (last_heartbeat) "
                    "VALUES (now() - make_interval(secs => :s)) RETURNING id"
                ),
                {"s": STALLED_AFTER_S * 3},
            )
            await conn.execute(
                text(
                    "UPDATE procrastinate_jobs SET status = 'doing', worker_id = :w WHERE id = :id"
                ),
                {"w": worker, "id": job},
            )
        await _drain(services)
        assert await _ran(services, key) == []  # still "doing": nobody else takes it
        sweep = queue.app.tasks["castmatch.jobs.retry_stalled"]
        await sweep.func(None, timestamp=0)  # the periodic sweep, as the worker runs it
        await _drain(services)
        assert await _ran(services, key) == ["again"]


async def test_job_counts_are_on_metrics(settings) -> None:
    name = f"test.record.{secrets.token_hex(3)}"
    async with open_castmatch(settings) as services:
        _register(services, name, "unused")
        queue = attach(services)
        before = await queue.counts()
        await queue.defer(name, at=datetime.now(UTC) + timedelta(days=2), item="x")
        await refresh_queue_depths(services.queue_depths)
        scheduled = QUEUE_DEPTH.labels("jobs_scheduled")._value.get()
        assert scheduled == before["scheduled"] + 1
