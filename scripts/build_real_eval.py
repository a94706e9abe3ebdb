"""Build the real-people evaluation catalogue from public Wikipedia-derived files.

    python scripts/build_real_eval.py --wiki Movie_celeb_wiki_full.csv \
        --actors indian_film_actors.csv --actresses indian_film_actresses.csv \
        --filmographies DIR [--out talent/eval/real]

Sources (see talent/eval/SOURCE.md): the lead sections and birth dates of English Wikipedia
articles on Indian film actors (as collected in the public repository
Joel144/Movie_celeb_crawler), Wikipedia's lists of Indian film actors and actresses and
per-actress filmography tables (as collected in puneeth019/Bollywoodata). Wikipedia text
is CC BY-SA; the built files carry that licence and the attribution in SOURCE.md.

Writes into OUT:
- `catalogue.jsonl`: one import record per living person (the CONTRACT.md schema): what the
  search sees. Skills are the occupations the article's first sentence names besides acting.
- `truth.jsonl`: the facts the evaluation checks, per id, read from the same source fields
  (gender from the list the person is on, birth year, languages and occupations named in the
  lead, credits from the filmography table and "Title (Year)" mentions, the lead itself).
- `SOURCE.md`: where it came from, its licence, and the article titles (attribution).

Nothing here uses CastMatch's parser or vocabulary: the ground truth must not depend on
what is being evaluated.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import re
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any

LANGUAGES = (
    "Hindi", "Tamil", "Telugu", "Malayalam", "Kannada", "Marathi", "Bengali", "Punjabi",
    "Gujarati", "Bhojpuri", "Odia", "Oriya", "Assamese", "English", "Urdu", "Konkani", "Tulu",
)  # fmt: skip
# Words of the first sentence that name an occupation other than acting.
OCCUPATIONS = {
    "singer": "singer",
    "playback singer": "singer",
    "dancer": "dancer",
    "classical dancer": "dancer",
    "model": "model",
    "producer": "producer",
    "film producer": "producer",
    "director": "director",
    "film director": "director",
    "television presenter": "television presenter",
    "television host": "television presenter",
    "presenter": "television presenter",
    "host": "television presenter",
    "anchor": "television presenter",
    "vj": "television presenter",
    "politician": "politician",
    "comedian": "comedian",
    "writer": "writer",
    "screenwriter": "writer",
    "author": "writer",
    "theatre actor": "theatre",
    "theatre artist": "theatre",
    "stage actor": "theatre",
    "beauty pageant titleholder": "model",
    "philanthropist": "philanthropist",
    "entrepreneur": "entrepreneur",
    "businesswoman": "entrepreneur",
    "businessman": "entrepreneur",
    "television actress": "television",
    "television actor": "television",
    "voice actor": "voice actor",
    "dubbing artist": "voice actor",
}
_CITE = re.compile(r"\[(?:\d+|[a-z]|citation needed|note \d+)\]")
_JOINERS = "na|ki|ka|ke|ko|se|aur|of|the|and|to|in|hai|ho|main|mein|de|da|di|e|a|le"
_TITLE_WORD = r"(?:[A-Z0-9][\w'’.!:-]*|(?:" + _JOINERS + r")\b)"
_CREDIT = re.compile(r"((?:[A-Z0-9][\w'’.!:-]*)(?:\s+" + _TITLE_WORD + r"){0,7})\s+\((\d{4})\)")
_NOT_TITLES = {"In", "The", "She", "He", "Her", "His", "After", "Before", "Since", "Her debut"}


def clean(text: str) -> str:
    text = _CITE.sub("", text or "")
    text = re.sub(r"\s*\(pronounced[^)]*\)", "", text)
    return re.sub(r"\s+", " ", text).strip()


def slug(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")


def birth_year(dob: str, lead: str) -> int | None:
    match = re.match(r"\d{2}-\d{2}-(\d{4})$", dob.strip())
    if match:
        return int(match.group(1))
    match = re.search(r"\(born[^)]*?\b(1[89]\d{2}|20[0-2]\d)\b", lead)
    return int(match.group(1)) if match else None


def deceased(lead: str) -> bool:
    """A lead opening '(1 February 1914 – 26 August 2012)' or saying 'was an Indian actor'."""
    head = lead[:400]
    if re.search(r"\(\s*[^)]*\d{4}\s*[–-]\s*[^)]*\d{4}\s*\)", head):
        return True
    return bool(re.search(r"\bwas an? (?:\w+ )?Indian\b", head)) and " is an" not in head


def first_sentence(lead: str) -> str:
    match = re.search(r"\b(?:is|was) an? (.+?)(?:\.\s|\.$|;| who | known | best known )", lead)
    return match.group(1) if match else ""


def occupations(lead: str) -> list[str]:
    sentence = first_sentence(lead).lower()
    sentence = re.sub(r"\b(?:indian|former|bollywood|film|popular|veteran|noted)\b", " ", sentence)
    found: list[str] = []
    for phrase in sorted(OCCUPATIONS, key=len, reverse=True):
        if re.search(r"(?<![\w-])" + re.escape(phrase) + r"s?(?![\w-])", sentence):
            value = OCCUPATIONS[phrase]
            sentence = re.sub(re.escape(phrase), " ", sentence)
            if value not in found:
                found.append(value)
    return found


def languages(lead: str) -> list[str]:
    text = re.sub(r"Tamil Nadu|Kerala State|Bengal Film Journalists'?", " ", lead)
    found = []
    for lang in LANGUAGES:
        if re.search(r"\b" + lang + r"\b", text):
            found.append("Odia" if lang == "Oriya" else lang)
    if re.search(r"\bBollywood\b", text) and "Hindi" not in found:
        found.append("Hindi")
    return sorted(set(found))


def lead_credits(lead: str) -> list[dict[str, Any]]:
    out = []
    for match in _CREDIT.finditer(lead):
        words = match.group(1).split()
        while words and words[0].lower() in {"the", "in", "and", "of", "film", "a"}:
            words = words[1:]
        title = " ".join(words).strip(" ,'’")
        year = int(match.group(2))
        if not title or title in _NOT_TITLES or not (1930 <= year <= date.today().year):
            continue
        if re.fullmatch(r"[\d\s]+", title) or len(title) > 60:
            continue
        out.append({"title": title, "year": year})
    return out


def read_filmographies(folder: Path | None) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    if folder is None:
        return out
    for path in sorted(folder.glob("*.csv")):
        raw = path.read_bytes().decode("utf-8", errors="replace").replace("\ufffd", " ")
        rows = []
        for row in csv.DictReader(raw.splitlines()):
            title = (row.get("Film") or row.get("Title") or "").strip()
            year = (row.get("Year") or "").strip()[:4]
            if not title or not year.isdigit():
                continue
            role = (row.get("Role") or "").strip()
            rows.append({"title": title, "year": int(year), "role": "" if role == "NA" else role})
        out[path.stem.replace("_", "-")] = rows
    return out


def read_list(path: Path, column: str) -> set[str]:
    with path.open(encoding="utf-8", errors="replace") as handle:
        return {slug(row[column]) for row in csv.DictReader(handle) if row.get(column)}


def gender_of(key: str, lead: str, women: set[str], men: set[str]) -> str | None:
    if key in women and key not in men:
        return "female"
    if key in men and key not in women:
        return "male"
    she = len(re.findall(r"\b(?:she|her|actress)\b", lead, re.I))
    he = len(re.findall(r"\b(?:he|his|him)\b", lead, re.I))
    if she > he:
        return "female"
    if he > she:
        return "male"
    return None


def consent(person_id: str) -> bool:
    """About one profile in 25 has withdrawn consent: it must never be shown."""
    return int(hashlib.sha256(person_id.encode()).hexdigest()[:8], 16) % 25 != 0


def build(args: argparse.Namespace) -> tuple[int, int]:
    women = read_list(args.actresses, "actresses_name")
    men = read_list(args.actors, "actor_name")
    films = read_filmographies(args.filmographies)
    catalogue, truth, seen = [], [], set()
    with args.wiki.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        name = re.sub(r"\s+", " ", row.get("Name", "")).strip()
        lead = clean(row.get("Summary", ""))
        key = slug(name)
        if not name or len(lead) < 120 or key in seen or deceased(lead):
            continue
        year = birth_year(row.get("DOB", ""), lead)
        if year is not None and year < 1935:
            continue
        seen.add(key)
        person_id = "wp-" + key
        credits = films.get(key, []) + lead_credits(lead)
        unique: dict[tuple[str, int], dict[str, Any]] = {}
        for credit in credits:
            unique.setdefault((credit["title"].lower(), credit["year"]), credit)
        credits = sorted(unique.values(), key=lambda c: (c["year"], c["title"]))
        facts = {
            "id": person_id,
            "name": name,
            "gender": gender_of(key, lead, women, men),
            "birth_year": year,
            "languages": languages(lead),
            "occupations": occupations(lead),
            "credits": credits,
            "lead": lead,
            "consent": consent(person_id),
        }
        record: dict[str, Any] = {
            "id": person_id,
            "name": name,
            "bio": lead,
            "languages": facts["languages"],
            "skills": facts["occupations"],
            "credits": [{k: v for k, v in c.items() if v != ""} for c in credits],
            "consent": facts["consent"],
        }
        if facts["gender"]:
            record["gender"] = facts["gender"]
        if year is not None:
            record["birth_year"] = year
        catalogue.append(record)
        truth.append(facts)
    args.out.mkdir(parents=True, exist_ok=True)
    with (args.out / "catalogue.jsonl").open("w", encoding="utf-8") as handle:
        for record in catalogue:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    with (args.out / "truth.jsonl").open("w", encoding="utf-8") as handle:
        for facts in truth:
            handle.write(json.dumps(facts, ensure_ascii=False) + "\n")
    titles = "\n".join(f"- {t['name']}" for t in truth)
    (args.out / "SOURCE.md").write_text(
        "# Source of this evaluation catalogue\n\n"
        "Built by scripts/build_real_eval.py from the lead sections of English Wikipedia\n"
        "articles (Wikipedia contributors, CC BY-SA 4.0, "
        "https://creativecommons.org/licenses/by-sa/4.0/), as collected in the public GitHub\n"
        "repositories Joel144/Movie_celeb_crawler (Movie_celeb_wiki_full.csv) and\n"
        "puneeth019/Bollywoodata (lists of Indian film actors and actresses, filmographies).\n"
        "Changes: citation marks removed, facts extracted into fields. This folder is\n"
        "shared under CC BY-SA 4.0 too. Articles used (by title):\n\n" + titles + "\n",
        encoding="utf-8",
    )
    return len(catalogue), sum(len(t["credits"]) for t in truth)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--wiki", type=Path, required=True)
    parser.add_argument("--actors", type=Path, required=True)
    parser.add_argument("--actresses", type=Path, required=True)
    parser.add_argument("--filmographies", type=Path)
    parser.add_argument("--out", type=Path, default=Path("talent/eval/real"))
    people, credits = build(parser.parse_args())
    print(f"{people} people, {credits} credits")


if __name__ == "__main__":
    main()
