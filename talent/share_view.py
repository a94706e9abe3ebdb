"""What a director sees on a shared shortlist page, read from the database.

Only what helps a decision: picture, playing age, city, languages, skills, credits,
showreel, the team's note and status, each person's dates (holds and availability) and the
director's own marks. Never a phone number, an agency or its contacts, nobody who withdrew
consent (they are left out entirely), and never the names of the company's other projects
or the team's reasons for someone being away.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from talent import holds
from talent.dates import span_text
from talent.holds_models import LABELS
from talent.media_route import headshots
from talent.models import SHARED, Project, Role, ShortlistEntry, ShortlistEvent, Talent
from talent.shortlists import DEFAULT_PROJECT

if TYPE_CHECKING:
    from bot.services import Services

DIRECTOR = "director via shared link"
DECISIONS = ("yes", "maybe", "no")
# Phone-like runs (+91 98200 12345, 022-2345-6789) in free text written by the team.
_PHONE = re.compile(r"\+?\d[\d\s().-]{7,}\d")


@dataclass(frozen=True)
class Candidate:
    talent_id: str
    name: str
    headshot: str
    playing_age: str
    city: str
    languages: list[str]
    skills: list[str]
    credits: list[str]
    showreel: str
    note: str
    status: str
    dates: str = ""
    decision: str = ""
    comment: str = ""


@dataclass(frozen=True)
class ShortlistPage:
    project: str
    role: str
    brief: str
    candidates: list[Candidate] = field(default_factory=list)


def without_phones(text: str) -> str:
    return _PHONE.sub("[number removed]", text or "")


def credit_line(credit: Any) -> str:
    if isinstance(credit, dict):
        title = str(credit.get("title") or "").strip()
        year = f" ({credit['year']})" if credit.get("year") else ""
        part = f" as {credit['role']}" if credit.get("role") else ""
        return f"{title}{year}{part}".strip()
    return str(credit).strip()


def _http(url: str | None) -> str:
    return url if url and url.lower().startswith(("http://", "https://")) else ""


async def load(services: Services, role: Role) -> ShortlistPage:
    query = (
        select(ShortlistEntry, Talent)
        .join(
            Talent,
            (Talent.id == ShortlistEntry.talent_id)
            & Talent.workspace.in_((SHARED, role.workspace)),
        )
        .where(ShortlistEntry.role_pk == role.pk, Talent.consent.is_(True))
        .order_by(ShortlistEntry.position)
    )
    async with services.sessions() as session:
        project = await session.scalar(select(Project.name).where(Project.pk == role.project_pk))
        rows = (await session.execute(query)).all()
        marks = await _director_marks(session, role.pk)
    kept = await headshots(services, role.workspace, [t.id for _, t in rows], relative=True)
    dates = await _dates(services, role, project or "", [t.id for _, t in rows])
    seen: set[str] = set()
    candidates = []
    for entry, talent in rows:
        if talent.id in seen:  # the same id in the shared and the workspace catalogue
            continue
        seen.add(talent.id)
        decision, comment = marks.get(talent.id, ("", ""))
        candidates.append(
            Candidate(
                talent_id=talent.id,
                name=talent.name,
                headshot=kept.get(talent.id) or _http(talent.headshot_url),
                playing_age=(
                    f"{talent.playing_age_min}–{talent.playing_age_max}"
                    if talent.playing_age_min is not None
                    else ""
                ),
                city=talent.city or "",
                languages=list(talent.languages or []),
                skills=list(talent.skills or []),
                credits=[line for c in talent.credits or [] if (line := credit_line(c))],
                showreel=_http(talent.showreel_url),
                note=without_phones(entry.note),
                status=entry.status,
                dates=dates.get(talent.id, ""),
                decision=decision,
                comment=comment,
            )
        )
    return ShortlistPage(project or "", role.name, role.brief or "", candidates)


async def _dates(
    services: Services, role: Role, project: str, talent_ids: list[str]
) -> dict[str, str]:
    """'1st hold 10–20 Mar · pencil 1–3 May, another project · unavailable 1–15 Apr': this
    role's holds plainly, the project's other roles by name, other projects (and the other
    roles of the default project) unnamed."""
    items: dict[str, list[tuple[date, str]]] = {}
    for hold in await holds.for_talent(services, role.workspace, talent_ids):
        what = f"{LABELS[hold.kind]} {span_text(hold.starts, hold.ends)}"
        if hold.project != project:
            what += ", another project"
        elif hold.role != role.name:  # the default project gathers unrelated roles
            what += ", another role" if project == DEFAULT_PROJECT else f", {hold.role}"
        items.setdefault(hold.talent_id, []).append((hold.starts, what))
    windows = await holds.windows(services, role.workspace, talent_ids)
    for talent_id, found in windows.items():
        for window in found:
            word = "free" if window.available else "unavailable"
            line = f"{word} {span_text(window.starts, window.ends)}"
            items.setdefault(talent_id, []).append((window.starts, line))
    return {
        talent_id: " · ".join(text for _, text in sorted(found, key=lambda item: item[0]))
        for talent_id, found in items.items()
    }


async def _director_marks(session: Any, role_pk: int) -> dict[str, tuple[str, str]]:
    """The director's latest mark and comment per person."""
    events = (
        await session.execute(
            select(ShortlistEvent.talent_id, ShortlistEvent.detail)
            .where(ShortlistEvent.role_pk == role_pk, ShortlistEvent.actor == DIRECTOR)
            .order_by(ShortlistEvent.at, ShortlistEvent.pk)
        )
    ).all()
    marks: dict[str, tuple[str, str]] = {}
    for talent_id, detail in events:
        before = marks.get(talent_id, ("", ""))
        marks[talent_id] = (
            str(detail.get("decision") or before[0]),
            str(detail.get("comment") or before[1]),
        )
    return marks
