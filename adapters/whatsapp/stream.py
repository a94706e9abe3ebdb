"""A reply on WhatsApp: messages can't be edited, so progress is shown paragraph by paragraph.

The first complete paragraph goes out as soon as it exists; the rest is grouped into as few
messages (≤1,600 characters) as fit and sent once a message is full or the reply ends. One
worker task sends, so messages leave strictly in order, one at a time.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Sequence

from adapters.whatsapp.format import to_whatsapp
from adapters.whatsapp.split import LIMIT, size, split
from bot.types import ReplyResult, TalentCard

log = logging.getLogger(__name__)

# Sends one message; False means "stop this reply" (opted out, bad number, window closed).
Deliver = Callable[[str, Sequence[str]], Awaitable[bool]]
OnStart = Callable[[], Awaitable[None]]
MAX_LISTED = 10
_FENCES = ("```", "~~~")


def complete_blocks(source: str) -> tuple[list[str], str]:
    """Markdown blocks already followed by a blank line (outside code fences), and the rest."""
    lines = source.split("\n")
    done: list[str] = []
    current: list[str] = []
    fence = ""
    for line in lines[:-1]:  # the last line may still be growing
        stripped = line.lstrip()
        if fence:
            if stripped.startswith(fence):
                fence = ""
        elif stripped.startswith(_FENCES):
            fence = stripped[:3]
        elif not stripped:
            if current:
                done.append("\n".join(current))
                current = []
            continue
        current.append(line)
    current.append(lines[-1])
    rest = "\n".join(current)
    return done, rest if rest.strip() else ""


def talent_list(cards: Sequence[TalentCard]) -> tuple[str, tuple[str, ...]]:
    """The compact numbered list of results, and the top headshot as media when there is one."""
    lines = ['*Results* (reply "2" for details, "shortlist 2" to shortlist)']
    for number, card in enumerate(cards[:MAX_LISTED], 1):
        facts = [f"*{card.name}*"]
        facts += [f for f in (card.age_range, card.city, ", ".join(card.languages[:3])) if f]
        why = card.why if len(card.why) <= 100 else card.why[:99].rstrip() + "…"
        when = f"\n   🗓 {card.availability[:120]}" if card.availability else ""
        lines.append(f"{number}. " + " · ".join(facts) + (f"\n   {why}" if why else "") + when)
    top = cards[0].headshot_url if cards else ""
    media = (top,) if top.startswith(("https://", "http://")) else ()
    return "\n".join(lines), media


class WhatsAppReply:
    """`ReplyStream` for WhatsApp. `deliver` sends one message; it must not raise."""

    def __init__(
        self, deliver: Deliver, *, on_start: OnStart | None = None, limit: int = LIMIT
    ) -> None:
        self._deliver = deliver
        self._on_start = on_start  # the typing indicator, once the answer is being written
        self._limit = limit
        self._source = ""  # Markdown not yet turned into messages
        self._pending: list[str] = []  # complete blocks after the first, waiting to fill a message
        self._first_done = False
        self._stopped = False
        self._queue: asyncio.Queue[tuple[str, tuple[str, ...]] | None] = asyncio.Queue()
        self._worker: asyncio.Task[None] | None = None
        self.sent: list[str] = []
        self.first_sent_at = 0.0  # perf_counter when the first message was accepted
        self._on_shown: Callable[[], None] | None = None

    def when_shown(self, callback: Callable[[], None]) -> None:
        """Call `callback` once the person can see the reply's first text (its first
        message was accepted), or once the reply stops without showing any."""
        self._on_shown = callback

    async def start(self) -> None:
        if self._on_start is not None:
            on_start, self._on_start = self._on_start, None
            try:
                await on_start()
            except Exception:
                log.warning("whatsapp typing indicator failed", exc_info=True)
        self._ensure_worker()

    async def append(self, text: str) -> None:
        self._source += text
        self._flush(final=False)

    async def finish(self, result: ReplyResult) -> None:
        self._flush(final=True)
        if len(result.talent) == 1 and not result.talent[0].why:  # one person's details
            card = result.talent[0]
            if card.headshot_url.startswith(("https://", "http://")):
                self._put(f"📷 *{card.name}*", (card.headshot_url,))
        elif result.talent:
            listing, media = talent_list(result.talent)
            for number, body in enumerate(split(listing, self._limit)):
                self._put(body, media if number == 0 else ())
        await self._drain()

    async def complete(self, text: str, result: ReplyResult | None = None) -> None:
        """Send a reply whose whole text is known (commands): as few messages as fit."""
        self._first_done = True
        self._source += text
        await self.finish(result or ReplyResult())

    async def fail(self, note: str) -> None:
        self._source = (self._source.rstrip() + "\n\n" + note) if self._source.strip() else note
        self._flush(final=True)
        await self._drain()

    # internals ---------------------------------------------------------------------------

    def _flush(self, *, final: bool) -> None:
        blocks, rest = complete_blocks(self._source)
        if final and rest:
            blocks.append(rest)
            rest = ""
        self._source = rest
        if not self._first_done and blocks:
            self._first_done = True
            self._send_markdown(blocks.pop(0))
        self._pending.extend(blocks)
        if final:
            if self._pending:
                self._send_markdown("\n\n".join(self._pending))
            self._pending = []
            return
        if not blocks:
            return  # nothing new to group: measuring again per token re-parsed every paragraph
        # Send what fills whole messages; keep the remainder to group with what comes next.
        while self._pending and size(to_whatsapp("\n\n".join(self._pending))) > self._limit:
            count = 1
            while count < len(self._pending) and (
                size(to_whatsapp("\n\n".join(self._pending[: count + 1]))) <= self._limit
            ):
                count += 1
            self._send_markdown("\n\n".join(self._pending[:count]))
            del self._pending[:count]

    def _send_markdown(self, markdown: str) -> None:
        for body in split(to_whatsapp(markdown), self._limit):
            self._put(body, ())

    def _put(self, body: str, media: tuple[str, ...]) -> None:
        if body.strip():
            self._ensure_worker()
            self._queue.put_nowait((body, media))

    def _ensure_worker(self) -> None:
        if self._worker is None or self._worker.done():
            self._worker = asyncio.create_task(self._run(), name="whatsapp-reply")

    async def _run(self) -> None:
        while (item := await self._queue.get()) is not None:
            if self._stopped:
                continue
            body, media = item
            try:
                ok = await self._deliver(body, media)
            except Exception:
                log.exception("sending a WhatsApp message failed")
                ok = False
            if ok:
                self.sent.append(body)
                if not self.first_sent_at:
                    self.first_sent_at = time.perf_counter()
            else:
                self._stopped = True  # the rest would fail too, or must not be sent
            self._shown()

    def _shown(self) -> None:
        callback, self._on_shown = self._on_shown, None
        if callback is not None:
            callback()

    async def _drain(self) -> None:
        if self._worker is None or self._worker.done():
            return
        self._queue.put_nowait(None)
        # Shielded: a shutdown cancelling the turn must not cut the reply mid-way.
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.shield(self._worker)
