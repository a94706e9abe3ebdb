"""Loopback load: many concurrent Slack and WhatsApp conversations against real `castmatch
serve` processes, with doubles of Claude (streaming at a set token rate), Slack and Twilio.

    python -m benchmarks.load                 # 500 conversations, 60 s, one process then two
    python -m benchmarks.load --full          # 10 minutes each, 40 conversations, ≤ 4 turns/s
    python -m benchmarks.load --replicas 2 --conversations 200 --duration 30 --out load.json

Each conversation is a person in a closed loop: send a message, wait until the whole reply
is visible, think for 0.5-2 s, send the next. Half are Slack threads (spread over
workspaces, as companies are), half WhatsApp chats; with two replicas every request goes to
the next replica in turn, as a round-robin load balancer would send it. Reported: turns/s;
ack p50/p99 (client side, and server side from /metrics); context assembly; time to the
first visible text; whole-reply time; RSS of each replica's processes through the run and
its slope after warm-up (`benchmarks/growth.py`); the turns waiting; errors; lost and
duplicated replies. Bounded: at most `MAX_CONVERSATIONS`, a turn waits at
most `TURN_TIMEOUT_S` before asking again (a late reply still counts for its turn; one
never answered by the end of the drain is lost), and the run stops after its duration plus
a drain.

Runs from the repository root (it uses the doubles in tests/doubles). Loopback only.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import os
import random
import secrets
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
import psutil

from benchmarks import corpus, growth
from benchmarks.stats import keep, ms, percentile
from tests.doubles.claude import ClaudeDouble, Reply
from tests.doubles.slack import BOT_TOKEN, SIGNING_SECRET, Message, SlackDouble, signed_headers
from tests.doubles.twilio import TwilioDouble
from tests.whatsapp.fixtures import ACCOUNT, BUSINESS, TOKEN, inbound, signature

MAX_CONVERSATIONS = 2000
# `--full`'s load: 40 people, at most 4 turns a second. 40 people in a closed loop got 5.7
# turns/s on this repository's two shared cores at load 15-19 with every reply within 9.3 s
# (p99); 500 people asked for more than it serves (hundreds to thousands of turns unanswered
# at the drain), so their run's RSS was the backlog's. The cap keeps ~30 % spare.
FULL_CONVERSATIONS = 40
FULL_RATE = 4.0
TURN_TIMEOUT_S = 60.0
SLACK_TEAMS = 50  # Slack conversations are spread over this many workspaces
CHUNK_CHARS = 24  # characters per streamed event (~6 tokens)
ACK_TARGET_P99_MS = 50.0
REPLY = (
    "Here are three actors worth a look for the inspector: each speaks Haryanvi and has "
    "played police roles before.\n\n"
    "First, Rohan Kulkarni (38-45, Mumbai): a strong screen presence and a recent web "
    "series cop. Second, Vikram Hooda (40-46, Delhi), who grew up in Rohtak. Third, Anil "
    "Sangwan (37-43, Chandigarh), theatre-trained. Shall I shortlist any of them?"
)


@dataclass
class Turn:
    conversation: Conversation
    sent: float
    ack: float = 0.0
    first_text: float = 0.0
    done: float = 0.0
    reply_key: str = ""  # Slack: the reply message's ts
    parts: int = 0  # WhatsApp: messages received
    note: bool = False  # the reply carried a failure note
    refused: bool = False  # the webhook was not answered 200
    finished: asyncio.Event = field(default_factory=asyncio.Event)


@dataclass
class Conversation:
    channel: str  # slack | whatsapp
    key: str  # Slack: "channel:root ts"; WhatsApp: "+number"
    team: str = ""
    channel_id: str = ""
    root: str = ""
    open: list[Turn] = field(default_factory=list)  # sent, reply not yet whole (oldest first)
    replies: dict[str, Turn] = field(default_factory=dict)  # Slack reply ts -> its turn
    stray: int = 0  # reply messages that arrived with no turn waiting (e.g. continuations)
    finals: int = 0  # WhatsApp: messages that end a whole reply
    sent: int = 0

    def done(self, turn: Turn, note: bool) -> None:
        turn.note, turn.done = note, time.perf_counter()
        turn.finished.set()
        if turn in self.open:
            self.open.remove(turn)


class Doubles:
    """Claude, Slack and Twilio doubles that report each visible write to the driver."""

    def __init__(
        self,
        token_rate: float,
        reply: str = REPLY,
        first_delay: float = 0.0,
        *,
        varied: bool = True,
    ) -> None:
        self.reply = reply  # varied replies end with its last paragraph (how ends are seen)
        self.claude = _Claude(token_rate, reply, first_delay, varied=varied)
        self.slack = _Slack(self)
        self.twilio = _Twilio(self, account_sid=ACCOUNT, auth_token=TOKEN)
        self.slack_conversations: dict[str, Conversation] = {}
        self.whatsapp_conversations: dict[str, Conversation] = {}

    async def start(self) -> None:
        await asyncio.gather(self.claude.start(), self.slack.start(), self.twilio.start())

    async def close(self) -> None:
        await asyncio.gather(self.claude.close(), self.slack.close(), self.twilio.close())

    def slack_write(self, message: Message) -> None:
        conversation = self.slack_conversations.get(f"{message.channel}:{message.thread_ts}")
        if conversation is None:
            return
        turn = conversation.replies.get(message.ts)
        if turn is None:  # a new reply message: it answers the oldest turn still unanswered
            waiting = [t for t in conversation.open if not t.reply_key]
            if not waiting:
                conversation.stray += 1  # a message nobody is waiting for
                return
            turn = waiting[0]
            turn.reply_key = message.ts
            conversation.replies[message.ts] = turn
        if turn.done:
            return
        if not turn.first_text and message.text.strip() and message.text != "_…_":
            turn.first_text = time.perf_counter()
        ended = message.text.rstrip().endswith(self.reply[-20:]) or "⚠️" in message.text
        if ended and not message.streaming:
            conversation.done(turn, "⚠️" in message.text)

    def twilio_message(self, record: dict[str, Any]) -> None:
        conversation = self.whatsapp_conversations.get(record["To"].removeprefix("whatsapp:"))
        if conversation is None:
            return
        final = record["Body"].rstrip().endswith(self.reply[-20:])
        if final:
            conversation.finals += 1
        if not conversation.open:
            conversation.stray += 1
            return
        turn = conversation.open[0]  # one chat's messages arrive in order
        turn.parts += 1
        turn.first_text = turn.first_text or time.perf_counter()
        body = record["Body"]
        if "⚠️" in body or final:  # the last message of a reply ends with its last words
            conversation.done(turn, "⚠️" in body)


class _Claude(ClaudeDouble):
    def __init__(
        self, token_rate: float, reply: str = REPLY, first_delay: float = 0.0, *, varied: bool
    ) -> None:
        super().__init__()
        self._delay = (CHUNK_CHARS / 4) / token_rate  # ~4 characters a token
        self._reply = reply
        self._first_delay = first_delay
        self._varied = varied

    def _default(self, body: dict[str, Any]) -> Reply:
        self.requests.clear()  # keep the double's memory flat over a long run
        self.headers.clear()
        # Varied: a paragraph of casting sentences, then the fixed closing paragraph, so the
        # background work (facts, vectors) sees new text every turn as real traffic does.
        text = corpus.reply(self._reply.split("\n\n")[-1]) if self._varied else self._reply
        return Reply(text, chunk_size=CHUNK_CHARS, delay=self._delay, first_delay=self._first_delay)


class _Slack(SlackDouble):
    def __init__(self, doubles: Doubles) -> None:
        super().__init__()
        self._doubles = doubles

    def _write(self, message: Message) -> None:
        super()._write(message)
        message.history.clear()  # bounded: the driver only needs the latest text
        message.writes.clear()
        if len(self.calls) > 10_000:
            del self.calls[:5_000]
        self._doubles.slack_write(message)


class _Twilio(TwilioDouble):
    def __init__(self, doubles: Doubles, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._owner = doubles
        self._read = 0

    async def _notify(self) -> None:  # called after every API request
        assert self._owner is not None
        for record in self.messages[self._read :]:
            self._owner.twilio_message(record)
        self._read = len(self.messages)
        if self._read > 10_000:  # bounded
            del self.messages[:5_000], self.attempts[: max(0, len(self.attempts) - 100)]
            self.events.clear()
            self._read -= 5_000


# -- the servers -----------------------------------------------------------------------------


def server_env(
    doubles: Doubles, database_url: str, redis_url: str, namespace: str, data: Path
) -> dict[str, str]:
    return {
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "CASTMATCH_REDIS_NAMESPACE": namespace,
        "CASTMATCH_DATA_DIR": str(data),
        "CASTMATCH_SAMPLE_CATALOGUE": "0",
        "CASTMATCH_RATE_LIMIT_PER_MINUTE": "0",
        "CASTMATCH_LOG_FORMAT": "json",
        "ANTHROPIC_API_KEY": "sk-load",
        "ANTHROPIC_BASE_URL": doubles.claude.url,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": doubles.slack.base_url + "/api/",
        "TWILIO_ACCOUNT_SID": ACCOUNT,
        "TWILIO_AUTH_TOKEN": TOKEN,
        "TWILIO_WHATSAPP_NUMBER": BUSINESS,
        "TWILIO_API_URL": doubles.twilio.url,
    }


@dataclass
class Server:
    url: str
    process: asyncio.subprocess.Process
    ps: psutil.Process
    samples: list[growth.Sample] = field(default_factory=list)  # RSS by process, backlog
    healthz: list[tuple[float, float]] = field(default_factory=list)  # (when, seconds)


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.asynccontextmanager
async def servers(env: dict[str, str], count: int) -> AsyncIterator[list[Server]]:
    started: list[Server] = []
    try:
        for index in range(count):
            port = _free_port()
            folder = Path(env["CASTMATCH_DATA_DIR"]) / f"replica-{index}"
            folder.mkdir(parents=True, exist_ok=True)
            log = await asyncio.to_thread(open, folder / "serve.log", "ab")
            process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "castmatch.cli", "serve",
                env={**os.environ, **env, "PORT": str(port), "CASTMATCH_DATA_DIR": str(folder)},
                cwd=folder, stdout=log, stderr=log,
            )  # fmt: skip
            log.close()
            started.append(Server(f"http://127.0.0.1:{port}", process, psutil.Process(process.pid)))
        async with aiohttp.ClientSession() as session:
            for server in started:
                await _wait_healthy(session, server)
        yield started
    finally:
        for server in started:
            if server.process.returncode is None:
                server.process.terminate()
        for server in started:
            try:
                await asyncio.wait_for(server.process.wait(), 30)
            except TimeoutError:
                server.process.kill()
                await server.process.wait()


async def _wait_healthy(session: aiohttp.ClientSession, server: Server) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.process.returncode is not None:
            raise RuntimeError(f"castmatch serve exited with {server.process.returncode}")
        with contextlib.suppress(aiohttp.ClientError):
            async with session.get(server.url + "/healthz") as response:
                if response.status == 200:
                    return
        await asyncio.sleep(0.1)
    raise RuntimeError("castmatch serve did not come up")


async def scrape(session: aiohttp.ClientSession, server: Server) -> dict[str, float]:
    """The server's Prometheus figures, `name{labels}` -> value."""
    async with session.get(server.url + "/metrics") as response:
        text = await response.text()
    figures: dict[str, float] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.rpartition(" ")
            with contextlib.suppress(ValueError):
                figures[name] = float(value)
    return figures


