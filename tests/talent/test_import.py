"""Catalogue import: validation with line numbers, idempotent upserts, exit codes, duplicates."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from talent.cli import import_command
from talent.importer import import_file, import_records
from talent.index import catalogue_index
from talent.models import Talent
from talent.profile import TalentRecord
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


# Regressions from the input-robustness audit: each of these crashed the import or lost data.


async def _stored(services, talent_id: str) -> Talent | None:
    async with services.sessions() as session:
        return await session.scalar(select(Talent).where(Talent.id == talent_id))


def _reasons(report) -> dict[int, str]:
    return {r.number: r.reason for r in report.rejected}


async def test_nul_character_in_bio_rejects_only_that_record(
    services, tmp_path: Path, prefix: str
) -> None:
    path = write_jsonl(
        tmp_path / "nul.jsonl",
        [profile(prefix + "1"), profile(prefix + "2", bio="a\x00b"), profile(prefix + "3")],
    )
    report = await import_file(services, path)
    assert report.added == 2
    assert _reasons(report) == {2: "bio: contains a NUL character"}
    assert await _stored(services, prefix + "3") is not None


async def test_nul_character_in_unknown_field_or_its_name_is_rejected(
    services, tmp_path: Path, prefix: str
) -> None:
    path = write_jsonl(
        tmp_path / "extra.jsonl",
        [
            profile(prefix + "1", union={"note": "x\x00"}),
            profile(prefix + "2", **{"un\x00ion": "CINTAA"}),
            profile(prefix + "3", union="CINTAA"),
        ],
    )
    report = await import_file(services, path)
    reasons = _reasons(report)
    assert sorted(reasons) == [1, 2] and report.added == 1
    assert all("NUL" in reason for reason in reasons.values())


async def test_nan_and_infinity_numbers_are_rejected_per_record(
    services, tmp_path: Path, prefix: str
) -> None:
    path = write_jsonl(
        tmp_path / "nan.jsonl",
        [
            json.dumps(profile(prefix + "1", rating=float("nan"))),  # json.dumps writes NaN
            json.dumps(profile(prefix + "2", height_cm=float("inf"))),
            json.dumps(profile(prefix + "3")).replace("165", "1e999"),  # overflows to inf
            profile(prefix + "4"),
        ],
    )
    report = await import_file(services, path)
    reasons = _reasons(report)
    assert sorted(reasons) == [1, 2, 3] and report.added == 1
    assert "rating: not a finite number" in reasons[1]
    assert "height_cm: not a finite number" in reasons[2]


async def test_deeply_nested_jsonl_line_is_rejected(services, tmp_path: Path, prefix: str) -> None:
    deep = "[" * 100_000 + "]" * 100_000
    nested = json.dumps(profile(prefix + "1")).replace('"Mumbai"', deep)
    moderately = profile(prefix + "2", extra_info=json.loads("[" * 30 + "]" * 30))
    path = write_jsonl(tmp_path / "deep.jsonl", [nested, moderately, profile(prefix + "3")])
    report = await import_file(services, path)
    reasons = _reasons(report)
    assert sorted(reasons) == [1, 2] and report.added == 1
    assert "nested too deeply" in reasons[1]
    assert "nested more than" in reasons[2]


async def test_deeply_nested_json_file_exits_2_with_one_line_reason(
    services, tmp_path: Path, capsys
) -> None:
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000, "utf-8")
    assert await import_command(services, path) == 2
    err = capsys.readouterr().err
    assert "nested too deeply" in err and len(err.strip().splitlines()) == 1


async def test_unicode_line_separators_inside_jsonl_strings_import(
    services, tmp_path: Path, prefix: str
) -> None:
    bio = "Line one\u2028line two\u2029three\x85four\x0bfive"
    path = tmp_path / "sep.jsonl"
    lines = [json.dumps(profile(prefix + "1", bio=bio), ensure_ascii=False), "{oops"]
    path.write_text("\n".join(lines) + "\n", "utf-8")
    report = await import_file(services, path)
    assert report.added == 1
    assert [r.number for r in report.rejected] == [2]  # line numbers don't shift
    row = await _stored(services, prefix + "1")
    assert row is not None and "\u2028" in row.bio


async def test_invalid_utf8_line_is_rejected_and_the_rest_imports(
    services, tmp_path: Path, prefix: str
) -> None:
    path = tmp_path / "latin1.jsonl"
    good = json.dumps(profile(prefix + "1")).encode()
    bad = (
        json.dumps(profile(prefix + "2", name="Jos\u00e9"))
        .encode("utf-8")
        .replace(b"\\u00e9", b"\xe9")
    )
    path.write_bytes(b"\xef\xbb\xbf" + good + b"\n" + bad + b"\n")  # with a BOM, too
    report = await import_file(services, path)
    assert report.added == 1
    assert _reasons(report) == {2: "not valid UTF-8"}


async def test_invalid_utf8_csv_or_json_exits_2(services, tmp_path: Path, capsys) -> None:
    for name in ("bad.csv", "bad.json"):
        path = tmp_path / name
        path.write_bytes(b"id,name\n1,Jos\xe9\n" if name.endswith("csv") else b'[{"id": "\xe9"}]')
        assert await import_command(services, path) == 2
        assert "not valid UTF-8" in capsys.readouterr().err


@pytest.mark.parametrize(
    "header, row",
    [
        ("\ufeffid,name", "{prefix}b1,Bom Person"),  # a BOM keeps the id column
        ("id,name,,", "{prefix}t1,Trail Ing,,"),  # a trailing comma in the header
    ],
)
async def test_csv_header_quirks_still_import(
    services, tmp_path: Path, prefix: str, header: str, row: str
) -> None:
    path = tmp_path / "quirk.csv"
    path.write_bytes(f"{header}\n{row.format(prefix=prefix)}\n".encode())
    report = await import_file(services, path)
    assert report.added == 1 and not report.rejected


async def test_json_object_is_one_profile_and_a_scalar_exits_2(
    services, tmp_path: Path, prefix: str
) -> None:
    single = tmp_path / "one.json"
    single.write_text(json.dumps(profile(prefix + "o1")), "utf-8")
    assert (await import_file(services, single)).added == 1
    wrapped = tmp_path / "wrapped.json"
    wrapped.write_text(json.dumps({"talent": "not a list"}), "utf-8")
    assert await import_command(services, wrapped) == 2


async def test_csv_without_header_or_with_repeated_columns_exits_2(
    services, tmp_path: Path, capsys
) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("", "utf-8")
    assert await import_command(services, empty) == 2
    repeated = tmp_path / "repeated.csv"
    repeated.write_text("id,name, id\n1,Ann,2\n", "utf-8")
    assert await import_command(services, repeated) == 2
    assert "repeats column 'id'" in capsys.readouterr().err


async def test_csv_field_over_128_kib_imports_and_over_1_mib_is_rejected(
    services, tmp_path: Path, prefix: str
) -> None:
    path = tmp_path / "big.csv"
    path.write_text(
        "id,name,bio\n"
        f'{prefix}1,Long Bio,"{"x" * 200_000}"\n'
        f'{prefix}2,Huge Bio,"{"y" * 2_000_000}"\n'
        f"{prefix}3,Short Bio,ok\n",
        "utf-8",
    )
    report = await import_file(services, path)
    assert report.added == 2
    reasons = _reasons(report)
    assert list(reasons) == [3] and "field larger than" in reasons[3]
    row = await _stored(services, prefix + "1")
    assert row is not None and len(row.bio) == 200_000


async def test_huge_numbers_are_rejected_not_overflowed(
    services, tmp_path: Path, prefix: str
) -> None:
    path = write_jsonl(
        tmp_path / "huge.jsonl",
        [
            profile(prefix + "1", birth_year=10**30),
            profile(prefix + "2", height_cm=-(10**30)),
            profile(prefix + "3", playing_age_min=2**40),
            '{"id": "x", "name": "y", "birth_year": ' + "9" * 5000 + "}",
            profile(prefix + "5", credits=[{"title": "Epic", "year": 10**20}]),
            profile(prefix + "6"),
        ],
    )
    report = await import_file(services, path)
    reasons = _reasons(report)
    assert sorted(reasons) == [1, 2, 3, 4, 5] and report.added == 1
    assert "birth_year" in reasons[1] and "height_cm" in reasons[2]
    assert "more than 100 digits" in reasons[4]


async def test_lone_surrogate_is_rejected(services, tmp_path: Path, prefix: str) -> None:
    bad = profile(prefix + "1", name="Bad \ud800 Name")  # json.dumps escapes it as \\ud800
    path = write_jsonl(tmp_path / "sur.jsonl", [bad, profile(prefix + "2")])
    report = await import_file(services, path)
    assert report.added == 1 and "unpaired surrogate" in _reasons(report)[1]


async def test_values_too_long_for_their_columns_are_rejected(
    services, tmp_path: Path, prefix: str
) -> None:
    path = write_jsonl(
        tmp_path / "long.jsonl",
        [
            profile(prefix + "1", languages=["x" * 61]),
            profile(prefix + "2", skills=["y" * 81]),
            profile(prefix + "3", name="\u3371" * 300),  # NFKD makes the name key 900 long
        ],
    )
    report = await import_file(services, path)
    assert sorted(_reasons(report)) == [1, 2] and report.added == 1


async def test_a_row_the_database_refuses_does_not_lose_the_batch(services, prefix: str) -> None:
    good = TalentRecord.model_validate(profile(prefix + "1"))
    # Bypasses validation, as a future validation gap would: PostgreSQL refuses the NUL.
    bad = TalentRecord.model_validate(profile(prefix + "2")).model_copy(update={"bio": "a\x00"})
    report = await import_records(services, [good, bad], numbers=[4, 7])
    assert report.added == 1
    assert [r.number for r in report.rejected] == [7]
    assert "could not be stored" in report.rejected[0].reason
    assert await _stored(services, prefix + "1") is not None
