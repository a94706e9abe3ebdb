"""The thin side of `castmatch talent search`: ask the resident search process for the answer.

On the embedded default, the first search starts a resident process (`talent.resident`) that
keeps the catalogue's index and the query model loaded for as long as the embedded servers'
grace period; later searches send it the query over a Unix socket and print what it sends
back, so they pay only the interpreter's start and a round trip.

Only the standard library here, and no settings object: this runs before anything heavy is
imported (pydantic alone costs a warm search a fifth of its time). A resident is found by a
fingerprint of what decides its answer: the settings' sources (the environment's castmatch
variables, the `.env` file, the working folder), the interpreter and the code. A resident of
other settings, another data folder or older code has another socket, so it is never asked.
Whenever in doubt (no resident, a stale socket, a resident that dies or fails mid-query)
`ask` returns None and the caller searches in-process as before: an answer is never wrong
or lost, and printing waits for the whole answer, so nothing is printed twice.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

ANSWER_TIMEOUT_S = 60.0  # a resident silent this long is taken for hung: search in-process
LOG_MAX_BYTES = 1_000_000
# Environment variables that can change a setting (every Settings alias has one of these
# prefixes: tests/talent/test_resident.py checks it).
SETTING_PREFIXES = ("CASTMATCH_", "DATABASE_URL", "REDIS_URL", "ANTHROPIC_", "SLACK_", "TWILIO_")
SETTING_NAMES = ("PORT",)
# The code a resident answers with: a search from another tree or a changed file is not its.
CODE_ROOTS = tuple(Path(__file__).resolve().parents[1] / name for name in ("bot", "talent"))


@dataclass(frozen=True)
class Answer:
    code: int  # the exit code the search would have had in-process
    out: str  # exactly what it would have printed on stdout
    err: str  # ... and on stderr


def fingerprint(environ: Mapping[str, str], cwd: Path) -> str:
    """Equal for two processes whose settings, interpreter and code are equal."""
    digest = hashlib.sha256(f"{cwd}\0{sys.prefix}\0{sys.version}".encode())
    for name in sorted(environ):
        upper = name.upper()  # settings are read case-insensitively
        if upper.startswith(SETTING_PREFIXES) or upper in SETTING_NAMES:
            digest.update(f"\0{name}={environ[name]}".encode())
    with contextlib.suppress(OSError):
        digest.update(b"\0.env\0" + (cwd / ".env").read_bytes())
    for root in CODE_ROOTS:
        for folder, _, files in sorted(os.walk(root)):
            for name in sorted(files):
                if name.endswith(".py"):
                    with contextlib.suppress(OSError):
                        stat = os.stat(os.path.join(folder, name))
                        digest.update(
                            f"\0{folder}/{name}:{stat.st_size}:{stat.st_mtime_ns}".encode()
                        )
    return digest.hexdigest()[:32]


def runtime_dir() -> Path | None:
    """This user's private folder for residents' sockets (None when it isn't private:
    the catalogue is personal data, only its owner may ask)."""
    base = os.environ.get("XDG_RUNTIME_DIR") or tempfile.gettempdir()
    folder = Path(base) / f"castmatch-{os.getuid()}"
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        stat = folder.stat()
    except OSError:
        return None
    if stat.st_uid != os.getuid() or stat.st_mode & 0o077:
        return None
    return folder


@dataclass(frozen=True)
class Place:
    """Where the resident of one fingerprint listens, and its lock (pid and data folder)."""

    socket: Path
    pid_file: Path


def place(fingerprint_: str) -> Place | None:
    folder = runtime_dir()
    if folder is None:
        return None
    return Place(folder / f"search-{fingerprint_}.sock", folder / f"search-{fingerprint_}.pid")


def here() -> Place | None:
    """The place of a resident that would answer this process."""
    return place(fingerprint(os.environ, Path.cwd()))


def ask(query: str, *, as_json: bool, limit: int) -> Answer | None:
    """The resident's answer, or None when the caller must search in-process."""
    fingerprint_ = fingerprint(os.environ, Path.cwd())
    where = place(fingerprint_)
    if where is None or not where.socket.exists():
        return None
    request = {"fingerprint": fingerprint_, "query": query, "json": as_json, "limit": limit}
    data = _exchange(where.socket, request)
    if data is None:
        return None
    try:
        reply = json.loads(data)
        if reply.get("answered") is not True:
            return None
        code, out, err = reply["code"], reply["out"], reply["err"]
    except (ValueError, KeyError, AttributeError):
        return None  # cut short: the resident died while answering
    if not (isinstance(code, int) and isinstance(out, str) and isinstance(err, str)):
        return None
    return Answer(code, out, err)


