"""What a coordinator left with one `castmatch serve` outlives it: a replica killed with
SIGKILL after scheduling a self-tape reminder and keeping a headshot in S3 (moto's server,
a real S3 wire protocol), and a new replica with an empty data folder sends the reminder
when it is due and serves the headshot's /media/<token> link."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator, Iterator
from datetime import date, timedelta
from pathlib import Path

import aiohttp
import pytest

from talent.auditions import REMIND
from talent.importer import import_file
from tests.doubles.claude import ClaudeDouble
from tests.doubles.twilio import TwilioDouble
from tests.ops.harness import Serve, channel_env, db_rows, inbound, post_whatsapp, until
from tests.s3 import BUCKET, CREDENTIALS, s3_server
from tests.talent.conftest import profile, write_jsonl
from tests.whatsapp.conftest import new_wa_id

pytestmark = pytest.mark.slow
TEMPLATE = "HX" + "2" * 32


@pytest.fixture(scope="module")
def s3_url() -> Iterator[str]:
    with s3_server() as url:
        yield url


@pytest.fixture
async def env(settings_env, claude: ClaudeDouble, twilio: TwilioDouble, s3_url: str):  # type: ignore[no-untyped-def]
    return channel_env(
        settings_env, claude, twilio=twilio, TWILIO_TEMPLATE_SID=TEMPLATE,
        CASTMATCH_S3_BUCKET=BUCKET, CASTMATCH_S3_ENDPOINT_URL=s3_url,
        CASTMATCH_S3_REGION="us-east-1", **CREDENTIALS,
    )  # fmt: skip


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as client:
        yield client


async def _say(session, twilio: TwilioDouble, url: str, wa: str, text: str, **form: str) -> str:  # type: ignore[no-untyped-def]
    before = len(twilio.messages)
    status, _ = await post_whatsapp(session, url, inbound(text, wa_id=wa, **form))
    assert status == 200
    to = f"whatsapp:+{wa}"
    await until(lambda: any(m["To"] == to for m in twilio.messages[before:]), what=text)
    await asyncio.sleep(0.3)
    return "\n".join(m.get("Body") or "" for m in twilio.messages[before:] if m["To"] == to)


async def test_a_killed_replicas_reminder_and_headshot_live_on_in_another(
    services, env: dict[str, str], twilio: TwilioDouble, session, database_url: str,
    tmp_path: Path,
) -> None:  # fmt: skip
    tag = secrets.token_hex(3)
    amruta, rohan, rohan_wa = f"a{tag}", f"r{tag}", new_wa_id()
    people = [profile(amruta, name="Amruta Joshi"), profile(rohan, name="Rohan Malik")]
    await import_file(services, write_jsonl(tmp_path / "people.jsonl", people))
    coordinator, role = new_wa_id(), f"Inspector Yadav {tag}"

    a = await Serve(env, "replica-a").start()
    try:
        photo = b"\xff\xd8\xff\xe0" + secrets.token_bytes(900)
        media = twilio.add_media(photo, "image/jpeg")
        sent = {"NumMedia": "1", "MediaUrl0": media, "MediaContentType0": "image/jpeg"}
        answer = await _say(session, twilio, a.url, coordinator, f"{amruta}'s headshot", **sent)
        assert "Kept on" in answer
        await _say(session, twilio, a.url, coordinator, f"number {rohan} +{rohan_wa}")
        due = date.today() + timedelta(days=3)
        await _say(session, twilio, a.url, coordinator,
                   f"self-tape {rohan} by {due.day} {due:%B} 6pm for {role}")  # fmt: skip
        to_rohan = f"whatsapp:+{rohan_wa}"
        await until(lambda: any(m["To"] == to_rohan for m in twilio.messages), what="invite")
        # the reminders wait in PostgreSQL; then the replica dies without a goodbye
        await until(
            lambda: db_rows(database_url, "SELECT 1 FROM procrastinate_jobs WHERE task_name = %s"
                            " AND status = 'todo' AND args->>'number' = '1'", REMIND),
            what="a reminder scheduled",
        )  # fmt: skip
    finally:
        if a.process is not None and a.process.returncode is None:
            a.process.kill()
            await a.process.wait()

    db_rows(database_url, "UPDATE procrastinate_jobs SET scheduled_at = now() WHERE task_name "
            "= %s AND status = 'todo' AND args->>'number' = '1' RETURNING id", REMIND)  # fmt: skip
    before = len(twilio.messages)
    b = await Serve(env, "replica-b").start()
    try:
        reminded = await until(
            lambda: [m for m in twilio.messages[before:] if m["To"] == to_rohan],
            within=30, what="the reminder from replica b",
        )  # fmt: skip
        assert len(reminded) == 1 and "Reminder: your self-tape" in str(reminded[0])
        ((token,),) = db_rows(database_url, "SELECT token FROM talent_media WHERE talent_id = %s "
                              "AND kind = 'headshot'", amruta)  # fmt: skip
        async with session.get(f"{b.url}/media/{token}") as response:
            assert response.status == 200 and await response.read() == photo
        assert not list((Path(b.env["CASTMATCH_DATA_DIR"]) / "media").rglob("*.jpg"))
    finally:
        await b.stop()
