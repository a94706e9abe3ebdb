"""The load run's memory verdict: a replica that keeps growing after warm-up is reported as
growing, one that levels off is not, and the plot is written beside the JSON."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks import growth

MB = 2**20


def _run(per_min_mb: float, *, warmup_mb_per_min: float = 60.0) -> list[growth.Sample]:
    """A 10-minute replica sampled every 5 s: fast growth in the 2-minute warm-up, then
    `per_min_mb` a minute in the worker, with a few MB of allocator noise."""
    samples = []
    for tick in range(121):
        at = tick * 5.0
        minutes = at / 60
        worker = 300 + warmup_mb_per_min * min(minutes, 2) + per_min_mb * max(0, minutes - 2)
        noise = (tick % 3 - 1) * 2.0
        rss = {"web": 216 * MB, "worker": int((worker + noise) * MB), "worker.child": 80 * MB}
        anon = {role: value - 100 * MB for role, value in rss.items()}
        samples.append(growth.Sample(at, rss, 5, anon, gauges={"memory_index_mb": 4.0}))
    return samples


def test_a_replica_that_levels_off_after_warm_up_does_not_grow() -> None:
    figures = growth.summary(_run(0.0), warmup_s=120, until_s=600)
    assert figures["grows"] is False
    assert abs(figures["slope_mb_per_min"]) < 0.5
    assert figures["after_warmup_mb"] == pytest.approx(216 + 420 + 80, abs=3)


def test_a_replica_that_keeps_growing_is_reported_with_its_process() -> None:
    figures = growth.summary(_run(3.0), warmup_s=120, until_s=600)
    assert figures["grows"] is True
    assert figures["slope_mb_per_min"] == pytest.approx(3.0, abs=0.2)
    assert figures["slope_by_process_mb_per_min"]["worker"] == pytest.approx(3.0, abs=0.2)
    assert figures["slope_by_process_mb_per_min"]["web"] == 0.0
    assert figures["anonymous_slope_mb_per_min"] == pytest.approx(3.0, abs=0.2)
    assert figures["slope_by_gauge_mb_per_min"] == {"memory_index_mb": 0.0}


def test_the_drain_after_the_load_is_left_out() -> None:
    samples = _run(0.0)
    drained = [growth.Sample(s.at + 600, s.rss | {"worker": s.rss["worker"] + int(s.at * MB)},
                             0) for s in samples[1:]]  # fmt: skip
    figures = growth.summary(samples + drained, warmup_s=120, until_s=600)
    assert figures["grows"] is False
    assert figures["until_s"] == 600


def test_backlog_that_climbs_is_seen() -> None:
    climbing = [growth.Sample(t * 5.0, {"web": MB}, outstanding=t) for t in range(121)]
    assert growth.backlog(climbing, 120, 600)["slope_per_min"] == pytest.approx(12.0)
    flat = [growth.Sample(t * 5.0, {"web": MB}, outstanding=4) for t in range(121)]
    assert growth.backlog(flat, 120, 600) == {"max": 4, "mean_after_warmup": 4.0,
                                              "slope_per_min": 0.0}  # fmt: skip


def test_gauges_read_from_a_scrape() -> None:
    scraped = {
        'castmatch_queue_depth{queue="background_tasks"}': 12.0,
        'castmatch_queue_depth{queue="slack_queued"}': 0.0,
        "castmatch_memory_index_bytes": 8 * MB,
        'castmatch_python_traced_bytes{process="worker"}': 96 * MB,
        "castmatch_turns_in_flight": 3.0,
    }
    assert growth.gauges(scraped) == {
        "queue:background_tasks": 12.0,
        "memory_index_mb": 8.0,
        "python_heap_mb:worker": 96.0,
    }


def test_the_plot_is_written_beside_the_json(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    growth.KEPT.clear()
    growth.keep("one_process", 120, 600, [_run(3.0)])
    path = growth.write(tmp_path / "load.json")
    assert path == tmp_path / "load.rss.png"
    assert path.read_bytes().startswith(b"\x89PNG")
    growth.KEPT.clear()


def test_the_timeline_keeps_every_gauge_read() -> None:
    samples = [growth.Sample(t * 1.3, {"web": MB}, 0,
                             gauges={"queue:background_tasks": float(t)} if t % 5 == 0 else {})
               for t in range(100)]  # fmt: skip
    kept = growth.timeline(samples, every_s=5.0)
    read = [row["gauges"]["queue:background_tasks"] for row in kept if "gauges" in row]
    assert len(read) >= 19 and read == sorted(read)