def histogram_quantiles(
    before: list[dict[str, float]], after: list[dict[str, float]], name: str, label: str = ""
) -> dict[str, float]:
    """p50/p99 (upper bucket bounds, ms) and mean of a histogram's growth between scrapes,
    summed over servers."""
    buckets: dict[float, float] = {}
    total = count = 0.0
    for old, new in zip(before, after, strict=True):
        for key, value in new.items():
            if not key.startswith(name) or (label and label not in key):
                continue
            delta = value - old.get(key, 0.0)
            if key.startswith(name + "_bucket"):
                bound = key.split('le="', 1)[1].split('"', 1)[0]
                upper = float("inf") if bound == "+Inf" else float(bound)
                buckets[upper] = buckets.get(upper, 0.0) + delta
            elif key.startswith(name + "_sum"):
                total += delta
            elif key.startswith(name + "_count"):
                count += delta
    if not count:
        return {"count": 0}
    ordered = sorted(buckets.items())

    def quantile(q: float) -> float:
        for bound, cumulative in ordered:
            if cumulative >= q * count:
                return bound * 1000
        return float("inf")

    return {"count": int(count), "p50_le_ms": quantile(0.5), "p99_le_ms": quantile(0.99),
            "mean_ms": round(total / count * 1000, 2)}  # fmt: skip


