"""How long `castmatch talent search` takes from a shell, start to exit, run after run.

    python -m benchmarks.cli_start [--runs 5] [--cold] [--query "Marathi actress in Pune"]

Each run is a new `castmatch` process (the console script, as a user types it) on the
embedded default of a data folder of its own (`--data-dir`, default a `cli-start` folder
under `CASTMATCH_DATA_DIR`); the first run creates it and loads the sample catalogue and is
not counted. Warm: the embedded servers are already running (this script holds them, as
an open `castmatch chat` would) and so is the resident search process the first run left
(`talent.resident`; the script waits until it listens, up to a minute, as a user typing the
next search a few seconds later would find it). Cold: the resident and the servers are
stopped before every run (once the resident the run before left is up, so that it does not
start beside the next run), so each run pays their start. `resident_answers` says how many
counted runs the resident answered (its log counts them). Reported: wall time min / median
/ max and the CPU time (user + system) each run used, which a busy machine inflates less
than wall time. Targets: < 1 s warm, < 3 s cold.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bot.embedded import EmbeddedServers
from talent import resident_client

WARM_TARGET_S = 1.0
COLD_TARGET_S = 3.0


def _cpu_of_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_once(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one command, which must succeed."""
    cpu = _cpu_of_children()
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited {done.returncode}: {done.stderr[-500:]}")
    return wall, _cpu_of_children() - cpu


def measure(data_dir: Path, query: str, runs: int, *, cold: bool) -> dict[str, object]:
    env = {**os.environ, "CASTMATCH_DATA_DIR": str(data_dir)}
    for name in ("DATABASE_URL", "REDIS_URL"):
        env.pop(name, None)  # the embedded default, whatever the caller's shell says
    command = [_castmatch(), "talent", "search", query, "--json"]
    servers = EmbeddedServers(data_dir)
    run_once(command, env)  # creates the folder, its database and the sample the first time
    walls, cpus = [], []
    if not cold:
        servers.start()
        _wait_for_resident(env)
    answers = _resident_answers(data_dir)
    try:
        for _ in range(runs):
            if cold:  # the resident the last run left is let start, then stopped with them
                _wait_for_resident(env)
                resident_client.stop(data_dir)
                servers.stop_if_unused()
            wall, cpu = run_once(command, env)
            walls.append(wall)
            cpus.append(cpu)
    finally:
        servers.release()
    target = COLD_TARGET_S if cold else WARM_TARGET_S
    return {
        "mode": "cold" if cold else "warm",
        "runs": runs,
        "wall_s": {
            "min": round(min(walls), 3),
            "median": round(statistics.median(walls), 3),
            "max": round(max(walls), 3),
        },
        "cpu_s_median": round(statistics.median(cpus), 3),
        "resident_answers": _resident_answers(data_dir) - answers,
        "target_s": target,
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def _wait_for_resident(env: dict[str, str], timeout_s: float = 60.0) -> None:
    """Until the resident the first run started listens (gives up quietly: the runs then
    show what a search costs without it)."""
    where = resident_client.place(resident_client.fingerprint(env, Path.cwd()))
    deadline = time.monotonic() + timeout_s
    while where is not None and time.monotonic() < deadline:
        if where.socket.exists() and resident_client.holder(where.pid_file)[0]:
            return  # (it binds its socket once its model is loaded)
        time.sleep(0.2)


def _resident_answers(data_dir: Path) -> int:
    try:
        return (data_dir / "run" / "search.log").read_text().count("answered a search")
    except OSError:
        return 0


def _castmatch() -> str:
    """The console script beside this interpreter (what `pip install` put on the PATH)."""
    script = Path(sys.executable).with_name("castmatch")
    return str(script) if script.exists() else "castmatch"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--cold", action="store_true", help="stop the servers before each run")
    parser.add_argument("--query", default="Marathi actress in Pune")
    parser.add_argument("--data-dir", type=Path, default=None)
    args = parser.parse_args()
    base = Path(os.environ.get("CASTMATCH_DATA_DIR", ".castmatch"))
    data_dir = (args.data_dir or base / "cli-start").resolve()
    print(json.dumps(measure(data_dir, args.query, args.runs, cold=args.cold), indent=2))


if __name__ == "__main__":
    main()
