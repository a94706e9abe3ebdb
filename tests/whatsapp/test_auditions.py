"""Auditions over WhatsApp, end to end through the real server: a coordinator adds slots and
invites shortlisted talent, invitations go out as the approved template (the talent never
wrote to the number), talent answer YES and send self-tapes, reminders wait on the job
queue and stay silent once the tape is in; media a coordinator sends lands on a profile."""

from __future__ import annotations

import asyncio
import json
import re
import secrets
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from adapters.whatsapp.stream import WhatsAppReply
from bot.jobs import attach
from bot.tools import ToolContext
from bot.types import ConversationKey, InboundMessage, ReplyResult
from talent.auditions import REMIND
from talent.importer import import_file
from tests.talent.conftest import profile, write_jsonl
from tests.whatsapp.conftest import new_wa_id
from tests.whatsapp.fixtures import BUSINESS, inbound

TEMPLATE = "HX" + "1" * 32


@pytest.fixture
def extra_settings() -> dict[str, object]:
    return {"twilio_template_sid": TEMPLATE}


async def _drain_jobs(stack) -> None:
    await attach(stack.services).work(asyncio.Event(), wait=False)


async def _due_reminders_sent_to(stack, wa_id: str) -> list[dict[str, str]]:
    """Make every pending reminder due now, run the jobs, and return what reached `wa_id`."""
    async with stack.services.db.begin() as conn:
        await conn.execute(
            text("UPDATE procrastinate_jobs SET scheduled_at = now() WHERE task_name = :t"),
            {"t": REMIND},
        )
    before = len(stack.twilio.messages)
    await _drain_jobs(stack)
    return [m for m in stack.twilio.messages[before:] if m["To"] == f"whatsapp:+{wa_id}"]


async def _say(stack, wa_id: str, body: str, *, member: bool = True, **form: str) -> str:
    """Send one message and wait for the answer to it (the text of the next message out)."""
    before = len(stack.twilio.messages)
    await stack.post(inbound(body, wa_id=wa_id, **form), member=member)
    to = f"whatsapp:+{wa_id}"
    await stack.twilio.wait_for(lambda t: any(m["To"] == to for m in t.messages[before:]))
    await asyncio.sleep(0.2)  # a reply may take several messages
    return "\n".join(m["Body"] for m in stack.twilio.messages[before:] if m["To"] == to)


async def _people(stack, tmp_path: Path) -> tuple[list[str], list[str]]:
    tag = secrets.token_hex(3)
    ids = [f"a{tag}-1", f"b{tag}-2", f"c{tag}-3"]
    phones = [new_wa_id(), new_wa_id()]
    records = [
        profile(ids[0], name="Amruta Joshi", whatsapp=f"+{phones[0]}"),
        profile(ids[1], name="Rohan Malik"),
        profile(ids[2], name="Meera Nair"),
    ]
    await import_file(stack.services, write_jsonl(tmp_path / "a.jsonl", records))
    return ids, phones


