"""One company across Slack and WhatsApp, end to end through a real `castmatch serve` process
and the real `castmatch` commands, on a database of its own (linking the shared test team
would change every other test's workspace): a role shortlisted in Slack is shown to the
WhatsApp coordinator once both channels are linked, and not before."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import psycopg
import pytest

from tests.doubles.claude import ClaudeDouble
from tests.doubles.slack import TEAM, SlackDouble
from tests.doubles.twilio import TwilioDouble
from tests.e2e.test_chat import castmatch
from tests.ops.harness import Serve, channel_env, inbound, post_slack, post_whatsapp, until
from tests.slack.stack import event_body, mention
from tests.talent.conftest import profile, write_jsonl
from tests.whatsapp.conftest import new_wa_id
from tests.whatsapp.fixtures import BUSINESS

pytestmark = pytest.mark.slow


@pytest.fixture
def own_database(database_url: str) -> Iterator[str]:
    admin = database_url.replace("postgresql+psycopg://", "postgresql://", 1)
    name = f"cm_company_{secrets.token_hex(4)}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield database_url.rsplit("/", 1)[0] + f"/{name}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def test_a_role_shortlisted_in_slack_reaches_the_whatsapp_coordinator_once_linked(
    settings_env, claude: ClaudeDouble, slack: SlackDouble, twilio: TwilioDouble,
    own_database: str, tmp_path: Path,
) -> None:  # fmt: skip
    env = channel_env(
        {**settings_env, "DATABASE_URL": own_database,
         "CASTMATCH_REDIS_NAMESPACE": f"company{secrets.token_hex(3)}"},
        claude, slack, twilio,
    )  # fmt: skip
    talent = f"lc-{secrets.token_hex(3)}"
    catalogue = write_jsonl(tmp_path / "c.jsonl", [profile(talent, name="Vidya Rane")])
    code, _, err = await castmatch(env, "talent", "import", str(catalogue))
    assert code == 0, err
    coordinator = new_wa_id()
    code, _, err = await castmatch(env, "members", "add", BUSINESS, f"whatsapp:+{coordinator}")
    assert code == 0, err
    ask = "shortlist show Inspector Yadav"

    serve = await Serve(env, "company").start()
    try:
        async with aiohttp.ClientSession() as session:
            event = mention(f"shortlist add {talent} to Inspector Yadav")
            assert (await post_slack(session, serve.url, event_body(event)))[0] == 200
            await until(lambda: "Vidya Rane" in slack.thread_text("C0CAST", event["ts"]),
                        what="added in Slack")  # fmt: skip

            await post_whatsapp(session, serve.url, inbound(ask, wa_id=coordinator))
            await until(lambda: twilio.bodies(f"+{coordinator}"), what="first answer")
            assert "Vidya Rane" not in "\n".join(twilio.bodies(f"+{coordinator}"))

            for account in (f"slack:{TEAM}", BUSINESS):
                code, _, err = await castmatch(env, "workspace", "link", "acme", account)
                assert code == 0, err
            await post_whatsapp(session, serve.url, inbound(ask, wa_id=coordinator))
            await until(
                lambda: "Vidya Rane" in "\n".join(twilio.bodies(f"+{coordinator}")),
                what="the Slack shortlist on WhatsApp",
            )
    finally:
        await serve.stop()
