"""The recall set is well formed, its runner works end to end, and Claude's extraction path."""

from __future__ import annotations

import logging

from bot import metrics
from memory.eval.dataset import content_words, load, rival_text
from memory.eval.run import evaluate
from memory.summarise import ClaudeSummariser
from tests.doubles.claude import Reply, Status, ToolCall


def test_recall_set_meets_its_brief():
    conversations = load()
    questions = [q for c in conversations for q in c.questions]
    texts = {m.key: m.text for c in conversations for m in c.messages}
    assert len(conversations) >= 40
    for question in questions:
        assert question.evidence and all(e in texts for e in question.evidence)
        assert all(s in texts for s in question.superseded)
    no_shared = [
        q for q in questions
        if not content_words(q.text) & set().union(*(content_words(texts[e]) for e in q.evidence))
    ]  # fmt: skip
    assert len(no_shared) * 2 >= len(questions)
    assert sum(1 for q in questions if q.superseded) >= 10
    assert sum(1 for q in questions if q.kind == "hinglish") >= 20
    swapped, names = rival_text("Shortlist Rohan Mehra and Vikram Singh for the cop role.")
    assert "Rohan" not in swapped and len(names) == 2


async def test_recall_set_runner_small(services):
    report = await evaluate(services, filler_per_user=8, limit=3, concurrency=3)
    assert report["questions"] == 6
    assert report["distractor_leaks"] == 0
    assert report["superseded_fed_as_current"] == 0
    assert report["evidence_recall"] >= 0.8
    assert 0 < report["context_tokens_max"] <= 4000


def _fallbacks(task: str, reason: str) -> float:
    return (
        metrics.REGISTRY.get_sample_value(
            "castmatch_memory_extraction_fallbacks_total", {"task": task, "reason": reason}
        )
        or 0.0
    )


async def test_claude_extracts_facts_through_a_forced_tool_call(settings, claude):
    configured = settings.model_copy(
        update={"anthropic_api_key": "sk-test", "anthropic_base_url": claude.url}
    )
    summariser = ClaudeSummariser(configured)
    fact = {"scope": "workspace", "kind": "decision", "subject": "Talent:Rohan Mehra:Cop",
            "text": "Rohan Mehra dropped from the cop role (accent)."}  # fmt: skip
    claude.background_script.append(ToolCall("record_facts", {"facts": [fact]}))
    facts = await summariser.facts("Drop Rohan Mehra from the cop role: accent.", [])
    assert [(f.subject, f.text) for f in facts] == [
        ("talent:rohan mehra:cop", "Rohan Mehra dropped from the cop role (accent).")
    ]
    request = claude.background_requests[-1]
    assert request["tool_choice"] == {"type": "tool", "name": "record_facts"}
    assert "current facts" in request["system"].lower()
    claude.background_script.append(ToolCall("record_summary", {"summary": "Asha set up KN."}))
    assert await summariser.summary(["user: hi"]) == "Asha set up KN."
    await summariser.client.close()


async def test_a_failed_or_invalid_extraction_falls_back_to_rules_counted_and_logged(
    settings, claude, caplog
):
    configured = settings.model_copy(
        update={"anthropic_api_key": "sk-test", "anthropic_base_url": claude.url}
    )
    summariser = ClaudeSummariser(configured)
    invalid, unavailable = _fallbacks("facts", "invalid"), _fallbacks("facts", "unavailable")
    message = "Drop Rohan Mehra from the cop role: accent."
    bad = {"facts": [{"scope": "everyone", "kind": "decision", "subject": "x", "text": "y"}]}
    claude.background_script.append(ToolCall("record_facts", bad))  # scope out of its schema
    with caplog.at_level(logging.WARNING, logger="memory.summarise"):
        facts = await summariser.facts(message, [])
    assert [f.subject for f in facts] == ["talent:rohan mehra:cop"]  # the rules' fact
    assert _fallbacks("facts", "invalid") == invalid + 1
    assert "facts by Claude failed" in caplog.text and message not in caplog.text
    claude.background_script.append(Status(500, None))
    claude.background_script.extend([Status(500, None)] * 2)  # the SDK's own retries
    assert [f.subject for f in await summariser.facts(message, [])] == ["talent:rohan mehra:cop"]
    assert _fallbacks("facts", "unavailable") == unavailable + 1
    await summariser.client.close()


async def test_a_reply_without_the_tool_call_falls_back_and_shows_on_metrics(
    services, settings, claude
):
    """Claude answering in prose instead of the forced call: the rules stand in, and the
    fallback is on the /metrics page an operator scrapes."""
    from aiohttp.test_utils import TestClient, TestServer

    from bot.engine import Engine
    from bot.llm.offline import OfflineResponder
    from bot.server import build_app
    from castmatch.app import CHANNELS

    configured = settings.model_copy(
        update={"anthropic_api_key": "sk-test", "anthropic_base_url": claude.url}
    )
    summariser = ClaudeSummariser(configured)
    before = _fallbacks("summary", "invalid")
    claude.background_script.append(Reply('{"summary": "Asha set up KN."}'))  # text, no call
    summary = await summariser.summary(["Asha: set up Khaki Nights", "Ravi: the cop role next"])
    assert summary == "Asha: set up Khaki Nights / Ravi: the cop role next"  # the rules' lines
    await summariser.client.close()
    client = TestClient(
        TestServer(build_app(services, Engine(services, OfflineResponder()), CHANNELS))
    )
    await client.start_server()
    try:
        text = await (await client.get("/metrics")).text()
    finally:
        await client.close()
    line = 'castmatch_memory_extraction_fallbacks_total{reason="invalid",task="summary"}'
    assert f"{line} {before + 1}" in text
