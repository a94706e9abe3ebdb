"""The shared command router: one grammar in every channel, commands stored as turns,
members managed by admins from a chat (real PostgreSQL and Redis, the Claude double)."""

from __future__ import annotations

import secrets
import uuid

import pytest
from sqlalchemy import select

from bot.commands.grammar import Command, parse
from bot.commands.router import ADMINS_ONLY
from bot.engine import Engine
from bot.llm.claude import ClaudeResponder
from bot.pipeline import Inbound
from bot.types import ConversationKey, InboundMessage
from memory.models import Message
from tests.doubles.reply import RecordingOutlet


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("help", Command("help")),
        ("/talent kathak dancers in Pune", Command("search", "kathak dancers in Pune")),
        ("search: Marathi actresses", Command("search", "Marathi actresses")),
        ("shortlist", Command("shortlist", verb="show")),
        (
            "post the Inspector Yadav shortlist to #casting-picks",
            Command("post", role="Inspector Yadav", arg="casting-picks"),
        ),
        ("post this shortlist in #casting", Command("post", arg="casting")),
        (
            "shortlist post #casting-picks Inspector Yadav",
            Command("post", role="Inspector Yadav", arg="casting-picks"),
        ),
        ("shortlist post to #casting", Command("post", arg="casting")),
        (
            "shortlist post the Inspector Yadav to #casting",
            Command("post", role="Inspector Yadav", arg="casting"),
        ),
        (
            "post a photo of the set to the team",
            Command("chat", "post a photo of the set to the team"),
        ),
        (
            "shortlist show Inspector Yadav",
            Command("shortlist", verb="show", role="Inspector Yadav"),
        ),
        (
            "shortlist add t1, t2 to the Inspector Yadav",
            Command("shortlist", verb="add", ids=("t1", "t2"), role="Inspector Yadav"),
        ),
        (
            "shortlist 2 for Inspector",
            Command("shortlist", verb="pick", number=2, role="Inspector"),
        ),
        ("3", Command("pick", number=3)),
        ("forget me", Command("forget")),
        ("STOP", Command("stop")),
        (
            "members add whatsapp:+919800000001 admin",
            Command("members", verb="add", ids=("whatsapp:+919800000001",), admin=True),
        ),
    ],
)
def test_one_grammar(text: str, expected: Command) -> None:
    assert parse(text) == expected


@pytest.mark.parametrize(
    "text",
    ["shortlist the second one for Inspector Yadav", "yes", "who did we consider for the cop?"],
)
def test_requests_in_plain_words_go_to_claude(text: str) -> None:
    assert parse(text).kind == "chat"


def console(text: str, chat: str) -> InboundMessage:
    key = ConversationKey("console", "cmd-" + chat, chat)
    return InboundMessage(key, user_id=chat, text=text, message_id=uuid.uuid4().hex)


async def test_a_command_is_a_stored_turn_and_asks_claude_nothing(services, settings, claude):
    configured = settings.model_copy(
        update={"anthropic_api_key": "sk-test", "anthropic_base_url": claude.url}
    )
    responder = ClaudeResponder(configured)
    engine = Engine(services, responder)
    chat = secrets.token_hex(4)
    outlet = RecordingOutlet()
    await engine.pipeline()(Inbound(console("help", chat), outlet))
    assert "**search**" in outlet.recording.text
    assert not claude.requests
    async with services.sessions() as session:
        rows = (
            await session.execute(
                select(Message.role, Message.text)
                .where(Message.user_id == chat)
                .order_by(Message.id)
            )
        ).all()
    assert [r.role for r in rows] == ["user", "assistant"]
    assert rows[0].text == "help" and "**search**" in rows[1].text
    await responder.close()


async def test_an_admin_adds_a_whatsapp_coordinator_from_slack(services):
    from bot.llm.offline import OfflineResponder

    engine = Engine(services, OfflineResponder())
    team = "T" + secrets.token_hex(4).upper()
    number = "+9198" + str(secrets.randbelow(10**8)).zfill(8)
    await services.directory.add_members(f"slack:{team}", ["slack:UADMIN"], admin=True)

    async def say(user: str, text: str) -> str:
        key = ConversationKey("slack", team, "D1")
        message = InboundMessage(key, user_id=user, text=text, message_id=uuid.uuid4().hex)
        outlet = RecordingOutlet()
        await engine.pipeline()(Inbound(message, outlet))
        return outlet.recording.text

    assert await say("USTAFF", f"members add whatsapp:{number}") == ADMINS_ONLY
    assert await services.directory.role(f"slack:{team}", f"whatsapp:{number}") is None
    answer = await say("UADMIN", f"members add whatsapp:{number}")
    assert "Added 1 member" in answer
    assert await services.directory.role(f"slack:{team}", f"whatsapp:{number}") is False
    assert "Nothing changed" in await say("UADMIN", "members add whatsapp:12")
