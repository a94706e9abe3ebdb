"""The erasure test: a person seeded through every path (messages, facts, shortlists,
delivery statuses, memory vectors), then `castmatch forget whatsapp:+…`; afterwards no table,
no Redis key or value and no file under the data folder holds their number."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import text

from adapters.whatsapp.store import WhatsAppStore
from talent.importer import import_file
from tests.doubles.claude import Reply, ToolCall
from tests.doubles.twilio import Callback
from tests.memory.conftest import drain
from tests.talent.conftest import profile, write_jsonl
from tests.whatsapp.conftest import new_wa_id
from tests.whatsapp.fixtures import inbound

TEXTUAL = ("text", "character varying", "jsonb", "json")


async def _tables(stack, needle: str) -> list[str]:
    found = []
    async with stack.services.db.connect() as conn:
        columns = (
            await conn.execute(
                text(
                    "SELECT table_schema, table_name, column_name FROM information_schema.columns "
                    "WHERE table_schema NOT IN ('pg_catalog', 'information_schema') "
                    "AND data_type = ANY(:kinds)"
                ),
                {"kinds": list(TEXTUAL)},
            )
        ).all()
        for schema, table, column in columns:
            count = (
                await conn.execute(
                    text(
                        f'SELECT count(*) FROM "{schema}"."{table}" '
                        f'WHERE "{column}"::text LIKE :needle'
                    ),
                    {"needle": f"%{needle}%"},
                )
            ).scalar_one()
            if count:
                found.append(f"{table}.{column}: {count}")
    return found


async def _redis(stack, needle: str) -> list[str]:
    redis, found = stack.services.redis, []
    async for key in redis.scan_iter(match=stack.services.key("*"), count=1000):
        kind = (await redis.type(key)).decode()
        if kind == "string":
            values = [await redis.get(key) or b""]
        elif kind == "list":
            values = await redis.lrange(key, 0, -1)
        elif kind == "hash":
            values = [k + v for k, v in (await redis.hgetall(key)).items()]
        elif kind == "set":
            values = list(await redis.smembers(key))
        elif kind == "zset":
            values = await redis.zrange(key, 0, -1)
        elif kind == "stream":
            values = [str(e).encode() for e in await redis.xrange(key)]
        else:
            values = []
        if needle.encode() in key or any(needle.encode() in v for v in values):
            found.append(key.decode())
    return found


def _files(root: Path, needle: str) -> list[str]:
    return [
        str(path)
        for path in root.rglob("*")
        if path.is_file() and needle.encode() in path.read_bytes()
    ]


async def test_forget_leaves_no_trace_of_the_number(stack, tmp_path: Path) -> None:
    wa_id = new_wa_id()
    number = f"+{wa_id}"
    talent_id = f"ee-{wa_id[::-1]}"
    await import_file(stack.services, write_jsonl(tmp_path / "e.jsonl", [profile(talent_id)]))
    stack.claude.background_tool_input = lambda body: (
        {"facts": [{"scope": "workspace", "kind": "note", "subject": "callback number",
                    "text": f"Call the coordinator back on {number}"}]}
        if body["tool_choice"]["name"] == "record_facts" else {"summary": f"Talked to {number}"}
    )  # fmt: skip
    stack.twilio.push(Callback("delivered"), Callback("read"), Callback("delivered"))
    stack.claude.push(Reply(f"Noted: call back on {number}."))
    await stack.post(inbound(f"My number is {number}, call me back", wa_id=wa_id))
    await stack.twilio.wait_for(lambda t: len(t.bodies(number)) == 1)
    stack.claude.push(
        ToolCall("shortlist_add", {"talent": [talent_id], "role": f"Lead {talent_id}"}),
        Reply("Added."),
    )
    await stack.post(inbound("shortlist them for the lead", wa_id=wa_id))
    await stack.twilio.wait_for(lambda t: len(t.bodies(number)) == 2)
    await asyncio.sleep(0.5)
    await drain(stack.services)
    data = Path(stack.services.settings.data_dir)
    before = await _tables(stack, wa_id) + await _redis(stack, wa_id)
    assert any(t.startswith("messages.") for t in before), before  # it was all there

    for erase in stack.services.erasers:  # what `castmatch forget whatsapp:+…` runs
        await erase("whatsapp", number)
    await WhatsAppStore(stack.services).forget(number)
    await drain(stack.services)

    assert await _tables(stack, wa_id) == []
    assert await _redis(stack, wa_id) == []
    assert _files(data, wa_id) == []
