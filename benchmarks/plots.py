"""PNG plots of the latency distributions a `castmatch bench` run kept (`stats.keep`), one
file per benchmark beside the JSON (`figures.engine.png` for `figures.json`): for each
distribution its cumulative share over milliseconds (log scale) with p50 and p99 marked, so a
regression shows as a curve moved right."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path

from benchmarks.stats import percentile


def write(out: Path, samples: Mapping[str, Sequence[float]]) -> list[Path]:
    """Write the plots; returns their paths (none when matplotlib is not installed)."""
    try:
        import matplotlib

        matplotlib.use("Agg")  # files only, no display
        import matplotlib.pyplot as plt
    except ImportError:
        return []
    by_bench: dict[str, dict[str, Sequence[float]]] = defaultdict(dict)
    for name, values in samples.items():
        if values:
            bench, _, figure = name.partition(".")
            by_bench[bench][figure] = values
    written = []
    for bench, figures in sorted(by_bench.items()):
        fig, ax = plt.subplots(figsize=(8, 4.5))
        for figure, values in sorted(figures.items()):
            ordered = sorted(max(v, 0.01) for v in values)
            shares = [(i + 1) / len(ordered) for i in range(len(ordered))]
            p50, p99 = percentile(ordered, 50), percentile(ordered, 99)
            label = f"{figure}  (p50 {p50:.1f}, p99 {p99:.1f} ms, n={len(ordered)})"
            ax.step(ordered, shares, where="post", label=label)
        ax.set_xscale("log")
        ax.set_xlabel("milliseconds (log scale)")
        ax.set_ylabel("share of samples at or below")
        ax.axhline(0.5, color="grey", linewidth=0.5)
        ax.axhline(0.99, color="grey", linewidth=0.5)
        ax.set_title(f"castmatch bench: {bench}")
        ax.legend(fontsize=7, loc="lower right")
        ax.grid(True, which="both", alpha=0.3)
        fig.tight_layout()
        path = out.with_name(f"{out.stem}.{bench}.png")
        fig.savefig(path, dpi=110)
        plt.close(fig)
        written.append(path)
    return written