# -- the people --------------------------------------------------------------------------------


class Driver:
    def __init__(
        self,
        doubles: Doubles,
        targets: list[Server],
        warmup_until: float,
        turn_timeout: float,
        rate: float = 0.0,
    ) -> None:
        self.doubles = doubles
        self.turn_timeout = turn_timeout
        self.pacer = Pacer(rate)
        self.targets = itertools.cycle(targets)
        self.warmup_until = warmup_until
        self.turns: list[Turn] = []
        self.http_errors = 0
        self.session: aiohttp.ClientSession | None = None
        self._ts = itertools.count(1)
        self.conversations_seen: list[Conversation] = []

    def conversations(self, count: int) -> list[Conversation]:
        made = []
        for index in range(count):
            if index % 2 == 0:
                team = f"T{index % SLACK_TEAMS:04d}"
                channel = f"C{index:06d}"
                conversation = Conversation("slack", "", team=team, channel_id=channel)
            else:
                number = "+91" + str(7_000_000_000 + index)
                conversation = Conversation("whatsapp", number)
                self.doubles.whatsapp_conversations[number] = conversation
            made.append(conversation)
        self.conversations_seen = made
        return made

    def outstanding(self) -> int:
        """Turns sent whose whole reply is not visible yet."""
        return sum(len(c.open) for c in self.conversations_seen)

    def _new_ts(self) -> str:
        return f"{int(time.time())}.{next(self._ts):06d}"

    async def person(self, conversation: Conversation, until: float) -> None:
        await asyncio.sleep(random.uniform(0, 2.0))  # people don't all start at once
        number = 0
        while time.perf_counter() < until:
            number += 1
            await self.pacer.wait()
            turn = Turn(conversation, sent=time.perf_counter())
            conversation.open.append(turn)
            conversation.sent += 1
            self.turns.append(turn)
            await self._send(conversation, turn, corpus.message())
            # A person waits at most TURN_TIMEOUT_S, then asks again; a late reply still
            # counts for its own turn (only one never answered is lost).
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(turn.finished.wait(), self.turn_timeout)
            await asyncio.sleep(random.uniform(0.5, 2.0))

    async def _send(self, conversation: Conversation, turn: Turn, text: str) -> None:
        assert self.session is not None
        target = next(self.targets)
        if conversation.channel == "slack":
            ts = self._new_ts()
            if not conversation.root:
                conversation.root = ts
                key = f"{conversation.channel_id}:{ts}"
                self.doubles.slack_conversations[key] = conversation
            event = {
                "type": "app_mention", "user": f"U{conversation.channel_id[1:]}",
                "text": f"<@UBOTCAST> {text}", "ts": ts, "event_ts": ts,
                "channel": conversation.channel_id, "team": conversation.team,
            }  # fmt: skip
            if conversation.root != ts:
                event["thread_ts"] = conversation.root
            body = json.dumps({
                "token": "legacy", "team_id": conversation.team, "api_app_id": "A0LOAD",
                "type": "event_callback", "event_id": "Ev" + secrets.token_hex(6),
                "event_time": int(time.time()), "event": event,
                "authorizations": [{"team_id": conversation.team, "user_id": "UBOTCAST",
                                    "is_bot": True}],
            })  # fmt: skip
            url, data, headers = target.url + "/slack/events", body, signed_headers(body)
        else:
            form = inbound(text, wa_id=conversation.key.removeprefix("+"))
            url = target.url + "/whatsapp/inbound"
            data, headers = form, {"X-Twilio-Signature": signature(url, form)}
        try:
            async with self.session.post(url, data=data, headers=headers) as response:
                await response.read()
                ok = response.status == 200
        except aiohttp.ClientError:
            ok = False
        turn.ack = time.perf_counter()
        if not ok:
            self.http_errors += 1
            turn.refused = True
            conversation.open.remove(turn)
            turn.finished.set()


