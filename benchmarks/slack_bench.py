"""Slack channel benchmark: the real server, Bolt and slack_sdk, Slack and Claude doubles.

- ack latency (p50/p99) of signed mention events arriving at 100/s, turns running behind;
- Claude's first token -> first visible Slack write (native stream, and post + edit);
- 200 concurrent conversations streaming at ~50 tokens/s: replies lost, writes per reply,
  writes per second per message;
- 10 simultaneous mentions in one workspace: event -> first visible text (p95), and the
  model's last token -> the whole reply visible;
- a storm of 429s on every write method: the final text is complete and never went back.

Run from the repository root (it uses the doubles in tests/doubles).
"""

from __future__ import annotations

import asyncio
import json
import re
import statistics
import time
from typing import Any

import aiohttp

from adapters.slack.mrkdwn import to_mrkdwn
from benchmarks.loopback import LoopbackServer
from benchmarks.stats import ms, percentile
from bot.services import Services
from tests.doubles.claude import ClaudeDouble
from tests.doubles.slack import BOT_TOKEN, SIGNING_SECRET, WRITES, SlackDouble, signed_headers
from tests.slack.stack import event_body, mention

ACK_TARGET_P99_MS = 50.0
# The writes that show text (a stream's first text goes with chat.startStream)
TEXT_WRITES = ("chat.startStream", "chat.appendStream", "chat.update")
# The model double as in the comparison: first token after 0.3 s, then ~50 tokens/s
# (8 characters, about two tokens, every 40 ms).
FIRST_TOKEN_S = 0.3
CHUNK_DELAY_S = 0.04


def _text_in(call: Any) -> bool:
    """Whether a write carries text (chat.update always does; a stream write as
    `markdown_text` or in its chunks)."""
    if call.method == "chat.update":
        return True
    chunks = call.args.get("chunks") or []
    return bool(call.args.get("markdown_text")) or any(
        c.get("type") == "markdown_text" and c.get("text") for c in chunks
    )


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text)


async def _paced(url: str, bodies: list[str], rate: float) -> list[tuple[float, int]]:
    """POST signed bodies at `rate` per second from this (separate) loop: seconds and
    status each. A 503 is an answer too (the turn bound is full; Slack retries it)."""
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
        start = time.perf_counter() + 0.05

        async def one(index: int) -> tuple[float, int]:
            await asyncio.sleep(max(0.0, start + index / rate - time.perf_counter()))
            body = bodies[index]
            sent = time.perf_counter()
            async with session.post(url, data=body.encode(), headers=signed_headers(body)) as r:
                await r.read()
                if r.status not in (200, 503):
                    raise RuntimeError(f"/slack/events answered {r.status}")
            return time.perf_counter() - sent, r.status

        return list(await asyncio.gather(*(one(i) for i in range(len(bodies)))))


