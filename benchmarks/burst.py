"""A burst across channels against a real `castmatch serve`: many Slack mentions and WhatsApp
messages arriving within a few seconds, each a new conversation, one message each.

    python -m benchmarks.burst [--slack 100] [--whatsapp 50] [--within 5] [--channels 5]

Slack's own limits (about one post a second per channel, edits and appends per workspace)
legitimately slow the Slack replies when many share a channel; they must not slow the
WhatsApp ones. Claude is the double streaming a ~310-token, six-paragraph answer at
`--token-rate` tokens/s after `--first-token` seconds. Reported per channel: the webhook's
answer (ack) p50/p99 as the client sees it, message → first visible text p50/p95, message →
whole reply p50/p95, the last reply's completion after the burst began; replies missing or
shown twice (targets: ack p99 < 50 ms, WhatsApp first text p95 < 2 s, every reply once).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import random
import secrets
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import aiohttp
import psutil

from benchmarks.load import (
    Doubles,
    Driver,
    Turn,
    _bench_urls,
    _whole_replies,
    admit_coordinators,
    histogram_quantiles,
    sample,
    scrape,
    server_env,
    servers,
)
from benchmarks.stats import ms, percentile

# ~310 tokens in six paragraphs, the shape of a casting answer.
BURST_REPLY = (
    "Here are four actors worth a look for the inspector: each speaks Haryanvi, has played "
    "police or army roles before, and sits inside the 38-46 playing range you asked for.\n\n"
    "Rohan Kulkarni (38-45, Mumbai) has the strongest screen presence of the group. His "
    "recent web-series cop was praised for restraint, and he is free from mid-March.\n\n"
    "Vikram Hooda (40-46, Delhi) grew up in Rohtak, so the dialect is his own. He has done "
    "two features and a long theatre run; his showreel has a good interrogation scene.\n\n"
    "Anil Sangwan (37-43, Chandigarh) is theatre-trained and physically imposing. He is on "
    "a pencil hold for another project until the 20th, so confirm dates before an audition.\n\n"
    "Suresh Dahiya (41-46, Gurgaon) is the least known but reads very naturally on tape; "
    "his self-tape from last month is in the folder if you want a quick look first.\n\n"
    "Shall I shortlist any of them for the inspector, or look wider (Punjabi speakers who "
    "can manage the accent, or a younger range for the sub-inspector)?"
)
ACK_TARGET_P99_MS = 50.0
WHATSAPP_FIRST_TEXT_TARGET_P95_MS = 2000.0


async def run_burst(
    *,
    database_url: str,
    redis_url: str,
    namespace: str,
    data_dir: Path,
    slack: int = 100,
    whatsapp: int = 50,
    within_s: float = 5.0,
    channels: int = 5,
    token_rate: float = 50.0,
    first_token_s: float = 0.3,
    timeout_s: float = 300.0,
) -> dict[str, Any]:
    doubles = Doubles(token_rate, BURST_REPLY, first_token_s, varied=False)
    await doubles.start()
    env = server_env(doubles, database_url, redis_url, namespace, data_dir)
    try:
        async with servers(env, 1) as targets, aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=0)
        ) as session:  # fmt: skip
            driver = Driver(doubles, targets, 0.0, timeout_s)
            driver.session = session
            talking = driver.conversations(2 * max(slack, whatsapp))
            slack_side = [c for c in talking if c.channel == "slack"][:slack]
            whatsapp_side = [c for c in talking if c.channel == "whatsapp"][:whatsapp]
            for index, conversation in enumerate(slack_side):  # one workspace, a few channels
                conversation.team, conversation.channel_id = "T0BURST", f"CBURST{index % channels}"
            await admit_coordinators(
                database_url, redis_url, namespace, [c.key for c in whatsapp_side]
            )
            await asyncio.sleep(2.0)  # the membership version reaches the server
            people = slack_side + whatsapp_side
            questions = _questions(len(people))
            before = [await scrape(session, server) for server in targets]
            cpu_before = {pid: _cpu_s(ps) for pid, ps in _tree(targets).items()}
            sampling = asyncio.Event()
            began = time.perf_counter()
            sampler = asyncio.create_task(sample(targets, session, sampling, began, driver))

            async def one(index: int) -> None:
                await asyncio.sleep(random.uniform(0, within_s))
                conversation = people[index]
                turn = Turn(conversation, sent=time.perf_counter())
                conversation.open.append(turn)
                conversation.sent += 1
                driver.turns.append(turn)
                await driver._send(conversation, turn, questions[index])

            await asyncio.gather(*(one(i) for i in range(len(people))))
            deadline = time.perf_counter() + timeout_s
            while any(not t.done and not t.refused for t in driver.turns):
                if time.perf_counter() > deadline:
                    break
                await asyncio.sleep(0.1)
            sampling.set()
            await sampler
            after = [await scrape(session, server) for server in targets]
            cpu = {pid: _cpu_s(ps) - cpu_before.get(pid, 0.0) for pid, ps in _tree(targets).items()}
            figures = _figures(driver, doubles, began, within_s)
            # Inside the worker: the turn began -> first reply text (neither the wait for a
            # turn nor the driver's loop delay is in it), /healthz: the web process's loop delay.
            figures["turn_first_text_ms"] = {
                channel: histogram_quantiles(
                    before, after, "castmatch_first_token_seconds", channel
                )
                for channel in ("slack", "whatsapp")
            }
            lags = [seconds for server in targets for _, seconds in server.healthz]
            figures["healthz_ms"] = {
                "p50": ms(percentile(lags, 50)),
                "p99": ms(percentile(lags, 99)),
            }
            figures["server_cpu_s"] = {str(pid): round(used, 1) for pid, used in cpu.items()}
            return figures
    finally:
        await doubles.close()


def _tree(targets: list[Any]) -> dict[int, psutil.Process]:
    """Each server process and its children (a replica's turn worker)."""
    found = {}
    for server in targets:
        with contextlib.suppress(psutil.Error):
            for ps in [server.ps, *server.ps.children(recursive=True)]:
                found[ps.pid] = ps
    return found


def _cpu_s(ps: psutil.Process) -> float:
    try:
        times = ps.cpu_times()
    except psutil.Error:
        return 0.0
    return float(times.user + times.system)


def _questions(count: int) -> list[str]:
    """Varied texts (so no embedding cache skips work): casting questions with varied roles,
    places and languages."""
    roles = ["inspector", "mother", "college student", "villain", "doctor", "shopkeeper"]
    places = ["Pune", "Mumbai", "Delhi", "Lucknow", "Kolkata", "Chennai", "Indore"]
    tongues = ["Marathi", "Hindi", "Bengali", "Tamil", "Haryanvi", "Punjabi", "Gujarati"]
    return [
        f"Who could play the {random.choice(roles)} aged {random.randint(18, 60)}, speaking "
        f"{random.choice(tongues)}, based in {random.choice(places)}? ({secrets.token_hex(3)})"
        for _ in range(count)
    ]


def _figures(driver: Driver, doubles: Doubles, began: float, within_s: float) -> dict[str, Any]:
    def spread(values: list[float], high: int) -> dict[str, float]:
        return {"p50": ms(percentile(values, 50)), f"p{high}": ms(percentile(values, high))}

    result: dict[str, Any] = {"within_s": within_s}
    for channel in ("slack", "whatsapp"):
        turns = [t for t in driver.turns if t.conversation.channel == channel]
        done = [t for t in turns if t.done]
        result[channel] = {
            "messages": len(turns),
            "ack_ms": spread([t.ack - t.sent for t in turns if t.ack], 99),
            "first_text_ms": spread([t.first_text - t.sent for t in done if t.first_text], 95),
            "reply_ms": spread([t.done - t.sent for t in done], 95),
            "last_reply_s": round(max((t.done for t in done), default=began) - began, 1),
            "missing": sum(1 for t in turns if not t.done),
            "refused": sum(1 for t in turns if t.refused),
            "with_failure_note": sum(1 for t in turns if t.note),
        }
    conversations = {id(t.conversation): t.conversation for t in driver.turns}.values()
    result["duplicated_replies"] = sum(
        max(0, _whole_replies(doubles, c) - c.sent) for c in conversations
    )
    acks = [t.ack - t.sent for t in driver.turns if t.ack]
    result["ack_p99_ms"] = ms(percentile(acks, 99))
    result["ack_target_p99_ms"] = ACK_TARGET_P99_MS
    result["whatsapp_first_text_target_p95_ms"] = WHATSAPP_FIRST_TEXT_TARGET_P95_MS
    return result


async def _main(args: argparse.Namespace) -> int:
    database_url, redis_url, embedded = await asyncio.to_thread(_bench_urls, args.database)
    try:
        figures = await run_burst(
            database_url=database_url, redis_url=redis_url,
            namespace=f"castmatch-burst-{secrets.token_hex(3)}",
            data_dir=Path(tempfile.mkdtemp(prefix="castmatch-burst-")),
            slack=args.slack, whatsapp=args.whatsapp, within_s=args.within,
            channels=args.channels, token_rate=args.token_rate,
        )  # fmt: skip
    finally:
        if embedded is not None:
            await asyncio.to_thread(embedded.release)
    text = json.dumps(figures, indent=2)
    print(text)
    if args.out:
        await asyncio.to_thread(Path(args.out).write_text, text)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.burst", description=__doc__)
    parser.add_argument("--slack", type=int, default=100)
    parser.add_argument("--whatsapp", type=int, default=50)
    parser.add_argument("--within", type=float, default=5.0, help="seconds the burst lasts")
    parser.add_argument("--channels", type=int, default=5, help="Slack channels it lands in")
    parser.add_argument("--token-rate", type=float, default=50.0, help="Claude tokens/s")
    parser.add_argument("--out", default="", help="also write the JSON figures here")
    parser.add_argument("--database", default="castmatch_burst", help="recreated for the run")
    return asyncio.run(_main(parser.parse_args()))


if __name__ == "__main__":
    sys.exit(main())