def _exchange(path: Path, request: dict[str, object]) -> bytes | None:
    """One request line out, the reply read to the end (the resident closes after it)."""
    chunks = []
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(ANSWER_TIMEOUT_S)
            sock.connect(os.fspath(path))
            sock.sendall(json.dumps(request).encode() + b"\n")
            while chunk := sock.recv(65536):
                chunks.append(chunk)
    except OSError:  # none listening (stale socket), refused, reset, timed out, path too long
        return None
    return b"".join(chunks)


def start(log_dir: Path) -> None:
    """Start a resident in the background for the next searches (one that finds another
    of its fingerprint leaves at once). It inherits this command's environment and folder,
    so it reads the same settings; what it logs goes to `log_dir`/search.log."""
    log_dir.mkdir(parents=True, exist_ok=True)
    log = log_dir / "search.log"
    mode = "w" if log.exists() and log.stat().st_size > LOG_MAX_BYTES else "a"
    with open(log, mode) as stderr:
        subprocess.Popen(
            [sys.executable, "-m", "talent.resident", str(os.getpid())],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            start_new_session=True,  # outlives this command and its terminal's ^C
        )


def start_unless_running(log_dir: Path) -> None:
    """`start`, unless a resident of this process's fingerprint is already starting or
    serving (this search missed it: the next one finds it)."""
    where = here()
    if where is not None and not holder(where.pid_file)[0]:
        start(log_dir)


def holder(pid_file: Path) -> tuple[int, str]:
    """(pid, data folder) of the live resident locking `pid_file`, or (0, "") when none
    does: a file left by a killed resident (its pid perhaps reused) is not taken for one."""
    try:
        with open(pid_file) as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
            except BlockingIOError:
                pid, _, data_dir = handle.read().partition(" ")
                return int(pid or 0), data_dir.strip()
            fcntl.flock(handle, fcntl.LOCK_UN)
    except (OSError, ValueError):
        pass
    return 0, ""


def sweep(older_than_s: float = 60.0) -> None:
    """Remove what residents that died (killed, or a crash) left: their pid files and
    sockets (code edits make new fingerprints, so nobody would reuse them)."""
    folder = runtime_dir()
    if folder is None:
        return
    now = time.time()
    for pid_file in folder.glob("search-*.pid"):
        with contextlib.suppress(OSError):
            if now - pid_file.stat().st_mtime > older_than_s and not holder(pid_file)[0]:
                pid_file.with_suffix(".sock").unlink(missing_ok=True)
                pid_file.unlink()


def residents_of(data_dir: Path) -> list[int]:
    """The pids of live residents serving `data_dir` (whatever their code or settings)."""
    folder = runtime_dir()
    if folder is None:
        return []
    found = (holder(path) for path in folder.glob("search-*.pid"))
    return [pid for pid, serving in found if pid and serving == str(data_dir)]


def stop(data_dir: Path, timeout_s: float = 30.0) -> bool:
    """Stop every resident of `data_dir` now (True when none runs any more): what a `--cold`
    benchmark does before each run."""
    for pid in residents_of(data_dir):
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout_s
    while residents_of(data_dir):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True
