"""Reading catalogue files (.jsonl, .json, .csv, optionally gzipped) into numbered raw records."""

from __future__ import annotations

import csv
import gzip
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any


class UnreadableFile(Exception):
    """The file can't be read at all (missing, wrong format, not UTF-8, malformed JSON array)."""


@dataclass(frozen=True)
class RawRecord:
    number: int  # line number (.jsonl, .csv) or position in the array (.json), from 1
    data: dict[str, Any] | None
    error: str = ""  # why `data` is None


def read_records(path: Path) -> tuple[str, list[RawRecord]]:
    """('line' or 'record', the records). Blocking: call it in a worker thread."""
    name = path.name.lower().removesuffix(".gz")
    try:
        raw = path.read_bytes()
        if path.name.lower().endswith(".gz"):
            raw = gzip.decompress(raw)
        text = raw.decode("utf-8-sig")
    except (OSError, UnicodeDecodeError, EOFError, gzip.BadGzipFile) as exc:
        raise UnreadableFile(f"cannot read {path}: {exc}") from None
    if name.endswith(".jsonl") or name.endswith(".ndjson"):
        return "line", _jsonl(text)
    if name.endswith(".json"):
        return "record", _json(text)
    if name.endswith(".csv"):
        return "line", _csv(text)
    raise UnreadableFile(f"{path.name}: expected a .jsonl, .json or .csv file")


def _jsonl(text: str) -> list[RawRecord]:
    records = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            records.append(RawRecord(number, None, f"not valid JSON ({exc.msg})"))
            continue
        records.append(_object(number, value))
    return records


def _json(text: str) -> list[RawRecord]:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UnreadableFile(f"not valid JSON: {exc.msg} at line {exc.lineno}") from None
    if isinstance(value, dict):
        # {"talent": [...]} or {"profiles": [...]} wrappers, or one bare profile
        value = value.get("talent", value.get("profiles", [value]))
    if not isinstance(value, list):
        raise UnreadableFile("a .json catalogue must be an array of profiles")
    return [_object(number, item) for number, item in enumerate(value, start=1)]


def _csv(text: str) -> list[RawRecord]:
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or "id" not in [f.strip() for f in reader.fieldnames]:
        raise UnreadableFile("a .csv catalogue needs a header row with at least id and name")
    records = []
    for row in reader:
        number = reader.line_num
        if None in row:  # more cells than headers
            records.append(RawRecord(number, None, "more cells than header columns"))
            continue
        cleaned = {k.strip(): (v.strip() if isinstance(v, str) else v) for k, v in row.items()}
        if not any(cleaned.values()):
            continue
        records.append(RawRecord(number, cleaned))
    return records


def _object(number: int, value: Any) -> RawRecord:
    if not isinstance(value, dict):
        return RawRecord(number, None, "not a JSON object")
    return RawRecord(number, value)
