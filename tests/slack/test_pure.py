"""Pure pieces: parsing events, Markdown -> mrkdwn, cards, budgets, splitting, signatures."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import time

import pytest

from adapters.slack.app import api_base_url
from adapters.slack.blocks import ACTION_SHORTLIST, mark_done, talent_blocks
from adapters.slack.mrkdwn import to_mrkdwn
from adapters.slack.parse import parse, unwrap
from adapters.slack.routes import parseable, signature_ok
from adapters.slack.stream import split_point
from adapters.slack.throttle import Budget
from bot.types import TalentCard


def event(**extra: object) -> dict[str, object]:
    base = {"type": "app_mention", "user": "U1", "text": "<@UBOT> hi", "ts": "1700000000.000100",
            "channel": "C1"}  # fmt: skip
    return {**base, **extra}


def test_mention_parses_into_a_thread_on_itself() -> None:
    message = parse(event(), "T1", bot_user_id="UBOT")
    assert message is not None
    assert message.text == "hi" and message.user_id == "U1"
    assert (
        message.key.account == "T1" and message.workspace == "slack:T1" and message.key.chat == "C1"
    )
    assert message.key.thread == "1700000000.000100"
    assert message.message_id == "C1:1700000000.000100"


def test_mention_in_a_thread_stays_in_that_thread() -> None:
    message = parse(event(thread_ts="1699999999.000001"), "T1")
    assert message is not None and message.key.thread == "1699999999.000001"


def test_dm_without_thread_has_no_thread() -> None:
    message = parse(event(type="message", channel="D1", channel_type="im", text="hello"), "T1")
    assert message is not None and message.key.thread == "" and message.text == "hello"


@pytest.mark.parametrize(
    "extra",
    [
        {"bot_id": "B1"},
        {"subtype": "message_changed"},
        {"subtype": "message_deleted"},
        {"subtype": "channel_join"},
        {"user": "UBOT"},
        {"user": ""},
        {"text": "<@UBOT>"},
        {"ts": ""},
        {"type": "reaction_added"},
    ],
)
def test_ignored_events(extra: dict[str, object]) -> None:
    assert parse(event(**extra), "T1", bot_user_id="UBOT") is None


def test_unwrap_slack_markup() -> None:
    text = "<@UBOT> ask <@U2|priya> about <https://imdb.com/x|her credits> in <#C9|casting> &amp; <https://a.b>"
    assert (
        unwrap(text, "UBOT")
        == "ask @priya about her credits (https://imdb.com/x) in #casting & https://a.b"
    )
    assert unwrap("<!here> &lt;3 <mailto:a@b.c|a@b.c>") == "@here <3 a@b.c"


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("**bold** and *it* and ~~gone~~", "*bold* and _it_ and ~gone~"),
        ("# Title", "*Title*"),
        ("[IMDb](https://imdb.com)", "<https://imdb.com|IMDb>"),
        ("- a\n- b", "• a\n• b"),
        ("1. a\n2. b", "1. a\n2. b"),
        ("`x<y`", "`x&lt;y`"),
        ("a < b & c", "a &lt; b &amp; c"),
        ("```\nprint(1)\n```", "```\nprint(1)\n```"),
        ("> quoted", "> quoted"),
    ],
)
def test_markdown_to_mrkdwn(markdown: str, expected: str) -> None:
    assert to_mrkdwn(markdown) == expected


def test_tables_become_lists() -> None:
    table = "| Name | City | Age |\n|---|---|---|\n| Asha | Pune | 25 |\n| Ravi | Mumbai | 30 |"
    assert to_mrkdwn(table) == "• *Asha* — City: Pune, Age: 25\n• *Ravi* — City: Mumbai, Age: 30"


def test_nested_lists_indent() -> None:
    assert to_mrkdwn("- a\n  - b\n- c") == "• a\n    • b\n• c"


CARD = TalentCard(id="t1", name="Asha <Patil>", score=0.9, why="speaks Marathi", age_range="24-30",
                  city="Pune", languages=("Marathi",), skills=("kathak",),
                  headshot_url="https://example.com/a.jpg")  # fmt: skip


def test_cards_have_facts_image_and_buttons() -> None:
    blocks, fallback = talent_blocks([CARD])
    section, actions = blocks
    assert "*Asha &lt;Patil&gt;*" in section["text"]["text"]
    assert "Marathi" in section["text"]["text"] and "kathak" in section["text"]["text"]
    assert section["accessory"]["image_url"] == "https://example.com/a.jpg"
    assert [e["action_id"] for e in actions["elements"]] == [
        "talent_shortlist",
        "talent_profile",
        "talent_similar",
    ]
    assert "Asha" in fallback


def test_many_cards_stay_under_fifty_blocks() -> None:
    cards = [TalentCard(id=f"t{i}", name=f"N{i}", score=0.5, why="") for i in range(40)]
    blocks, _ = talent_blocks(cards, title="x")
    assert len(blocks) <= 50


def test_click_replaces_the_button_with_a_note() -> None:
    blocks, _ = talent_blocks([CARD])
    after = mark_done(blocks, "t1", ACTION_SHORTLIST, "✅ Shortlisted")
    actions = next(b for b in after if b.get("block_id") == "actions:t1")
    assert ACTION_SHORTLIST not in [e["action_id"] for e in actions["elements"]]
    assert any(b["type"] == "context" for b in after)
    assert blocks[1]["elements"][0]["action_id"] == ACTION_SHORTLIST  # input untouched


def test_split_prefers_paragraphs_then_lines_then_words() -> None:
    text = "a" * 60 + "\n\n" + "b" * 60
    assert split_point(text, 100) == 62
    assert split_point("x" * 300, 100) == 100
    assert split_point("word " * 40, 100) == 100


async def test_budget_paces_and_urgent_writes_borrow() -> None:
    budget = Budget(per_minute=600, burst=2)  # 10 a second
    began = time.monotonic()
    for _ in range(6):
        await budget.acquire()
    assert time.monotonic() - began >= 0.3  # 2 at once, then ~10/s
    for _ in range(3):
        await asyncio.wait_for(budget.acquire(urgent=True), 0.05)  # first/last writes borrow
    assert budget.wait_time() > 0.2  # and ordinary edits repay the debt
    budget.pause(0.2)
    assert budget.wait_time(urgent=True) > 0.1  # a 429 stops even the urgent ones


def test_signature_and_parseable() -> None:
    now = str(int(time.time()))
    body = b'{"type":"event_callback"}'
    sig = "v0=" + hmac.new(b"s", b"v0:" + now.encode() + b":" + body, hashlib.sha256).hexdigest()
    assert signature_ok(body, now, sig, "s")
    assert not signature_ok(body, now, sig, "other")
    assert not signature_ok(body, "not-a-number", sig, "s")
    assert not signature_ok(body, str(int(time.time()) - 301), sig, "s")
    assert parseable(body.decode(), "application/json")
    assert parseable("command=%2Ftalent&text=x", "application/x-www-form-urlencoded")
    assert not parseable("payload=%7Bnope", "application/x-www-form-urlencoded")
    assert not parseable("[1, 2]", "application/json")


def test_api_base_url_normalised() -> None:
    assert api_base_url("http://x/api") == api_base_url("http://x/api/") == "http://x/api/"


def test_thread_titles_from_the_request() -> None:
    from adapters.slack.app import TITLE_MAX, thread_title

    assert thread_title("Haryanvi cop  40-50", "Inspector Yadav") == (
        "Inspector Yadav: Haryanvi cop 40-50"
    )
    assert thread_title("find a Marathi actress") == "find a Marathi actress"
    long = thread_title("a tall Punjabi man who can ride horses and do gatka, 30 to 40, in Delhi")
    assert len(long) <= TITLE_MAX and long.endswith("…") and " " not in long[-2:]
