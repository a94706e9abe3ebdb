"""Isolation between people and workspaces, and the recall_memory tool through Claude."""

from __future__ import annotations

import json

from memory.runtime import get_memory
from tests.doubles.claude import Reply, ToolCall
from tests.doubles.reply import RecordingReply
from tests.memory.conftest import DAY1, days, drain, say, unique


async def test_confusingly_similar_people_never_see_each_other(engine, claude, services):
    acme, rival = unique("acme"), unique("rival")
    asha, ravi, mole = unique("Uasha"), unique("Uravi"), unique("Umole")
    # near-identical private conversations, differing in the names only
    script = {
        (acme, asha): "My personal pick for the cop role is Arjun Kapoor, keep it to yourself.",
        (acme, ravi): "My personal pick for the cop role is Kabir Sethi, keep it to yourself.",
        (rival, mole): "We are casting Khaki Nights too. Shortlist Dev Malhotra for the cop role.",
    }
    for n, ((ws, user), text) in enumerate(script.items()):
        claude.push(Reply("Noted."))
        await engine.handle(say(text, workspace=ws, user=user, at=DAY1 + days(n)), RecordingReply())
    await drain(services)
    memory = get_memory(services)
    for ws, user, own, foreign in (
        (acme, asha, "Arjun Kapoor", ("Kabir Sethi", "Dev Malhotra")),
        (acme, ravi, "Kabir Sethi", ("Arjun Kapoor", "Dev Malhotra")),
    ):
        claude.push(Reply("…"))
        await engine.handle(
            say(
                "what was my personal pick for the cop role?",
                workspace=ws,
                user=user,
                at=DAY1 + days(5),
            ),
            RecordingReply(),
        )
        sent = json.dumps(claude.requests[-1], ensure_ascii=False)
        assert own in sent
        assert not any(name in sent for name in foreign), (user, foreign)
        # the deeper search is scoped the same way
        vector = (await services.embedder.queries(["personal pick cop role"]))[0]
        texts = " ".join(r.text for r in await memory.recall.search(ws, f"slack:{user}", vector))
        assert own in texts and not any(name in texts for name in foreign)


async def test_recall_memory_tool_searches_with_a_period(engine, claude, services):
    ws, user = unique("acme"), unique("U")
    claude.push(Reply("Noted."))
    await engine.handle(
        say(
            "Shortlist Meera Joshi for the lawyer role, strong Marathi.",
            workspace=ws,
            user=user,
            at=DAY1,
        ),
        RecordingReply(),
    )
    claude.push(Reply("Noted."))
    await engine.handle(
        say(
            "Shortlist Tara Rao for the lawyer role as a backup.",
            workspace=ws,
            user=user,
            chat="D2",
            at=DAY1 + days(12),
        ),
        RecordingReply(),
    )
    await drain(services)
    assert "recall_memory" in services.tools
    claude.push(
        ToolCall("recall_memory", {"query": "lawyer role shortlist", "period": "last week"}),
        Reply("Tara Rao."),
    )
    reply = RecordingReply()
    await engine.handle(
        say("who was on the lawyer list?", workspace=ws, user=user, chat="D3", at=DAY1 + days(16)),
        reply,
    )
    assert reply.text == "Tara Rao."
    tool_result = claude.requests[-1]["messages"][-1]["content"][0]
    assert tool_result["type"] == "tool_result"
    text = (
        tool_result["content"]
        if isinstance(tool_result["content"], str)
        else tool_result["content"][0]["text"]
    )
    assert "Tara Rao" in text and "last week" in text
    assert "Sat 14 Nov 2026" in text  # dated
