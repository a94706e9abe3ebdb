"""Small helpers every benchmark shares."""

from __future__ import annotations

import math
from collections.abc import Sequence


def percentile(values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile (pct in 0..100); 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


# Latency samples of the current run (milliseconds), by "benchmark.figure", for the plots
# `castmatch bench` writes beside its JSON.
SAMPLES: dict[str, list[float]] = {}


def keep(name: str, seconds: Sequence[float]) -> None:
    """Keep a distribution (in seconds) to plot; a name kept twice is replaced."""
    SAMPLES[name] = [s * 1000 for s in seconds]
