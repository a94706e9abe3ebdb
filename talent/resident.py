"""The resident search process: `python -m talent.resident`, started by a search from a shell.

It opens what an in-process search opens (the embedded servers, the catalogue's index, the
query model) once, then answers `castmatch talent search` over a Unix socket in the user's
runtime folder (`talent.resident_client` is the other side) with the very text the command would
have printed. It is one of the embedded servers' users, and leaves as they would stop: once
nobody else uses them and neither a search nor another process came for the grace period,
it exits and stops them at once (it has waited the grace period itself). A `castmatch` with
a configured DATABASE_URL or REDIS_URL, or a grace period of 0, searches in-process.

One resident serves each fingerprint (settings, interpreter, code: `resident_client`); a
resident of older code or other settings is never asked and leaves after its grace period
(residents don't keep each other alive). Each answer first checks the catalogue against
PostgreSQL (an import or `castmatch forget` in another process is seen at once, not after
the index's usual few seconds).
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import io
import json
import logging
import os
import signal
import sys
import time
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from talent.resident_client import Place, fingerprint, place, residents_of, sweep

if TYPE_CHECKING:
    from bot.services import Services
    from bot.settings import Settings

log = logging.getLogger(__name__)

CHECK_EVERY_S = 1.0  # how often the idle resident looks whether it should leave
REQUEST_LIMIT = 1 << 20  # bytes of one request line (a query is a sentence)


def eligible(settings: Settings) -> bool:
    """A resident serves only the embedded default with a grace period (it lives as long)."""
    return (
        settings.search_resident
        and not settings.database_url
        and not settings.redis_url
        and settings.embedded_grace_s > 0
    )


class Resident:
    def __init__(self, settings: Settings, fingerprint_: str, where: Place) -> None:
        self.settings = settings
        self.fingerprint = fingerprint_
        self.path = where.socket
        self.busy = 0  # requests being answered
        self.last_answer = time.time()
        self.leave = asyncio.Event()
        self.services: Services | None = None

    async def run(self) -> None:
        # imported once the lock is ours: a second resident started meanwhile leaves cheaply
        from bot.services import open_services
        from talent.search_feature import setup

        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGTERM, self.leave.set)
        async with open_services(self.settings, features=(setup,)) as services:
            self.services = services
            await services.embedder.queries(["actor"])  # the model loads before a client waits
            self.path.unlink(missing_ok=True)  # a stale socket: we hold the lock, none serves
            server = await asyncio.start_unix_server(
                self._answer, path=os.fspath(self.path), limit=REQUEST_LIMIT
            )
            inode = self.path.stat().st_ino
            log.info("resident search ready (pid %d)", os.getpid())
            idle = False
            try:
                idle = await self._until_idle(inode)
            finally:
                server.close()
                with contextlib.suppress(OSError):
                    if self.path.stat().st_ino == inode:
                        self.path.unlink()
                await server.wait_closed()
                if services.embedded is not None and idle:
                    services.embedded.grace_s = 0  # the grace period is over: stop them now
            log.info("resident search leaves (%s)", "idle" if idle else "stopped or failed")

    async def _until_idle(self, inode: int) -> bool:
        """Serve until nobody used the servers for the grace period (True), or until told
        to leave or unreachable (False: the servers then get their usual grace period)."""
        assert self.services is not None and self.services.embedded is not None
        embedded = self.services.embedded
        grace = self.settings.embedded_grace_s
        while not self.leave.is_set():
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(CHECK_EVERY_S):
                    await self.leave.wait()
            if self.leave.is_set() or self.busy:
                continue
            try:
                if self.path.stat().st_ino != inode:
                    return False  # our socket was replaced or removed: nobody can reach us
            except OSError:
                return False
            residents = await asyncio.to_thread(residents_of, self.settings.data_path)
            others_left = await asyncio.to_thread(embedded.idle_since, ignored=set(residents))
            if others_left is None:
                continue  # a command or chat uses the servers: they (and we) stay
            if time.time() - max(others_left, self.last_answer) >= grace:
                return True
        return False

    async def _answer(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.busy += 1
        try:
            line = await reader.readline()
            if not line:
                return  # connected and left without asking (a readiness probe)
            reply = await self._reply(line)
            writer.write(json.dumps(reply, ensure_ascii=False).encode() + b"\n")
            await writer.drain()
        except (OSError, ValueError):
            log.info("a search client went away before its answer")
        finally:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()
            self.busy -= 1
            self.last_answer = time.time()

    async def _reply(self, line: bytes) -> dict[str, Any]:
        try:
            request = json.loads(line)
            query, as_json, limit = request["query"], request["json"], request["limit"]
            if not (isinstance(query, str) and isinstance(as_json, bool)):
                raise ValueError("bad request")
            if not isinstance(limit, int) or limit < 1:
                raise ValueError("bad request")
        except (ValueError, KeyError, TypeError):
            log.warning("a malformed request to the resident search was refused")
            return {"answered": False}
        if request.get("fingerprint") != self.fingerprint:
            return {"answered": False}  # (its socket is named by ours: only by mistake)
        assert self.services is not None
        from talent.search_cli import search_command  # (loaded by `run` already)

        started = time.perf_counter()
        out, err = io.StringIO(), io.StringIO()
        try:
            await self._fresh()
            code = await search_command(
                self.services, query, as_json=as_json, limit=limit, out=out, err=err
            )
        except Exception:  # the client searches in-process and reports it as it would
            log.exception("the resident search failed; the client searches in-process")
            self.leave.set()  # (a lost server, a broken pool...): the next search starts afresh
            return {"answered": False}
        log.info("answered a search (exit %d) in %.0f ms", code, _ms_since(started))
        return {"answered": True, "code": code, "out": out.getvalue(), "err": err.getvalue()}

    async def _fresh(self) -> None:
        """The index as PostgreSQL has it now (a large catalogue keeps the background
        check every search in the product uses: counting a million rows per search would
        cost more than the start-up saved)."""
        assert self.services is not None
        from talent.index import BACKGROUND_FROM, catalogue_index

        index = await catalogue_index(self.services)
        await index.ensure_fresh(force=index.size < BACKGROUND_FROM)


def _ms_since(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def _take_lock(where: Place, data_dir: Path) -> IO[str] | None:
    """The resident's lock, held for its life, with its pid and data folder in the file
    (None: another resident of this fingerprint holds it)."""
    handle = open(where.pid_file, "a+")  # noqa: SIM115 (held open until the process exits)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        return None
    handle.seek(0)
    handle.truncate()
    handle.write(f"{os.getpid()} {data_dir}")
    handle.flush()
    return handle


def _after_exit_of(starter: int, timeout_s: float = 30.0) -> None:
    """Wait for the search that started us to exit first: our start (a second of CPU)
    must not slow that command down on a two-core machine."""
    deadline = time.monotonic() + timeout_s
    while os.getppid() == starter and time.monotonic() < deadline:
        time.sleep(0.02)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1].isdigit():  # python -m talent.resident STARTER_PID
        _after_exit_of(int(sys.argv[1]))
    from bot.logs import setup_logging  # (pydantic: after the starter is gone, like the rest)
    from bot.settings import load_settings

    settings = load_settings()
    fingerprint_ = fingerprint(os.environ, Path.cwd())
    where = place(fingerprint_)
    if not eligible(settings) or where is None:
        return
    lock = _take_lock(where, settings.data_path)
    if lock is None:
        return  # another resident serves these settings
    setup_logging(settings)
    sweep()
    try:
        asyncio.run(Resident(settings, fingerprint_, where).run())
    finally:
        where.pid_file.unlink(missing_ok=True)  # (still ours: we hold its lock)
        lock.close()


if __name__ == "__main__":
    main()
