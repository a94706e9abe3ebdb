"""Reminders and scheduled sends on a job queue in PostgreSQL (procrastinate).

Jobs are rows in the database the project already runs, so they survive restarts and every
replica's worker shares them: each job is taken by exactly one worker (row locks), a job
scheduled for later waits in the table, and a job whose worker died mid-way (no heartbeat)
is put back by a periodic sweep. Features register their tasks by name (`register`) and
defer jobs from any process (`castmatch chat` included); `castmatch serve` runs the worker
beside the server. A task receives the process's `Services` and its keyword arguments.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

import procrastinate
from procrastinate import RetryStrategy
from procrastinate.worker import Worker
from sqlalchemy import text

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)

Task = Callable[..., Awaitable[None]]  # async def task(services, **kwargs) -> None
STALLED_SWEEP = "castmatch.jobs.retry_stalled"
HEARTBEAT_S = 10.0
STALLED_AFTER_S = 60.0  # a worker silent this long is dead; its running jobs go back
_COUNTS = text(
    """
    SELECT count(*) FILTER (WHERE status = 'todo'
                              AND (scheduled_at IS NULL OR scheduled_at <= now())) AS due,
           count(*) FILTER (WHERE status = 'todo' AND scheduled_at > now()) AS scheduled,
           count(*) FILTER (WHERE status = 'doing') AS running,
           count(*) FILTER (WHERE status = 'failed') AS failed
      FROM procrastinate_jobs
    """
)


def conninfo(sqlalchemy_url: str) -> str:
    """libpq's form of the SQLAlchemy URL (procrastinate talks to psycopg directly)."""
    return sqlalchemy_url.replace("postgresql+psycopg://", "postgresql://", 1)


class JobQueue:
    def __init__(self, services: Services, url: str, *, pool_size: int = 4) -> None:
        self.services = services
        connector = procrastinate.PsycopgConnector(
            conninfo=conninfo(url), min_size=1, max_size=pool_size
        )
        self.app = procrastinate.App(connector=connector)
        self._opened = False
        self._open_lock = asyncio.Lock()
        self._register_sweep()

    # -- tasks ---------------------------------------------------------------------------

    def register(self, name: str, task: Task, *, attempts: int = 5) -> None:
        """A task by name; a failure is retried with growing waits, `attempts` times.
        Registering a name again keeps the first (a feature set up twice)."""
        if name in self.app.tasks:
            return

        async def run(context: procrastinate.JobContext, **kwargs: Any) -> None:
            await task(self.services, **kwargs)

        self.app.task(
            name=name,
            pass_context=True,
            retry=RetryStrategy(max_attempts=attempts, exponential_wait=5),
        )(run)

    def _register_sweep(self) -> None:
        async def retry_stalled(context: procrastinate.JobContext, timestamp: int) -> None:
            manager = self.app.job_manager
            for job in await manager.get_stalled_jobs(seconds_since_heartbeat=STALLED_AFTER_S):
                log.warning("job %s (%s) lost its worker; running it again", job.id, job.task_name)
                await manager.retry_job(job)

        task = self.app.task(name=STALLED_SWEEP, pass_context=True, queueing_lock=STALLED_SWEEP)(
            retry_stalled
        )
        self.app.periodic(cron="* * * * *", periodic_id="stalled")(task)

    # -- deferring -----------------------------------------------------------------------

    async def open(self) -> None:
        async with self._open_lock:
            if not self._opened:
                await self.app.open_async()
                self._opened = True

    async def close(self) -> None:
        if self._opened:
            self._opened = False
            await self.app.close_async()

    async def defer(
        self,
        name: str,
        *,
        at: datetime | None = None,
        queueing_lock: str | None = None,
        **kwargs: Any,
    ) -> int | None:
        """Queue a job now or for `at`; with `queueing_lock`, not while an equal one waits
        (returns None then). Kwargs must be JSON values."""
        await self.open()
        options: dict[str, Any] = {}
        if at is not None:
            options["schedule_at"] = at
        if queueing_lock:
            options["queueing_lock"] = queueing_lock
        try:
            return await self.app.configure_task(name, **options).defer_async(**kwargs)
        except procrastinate.exceptions.AlreadyEnqueued:
            return None

    async def cancel(self, job_id: int) -> bool:
        """Cancel a job that has not started (False if it has, or is gone)."""
        await self.open()
        return await self.app.job_manager.cancel_job_by_id_async(job_id)

    async def counts(self) -> dict[str, int]:
        """Jobs due now, scheduled for later, running and failed (for /metrics)."""
        async with self.services.db.connect() as connection:
            row = (await connection.execute(_COUNTS)).one()
        return dict(row._mapping)

    # -- the worker ----------------------------------------------------------------------

    async def work(self, stop: asyncio.Event, *, concurrency: int = 4, wait: bool = True) -> None:
        """Run a worker until `stop` is set (or, with wait=False, until nothing is due)."""
        await self.open()
        worker = Worker(
            app=self.app,
            name="castmatch",
            concurrency=concurrency,
            wait=wait,
            install_signal_handlers=False,
            update_heartbeat_interval=HEARTBEAT_S,
            stalled_worker_timeout=STALLED_AFTER_S,
            shutdown_graceful_timeout=self.services.settings.shutdown_grace_s,
            fetch_job_polling_interval=2.0,
        )
        running = asyncio.create_task(worker.run(), name="job-worker")
        stopping = asyncio.create_task(stop.wait())
        try:
            await asyncio.wait({running, stopping}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            stopping.cancel()
            if not running.done():
                worker.stop()
            with contextlib.suppress(asyncio.CancelledError):
                await running


def attach(services: Services) -> JobQueue:
    """The process's queue: found on the services, or made and registered there (with its
    counts on /metrics and its pool closed on exit)."""
    found = services.find(JobQueue)
    if found is not None:
        return found
    queue = services.provide(JobQueue(services, services.db.url.render_as_string(False)))
    services.closers.append(queue.close)
    cache: dict[str, Any] = {}

    def probe(kind: str) -> Callable[[], Awaitable[int]]:
        async def read() -> int:
            if kind == "due":  # one query per scrape feeds all four gauges
                cache.update(await queue.counts())
            return int(cache.get(kind, 0))

        return read

    for kind in ("due", "scheduled", "running", "failed"):
        services.queue_depths[f"jobs_{kind}"] = probe(kind)
    return queue
