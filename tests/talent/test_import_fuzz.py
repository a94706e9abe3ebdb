"""Property tests: whatever a catalogue file holds, the real import (reader, validation,
PostgreSQL upsert, index) finishes cleanly, accounts for every record, and still imports
the valid ones next to the junk."""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
from collections.abc import AsyncIterator
from itertools import count
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from talent.cli import forget_talent, import_command
from talent.importer import ImportReport, import_file
from talent.models import Talent
from talent.profile import TalentRecord
from tests.talent.conftest import profile

FUZZ = settings(
    max_examples=50,
    deadline=None,
    # services/tmp_path are shared by all examples on purpose: one database, fresh files.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
FIELDS = [*profile("x"), "credits", "consent", "agency", "headshot_url", "playing_age_min"]
_files = count()

# Any text, with the characters that broke imports before drawn often.
tricky = st.sampled_from('\x00\u2028\u2029\x85\x0b\x1c\r\ufeff"\\,;')
texts = st.text(alphabet=st.characters() | tricky, max_size=20)  # lone surrogates too
utf8_texts = st.text(alphabet=st.characters(codec="utf-8") | tricky, max_size=12)
# Any JSON value, NaN/Infinity included; deep enough to pass the nesting limit sometimes.
scalars = st.none() | st.booleans() | st.integers() | st.floats() | texts
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
    max_leaves=30,
)
deep_values = st.integers(15, 40).map(lambda depth: json.loads("[" * depth + "]" * depth))


@pytest.fixture
async def fuzz_prefix(services, prefix: str) -> AsyncIterator[str]:
    """The test's id prefix; its profiles are erased afterwards so other tests don't see them."""
    yield prefix
    async with services.sessions() as session:
        ids = (await session.scalars(select(Talent.id).where(Talent.id.startswith(prefix)))).all()
    for talent_id in ids:
        await forget_talent(services, talent_id)


def profile_like(prefix: str) -> st.SearchStrategy[dict[str, Any]]:
    """A plausible profile with some fields replaced by arbitrary values or added extras."""
    return st.builds(
        lambda n, changes, extras: {**profile(f"{prefix}f{n}"), **changes, **extras},
        st.integers(0, 5),
        # Mostly one changed field, so the record is often still valid but carries the junk.
        st.dictionaries(st.sampled_from(FIELDS), scalars | json_values | deep_values, max_size=2),
        st.dictionaries(texts, scalars | json_values | deep_values, max_size=2),
    )


def records(prefix: str) -> st.SearchStrategy[list[Any]]:
    like = profile_like(prefix)
    return st.lists(like | like | json_values | deep_values, max_size=8)  # mostly profiles


def goods(prefix: str) -> st.SearchStrategy[list[dict[str, Any]]]:
    """Valid profiles; bios stamped unique (a stored bio proves this run wrote it) and framed
    by non-space so CSV and JSON trim them alike."""
    bios = st.text(
        st.characters(codec="utf-8", exclude_characters="\x00")
        | tricky.filter(lambda c: c != "\x00")
    )
    return st.lists(
        st.builds(
            lambda n, bio: profile(f"{prefix}g{n}", bio=f"Bio {bio} #{next(_files)}"),
            st.integers(0, 9),
            bios,
        ),
        max_size=3,
        unique_by=lambda p: p["id"],
    )


def new_path(tmp_path: Path, suffix: str) -> Path:
    return tmp_path / f"fuzz{next(_files)}{suffix}"


async def assert_accounted(services, report: ImportReport, seen: int, good: list[dict]) -> None:
    """Counts add up, every reject is numbered with a one-line reason, good records landed."""
    numbers = [r.number for r in report.rejected]
    assert report.added + report.updated + report.unchanged + len(numbers) == seen
    assert len(set(numbers)) == len(numbers)
    assert all(1 <= n <= seen + 10**6 for n in numbers)  # a real position, not 0 or negative
    assert all(r.reason.strip() and "\n" not in r.reason for r in report.rejected)
    if good:
        async with services.sessions() as session:
            stored = dict(
                (
                    await session.execute(
                        select(Talent.id, Talent.bio).where(Talent.id.in_([g["id"] for g in good]))
                    )
                ).all()
            )
        assert stored == {g["id"]: TalentRecord.model_validate(g).bio for g in good}


