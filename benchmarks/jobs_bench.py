"""Job queue benchmark (procrastinate on the real PostgreSQL): how fast reminders are
scheduled and how fast due jobs are run.

- `schedule`: reminder-shaped jobs deferred for later (a time and a queueing lock each, as
  `talent.auditions_jobs` defers them), one at a time and 10 in flight: jobs per second;
- `run`: jobs due now, drained by one worker (concurrency 4, as `castmatch serve` runs it):
  jobs per second from the first start to the last finish.

The task itself only increments a Redis counter, so the figures are the queue's own cost.
"""

from __future__ import annotations

import asyncio
import secrets
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.jobs import attach
from bot.services import Services

TASK = "bench.jobs.noop"


async def _schedule(services: Services, count: int, in_flight: int) -> float:
    queue = attach(services)
    later = datetime.now(UTC) + timedelta(days=30)
    tag = secrets.token_hex(4)
    gate = asyncio.Semaphore(in_flight)

    async def one(n: int) -> None:
        async with gate:
            await queue.defer(TASK, at=later, queueing_lock=f"bench:{tag}:{n}", n=n)

    started = time.perf_counter()
    await asyncio.gather(*(one(n) for n in range(count)))
    return count / (time.perf_counter() - started)


async def _run(services: Services, count: int, counter: str) -> float:
    queue = attach(services)
    for n in range(count):
        await queue.defer(TASK, n=n)
    await services.redis.delete(counter)
    started = time.perf_counter()
    await queue.work(asyncio.Event(), concurrency=4, wait=False)  # until nothing is due
    took = time.perf_counter() - started
    done = int(await services.redis.get(counter) or 0)
    if done != count:
        raise RuntimeError(f"{done} of {count} jobs ran")
    return count / took


async def run(services: Services, *, quick: bool) -> dict[str, Any]:
    counter = services.key("bench-jobs", secrets.token_hex(4))

    async def noop(services: Services, *, n: int) -> None:
        await services.redis.incr(counter)

    attach(services).register(TASK, noop)
    await attach(services).open()  # the pool's first connections are not the queue's cost
    count = 200 if quick else 1000
    return {
        "jobs": count,
        "schedule_one_at_a_time_per_s": round(await _schedule(services, count, 1), 1),
        "schedule_ten_in_flight_per_s": round(await _schedule(services, count, 10), 1),
        "run_due_one_worker_per_s": round(await _run(services, count, counter), 1),
    }


async def _main() -> None:
    import json

    from bot.settings import load_settings
    from castmatch.bench import bench_services

    # a database of its own, so a `castmatch bench` running beside it is left alone
    async with bench_services(load_settings(), name="castmatch_bench_jobs") as services:
        print(json.dumps(await run(services, quick=False), indent=2))


if __name__ == "__main__":  # python -m benchmarks.jobs_bench
    asyncio.run(_main())
