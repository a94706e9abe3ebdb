"""A shortlist export is a CSV file shared in Slack (files_upload_v2), not text pasted in a
message; when Slack refuses the file, the CSV comes as text so nothing is lost."""

from __future__ import annotations

import csv
import io
import secrets

from bot.tools import ToolContext
from tests.doubles.slack import Message
from tests.slack.stack import Stack, event_body, mention, new_ts, until
from tests.slack.test_end_to_end import command, in_chat


async def _role_with_meera(stack: Stack) -> str:
    role = f"Constable {secrets.token_hex(2)}"
    ctx = ToolContext(in_chat("C0CAST"), stack.services)
    added = await stack.services.tools.run(
        "shortlist_add", {"talent": ["e2e-meera-02", "e2e-asha-01"], "role": role}, ctx
    )
    assert not added.is_error, added.content
    return role


def shared(stack: Stack, title: str) -> list[Message]:
    return [m for m in stack.slack.messages.values() if any(f["title"] == title for f in m.files)]


async def test_the_export_command_shares_a_csv_file_in_the_channel(stack: Stack) -> None:
    role = await _role_with_meera(stack)
    url = stack.slack.response_url()
    await stack.post_form(command("/shortlist", f"export {role}", url, f"trig{new_ts()}"))
    (message,) = await until(lambda: shared(stack, f"{role} shortlist"))
    assert message.channel == "C0CAST"
    (file,) = message.files
    csv_text = file["content"].decode()
    assert file["name"].endswith(".csv") and csv_text.startswith("position,")
    rows = {r["name"]: r for r in csv.DictReader(io.StringIO(csv_text))}
    assert rows["Meera Joshi"]["languages"] == "Marathi; Tulu"
    asha = rows["Asha Patil"]
    assert asha["agency"] == "Kala Talent"
    assert asha["headshot_url"] == "https://example.com/asha.jpg"
    assert asha["showreel_url"] == "https://example.com/asha-reel"
    key = url.rsplit("/", 1)[1]
    await until(lambda: stack.slack.responses[key])
    told = stack.slack.responses[key][0]["text"]
    assert "in the channel" in told and "```" not in told and "Meera Joshi" not in told


async def test_an_export_asked_in_a_thread_is_attached_there(stack: Stack) -> None:
    role = await _role_with_meera(stack)
    thread = new_ts()
    await stack.post_json(event_body(mention(f"shortlist export {role}", thread_ts=thread)))
    (message,) = await until(lambda: shared(stack, f"{role} shortlist"))
    assert (message.channel, message.thread_ts) == ("C0CAST", thread)
    await until(lambda: "attached" in stack.slack.thread_text("C0CAST", thread))


async def test_a_refused_file_comes_as_text(stack: Stack) -> None:
    role = await _role_with_meera(stack)
    stack.slack.fail("files.getUploadURLExternal", "missing_scope")
    url = stack.slack.response_url()
    await stack.post_form(command("/shortlist", f"export {role}", url, f"trig{new_ts()}"))
    key = url.rsplit("/", 1)[1]
    await until(lambda: stack.slack.responses[key])
    told = stack.slack.responses[key][0]["text"]
    assert "```" in told and "Meera Joshi" in told and not shared(stack, f"{role} shortlist")
