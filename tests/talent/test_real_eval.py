"""The real-people evaluation: its queries, its ground truth rules and its build script."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from benchmarks import talent_real
from talent.profile import TalentRecord

ROOT = Path(__file__).resolve().parents[2]
TODAY = date(2025, 6, 1)


def test_queries_cover_kinds_languages_and_both_halves() -> None:
    queries = talent_real.read_queries()
    assert len(queries) >= 80
    assert len({q["id"] for q in queries}) == len(queries)
    kinds = Counter((q["kind"], q["split"]) for q in queries)
    for kind in ("structured", "credits", "descriptive"):
        assert kinds[(kind, "dev")] >= 10 and kinds[(kind, "test")] >= 10
    # English, Hindi, Marathi and Hinglish at least; a few in other Indian languages too
    assert {"en", "hi", "mr", "hinglish"} <= {q["lang"] for q in queries}


def _fact(pid: str, **fields: object) -> dict[str, object]:
    base: dict[str, object] = {
        "id": pid, "gender": "female", "birth_year": 1985, "languages": ["Hindi"],
        "occupations": [], "credits": [], "lead": "", "consent": True,
    }  # fmt: skip
    base.update(fields)
    return base


TRUTH = {
    "a": _fact("a", credits=[{"title": "Kal Ho Naa Ho", "year": 2003}], lead="Born in Bombay."),
    "b": _fact("b", gender="male", credits=[{"title": "Kal Ho Naa Ho!", "year": 2003}]),
    "c": _fact("c", credits=[{"title": "Kal Ho Naa Ho", "year": 2003}], consent=False),
    "d": _fact("d", birth_year=1960, lead="He lives in Mumbai.", occupations=["singer"]),
}


@pytest.mark.parametrize(
    ("where", "ids"),
    [
        ({"film": "kal ho naa ho"}, {"a", "b"}),  # titles compared without case/punctuation
        ({"film": "Kal Ho Naa Ho", "gender": "male"}, {"b"}),
        ({"worked_with": "a"}, {"b"}),  # never the person themself; consent false never
        ({"born_in": ["Mumbai", "Bombay"]}, {"a"}),  # "lives in Mumbai" is not "born in"
        ({"age": [60, 70]}, {"d"}),
        ({"occupations": ["singer"]}, {"d"}),
        ({"birth_years": [1955, 1964]}, {"d"}),  # born in the 60s (or 1955-64): this year's ages
        ({"birth_years": [1980, 1989], "gender": "male"}, {"b"}),
    ],
)
def test_expected_people_follow_the_source_facts(where: dict, ids: set[str]) -> None:
    assert talent_real.expected(where, TRUTH, TODAY) == ids


def test_violations_allow_three_years_of_playing_age_and_name_consent() -> None:
    assert talent_real.violation(TRUTH["a"], {"age": [43, 50]}, TODAY) is None  # 40 plays 43
    assert talent_real.violation(TRUTH["a"], {"age": [44, 50]}, TODAY) == "age"
    assert talent_real.violation(TRUTH["b"], {"gender": "female"}, TODAY) == "gender"
    assert talent_real.violation(TRUTH["c"], {}, TODAY) == "consent"
    # "born in the 80s" asks for ages 36-45 in 2025: born 1985 (40) is fine, 1960 (65) is not
    assert talent_real.violation(TRUTH["a"], {"birth_years": [1980, 1989]}, TODAY) is None
    assert talent_real.violation(TRUTH["d"], {"birth_years": [1980, 1989]}, TODAY) == "age"


async def test_benchmark_skips_without_the_built_catalogue(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CASTMATCH_REAL_EVAL_DIR", str(tmp_path))
    result = await talent_real.evaluate(None, "unused")  # type: ignore[arg-type]
    assert "skipped" in result and "build_real_eval" in result["skipped"]


def test_build_script_turns_source_rows_into_importable_profiles(tmp_path: Path) -> None:
    wiki = tmp_path / "wiki.csv"
    with wiki.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["", "DOB", "Image", "Summary", "Name"])
        writer.writerow([0, "05-08-1987", "", (
            "Asha Demo (born 5 August 1987)[1] is an Indian film actress, model and singer. "
            "She has appeared in Telugu and Hindi films, starting with Demo Story (2003)."
        ), "Asha Demo"])  # fmt: skip
        writer.writerow([1, "01-02-1914", "", (
            "Old Demo (1 February 1914 – 26 August 2012) was an Indian actor in Hindi films, "
            "known for many character roles over four decades of work."
        ), "Old Demo"])  # fmt: skip
    actors, actresses = tmp_path / "m.csv", tmp_path / "f.csv"
    actors.write_text('"","actor_name","http_link"\n"1","Old Demo","x"\n', "utf-8")
    actresses.write_text('"","actresses_name","http_link"\n"1","Asha Demo","x"\n', "utf-8")
    out = tmp_path / "out"
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build_real_eval.py"), "--wiki", str(wiki),
         "--actors", str(actors), "--actresses", str(actresses), "--out", str(out)],
        check=True, capture_output=True, cwd=ROOT,
    )  # fmt: skip
    records = [json.loads(line) for line in (out / "catalogue.jsonl").read_text().splitlines()]
    assert [r["name"] for r in records] == ["Asha Demo"]  # the deceased actor is left out
    profile = TalentRecord.model_validate(records[0])
    assert profile.gender == "female" and profile.birth_year == 1987
    assert profile.languages == ["Hindi", "Telugu"]
    assert {"title": "Demo Story", "year": 2003, "role": ""} in profile.model_dump()["credits"]
    assert "[1]" not in profile.bio
    truth = json.loads((out / "truth.jsonl").read_text().splitlines()[0])
    assert truth["occupations"] == ["singer", "model"]
    assert "CC BY-SA" in (out / "SOURCE.md").read_text()


def _vocabulary() -> set[str]:
    from talent import query, vocab

    words: set[str] = set(query._GLOSS) | set(query.FEMALE) | set(query.MALE)
    words |= set(query._AGE_WORDS) | set(query._NUM_WORDS)
    for table in (vocab.LANGUAGES, vocab.SKILLS, vocab.CITIES):
        for name, others in table.items():
            words |= {name.lower(), *others}
    return words


def test_no_vocabulary_entry_copies_an_evaluation_query() -> None:
    """Synonyms and glosses come from general sources: none may be a whole evaluation query
    or a phrase of three words or more taken from one."""
    queries = [q["query"].lower().strip(" ?.!") for q in talent_real.read_queries()]
    copied = sorted(
        (entry, text)
        for entry in _vocabulary()
        for text in queries
        if entry == text or (len(entry.split()) >= 3 and f" {entry} " in f" {text} ")
    )
    assert [(entry, text) for entry, text in copied if entry not in _IN_VOCABULARY_FIRST] == []


# Entries the vocabulary held before a blind query happened to use them (see the same list
# in test_phrasing.py): the query shares them, it did not give them
_IN_VOCABULARY_FIRST = {
    "stand up comedian",  # vocabulary since 49f5b82 (2026-12-07 06:26); r1766 written 22:45
}
