"""The offline responder: labelled, searches the catalogue, and acts on shortlist commands."""

from __future__ import annotations

import secrets

from bot.engine import Engine
from bot.llm.offline import LABEL, OfflineResponder
from bot.types import ConversationKey, InboundMessage
from talent.importer import import_records
from talent.profile import TalentRecord
from tests.doubles.reply import RecordingReply


def profiles(prefix: str) -> list[TalentRecord]:
    people = [
        # a rare combination, so profiles other tests import never crowd the results
        ("Meera Joshi", ["Konkani", "Marathi"], ["kalaripayattu"]),
        ("Kavya Patil", ["Konkani"], ["kalaripayattu", "swimming"]),
        ("Rohan Kulkarni", ["Hindi", "Haryanvi"], ["horse riding"]),
    ]
    return [
        TalentRecord.model_validate(
            {
                "id": f"{prefix}{n}",
                "name": f"{name} {prefix}",
                "gender": "female" if n < 2 else "male",
                "birth_year": 1996,
                "city": "Mumbai",
                "languages": langs,
                "skills": skills,
                "bio": f"{name} is a Mumbai actor.",
            }
        )
        for n, (name, langs, skills) in enumerate(people)
    ]


async def test_offline_search_then_shortlist_by_reference(services):
    prefix = f"o{secrets.token_hex(3)}-"
    await import_records(services, profiles(prefix))
    engine = Engine(services, OfflineResponder())
    key = ConversationKey("console", f"ws-{prefix}", "asha")

    async def say(text: str) -> str:
        reply = RecordingReply()
        message = InboundMessage(
            key=key, user_id="asha", text=text, message_id=secrets.token_hex(8)
        )
        await engine.handle(message, reply)
        return reply.text

    found = await say("women who speak Konkani and do kalaripayattu")
    assert found.startswith(LABEL)
    assert f"Meera Joshi {prefix}" in found and f"Kavya Patil {prefix}" in found
    assert "Rohan" not in found
    second = found.split("\n2. **", 1)[1].split("**", 1)[0]

    added = await say("shortlist the second one for Inspector Yadav")
    assert f"Shortlisted for **Inspector Yadav**: {second}." in added

    shown = await say("show the shortlist")
    assert f"1. **{second}**" in shown and "considered" in shown


async def test_shortlist_without_a_role_asks_which(services):
    engine = Engine(services, OfflineResponder())
    key = ConversationKey("console", f"ws-{secrets.token_hex(3)}", "ravi")
    reply = RecordingReply()
    message = InboundMessage(key=key, user_id="ravi", text="show the shortlist", message_id="x1")
    await engine.handle(message, reply)
    assert "which role" in reply.text


async def test_picking_a_number_from_the_last_list_shows_that_profile(services):
    """ "2" after a search: the router names the person, the offline responder shows them."""
    import secrets as _secrets

    from bot.engine import Engine
    from bot.llm.offline import OfflineResponder
    from bot.pipeline import Inbound
    from tests.doubles.reply import RecordingOutlet

    prefix = f"p{_secrets.token_hex(3)}-"
    await import_records(services, profiles(prefix))
    engine = Engine(services, OfflineResponder())
    key = ConversationKey("console", f"ws-{prefix}", "asha")
    outlets = []
    for text in ("women who speak Konkani and do kalaripayattu", "2"):
        outlet = RecordingOutlet()
        message = InboundMessage(key, user_id="asha", text=text, message_id=_secrets.token_hex(8))
        await engine.pipeline()(Inbound(message, outlet))
        outlets.append(outlet)
    listed = outlets[0].recording.result.talent
    assert len(listed) >= 2
    second = outlets[1].recording.text
    assert f"**{listed[1].name}** ({listed[1].id})" in second and "Playing age" in second
