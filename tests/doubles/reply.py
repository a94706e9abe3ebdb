"""A ReplyStream that records what a channel would have shown."""

from __future__ import annotations

import asyncio

from bot.types import InboundMessage, ReplyResult


class RecordingReply:
    def __init__(self, append_delay: float = 0.0) -> None:
        self.events: list[tuple[str, str]] = []
        self.pieces: list[str] = []
        self.result: ReplyResult | None = None
        self.note = ""
        self.done = asyncio.Event()
        self.append_delay = append_delay

    @property
    def text(self) -> str:
        return "".join(self.pieces)

    async def start(self) -> None:
        self.events.append(("start", ""))

    async def append(self, text: str) -> None:
        if self.append_delay:
            await asyncio.sleep(self.append_delay)
        self.pieces.append(text)
        self.events.append(("append", text))

    async def finish(self, result: ReplyResult) -> None:
        self.result = result
        self.events.append(("finish", ""))
        self.done.set()

    async def fail(self, note: str) -> None:
        self.note = note
        self.events.append(("fail", note))
        self.done.set()


class RecordingOutlet:
    """A pipeline outlet whose replies and notices land in one `RecordingReply`."""

    def __init__(self, reply: RecordingReply | None = None) -> None:
        self.recording = reply or RecordingReply()
        self.notices: list[str] = []

    def reply(self, message: InboundMessage) -> RecordingReply:
        return self.recording

    async def notice(self, message: InboundMessage, text: str) -> None:
        self.notices.append(text)
        self.recording.pieces.append(text)
        self.recording.done.set()
