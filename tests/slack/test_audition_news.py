"""Someone who asked for self-tapes from Slack hears each answer as a direct message from
the app (as a WhatsApp coordinator hears it on WhatsApp)."""

from __future__ import annotations

import secrets
from datetime import date, timedelta

from sqlalchemy import select

from bot.tools import ToolContext
from talent.auditions_jobs import tell_inviter
from talent.auditions_models import Invitation
from tests.slack.stack import Stack, until
from tests.slack.test_end_to_end import in_chat


async def test_the_slack_inviter_hears_the_answer_in_a_dm(stack: Stack) -> None:
    role = f"Inspector Yadav {secrets.token_hex(2)}"
    ctx = ToolContext(in_chat("C0CAST"), stack.services)
    number = "+9198" + str(secrets.randbelow(10**8)).zfill(8)
    tools = stack.services.tools
    outcome = await tools.run(
        "set_talent_whatsapp", {"talent": "e2e-asha-01", "number": number}, ctx
    )
    assert not outcome.is_error, outcome.content
    due = date.today() + timedelta(days=3)
    ask = {"talent": ["e2e-asha-01"], "role": role, "deadline": f"{due.day} {due:%B} 6pm"}
    outcome = await tools.run("request_self_tape", ask, ctx)
    assert not outcome.is_error and outcome.content["queued"], outcome.content
    async with stack.services.sessions() as session:
        invitation = await session.scalar(
            select(Invitation.pk).where(Invitation.talent_id == "e2e-asha-01",
                                        Invitation.created_by == "slack:U0DIRECTOR")
            .order_by(Invitation.pk.desc()).limit(1)
        )  # fmt: skip

    await tell_inviter(stack.services, invitation=invitation, status="submitted")  # the job
    dm = await until(lambda: stack.slack.in_thread("U0DIRECTOR", ""))
    assert dm[-1].text == f"🎬 Asha Patil sent the self-tape for {role}."
