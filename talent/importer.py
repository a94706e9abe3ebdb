"""Catalogue import: validate, upsert by id, embed what changed, update the index.

Idempotent: a record whose content hash is unchanged is neither written nor re-embedded.
Bad records are reported with their line (or record) number and the rest still import.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from pydantic import ValidationError
from sqlalchemy import String, any_, bindparam, func, select
from sqlalchemy.dialects.postgresql import ARRAY, insert
from sqlalchemy.exc import DataError, IntegrityError

from bot.db import utcnow
from talent.credits import replace_credits
from talent.index import catalogue_index
from talent.models import SHARED, Talent
from talent.names import skeleton
from talent.profile import TalentRecord, describe_errors, name_key
from talent.reader import RawRecord, read_records

if TYPE_CHECKING:
    from bot.services import Services

BATCH = 256
EMBED_BATCH = 32
Progress = Callable[[int, int], None]  # (records done, records total)


@dataclass(frozen=True)
class Reject:
    number: int
    reason: str


@dataclass(frozen=True)
class Duplicate:
    name: str
    birth_year: int
    ids: tuple[str, ...]


@dataclass
class ImportReport:
    unit: str = "line"  # what `Reject.number` counts: "line" or "record"
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[Reject] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def valid(self) -> int:
        return self.added + self.updated + self.unchanged

    @property
    def per_second(self) -> float:
        return self.valid / self.seconds if self.seconds > 0 else 0.0

    def summary(self) -> str:
        return (
            f"added {self.added}, updated {self.updated}, unchanged {self.unchanged}, "
            f"rejected {len(self.rejected)} ({self.valid} valid in {self.seconds:.1f}s, "
            f"{self.per_second:.0f} profiles/s)"
        )


def validate(raw: Sequence[RawRecord]) -> tuple[list[tuple[int, TalentRecord]], list[Reject]]:
    """Valid records (with their numbers) and rejects; a repeated id rejects the later copy."""
    good: list[tuple[int, TalentRecord]] = []
    rejects: list[Reject] = []
    first_seen: dict[str, int] = {}
    for item in raw:
        if item.data is None:
            rejects.append(Reject(item.number, item.error))
            continue
        try:
            record = TalentRecord.model_validate(item.data)
        except ValidationError as exc:
            rejects.append(Reject(item.number, describe_errors(exc)))
            continue
        if record.id in first_seen:
            rejects.append(Reject(item.number, f"id {record.id!r} repeats {first_seen[record.id]}"))
            continue
        first_seen[record.id] = item.number
        good.append((item.number, record))
    return good, rejects


async def import_file(
    services: Services, path: Path, *, progress: Progress | None = None
) -> ImportReport:
    """Import a catalogue file; raises `UnreadableFile` when it can't be read at all."""
    unit, raw = await asyncio.to_thread(read_records, path)
    records, rejects = await asyncio.to_thread(validate, raw)
    report = await import_records(
        services,
        [r for _, r in records],
        numbers=[n for n, _ in records],
        progress=progress,
        workspace=SHARED,
    )
    report.unit = unit
    report.rejected = sorted(rejects + report.rejected, key=lambda r: r.number)
    return report


async def import_records(
    services: Services,
    records: Sequence[TalentRecord],
    *,
    workspace: str = SHARED,
    vectors: dict[str, np.ndarray] | None = None,
    progress: Progress | None = None,
    numbers: Sequence[int] | None = None,
) -> ImportReport:
    """Upsert validated records. `vectors` (id -> passage embedding) skips embedding them.

    `numbers` are the records' line/record numbers, for rejects (default: position from 1).
    """
    started = time.perf_counter()
    report = ImportReport()
    index = await catalogue_index(services)
    numbered = list(zip(numbers or range(1, len(records) + 1), records, strict=True))
    for offset in range(0, len(records), BATCH):
        batch = numbered[offset : offset + BATCH]
        upserts, removals = await _import_batch(services, workspace, batch, vectors, report)
        if upserts or removals:
            await index.apply(upserts, removals, save=False)
        if progress is not None:
            progress(offset + len(batch), len(records))
    if report.added or report.updated:
        await index.save()
    if report.updated and services.shortlists is not None:
        await services.shortlists.profiles_changed()  # a name or a consent on a shortlist
    report.duplicates = await possible_duplicates(services, workspace, records)
    report.seconds = time.perf_counter() - started
    return report