class Pacer:
    """At most `rate` sends a second over all the people (0: no cap): the load a run
    offers stays fixed instead of following however fast replies come back."""

    def __init__(self, rate: float) -> None:
        self._gap = 1.0 / rate if rate > 0 else 0.0
        self._next = 0.0

    async def wait(self) -> None:
        if not self._gap:
            return
        now = time.perf_counter()
        at = max(now, self._next)
        self._next = at + self._gap
        await asyncio.sleep(at - now)


GAUGES_EVERY_S = 5  # the servers' queue and memory gauges are read this often (/metrics)


async def sample(
    targets: list[Server],
    session: aiohttp.ClientSession,
    stop: asyncio.Event,
    started: float,
    driver: Driver,
) -> None:
    """Every second: each server's RSS by process (web, turn worker, their children), the
    turns waiting for a reply, every few seconds its queue and memory gauges (`growth.gauges`),
    and how long /healthz
    takes (the server's event-loop delay as a client sees it: the handler does nothing)."""
    for tick in itertools.count():
        if stop.is_set():
            return
        for server in targets:
            now = time.perf_counter()
            gauges: dict[str, float] = {}
            if tick % GAUGES_EVERY_S == 0:
                with contextlib.suppress(aiohttp.ClientError, TimeoutError):
                    gauges = growth.gauges(await scrape(session, server))
            with contextlib.suppress(psutil.Error):  # a replica: the server and its worker
                rss, anon = growth.roles(server.ps)
                server.samples.append(
                    growth.Sample(now - started, rss, driver.outstanding(), anon, gauges)
                )
            with contextlib.suppress(aiohttp.ClientError, TimeoutError):
                async with session.get(server.url + "/healthz") as response:
                    await response.read()
                server.healthz.append((now, time.perf_counter() - now))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), 1.0)


