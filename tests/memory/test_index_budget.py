"""The semantic memory's byte budget (CASTMATCH_MEMORY_INDEX_MB) counts about what its loaded
partitions really hold (it read ~2.4x low: a 512 MB budget let the index hold over 1 GB)."""

from __future__ import annotations

import json
import subprocess
import sys

_BUDGET_PROBE = """
import json, random, sys
import numpy as np, psutil
from memory.semantic import Batch, SemanticIndex, _empty

def anonymous():
    info = psutil.Process().memory_info()
    return info.rss - info.shared

rng = random.Random(7)
words = "hero heroine police inspector Mumbai Delhi Haryanvi theatre audition".split()
parts = [_empty(384) for _ in range(40)]
before = anonymous()
for step in range(3000):
    texts = [" ".join(rng.choices(words, k=rng.randint(5, 30))) for _ in range(2)]
    ids = np.arange(2 * step + 1, 2 * step + 3, dtype=np.int64)
    SemanticIndex._append(parts[step % 40], Batch(
        ids, np.full(2, 1.7e9), np.zeros(2, np.int8), ids, np.zeros(2, bool), texts,
        np.random.default_rng(step).random((2, 384), dtype=np.float32)))
print(json.dumps({"held": anonymous() - before, "counted": sum(p.nbytes for p in parts)}))
"""


def test_the_memory_index_budget_counts_what_its_partitions_hold() -> None:
    """6,000 items in 40 partitions, in a fresh process: its anonymous RSS growth against
    the count."""
    done = subprocess.run([sys.executable, "-c", _BUDGET_PROBE], capture_output=True,
                          text=True, timeout=120, check=True)  # fmt: skip
    figures = json.loads(done.stdout)
    assert figures["held"] <= 1.5 * figures["counted"], figures
    assert figures["counted"] <= 2.0 * figures["held"], figures
