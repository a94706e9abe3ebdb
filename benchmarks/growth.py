"""Memory and backlog over a load run: each replica's resident memory by process, the turns
waiting, sampled through the run, fitted after warm-up and plotted.

"No RSS growth after warm-up" is read as the least-squares slope of the replica's total RSS
(web process, turn worker and their children) over the samples after warm-up, against
`THRESHOLD_MB_PER_MIN`. A slope, not end minus start: one sample taken while a burst of
rows is being read can move an end-point by tens of MB, a fit over hundreds of samples no.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil

# Above this the replica grows. 1 MB/min is 8 MB over the 8 minutes after a 10-minute run's
# warm-up: above the few MB allocator arenas move by, far below a per-turn leak (1 KB a
# turn at 5 turns/s is 0.3 MB/min; the runs that prompted this grew 9-15 MB/min).
THRESHOLD_MB_PER_MIN = 1.0
MB = 2**20


# A run's warm-up and load end (seconds since start) and its replicas' samples.
Kept = tuple[float, float, "Sequence[Sequence[Sample]]"]


@dataclass
class Sample:
    at: float  # seconds since the run started
    rss: dict[str, int]  # process role -> bytes
    outstanding: int  # turns sent whose whole reply is not visible yet (client side)
    anon: dict[str, int] = field(default_factory=dict)  # the anonymous part of `rss`
    gauges: dict[str, float] = field(default_factory=dict)  # `gauges` of a scrape, if taken


def gauges(figures: Mapping[str, float]) -> dict[str, float]:
    """From a /metrics scrape (`name{labels}` -> value): each non-empty queue's depth
    (`queue:<name>`), the semantic memory's RAM (`memory_index_mb`) and, when traced, each
    process's Python heap (`python_heap_mb:<process>`)."""
    found: dict[str, float] = {}
    for key, value in figures.items():
        if key.startswith("castmatch_queue_depth{") and value:
            found["queue:" + key.split('"')[1]] = value
        elif key == "castmatch_memory_index_bytes":
            found["memory_index_mb"] = round(value / MB, 2)
        elif key.startswith("castmatch_python_traced_bytes{"):
            found["python_heap_mb:" + key.split('"')[1]] = round(value / MB, 2)
    return found


def roles(root: psutil.Process) -> tuple[dict[str, int], dict[str, int]]:
    """RSS of a replica's processes by role, and its anonymous part (heap and arrays: what
    a leak grows; the rest is file-backed pages of mapped files such as the embedding
    model's weights, which the kernel can drop, bounded by the files' sizes). Roles: `web`
    (the server), `worker` (its turn worker, the same command), and their other children
    as `<parent>.<kind>`."""
    rss: dict[str, int] = {}
    anon: dict[str, int] = {}

    def add(role: str, process: psutil.Process) -> None:
        info = process.memory_info()
        rss[role] = rss.get(role, 0) + info.rss
        anon[role] = anon.get(role, 0) + info.rss - info.shared  # statm: RssFile + RssShmem

    add("web", root)
    named = {root.pid: "web"}
    for child in root.children(recursive=True):
        with contextlib.suppress(psutil.Error):
            command = " ".join(child.cmdline())
            parent = named.get(child.ppid(), "other")
            if "castmatch.cli" in command:
                role = "worker"
            elif "resource_tracker" in command:
                role = f"{parent}.resource_tracker"
            else:
                role = f"{parent}.child"  # the embedding process (multiprocessing spawn)
            named[child.pid] = role
            add(role, child)
    return rss, anon


def slope_per_min(points: Sequence[tuple[float, float]]) -> float:
    """Least-squares slope of (seconds, value) points, per minute (0 with < 2 points)."""
    if len(points) < 2:
        return 0.0
    xs = [x for x, _ in points]
    ys = [y for _, y in points]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    spread = sum((x - mean_x) ** 2 for x in xs)
    if not spread:
        return 0.0
    return sum((x - mean_x) * (y - mean_y) for x, y in points) / spread * 60