async def _import_batch(
    services: Services,
    workspace: str,
    numbered: Sequence[tuple[int, TalentRecord]],
    vectors: dict[str, np.ndarray] | None,
    report: ImportReport,
) -> tuple[dict[int, np.ndarray], list[int]]:
    batch = [r for _, r in numbered]
    number_of = {r.id: n for n, r in numbered}
    hashes = {r.id: r.content_hash() for r in batch}
    async with services.sessions() as session:
        existing = dict(
            (
                await session.execute(
                    select(Talent.id, Talent.content_hash).where(
                        Talent.workspace == workspace, Talent.id.in_(list(hashes))
                    )
                )
            ).all()
        )
    changed = [r for r in batch if existing.get(r.id) != hashes[r.id]]
    report.unchanged += len(batch) - len(changed)
    if not changed:
        return {}, []
    embeddings = await _embeddings(services, changed, vectors or {})
    now = utcnow()
    rows = [_row(r, workspace, hashes[r.id], embeddings[r.id], now) for r in changed]
    try:
        written = await _upsert(services, rows)
    except (DataError, IntegrityError):
        # Validation should have caught it; if not, one bad row must not lose the batch:
        # write row by row and reject only the rows PostgreSQL refuses.
        written = []
        for row in rows:
            try:
                written += await _upsert(services, [row])
            except (DataError, IntegrityError) as exc:
                reason = " ".join(str(exc.orig).split())[:200]
                report.rejected.append(
                    Reject(number_of[row["id"]], f"could not be stored ({reason})")
                )
    stored = {tid for tid, _, _ in written}
    report.added += sum(1 for tid in stored if tid not in existing)
    report.updated += sum(1 for tid in stored if tid in existing)
    upserts = {row_id: embeddings[tid] for tid, row_id, consent in written if consent}
    removals = [row_id for _, row_id, consent in written if not consent]
    return upserts, removals


async def _upsert(services: Services, rows: list[dict[str, Any]]) -> list[Any]:
    """Insert or update rows in one transaction: [(id, row_id, consent)] as written."""
    statement = insert(Talent).values(rows)
    columns = {c: statement.excluded[c] for c in rows[0] if c not in ("workspace", "id")}
    columns.pop("created_at")
    statement = statement.on_conflict_do_update(
        constraint="uq_talent_workspace_id", set_=columns
    ).returning(Talent.id, Talent.row_id, Talent.consent)
    async with services.sessions() as session, session.begin():
        written = list((await session.execute(statement)).all())
        credits_of = {row["id"]: row["credits"] for row in rows}
        await replace_credits(session, {rid: credits_of[tid] for tid, rid, _ in written})
        return written


async def _embeddings(
    services: Services, records: Sequence[TalentRecord], given: dict[str, np.ndarray]
) -> dict[str, np.ndarray]:
    out = {r.id: given[r.id] for r in records if r.id in given}
    todo = [r for r in records if r.id not in out]
    for offset in range(0, len(todo), EMBED_BATCH):
        chunk = todo[offset : offset + EMBED_BATCH]
        matrix = await services.embedder.passages([r.passage() for r in chunk])
        out.update({r.id: matrix[i] for i, r in enumerate(chunk)})
    return out


def _row(
    record: TalentRecord, workspace: str, content_hash: str, vector: np.ndarray, now: Any
) -> dict[str, Any]:
    return {
        "workspace": workspace,
        "id": record.id,
        "name": record.name,
        "name_key": name_key(record.name),
        "name_sound": skeleton(record.name),
        "gender": record.gender,
        "birth_year": record.birth_year,
        "playing_age_min": record.playing_age_min,
        "playing_age_max": record.playing_age_max,
        "city": record.city,
        "travels": record.travels,
        "languages": record.languages,
        "skills": record.skills,
        "height_cm": record.height_cm,
        "bio": record.bio,
        "credits": [c.model_dump() for c in record.credits],
        "credit_years": record.credit_years(),
        "agency": record.agency,
        "headshot_url": record.headshot_url,
        "showreel_url": record.showreel_url,
        "consent": record.consent,
        "extra": record.extra,
        "content_hash": content_hash,
        "embedding": np.asarray(vector, dtype=np.float32).tobytes(),
        "created_at": now,
        "updated_at": now,
    }


async def possible_duplicates(
    services: Services, workspace: str, records: Sequence[TalentRecord]
) -> list[Duplicate]:
    """Same folded name and birth year under different ids (among those just imported)."""
    keys = sorted({name_key(r.name) for r in records if r.birth_year is not None})
    if not keys:
        return []
    query = (
        select(Talent.name_key, Talent.birth_year, func.array_agg(Talent.id), func.min(Talent.name))
        .where(Talent.workspace == workspace)
        .where(Talent.name_key == any_(bindparam("keys", keys, type_=ARRAY(String))))
        .where(Talent.birth_year.is_not(None))
        .group_by(Talent.name_key, Talent.birth_year)
        .having(func.count() > 1)
    )
    async with services.sessions() as session:
        rows = (await session.execute(query)).all()
    return [Duplicate(name, year, tuple(sorted(ids))) for _, year, ids, name in rows]
