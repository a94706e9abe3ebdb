"""A replica's turn worker: the process that runs the turns its web process queued.

`castmatch serve` starts it (`start_worker`) with the web process's id for it, waits until
it beats, and stops it on shutdown; it runs what used to run beside the turns in the one
process too: the recovery sweep of unfinished replies, the job worker, WhatsApp's inbox
sweep. It serves no public HTTP; its channels' consumers take items off the replica's lists
in Redis (`bot/handoff.py`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import socket
import sys
import time
from typing import Any

from aiohttp import web
from prometheus_client import generate_latest
from redis.exceptions import RedisError

from bot import metrics
from bot.engine import Engine
from bot.handoff import BEAT_S, Consumer, Handoff
from bot.jobs import attach as attach_jobs
from bot.periodic import Periodic
from bot.recovery import SWEEP_INTERVAL_S, close_unfinished_turns, sweep
from bot.services import Services

log = logging.getLogger(__name__)

START_TIMEOUT_S = 180.0  # loading the models and indexes on a busy machine
STOP_EXTRA_S = 15.0  # beyond the shutdown grace, before the worker is killed


class WorkerProcess:
    """The web process's handle on its worker (a child process in a session of its own, so
    a terminal's Ctrl-C reaches only the web process, which stops it in order)."""

    def __init__(self, process: asyncio.subprocess.Process, worker_id: str, port: int) -> None:
        self.process = process
        self.worker_id = worker_id
        self.metrics_url = f"http://127.0.0.1:{port}/metrics"
        self.exited_early = False  # it stopped before the web process asked it to

    async def ready(self, handoff: Handoff) -> None:
        """Wait until the worker beats; raises if it exits or takes too long."""
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.returncode is not None:
                raise RuntimeError(f"the turn worker exited with {self.process.returncode}")
            with contextlib.suppress(RedisError):
                if await handoff.alive():
                    return
            await asyncio.sleep(0.2)
        raise RuntimeError("the turn worker did not start in time")

    async def stop(self, grace_s: float) -> None:
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.process.wait(), grace_s + STOP_EXTRA_S)
            except TimeoutError:
                self.process.kill()
                await self.process.wait()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def start_worker(worker_id: str, metrics_port: int) -> WorkerProcess:
    """`castmatch serve` again, as this replica's turn worker (same settings, same output),
    its /metrics on `metrics_port` of the loopback interface for the web process to add."""
    env = {
        **os.environ,
        "CASTMATCH_PROCESS_ROLE": "worker",
        "CASTMATCH_WORKER_ID": worker_id,
        "CASTMATCH_WORKER_PARENT": str(os.getpid()),
        "CASTMATCH_WORKER_METRICS_PORT": str(metrics_port),
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "castmatch.cli", "serve", env=env, start_new_session=True
    )
    return WorkerProcess(process, worker_id, metrics_port)


async def run_worker(
    app: web.Application,
    services: Services,
    engine: Engine,
    handoff: Handoff,
    stop: asyncio.Event,
) -> int:
    """Run the turns queued for this replica until `stop`, then finish them (within the
    shutdown grace) and what is still queued. `app` has the channels set up (no site)."""
    settings = services.settings
    _die_with_parent()
    runner = web.AppRunner(app, handle_signals=False, access_log=None)
    await runner.setup()  # channels open their sessions, register their closers
    try:
        await close_unfinished_turns(services, engine)
    except Exception as exc:  # PostgreSQL down at start: the sweep retries
        log.warning("start-up recovery failed (%s); the sweep will retry", type(exc).__name__)
    sweeper = Periodic(SWEEP_INTERVAL_S, lambda: sweep(services, engine), "recovery-sweep")
    jobs_stop = asyncio.Event()
    jobs = services.spawn(attach_jobs(services).work(jobs_stop), name="job-worker")
    consumers: list[Consumer] = [
        consumer for make in services.consumers for consumer in make(handoff)
    ]
    metrics_site = await _serve_metrics(services)
    await handoff.beat()  # the web process starts serving now
    beating = Periodic(BEAT_S, handoff.beat, "handoff-beat")
    log.info("castmatch turn worker %s running", settings.worker_id)
    await stop.wait()
    log.info("turn worker stopping; %d task(s) in flight", len(services.background))
    for consumer in consumers:
        await consumer.stop()  # what is still queued starts, under the same grace
    await sweeper.stop()
    jobs_stop.set()
    await drain(services, settings.shutdown_grace_s, keep={jobs})
    await asyncio.wait({jobs}, timeout=settings.shutdown_grace_s + 5)
    await beating.stop()
    await handoff.leave()
    await handoff.close()
    await runner.cleanup()
    if metrics_site is not None:
        await metrics_site.cleanup()
    closer = getattr(engine.responder, "close", None)
    if closer is not None:
        await closer()
    return 0


async def drain(services: Services, grace_s: float, keep: set[asyncio.Task[Any]]) -> None:
    """Let in-flight turns finish; cancel what is left (each closes its reply with a note).
    `keep` stops by itself (the job worker)."""
    pending = set(services.background) - keep
    if pending:
        _, pending = await asyncio.wait(pending, timeout=grace_s)
    for task in pending:
        task.cancel()
    if pending:
        await asyncio.wait(pending, timeout=5)


async def _serve_metrics(services: Services) -> web.AppRunner | None:
    """This worker's metrics, on the loopback port its web process reads them from."""
    port = os.environ.get("CASTMATCH_WORKER_METRICS_PORT", "")
    if not port.isdigit():
        return None

    async def scrape(request: web.Request) -> web.Response:
        probes = {"background_tasks": lambda: len(services.background), **services.queue_depths}
        await metrics.refresh_queue_depths(probes)
        return web.Response(body=generate_latest(metrics.REGISTRY))

    app = web.Application()
    app.router.add_get("/metrics", scrape)
    runner = web.AppRunner(app, handle_signals=False, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, host="127.0.0.1", port=int(port)).start()
    return runner


def _die_with_parent() -> None:
    """A web process killed outright (a crash, SIGKILL) takes its worker with it, as the one
    process did before: the replica's turns are then recovered like any crashed process's
    (Linux's parent-death signal; elsewhere the worker outlives it until stopped)."""
    parent = os.environ.get("CASTMATCH_WORKER_PARENT", "")
    if sys.platform != "linux" or not parent.isdigit():
        return
    import ctypes

    pr_set_pdeathsig = 1
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)
    if os.getppid() != int(parent):  # it died before the signal was asked for
        os._exit(1)
