"""The talent commands behind `castmatch talent import` and `castmatch forget talent:ID`
(`talent search` is `talent.search_cli`, kept apart so a search imports less).

The lead's argparse front end calls these; they print per CONTRACT.md and return exit codes.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import delete, select

from bot.shown import forget_profile as forget_shown
from talent.erase import erase_rows
from talent.importer import import_file
from talent.index import catalogue_index
from talent.media import erase as erase_files
from talent.models import ShortlistEntry, ShortlistEvent, Talent
from talent.reader import UnreadableFile
from talent.search_cli import search, search_command

__all__ = ["forget_talent", "import_command", "profile_exists", "search", "search_command"]

if TYPE_CHECKING:
    from bot.services import Services


class _StderrProgress:
    """A one-line progress bar on stderr for long imports (only when stderr is a terminal)."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.live = sys.stderr.isatty()

    def __call__(self, done: int, total: int) -> None:
        if total < 500:
            return
        rate = done / max(time.perf_counter() - self.started, 1e-6)
        width = 30
        filled = int(width * done / total)
        line = f"[{'#' * filled}{'.' * (width - filled)}] {done}/{total} ({rate:.0f}/s)"
        if self.live:
            print("\r" + line, end="" if done < total else "\n", file=sys.stderr, flush=True)
        elif done == total or done % 5000 < 256:
            print(line, file=sys.stderr, flush=True)


async def import_command(services: Services, path: Path) -> int:
    """Import a catalogue file: 0 when anything valid was imported, 2 otherwise."""
    try:
        report = await import_file(services, path, progress=_StderrProgress())
    except UnreadableFile as exc:
        print(f"castmatch: {exc}", file=sys.stderr)
        return 2
    for reject in report.rejected:
        reason = " ".join(reject.reason.split())  # one line per reject, whatever the input held
        print(f"rejected {report.unit} {reject.number}: {reason}", file=sys.stderr)
    for dup in report.duplicates:
        ids = ", ".join(dup.ids)
        print(
            f"possible duplicate: {dup.name} (born {dup.birth_year}) under ids {ids}",
            file=sys.stderr,
        )
    print(report.summary())
    if report.valid == 0:
        print("castmatch: the file holds no valid profiles", file=sys.stderr)
        return 2
    return 0


async def forget_talent(services: Services, talent_id: str) -> str:
    """Erase a profile everywhere: its rows, its vector, its shortlist entries and history,
    and what memory and conversations' last results hold naming it."""
    async with services.sessions() as session, session.begin():
        deleted = (
            await session.execute(
                delete(Talent).where(Talent.id == talent_id).returning(Talent.row_id, Talent.name)
            )
        ).all()
        rows = [row_id for row_id, _ in deleted]
        names = sorted({name for _, name in deleted if name})
        entries = (
            (
                await session.execute(
                    delete(ShortlistEntry)
                    .where(ShortlistEntry.talent_id == talent_id)
                    .returning(ShortlistEntry.pk)
                )
            )
            .scalars()
            .all()
        )
        events = (
            (
                await session.execute(
                    delete(ShortlistEvent)
                    .where(ShortlistEvent.talent_id == talent_id)
                    .returning(ShortlistEvent.pk)
                )
            )
            .scalars()
            .all()
        )
        more = await erase_rows(session, talent_id)
        files = list(session.info.pop("media_keys", []))
    await erase_files(services, files)
    index = await catalogue_index(services)
    await index.apply({}, list(rows))
    traces = [line for erase in services.profile_erasers for line in await erase(talent_id, names)]
    lists = await forget_shown(services, talent_id)
    if entries and services.shortlists is not None:
        await services.shortlists.profiles_changed()
    if not rows and not entries and not events and not more:
        return f"Nothing to forget: no talent profile or shortlist entry has id {talent_id}."
    parts = [f"{len(rows)} profile{'s' if len(rows) != 1 else ''} and its search vector"]
    parts.append(f"{len(entries)} shortlist entr{'ies' if len(entries) != 1 else 'y'}")
    parts.append(f"{len(events)} shortlist history event{'s' if len(events) != 1 else ''}")
    parts += more
    parts += traces
    if lists:
        parts.append(f"{lists} conversation result list{'s' if lists != 1 else ''}")
    return f"Forgot talent {talent_id}: removed " + ", ".join(parts) + "."


async def profile_exists(services: Services, talent_id: str) -> bool:
    async with services.sessions() as session:
        return (
            await session.scalar(select(Talent.row_id).where(Talent.id == talent_id))
        ) is not None
