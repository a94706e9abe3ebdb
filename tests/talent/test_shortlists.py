"""Shortlists through the Claude tools: roles, references, statuses, history, export."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from bot.embedding import MAX_QUERY_TOKENS, _first_tokens
from bot.shown import Shown, last_ids, remember
from bot.tools import ToolContext
from talent.importer import import_file
from tests.talent.conftest import message, profile, write_jsonl


async def _setup(services, tmp_path: Path, prefix: str) -> list[str]:
    ids = [prefix + n for n in ("rohan", "meera", "kabir", "tara")]
    names = ["Rohan Malik", "Meera Nair", "Kabir Shah", "Tara Gill"]
    records = [profile(i, name=n) for i, n in zip(ids, names, strict=True)]
    await import_file(services, write_jsonl(tmp_path / "s.jsonl", records))
    return ids


async def run(services, ctx: ToolContext, name: str, **args):
    outcome = await services.tools.run(name, args, ctx)
    return outcome


async def test_shortlist_flow_with_references(services, tmp_path: Path, prefix: str) -> None:
    ids = await _setup(services, tmp_path, prefix)
    ctx = ToolContext(message(prefix + "ws"), services)
    await remember(services, ctx.message.key, [Shown(i) for i in ids])
    assert await last_ids(services, ctx.message.key) == ids

    # no role yet: the tool says so, so Claude asks
    outcome = await run(services, ctx, "shortlist_add", talent=["the second one"])
    assert outcome.is_error and "which role" in outcome.content

    outcome = await run(
        services, ctx, "shortlist_add", talent=["the second one"], role="Inspector Yadav"
    )
    assert not outcome.is_error, outcome.content
    assert outcome.content["added"] == [ids[1]]
    # the role is now current: "the last three" goes to Inspector Yadav
    outcome = await run(services, ctx, "shortlist_add", talent=["the last three"])
    names = outcome.content.pop("names")
    assert outcome.content == {
        "role": "Inspector Yadav",
        "added": [ids[2], ids[3]],
        "already_on_list": [ids[1]],
    }
    assert set(names) == {ids[1], ids[2], ids[3]} and all(names.values())
    await run(services, ctx, "shortlist_add", talent=[ids[0]], note="strong Haryanvi")
    outcome = await run(
        services,
        ctx,
        "shortlist_set_status",
        talent=["Rohan"],
        status="dropped",
        reason="dates clash",
    )
    assert outcome.content["entries"][0]["status"] == "dropped"
    await run(services, ctx, "shortlist_set_status", talent=["Meera Nair"], status="callback")
    outcome = await run(services, ctx, "shortlist_note", talent="Kabir", note="check dates")
    assert outcome.content["entry"]["note"] == "check dates"

    callback = await run(services, ctx, "shortlist_show", status="callback")
    assert [e["talent_id"] for e in callback.content["entries"]] == [ids[1]]
    why = await run(services, ctx, "shortlist_show", talent=["Rohan"])
    history = why.content["history"]
    assert history[0]["detail"] == {"from": "considered", "to": "dropped", "reason": "dates clash"}
    assert history[0]["by"] == "console:casting-director"

    moved = await run(services, ctx, "shortlist_move", talent=ids[0], position=1)
    assert moved.content["entries"][0]["talent_id"] == ids[0]
    removed = await run(services, ctx, "shortlist_remove", talent=["Tara"])
    assert removed.content["removed"] == [ids[3]]

    exported = await run(services, ctx, "shortlist_export")
    rows = list(csv.DictReader(io.StringIO(exported.content["csv"])))
    assert [r["talent_id"] for r in rows] == [ids[0], ids[1], ids[2]]
    assert [r["position"] for r in rows] == ["1", "2", "3"]
    assert rows[0]["reason"] == "dates clash"


async def test_current_role_survives_redis_loss(services, tmp_path: Path, prefix: str) -> None:
    ids = await _setup(services, tmp_path, prefix)
    ctx = ToolContext(message(prefix + "ws2"), services)
    outcome = await run(
        services,
        ctx,
        "select_role",
        role="Young Meera",
        project="Monsoon",
        brief="woman in her 20s from Kochi who speaks Malayalam",
    )
    assert outcome.content["filters"] == {
        "gender": "female",
        "age_min": 20,
        "age_max": 29,
        "cities": ["Kochi"],
        "languages": ["Malayalam"],
    }
    rerun = await run(services, ctx, "search_talent", query="", for_role="Young Meera")
    assert rerun.content["filters"] == outcome.content["filters"]
    await services.redis.delete(services.key("current_role", ctx.message.key.id))
    outcome = await run(services, ctx, "shortlist_add", talent=[ids[0]])
    assert outcome.content["role"] == "Young Meera"


async def test_workspaces_do_not_see_each_others_roles(
    services, tmp_path: Path, prefix: str
) -> None:
    ids = await _setup(services, tmp_path, prefix)
    one = ToolContext(message(prefix + "one"), services)
    two = ToolContext(message(prefix + "two"), services)
    await run(services, one, "shortlist_add", talent=[ids[0]], role="Lead")
    shown = await run(services, two, "shortlist_show", role="Lead")
    assert shown.content["entries"] == []


async def test_compare_and_profile(services, tmp_path: Path, prefix: str) -> None:
    ids = await _setup(services, tmp_path, prefix)
    ctx = ToolContext(message(prefix + "ws3"), services)
    await remember(services, ctx.message.key, [Shown(i) for i in ids[:2]])
    compared = await run(services, ctx, "compare_talent", talent=["1", "2"])
    assert [p["id"] for p in compared.content["profiles"]] == ids[:2]
    single = ToolContext(message(prefix + "ws3", chat="C2"), services)
    await remember(services, single.message.key, [Shown(ids[2])])
    shown = await run(services, single, "get_talent_profile", talent="her")
    assert shown.content["name"] == "Kabir Shah"


async def test_a_role_search_embeds_what_was_just_said_even_after_a_long_brief(
    services, tmp_path: Path, prefix: str
) -> None:
    """A query's embedding reads its first tokens only: the words said now ("with a thick
    moustache") must reach it however long the role's saved brief is."""
    await _setup(services, tmp_path, prefix)
    ctx = ToolContext(message(prefix + "ws3"), services)
    brief = " ".join(["a weary small-town police inspector who has seen it all twice over"] * 25)
    await run(services, ctx, "select_role", role="Inspector Yadav", brief=brief)
    asked: list[str] = []
    queries = services.embedder.queries

    async def recording(texts):
        asked.extend(texts)
        return await queries(texts)

    services.embedder.queries = recording
    try:
        await run(
            services, ctx, "search_talent", query="thick moustache", for_role="Inspector Yadav"
        )
    finally:
        del services.embedder.queries
    model = services.embedder._get_model()
    assert asked and all(
        "moustache" in _first_tokens(model, text, MAX_QUERY_TOKENS) for text in asked
    )