def _mb(value: float) -> float:
    return round(value / MB, 1)


def summary(
    samples: Sequence[Sample],
    warmup_s: float,
    until_s: float = float("inf"),
    threshold: float = THRESHOLD_MB_PER_MIN,
) -> dict[str, Any]:
    """The growth figures of one replica's samples between warm-up and `until_s` (the end
    of the load; the drain after it is left out): RSS at both ends, the slope in total, by
    process and of the memory gauges, and whether it grows."""
    after = [s for s in samples if warmup_s <= s.at <= until_s]
    if len(after) < 2:
        return {"samples_after_warmup": len(after)}
    total = [(s.at, sum(s.rss.values()) / MB) for s in after]
    slope = slope_per_min(total)
    by_role = sorted({role for s in after for role in s.rss})
    return {
        "warmup_s": warmup_s,
        "until_s": round(min(until_s, after[-1].at), 1),
        "samples_after_warmup": len(after),
        "after_warmup_mb": _mb(sum(after[0].rss.values())),
        "end_mb": _mb(sum(after[-1].rss.values())),
        "max_mb": _mb(max(sum(s.rss.values()) for s in after)),
        "slope_mb_per_min": round(slope, 2),
        "anonymous_slope_mb_per_min": round(
            slope_per_min([(s.at, sum(s.anon.values()) / MB) for s in after if s.anon]), 2
        ),
        "slope_by_process_mb_per_min": {
            role: round(slope_per_min([(s.at, s.rss.get(role, 0) / MB) for s in after]), 2)
            for role in by_role
        },
        "slope_by_gauge_mb_per_min": {
            name: round(
                slope_per_min([(s.at, s.gauges[name]) for s in after if name in s.gauges]), 2
            )
            for name in sorted(
                {g for s in after for g in s.gauges if g.endswith("_mb") or "_mb:" in g}
            )
        },
        "threshold_mb_per_min": threshold,
        "grows": slope > threshold,
    }


def backlog(
    samples: Sequence[Sample], warmup_s: float, until_s: float = float("inf")
) -> dict[str, Any]:
    """Turns waiting for their reply: at most, on average between warm-up and `until_s`,
    and its trend (a load the service sustains keeps it flat; an overload makes it climb)."""
    after = [s for s in samples if warmup_s <= s.at <= until_s]
    if not after:
        return {}
    return {
        "max": max(s.outstanding for s in samples),
        "mean_after_warmup": round(sum(s.outstanding for s in after) / len(after), 1),
        "slope_per_min": round(slope_per_min([(s.at, s.outstanding) for s in after]), 2),
    }


def timeline(samples: Sequence[Sample], every_s: float = 5.0) -> list[dict[str, Any]]:
    """The samples thinned to one per `every_s`, for the JSON (MB, seconds)."""
    kept: list[dict[str, Any]] = []
    next_at = 0.0
    gauges: dict[str, float] = {}  # the latest read, kept with the next sample kept
    for s in samples:
        gauges = s.gauges or gauges
        if s.at >= next_at:
            kept.append({"t": round(s.at, 1), "outstanding": s.outstanding,
                         "rss_mb": {role: _mb(v) for role, v in s.rss.items()},
                         "anonymous_mb": {role: _mb(v) for role, v in s.anon.items()},
                         **({"gauges": gauges} if gauges else {})})  # fmt: skip
            next_at, gauges = s.at + every_s, {}
    return kept


