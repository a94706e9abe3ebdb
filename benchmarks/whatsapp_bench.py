"""WhatsApp channel benchmark: the real server, the real SDKs, Twilio and Claude doubles.

- webhook answer latency (p50/p99) with signed inbound messages arriving at 100/s, while the
  turns they start run in the background;
- time from Claude's first token to the first WhatsApp message sent (the first paragraph);
- 200 concurrent conversations, several messages each: no reply lost, duplicated or reordered.

Run from the repository root (it uses the doubles in tests/doubles).
"""

from __future__ import annotations

import asyncio
import secrets
import statistics
import time
from typing import Any

import aiohttp

from benchmarks.loopback import LoopbackServer
from benchmarks.stats import percentile
from bot.services import Services
from tests.doubles.claude import ClaudeDouble, Reply
from tests.doubles.twilio import TwilioDouble
from tests.whatsapp.fixtures import ACCOUNT, BUSINESS, TOKEN, inbound, signature

WEBHOOK_TARGET_P99_MS = 50.0


def _wa_id() -> str:
    return "91" + str(secrets.randbelow(10**10)).zfill(10)


async def _paced(
    url: str, requests: list[tuple[dict[str, str], dict[str, str]]], rate: float
) -> list[float]:
    """POST the signed requests at `rate` per second; each one's answer time in ms."""
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
        start = time.perf_counter() + 0.05

        async def one(index: int) -> float:
            await asyncio.sleep(max(0.0, start + index / rate - time.perf_counter()))
            form, headers = requests[index]
            sent = time.perf_counter()
            async with session.post(url, data=form, headers=headers) as response:
                await response.read()
                if response.status != 200:
                    raise RuntimeError(f"webhook answered {response.status}")
            return (time.perf_counter() - sent) * 1000

        return list(await asyncio.gather(*(one(i) for i in range(len(requests)))))