class _Bench(LoopbackServer):
    def __init__(self, services: Services, claude: ClaudeDouble, slack: SlackDouble) -> None:
        settings = {
            "slack_bot_token": BOT_TOKEN,
            "slack_signing_secret": SIGNING_SECRET,
            "slack_app_token": "",
            "slack_api_url": slack.base_url + "/api/",
        }
        super().__init__(services, claude, settings, path="/slack/events")
        self.slack = slack

    async def post(self, event: dict[str, Any]) -> float:
        body = json.dumps(event_body(event))
        sent = time.perf_counter()
        async with self.session.post(
            self.url, data=body.encode(), headers=signed_headers(body)
        ) as r:
            await r.read()
            if r.status != 200:
                raise RuntimeError(f"/slack/events answered {r.status}")
        return time.perf_counter() - sent

    async def settle(self, check: Any, within: float) -> bool:
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            if check():
                return True
            await asyncio.sleep(0.05)
        return False

    def answer_with(self, text: str, delay: float, first: float = 0.0) -> None:
        """Every Claude call streams `text` in 8-character chunks `delay` apart, the first
        after `first` seconds. (Not a script: memory's background fact extraction calls
        Claude too and would take them.)"""
        self.claude.default_text, self.claude.token_delay = text, delay
        self.claude.first_token_delay = first

    def whole_at(self, channel: str, text: str) -> float | None:
        """When the reply's whole text first became visible in `channel` (the double's
        clock), or None if it never did."""
        wanted = _words(to_mrkdwn(text))
        messages = sorted(
            (m for m in self.slack.messages.values() if m.channel == channel),
            key=lambda m: float(m.ts),
        )
        before = ""
        for message in messages:
            for shown, at in zip(message.history, message.writes, strict=False):
                if _words(before + shown) == wanted:
                    return at
            before += message.text
        return None

    def trace_of(self, channel: str) -> Any:
        return next((t for t in self.traces if f":{channel}:" in t.conversation), None)

    def stopped(self, channel: str) -> int:
        return sum(c.args.get("channel") == channel for c in self.slack.of("chat.stopStream"))

    # --- measurements ------------------------------------------------------------------

    async def ack_latency(self, count: int, rate: float) -> dict[str, Any]:
        channel = "CBENCHACK"
        bodies = [
            json.dumps(event_body({**mention(f"ack {i}", channel=channel), "team": f"TA{i % 100}"}))
            for i in range(count)
        ]
        # Slack is another machine: load comes from its own thread and loop.
        answers = await asyncio.to_thread(asyncio.run, _paced(self.url, bodies, rate))
        latencies = [seconds for seconds, _ in answers]
        refused = sum(status == 503 for _, status in answers)
        await self.settle(lambda: self.stopped(channel) >= count - refused, within=180)
        return {
            "ack_events": count,
            "ack_rate_per_s": rate,
            "ack_refused_503": refused,
            "ack_p50_ms": ms(statistics.median(latencies)),
            "ack_p99_ms": ms(percentile(latencies, 99)),
            "ack_max_ms": ms(max(latencies)),
            "ack_target_p99_ms": ACK_TARGET_P99_MS,
        }

    async def ack_path(self, count: int, rate: float) -> dict[str, Any]:
        """The ack path alone: one event delivered `count` times (Slack's retries), so only
        the first starts a turn and the rest measure verify + parse + claim + answer."""
        channel = "CBENCHDUP"
        body = json.dumps(event_body(mention("retried", channel=channel), event_id="EvDUP"))
        answers = await asyncio.to_thread(asyncio.run, _paced(self.url, [body] * count, rate))
        latencies = [seconds for seconds, _ in answers]
        await self.settle(lambda: self.stopped(channel) >= 1, within=30)
        await asyncio.sleep(0.5)
        return {
            "ack_retries_p50_ms": ms(statistics.median(latencies)),
            "ack_retries_p99_ms": ms(percentile(latencies, 99)),
            "ack_retries_replies": self.stopped(channel),
        }

    async def first_write(self, turns: int) -> dict[str, Any]:
        """Claude's first token -> the first Slack write carrying text, and Claude's last
        token -> the whole reply visible, both reply modes, one reply at a time."""
        text = "**Priya Nair** fits best: Marathi, kathak, 24-30. " + "More detail here. " * 10
        figures: dict[str, Any] = {}
        for mode in ("stream", "edit"):
            gaps: list[float] = []
            ends: list[float] = []
            self.answer_with(text, CHUNK_DELAY_S, FIRST_TOKEN_S)
            for i in range(turns):
                channel = f"{'C' if mode == 'stream' else 'D'}FW{mode}{i}"
                event = mention("who fits?", channel=channel)
                if mode == "edit":
                    event = {**event, "type": "message", "channel_type": "im", "text": "who?"}
                await self.post(event)
                methods = TEXT_WRITES if mode == "stream" else ("chat.update",)
                # This turn's own trace: an earlier phase's turns may still be ending, and
                # timing against one of theirs read a 1.8 s end for a 10 ms one.
                await self.settle(lambda c=channel: self.trace_of(c) is not None, within=30)
                first = next(
                    (c.at for c in self.slack.calls
                     if c.method in methods and c.args.get("channel") == channel and _text_in(c)),
                    None,
                )  # fmt: skip
                trace = self.trace_of(channel)
                if first is not None and trace.first_text:
                    gaps.append(first - trace.first_text)  # both CLOCK_MONOTONIC on Linux
                await self.settle(lambda c=channel: self.whole_at(c, text), within=30)
                whole = self.whole_at(channel, text)
                if whole is not None and trace.last_text:
                    ends.append(whole - trace.last_text)
            figures[f"first_token_to_visible_{mode}_p50_ms"] = ms(statistics.median(gaps))
            figures[f"first_token_to_visible_{mode}_p95_ms"] = ms(percentile(gaps, 95))
            figures[f"last_token_to_whole_{mode}_p50_ms"] = ms(statistics.median(ends))
            figures[f"last_token_to_whole_{mode}_p95_ms"] = ms(percentile(ends, 95))
        return figures

    async def concurrent(self, conversations: int, workspaces: int) -> dict[str, Any]:
        """Many replies at once at ~50 tokens/s (4-char chunks every 20 ms)."""
        words = [f"token{i}" for i in range(60)]
        text = " ".join(words)
        self.answer_with(text, 0.04)  # 8 characters (~2 tokens) every 40 ms: ~50 tokens/s
        events = [
            {**mention(f"conv {i}", channel=f"CCONC{i}"), "team": f"TW{i % workspaces}"}
            for i in range(conversations)
        ]
        started = time.monotonic()
        await asyncio.gather(*(self.post(e) for e in events))
        await self.settle(
            lambda: sum(self.stopped(f"CCONC{i}") for i in range(conversations)) >= conversations,
            within=300,
        )
        elapsed = time.monotonic() - started
        lost = 0
        per_reply: list[int] = []
        peak_per_s: list[int] = []
        peak_steady: list[int] = []
        rates: list[float] = []
        for i in range(conversations):
            channel = f"CCONC{i}"
            messages = [m for m in self.slack.messages.values() if m.channel == channel]
            shown = "".join(m.text for m in sorted(messages, key=lambda m: float(m.ts)))
            lost += _words(shown) != words
            calls = [
                c for c in self.slack.calls if c.args.get("channel") == channel and not c.error
            ]
            per_reply.append(sum(c.method in WRITES for c in calls))
            times = [c.at for c in calls if c.method in TEXT_WRITES and _text_in(c)]
            peak_per_s.append(max((sum(t <= x < t + 1.0 for x in times) for t in times), default=0))
            steady = times[:-1]  # the reply's last write goes at once, by design
            peak_steady.append(
                max((sum(t <= x < t + 1.0 for x in steady) for t in steady), default=0)
            )
            if len(times) > 1:
                rates.append((len(times) - 1) / max(times[-1] - times[0], 1.0))
        return {
            "concurrent_conversations": conversations,
            "concurrent_workspaces": workspaces,
            "concurrent_replies_lost": lost,
            "concurrent_seconds": round(elapsed, 2),
            "writes_per_reply_mean": round(statistics.mean(per_reply), 2),
            "text_writes_per_s_per_message_mean": round(statistics.mean(rates), 3) if rates else 0,
            "text_writes_in_any_1s_per_message_max": max(peak_per_s),
            "steady_text_writes_in_any_1s_per_message_max": max(peak_steady),
        }

    async def simultaneous(self, count: int, rounds: int = 1) -> dict[str, Any]:
        """`count` mentions at once in one workspace, `rounds` times (a second apart, each
        in channels of its own): event -> first visible text, and the model's last token
        -> the whole reply visible, over every round's replies (a p95 of one round of ten
        is its slowest reply, a figure that jumps with any stall on a shared machine)."""
        text = "Here is who fits best for that role, and why each of them does. " * 5
        self.answer_with(text, CHUNK_DELAY_S, FIRST_TOKEN_S)
        delays: list[float] = []
        ends: list[float] = []
        sent: dict[str, float] = {}

        async def go(event: dict[str, Any]) -> None:
            sent[event["channel"]] = time.monotonic()
            await self.post(event)

        for round_ in range(rounds):
            if round_:
                await asyncio.sleep(1.0)  # the last round's background work settles
            events = [mention(f"at once {i}", channel=f"CSIM{round_}x{i}") for i in range(count)]
            await asyncio.gather(*(go(e) for e in events))
            await self.settle(
                lambda events=events: all(self.stopped(e["channel"]) for e in events), within=60
            )
            for event in events:
                channel = event["channel"]
                first = next(
                    (m.writes[i] for m in self.slack.messages.values() if m.channel == channel
                     for i, shown in enumerate(m.history) if shown.strip() and shown != "_…_"),
                    None,
                )  # fmt: skip
                if first is not None:
                    delays.append(first - sent[channel])
                trace, whole = self.trace_of(channel), self.whole_at(channel, text)
                if trace is not None and whole is not None and trace.last_text:
                    ends.append(whole - trace.last_text)
        return {
            "simultaneous_mentions": count,
            "simultaneous_rounds": rounds,
            "event_to_first_text_p50_ms": ms(statistics.median(delays)),
            "event_to_first_text_p95_ms": ms(percentile(delays, 95)),
            "event_to_first_text_max_ms": ms(max(delays)),
            "simultaneous_last_token_to_whole_p50_ms": ms(statistics.median(ends)),
            "simultaneous_last_token_to_whole_p95_ms": ms(percentile(ends, 95)),
            "simultaneous_last_token_to_whole_max_ms": ms(max(ends, default=0.0)),
            "simultaneous_answered": len(delays),
        }

    async def storm(self, seconds: float) -> dict[str, Any]:
        """429 with Retry-After on every write method while a reply streams."""
        words = [f"storm{i}" for i in range(150)]
        self.answer_with(" ".join(words), 0.03)
        for method in WRITES:
            self.slack.fail(method, "ratelimited", status=429, retry_after=1, seconds=seconds)
        channel = "CSTORM"
        started = time.monotonic()
        await self.post(mention("storm", channel=channel))
        await self.settle(lambda: self.stopped(channel) >= 1, within=seconds + 120)
        messages = sorted(
            (m for m in self.slack.messages.values() if m.channel == channel),
            key=lambda m: float(m.ts),
        )
        shown = "".join(m.text for m in messages)
        backwards = any(
            [len(_words(t)) for t in m.history] != sorted(len(_words(t)) for t in m.history)
            for m in messages
        )
        return {
            "storm_seconds": seconds,
            "storm_429s": sum(c.status == 429 for c in self.slack.calls),
            "storm_final_text_complete": _words(shown) == words,
            "storm_visible_text_went_backwards": backwards,
            "storm_reply_seconds": round(time.monotonic() - started, 2),
        }


async def run(services: Services, *, quick: bool) -> dict[str, Any]:
    """Run the Slack benchmark against doubles; returns the figures as a flat dict."""
    claude, slack = ClaudeDouble(), SlackDouble()
    await claude.start()
    await slack.start()
    try:
        async with _Bench(services, claude, slack) as bench:
            figures: dict[str, Any] = {}
            figures |= await bench.ack_path(200 if quick else 1000, rate=100.0)
            figures |= await bench.ack_latency(200 if quick else 1000, rate=100.0)
            figures |= await bench.first_write(5 if quick else 20)
            figures |= await bench.simultaneous(10, rounds=3 if quick else 5)
            figures |= await bench.concurrent(200, workspaces=20)
            figures |= await bench.storm(5.0 if quick else 15.0)
            return figures
    finally:
        await slack.close()
        await claude.close()
