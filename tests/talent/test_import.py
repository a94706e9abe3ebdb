"""Catalogue import: validation with line numbers, idempotent upserts, exit codes, duplicates."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from talent.cli import import_command
from talent.importer import import_file
from talent.index import catalogue_index
from talent.models import Talent
from talent.reader import UnreadableFile
from tests.talent.conftest import profile, write_jsonl


async def test_good_and_bad_rows_report_line_numbers(services, tmp_path: Path, prefix: str) -> None:
    path = write_jsonl(
        tmp_path / "cat.jsonl",
        [
            profile(prefix + "1"),
            profile(prefix + "2", gender="robot"),
            "{not json",
            profile(prefix + "3", height_cm=400),
            {"name": "No Id"},
            profile(prefix + "4", skills="kalari;horse riding", credits=["Raat Files (2019)"]),
        ],
    )
    report = await import_file(services, path)
    assert (report.added, report.updated, report.unchanged) == (2, 0, 0)
    reasons = {r.number: r.reason for r in report.rejected}
    assert sorted(reasons) == [2, 3, 4, 5]
    assert "gender" in reasons[2]
    assert "JSON" in reasons[3]
    assert "height_cm" in reasons[4]
    assert "id" in reasons[5]
    async with services.sessions() as session:
        row = await session.scalar(select(Talent).where(Talent.id == prefix + "4"))
        vector = await session.scalar(select(Talent.embedding).where(Talent.id == prefix + "4"))
        has_vector = vector is not None and len(vector) == 384 * 4
    assert has_vector
    assert row.skills == ["kalaripayattu", "horse riding"]
    assert row.credit_years == [2019]
    assert row.playing_age_min is not None


async def test_import_is_idempotent_and_detects_changes(
    services, tmp_path: Path, prefix: str
) -> None:
    records = [profile(prefix + str(n)) for n in range(3)]
    path = write_jsonl(tmp_path / "a.jsonl", records)
    first = await import_file(services, path)
    second = await import_file(services, path)
    assert (first.added, second.added, second.unchanged, second.updated) == (3, 0, 3, 0)
    records[1]["bio"] = "Now a stand-up comedian."
    third = await import_file(services, write_jsonl(tmp_path / "b.jsonl", records))
    assert (third.added, third.updated, third.unchanged) == (0, 1, 2)
    async with services.sessions() as session:
        count = await session.scalar(
            select(Talent.row_id).where(Talent.id.like(prefix + "%")).limit(1)
        )
    assert count is not None
    index = await catalogue_index(services)
    await index.ensure_fresh(force=True)
    assert index.state is not None and index.state.count == index.size


async def test_csv_and_json_formats(services, tmp_path: Path, prefix: str) -> None:
    csv_path = tmp_path / "cat.csv"
    csv_path.write_text(
        "id,name,gender,birth_year,languages,skills,consent,union\n"
        f"{prefix}c1,Asha Rao,F,1990,Kannada;English,yoga;swimming,yes,CINTAA\n"
        f"{prefix}c2,Bad Year,F,nineteen,,,,\n",
        "utf-8",
    )
    report = await import_file(services, csv_path)
    assert report.added == 1 and [r.number for r in report.rejected] == [3]
    async with services.sessions() as session:
        row = await session.scalar(select(Talent).where(Talent.id == prefix + "c1"))
    assert row.gender == "female" and row.languages == ["Kannada", "English"]
    assert row.extra == {"union": "CINTAA"}
    json_path = tmp_path / "cat.json"
    json_path.write_text(json.dumps([profile(prefix + "j1"), {"id": prefix + "j2"}]), "utf-8")
    report = await import_file(services, json_path)
    assert report.unit == "record" and report.added == 1
    assert [r.number for r in report.rejected] == [2]


async def test_possible_duplicates_are_reported(services, tmp_path: Path, prefix: str) -> None:
    name = f"Rohan Dupe {prefix}"
    path = write_jsonl(
        tmp_path / "d.jsonl",
        [profile(prefix + "a", name=name), profile(prefix + "b", name=name.upper())],
    )
    report = await import_file(services, path)
    assert [d.ids for d in report.duplicates] == [(prefix + "a", prefix + "b")]


async def test_unreadable_files(services, tmp_path: Path) -> None:
    with pytest.raises(UnreadableFile):
        await import_file(services, tmp_path / "missing.jsonl")
    (tmp_path / "x.txt").write_text("hello")
    with pytest.raises(UnreadableFile):
        await import_file(services, tmp_path / "x.txt")


async def test_exit_codes_and_output(services, tmp_path: Path, prefix: str, capsys) -> None:
    good = write_jsonl(tmp_path / "g.jsonl", [profile(prefix + "x"), {"id": prefix + "y"}])
    assert await import_command(services, good) == 0
    out, err = capsys.readouterr()
    assert "added 1, updated 0, unchanged 0, rejected 1" in out
    assert "rejected line 2: name:" in err
    bad = write_jsonl(tmp_path / "b.jsonl", [{"id": prefix + "z"}])
    assert await import_command(services, bad) == 2
    assert await import_command(services, tmp_path / "nope.csv") == 2
    broken = tmp_path / "broken.json"
    broken.write_text("[{", "utf-8")
    assert await import_command(services, broken) == 2
    assert "castmatch:" in capsys.readouterr().err
