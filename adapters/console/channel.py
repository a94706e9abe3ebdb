"""The terminal channel: lines in, reply text streamed to stdout as it is written."""

from __future__ import annotations

import sys
import uuid
from typing import TextIO

from bot.types import ConversationKey, InboundMessage, ReplyResult


def parse(line: str, *, user: str, workspace: str) -> InboundMessage | None:
    """A line typed by the person; None for an empty line (it gets no reply)."""
    text = line.rstrip("\r\n")
    if not text.strip():
        return None
    return InboundMessage(
        key=ConversationKey(channel="console", account=workspace, chat=user),
        user_id=user,
        user_name=user,
        text=text,
        message_id=uuid.uuid4().hex,
    )


class ConsoleReply:
    """Writes the reply to stdout piece by piece; every reply ends with exactly one newline."""

    def __init__(self, out: TextIO | None = None) -> None:
        self.out = out or sys.stdout
        self._ended_with_newline = True
        self._wrote = False
        self._shown = ""  # the reply's text so far, so cards it already lists aren't repeated

    def _write(self, text: str) -> None:
        if not text:
            return
        self.out.write(text)
        self.out.flush()
        self._wrote = True
        self._shown += text
        self._ended_with_newline = text.endswith("\n")

    async def start(self) -> None:
        return None

    async def append(self, text: str) -> None:
        self._write(text)

    async def finish(self, result: ReplyResult) -> None:
        cards = [c for c in result.talent if c.name not in self._shown]
        if cards:  # cards the text didn't list, as lines of text
            self._write("" if self._ended_with_newline else "\n")
            for number, card in enumerate(cards, 1):
                where = ", ".join(p for p in (card.age_range, card.city) if p)
                when = f" [{card.availability}]" if card.availability else ""
                self._write(f"{number}. {card.name} ({where}): {card.why}{when}\n")
        if not self._wrote:
            self._write("(no answer)")
        if not self._ended_with_newline:
            self._write("\n")

    async def fail(self, note: str) -> None:
        if self._wrote and not self._ended_with_newline:
            self._write("\n")
        self._write(note + "\n")


class ConsoleOutlet:
    """How the pipeline answers in the terminal: every answer is reply text on stdout."""

    def reply(self, message: InboundMessage) -> ConsoleReply:
        return ConsoleReply()

    async def notice(self, message: InboundMessage, text: str) -> None:
        reply = ConsoleReply()
        await reply.append(text)
        await reply.finish(ReplyResult())