async def test_invite_confirm_self_tape_and_reminders(stack, tmp_path: Path) -> None:
    (amruta, rohan, meera), (amruta_wa, rohan_wa) = await _people(stack, tmp_path)
    coordinator = new_wa_id()
    role = f"Inspector Yadav {secrets.token_hex(2)}"
    answer = await _say(stack, coordinator, f"number {rohan} +{rohan_wa}")
    assert "Saved the WhatsApp number" in answer and rohan_wa not in answer  # not echoed
    answer = await _say(stack, coordinator, f"slot 10 March 11:00 at Andheri studio for {role}")
    assert "1. Wed 10 Mar, 11:00 at Andheri studio" in answer
    answer = await _say(stack, coordinator, f"invite {amruta} {meera} for {role}")
    assert "Sending on WhatsApp" in answer and "no WhatsApp number" in answer  # Meera

    await _drain_jobs(stack)  # a server's worker sends it
    invitation = [m for m in stack.twilio.messages if m["To"] == f"whatsapp:+{amruta_wa}"]
    # Amruta never wrote to this number: outside the 24-hour window, so the template
    assert invitation and invitation[0]["ContentSid"] == TEMPLATE and not invitation[0].get("Body")
    assert "audition for the role of *" + role in invitation[0]["ContentVariables"]
    assert "Andheri studio" in invitation[0]["ContentVariables"]

    # Amruta is no member, but her YES reaches the invitation
    answer = await _say(stack, amruta_wa, "Yes!", member=False)
    assert answer.startswith("Thank you, your audition") and "confirmed" in answer
    listing = await _say(stack, coordinator, f"auditions for {role}")
    assert "Amruta Joshi" in listing and "✅ confirmed" in listing
    await _drain_jobs(stack)  # the coordinator who invited hears it
    assert f"✅ Amruta Joshi confirmed the audition for {role}." in stack.twilio.bodies(
        f"+{coordinator}"
    )

    # a self-tape with a deadline five days out; reminders wait on the queue
    due = date.today() + timedelta(days=5)
    answer = await _say(
        stack, coordinator, f"self-tape {rohan} by {due.day} {due:%B} 6pm for {role}"
    )
    assert "Rohan Malik" in answer and "self-tape by" in answer
    await _drain_jobs(stack)
    assert any(
        m["To"] == f"whatsapp:+{rohan_wa}" and "self-tape" in m["ContentVariables"]
        for m in stack.twilio.messages
    )
    async with stack.services.db.connect() as conn:
        waits = (
            await conn.execute(
                text(
                    "SELECT id, scheduled_at FROM procrastinate_jobs WHERE task_name = :t "
                    "AND status = 'todo' AND (args->>'invitation')::int = "
                    "(SELECT max(pk) FROM audition_invitations WHERE talent_id = :r)"
                ),
                {"t": REMIND, "r": rohan},
            )
        ).all()
    gaps = sorted(round((w.scheduled_at - waits[0].scheduled_at).total_seconds()) for w in waits)
    assert gaps == [0, 21 * 3600]  # 24 h and 3 h before the deadline
    # the waiting reminders are on /metrics, as an operator scrapes it
    async with stack.session.get(stack.url + "/metrics") as response:
        scraped = await response.text()
    waiting = re.search(r'^castmatch_queue_depth\{queue="jobs_scheduled"\} (\d+)', scraped, re.M)
    assert waiting and float(waiting.group(1)) >= 2, scraped[:2000]

    # the reminder is due: it goes out (Rohan wrote nothing, so as the template again)
    first = min(waits, key=lambda w: w.scheduled_at)
    async with stack.services.db.begin() as conn:
        await conn.execute(
            text("UPDATE procrastinate_jobs SET scheduled_at = now() WHERE id = :id"),
            {"id": first.id},
        )
    before = len(stack.twilio.messages)
    await _drain_jobs(stack)
    reminder = [m for m in stack.twilio.messages[before:] if m["To"] == f"whatsapp:+{rohan_wa}"]
    assert len(reminder) == 1 and "Reminder: your self-tape" in reminder[0]["ContentVariables"]

    # Rohan sends the video: fetched with the account's credentials, kept, marked in
    video = b"\x00\x00\x00\x18ftypmp42" + secrets.token_bytes(2048)
    url = stack.twilio.add_media(video, "video/mp4")
    answer = await _say(stack, rohan_wa, "", member=False, NumMedia="1", MediaUrl0=url,
                        MediaContentType0="video/mp4")  # fmt: skip
    assert "Your self-tape for the role of *" + role in answer
    assert [had_auth for _, had_auth in stack.twilio.media_requests[-2:]] == [True, False]
    stored = list((stack.services.settings.data_path / "media").rglob("*.mp4"))
    assert any(p.read_bytes() == video for p in stored)
    listing = await _say(stack, coordinator, f"auditions for {role}")
    assert "🎬 self-tape in" in listing

    # the last reminder is due now, but the tape is in: nothing is sent
    assert not await _due_reminders_sent_to(stack, rohan_wa)


async def test_media_limits_and_a_coordinators_headshot(stack, tmp_path: Path) -> None:
    (amruta, _, _), _ = await _people(stack, tmp_path)
    coordinator = new_wa_id()
    photo = b"\xff\xd8\xff\xe0" + secrets.token_bytes(1024)
    url = stack.twilio.add_media(photo, "image/jpeg")
    answer = await _say(stack, coordinator, "", NumMedia="1", MediaUrl0=url,
                        MediaContentType0="image/jpeg")  # fmt: skip
    assert "Whose is it?" in answer
    answer = await _say(stack, coordinator, f"{amruta}'s headshot")
    assert f"Kept on {amruta}'s profile: headshot (image/jpeg" in answer
    # a PDF is not a headshot; the reply says what to send
    pdf = stack.twilio.add_media(b"%PDF-1.4 " + secrets.token_bytes(64), "application/pdf")
    answer = await _say(stack, coordinator, f"this is {amruta}'s headshot", NumMedia="1",
                        MediaUrl0=pdf, MediaContentType0="application/pdf")  # fmt: skip
    assert "Not kept" in answer and "send a photo (JPEG, PNG)" in answer
    # over the size limit: refused without reading it all
    big = stack.twilio.add_media(b"\x00" * 17_000_000, "video/mp4")
    answer = await _say(stack, coordinator, f"{amruta}'s video", NumMedia="1", MediaUrl0=big,
                        MediaContentType0="video/mp4")  # fmt: skip
    assert "over the 16 MB limit" in answer
    # words without a file are just words for Claude
    assert "Kept" not in await _say(stack, coordinator, f"{amruta}'s headshot")
    # Twilio's media URLs are fetched, never shown: not to Claude, not in any message sent
    assert stack.claude.requests
    shown = json.dumps([stack.claude.requests, stack.claude.background_requests,
                        stack.twilio.messages])  # fmt: skip
    assert not [u for u in (url, pdf, big) if u in shown or u.split("/Media/")[-1] in shown]