def _rss_at(server: Server, moment: float) -> float:
    """The replica's total RSS (MB) at the last sample by `moment` (seconds since start)."""
    before = [s for s in server.samples if s.at <= moment] or server.samples[:1]
    return round(sum(before[-1].rss.values()) / 2**20, 1) if before else 0.0


def warmup_s(duration: float) -> float:
    """The start of a run that is not counted: a quarter of it, at most 2 minutes (a
    10-minute run's caches, models and first partitions are in by then)."""
    return min(120.0, duration * 0.25)


async def run_load(
    *,
    database_url: str,
    redis_url: str,
    namespace: str,
    data_dir: Path,
    conversations: int = 500,
    duration: float = 60.0,
    replicas: int = 1,
    token_rate: float = 50.0,
    turn_timeout: float = TURN_TIMEOUT_S,
    label: str = "load",
    rate: float = 0.0,
    server_extra: dict[str, str] | None = None,
) -> dict[str, Any]:
    """One load run; returns its figures (and keeps its ack and reply distributions, and
    its RSS samples, under `label` for the plots). `turn_timeout` bounds each wait for a
    reply and the final drain; `rate` caps the turns sent a second (0: the people's own
    pace); `server_extra` adds to the servers' environment."""
    conversations = max(2, min(conversations, MAX_CONVERSATIONS))
    doubles = Doubles(token_rate)
    await doubles.start()
    env = {**server_env(doubles, database_url, redis_url, namespace, data_dir),
           **(server_extra or {})}  # fmt: skip
    try:
        async with servers(env, replicas) as targets, aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=0)
        ) as session:  # fmt: skip
            started = time.perf_counter()
            since = datetime.now(UTC)
            warmup = started + warmup_s(duration)
            until = started + duration
            driver = Driver(doubles, targets, warmup, turn_timeout, rate)
            driver.session = session
            stop = asyncio.Event()
            talking = driver.conversations(conversations)
            sampler = asyncio.create_task(sample(targets, session, stop, started, driver))
            numbers = [c.key for c in talking if c.channel == "whatsapp"]
            await admit_coordinators(database_url, redis_url, namespace, numbers)
            people = [asyncio.create_task(driver.person(c, until)) for c in talking]
            await asyncio.sleep(max(0.0, warmup - time.perf_counter()))
            before = [await scrape(session, s) for s in targets]
            # Bounded: every person stops sending at `until`; the last turn has its timeout.
            await asyncio.wait(people, timeout=duration + turn_timeout + 10)
            for task in people:
                task.cancel()
            drain_until = time.perf_counter() + turn_timeout  # late replies still count
            while any(not t.done and not t.refused for t in driver.turns):
                if time.perf_counter() > drain_until:
                    break
                await asyncio.sleep(0.2)
            after = [await scrape(session, s) for s in targets]
            ended = time.perf_counter()
            stop.set()
            await sampler
            twice = await stored_duplicates(database_url, since)
            measured = [t for t in driver.turns if t.sent >= warmup]
            keep(f"load.{label}_ack", [t.ack - t.sent for t in measured if t.ack])
            firsts = [t.first_text - t.sent for t in measured if t.first_text]
            keep(f"load.{label}_first_text", firsts)
            growth.keep(label, warmup - started, duration, [s.samples for s in targets])
            figures = _figures(
                driver, twice, targets, before, after, started, warmup, ended, duration
            )
            return {"offered_rate": rate or None, **figures}
    finally:
        await doubles.close()


