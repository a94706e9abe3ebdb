"""Day 1 a project, day 2 a shortlist, day 9 "who did we consider for the cop role last week?"."""

from __future__ import annotations

from tests.doubles.claude import Reply, memory_text
from tests.doubles.reply import RecordingReply
from tests.memory.conftest import DAY1, days, drain, say, unique


async def test_day_nine_question_finds_the_day_two_shortlist(engine, claude, services):
    ws, director = unique("acme"), unique("U")
    day1 = [
        "We are casting Khaki Nights, a Marathi cop drama for Netflix.",
        "The lead is Inspector Yadav, a tough cop in his forties from Pune.",
    ]
    for n, text in enumerate(day1):
        claude.push(Reply("Noted."))
        await engine.handle(
            say(text, workspace=ws, user=director, chat="D1", at=DAY1 + n * days(0.01)),
            RecordingReply(),
        )
    claude.push(Reply("Added both to the Inspector Yadav shortlist."))
    await engine.handle(
        say(
            "Shortlist Rohan Mehra and Vikram Singh for the cop role, both did police roles "
            "before.",
            workspace=ws,
            user=director,
            chat="D2",
            at=DAY1 + days(1),
        ),
        RecordingReply(),
    )
    # other chatter in between, so the answer is not simply "the last thing said"
    for n, text in enumerate(
        [
            "Any update on the wedding ad?",
            "Send me kathak dancers in Pune",
            "What is our audition room booking for Friday?",
        ]
    ):
        claude.push(Reply("Sure."))
        await engine.handle(
            say(text, workspace=ws, user=director, chat="D3", at=DAY1 + days(3 + n)),
            RecordingReply(),
        )
    await drain(services)

    claude.push(Reply("Rohan Mehra and Vikram Singh."))
    reply = RecordingReply()
    question = say(
        "who did we consider for the cop role last week?",
        workspace=ws,
        user=director,
        chat="D9",
        at=DAY1 + days(8),
    )
    await engine.handle(question, reply)
    body = claude.requests[-1]
    memory = memory_text(body)
    assert "Rohan Mehra" in memory and "Vikram Singh" in memory
    assert "Mon 02 Nov 2026" in memory or "Tue 03 Nov 2026" in memory  # dated items
    assert "last week" in memory  # the period is spelled out for Claude
    assert body["messages"][-1]["content"] == question.text
    assert reply.text == "Rohan Mehra and Vikram Singh."


async def test_a_colleague_sees_project_facts_but_not_private_text(engine, claude, services):
    ws = unique("acme")
    asha, ravi = unique("Uasha"), unique("Uravi")
    claude.push(Reply("Noted."))
    await engine.handle(
        say("Shortlist Rohan Mehra for the cop role.", workspace=ws, user=asha, at=DAY1),
        RecordingReply(),
    )
    claude.push(Reply("Noted."))
    await engine.handle(
        say(
            "Between us, my divorce hearing is on the 14th so I'm off.",
            workspace=ws,
            user=asha,
            at=DAY1 + days(0.1),
        ),
        RecordingReply(),
    )
    await drain(services)
    claude.push(Reply("Rohan."))
    await engine.handle(
        say(
            "who is on the cop shortlist? and when is asha off?",
            workspace=ws,
            user=ravi,
            at=DAY1 + days(1),
        ),
        RecordingReply(),
    )
    body = claude.requests[-1]
    sent = str(body["system"]) + str(body["messages"])
    assert "Rohan Mehra" in sent  # a workspace decision is shared
    assert "divorce" not in sent  # a colleague's private conversation is not


async def test_shortlists_from_the_talent_tables_reach_the_context(engine, claude, services):
    from talent import shortlists
    from talent.models import Talent

    ws, director = unique("acme"), unique("U")
    async with services.sessions.begin() as session:
        for tid, name in (("t-rohan", "Rohan Mehra"), ("t-vikram", "Vikram Singh")):
            session.add(
                Talent(workspace=ws, id=tid, name=name, name_key=name.lower(), content_hash=tid)
            )
    role = await shortlists.ensure_role(services, ws, "Inspector Yadav", project="Khaki Nights")
    await shortlists.add(services, role, ["t-rohan", "t-vikram"], actor=director)
    await shortlists.set_status(
        services, role, "t-rohan", "dropped", reason="accent", actor=director
    )
    claude.push(Reply("Vikram Singh is still on it."))
    await engine.handle(
        say("who is left for the inspector?", workspace=ws, user=director), RecordingReply()
    )
    memory = memory_text(claude.requests[-1])
    assert "Inspector Yadav (Khaki Nights): Rohan Mehra (dropped: accent)" in memory
    assert "Vikram Singh (considered)" in memory


async def test_a_question_naming_a_day_finds_what_was_said_that_day(engine, claude, services):
    from memory.context import ContextBuilder
    from memory.runtime import get_memory

    ws, director = unique("acme"), unique("U")
    said = {}
    for n in range(12):  # the shoot, discussed on many days, in the question's own words
        text = f"We still need to decide the shoot location for the ad, option {n} is open."
        claude.push(Reply("Noted."))
        message = say(text, workspace=ws, user=director, chat=f"D{n}", at=DAY1 + days(n))
        await engine.handle(message, RecordingReply())
    that_day = "Pune it is: the producer signed off on the Koregaon Park bungalow."
    claude.push(Reply("Noted."))
    message = say(that_day, workspace=ws, user=director, chat="D20", at=DAY1 + days(20))
    await engine.handle(message, RecordingReply())
    said[that_day] = message.message_id
    await drain(services)

    memory = get_memory(services)
    tight = ContextBuilder(memory.turns, memory.working, memory.context.recall, memory.facts,
                           memory.context.embedder, budget=300)  # fmt: skip
    question = say("What did we decide about the shoot location on 22 November?",
                   workspace=ws, user=director, chat="Q", at=DAY1 + days(30))  # fmt: skip
    context = await tight.build(question, 0)
    assert "Koregaon Park" in context.memory  # said on Sun 22 Nov: first, whatever the words
    assert "22 November 2026" in context.memory  # the period is spelled out for Claude
