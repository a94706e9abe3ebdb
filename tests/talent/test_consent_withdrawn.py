"""A person who withdrew consent stays on a shortlist only as "(withdrawn)": no name, no
details, nothing in memory's shortlist lines and nothing in an export."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from bot.tools import ToolContext
from talent.importer import import_file
from tests.talent.conftest import message, profile, write_jsonl


async def test_withdrawn_talent_show_as_withdrawn_everywhere(
    services, tmp_path: Path, prefix: str
) -> None:
    gone, kept = prefix + "gone", prefix + "kept"
    name = f"Zoravar Quill {prefix}"
    records = [profile(gone, name=name, city="Nagpur"), profile(kept, name="Kept Person")]
    await import_file(services, write_jsonl(tmp_path / "a.jsonl", records))
    workspace = prefix + "ws"
    ctx = ToolContext(message(workspace), services)
    run = services.tools.run
    await run("shortlist_add", {"talent": [gone, kept], "role": "Lead"}, ctx)
    await run("shortlist_note", {"talent": gone, "note": "lives near Dadar station"}, ctx)
    await run(
        "shortlist_set_status", {"talent": [gone], "status": "dropped", "reason": "asthma"}, ctx
    )

    withdrawn = [profile(gone, name=name, city="Nagpur", consent=False)]
    await import_file(services, write_jsonl(tmp_path / "b.jsonl", withdrawn))

    shown = await run("shortlist_show", {}, ctx)
    entries = {e["talent_id"]: e for e in shown.content["entries"]}
    text = shown.as_text()
    assert entries[gone]["name"] == "(withdrawn)"
    for detail in (name, "Nagpur", "Dadar", "asthma"):
        assert detail not in text, detail
    assert entries[kept]["name"] == "Kept Person"

    lines = await services.shortlists.lines(workspace)
    assert all(name not in line.text and "asthma" not in line.text for line in lines)
    assert any("(withdrawn)" in line.text for line in lines)

    exported = await run("shortlist_export", {}, ctx)
    rows = list(csv.DictReader(io.StringIO(exported.content["csv"])))
    assert [r["talent_id"] for r in rows] == [kept]
    assert "withdrawn" not in exported.content["csv"] and name not in exported.content["csv"]