class _Bench(LoopbackServer):
    def __init__(self, services: Services, claude: ClaudeDouble, twilio: TwilioDouble) -> None:
        settings = {
            "twilio_account_sid": ACCOUNT,
            "twilio_auth_token": TOKEN,
            "twilio_whatsapp_number": BUSINESS,
            "twilio_api_url": twilio.url,
            "twilio_template_sid": "",
            "public_url": "",
        }
        super().__init__(services, claude, settings, path="/whatsapp/inbound", drain_s=30)
        self.twilio = twilio
        self.members: set[str] = set()

    def signed(self, form: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
        return form, {"X-Twilio-Signature": signature(self.url, form)}

    async def post(self, form: dict[str, str], headers: dict[str, str]) -> float:
        sender = form["From"]
        if sender not in self.members:  # as an admin adds coordinators; not timed
            await self.services.directory.add_members(BUSINESS, [sender])
            self.members.add(sender)
        started = time.perf_counter()
        async with self.session.post(self.url, data=form, headers=headers) as response:
            await response.read()
            if response.status != 200:
                raise RuntimeError(f"webhook answered {response.status}")
        return (time.perf_counter() - started) * 1000

    async def settle(self, predicate: Any, within: float) -> bool:
        try:
            await self.twilio.wait_for(predicate, within=within)
            return True
        except TimeoutError:
            return False

    # --- the three measurements ----------------------------------------------------------

    async def webhook_latency(self, count: int, rate: float) -> dict[str, Any]:
        requests = [self.signed(inbound(f"bench {i}", wa_id=_wa_id())) for i in range(count)]
        before = len(self.twilio.messages)
        # Twilio is another machine: the load comes from its own thread and event loop, so
        # the figures are the server's, not the load generator's scheduling.
        latencies = await asyncio.to_thread(asyncio.run, _paced(self.url, requests, rate))
        await self.settle(lambda t: len(t.messages) - before >= count, within=60)
        return {
            "webhook_messages": count,
            "webhook_rate_per_s": rate,
            "webhook_p50_ms": round(statistics.median(latencies), 2),
            "webhook_p99_ms": round(percentile(latencies, 99), 2),
            "webhook_max_ms": round(max(latencies), 2),
            "webhook_target_p99_ms": WEBHOOK_TARGET_P99_MS,
        }

    def _trace_of(self, wa_id: str) -> Any:
        """The trace of the turn of the sender `wa_id` (each turn has a sender of its own),
        once it has ended."""
        return next((t for t in self.traces if wa_id in t.conversation), None)

    async def first_message(self, turns: int) -> dict[str, Any]:
        gaps: list[float] = []
        text = (
            "Priya Nair fits best: Marathi, kathak, 24-30.\n\n"
            + "Second paragraph with more detail about the other options. " * 8
            + "\n\nThird paragraph: want me to shortlist her?"
        )
        for _ in range(turns):
            self.claude.push(Reply(text, chunk_size=8, delay=0.01))
            wa_id = _wa_id()
            me = f"whatsapp:+{wa_id}"
            await self.post(*self.signed(inbound("who fits?", wa_id=wa_id)))
            done = await self.settle(
                lambda t, me=me: any(
                    m["To"] == me and "shortlist her" in m["Body"] for m in t.messages
                ),
                within=30,
            )
            if not done:
                continue
            # this turn's own trace (reported as the turn ends): the newest may be another's
            for _ in range(100):
                if self._trace_of(wa_id) is not None:
                    break
                await asyncio.sleep(0.05)
            first_sent = next(m["at"] for m in self.twilio.messages if m["To"] == me)
            trace = self._trace_of(wa_id)
            if trace is not None and trace.first_text:
                gaps.append((first_sent - trace.first_text) * 1000)
        return {
            "first_token_to_first_message_p50_ms": round(statistics.median(gaps), 2)
            if gaps
            else None,
            "first_token_to_first_message_p99_ms": round(percentile(gaps, 99), 2) if gaps else None,
            "first_message_turns": len(gaps),
        }

    async def concurrent(self, conversations: int, per_conversation: int) -> dict[str, Any]:
        people = [_wa_id() for _ in range(conversations)]

        async def talk(wa_id: str) -> None:
            for j in range(per_conversation):
                await self.post(*self.signed(inbound(f"{wa_id} says {j}", wa_id=wa_id)))

        started = time.perf_counter()
        await asyncio.gather(*(talk(p) for p in people))
        expected = conversations * per_conversation
        wanted = {f"whatsapp:+{p}" for p in people}
        await self.settle(
            lambda t: sum(m["To"] in wanted for m in t.messages) >= expected, within=120
        )
        await asyncio.sleep(0.5)  # let any duplicate show up
        elapsed = time.perf_counter() - started
        lost = reordered = duplicated = 0
        for wa_id in people:
            got = self.twilio.bodies(f"+{wa_id}")
            want = [f"You said: {wa_id} says {j}" for j in range(per_conversation)]
            lost += len(set(want) - set(got))
            duplicated += len(got) - len(set(got))
            seen = [b for b in got if b in want]
            reordered += seen != sorted(seen, key=want.index)
        return {
            "concurrent_conversations": conversations,
            "messages_per_conversation": per_conversation,
            "replies_expected": expected,
            "replies_lost": lost,
            "replies_duplicated": duplicated,
            "conversations_reordered": reordered,
            "concurrent_seconds": round(elapsed, 2),
        }


async def run(services: Services, *, quick: bool) -> dict[str, Any]:
    """Run the WhatsApp benchmark against doubles; returns the figures as a flat dict."""
    claude, twilio = ClaudeDouble(), TwilioDouble(account_sid=ACCOUNT, auth_token=TOKEN)
    await claude.start()
    await twilio.start()
    try:
        async with _Bench(services, claude, twilio) as bench:
            figures: dict[str, Any] = {}
            figures |= await bench.webhook_latency(200 if quick else 1000, rate=100.0)
            figures |= await bench.first_message(5 if quick else 20)
            figures |= await bench.concurrent(200, 2 if quick else 3)
            return figures
    finally:
        await twilio.close()
        await claude.close()
