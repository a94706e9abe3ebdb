"""Markdown -> WhatsApp markup, and splitting into ≤1,600-character messages."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.whatsapp.format import to_whatsapp
from adapters.whatsapp.split import blocks, size, split


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("**bold**", "*bold*"),
        ("*italic* and _also_", "_italic_ and _also_"),
        ("~~gone~~", "~gone~"),
        ("# Heading", "*Heading*"),
        ("## Heading with **bold**", "*Heading with bold*"),
        ("[IMDb](https://imdb.com/x)", "IMDb (https://imdb.com/x)"),
        ("<https://example.com>", "https://example.com"),
        ("use `code`", "use `code`"),
        ("- a\n- b", "- a\n- b"),
        ("1. a\n2. b", "1. a\n2. b"),
        ("> quoted", "> quoted"),
        ("```python\nx = 1\n\ny = 2\n```", "```\nx = 1\n\ny = 2\n```"),
        ("**Priya** ", "*Priya*"),
    ],
)
def test_markdown_to_whatsapp(markdown, expected):
    assert to_whatsapp(markdown) == expected


def test_tables_become_lists():
    table = "| Name | Age | City |\n|---|---|---|\n| Asha | 24 | Pune |\n| Ravi |  | Goa |"
    assert to_whatsapp(table) == "- *Asha* · Age: 24 · City: Pune\n- *Ravi* · City: Goa"


def test_short_text_is_one_message():
    assert split("one\n\ntwo\n\nthree") == ["one\n\ntwo\n\nthree"]


def test_paragraphs_are_grouped_into_as_few_messages_as_fit():
    paragraphs = [f"p{i} " + "x" * 397 for i in range(10)]  # 400 chars each
    messages = split("\n\n".join(paragraphs))
    assert [len(m) for m in messages] == [1204, 1204, 1204, 400]
    assert "\n\n".join(messages) == "\n\n".join(paragraphs)


def test_long_paragraph_splits_at_lines_then_sentences_then_words():
    lines = "\n".join(f"line {i:02d} " + "y" * 92 for i in range(30))  # 100-char lines
    messages = split(lines)
    assert all(size(m) <= 1600 for m in messages)
    assert all(m.endswith("y") and m.startswith("line") for m in messages)
    sentences = " ".join(f"Sentence number {i} is here." for i in range(200))
    parts = split(sentences)
    assert all(p.endswith(".") for p in parts) and all(size(p) <= 1600 for p in parts)
    assert " ".join(parts) == sentences
    words = " ".join(["word"] * 1000)
    assert " ".join(split(words)) == words


def test_code_blocks_are_never_cut_open():
    code = "```\n" + "\n".join(f"line {i} = {'z' * 40}" for i in range(80)) + "\n```"
    messages = split("Intro paragraph.\n\n" + code + "\n\nOutro.")
    assert all(size(m) <= 1600 for m in messages)
    for message in messages:
        assert message.count("```") % 2 == 0  # every message's code blocks are closed
    assert messages[0].startswith("Intro paragraph.")
    small = "Intro\n\n```\na\n\nb\n```\n\nEnd"
    assert blocks(small) == [("Intro", False), ("```\na\n\nb\n```", True), ("End", False)]


def test_emoji_count_as_two():
    text = "😀" * 1000
    parts = split(text)
    assert len(parts) == 2 and all(size(p) <= 1600 for p in parts)


pieces = st.sampled_from(["word ", "Sentence. ", "\n", "\n\n", " ", "x" * 70, "😀", "।"])
texts = st.lists(pieces | st.text(max_size=15), max_size=300).map("".join)


@settings(max_examples=200, deadline=None)
@given(texts.filter(lambda t: "`" not in t))
def test_splitting_keeps_every_word_in_order(text):
    messages = split(text, limit=300)
    assert all(size(m) <= 300 for m in messages)
    assert "".join(" ".join(messages).split()) == "".join(text.split())


@settings(max_examples=200, deadline=None)
@given(st.lists(texts | st.just("\n```\n"), max_size=8).map("".join))
def test_splitting_with_code_keeps_fences_closed(text):
    messages = split(text, limit=300)
    assert all(size(m) <= 300 for m in messages)
    balanced = text.count("```") % 2 == 0
    if balanced:
        assert all(m.count("```") % 2 == 0 for m in messages)


async def test_a_streamed_reply_is_sent_as_the_same_messages_as_a_whole_one():
    """Token by token or all at once, a long reply reaches the person as the same messages:
    the first paragraph at once, the rest grouped into as few ≤limit messages as fit."""
    from adapters.whatsapp.stream import WhatsAppReply
    from bot.types import ReplyResult

    paragraphs = [f"Paragraph {n}: " + "word " * (10 + 6 * n) for n in range(8)]
    text = "\n\n".join(paragraphs)

    async def shown(streamed: bool) -> list[str]:
        bodies: list[str] = []

        async def deliver(body: str, media: object) -> bool:
            bodies.append(body)
            return True

        reply = WhatsAppReply(deliver, limit=600)
        await reply.start()
        if streamed:
            for start in range(0, len(text), 7):
                await reply.append(text[start : start + 7])
            await reply.finish(ReplyResult())
        else:
            await reply.complete(text)
        return bodies

    streamed, whole = await shown(True), await shown(False)
    assert streamed[0] == paragraphs[0].strip()
    assert all(size(body) <= 600 for body in streamed)
    assert len(streamed) < len(paragraphs)  # grouped, not one message per paragraph
    assert " ".join(streamed).split() == text.split()  # every word once, in order
    assert " ".join(whole).split() == text.split()