def _whole_replies(doubles: Doubles, conversation: Conversation) -> int:
    if conversation.channel == "whatsapp":
        return conversation.finals
    channel, root = conversation.channel_id, conversation.root
    return sum(
        1
        for m in doubles.slack.messages.values()
        if m.channel == channel
        and m.thread_ts == root
        and m.text.rstrip().endswith(doubles.reply[-20:])
    )


async def admit_coordinators(
    database_url: str, redis_url: str, namespace: str, numbers: list[str]
) -> None:
    """The WhatsApp senders become members of the business number's workspace, as
    `castmatch members add` makes them (rows, then the version every replica checks)."""
    import psycopg
    from redis.asyncio import Redis

    url = database_url.replace("postgresql+psycopg://", "postgresql://", 1)
    async with await psycopg.AsyncConnection.connect(url) as conn:
        await conn.execute(
            "INSERT INTO workspaces (name) VALUES (%s) ON CONFLICT DO NOTHING", (BUSINESS,)
        )
        async with conn.cursor() as cursor:
            await cursor.executemany(
                "INSERT INTO workspace_members (workspace, member) VALUES (%s, %s) "
                "ON CONFLICT DO NOTHING",
                [(BUSINESS, f"whatsapp:{number}") for number in numbers],
            )
    redis = Redis.from_url(redis_url)
    try:
        await redis.incr(f"{namespace}:workspaces:version")
    finally:
        await redis.aclose()


async def stored_duplicates(database_url: str, since: datetime) -> int:
    """Messages of this run (stored since `since`) with more than one stored reply."""
    import psycopg

    url = database_url.replace("postgresql+psycopg://", "postgresql://", 1)
    async with await psycopg.AsyncConnection.connect(url) as conn:
        cursor = await conn.execute(
            "SELECT count(*) FROM (SELECT reply_to_id FROM messages WHERE role = 'assistant' "
            "AND reply_to_id IS NOT NULL AND created_at >= %s GROUP BY reply_to_id "
            "HAVING count(*) > 1) AS twice",
            (since,),
        )
        row = await cursor.fetchone()
    return int(row[0]) if row else 0