def plot(path: Path, runs: Mapping[str, Kept]) -> bool:
    """One PNG: per run and replica, RSS by process and in total over minutes (warm-up
    shaded, the fitted slope drawn), and below it the turns waiting. False without
    matplotlib."""
    try:
        import matplotlib

        matplotlib.use("Agg")  # files only, no display
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(9, 7), sharex=True,
                                      gridspec_kw={"height_ratios": [3, 1]})  # fmt: skip
    for name, (warmup_s, until_s, replicas) in runs.items():
        for axis in (top, bottom):
            axis.axvspan(0, warmup_s / 60, color="grey", alpha=0.1)
        for number, samples in enumerate(replicas):
            if not samples:
                continue
            label = name if len(replicas) == 1 else f"{name} #{number + 1}"
            minutes = [s.at / 60 for s in samples]
            totals = [sum(s.rss.values()) / MB for s in samples]
            line = top.plot(minutes, totals, linewidth=1.5, label=f"{label}: total")[0]
            if any(s.anon for s in samples):
                anonymous = [sum(s.anon.values()) / MB for s in samples]
                top.plot(minutes, anonymous, linewidth=1.2, linestyle="-.",
                         color=line.get_color(), label=f"{label}: total anonymous")  # fmt: skip
            for role in sorted({r for s in samples for r in s.rss}):
                if role.endswith("resource_tracker"):
                    continue
                values = [s.rss.get(role, 0) / MB for s in samples]
                top.plot(minutes, values, linewidth=0.7, linestyle="--",
                         color=line.get_color(), alpha=0.6, label=f"{label}: {role}")  # fmt: skip
            for gauge in sorted({g for s in samples for g in s.gauges if "_mb" in g}):
                points = [(s.at / 60, s.gauges[gauge]) for s in samples if gauge in s.gauges]
                top.plot(*zip(*points, strict=True), linewidth=0.7, linestyle=":",
                         color=line.get_color(), label=f"{label}: {gauge}")  # fmt: skip
            fitted = summary(samples, warmup_s, until_s)
            if "slope_mb_per_min" in fitted:
                after = [(s.at, t) for s, t in zip(samples, totals, strict=True)
                         if warmup_s <= s.at <= until_s]  # fmt: skip
                x0 = after[0][0]
                y0 = (
                    sum(t for _, t in after) / len(after)
                    - fitted["slope_mb_per_min"] * (sum(x for x, _ in after) / len(after) - x0) / 60
                )
                x1 = after[-1][0]
                top.plot([x0 / 60, x1 / 60], [y0, y0 + fitted["slope_mb_per_min"] * (x1 - x0) / 60],
                         color="black", linewidth=0.8)  # fmt: skip
                top.annotate(f"{fitted['slope_mb_per_min']:+.2f} MB/min", (x1 / 60, y0),
                             fontsize=7)  # fmt: skip
            bottom.plot(minutes, [s.outstanding for s in samples], linewidth=1,
                        label=f"{label}: turns waiting for a reply")  # fmt: skip
            for queue in ("queue:background_tasks", "queue:memory_indexing"):
                points = [(s.at / 60, s.gauges[queue]) for s in samples if queue in s.gauges]
                if points:
                    bottom.plot(*zip(*points, strict=True), linewidth=0.8, linestyle=":",
                                label=f"{label}: {queue.removeprefix('queue:')}")  # fmt: skip
    for axis in (top, bottom):
        axis.grid(True, alpha=0.3)
    top.set_ylabel("resident memory (MB)")
    top.set_title(f"castmatch load: RSS per replica (warm-up shaded; no growth: slope ≤ "
                  f"{THRESHOLD_MB_PER_MIN} MB/min)", fontsize=9)  # fmt: skip
    top.legend(fontsize=6, loc="upper left")
    bottom.set_ylabel("waiting")
    bottom.set_yscale("symlog")  # a few turns beside thousands of queued tasks
    bottom.legend(fontsize=6, loc="upper left")
    bottom.set_xlabel("minutes since start")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True


# Label -> (warm-up seconds, each replica's samples), kept by the runs of this process for
# `write` (as `stats.keep` keeps latency samples for the latency plots).
KEPT: dict[str, Kept] = {}


def keep(label: str, warmup_s: float, until_s: float, replicas: list[list[Sample]]) -> None:
    KEPT[label] = (warmup_s, until_s, replicas)


def write(out: Path) -> Path | None:
    """`<out stem>.rss.png` beside the JSON, from the kept runs (None: nothing kept, or no
    matplotlib)."""
    path = out.with_name(f"{out.stem}.rss.png")
    return path if KEPT and plot(path, KEPT) else None
