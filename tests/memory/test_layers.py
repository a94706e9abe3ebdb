"""Each layer on its own, against real Redis and PostgreSQL: working memory, facts, FAISS."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import numpy as np
from sqlalchemy import select

from memory.episodic import Turn
from memory.facts import FactStore, NewFact
from memory.models import Fact, MemoryItem
from memory.runtime import get_memory
from memory.semantic import Batch, SemanticIndex, person_partition, to_blob
from memory.timefilter import parse_time_range
from tests.memory.conftest import DAY1, days, unique


async def test_working_memory_keeps_the_last_turns_with_a_ttl(services):
    working = get_memory(services).working
    conversation = unique("conv")
    await working.replace(conversation, [])
    for n in range(working.turns + 5):
        await working.append(conversation, [Turn("user", f"m{n}", DAY1, "u", n + 1)])
    turns, complete = await working.recent(conversation)
    assert complete and len(turns) == working.turns
    assert turns[-1].text == f"m{working.turns + 4}" and turns[-1].message_id == working.turns + 5
    ttl = await services.redis.ttl(working.turns_key(conversation))
    assert 0 < ttl <= working.ttl_s


async def test_a_lost_working_memory_is_rebuilt_from_postgres(engine, claude, services):
    from tests.doubles.claude import Reply
    from tests.doubles.reply import RecordingReply
    from tests.memory.conftest import say

    ws, user = unique("ws"), unique("u")
    for text in ("We are casting Khaki Nights.", "The lead is a cop."):
        claude.push(Reply("ok"))
        await engine.handle(say(text, workspace=ws, user=user), RecordingReply())
    key = say("x", workspace=ws, user=user).key
    working = get_memory(services).working
    await services.redis.delete(working.turns_key(key.id))  # eviction, TTL, restart
    claude.push(Reply("ok"))
    await engine.handle(say("Who fits?", workspace=ws, user=user), RecordingReply())
    assert "Khaki Nights" in claude.requests[-1]["messages"][0]["content"]
    turns, complete = await working.recent(key.id)
    assert complete and [t.text for t in turns][:2] == ["We are casting Khaki Nights.", "ok"]


async def test_a_new_fact_supersedes_the_old_one_which_is_kept(services):
    facts = FactStore(services.sessions)
    ws = unique("ws")
    budget = lambda text: [NewFact("workspace", "note", "attr:budget:khaki", text)]  # noqa: E731
    await facts.add(
        budget("Budget is 5 lakh."),
        workspace=ws,
        owner="slack:A",
        source_message_id=1,
        stated_at=DAY1,
    )
    await facts.add(
        budget("Budget is now 8 lakh."),
        workspace=ws,
        owner="slack:B",
        source_message_id=2,
        stated_at=DAY1 + days(2),
    )
    await facts.add(
        budget("Budget is now 8 lakh."),
        workspace=ws,
        owner="slack:B",
        source_message_id=3,
        stated_at=DAY1 + days(3),
    )  # said again: no duplicate
    # an older statement replayed late stays history
    await facts.add(
        budget("Budget is 6 lakh."),
        workspace=ws,
        owner="slack:A",
        source_message_id=4,
        stated_at=DAY1 + days(1),
    )
    current = await facts.current(ws, "slack:A")
    assert [f.text for f in current] == ["Budget is now 8 lakh."]
    history = await facts.history(ws, "slack:A", "attr:budget:%")
    assert [f.text for f in history] == [
        "Budget is 5 lakh.",
        "Budget is 6 lakh.",
        "Budget is now 8 lakh.",
    ]
    assert history[0].superseded_at == DAY1 + days(2)
    assert await facts.superseded_sources(ws, [1, 2]) == {1: DAY1 + days(2)}


async def test_preferences_belong_to_their_person(services):
    facts = FactStore(services.sessions)
    ws = unique("ws")
    await facts.add(
        [NewFact("person", "preference", "pref:length", "I prefer short answers.")],
        workspace=ws,
        owner="slack:A",
        source_message_id=None,
        stated_at=DAY1,
    )
    assert [f.text for f in await facts.current(ws, "slack:A")] == ["I prefer short answers."]
    assert await facts.current(ws, "slack:B") == []
    assert await facts.current(unique("other"), "slack:A") == []


async def _store(services, partition: str, vectors: np.ndarray, ats: list[datetime]) -> list[int]:  # type: ignore[no-untyped-def]
    rows = [
        MemoryItem(
            partition=partition,
            workspace="ws",
            owner="slack:A",
            kind="message",
            ref_id=n,
            at=at,
            embedding=to_blob(v),
        )
        for n, (v, at) in enumerate(zip(vectors, ats, strict=True))
    ]
    async with services.sessions.begin() as session:
        session.add_all(rows)
        await session.flush()
    return [row.id for row in rows]


def _vectors(n: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    v = rng.standard_normal((n, 384)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


async def test_index_persists_rebuilds_and_catches_up(services, tmp_path):
    partition = person_partition(unique("ws"), "slack:A")
    vectors = _vectors(30)
    ats = [DAY1 + days(n) for n in range(30)]
    ids = await _store(services, partition, vectors[:20], ats[:20])

    def fresh() -> SemanticIndex:
        return SemanticIndex(
            tmp_path / "idx", services.sessions, services.redis, services.settings.redis_namespace
        )

    first = fresh()
    await first.add(
        partition,
        Batch(np.array(ids), np.array([a.timestamp() for a in ats[:20]]), np.zeros(20, np.int8),
              np.arange(20), np.zeros(20, bool), [f"text {n}" for n in range(20)],
              vectors[:20]),
    )  # fmt: skip
    hits = await first.search([partition], vectors[7], 3)
    assert hits[0].item_id == ids[7]
    assert first.path(partition).exists()

    second = fresh()  # another process: reads the file, no rebuild
    assert (await second.search([partition], vectors[3], 1))[0].item_id == ids[3]
    assert second.stats.loads == 1 and second.stats.rebuilds == 0

    # rows added behind its back (another process, a replay): the search that notices
    # answers from what is loaded and catches up in the background, incrementally
    more = await _store(services, partition, vectors[20:], ats[20:])
    await services.redis.incr(f"{services.settings.redis_namespace}:memver:{partition}")
    await second.search([partition], vectors[25], 1)  # notices; may answer from the old items
    async with asyncio.timeout(30):
        while second.stats.incremental_syncs < 1:  # noqa: ASYNC110 (a background task's work)
            await asyncio.sleep(0.01)
    assert (await second.search([partition], vectors[25], 1))[0].item_id == more[5]
    assert second.stats.incremental_syncs == 1 and second.stats.rebuilds == 0

    first.path(partition).unlink()  # lost file: rebuilt from PostgreSQL
    third = fresh()
    assert (await third.search([partition], vectors[29], 1))[0].item_id == more[9]
    assert third.stats.rebuilds == 1

    # time filter: only the items dated inside the range
    since, until = (DAY1 + days(10)).timestamp(), (DAY1 + days(15)).timestamp()
    hits = await third.search([partition], vectors[2], 30, since=since, until=until)
    assert sorted(h.item_id for h in hits) == (ids + more)[10:15]


async def test_a_partition_written_twice_at_once_keeps_a_whole_file(services, tmp_path):
    partition = person_partition(unique("ws"), "slack:A")
    vectors = _vectors(40)
    ats = [DAY1 + days(n) for n in range(40)]
    ids = await _store(services, partition, vectors, ats)
    index = SemanticIndex(
        tmp_path / "idx", services.sessions, services.redis, services.settings.redis_namespace
    )
    await index.add(
        partition,
        Batch(np.array(ids), np.array([a.timestamp() for a in ats]), np.zeros(40, np.int8),
              np.arange(40), np.zeros(40, bool), [f"text {n}" for n in range(40)], vectors),
    )  # fmt: skip
    part = index._loaded[partition]
    await asyncio.gather(*(asyncio.to_thread(index._write, partition, part) for _ in range(8)))
    reread = SemanticIndex(
        tmp_path / "idx", services.sessions, services.redis, services.settings.redis_namespace
    )
    assert (await reread.search([partition], vectors[31], 1))[0].item_id == ids[31]
    assert reread.stats.rebuilds == 0
    assert [p.name for p in index.path(partition).parent.iterdir()] == [
        index.path(partition).name
    ]  # no temporary file left behind


async def test_stored_vectors_are_float16_of_the_embedding(services):
    async with services.sessions() as session:
        row = (await session.execute(select(MemoryItem).limit(1))).scalar_one_or_none()
    if row is not None:
        vector = np.frombuffer(row.embedding, np.float16)
        assert vector.shape == (384,) and abs(float(np.linalg.norm(vector)) - 1) < 0.01


def test_time_phrases():
    now = datetime(2026, 11, 10, 15, 0, tzinfo=UTC)  # Tuesday
    last_week = parse_time_range("who did we consider for the cop role last week?", now)
    assert last_week and last_week.start == datetime(2026, 11, 2, tzinfo=UTC)
    assert parse_time_range("pichle hafte kisko dekha tha?", now).label == "last week"
    assert parse_time_range("कल किसको देखा?", now).label == "yesterday"
    assert parse_time_range("3 days ago we met someone", now).holds(
        datetime(2026, 11, 7, 12, tzinfo=UTC)
    )
    assert parse_time_range("who is good for the cop role?", now) is None


def test_a_question_naming_a_date_or_month_asks_about_it():
    now = datetime(2026, 11, 10, 15, 0, tzinfo=UTC)
    day = parse_time_range("What did we decide on 3 March?", now)
    assert day and day.label == "03 March 2026"  # no year: the latest 3 March before now
    assert day.holds(datetime(2026, 3, 3, 18, tzinfo=UTC))
    assert not day.holds(datetime(2026, 3, 6, tzinfo=UTC))
    for text in ("Who did Maria meet on May 3, 2023?", "what happened on 3rd may 2023",
                 "Who called on 3 May, 2023?"):  # fmt: skip
        named = parse_time_range(text, now)
        assert named and named.holds(datetime(2023, 5, 3, 12, tzinfo=UTC)), text
    month = parse_time_range("Which studio did we book in December?", now)
    assert month and month.label == "December 2025"  # the last December, not the coming one
    assert month.holds(datetime(2025, 12, 31, 23, tzinfo=UTC))
    assert not month.holds(datetime(2026, 1, 1, 0, tzinfo=UTC))
    assert parse_time_range("in May 2022 who auditioned?", now).label == "May 2022"
    assert parse_time_range("You may shortlist her", now) is None  # "may", the verb
    assert parse_time_range("budget on 31 February?", now) is None  # no such day


def test_rule_extraction_of_casting_facts():
    from memory.extract import extract_facts

    subjects = {
        f.subject
        for f in extract_facts(
            "We are casting Khaki Nights. Shortlist Rohan Mehra and Vikram Singh for the cop role."
        )
    }
    assert subjects == {"project:khaki nights", "talent:rohan mehra:cop", "talent:vikram singh:cop"}
    dropped = extract_facts("Drop Rohan Mehra from the cop role: accent is off.")
    assert [f.subject for f in dropped] == ["talent:rohan mehra:cop"]
    hinglish = extract_facts("Inspector Yadav ke role ke liye Aman Gupta ko shortlist karo")
    assert [f.subject for f in hinglish] == ["talent:aman gupta:inspector yadav"]
    assert [f.subject for f in extract_facts("Budget ab 8 lakh hai.")] == ["attr:budget:"]
    assert [f.scope for f in extract_facts("I prefer short answers.")] == ["person"]
    assert extract_facts("hello there, how are you?") == []
    # a question states nothing; the sentence after it still does
    asked = extract_facts("Should we drop Rohan Mehra from the cop role? Book Aman Gupta for it.")
    assert [(f.subject, f.text) for f in asked] == [
        ("talent:aman gupta:any", "Book Aman Gupta for it.")
    ]
    assert extract_facts("Do you prefer short answers?") == []
    assert Fact.__tablename__ == "memory_facts"


async def test_idle_episodes_are_closed_summarised_and_indexed(engine, claude, services):
    from sqlalchemy import func

    from memory.models import Episode
    from tests.doubles.claude import Reply
    from tests.doubles.reply import RecordingReply
    from tests.memory.conftest import drain, say

    ws, user = unique("ws"), unique("u")
    for n, text in enumerate(
        (
            "We are casting Khaki Nights.",
            "The lead is a Marathi cop.",
            "Shortlist Rohan Mehra for the cop role.",
        )
    ):
        claude.push(Reply("Noted, will do."))
        await engine.handle(
            say(text, workspace=ws, user=user, at=DAY1 + days(n * 0.01)), RecordingReply()
        )
    await drain(services)
    memory = get_memory(services)
    assert await memory.writer.close_idle_episodes(DAY1 + days(1)) >= 1
    async with services.sessions() as session:
        episode = (
            await session.execute(select(Episode).where(Episode.workspace == ws))
        ).scalar_one()
        vectors = (
            await session.execute(
                select(func.count())
                .select_from(MemoryItem)
                .where(MemoryItem.kind == "episode", MemoryItem.ref_id == episode.id)
            )
        ).scalar_one()
    assert episode.closed and "Khaki Nights" in episode.summary and episode.messages == 3
    assert vectors == 1


async def test_the_index_keeps_ram_within_its_budget_and_reloads_what_it_dropped(
    services, tmp_path
):
    index = SemanticIndex(
        tmp_path / "idx", services.sessions, services.redis, services.settings.redis_namespace,
        max_bytes=130_000,  # about two partitions of 20 items (~61 KB each)
    )  # fmt: skip
    vectors = _vectors(20)
    ats = [DAY1 + days(n) for n in range(20)]
    partitions, first_ids = [], []
    for _ in range(5):
        partition = person_partition(unique("ws"), "slack:A")
        ids = await _store(services, partition, vectors, ats)
        await index.add(
            partition,
            Batch(np.array(ids), np.array([a.timestamp() for a in ats]), np.zeros(20, np.int8),
                  np.arange(20), np.zeros(20, bool), [f"text {n}" for n in range(20)], vectors),
        )  # fmt: skip
        partitions.append(partition)
        first_ids.append(ids)
    assert index.loaded_partitions() <= 2
    assert index.stats.evictions >= 3
    loads = index.stats.loads
    hits = await index.search([partitions[0]], vectors[4], 1)  # dropped from RAM, not lost
    assert hits[0].item_id == first_ids[0][4]
    assert index.stats.loads == loads + 1


class _HeldFacts(FactStore):
    """A fact store whose reads finish only when let go: a read under way, held open."""

    def __init__(self, *args: object) -> None:
        super().__init__(*args)
        self.reads = 0
        self.let_go = asyncio.Event()

    async def _state(self, workspace: str):  # type: ignore[no-untyped-def]
        self.reads += 1
        state = await super()._state(workspace)
        await self.let_go.wait()
        return state


async def test_one_fact_read_serves_a_turn_but_never_outlives_a_change(services):
    facts = _HeldFacts(services.sessions, services.redis, services.settings.redis_namespace)
    ws = unique("ws")
    # a turn's recall and its current facts ask at once: one read answers both
    first = asyncio.create_task(facts.current(ws, "slack:A"))
    second = asyncio.create_task(facts.current(ws, "slack:A"))
    await asyncio.sleep(0.05)
    assert facts.reads == 1
    await facts.add(
        [NewFact("workspace", "note", "attr:budget:khaki", "Budget is 5 lakh.")],
        workspace=ws,
        owner="slack:A",
        source_message_id=1,
        stated_at=DAY1,
    )
    facts.let_go.set()
    # asked after the change: the read that began before it is not handed out
    assert [f.text for f in await facts.current(ws, "slack:A")] == ["Budget is 5 lakh."]
    assert await first == await second == []