@FUZZ
@given(data=st.data())
async def test_any_jsonl_lines_import_cleanly(
    services, tmp_path: Path, fuzz_prefix: str, data: st.DataObject
) -> None:
    junk = data.draw(records(fuzz_prefix))
    good = data.draw(goods(fuzz_prefix))
    raw_lines = data.draw(st.lists(texts.map(lambda t: t.replace("\n", " ")), max_size=3))
    ascii_only = data.draw(st.booleans())  # False writes U+2028 etc. raw inside strings
    lines = [json.dumps(v, ensure_ascii=ascii_only) for v in [*good, *junk]] + raw_lines
    lines = data.draw(st.permutations(lines))
    path = new_path(tmp_path, ".jsonl")
    # surrogatepass: a raw lone surrogate becomes an invalid UTF-8 line, rejected on its own.
    path.write_bytes("\n".join(lines).encode("utf-8", "surrogatepass"))
    report = await import_file(services, path)
    assert report.unit == "line"
    good_lines = {n for n, line in enumerate(lines, 1) for g in good if line == json.dumps(g)}
    assert not good_lines & {r.number for r in report.rejected}
    assert all(r.number <= len(lines) for r in report.rejected)
    content = "\n".join(lines).removeprefix("\ufeff").split("\n")  # a leading BOM isn't data
    await assert_accounted(services, report, sum(1 for x in content if x.strip()), good)


@FUZZ
@given(data=st.data())
async def test_any_json_array_imports_cleanly(
    services, tmp_path: Path, fuzz_prefix: str, data: st.DataObject
) -> None:
    items = data.draw(
        st.permutations([*data.draw(goods(fuzz_prefix)), *data.draw(records(fuzz_prefix))])
    )
    good = [
        i
        for i in items
        if isinstance(i, dict) and str(i.get("id", "")).startswith(fuzz_prefix + "g")
    ]
    wrapped = data.draw(st.sampled_from([items, {"talent": items}, {"profiles": items}]))
    path = new_path(tmp_path, ".json")
    text = json.dumps(wrapped, ensure_ascii=data.draw(st.booleans()))
    if not text.isascii():
        try:
            text.encode()
        except UnicodeEncodeError:  # a raw lone surrogate can't be written: escape it
            text = json.dumps(wrapped)
    path.write_text(text, "utf-8")
    report = await import_file(services, path)
    assert report.unit == "record"
    assert all(r.number <= len(items) for r in report.rejected)
    await assert_accounted(services, report, len(items), good)


@FUZZ
@given(data=st.data())
async def test_any_csv_rows_import_cleanly(
    services, tmp_path: Path, fuzz_prefix: str, data: st.DataObject
) -> None:
    extra_columns = data.draw(
        st.lists(
            utf8_texts.filter(lambda t: t.strip() and t.strip() not in FIELDS),
            max_size=2,
            unique_by=str.strip,
        )
    )
    header = ["id", "name", "bio", "birth_year", "languages", "height_cm", *extra_columns]
    good = data.draw(goods(fuzz_prefix))
    # Junk rows are often valid (ids under the prefix, so the fixture erases them afterwards).
    numbers = st.sampled_from(["", "1990", "170", "nan", "inf", "9" * 30]) | utf8_texts
    junk_row = st.tuples(
        st.sampled_from(["", " "]) | utf8_texts.map(lambda t: f"{fuzz_prefix}j{t}"),
        utf8_texts,
        utf8_texts,
        numbers,
        utf8_texts,
        numbers,
        *[utf8_texts] * len(extra_columns),
    ).map(list)
    junk = data.draw(st.lists(junk_row, max_size=8))
    good_rows = [
        [g["id"], g["name"], g["bio"], "1990", "Hindi;Tamil", "170"] + [""] * len(extra_columns)
        for g in good
    ]
    rows = data.draw(st.permutations(good_rows + junk))
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, *rows])
    path = new_path(tmp_path, ".csv")
    path.write_text(buffer.getvalue(), "utf-8")
    report = await import_file(services, path)
    # A junk row that happens to reuse a good id would legitimately reject the later copy.
    good = [g for g in good if sum(r[0].strip() == g["id"] for r in rows) == 1]
    await assert_accounted(
        services, report, sum(1 for r in rows if any(c.strip() for c in r)), good
    )


@FUZZ
@given(
    content=st.binary(max_size=300)
    | st.text(max_size=300).map(str.encode)
    | st.lists(json_values, max_size=5).map(lambda v: "\n".join(map(json.dumps, v)).encode()),
    suffix=st.sampled_from([".jsonl", ".json", ".csv", ".jsonl.gz", ".csv.gz"]),
    gzipped=st.booleans(),
)
async def test_any_bytes_exit_0_or_2_with_numbered_rejects(
    services, tmp_path: Path, capsys, content: bytes, suffix: str, gzipped: bool
) -> None:
    path = new_path(tmp_path, suffix)
    path.write_bytes(gzip.compress(content) if gzipped and suffix.endswith(".gz") else content)
    code = await import_command(services, path)
    out, err = capsys.readouterr()
    assert code in (0, 2)
    for line in err.splitlines():
        assert re.match(
            r"(rejected (line|record) [1-9]\d*: \S|castmatch: \S|possible duplicate)", line
        ), line
    if code == 0:
        assert "rejected" in out
