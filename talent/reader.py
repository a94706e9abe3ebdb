"""Reading catalogue files (.jsonl, .json, .csv, optionally gzipped) into numbered raw records.

Whatever the bytes, this returns records or raises `UnreadableFile`: a bad line or row
becomes a numbered `RawRecord` with an error, so the rest of the file still imports.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BOM = b"\xef\xbb\xbf"
# csv's default 128 KiB field cap raises mid-file; a 1 MiB cell is still rejected (per row).
CSV_FIELD_LIMIT = 1024 * 1024


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
    except (OSError, EOFError, zlib.error) as exc:  # BadGzipFile is an OSError
        raise UnreadableFile(f"cannot read {path}: {exc}") from None
    raw = raw.removeprefix(BOM)
    if name.endswith(".jsonl") or name.endswith(".ndjson"):
        return "line", _jsonl(raw)  # decoded line by line: one bad line loses only itself
    if name.endswith(".json"):
        return "record", _json(_decode(path, raw))
    if name.endswith(".csv"):
        return "line", _csv(_decode(path, raw))
    raise UnreadableFile(f"{path.name}: expected a .jsonl, .json or .csv file")


def parse_json(text: str) -> Any:
    """json.loads that raises only ValueError (incl. too deep), keeping NaN/Infinity as
    floats so validation can name the field that holds them."""
    try:
        return json.loads(text, parse_int=_int)
    except RecursionError:
        raise ValueError("nested too deeply") from None


def _int(digits: str) -> int:
    # int() would refuse past 4300 digits with a long message; no profile needs 100.
    if len(digits.lstrip("-")) > 100:
        raise ValueError("a number has more than 100 digits")
    return int(digits)


def _decode(path: Path, raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise UnreadableFile(f"{path.name}: not valid UTF-8 (line {line})") from None


def _jsonl(raw: bytes) -> list[RawRecord]:
    records = []
    # Split on "\n" only: U+2028 and friends are legal inside JSON strings (splitlines breaks them).
    for number, chunk in enumerate(raw.split(b"\n"), start=1):
        try:
            line = chunk.decode("utf-8")
        except UnicodeDecodeError:
            records.append(RawRecord(number, None, "not valid UTF-8"))
            continue
        if not line.strip():
            continue
        try:
            value = parse_json(line)
        except json.JSONDecodeError as exc:
            records.append(RawRecord(number, None, f"not valid JSON ({exc.msg})"))
            continue
        except ValueError as exc:  # too deep, or a number too long
            records.append(RawRecord(number, None, f"not valid JSON ({_first_line(exc)})"))
            continue
        records.append(_object(number, value))
    return records


def _json(text: str) -> list[RawRecord]:
    try:
        value = parse_json(text)
    except json.JSONDecodeError as exc:
        raise UnreadableFile(f"not valid JSON: {exc.msg} at line {exc.lineno}") from None
    except ValueError as exc:
        raise UnreadableFile(f"not valid JSON: {_first_line(exc)}") from None
    if isinstance(value, dict):
        # {"talent": [...]} or {"profiles": [...]} wrappers, or one bare profile
        value = value.get("talent", value.get("profiles", [value]))
    if not isinstance(value, list):
        raise UnreadableFile("a .json catalogue must be an array of profiles")
    return [_object(number, item) for number, item in enumerate(value, start=1)]


def _csv(text: str) -> list[RawRecord]:
    csv.field_size_limit(max(csv.field_size_limit(), CSV_FIELD_LIMIT))
    rows = csv.reader(io.StringIO(text, newline=""))  # newline="": quoted cells keep "\r"
    header = _csv_header(rows)
    records = []
    while True:
        try:
            row = next(rows)
        except StopIteration:
            break
        except csv.Error as exc:  # e.g. an oversized field: reject the row, read on
            records.append(RawRecord(rows.line_num, None, f"malformed CSV row ({exc})"))
            continue
        number = rows.line_num
        if len(row) > len(header):
            records.append(RawRecord(number, None, "more cells than header columns"))
            continue
        # Cells under an unnamed header column (e.g. a trailing comma) have no field to go to.
        cleaned = {k: v.strip() for k, v in zip(header, row, strict=False) if k}
        if not any(cleaned.values()):
            continue
        records.append(RawRecord(number, cleaned))
    return records


def _csv_header(rows: Any) -> list[str]:
    try:
        first = next(rows, None)
        while first == []:  # blank lines before the header
            first = next(rows, None)
        header = [name.strip() for name in first or []]
    except csv.Error as exc:
        raise UnreadableFile(f"malformed CSV header ({exc})") from None
    if "id" not in header:
        raise UnreadableFile("a .csv catalogue needs a header row with at least id and name")
    named = [name for name in header if name]
    repeated = sorted({name for name in named if named.count(name) > 1})
    if repeated:
        # Which of two "id" columns is meant? Guessing would import the wrong data.
        raise UnreadableFile(f"the CSV header repeats column {', '.join(map(repr, repeated))}")
    return header


def _object(number: int, value: Any) -> RawRecord:
    if not isinstance(value, dict):
        return RawRecord(number, None, "not a JSON object")
    return RawRecord(number, value)


def _first_line(exc: Exception) -> str:
    return (str(exc).splitlines() or [type(exc).__name__])[0][:200]