async def test_a_kept_headshot_is_shown_where_the_person_is(stack, tmp_path: Path) -> None:
    (amruta, _, _), _ = await _people(stack, tmp_path)
    coordinator = new_wa_id()
    photo = b"\xff\xd8\xff\xe0" + secrets.token_bytes(512)
    url = stack.twilio.add_media(photo, "image/jpeg")
    answer = await _say(stack, coordinator, f"{amruta}'s headshot", NumMedia="1",
                        MediaUrl0=url, MediaContentType0="image/jpeg")  # fmt: skip
    assert "Kept on" in answer
    stack.services.settings = stack.services.settings.model_copy(update={"public_url": stack.url})
    key = ConversationKey("whatsapp", BUSINESS.removeprefix("whatsapp:"), f"+{coordinator}")
    asker = InboundMessage(key, user_id=f"+{coordinator}", text="x", message_id="m1")
    outcome = await stack.services.tools.run(
        "get_talent_profile", {"talent": amruta}, ToolContext(asker, stack.services)
    )
    (card,) = outcome.cards
    assert card.headshot_url.startswith(stack.url + "/media/") and url not in str(outcome.content)
    async with stack.session.get(card.headshot_url) as response:
        assert response.status == 200 and await response.read() == photo
    async with stack.session.get(stack.url + "/media/" + "0" * 32) as response:
        assert response.status == 404
    # the WhatsApp detail reply carries it as the picture
    sent: list[tuple[str, tuple[str, ...]]] = []

    async def deliver(body: str, media) -> bool:
        sent.append((body, tuple(media)))
        return True

    reply = WhatsAppReply(deliver)
    await reply.complete("**Amruta Joshi** plays 28-34", ReplyResult(talent=(card,)))
    assert sent[-1] == ("📷 *Amruta Joshi*", (card.headshot_url,))


async def test_a_talent_who_sends_stop_gets_no_reminders(stack, tmp_path: Path) -> None:
    (_, rohan, _), (_, rohan_wa) = await _people(stack, tmp_path)
    coordinator = new_wa_id()
    role = f"Nurse {secrets.token_hex(2)}"
    await _say(stack, coordinator, f"number {rohan} +{rohan_wa}")
    due = date.today() + timedelta(days=3)
    await _say(stack, coordinator, f"self-tape {rohan} by {due.day} {due:%B} 6pm for {role}")
    await _drain_jobs(stack)
    answer = await _say(stack, rohan_wa, "STOP", member=False)
    assert "won't get any more messages" in answer
    assert not await _due_reminders_sent_to(stack, rohan_wa)


async def test_a_self_tape_the_coordinator_forwards_reaches_the_audition(
    stack, tmp_path: Path
) -> None:
    (_, rohan, _), (_, rohan_wa) = await _people(stack, tmp_path)
    coordinator = new_wa_id()
    role = f"Daroga {secrets.token_hex(2)}"
    await _say(stack, coordinator, f"number {rohan} +{rohan_wa}")
    due = date.today() + timedelta(days=4)
    await _say(stack, coordinator, f"self-tape {rohan} by {due.day} {due:%B} 6pm for {role}")
    await _drain_jobs(stack)
    # Rohan sent his tape to the coordinator's own phone; she forwards it, naming the role
    video = b"\x00\x00\x00\x18ftypmp42" + secrets.token_bytes(1024)
    url = stack.twilio.add_media(video, "video/mp4")
    answer = await _say(stack, coordinator, f"this is {rohan}'s self-tape for {role}",
                        NumMedia="1", MediaUrl0=url, MediaContentType0="video/mp4")  # fmt: skip
    assert "Kept on" in answer and "self-tape request is answered" in answer
    listing = await _say(stack, coordinator, f"auditions for {role}")
    assert "🎬 self-tape in" in listing
    # the tape is in: the reminders before the deadline stay silent
    assert not await _due_reminders_sent_to(stack, rohan_wa)
