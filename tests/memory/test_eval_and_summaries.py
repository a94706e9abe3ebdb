"""The recall set is well formed, its runner works end to end, and Claude's extraction path."""

from __future__ import annotations

from memory.eval.dataset import content_words, load, rival_text
from memory.eval.run import evaluate
from memory.summarise import ClaudeSummariser
from tests.doubles.claude import Reply


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


async def test_claude_extracts_facts_and_falls_back_to_rules(settings, claude):
    configured = settings.model_copy(
        update={"anthropic_api_key": "sk-test", "anthropic_base_url": claude.url}
    )
    summariser = ClaudeSummariser(configured)
    claude.background_script.append(
        Reply(
            '[{"scope": "workspace", "kind": "decision", "subject": '
            '"talent:rohan mehra:cop", "text": "Rohan Mehra dropped (accent)."}]'
        )
    )
    facts = await summariser.facts("Drop Rohan Mehra from the cop role: accent.", [])
    assert [(f.subject, f.text) for f in facts] == [
        ("talent:rohan mehra:cop", "Rohan Mehra dropped (accent).")
    ]
    assert "current facts" in claude.background_requests[-1]["system"].lower()
    claude.background_script.append(
        Reply("Sorry, I can't help with that.")
    )  # unusable: the rules take over
    facts = await summariser.facts("Drop Rohan Mehra from the cop role: accent.", [])
    assert [f.subject for f in facts] == ["talent:rohan mehra:cop"]
    claude.background_script.append(Reply("Asha set up Khaki Nights and shortlisted two cops."))
    assert await summariser.summary(["user: hi"]) == (
        "Asha set up Khaki Nights and shortlisted two cops."
    )
    await summariser.client.close()
