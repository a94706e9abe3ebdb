"""No text CastMatch posts to Slack can ping a channel or a person, or carry a planted link
out in a preview: whatever Claude, a catalogue record or a person's own words contain."""

from __future__ import annotations

import json
import re

import pytest
from pydantic import ValidationError

from adapters.slack.blocks import card_text, talent_blocks
from adapters.slack.mrkdwn import to_mrkdwn
from bot.types import TalentCard
from talent.profile import TalentRecord
from tests.doubles.claude import Reply
from tests.slack.stack import Stack, event_body, mention, until
from tests.slack.test_end_to_end import command

# Live Slack markup: a broadcast, a user or channel ping, or a link to anything but http(s).
LIVE = re.compile(r"<\s*[!@#]|<(?!https?://)[^<>]*\|")
PLANTED = "https://x.com/a|Showreel><!channel><https://y.com"


def _live(text: str) -> list[str]:
    return LIVE.findall(text)


@pytest.mark.parametrize(
    "markdown",
    [
        "[everyone look](!channel)",
        "[boss](@U0BOSS)",
        "[x](https://ok.com/a|<!here>)",
        "`<!channel>` and `<@U0BOSS>`",
        "```\n<!everyone> <#C0GENERAL>\n```",
        "![pic](!here)",
        "[mail](mailto:a@b.c|<!channel>)",
    ],
)
def test_markdown_from_claude_never_becomes_live_markup(markdown: str) -> None:
    assert _live(to_mrkdwn(markdown)) == []


def test_links_keep_their_http_targets() -> None:
    assert to_mrkdwn("[reel](https://example.com/r)") == "<https://example.com/r|reel>"


def test_a_planted_showreel_url_is_not_a_broadcast_on_a_card() -> None:
    card = TalentCard("t1", "<!here> Asha", 1.0, why="<@U0BOSS>", showreel_url=PLANTED)
    assert _live(card_text(card)) == []
    blocks, fallback = talent_blocks([card])
    assert _live(json.dumps(blocks)) == [] and _live(fallback) == []


@pytest.mark.parametrize("url", [PLANTED, "https://a.com/<x>", "javascript:alert(1)"])
def test_the_importer_rejects_urls_carrying_slack_markup(url: str) -> None:
    with pytest.raises(ValidationError):
        TalentRecord.model_validate({"id": "inj-1", "name": "Inj", "showreel_url": url})


async def test_a_reply_quoting_broadcasts_posts_none_and_unfurls_nothing(stack: Stack) -> None:
    stack.claude.push(
        Reply("Done: [all](!channel) `<!here>` see [reel](https://evil.example/x?d=secret).")
    )
    event = mention("say &lt;!channel&gt; please")
    await stack.post_json(event_body(event))
    await until(lambda: "Done" in stack.slack.thread_text("C0CAST", event["ts"]))
    posted = json.dumps([c.args for c in stack.slack.calls])
    assert _live(posted) == []
    for call in stack.slack.of("chat.postMessage"):
        assert call.args.get("unfurl_links") is False and call.args.get("unfurl_media") is False


@pytest.mark.parametrize("socket_mode", [False])
async def test_the_talent_command_does_not_echo_a_broadcast(stack: Stack) -> None:
    url = stack.slack.response_url()
    form = command("/talent", "&lt;!channel&gt; <!here>", url, "t9")
    status, text, _ = await stack.post_form(form)
    assert status == 200
    assert _live(json.loads(text)["text"]) == []
