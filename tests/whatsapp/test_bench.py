"""The WhatsApp benchmark in quick mode: it runs, and nothing is lost or reordered."""

from __future__ import annotations

import json

import pytest

from benchmarks.whatsapp_bench import run


@pytest.mark.slow
async def test_whatsapp_bench_quick(services):
    figures = await run(services, quick=True)
    print(json.dumps(figures, indent=2))
    assert figures["replies_lost"] == 0
    assert figures["replies_duplicated"] == 0
    assert figures["conversations_reordered"] == 0
    assert figures["first_message_turns"] > 0