def _figures(
    driver: Driver,
    stored_duplicates: int,
    targets: list[Server],
    before: list[dict[str, float]],
    after: list[dict[str, float]],
    started: float,
    warmup: float,
    ended: float,
    duration: float,
) -> dict[str, Any]:
    turns = driver.turns
    measured = [t for t in turns if t.sent >= warmup]
    window_end = started + duration
    done = [t for t in measured if t.done]
    in_window = [t for t in turns if warmup <= t.done <= window_end]
    lost = [t for t in turns if not t.done and not t.refused]  # acknowledged, never answered
    slack = [t for t in done if t.conversation.channel == "slack"]
    whatsapp = [t for t in done if t.conversation.channel == "whatsapp"]
    conversations = {id(t.conversation): t.conversation for t in turns}.values()

    def spread(values: list[float]) -> dict[str, float]:
        return {"p50": ms(percentile(values, 50)), "p99": ms(percentile(values, 99))}

    acks = [t.ack - t.sent for t in measured if t.ack]
    figures: dict[str, Any] = {
        "replicas": len(targets),
        "conversations": len(conversations),
        "duration_s": duration,
        "turn_timeout_s": driver.turn_timeout,
        "turns_sent": len(turns),
        "turns_completed": sum(1 for t in turns if t.done),
        "turns_per_s": round(len(in_window) / max(1e-9, window_end - warmup), 2),
        "ack_ms": spread(acks),
        "ack_ms_over_target": sum(1 for a in acks if a * 1000 > ACK_TARGET_P99_MS),
        "healthz_ms": spread([d for s in targets for at, d in s.healthz if at >= warmup]),
        "ack_server_ms": {
            channel: histogram_quantiles(before, after, "castmatch_ack_seconds", channel)
            for channel in ("slack", "whatsapp")
        },
        "context_assembly_ms": histogram_quantiles(before, after, "castmatch_context_seconds"),
        "first_text_ms": {
            "slack": spread([t.first_text - t.sent for t in slack if t.first_text]),
            "whatsapp": spread([t.first_text - t.sent for t in whatsapp if t.first_text]),
        },
        "reply_ms": spread([t.done - t.sent for t in done]),
        "errors": {
            "http": driver.http_errors,
            "replies_with_a_failure_note": sum(1 for t in turns if t.note),
        },
        "lost_replies": len(lost),
        # A duplicate: one message answered twice, seen where the person sees it (more whole
        # replies than messages sent) and where it is stored (two replies to one message).
        "duplicated_replies": sum(
            max(0, _whole_replies(driver.doubles, c) - c.sent) for c in conversations
        ),
        "duplicated_replies_stored": stored_duplicates,
        "stray_messages": sum(c.stray for c in conversations),
        # A reply that took longer than a person waits (or never came): the load was more
        # than the service answers in time (a sustained load has none).
        "replies_over_turn_timeout": sum(
            1
            for t in turns
            if not t.refused and (not t.done or t.done - t.sent > driver.turn_timeout)
        ),
        "backlog": [growth.backlog(s.samples, warmup - started, duration) for s in targets],
        "rss_mb": [
            {
                "start": _rss_at(s, 1),
                "after_warmup": _rss_at(s, warmup - started),
                "end": _rss_at(s, ended - started),
                "growth_after_warmup": round(
                    _rss_at(s, ended - started) - _rss_at(s, warmup - started), 1
                ),
            }
            for s in targets
        ],
        "rss_growth": [growth.summary(s.samples, warmup - started, duration) for s in targets],
        "rss_timeline": [growth.timeline(s.samples) for s in targets],
    }
    return figures


# -- command line ----------------------------------------------------------------------------


