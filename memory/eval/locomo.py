"""LoCoMo (snap-research/LoCoMo): evidence recall on long, real multi-session conversations.

The data set (`data/locomo10.json`) is CC BY-NC 4.0, so it is never part of this
repository: `CASTMATCH_LOCOMO_PATH` points at a copy (default `<data dir>/locomo10.json`),
and without one the evaluation says so and is skipped.

Each conversation becomes one person's history in a workspace of its own: both speakers'
turns are that person's messages (`SPEAKER: text`, a shared photo as its caption), sent
session by session through the real engine (a fresh `Engine` per session, every message
dated within its session), with a Claude double answering "Noted.". The background memory
work (episodes, facts, vectors) is the product's own; it is waited for after each session.
Each question is then asked in a new conversation of that person, two days after the last
session, and the context the engine would send is checked: did every evidence turn reach
it (as a recalled message, a recent turn or the source of a fact shown), and how many
tokens it took. Categories as the data set numbers them: 1 multi-hop, 2 temporal,
3 open-domain, 4 single-hop; 5 (adversarial: unanswerable) is left out.

`conv-26` and `conv-30` are never used (held out from all tuning); `conv-41` … `conv-50`
are split into a development half and a test half.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from bot.engine import Engine
from bot.llm.base import Responder
from bot.services import Services
from bot.types import ConversationKey, InboundMessage
from memory.lexical import terms
from memory.models import MemoryItem, Message
from memory.runtime import get_memory
from memory.tokens import estimate_tokens
from memory.writer import MIN_INDEXED_CHARS

CATEGORIES = {1: "multi_hop", 2: "temporal", 3: "open_domain", 4: "single_hop"}
HELD_OUT = ("conv-26", "conv-30")  # never loaded: the product is checked on unseen data too
DEV = ("conv-41", "conv-42", "conv-43", "conv-44")
TEST = ("conv-47", "conv-48", "conv-49", "conv-50")
SPLITS = {"dev": DEV, "test": TEST}
LICENCE = "LoCoMo (snap-research/LoCoMo), CC BY-NC 4.0: read from a local copy, never committed"
TURN_GAP = timedelta(seconds=30)
ASKED_AFTER = timedelta(days=2)
_EVIDENCE = re.compile(r"D(\d+):(\d+)")
_DATE = re.compile(r"(\d{1,2}):(\d{2})\s*([ap]m)\s+on\s+(\d{1,2})\s+(\w+),?\s+(\d{4})", re.I)


def data_path(data_dir: Path | None = None) -> Path:
    configured = os.environ.get("CASTMATCH_LOCOMO_PATH", "")
    if configured:
        return Path(configured).expanduser()
    return (data_dir or Path(".castmatch")) / "locomo10.json"


@dataclass(frozen=True)
class Turn:
    dia_id: str  # "D3:12"
    speaker: str
    text: str  # as the person's message: "SPEAKER: text"


@dataclass(frozen=True)
class Session:
    number: int
    at: datetime
    turns: tuple[Turn, ...]


@dataclass(frozen=True)
class Question:
    text: str
    category: int
    evidence: tuple[str, ...]
    answer: str = ""  # the data set's answer: only to tell whether a cut line lost it


@dataclass
class LocomoConversation:
    id: str
    speakers: tuple[str, str]
    sessions: list[Session] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)


def parse_date(text: str) -> datetime:
    """ "1:56 pm on 8 May, 2023" → an aware datetime (UTC)."""
    match = _DATE.search(text)
    if not match:
        raise ValueError(f"unreadable session date {text!r}")
    hour, minute, half, day, month, year = match.groups()
    hour_24 = int(hour) % 12 + (12 if half.lower() == "pm" else 0)
    parsed = datetime.strptime(f"{day} {month} {year}", "%d %B %Y")
    return parsed.replace(hour=hour_24, minute=int(minute), tzinfo=UTC)


def _evidence(raw: Sequence[str]) -> tuple[str, ...]:
    """Evidence ids, normalised ("D30:05" → "D30:5"; "D9:1 D4:4" → two ids)."""
    ids = [f"D{int(s)}:{int(t)}" for item in raw for s, t in _EVIDENCE.findall(str(item))]
    return tuple(dict.fromkeys(ids))


def load(path: Path, ids: Sequence[str]) -> list[LocomoConversation]:
    wanted = [i for i in ids if i not in HELD_OUT]
    raw = {c["sample_id"]: c for c in json.loads(path.read_text(encoding="utf-8"))}
    out = []
    for cid in wanted:
        sample = raw[cid]
        body = sample["conversation"]
        conv = LocomoConversation(cid, (body["speaker_a"], body["speaker_b"]))
        numbers = sorted(
            int(k.split("_")[1])
            for k, v in body.items()
            if re.fullmatch(r"session_\d+", k) and isinstance(v, list) and v
        )
        for n in numbers:
            turns = []
            for turn in body[f"session_{n}"]:
                text = str(turn.get("text", "")).strip()
                caption = str(turn.get("blip_caption", "") or "").strip()
                if caption:
                    text = f"{text} (shared a photo: {caption})".strip()
                turns.append(Turn(turn["dia_id"], turn["speaker"], f"{turn['speaker']}: {text}"))
            at = parse_date(body[f"session_{n}_date_time"])
            conv.sessions.append(Session(n, at, tuple(turns)))
        for qa in sample["qa"]:
            if qa.get("category") in CATEGORIES:
                conv.questions.append(
                    Question(
                        str(qa["question"]),
                        int(qa["category"]),
                        _evidence(qa["evidence"]),
                        str(qa.get("answer", "")),
                    )
                )
        out.append(conv)
    return out


def _person(conv: LocomoConversation) -> str:
    return f"locomo-{conv.id}"


async def feed(
    services: Services,
    make_responder: Callable[[], Responder],
    conv: LocomoConversation,
    ws: str,
    reply: Callable[[], Any],
    drain: Callable[[], Any],
) -> dict[str, int]:
    """Send every session through a fresh engine, in order, and wait for memory's background
    work after each. Returns dia id → stored message id."""
    memory = get_memory(services)
    key = ConversationKey("console", ws, "dm")  # one person's chat with the assistant
    prefix = f"{ws}/"
    for session in conv.sessions:
        engine = Engine(services, make_responder())
        for n, turn in enumerate(session.turns):
            message = InboundMessage(
                key=key,
                user_id=_person(conv),
                text=turn.text,
                message_id=prefix + turn.dia_id,
                received_at=session.at + n * TURN_GAP,
            )
            await engine.handle(message, reply())
        await drain()
    # the periodic sweep closes (and summarises) the last session's episode meanwhile
    await memory.writer.close_idle_episodes(conv.sessions[-1].at + ASKED_AFTER)
    await drain()
    return await stored_ids(services, ws)


async def stored_ids(services: Services, ws: str) -> dict[str, int]:
    """dia id → message id of the turns stored for a workspace (empty: not fed yet)."""
    async with services.sessions() as session:
        rows = await session.execute(
            select(Message.platform_message_id, Message.id).where(
                Message.workspace == ws, Message.role == "user"
            )
        )
        return {pid.removeprefix(f"{ws}/"): mid for pid, mid in rows.all() if pid}


async def unfinished(services: Services, conv: LocomoConversation, ws: str) -> str:
    """Why a conversation kept in the database can't be asked again ("" when it can): a
    feed that died part-way leaves some turns stored, or stored but never indexed, and
    asking those would report a recall that measures the accident."""
    turns = sum(len(s.turns) for s in conv.sessions)
    stored = await stored_ids(services, ws)
    async with services.sessions() as session:
        indexed = await session.scalar(
            select(func.count())
            .select_from(MemoryItem)
            .where(MemoryItem.workspace == ws, MemoryItem.kind == "message")
        )
        # lines too short to recall ("Nate: Bye!") are stored but never indexed by design
        indexable = await session.scalar(
            select(func.count()).where(
                Message.workspace == ws,
                Message.role == "user",
                func.length(func.trim(Message.text)) >= MIN_INDEXED_CHARS,
            )
        )
    if len(stored) < turns or (indexed or 0) < (indexable or 0):
        return (
            f"{conv.id}: {len(stored)} of {turns} turns stored and {indexed} indexed in this "
            "database (an earlier feed stopped part-way): feed it into a fresh --database"
        )
    return ""


async def ask(
    services: Services, conv: LocomoConversation, ws: str, ids: dict[str, int]
) -> list[dict[str, Any]]:
    """Each question in a new conversation of the person; what reached the context."""
    memory = get_memory(services)
    own = set(ids.values())
    asked_at = conv.sessions[-1].at + ASKED_AFTER
    said = {ids[t.dia_id]: t.text for s in conv.sessions for t in s.turns if t.dia_id in ids}
    rows = []
    for n, question in enumerate(conv.questions):
        evidence = [ids[e] for e in question.evidence if e in ids]
        if not evidence:
            continue  # the data set names no turn that exists: nothing to check
        message = InboundMessage(
            key=ConversationKey("console", ws, f"question-{n}"),
            user_id=_person(conv),
            text=question.text,
            message_id=secrets.token_hex(8),
            received_at=asked_at,
        )
        context = await memory.context.build(message, 0)
        found = [e in context.sources for e in evidence]
        shown = set(terms(context.memory))
        answer = set(terms(question.answer))
        # evidence shown in part whose answer words (those the whole turn holds) are nowhere
        # in the context: counted as found above, though what answers was cut away
        cut = [e for e in evidence if e in context.focused
               and not (answer & set(terms(said.get(e, "")))) <= shown]  # fmt: skip
        considered = [e in context.sources or e in context.considered for e in evidence]
        rows.append(
            {
                "conversation": conv.id,
                "question": question.text,
                "category": CATEGORIES[question.category],
                # each missed evidence turn's place in recall's ranking (None: never offered)
                "missed_ranks": [
                    context.considered.get(e)
                    for e, shown in zip(evidence, found, strict=True)
                    if not shown
                ],
                "found": all(found),
                "evidence_found": sum(found),
                "evidence": len(found),
                "evidence_considered": sum(considered),
                "evidence_in_part": sum(e in context.focused for e in evidence),
                "answer_cut": len(cut),
                "tokens": context.tokens,
                "rendered_tokens": estimate_tokens(context.memory)
                + sum(estimate_tokens(str(m["content"])) for m in context.messages),
                "leaks": len(context.sources - own),
                "assemble_ms": context.assemble_ms,
                "embed_ms": context.embed_ms,
            }
        )
    return rows


def pct(values: Sequence[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    if not rows:
        return {"questions": 0}

    def recall(subset: list[dict[str, Any]]) -> float:
        return round(sum(r["found"] for r in subset) / len(subset), 3) if subset else float("nan")

    def recall_kept(subset: list[dict[str, Any]]) -> float:
        kept = sum(r["found"] and not r["answer_cut"] for r in subset)
        return round(kept / len(subset), 3) if subset else float("nan")

    by_category = {name: [r for r in rows if r["category"] == name] for name in CATEGORIES.values()}
    tokens = [r["tokens"] for r in rows]
    rendered = [r["rendered_tokens"] for r in rows]
    return {
        "questions": len(rows),
        "evidence_recall": recall(rows),
        "by_category": {
            name: {"recall": recall(subset), "questions": len(subset)}
            for name, subset in by_category.items()
        },
        "evidence_turn_recall": round(
            sum(r["evidence_found"] for r in rows) / sum(r["evidence"] for r in rows), 3
        ),
        # evidence turns that missed the context, and of those the ones recall never offered
        # the budget (no ranking or budget can show them: retrieval has to find them first)
        "evidence_turns_missed": sum(r["evidence"] - r["evidence_found"] for r in rows),
        # evidence turns that reached the context only as their sentences about the question
        # (`lexical.focused`) or without its asking sentences (`lexical.told`), not whole:
        # counted as found, said here so the figure is read so
        "evidence_turns_found_in_part": sum(r["evidence_in_part"] for r in rows),
        # of those, the turns whose answer words (as the data set gives the answer, those the
        # whole turn holds) are nowhere in the context; and the recall without the questions
        # they count as found
        "evidence_turns_answer_cut": sum(r["answer_cut"] for r in rows),
        "evidence_recall_answer_kept": recall_kept(rows),
        "missed_never_considered": sum(r["evidence"] - r["evidence_considered"] for r in rows),
        # the missed evidence turns by their place in recall's ranking: how far below what the
        # budget held they were (a budget holds some 100 LoCoMo lines), or never offered
        "missed_by_rank": _by_rank([m for r in rows for m in r["missed_ranks"]]),
        "context_tokens_mean": round(statistics.mean(tokens)),
        "context_tokens_p95": pct(tokens, 95),
        "context_tokens_max": max(tokens),
        "rendered_tokens_p95": pct(rendered, 95),
        "assemble_ms_p99": round(pct([r["assemble_ms"] for r in rows], 99), 2),
        "leaks": sum(r["leaks"] for r in rows),
    }


RANK_BANDS = (100, 200)  # places in recall's ranking the missed evidence is counted by


def _by_rank(ranks: list[int | None]) -> dict[str, int]:
    low = 0
    bands: dict[str, int] = {}
    for high in RANK_BANDS:
        bands[f"{low}-{high - 1}"] = sum(r is not None and low <= r < high for r in ranks)
        low = high
    bands[f"{low}+"] = sum(r is not None and r >= low for r in ranks)
    bands["never"] = sum(r is None for r in ranks)
    return bands


async def evaluate(
    services: Services,
    make_responder: Callable[[], Responder],
    reply: Callable[[], Any],
    drain: Callable[[], Any],
    *,
    path: Path,
    splits: Sequence[str] = ("dev", "test"),
    limit: int | None = None,
    run: str = "",
    only: Sequence[str] = (),
    explain: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Both halves (or `splits`), each with its figures; `limit` conversations per half, or
    `only` the conversations named (so several processes can feed one database at once).
    With a `run` name, conversations that run already stored are asked again, not fed.
    `explain` collects the development half's rows, question by question (for tuning); the
    test half's questions and failures are never listed: they must not be read."""
    run = run or secrets.token_hex(3)
    results: dict[str, Any] = {"data": LICENCE}
    for split in splits:
        started = time.perf_counter()
        rows: list[dict[str, Any]] = []
        names = tuple(n for n in SPLITS[split] if not only or n in only)[:limit]
        for conv in load(path, names):
            ws = f"locomo-{run}-{conv.id}"
            ids = await stored_ids(services, ws)
            if ids and (reason := await unfinished(services, conv, ws)):
                raise ValueError(reason)
            ids = ids or await feed(services, make_responder, conv, ws, reply, drain)
            rows += await ask(services, conv, ws, ids)
        if explain is not None and split == "dev":
            explain.extend(rows)
        results[split] = summarise(rows) | {
            "conversations": ",".join(names),
            "seconds": round(time.perf_counter() - started, 1),
        }
    return results