def _bench_urls(database: str = "castmatch_load") -> tuple[str, str, Any]:
    """The configured servers (or the embedded ones) and a fresh database named `database`."""
    import psycopg

    from bot.embedded import EmbeddedServers, database_url_for
    from bot.settings import load_settings

    settings = load_settings()
    embedded = None
    base, redis_url = settings.sqlalchemy_url, settings.redis_url
    if not base or not redis_url:
        embedded = EmbeddedServers(settings.data_path)
        urls = embedded.start()
        base, redis_url = base or urls.database_url, redis_url or urls.redis_url
    admin = base.replace("postgresql+psycopg://", "postgresql://", 1)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{database}"')
    return database_url_for(base, database), redis_url, embedded


async def _main(args: argparse.Namespace) -> int:
    import tempfile

    duration = 600.0 if args.full else args.duration
    # The 10-minute run is about memory, not throughput: by default a load the service
    # sustains on two shared cores (FULL_*), so its RSS is not a growing backlog's.
    if args.conversations is None:
        args.conversations = FULL_CONVERSATIONS if args.full else 500
    if args.rate is None:
        args.rate = FULL_RATE if args.full else 0.0
    extra = {"CASTMATCH_MEMORY_INDEX_MB": str(args.memory_index_mb)} if args.memory_index_mb else {}
    if args.tracemalloc:  # the servers report their Python heap (/metrics); costs CPU
        extra["PYTHONTRACEMALLOC"] = "1"
    database_url, redis_url, embedded = await asyncio.to_thread(_bench_urls, args.database)
    results: dict[str, Any] = {}
    try:
        for replicas in (1, 2) if args.replicas == 0 else (args.replicas,):
            folder = Path(tempfile.mkdtemp(prefix="castmatch-load-"))
            name = "one_process" if replicas == 1 else f"{replicas}_replicas"
            cap = f"at most {args.rate:g} turns/s" if args.rate else "no rate cap"
            print(f"load: {name}, {args.conversations} conversations, {cap}, {duration:.0f} s…",
                  file=sys.stderr, flush=True)  # fmt: skip
            results[name] = await run_load(
                database_url=database_url, redis_url=redis_url,
                namespace=f"castmatch-load-{secrets.token_hex(3)}", data_dir=folder,
                conversations=args.conversations, duration=duration, replicas=replicas,
                token_rate=args.token_rate, rate=args.rate, server_extra=extra,
            )  # fmt: skip
    finally:
        if embedded is not None:
            await asyncio.to_thread(embedded.release)
    shown = {name: {k: v for k, v in run.items() if k != "rss_timeline"}
             for name, run in results.items()}  # fmt: skip
    print(json.dumps(shown, indent=2))
    if args.out:
        out = Path(args.out)
        await asyncio.to_thread(out.write_text, json.dumps(results, indent=2))
        plotted = await asyncio.to_thread(growth.write, out)
        if plotted:
            print(f"plot written to {plotted}", file=sys.stderr)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load", description=__doc__)
    parser.add_argument(
        "--conversations", type=int, default=None,
        help=f"people talking (default 500; with --full {FULL_CONVERSATIONS})",
    )  # fmt: skip
    parser.add_argument("--duration", type=float, default=60.0, help="seconds per run")
    parser.add_argument("--full", action="store_true", help="10 minutes per run")
    parser.add_argument("--replicas", type=int, default=0, help="1 or 2 (default: both runs)")
    parser.add_argument("--token-rate", type=float, default=50.0, help="Claude tokens/s")
    parser.add_argument(
        "--rate", type=float, default=None,
        help="at most this many turns sent a second over all conversations (0: no cap; "
        f"default none, with --full {FULL_RATE})",
    )  # fmt: skip
    parser.add_argument(
        "--tracemalloc", action="store_true",
        help="trace the servers' Python heap (sampled with RSS; slows them)",
    )  # fmt: skip
    parser.add_argument(
        "--memory-index-mb", type=int, default=0,
        help="the servers' CASTMATCH_MEMORY_INDEX_MB (default: theirs, 512)",
    )  # fmt: skip
    parser.add_argument("--out", default="", help="also write the JSON figures here")
    parser.add_argument(
        "--database", default="castmatch_load", help="the database to (re)create and load"
    )
    return asyncio.run(_main(parser.parse_args()))


if __name__ == "__main__":
    sys.exit(main())
